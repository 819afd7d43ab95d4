/* IPv4, netmask, hex identifier, ISO 8601 and UTF-8 forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "value_formats.h"

static void ipv4_accepts_dotted_quads(void **state)
{
    (void)state;
    uint32_t a;
    assert_int_equal(win_ipv4_parse("192.0.2.10", &a), 0);
    assert_int_equal(a, 0xC000020A);
    assert_int_equal(win_ipv4_parse("0.0.0.0", &a), 0);
    assert_int_equal(a, 0);
    assert_int_equal(win_ipv4_parse("255.255.255.255", &a), 0);
    assert_int_equal(a, 0xFFFFFFFF);
    char text[WIN_IPV4_TEXT];
    win_ipv4_format(0xC000020A, text);
    assert_string_equal(text, "192.0.2.10");
    /* The hand-written formatter against printf, every octet width. */
    for (uint64_t v = 0; v <= 0xFFFFFFFFu; v += 0x00FEDCBAu + (v & 0xFF)) {
        char expected[WIN_IPV4_TEXT];
        uint32_t addr = (uint32_t)v;
        snprintf(expected, sizeof expected, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xFF,
                 (addr >> 8) & 0xFF, addr & 0xFF);
        win_ipv4_format(addr, text);
        assert_string_equal(text, expected);
    }
    win_ipv4_format(0xFFFFFFFFu, text);
    assert_string_equal(text, "255.255.255.255");
    win_ipv4_format(0x0A006409u, text);
    assert_string_equal(text, "10.0.100.9");
}

static void ipv4_refuses_everything_else(void **state)
{
    (void)state;
    const char *bad[] = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4",
                         "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.-4", "1.2.3.4/24",
                         "1234.1.1.1", "::1", "1.2.3.4\n"};
    uint32_t a;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(win_ipv4_parse(bad[i], &a), -1);
}

static void masks_must_be_contiguous(void **state)
{
    (void)state;
    uint8_t len;
    assert_int_equal(win_mask_to_prefix(0xFFFFFF00, &len), 0);
    assert_int_equal(len, 24);
    assert_int_equal(win_mask_to_prefix(0, &len), 0);
    assert_int_equal(len, 0);
    assert_int_equal(win_mask_to_prefix(0xFFFFFFFF, &len), 0);
    assert_int_equal(len, 32);
    assert_int_equal(win_mask_to_prefix(0xFF00FF00, &len), -1);
    assert_int_equal(win_mask_to_prefix(0x00FFFFFF, &len), -1);
    assert_int_equal(win_prefix_to_mask(24), 0xFFFFFF00);
    assert_int_equal(win_prefix_to_mask(0), 0);
    assert_int_equal(win_prefix_to_mask(32), 0xFFFFFFFF);
}

static void hex_accepts_the_three_windows_forms(void **state)
{
    (void)state;
    const char *forms[] = {"00:11:22:aa:BB:cc", "00-11-22-AA-bb-CC", "001122aabbcc"};
    for (size_t i = 0; i < 3; i++) {
        uint8_t out[255];
        size_t len;
        assert_int_equal(win_hex_parse(forms[i], out, 255, &len), 0);
        assert_int_equal(len, 6);
        assert_int_equal(out[0], 0x00);
        assert_int_equal(out[3], 0xAA);
        assert_int_equal(out[5], 0xCC);
        char text[WIN_HEX_TEXT(6)];
        win_hex_format(out, len, text);
        assert_string_equal(text, "00:11:22:aa:bb:cc");
    }
    uint8_t one[1];
    size_t len;
    assert_int_equal(win_hex_parse("7", one, 1, &len), -1); /* odd plain digits */
    assert_int_equal(win_hex_parse("07", one, 1, &len), 0);
    assert_int_equal(len, 1);
    assert_int_equal(win_hex_parse("1:2:3", one, 1, &len), -1); /* over max */
}

static void hex_refuses_malformed(void **state)
{
    (void)state;
    const char *bad[] = {"", "0g", "00:11:", ":00", "00::11", "00:11-22", "001",
                         "00 11", "000:11", "00-", "zz"};
    uint8_t out[255];
    size_t len;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(win_hex_parse(bad[i], out, 255, &len), -1);
}

static void hex_length_limit_is_enforced(void **state)
{
    (void)state;
    char text[256 * 3];
    size_t n = 0;
    for (int i = 0; i < 256; i++) n += (size_t)snprintf(text + n, sizeof text - n, i ? ":%02x" : "%02x", i & 0xFF);
    uint8_t out[255];
    size_t len;
    assert_int_equal(win_hex_parse(text, out, 255, &len), -1);
    text[255 * 3 - 1] = '\0'; /* 255 bytes */
    assert_int_equal(win_hex_parse(text, out, 255, &len), 0);
    assert_int_equal(len, 255);
}

