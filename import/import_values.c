/* The export's value formats (windows-export.md section 1.2). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"
#include "value_formats.h"

const char *iv_trim(const char *text, char *buf, size_t len)
{
    if (!text) return NULL;
    while (isspace((unsigned char)*text)) text++;
    size_t n = strlen(text);
    while (n && isspace((unsigned char)text[n - 1])) n--;
    if (n >= len) n = len - 1;
    memcpy(buf, text, n);
    buf[n] = 0;
    return buf;
}

int iv_bool(const char *text, int *out)
{
    char b[16];
    if (!iv_trim(text, b, sizeof b)) return -1;
    if (strcasecmp(b, "true") == 0 || strcmp(b, "1") == 0) *out = 1;
    else if (strcasecmp(b, "false") == 0 || strcmp(b, "0") == 0) *out = 0;
    else return -1;
    return 0;
}

int iv_uint(const char *text, uint64_t max, uint64_t *out)
{
    char b[32], *end;
    if (!iv_trim(text, b, sizeof b) || !b[0] || b[0] == '-' || b[0] == '+') return -1;
    int hex = b[0] == '0' && (b[1] == 'x' || b[1] == 'X');
    if (hex && !isxdigit((unsigned char)b[2])) return -1;
    unsigned long long v = strtoull(b, &end, hex ? 16 : 10);
    if (*end || v > max || (v == ~0ULL && max != ~0ULL)) return -1;
    *out = v;
    return 0;
}

int iv_timespan(const char *text, uint32_t *seconds, int *infinite)
{
    char b[48];
    unsigned long long days = 0, h, m, s;
    int used = 0;
    if (!iv_trim(text, b, sizeof b)) return -1;
    const char *p = b;
    if (*p == '-') return -1;
    /* "d.hh:mm:ss" has a '.' before the first ':' */
    const char *colon = strchr(p, ':'), *dot = strchr(p, '.');
    if (dot && colon && dot < colon) {
        if (sscanf(p, "%llu.%n", &days, &used) != 1 || !used) return -1;
        p += used;
    }
    used = 0;
    if (sscanf(p, "%2llu:%2llu:%2llu%n", &h, &m, &s, &used) != 3 || h > 23 || m > 59 ||
        s > 59)
        return -1;
    p += used;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return -1;
        while (isdigit((unsigned char)*p)) p++;
    }
    if (*p) return -1;
    *infinite = 0;
    if (days > 50000) {   /* beyond 2^32 s whatever the rest */
        *infinite = 1;
        *seconds = 0xffffffffu;
        return 0;
    }
    unsigned long long total = days * 86400 + h * 3600 + m * 60 + s;
    if (total >= 0xffffffffULL) {
        *infinite = 1;
        total = 0xffffffffULL;
    }
    *seconds = (uint32_t)total;
    return 0;
}

int iv_ipv4(const char *text, uint32_t *out)
{
    char b[24];
    if (!iv_trim(text, b, sizeof b)) return -1;
    return win_ipv4_parse(b, out);
}

int iv_hex_bytes(const char *text, uint8_t *out, size_t max, size_t *len)
{
    char b[WIN_HEX_TEXT(256) + 8];
    if (!iv_trim(text, b, sizeof b)) return -1;
    return win_hex_parse(b, out, max, len);
}

void iv_slug(const char *text, char *out, size_t len)
{
    size_t o = 0;
    int dash = 0;
    for (const char *p = text; *p && o + 1 < len; p++) {
        if (isalnum((unsigned char)*p)) {
            if (dash && o) out[o++] = '-';
            if (o + 1 < len) out[o++] = (char)tolower((unsigned char)*p);
            dash = 0;
        } else {
            dash = 1;
        }
    }
    if (!o) out[o++] = 'x';
    out[o] = 0;
}

enum win_option_type iv_option_type(const char *text)
{
    static const struct { const char *name; enum win_option_type type; } T[] = {
        {"Byte", WT_BYTE}, {"Word", WT_WORD}, {"DWord", WT_DWORD},
        {"DWordDWord", WT_DWORDDWORD}, {"IPv4Address", WT_IPV4}, {"IPv6Address", WT_IPV6},
        {"String", WT_STRING}, {"BinaryData", WT_BINARY},
        {"EncapsulatedData", WT_ENCAPSULATED}};
    char b[32];
    if (!iv_trim(text, b, sizeof b)) return WT_UNKNOWN;
    for (size_t i = 0; i < sizeof T / sizeof *T; i++)
        if (strcasecmp(b, T[i].name) == 0) return T[i].type;
    return WT_UNKNOWN;
}
