/* The identifier rule: Windows' ClientHardwareAddress <-> Kea's hw-address and
 * client-id, at every edge length and DUID type, and through the commands
 * (create, get, search, conflicts, reservations, records stored before it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "client_identifier.h"
#include "fake_host.h"
#include "value_formats.h"
#include "win_errors.h"

/* systemd-networkd's id from the real export: IAID 9f6e8524, DUID-EN. */
#define NETWORKD "9f:6e:85:24:00:02:00:00:ab:11:e9:de:6e:20:ee:65:29:ba"
#define NETWORKD_KEA "ff:" NETWORKD

/* Hex bytes; spaces only group them for the reader. */
static size_t hex(const char *text, uint8_t *out)
{
    char packed[600];
    size_t n = 0, len = 0;
    for (; *text && n + 1 < sizeof packed; text++)
        if (*text != ' ') packed[n++] = *text;
    packed[n] = '\0';
    assert_int_equal(win_hex_parse(packed, out, 255, &len), 0);
    return len;
}

static int iaid_duid(const char *text)
{
    uint8_t b[255];
    return client_identifier_is_iaid_duid(b, hex(text, b));
}

static void duid_types_and_lengths(void **state)
{
    (void)state;
    /* LLT: type 1, ethernet, time, 6-byte MAC: 4 + 14 bytes exactly. */
    assert_true(iaid_duid("01020304 0001 0001 27 9c 3c b3 00 50 56 ae 61 ca"));
    assert_false(iaid_duid("01020304 0001 0001 27 9c 3c b3 00 50 56 ae 61"));
    assert_false(iaid_duid("01020304 0001 0001 27 9c 3c b3 00 50 56 ae 61 ca 00"));
    /* LLT with another hardware type: any link-layer address of 1 byte or more. */
    assert_true(iaid_duid("01020304 0001 0006 27 9c 3c b3 aa"));
    assert_false(iaid_duid("01020304 0001 0006 27 9c 3c b3"));
    /* EN: enterprise number and at least one byte. */
    assert_true(iaid_duid(NETWORKD));
    assert_true(iaid_duid("01020304 0002 00 00 ab 11 01"));
    assert_false(iaid_duid("01020304 0002 00 00 ab 11"));
    /* LL: ethernet 6 bytes exactly. */
    assert_true(iaid_duid("01020304 0003 0001 00 50 56 ae 61 ca"));
    assert_false(iaid_duid("01020304 0003 0001 00 50 56 ae 61"));
    assert_false(iaid_duid("01020304 0003 0001 00 50 56 ae 61 ca cb"));
    /* UUID: 16 bytes exactly. */
    assert_true(iaid_duid("01020304 0004 00112233445566778899aabbccddeeff"));
    assert_false(iaid_duid("01020304 0004 00112233445566778899aabbccddee"));
    assert_false(iaid_duid("01020304 0004 00112233445566778899aabbccddeeff00"));
    /* Unknown types, too short to hold a type. */
    assert_false(iaid_duid("01020304 0005 00112233445566778899aabbccddeeff"));
    assert_false(iaid_duid("01020304 0000 0001 00 50 56 ae 61 ca"));
    assert_false(iaid_duid("01020304 00"));
    assert_false(iaid_duid("00 11 22 33 44 55"));
}

static void input_rule(void **state)
{
    (void)state;
    uint8_t b[255];
    struct win_lease l;
    size_t n;
    struct win_status st;
    /* 6 bytes: the MAC, even when they could start a DUID. */
    memset(&l, 0, sizeof l);
    n = hex("01:02:03:04:00:02", b);
    client_identifier_to_lease(b, n, &l);
    assert_int_equal(l.hwaddr_len, 6);
    assert_int_equal(l.client_id_len, 0);
    /* IAID + DUID: ff + the bytes. */
    memset(&l, 0, sizeof l);
    n = hex(NETWORKD, b);
    client_identifier_to_lease(b, n, &l);
    assert_int_equal(l.hwaddr_len, 0);
    assert_int_equal(l.client_id_len, 19);
    assert_int_equal(l.client_id[0], 0xff);
    assert_memory_equal(l.client_id + 1, b, 18);
    /* Anything else: as given. */
    memset(&l, 0, sizeof l);
    n = hex("01:00:11:22:33:44:55", b);
    client_identifier_to_lease(b, n, &l);
    assert_int_equal(l.client_id_len, 7);
    assert_memory_equal(l.client_id, b, 7);
    /* Lengths Kea can hold: 2..128 as a client-id, the ff counted. */
    assert_int_equal(client_identifier_check(b, 1, &st), -1);
    assert_int_equal(client_identifier_check(b, 2, &st), 0);
    memset(b, 0x61, sizeof b);
    assert_int_equal(client_identifier_check(b, 128, &st), 0);
    assert_int_equal(client_identifier_check(b, 129, &st), -1);
    n = hex("01020304 0002 00 00 ab 11", b); /* EN id padded to 127 and 128 bytes */
    memset(b + n, 0x42, 255 - n);
    assert_int_equal(client_identifier_check(b, 127, &st), 0);
    assert_int_equal(client_identifier_check(b, 128, &st), -1);
    assert_non_null(strstr(st.text, "ff type byte"));
}

