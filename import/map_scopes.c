/* Scopes to subnet4 (windows-export.md sections 2.2, 2.3, 2.6, 2.10): the
 * subnet id is the scope address, pools are the range minus its exclusions,
 * reservations follow the hook's identifier rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client_identifier.h"
#include "import.h"
#include "lease_windows.h"
#include "value_formats.h"

#define DEFAULT_LEASE_DURATION 691200   /* Windows' default: 8 days */

struct range {
    uint32_t first, last;
};

static int by_first(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

static void add_reason(char *out, size_t len, const char *text)
{
    size_t n = strlen(out);
    snprintf(out + n, len - n, "%s%s", n ? "; " : "", text);
}

/* The pools: [start, end] minus the exclusions (sorted numerically). */
static void write_pools(cJSON *subnet, uint32_t start, uint32_t end, struct range *ex,
                        size_t n)
{
    cJSON *pools = cJSON_AddArrayToObject(subnet, "pools");
    uint64_t next = start;
    if (n) qsort(ex, n, sizeof *ex, by_first);
    for (size_t i = 0; i <= n && next <= end; i++) {
        uint64_t stop = i < n ? (uint64_t)ex[i].first : (uint64_t)end + 1;
        if (stop > (uint64_t)end + 1) stop = (uint64_t)end + 1;
        if (stop > next) {
            char a[WIN_IPV4_TEXT], b[WIN_IPV4_TEXT], text[40];
            win_ipv4_format((uint32_t)next, a);
            win_ipv4_format((uint32_t)(stop - 1), b);
            snprintf(text, sizeof text, "%s - %s", a, b);
            cJSON *p = cJSON_CreateObject();
            cJSON_AddStringToObject(p, "pool", text);
            cJSON_AddItemToArray(pools, p);
        }
        if (i < n && (uint64_t)ex[i].last + 1 > next) next = (uint64_t)ex[i].last + 1;
    }
}

static size_t map_exclusions(struct import_ctx *ctx, const struct xnode *scope,
                             const char *source, uint32_t start, uint32_t end, struct range **out)
{
    const struct xnode *list = xn_child(scope, "ExclusionRanges");
    size_t n = 0, cap = 0;
    *out = NULL;
    for (const struct xnode *r = xn_child(list, "IPRange"); r; r = xn_next_same(r)) {
        char src[SOURCE_MAX];
        struct range x;
        const char *a = xn_text(r, "StartRange"), *b = xn_text(r, "EndRange");
        snprintf(src, sizeof src, "%s/ExclusionRanges/IPRange[StartRange=%s]", source,
                 a ? a : "");
        if (iv_ipv4(a, &x.first) < 0 || iv_ipv4(b, &x.last) < 0 || x.first > x.last) {
            report_item(&ctx->report, RK_EXCLUSION, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "StartRange and EndRange must be addresses, the first not above the "
                        "last");
            continue;
        }
        if (x.last < start || x.first > end) {
            report_item(&ctx->report, RK_EXCLUSION, NULL, REPORT_DROPPED, src, NULL,
                        "outside the scope's range: it excludes nothing");
            continue;
        }
        if (n == cap) {
            struct range *grown = realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof *grown);
            if (!grown) break;
            *out = grown;
        }
        (*out)[n++] = x;
        report_item(&ctx->report, RK_EXCLUSION, NULL, REPORT_MAPPED, src, "pools",
                    "left out of the subnet's pools");
    }
    return n;
}

/* ---- reservations ------------------------------------------------------------- */

/* "address" or "identifier" when a reservation of list has the same one (Kea
 * refuses two in a subnet), else NULL. */
static const char *same_as_another(const cJSON *list, const char *key, const char *hex,
                                   const char *addr)
{
    const cJSON *other;
    cJSON_ArrayForEach(other, list) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(other, "ip-address");
        const cJSON *i = cJSON_GetObjectItemCaseSensitive(other, key);
        if (cJSON_IsString(a) && strcmp(a->valuestring, addr) == 0) return "address";
        if (cJSON_IsString(i) && strcmp(i->valuestring, hex) == 0) return "identifier";
    }
    return NULL;
}

/* The host entry: identifier, address, hostname by the hook's client-name
 * rule, and the Windows fields in user-context.windows; why gathers what Kea
 * does differently. */
