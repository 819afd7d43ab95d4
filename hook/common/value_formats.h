/* Text forms of the values the commands exchange: IPv4 addresses and masks,
 * hardware addresses / client identifiers, ISO 8601 date-times. Parsers return
 * 0 on success and -1 on malformed input; they never read past the NUL. */
#ifndef VALUE_FORMATS_H
#define VALUE_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#define WIN_IPV4_TEXT 16
#define WIN_DATETIME_TEXT 32
#define WIN_IDENTIFIER_MAX 255
/* "xx:" per byte */
#define WIN_HEX_TEXT(n) ((n) * 3 + 1)

int win_ipv4_parse(const char *text, uint32_t *out);
void win_ipv4_format(uint32_t addr, char out[WIN_IPV4_TEXT]);

/* A contiguous netmask to its prefix length. */
int win_mask_to_prefix(uint32_t mask, uint8_t *prefix_len);
uint32_t win_prefix_to_mask(uint8_t prefix_len);

/* "00:11:22", "00-11-22" or "001122": 1 to max bytes. */
int win_hex_parse(const char *text, uint8_t *out, size_t max, size_t *len);
/* Lower-case, colon separated; out holds WIN_HEX_TEXT(len) bytes. */
void win_hex_format(const uint8_t *bytes, size_t len, char *out);

/* ISO 8601 UTC: "2026-11-21T10:00:00Z", "2026-11-21 10:00:00Z", optional
 * fraction, "Z" or a numeric offset (+01:00, +0100, +01). "infinite" sets
 * *infinite. Years 1970 to 9999. */
int win_datetime_parse(const char *text, int64_t *seconds, int *infinite);
void win_datetime_format(int64_t seconds, char out[WIN_DATETIME_TEXT]);

/* A DNS name Kea can hold as a hostname: LDH labels (letters, digits, inner
 * hyphens) of 1-63, 253 in all. */
#define WIN_DNS_NAME_MAX 253
#define WIN_DNS_LABEL_MAX 63
int win_is_dns_name(const char *text);

/* 1 when text is well-formed UTF-8 without NUL. */
int win_utf8_valid(const char *text);

#endif
