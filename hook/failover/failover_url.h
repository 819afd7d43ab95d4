/* The URLs of a failover relationship's peers, parsed strictly: Kea HA
 * refuses what it cannot use only when it loads, and a failed load makes
 * kea-dhcp4 exit, so nothing doubtful may reach its configuration. */
#ifndef FAILOVER_URL_H
#define FAILOVER_URL_H

#include <stddef.h>

#define FO_URL_HOST_MAX 256

enum fo_url_host { FO_URL_IPV4, FO_URL_IPV6, FO_URL_NAME };

struct fo_url {
    int https;                      /* 1 for https://, 0 for http:// */
    enum fo_url_host host_kind;
    char host[FO_URL_HOST_MAX];     /* as written, an IPv6 one without its brackets */
    unsigned port;                  /* 0 when the URL names none */
};

/* scheme http or https, a host (IPv4, bracketed IPv6 or a DNS name), an
 * optional port 1-65535, a path "/" or none, nothing else: 0 with *out
 * filled, or -1 with the reason in why (size bytes). */
int fo_url_parse(const char *text, struct fo_url *out, char *why, size_t size);

/* Whether Kea HA runs a peer at this URL: fo_url_parse's rules, an address
 * (HA takes no name), https with TLS material (has_tls) and http without. 0, or -1
 * with a sentence naming field in why. */
int fo_url_check_peer(const char *field, const char *text, int has_tls, char *why,
                      size_t size);

#endif