static cJSON *reservation_host(const struct xnode *r, const char *key, const char *hex,
                               const char *addr, char *why, size_t why_len)
{
    const char *name = xn_text(r, "Name");
    cJSON *h = cJSON_CreateObject();
    cJSON_AddStringToObject(h, key, hex);
    cJSON_AddStringToObject(h, "ip-address", addr);
    char lower[LEASE_HOSTNAME_SIZE];
    if (name) {
        char b[256];
        iv_trim(name, b, sizeof b);
        if (lease_windows_hostname(b, lower, sizeof lower))
            cJSON_AddStringToObject(h, "hostname", lower);
        else if (*b) add_reason(why, why_len, "Name is not a DNS name: not sent as the "
                                              "client's hostname (kept in user-context)");
    }
    cJSON *w = cJSON_AddObjectToObject(cJSON_AddObjectToObject(h, "user-context"), "windows");
    if (name) cJSON_AddStringToObject(w, "name", name);
    if (xn_text(r, "Description") && *xn_text(r, "Description"))
        cJSON_AddStringToObject(w, "description", xn_text(r, "Description"));
    if (xn_text(r, "Type")) cJSON_AddStringToObject(w, "type", xn_text(r, "Type"));
    return h;
}

static void map_reservation(struct import_ctx *ctx, const struct xnode *r, const char *source,
                            struct scope_info *si, cJSON *list)
{
    const char *ip_text = xn_text(r, "IPAddress");
    char src[SOURCE_MAX], kea[SOURCE_MAX + 64], why[600] = "", ipbuf[24];
    uint32_t ip;
    uint8_t id[WIN_IDENTIFIER_MAX];
    size_t id_len;
    struct win_status st;
    snprintf(src, sizeof src, "%s/Reservations/Reservation[IPAddress=%s]", source,
             ip_text ? iv_trim(ip_text, ipbuf, sizeof ipbuf) : "");
    if (iv_ipv4(ip_text, &ip) < 0) {
        report_item(&ctx->report, RK_RESERVATION, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "IPAddress is not an IPv4 address");
        return;
    }
    if ((ip & si->mask) != si->network) {
        report_item(&ctx->report, RK_RESERVATION, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "the address is outside the scope %s: Kea refuses such a reservation",
                    si->scope_id);
        return;
    }
    if (!xn_text(r, "ClientId") || iv_hex_bytes(xn_text(r, "ClientId"), id, sizeof id, &id_len) < 0 ||
        client_identifier_check(id, id_len, &st) != 0) {
        report_item(&ctx->report, RK_RESERVATION, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "ClientId must be 1 to 127 bytes of hex (Kea's client-id limit)");
        return;
    }
    struct win_lease lease;
    memset(&lease, 0, sizeof lease);
    client_identifier_to_lease(id, id_len, &lease);
    const char *key = lease.hwaddr_len ? "hw-address" : "client-id";
    char hex[WIN_HEX_TEXT(WIN_IDENTIFIER_MAX)], addr[WIN_IPV4_TEXT];
    if (lease.hwaddr_len) win_hex_format(lease.hwaddr, lease.hwaddr_len, hex);
    else win_hex_format(lease.client_id, lease.client_id_len, hex);
    win_ipv4_format(ip, addr);
    const char *same = same_as_another(list, key, hex, addr);
    if (same) {
        report_item(&ctx->report, RK_RESERVATION, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "another reservation in scope %s has the same %s: Kea refuses a second "
                    "one (the first is kept)", si->scope_id, same);
        return;
    }
    cJSON *h = reservation_host(r, key, hex, addr, why, sizeof why);
    if (!lease.hwaddr_len && !client_identifier_is_iaid_duid(id, id_len))
        add_reason(why, sizeof why, "ClientId is neither a MAC nor an RFC 4361 IAID+DUID: "
                                    "kept as the client-id as given (uncertain match)");
    else if (!lease.hwaddr_len)
        add_reason(why, sizeof why, "RFC 4361 client: only a client-id match honours it");
    if (xn_text(r, "Type") && strcasecmp(xn_text(r, "Type"), "Dhcp") != 0) {
        ctx->need_bootp = 1;
        add_reason(why, sizeof why, "BOOTP clients get Kea's BOOTP support (libdhcp_bootp.so)");
    }
    cJSON_AddItemToArray(list, h);
    snprintf(kea, sizeof kea, "Dhcp4/subnet4[id=%u]/reservations[ip-address=%s]", si->id, addr);
    map_option_values(ctx, xn_child(r, "OptionValues"), src, "reservation", h, kea, si);
    report_item(&ctx->report, RK_RESERVATION, NULL,
                strstr(why, "not a DNS") || strstr(why, "uncertain") ? REPORT_PARTIAL
                                                                     : REPORT_MAPPED,
                src, kea, "%s", why);
}