static void datetimes_in_every_accepted_form(void **state)
{
    (void)state;
    int64_t t;
    int inf;
    const char *same[] = {"2026-11-21T10:00:00Z", "2026-11-21 10:00:00Z",
                          "2026-11-21t10:00:00z", "2026-11-21T11:00:00+01:00",
                          "2026-11-21T11:00:00+0100", "2026-11-21T11:00:00+01",
                          "2026-11-21T08:30:00-01:30", "2026-11-21T10:00:00.999Z"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(win_datetime_parse(same[i], &t, &inf), 0);
        assert_int_equal(inf, 0);
        assert_int_equal(t, 1795255200);
    }
    assert_int_equal(win_datetime_parse("infinite", &t, &inf), 0);
    assert_int_equal(inf, 1);
    assert_int_equal(win_datetime_parse("1970-01-01T00:00:00Z", &t, &inf), 0);
    assert_int_equal(t, 0);
    assert_int_equal(win_datetime_parse("2024-02-29T00:00:00Z", &t, &inf), 0);
    assert_int_equal(win_datetime_parse("2000-02-29T00:00:00Z", &t, &inf), 0);
}

static void datetimes_refused(void **state)
{
    (void)state;
    const char *bad[] = {"", "2026-11-21", "2026-11-21T10:00:00", "2026-11-21T10:00Z",
                         "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
                         "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                         "2026-11-21T24:00:00Z", "2026-11-21T10:60:00Z",
                         "2026-11-21T10:00:60Z", "1969-12-31T23:59:59Z",
                         "2026-11-21T10:00:00+24:00", "2026-11-21T10:00:00Zjunk",
                         "2026-11-21X10:00:00Z", "Infinite", "2026-11-21T10:00:00.Z",
                         "+2026-11-21T10:00:00Z", "1970-01-01T00:00:00+01:00"};
    int64_t t;
    int inf;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(win_datetime_parse(bad[i], &t, &inf), -1);
}

static void datetime_format_round_trips(void **state)
{
    (void)state;
    const int64_t samples[] = {0, 951782400 /* 2000-02-29 */, 1795255200, 4102444799,
                               253402300799 /* 9999-12-31T23:59:59Z */};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char text[WIN_DATETIME_TEXT];
        win_datetime_format(samples[i], text);
        int64_t back;
        int inf;
        assert_int_equal(win_datetime_parse(text, &back, &inf), 0);
        assert_int_equal(back, samples[i]);
    }
    char text[WIN_DATETIME_TEXT];
    win_datetime_format(1795255200, text);
    assert_string_equal(text, "2026-11-21T10:00:00Z");
    win_datetime_format(951782400 + 3600 * 13 + 60 * 5 + 9, text);
    assert_string_equal(text, "2000-02-29T13:05:09Z");
    win_datetime_format(253402300799, text);
    assert_string_equal(text, "9999-12-31T23:59:59Z");
    win_datetime_format(253402300800, text); /* past what the fast path writes */
    assert_string_equal(text, "10000-01-01T00:00:00Z");
}

static void utf8_validation(void **state)
{
    (void)state;
    assert_true(win_utf8_valid("plain"));
    assert_true(win_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    assert_false(win_utf8_valid("\xff"));
    assert_false(win_utf8_valid("\xc3"));            /* truncated */
    assert_false(win_utf8_valid("\xc0\xaf"));        /* overlong */
    assert_false(win_utf8_valid("\xed\xa0\x80"));    /* surrogate */
    assert_false(win_utf8_valid("\xf4\x90\x80\x80")); /* beyond U+10FFFF */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_accepts_dotted_quads),
        cmocka_unit_test(ipv4_refuses_everything_else),
        cmocka_unit_test(masks_must_be_contiguous),
        cmocka_unit_test(hex_accepts_the_three_windows_forms),
        cmocka_unit_test(hex_refuses_malformed),
        cmocka_unit_test(hex_length_limit_is_enforced),
        cmocka_unit_test(datetimes_in_every_accepted_form),
        cmocka_unit_test(datetimes_refused),
        cmocka_unit_test(datetime_format_round_trips),
        cmocka_unit_test(utf8_validation),
    };
    return cmocka_run_group_tests_name("value_formats", tests, NULL, NULL);
}
