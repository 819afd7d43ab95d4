#include "value_formats.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int win_ipv4_parse(const char *text, uint32_t *out)
{
    uint32_t addr = 0;
    const char *p = text;
    for (int part = 0; part < 4; part++) {
        if (!is_digit(*p)) return -1;
        /* No leading zeros: "010" would be octal to inet_aton. */
        if (p[0] == '0' && is_digit(p[1])) return -1;
        unsigned value = 0;
        int digits = 0;
        while (is_digit(*p)) {
            if (++digits > 3) return -1;
            value = value * 10 + (unsigned)(*p++ - '0');
        }
        if (value > 255) return -1;
        addr = (addr << 8) | value;
        if (part < 3 && *p++ != '.') return -1;
    }
    if (*p != '\0') return -1;
    *out = addr;
    return 0;
}

/* By hand: every record and message formats addresses, and snprintf costs
 * more than the rest of a record's encoding. */
void win_ipv4_format(uint32_t addr, char out[WIN_IPV4_TEXT])
{
    char *p = out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned octet = (addr >> shift) & 0xFF;
        if (octet >= 100) *p++ = (char)('0' + octet / 100);
        if (octet >= 10) *p++ = (char)('0' + octet / 10 % 10);
        *p++ = (char)('0' + octet % 10);
        *p++ = shift ? '.' : '\0';
    }
}

int win_mask_to_prefix(uint32_t mask, uint8_t *prefix_len)
{
    uint32_t inverted = ~mask;
    /* Contiguous ones from the top means the inverse is 2^k - 1. */
    if ((inverted & (inverted + 1)) != 0) return -1;
    uint8_t len = 0;
    while (len < 32 && (mask & (0x80000000u >> len))) len++;
    *prefix_len = len;
    return 0;
}

uint32_t win_prefix_to_mask(uint8_t prefix_len)
{
    if (prefix_len == 0) return 0;
    if (prefix_len >= 32) return 0xFFFFFFFFu;
    return 0xFFFFFFFFu << (32 - prefix_len);
}

int win_hex_parse(const char *text, uint8_t *out, size_t max, size_t *len)
{
    size_t n = 0;
    const char *p = text;
    char sep = 0;
    if (strchr(text, ':')) sep = ':';
    else if (strchr(text, '-')) sep = '-';

    if (!sep) {
        size_t chars = strlen(text);
        if (chars == 0 || chars % 2 != 0 || chars / 2 > max) return -1;
        for (; *p; p += 2) {
            int hi = hex_value(p[0]), lo = hex_value(p[1]);
            if (hi < 0 || lo < 0) return -1;
            out[n++] = (uint8_t)(hi << 4 | lo);
        }
        *len = n;
        return 0;
    }
    for (;;) {
        int hi = hex_value(*p);
        if (hi < 0) return -1;
        int value = hi;
        p++;
        int lo = hex_value(*p);
        if (lo >= 0) {
            value = hi << 4 | lo;
            p++;
        }
        if (n == max) return -1;
        out[n++] = (uint8_t)value;
        if (*p == '\0') break;
        if (*p != sep) return -1;
        p++;
    }
    *len = n;
    return 0;
}

void win_hex_format(const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    char *o = out;
    for (size_t i = 0; i < len; i++) {
        if (i) *o++ = ':';
        *o++ = digits[bytes[i] >> 4];
        *o++ = digits[bytes[i] & 0xF];
    }
    *o = '\0';
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * civil-from-days algorithm, inverted). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int read_digits(const char **p, int count, int *value)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (!is_digit((*p)[i])) return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += count;
    *value = v;
    return 0;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

int win_datetime_parse(const char *text, int64_t *seconds, int *infinite)
{
    *infinite = 0;
    if (strcmp(text, "infinite") == 0) {
        *infinite = 1;
        *seconds = 0;
        return 0;
    }
    const char *p = text;
    int year, month, day, hour, minute, second;
    if (read_digits(&p, 4, &year) || *p++ != '-' || read_digits(&p, 2, &month) ||
        *p++ != '-' || read_digits(&p, 2, &day))
        return -1;
    if (*p != 'T' && *p != 't' && *p != ' ') return -1;
    p++;
    if (read_digits(&p, 2, &hour) || *p++ != ':' || read_digits(&p, 2, &minute) ||
        *p++ != ':' || read_digits(&p, 2, &second))
        return -1;
    if (*p == '.' || *p == ',') {
        p++;
        if (!is_digit(*p)) return -1;
        while (is_digit(*p)) p++;  /* sub-second precision is dropped */
    }
    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh, om = 0;
        if (read_digits(&p, 2, &oh)) return -1;
        if (*p == ':') {
            p++;
            if (read_digits(&p, 2, &om)) return -1;
        } else if (is_digit(*p)) {
            if (read_digits(&p, 2, &om)) return -1;
        }
        if (oh > 23 || om > 59) return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;  /* a time without a zone is ambiguous */
    }
    if (*p != '\0') return -1;
    if (year < 1970 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59)
        return -1;
    int64_t t = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 +
                hour * 3600 + minute * 60 + second - offset;
    if (t < 0) return -1;
    *seconds = t;
    return 0;
}

void win_datetime_format(int64_t seconds, char out[WIN_DATETIME_TEXT])
{
    int64_t days = seconds / 86400, rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, WIN_DATETIME_TEXT, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
        return;
    }
    /* The common case by hand, as for addresses: one per record. */
    unsigned fields[] = {(unsigned)y / 100, (unsigned)y % 100, m, d, (unsigned)(rem / 3600),
                         (unsigned)(rem / 60 % 60), (unsigned)(rem % 60)};
    static const char after[] = "\0--T::Z";
    char *p = out;
    for (size_t i = 0; i < 7; i++) {
        *p++ = (char)('0' + fields[i] / 10);
        *p++ = (char)('0' + fields[i] % 10);
        if (after[i]) *p++ = after[i];
    }
    *p = '\0';
}

int win_utf8_valid(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        unsigned c = *s;
        int extra;
        unsigned min;
        if (c < 0x80) { s++; continue; }
        if ((c & 0xE0) == 0xC0) { extra = 1; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { extra = 2; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { extra = 3; min = 0x10000; c &= 0x07; }
        else return 0;
        s++;
        for (int i = 0; i < extra; i++, s++) {
            if ((*s & 0xC0) != 0x80) return 0;
            c = (c << 6) | (*s & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    }
    return 1;
}

int win_is_dns_name(const char *text)
{
    size_t total = strlen(text), label = 0;
    if (!total || total > WIN_DNS_NAME_MAX) return 0;
    for (const char *p = text;; p++) {
        if (*p == '.' || !*p) {
            if (label == 0 || label > WIN_DNS_LABEL_MAX || p[-1] == '-') return 0;
            if (!*p) return 1;
            label = 0;
            continue;
        }
        if (!(isalnum((unsigned char)*p) || (*p == '-' && label > 0))) return 0;
        label++;
    }
}