static void show(const struct win_lease *l, const char *expected)
{
    const uint8_t *id;
    size_t len;
    char text[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX)];
    client_identifier_of_lease(l, &id, &len);
    win_hex_format(id, len, text);
    assert_string_equal(text, expected);
}

static void output_rule(void **state)
{
    (void)state;
    struct win_lease l;
    memset(&l, 0, sizeof l);
    l.hwaddr_len = hex("aa:bb:cc:dd:ee:ff", l.hwaddr);
    show(&l, "aa:bb:cc:dd:ee:ff");                       /* no client-id: the MAC */
    l.client_id_len = (uint8_t)hex("01:00:11:22:33:44:55", l.client_id);
    show(&l, "00:11:22:33:44:55");                       /* 01 + 6 bytes: that MAC */
    l.client_id_len = (uint8_t)hex(NETWORKD_KEA, l.client_id);
    show(&l, NETWORKD);                                  /* ff + X: X */
    l.client_id_len = (uint8_t)hex("00:68:6f:73:74", l.client_id);
    show(&l, "00:68:6f:73:74");                          /* another: as it is */
    l.client_id_len = (uint8_t)hex("01:00:11:22:33:44", l.client_id);
    show(&l, "01:00:11:22:33:44");                       /* 01 + 5 bytes: as it is */
}

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 3600);
    return 0;
}

static const char *hardware_address_of(const char *search)
{
    static char text[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX)];
    cJSON *a = call("win-client-info-vq-get", search);
    if (answer_code(a) != 0) fail_msg("%s -> %s", search, answer_text(a));
    const cJSON *client = cJSON_GetObjectItem(answer_args(a), "client");
    snprintf(text, sizeof text, "%s",
             cJSON_GetStringValue(cJSON_GetObjectItem(client, "client-hardware-address")));
    cJSON_Delete(a);
    return text;
}

static int create(const char *ip, const char *id)
{
    char args[512];
    snprintf(args, sizeof args, "{\"client-ip-address\":\"%s\",\"client-hardware-address\":\"%s\"}",
             ip, id);
    cJSON *a = call("win-client-info-vq-create", args);
    int code = answer_code(a);
    cJSON_Delete(a);
    return code;
}

static void records_and_dhcp_leases_read_back_in_the_windows_form(void **state)
{
    (void)state;
    assert_int_equal(create("192.0.2.10", NETWORKD), 0);
    struct win_lease *l = fake_find_lease("192.0.2.10");
    assert_int_equal(l->client_id_len, 19);
    assert_string_equal(hardware_address_of("{\"client-ip-address\":\"192.0.2.10\"}"), NETWORKD);
    /* A lease Kea gave an RFC 4361 client (its MAC, and ff + IAID + DUID). */
    fake_add_lease("192.0.2.20", 1, "52:54:00:12:34:56",
                   "ff:00:00:00:01:00:03:00:01:52:54:00:12:34:56", NULL, NULL);
    assert_string_equal(hardware_address_of("{\"client-ip-address\":\"192.0.2.20\"}"),
                        "00:00:00:01:00:03:00:01:52:54:00:12:34:56");
    /* Found by the Windows form, the whole client-id, or the MAC. */
    const char *searches[] = {
        "{\"client-hardware-address\":\"00:00:00:01:00:03:00:01:52:54:00:12:34:56\"}",
        "{\"client-hardware-address\":\"ff:00:00:00:01:00:03:00:01:52:54:00:12:34:56\"}",
        "{\"client-hardware-address\":\"52-54-00-12-34-56\"}"};
    for (size_t i = 0; i < 3; i++) {
        cJSON *a = call("win-client-info-vq-get", searches[i]);
        assert_int_equal(answer_code(a), 0);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                                cJSON_GetObjectItem(answer_args(a), "client"),
                                "client-ip-address")),
                            "192.0.2.20");
        cJSON_Delete(a);
    }
    /* A Windows client's DHCP lease (01 + MAC) is found by its MAC and shows it. */
    fake_add_lease("192.0.2.21", 1, "00:15:5d:01:02:03", "01:00:15:5d:01:02:03", NULL, NULL);
    assert_string_equal(hardware_address_of("{\"client-hardware-address\":\"00155d010203\"}"),
                        "00:15:5d:01:02:03");
}