/* ---- scopes ------------------------------------------------------------------- */

static int scope_fields(struct import_ctx *ctx, const struct xnode *s, const char *src,
                        struct scope_info *si, uint32_t *start, uint32_t *end, uint8_t *prefix)
{
    uint32_t id;
    const char *why = NULL;
    if (iv_ipv4(xn_text(s, "ScopeId"), &id) < 0) why = "ScopeId is not an IPv4 address";
    else if (iv_ipv4(xn_text(s, "SubnetMask"), &si->mask) < 0 ||
             win_mask_to_prefix(si->mask, prefix) < 0 || *prefix == 0 || *prefix > 30)
        why = "SubnetMask is not a contiguous mask of /1 to /30";
    else if ((id & si->mask) != id || id == 0)
        why = "ScopeId is not the network address of its mask";
    else if (iv_ipv4(xn_text(s, "StartRange"), start) < 0 ||
             iv_ipv4(xn_text(s, "EndRange"), end) < 0 || *start > *end ||
             (*start & si->mask) != id || (*end & si->mask) != id)
        why = "StartRange..EndRange is not a range inside the scope";
    for (size_t i = 0; !why && i < ctx->scope_count; i++)
        if (ctx->scopes[i].mapped && ctx->scopes[i].id == id) why = "a scope with this ScopeId came first";
    if (why) {
        report_item(&ctx->report, RK_SCOPE, NULL, REPORT_NOT_MAPPED, src, NULL, "%s: the scope, "
                    "its reservations and its leases are not imported", why);
        return -1;
    }
    si->network = si->id = id;
    win_ipv4_format(id, si->scope_id);
    return 0;
}

/* The scope's fields Kea has no place for, kept in the subnet's user-context. */
static const struct { const char *element, *key; } KEPT[] = {
    {"ScopeId", "scope-id"}, {"Name", "name"}, {"Description", "description"},
    {"State", "state"}, {"Type", "type"}, {"MaxBootpClients", "max-bootp-clients"},
    {"NapEnable", "nap-enable"}, {"NapProfile", "nap-profile"}, {"Delay", "delay"},
    {"ActivatePolicies", "activate-policies"}, {"SuperScopeName", "superscope"},
    {"LeaseDuration", "lease-duration"}};

static cJSON *shared_network(cJSON *dhcp4, const char *name)
{
    cJSON *nets = cJSON_GetObjectItemCaseSensitive(dhcp4, "shared-networks"), *n;
    if (!nets) nets = cJSON_AddArrayToObject(dhcp4, "shared-networks");
    cJSON_ArrayForEach(n, nets)
        if (strcmp(cJSON_GetObjectItem(n, "name")->valuestring, name) == 0)
            return cJSON_GetObjectItem(n, "subnet4");
    n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "name", name);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(n, "user-context"), "windows-superscope",
                            name);
    cJSON_AddItemToArray(nets, n);
    return cJSON_AddArrayToObject(n, "subnet4");
}

/* Whom the subnet serves: inactive (a class no packet joins), BOOTP (Kea's
 * class and library), and what Windows offers that Kea has no form for. */
static void scope_service(struct import_ctx *ctx, const struct xnode *s, cJSON *sub,
                          char *why, size_t why_len)
{
    uint64_t n;
    int flag;
    const char *state = xn_text(s, "State"), *type = xn_text(s, "Type");
    int inactive = state && strncasecmp(state, "Inactive", 8) == 0;
    if (inactive) {
        cJSON_AddStringToObject(sub, "client-class", map_inactive_class(ctx));
        add_reason(why, why_len, "inactive: the subnet serves no client until its "
                                 "client-class line is removed");
    }
    if (type && (strcasecmp(type, "Bootp") == 0 || strcasecmp(type, "Both") == 0)) {
        ctx->need_bootp = 1;
        if (strcasecmp(type, "Bootp") == 0 && !inactive)
            cJSON_AddStringToObject(sub, "client-class", "BOOTP");
        add_reason(why, why_len, "BOOTP served by libdhcp_bootp.so, with infinite leases");
        if (iv_uint(xn_text(s, "MaxBootpClients"), 0xffffffffu, &n) == 0 && n != 0xffffffffu)
            add_reason(why, why_len, "MaxBootpClients has no Kea equivalent");
    }
    if (iv_uint(xn_text(s, "Delay"), 0xffffffffu, &n) == 0 && n > 0)
        add_reason(why, why_len, "Delay (offer delay) has no Kea equivalent");
    if (iv_bool(xn_text(s, "NapEnable"), &flag) == 0 && flag)
        add_reason(why, why_len, "NAP has no Kea equivalent");
}

