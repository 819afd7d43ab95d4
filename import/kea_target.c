#include "kea_target.h"

#include <stdio.h>
#include <string.h>

#ifndef WIN_IMPORT_HOOKS_DIR
#define WIN_IMPORT_HOOKS_DIR "/usr/lib/x86_64-linux-gnu/kea/hooks"
#endif

/* Kea's STANDARD_V4_OPTION_DEFINITIONS (dhcp/std_option_defs.h) at 2.2.0,
 * 2.6.3 and 3.0.4: code, name, type, array, the releases that define it. */
static const struct kea_std_option STD[] = {
    {1, "subnet-mask", KT_IPV4, 0, KEA_22|KEA_26|KEA_30},
    {2, "time-offset", KT_INT32, 0, KEA_22|KEA_26|KEA_30},
    {3, "routers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {4, "time-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {5, "name-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {6, "domain-name-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {7, "log-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {8, "cookie-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {9, "lpr-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {10, "impress-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {11, "resource-location-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {12, "host-name", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {13, "boot-size", KT_UINT16, 0, KEA_22|KEA_26|KEA_30},
    {14, "merit-dump", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {15, "domain-name", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {16, "swap-server", KT_IPV4, 0, KEA_22|KEA_26|KEA_30},
    {17, "root-path", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {18, "extensions-path", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {19, "ip-forwarding", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {20, "non-local-source-routing", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {21, "policy-filter", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {22, "max-dgram-reassembly", KT_UINT16, 0, KEA_22|KEA_26|KEA_30},
    {23, "default-ip-ttl", KT_UINT8, 0, KEA_22|KEA_26|KEA_30},
    {24, "path-mtu-aging-timeout", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {25, "path-mtu-plateau-table", KT_UINT16, 1, KEA_22|KEA_26|KEA_30},
    {26, "interface-mtu", KT_UINT16, 0, KEA_22|KEA_26|KEA_30},
    {27, "all-subnets-local", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {28, "broadcast-address", KT_IPV4, 0, KEA_22|KEA_26|KEA_30},
    {29, "perform-mask-discovery", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {30, "mask-supplier", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {31, "router-discovery", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {32, "router-solicitation-address", KT_IPV4, 0, KEA_22|KEA_26|KEA_30},
    {33, "static-routes", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {34, "trailer-encapsulation", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {35, "arp-cache-timeout", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {36, "ieee802-3-encapsulation", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {37, "default-tcp-ttl", KT_UINT8, 0, KEA_22|KEA_26|KEA_30},
    {38, "tcp-keepalive-interval", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {39, "tcp-keepalive-garbage", KT_BOOLEAN, 0, KEA_22|KEA_26|KEA_30},
    {40, "nis-domain", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {41, "nis-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {42, "ntp-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {43, "vendor-encapsulated-options", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {44, "netbios-name-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {45, "netbios-dd-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {46, "netbios-node-type", KT_UINT8, 0, KEA_22|KEA_26|KEA_30},
    {47, "netbios-scope", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {48, "font-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {49, "x-display-manager", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {50, "dhcp-requested-address", KT_IPV4, 0, KEA_22|KEA_26|KEA_30},
    {51, "dhcp-lease-time", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {52, "dhcp-option-overload", KT_UINT8, 0, KEA_22|KEA_26|KEA_30},
    {53, "dhcp-message-type", KT_UINT8, 0, KEA_22|KEA_26|KEA_30},
    {54, "dhcp-server-identifier", KT_IPV4, 0, KEA_22|KEA_26|KEA_30},
    {55, "dhcp-parameter-request-list", KT_UINT8, 1, KEA_22|KEA_26|KEA_30},
    {56, "dhcp-message", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {57, "dhcp-max-message-size", KT_UINT16, 0, KEA_22|KEA_26|KEA_30},
    {58, "dhcp-renewal-time", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {59, "dhcp-rebinding-time", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {60, "vendor-class-identifier", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {61, "dhcp-client-identifier", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {62, "nwip-domain-name", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {63, "nwip-suboptions", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {64, "nisplus-domain-name", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {65, "nisplus-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {66, "tftp-server-name", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {67, "boot-file-name", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {68, "mobile-ip-home-agent", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {69, "smtp-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {70, "pop-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {71, "nntp-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {72, "www-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {73, "finger-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {74, "irc-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {75, "streettalk-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {76, "streettalk-directory-assistance-server", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {77, "user-class", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {78, "slp-directory-agent", KT_OTHER, 1, KEA_22|KEA_26|KEA_30},
    {79, "slp-service-scope", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {81, "fqdn", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {82, "dhcp-agent-options", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {85, "nds-servers", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {86, "nds-tree-name", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {87, "nds-context", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {88, "bcms-controller-names", KT_FQDN, 1, KEA_22|KEA_26|KEA_30},
    {89, "bcms-controller-address", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {90, "authenticate", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {91, "client-last-transaction-time", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {92, "associated-ip", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {93, "client-system", KT_UINT16, 1, KEA_22|KEA_26|KEA_30},
    {94, "client-ndi", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {97, "uuid-guid", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {98, "uap-servers", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {99, "geoconf-civic", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {100, "pcode", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {101, "tcode", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {108, "v6-only-preferred", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {112, "netinfo-server-address", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {113, "netinfo-server-tag", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {114, "v4-captive-portal", KT_STRING, 0, KEA_22|KEA_26|KEA_30},
    {116, "auto-config", KT_UINT8, 0, KEA_22|KEA_26|KEA_30},
    {117, "name-service-search", KT_UINT16, 1, KEA_22|KEA_26|KEA_30},
    {118, "subnet-selection", KT_IPV4, 0, KEA_22|KEA_26|KEA_30},
    {119, "domain-search", KT_FQDN, 1, KEA_22|KEA_26|KEA_30},
    {121, "classless-static-route", KT_OTHER, 0, KEA_26|KEA_30},
    {122, "cablelabs-client-conf", KT_OTHER, 0, KEA_30},
    {124, "vivco-suboptions", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {125, "vivso-suboptions", KT_UINT32, 0, KEA_22|KEA_26|KEA_30},
    {136, "pana-agent", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {137, "v4-lost", KT_FQDN, 0, KEA_22|KEA_26|KEA_30},
    {138, "capwap-ac-v4", KT_IPV4, 1, KEA_22|KEA_26|KEA_30},
    {141, "sip-ua-cs-domains", KT_FQDN, 1, KEA_22|KEA_26|KEA_30},
    {143, "v4-sztp-redirect", KT_OTHER, 1, KEA_26|KEA_30},
    {146, "rdnss-selection", KT_OTHER, 1, KEA_22|KEA_26|KEA_30},
    {151, "status-code", KT_OTHER, 0, KEA_26|KEA_30},
    {152, "base-time", KT_UINT32, 0, KEA_26|KEA_30},
    {153, "start-time-of-state", KT_UINT32, 0, KEA_26|KEA_30},
    {154, "query-start-time", KT_UINT32, 0, KEA_26|KEA_30},
    {155, "query-end-time", KT_UINT32, 0, KEA_26|KEA_30},
    {156, "dhcp-state", KT_UINT8, 0, KEA_26|KEA_30},
    {157, "data-source", KT_UINT8, 0, KEA_26|KEA_30},
    {159, "v4-portparams", KT_OTHER, 0, KEA_22|KEA_26|KEA_30},
    {162, "v4-dnr", KT_OTHER, 0, KEA_26|KEA_30},
    {212, "option-6rd", KT_OTHER, 1, KEA_22|KEA_26|KEA_30},
    {213, "v4-access-domain", KT_FQDN, 0, KEA_22|KEA_26|KEA_30},
};

enum kea_release kea_release_parse(const char *text)
{
    if (strncmp(text, "2.2", 3) == 0) return KEA_22;
    if (strncmp(text, "2.6", 3) == 0) return KEA_26;
    if (strncmp(text, "3.0", 3) == 0) return KEA_30;
    return 0;
}

const char *kea_release_name(enum kea_release r)
{
    return r == KEA_22 ? "2.2" : r == KEA_26 ? "2.6" : "3.0";
}

const struct kea_std_option *kea_std_option(enum kea_release r, unsigned code)
{
    for (size_t i = 0; i < sizeof STD / sizeof *STD; i++)
        if (STD[i].code == code) return (STD[i].releases & (int)r) ? &STD[i] : NULL;
    return NULL;
}

const char *kea_lease_header(enum kea_release r)
{
    /* 2.4 added pool_id (schema 3.0); either release reads the other's file. */
    return r == KEA_22 ? "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,"
                         "fqdn_rev,hostname,state,user_context"
                       : "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,"
                         "fqdn_rev,hostname,state,user_context,pool_id";
}

void kea_hook_path(enum kea_release r, const char *file, char *out, unsigned len)
{
    if (r == KEA_22) snprintf(out, len, "%s/%s", WIN_IMPORT_HOOKS_DIR, file);
    else snprintf(out, len, "%s", file);
}

const char *kea_control_socket(enum kea_release r)
{
    return r == KEA_22 ? "/run/kea/kea4-ctrl-socket" : "kea4-ctrl-socket";
}

const char *kea_key_only_when_required(enum kea_release r)
{
    return r == KEA_30 ? "only-in-additional-list" : "only-if-required";
}

const char *kea_key_require_classes(enum kea_release r)
{
    return r == KEA_30 ? "evaluate-additional-classes" : "require-client-classes";
}