static void the_same_client_conflicts_whoever_made_its_lease(void **state)
{
    (void)state;
    /* The RFC 4361 client already has a lease from Kea in subnet 1. */
    fake_add_lease("192.0.2.30", 1, "52:54:00:aa:bb:cc", NETWORKD_KEA, NULL, NULL);
    cJSON *a = call("win-client-info-vq-create",
                    "{\"client-ip-address\":\"192.0.2.31\",\"client-hardware-address\":\"" NETWORKD
                    "\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_CLIENT_EXISTS);
    assert_non_null(strstr(answer_text(a), NETWORKD));
    assert_non_null(strstr(answer_text(a), "192.0.2.30"));
    cJSON_Delete(a);
    /* The same client in another subnet, and another client with that MAC, are fine. */
    assert_int_equal(create("198.51.100.31", NETWORKD), 0);
    assert_int_equal(create("192.0.2.32", "52:54:00:aa:bb:cc"), 0);
    /* A Windows client's lease (01 + MAC) and a record of its MAC are one client. */
    fake_add_lease("192.0.2.40", 1, "00:15:5d:0a:0b:0c", "01:00:15:5d:0a:0b:0c", NULL, NULL);
    assert_int_equal(create("192.0.2.41", "00-15-5d-0a-0b-0c"), ERROR_DHCP_CLIENT_EXISTS);
}

static void reservations_name_the_client_in_any_form(void **state)
{
    (void)state;
    uint8_t b[255];
    size_t n = hex(NETWORKD_KEA, b);
    char kea_form[WIN_HEX_TEXT(255)];
    win_hex_format(b, n, kea_form);
    /* Reserved for this RFC 4361 client (client-id ff + IAID + DUID): ours. */
    fake_add_reservation(1, "192.0.2.50", WIN_IDENT_CLIENT_ID, kea_form);
    assert_int_equal(create("192.0.2.50", NETWORKD), 0);
    /* Reserved for it: another client may not take the address. */
    fake_add_reservation(1, "192.0.2.51", WIN_IDENT_CLIENT_ID, kea_form);
    assert_int_equal(create("192.0.2.51", "00:11:22:33:44:55"), ERROR_DHCP_CLIENT_EXISTS);
    /* A Windows client reserved by 01 + MAC: its MAC's record is ours. */
    fake_add_reservation(1, "192.0.2.52", WIN_IDENT_CLIENT_ID, "01:00:15:5d:0a:0b:0d");
    assert_int_equal(create("192.0.2.52", "00:15:5d:0a:0b:0d"), 0);
}

static void records_stored_before_the_rule_still_read_back(void **state)
{
    (void)state;
    /* Stored as given (no ff) by an earlier version of the hook. */
    fake_add_lease("192.0.2.60", 1, NULL, NETWORKD, "old", NULL);
    assert_string_equal(hardware_address_of("{\"client-ip-address\":\"192.0.2.60\"}"), NETWORKD);
    assert_string_equal(hardware_address_of("{\"client-hardware-address\":\"" NETWORKD "\"}"),
                        NETWORKD);
    /* Set again, it takes the rule's form (ff + IAID + DUID). */
    cJSON *a = call("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.60\","
                                              "\"client-hardware-address\":\"" NETWORKD "\"}");
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    assert_int_equal(fake_find_lease("192.0.2.60")->client_id_len, 19);
    assert_int_equal(fake_find_lease("192.0.2.60")->client_id[0], 0xff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(duid_types_and_lengths),
        cmocka_unit_test(input_rule),
        cmocka_unit_test(output_rule),
        cmocka_unit_test_setup(records_and_dhcp_leases_read_back_in_the_windows_form, setup),
        cmocka_unit_test_setup(the_same_client_conflicts_whoever_made_its_lease, setup),
        cmocka_unit_test_setup(reservations_name_the_client_in_any_form, setup),
        cmocka_unit_test_setup(records_stored_before_the_rule_still_read_back, setup),
    };
    return cmocka_run_group_tests_name("client_identifier", tests, NULL, NULL);
}