/* The scope's policies, option values and reservations. */
static void map_scope_contents(struct import_ctx *ctx, const struct xnode *s, const char *src,
                               struct scope_info *si, const char *kea)
{
    cJSON *sub = si->subnet;
    int policies = 1;
    iv_bool(xn_text(s, "ActivatePolicies"), &policies);
    map_policies(ctx, xn_child(s, "Policies"), src, policies, si, sub);
    map_option_values(ctx, xn_child(s, "OptionValues"), src, "scope", sub, kea, si);
    cJSON *res = cJSON_CreateArray();
    for (const struct xnode *r = xn_child(xn_child(s, "Reservations"), "Reservation"); r;
         r = xn_next_same(r))
        map_reservation(ctx, r, src, si, res);
    if (cJSON_GetArraySize(res)) cJSON_AddItemToObject(sub, "reservations", res);
    else cJSON_Delete(res);
}

static void map_scope(struct import_ctx *ctx, const struct xnode *s, struct scope_info *si,
                      cJSON *subnets)
{
    char src[SOURCE_MAX], why[1024] = "", idbuf[24], kea[64];
    uint32_t start, end;
    uint8_t prefix;
    int infinite;
    snprintf(src, sizeof src, "IPv4/Scopes/Scope[ScopeId=%s]",
             xn_text(s, "ScopeId") ? iv_trim(xn_text(s, "ScopeId"), idbuf, sizeof idbuf) : "");
    if (scope_fields(ctx, s, src, si, &start, &end, &prefix) < 0) return;
    if (iv_timespan(xn_text(s, "LeaseDuration"), &si->valid_lifetime, &infinite) < 0) {
        si->valid_lifetime = DEFAULT_LEASE_DURATION;
        add_reason(why, sizeof why, "LeaseDuration unreadable: Windows' default of 8 days used");
    }
    cJSON *sub = cJSON_CreateObject();
    char text[24];
    snprintf(text, sizeof text, "%s/%u", si->scope_id, prefix);
    cJSON_AddNumberToObject(sub, "id", si->id);
    cJSON_AddStringToObject(sub, "subnet", text);
    cJSON_AddNumberToObject(sub, "valid-lifetime", si->valid_lifetime);
    struct range *ex;
    size_t nex = map_exclusions(ctx, s, src, start, end, &ex);
    write_pools(sub, start, end, ex, nex);
    free(ex);
    if (!cJSON_GetArraySize(cJSON_GetObjectItem(sub, "pools")))
        add_reason(why, sizeof why, "the exclusions cover the whole range: no pool (reservations "
                                    "still work)");
    cJSON *w = cJSON_AddObjectToObject(cJSON_AddObjectToObject(sub, "user-context"), "windows");
    for (size_t i = 0; i < sizeof KEPT / sizeof *KEPT; i++) {
        const char *t = xn_text(s, KEPT[i].element);
        if (t) cJSON_AddStringToObject(w, KEPT[i].key, t);
    }
    scope_service(ctx, s, sub, why, sizeof why);
    const char *super = xn_text(s, "SuperScopeName");
    cJSON *into = subnets;
    if (super && *super) {
        into = shared_network(ctx->dhcp4, super);
        add_reason(why, sizeof why, "in the shared network of its superscope (set its "
                                    "interface or relay)");
    }
    cJSON_AddItemToArray(into, sub);
    si->subnet = sub;
    si->mapped = 1;
    snprintf(kea, sizeof kea, "Dhcp4/subnet4[id=%u]", si->id);
    map_scope_contents(ctx, s, src, si, kea);
    report_item(&ctx->report, RK_SCOPE, NULL, why[0] ? REPORT_PARTIAL : REPORT_MAPPED, src, kea,
                "%s", why);
}

int map_scopes(struct import_ctx *ctx)
{
    const struct xnode *scopes = xn_child(xn_child(ctx->tree.root, "IPv4"), "Scopes");
    size_t n = 0;
    for (const struct xnode *s = xn_child(scopes, "Scope"); s; s = xn_next_same(s)) n++;
    ctx->scopes = calloc(n ? n : 1, sizeof *ctx->scopes);
    if (!ctx->scopes) return -1;
    cJSON *subnets = cJSON_AddArrayToObject(ctx->dhcp4, "subnet4");
    for (const struct xnode *s = xn_child(scopes, "Scope"); s; s = xn_next_same(s))
        map_scope(ctx, s, &ctx->scopes[ctx->scope_count++], subnets);
    return 0;
}
