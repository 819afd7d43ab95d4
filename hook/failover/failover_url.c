/* Strict peer URLs (see failover_url.h). */
#include "failover_url.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define DNS_NAME_MAX 253
#define DNS_LABEL_MAX 63
#define PORT_MAX 65535u

static int fail(char *why, size_t size, const char *text)
{
    snprintf(why, size, "%s", text);
    return -1;
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A DNS name: labels of letters, digits and inner hyphens, the last one not
 * all digits (that would be a malformed address). */
static int dns_name_ok(const char *host, size_t len)
{
    if (len == 0 || len > DNS_NAME_MAX) return 0;
    size_t label = 0;
    int digits_only = 1;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? host[i] : '.';
        if (c == '.') {
            if (label == 0 || label > DNS_LABEL_MAX || host[i - 1] == '-') return 0;
            if (i == len) return !digits_only;
            label = 0;
            digits_only = 1;
            continue;
        }
        if (!is_alnum(c) && !(c == '-' && label > 0)) return 0;
        if (c < '0' || c > '9') digits_only = 0;
        label++;
    }
    return 0;
}

/* The host part at *p, up to ':' or '/' or the end. */
static int parse_host(const char **p, struct fo_url *out, char *why, size_t size)
{
    const char *s = *p;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        size_t len = close ? (size_t)(close - s - 1) : 0;
        struct in6_addr a6;
        if (!close || len == 0 || len >= sizeof out->host)
            return fail(why, size, "an IPv6 host must be written in brackets, [2001:db8::1]");
        memcpy(out->host, s + 1, len);
        out->host[len] = '\0';
        if (inet_pton(AF_INET6, out->host, &a6) != 1)
            return fail(why, size, "the bracketed host is not an IPv6 address");
        out->host_kind = FO_URL_IPV6;
        *p = close + 1;
        return 0;
    }
    size_t len = strcspn(s, ":/");
    if (len == 0) return fail(why, size, "it names no host");
    if (len >= sizeof out->host) return fail(why, size, "its host is too long");
    memcpy(out->host, s, len);
    out->host[len] = '\0';
    *p = s + len;
    if (strspn(out->host, "0123456789.") == len) {
        struct in_addr a4;
        if (inet_pton(AF_INET, out->host, &a4) != 1)
            return fail(why, size, "its host is not an IPv4 address (four numbers 0-255)");
        out->host_kind = FO_URL_IPV4;
        return 0;
    }
    if (!dns_name_ok(out->host, len))
        return fail(why, size,
                    "its host is neither an address nor a DNS name (letters, digits, "
                    "hyphens and dots only)");
    out->host_kind = FO_URL_NAME;
    return 0;
}

int fo_url_parse(const char *text, struct fo_url *out, char *why, size_t size)
{
    memset(out, 0, sizeof *out);
    const char *p = text;
    if (strncmp(p, "http://", 7) == 0) {
        p += 7;
    } else if (strncmp(p, "https://", 8) == 0) {
        out->https = 1;
        p += 8;
    } else {
        return fail(why, size, "it must start with http:// or https://");
    }
    if (parse_host(&p, out, why, size) < 0) return -1;
    if (*p == ':') {
        unsigned port = 0;
        size_t digits = 0;
        for (p++; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
            port = port * 10 + (unsigned)(*p - '0');
        if (digits == 0 || digits > 5 || port == 0 || port > PORT_MAX)
            return fail(why, size, "its port must be a number from 1 to 65535");
        out->port = port;
    }
    if (*p == '\0' || strcmp(p, "/") == 0) return 0;
    return fail(why, size,
                *p == '/' ? "its path must be \"/\" or nothing (no path, query or fragment)"
                          : "it has characters after the host and port");
}

int fo_url_check_peer(const char *field, const char *text, int has_tls, char *why,
                      size_t size)
{
    struct fo_url url;
    char reason[160];
    if (fo_url_parse(text, &url, reason, sizeof reason) < 0) {
        snprintf(why, size, "%s '%.200s' is not a URL Kea HA can use: %s", field, text, reason);
        return -1;
    }
    if (url.host_kind == FO_URL_NAME) {
        snprintf(why, size,
                 "%s '%.200s' names a host; Kea HA takes an IP address in a peer URL "
                 "(http://192.0.2.1:8000/ or http://[2001:db8::1]:8000/)", field, text);
        return -1;
    }
    if (url.https && !has_tls) {
        snprintf(why, size,
                 "%s '%.200s' uses https, but TLS is not configured for this relationship "
                 "(no trust-anchor, cert-file, key-file): Kea HA refuses https without TLS "
                 "and kea-dhcp4 would stop; use http://", field, text);
        return -1;
    }
    if (!url.https && has_tls) {
        snprintf(why, size,
                 "%s '%.200s' uses http, but the relationship has TLS material: Kea HA "
                 "would speak TLS to a plain-http endpoint; use https://", field, text);
        return -1;
    }
    return 0;
}
