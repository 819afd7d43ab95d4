/* win-client-info-vq-create: every check in the Windows order, the defaults,
 * the storage of the Windows fields, statistics (the bulk form:
 * test_client_info_bulk.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_errors.h"

#define CREATE "win-client-info-vq-create"

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 7200);
    return 0;
}

/* Runs a create and checks its code and Kea result; returns the answer. */
static cJSON *expect(const char *args, int code, int result)
{
    cJSON *answer = call(CREATE, args);
    if (answer_code(answer) != code || answer_result(answer) != result)
        fail_msg("%s -> %d/%d: %s", args, answer_code(answer), answer_result(answer),
                 answer_text(answer));
    return answer;
}

/* Runs a create that must succeed: its answer is the status only, as on
 * Windows; returns the record as win-client-info-vq-get reads it back. */
static cJSON *created(const char *args)
{
    cJSON *answer = expect(args, 0, 0);
    assert_null(answer_args(answer) ? cJSON_GetObjectItem(answer_args(answer), "client") : NULL);
    assert_non_null(strstr(answer_text(answer), " created in subnet "));
    cJSON_Delete(answer);
    cJSON *request = cJSON_Parse(args);
    char get[64];
    snprintf(get, sizeof get, "{\"client-ip-address\":\"%s\"}",
             cJSON_GetObjectItem(request, "client-ip-address")->valuestring);
    cJSON_Delete(request);
    answer = call("win-client-info-vq-get", get);
    assert_int_equal(answer_code(answer), 0);
    return answer;
}

static void expect_code(const char *args, int code)
{
    cJSON_Delete(expect(args, code, code ? 1 : 0));
}

/* Asserts the answer's text mentions needle. */
static void expect_text(const char *args, int code, const char *needle)
{
    cJSON *answer = expect(args, code, code ? 1 : 0);
    if (!strstr(answer_text(answer), needle))
        fail_msg("text '%s' lacks '%s'", answer_text(answer), needle);
    cJSON_Delete(answer);
}

static void step1_address_and_identifier_required(void **state)
{
    (void)state;
    expect_text("{}", ERROR_INVALID_PARAMETER, "client-ip-address is missing");
    expect_text("{\"client-hardware-address\":\"00:11:22:33:44:55\"}",
                ERROR_INVALID_PARAMETER, "client-ip-address");
    expect_text("{\"client-ip-address\":\"192.0.2.10\"}", ERROR_INVALID_PARAMETER,
                "client-hardware-address is missing");
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":\"\"}",
                ERROR_INVALID_PARAMETER, "client-hardware-address");
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":null}",
                ERROR_INVALID_PARAMETER, "client-hardware-address");
    expect_text("{\"client-ip-address\":\"192.0.2.300\",\"client-hardware-address\":\"00:11\"}",
                ERROR_INVALID_PARAMETER, "client-ip-address '192.0.2.300'");
    expect_text("{\"client-ip-address\":3221225994,\"client-hardware-address\":\"00:11\"}",
                ERROR_INVALID_PARAMETER, "client-ip-address must be a string");
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":\"xyz\"}",
                ERROR_INVALID_PARAMETER, "client-hardware-address 'xyz'");
    expect_text("[1,2]", ERROR_INVALID_PARAMETER, "must be a JSON object");
    assert_int_equal(fake.lease_count, 0);
}

static void step1_comes_before_the_subnet(void **state)
{
    (void)state;
    /* No subnet holds 203.0.113.1, but the missing identifier is reported first. */
    expect_code("{\"client-ip-address\":\"203.0.113.1\"}", ERROR_INVALID_PARAMETER);
}

static void step2_offered_is_refused_before_the_subnet(void **state)
{
    (void)state;
    expect_text("{\"client-ip-address\":\"203.0.113.1\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\",\"address-state\":\"offered\"}",
                ERROR_INVALID_PARAMETER, "offered");
    /* A number whose state bits are 0 (offered) with DNS bits set is offered too. */
    expect_code("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\",\"address-state\":48}", ERROR_INVALID_PARAMETER);
    assert_int_equal(fake.lease_count, 0);
}

static void step3_subnet_must_exist(void **state)
{
    (void)state;
    expect_text("{\"client-ip-address\":\"203.0.113.1\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\"}", ERROR_DHCP_SUBNET_NOT_PRESENT,
                "no configured subnet contains 203.0.113.1");
    expect_text("{\"client-ip-address\":\"192.0.2.0\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\"}", ERROR_DHCP_SUBNET_NOT_PRESENT, "network address");
    expect_text("{\"client-ip-address\":\"192.0.2.255\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\"}", ERROR_DHCP_SUBNET_NOT_PRESENT, "broadcast address");
    assert_int_equal(fake.lease_count, 0);
}

static void step3_point_to_point_subnets_have_no_broadcast(void **state)
{
    (void)state;
    fake_add_subnet(3, "203.0.113.0", 31, 3600);
    expect_code("{\"client-ip-address\":\"203.0.113.0\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\"}", ERROR_SUCCESS);
}

static void step3_subnet_mask_must_match(void **state)
{
    (void)state;
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\",\"subnet-mask\":\"255.255.0.0\"}",
                ERROR_INVALID_PARAMETER, "does not match subnet 192.0.2.0/24");
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\",\"subnet-mask\":\"255.0.255.0\"}",
                ERROR_INVALID_PARAMETER, "contiguous");
    /* The mask is checked after the subnet: no subnet wins over a bad mask. */
    expect_code("{\"client-ip-address\":\"203.0.113.1\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\",\"subnet-mask\":\"255.255.0.0\"}",
                ERROR_DHCP_SUBNET_NOT_PRESENT);
    expect_code("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\",\"subnet-mask\":\"255.255.255.0\"}", ERROR_SUCCESS);
}

static void step4_any_existing_lease_blocks(void **state)
{
    (void)state;
    struct win_lease *old = fake_add_lease("192.0.2.10", 1, "00:aa:bb:cc:dd:ee", NULL, NULL,
                                           NULL);
    old->cltt = fake.now - 100000; /* long expired: still a record */
    old->state = 2;
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\"}", ERROR_DHCP_CLIENT_EXISTS,
                "client 192.0.2.10 already has a lease record (hardware address "
                "00:aa:bb:cc:dd:ee)");
    assert_int_equal(fake.lease_count, 1);
    fake_add_lease("192.0.2.11", 1, NULL, NULL, NULL, NULL); /* a declined address */
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\"}", ERROR_DHCP_CLIENT_EXISTS, "declined");
}

static void step4_one_record_per_client_and_subnet(void **state)
{
    (void)state;
    fake_add_lease("192.0.2.20", 1, "00:11:22:33:44:55", NULL, NULL, NULL);
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00-11-22-33-44-55\"}", ERROR_DHCP_CLIENT_EXISTS,
                "already has a lease record for 192.0.2.20 in subnet 192.0.2.0/24");
    /* The same client may hold one record in another subnet. */
    expect_code("{\"client-ip-address\":\"198.51.100.10\",\"client-hardware-address\":"
                "\"00-11-22-33-44-55\"}", ERROR_SUCCESS);
    /* Client identifiers (not 6 bytes) are compared with client-ids. */
    fake_add_lease("192.0.2.21", 1, NULL, "01:02:03:04:05:06:07", NULL, NULL);
    expect_code("{\"client-ip-address\":\"192.0.2.30\",\"client-hardware-address\":"
                "\"01:02:03:04:05:06:07\"}", ERROR_DHCP_CLIENT_EXISTS);
}

static void step4_reservation_for_another_client_blocks(void **state)
{
    (void)state;
    fake_add_reservation(1, "192.0.2.50", WIN_IDENT_HWADDR, "aa:bb:cc:dd:ee:ff");
    expect_text("{\"client-ip-address\":\"192.0.2.50\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\"}", ERROR_DHCP_CLIENT_EXISTS,
                "reserved for another client (host reservation by hw-address "
                "aa:bb:cc:dd:ee:ff)");
    expect_code("{\"client-ip-address\":\"192.0.2.50\",\"client-hardware-address\":"
                "\"aa:bb:cc:dd:ee:ff\"}", ERROR_SUCCESS);
}

static void step4_reservation_by_client_id_names_its_owner(void **state)
{
    (void)state;
    fake_add_reservation(1, "192.0.2.51", WIN_IDENT_CLIENT_ID, "01:aa:bb:cc:dd:ee:01");
    fake_add_reservation(1, "192.0.2.52", WIN_IDENT_CLIENT_ID, "ff:00:11");
    fake_add_reservation(1, "192.0.2.53", WIN_IDENT_OTHER, "00:01:02");
    /* 01 + MAC is the Windows client-id of that MAC. */
    expect_code("{\"client-ip-address\":\"192.0.2.51\",\"client-hardware-address\":"
                "\"aa:bb:cc:dd:ee:01\"}", ERROR_SUCCESS);
    expect_code("{\"client-ip-address\":\"192.0.2.52\",\"client-hardware-address\":"
                "\"ff:00:11\"}", ERROR_SUCCESS);
    expect_code("{\"client-ip-address\":\"192.0.2.53\",\"client-hardware-address\":"
                "\"00:01:02\"}", ERROR_DHCP_CLIENT_EXISTS);
}

static void defaults_are_applied(void **state)
{
    (void)state;
    cJSON *answer = created("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                           "\"001122334455\"}");
    assert_string_equal(record_string(answer, "client-type"), "dhcp");
    assert_string_equal(record_string(answer, "address-state"), "active");
    assert_string_equal(record_string(answer, "subnet-mask"), "255.255.255.0");
    assert_string_equal(record_string(answer, "client-hardware-address"), "00:11:22:33:44:55");
    assert_string_equal(record_string(answer, "client-unique-id"),
                        "00:02:00:c0:01:00:11:22:33:44:55");
    assert_string_equal(record_string(answer, "client-lease-expires"), "2026-11-18T12:06:40Z");
    const cJSON *owner = cJSON_GetObjectItem(
        cJSON_GetObjectItem(answer_args(answer), "client"), "owner-host");
    assert_string_equal(cJSON_GetObjectItem(owner, "ip-address")->valuestring, "192.0.2.1");
    assert_string_equal(cJSON_GetObjectItem(owner, "netbios-name")->valuestring, "KEA1");
    cJSON_Delete(answer);
    struct win_lease *l = fake_find_lease("192.0.2.10");
    assert_non_null(l);
    assert_int_equal(l->subnet_id, 1);
    assert_int_equal(l->hwaddr_len, 6);
    assert_int_equal(l->client_id_len, 0);
    assert_int_equal(l->state, 0);
    assert_int_equal(l->cltt, fake.now);
    assert_int_equal(l->valid_lft, 3600);
    assert_null(l->hostname);
    /* Defaults, this server as the owner among them, are not stored: they read
     * back the same (as above). */
    assert_null(l->user_context);
    assert_int_equal(fake.locks_held, 0);
}

static void bootp_without_expiry_is_infinite(void **state)
{
    (void)state;
    expect_code("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:55\",\"client-type\":\"bootp\"}", 0);
    assert_int_equal(fake_find_lease("192.0.2.10")->valid_lft, 0xFFFFFFFFu);
    expect_code("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:56\",\"client-type\":6}", 0); /* bootp | reserved */
    assert_int_equal(fake_find_lease("192.0.2.11")->valid_lft, 0xFFFFFFFFu);
    expect_code("{\"client-ip-address\":\"192.0.2.12\",\"client-hardware-address\":"
                "\"00:11:22:33:44:57\",\"client-type\":\"both\"}", 0);
    assert_int_equal(fake_find_lease("192.0.2.12")->valid_lft, 3600);
}

static void expiry_forms(void **state)
{
    (void)state;
    expect_code("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:01\",\"client-lease-expires\":\"infinite\"}", 0);
    assert_int_equal(fake_find_lease("192.0.2.10")->valid_lft, 0xFFFFFFFFu);

    cJSON *a = created("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:02\",\"client-lease-expires\":"
                      "\"2026-11-18 13:06:40+01:00\"}");
    assert_string_equal(record_string(a, "client-lease-expires"), "2026-11-18T12:06:40Z");
    cJSON_Delete(a);
    struct win_lease *l = fake_find_lease("192.0.2.11");
    assert_int_equal(l->cltt, fake.now);
    assert_int_equal(l->valid_lft, 3600);

    /* An expiry in the past is kept exactly: a lease that ended then. */
    a = created("{\"client-ip-address\":\"192.0.2.12\",\"client-hardware-address\":"
               "\"00:11:22:33:44:03\",\"client-lease-expires\":\"2026-01-01T00:00:00Z\"}");
    assert_string_equal(record_string(a, "client-lease-expires"), "2026-01-01T00:00:00Z");
    cJSON_Delete(a);
    l = fake_find_lease("192.0.2.12");
    assert_int_equal(l->cltt + l->valid_lft, 1767225600);

    expect_text("{\"client-ip-address\":\"192.0.2.13\",\"client-hardware-address\":"
                "\"00:11:22:33:44:04\",\"client-lease-expires\":\"9999-01-01T00:00:00Z\"}",
                ERROR_INVALID_PARAMETER, "136 years");
    expect_text("{\"client-ip-address\":\"192.0.2.13\",\"client-hardware-address\":"
                "\"00:11:22:33:44:04\",\"client-lease-expires\":\"tomorrow\"}",
                ERROR_INVALID_PARAMETER, "client-lease-expires 'tomorrow'");
}

static void address_states_map_to_kea_states_and_statistics(void **state)
{
    (void)state;
    expect_code("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:01\",\"address-state\":\"declined\"}", 0);
    assert_int_equal(fake_find_lease("192.0.2.10")->state, 1);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 1);
    assert_int_equal(fake_stat("subnet[1].declined-addresses"), 1);
    assert_int_equal(fake_stat("declined-addresses"), 1);

    expect_code("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"address-state\":\"doom\"}", 0);
    assert_int_equal(fake_find_lease("192.0.2.11")->state, 2);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 1); /* not counted */

    expect_code("{\"client-ip-address\":\"198.51.100.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:03\",\"address-state\":1}", 0);
    assert_int_equal(fake_stat("subnet[2].assigned-addresses"), 1);
    assert_int_equal(fake_stat("declined-addresses"), 1);
}

static void dns_bits_of_the_address_state_are_kept(void **state)
{
    (void)state;
    /* active (1) + DHCID kind 2 (0x08) + cleanup (0x10) + both-rec (0x20) */
    cJSON *a = created("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:01\",\"address-state\":57}");
    assert_string_equal(record_string(a, "address-state"), "active");
    const cJSON *flags = cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a), "client"),
                                             "address-state-flags");
    assert_int_equal(cJSON_GetArraySize(flags), 3);
    assert_string_equal(cJSON_GetArrayItem(flags, 0)->valuestring,
                        "dhcid-with-client-id-option");
    assert_string_equal(cJSON_GetArrayItem(flags, 1)->valuestring, "cleanup");
    assert_string_equal(cJSON_GetArrayItem(flags, 2)->valuestring, "both-rec");
    cJSON_Delete(a);
    assert_non_null(strstr(fake_context_text(fake_find_lease("192.0.2.10")),
                           "\"address-state\":57"));
}

static void identifiers_of_other_lengths_are_client_ids(void **state)
{
    (void)state;
    cJSON *a = created("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                      "\"01-00-11-22-33-44-55\"}");
    /* The whole option 61 of a Windows client: Windows shows its MAC. */
    assert_string_equal(record_string(a, "client-hardware-address"), "00:11:22:33:44:55");
    cJSON_Delete(a);
    struct win_lease *l = fake_find_lease("192.0.2.10");
    assert_int_equal(l->hwaddr_len, 0);
    assert_int_equal(l->client_id_len, 7);
    /* 1 byte and more than 128 bytes are Windows identifiers Kea cannot hold. */
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":\"07\"}",
                ERROR_INVALID_PARAMETER, "Kea stores client identifiers of 2 to 128 bytes");
    char args[1024];
    int n = snprintf(args, sizeof args, "{\"client-ip-address\":\"192.0.2.11\","
                                        "\"client-hardware-address\":\"");
    for (int i = 0; i < 129; i++) n += snprintf(args + n, sizeof args - (size_t)n, "ab");
    snprintf(args + n, sizeof args - (size_t)n, "\"}");
    expect_code(args, ERROR_INVALID_PARAMETER);
    assert_int_equal(fake.lease_count, 1);
}

static void enums_by_name_or_number(void **state)
{
    (void)state;
    cJSON *a = created("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:01\",\"client-type\":5,\"quarantine-status\":3,"
                      "\"probation-ends\":\"2026-12-01T00:00:00Z\",\"quarantine-capable\":true}");
    const cJSON *client = cJSON_GetObjectItem(answer_args(a), "client");
    assert_int_equal(cJSON_GetObjectItem(client, "client-type")->valueint, 5);
    assert_string_equal(record_string(a, "quarantine-status"), "probation");
    assert_string_equal(record_string(a, "probation-ends"), "2026-12-01T00:00:00Z");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(client, "quarantine-capable")));
    cJSON_Delete(a);
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"client-type\":\"laptop\"}", ERROR_INVALID_PARAMETER,
                "client-type 'laptop'");
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"client-type\":9}", ERROR_INVALID_PARAMETER,
                "client-type");
    expect_code("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"client-type\":1.5}", ERROR_INVALID_PARAMETER);
    expect_code("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"quarantine-status\":7}", ERROR_INVALID_PARAMETER);
    expect_code("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"address-state\":256}", ERROR_INVALID_PARAMETER);
    expect_code("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"address-state\":-1}", ERROR_INVALID_PARAMETER);
    expect_code("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"quarantine-capable\":1}", ERROR_INVALID_PARAMETER);
    assert_int_equal(fake.lease_count, 1);
}

static void text_fields_and_unknown_fields(void **state)
{
    (void)state;
    cJSON *a = created("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:01\",\"client-name\":\"Desk-PC.Example.COM\","
                      "\"client-comment\":\"caf\\u00e9, \\\"quoted\\\"\","
                      "\"owner-host\":{\"ip-address\":\"192.0.2.9\",\"netbios-name\":\"W2K19\"}}");
    assert_string_equal(record_string(a, "client-name"), "Desk-PC.Example.COM");
    assert_string_equal(record_string(a, "client-comment"), "caf\xc3\xa9, \"quoted\"");
    const cJSON *owner = cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a), "client"),
                                             "owner-host");
    assert_string_equal(cJSON_GetObjectItem(owner, "ip-address")->valuestring, "192.0.2.9");
    assert_string_equal(cJSON_GetObjectItem(owner, "netbios-name")->valuestring, "W2K19");
    cJSON_Delete(a);
    assert_string_equal(fake_find_lease("192.0.2.10")->hostname, "desk-pc.example.com");
    /* A migrated record keeps its Windows owner; one naming this server stores none. */
    assert_non_null(strstr(fake_context_text(fake_find_lease("192.0.2.10")),
                           "\"owner-host\":{\"ip-address\":\"192.0.2.9\",\"netbios-name\":\"W2K19\"}"));
    expect_code("{\"client-ip-address\":\"192.0.2.12\",\"client-hardware-address\":"
                "\"00:11:22:33:44:03\",\"owner-host\":{\"ip-address\":\"192.0.2.1\","
                "\"netbios-name\":\"KEA1\",\"host-name\":\"\"}}", 0);
    assert_null(fake_find_lease("192.0.2.12")->user_context);

    char comment[200];
    memset(comment, 'c', 128);
    comment[128] = '\0';
    char args[512];
    snprintf(args, sizeof args, "{\"client-ip-address\":\"192.0.2.11\","
             "\"client-hardware-address\":\"00:11:22:33:44:02\",\"client-comment\":\"%s\"}",
             comment);
    expect_text(args, ERROR_INVALID_PARAMETER, "client-comment is longer than 127");
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"client-nmae\":\"x\"}", ERROR_INVALID_PARAMETER,
                "client-nmae is not a field");
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"client-name\":7}", ERROR_INVALID_PARAMETER,
                "client-name must be a string");
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"owner-host\":\"me\"}", ERROR_INVALID_PARAMETER,
                "owner-host");
    expect_text("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                "\"00:11:22:33:44:02\",\"owner-host\":{\"ip\":\"1.2.3.4\"}}",
                ERROR_INVALID_PARAMETER, "ip is not a field of owner-host");
    assert_int_equal(fake.lease_count, 2);
}

/* The client-name rule (lease_windows.h): Kea's hostname only for a DNS name,
 * the name as given in the record either way, found by name either way. */
static void a_name_that_is_no_dns_name_is_no_kea_hostname(void **state)
{
    (void)state;
    const char *printer = "{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                          "\"00:11:22:33:44:01\",\"client-name\":\"Printer 2nd floor\"}";
    cJSON *a = created(printer);
    const struct win_lease *stored = fake_find_lease("192.0.2.10");
    assert_null(stored->hostname);
    assert_string_equal(fake_context_text(stored),
                        "{\"windows\":{\"client-name\":\"Printer 2nd floor\"}}");
    assert_string_equal(record_string(a, "client-name"), "Printer 2nd floor");
    cJSON_Delete(a);
    /* Lower case changes nothing: Kea could not hold it as a hostname either. */
    cJSON_Delete(created("{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                         "\"00:11:22:33:44:02\",\"client-name\":\"wiz_dfbfbb\"}"));
    assert_null(fake_find_lease("192.0.2.11")->hostname);
    assert_string_equal(fake_context_text(fake_find_lease("192.0.2.11")),
                        "{\"windows\":{\"client-name\":\"wiz_dfbfbb\"}}");
    /* A DNS name is Kea's hostname, in Kea's lower case; only a spelling Kea
     * does not keep is stored beside it. */
    cJSON_Delete(created("{\"client-ip-address\":\"192.0.2.12\",\"client-hardware-address\":"
                         "\"00:11:22:33:44:03\",\"client-name\":\"pc-12\"}"));
    assert_string_equal(fake_find_lease("192.0.2.12")->hostname, "pc-12");
    assert_null(fake_find_lease("192.0.2.12")->user_context);

    a = call("win-client-info-vq-get", "{\"client-name\":\"PRINTER 2nd Floor\"}");
    assert_int_equal(answer_code(a), 0);
    assert_string_equal(record_string(a, "client-ip-address"), "192.0.2.10");
    assert_string_equal(record_string(a, "client-name"), "Printer 2nd floor");
    cJSON_Delete(a);
    a = call("win-client-info-vq-get", "{\"client-name\":\"Printer 3rd floor\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_JET_ERROR);
    assert_int_equal(answer_result(a), 3);
    cJSON_Delete(a);
    /* A DHCP client that names itself wins, as for any record. */
    struct win_lease *l = fake_find_lease("192.0.2.10");
    l->hostname = strdup("printer2");
    a = call("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.10\"}");
    assert_string_equal(record_string(a, "client-name"), "printer2");
    cJSON_Delete(a);
}

/* strdup, failing for one string: memory running out where a name is copied. */
static const char *strdup_fails_for;
char *strdup(const char *s)
{
    if (strdup_fails_for && strcmp(s, strdup_fails_for) == 0) return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    return copy ? memcpy(copy, s, n) : NULL;
}

/* A name that cannot be stored fails the create with a status (it used to
 * answer result 0 with an empty text and store nothing). */
static void a_name_that_cannot_be_stored_fails_the_create(void **state)
{
    (void)state;
    strdup_fails_for = "oom-name";
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:01\",\"client-name\":\"oom-name\"}", ERROR_DHCP_JET_ERROR,
                "out of memory");
    strdup_fails_for = NULL;
    assert_int_equal(fake.lease_count, 0);
    assert_int_equal(fake.locks_held, 0);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 0);
}

static void read_only_fields_of_a_get_answer_are_accepted(void **state)
{
    (void)state;
    expect_code("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:01\",\"client-unique-id\":\"00:02:00:c0:01:00:11:22:33:44:01\","
                "\"address-state-flags\":[]}", 0);
}

static void backend_failures_are_jet_errors(void **state)
{
    (void)state;
    fake.fail_backend = 1;
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:01\"}", ERROR_DHCP_JET_ERROR, "fake backend is down");
    fake.fail_backend = 0;
    fake.add_says_exists = 1; /* a DHCP client took the address since the check */
    expect_code("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:01\"}", ERROR_DHCP_CLIENT_EXISTS);
    fake.add_says_exists = 0;
    fake.lock_busy = 1;
    expect_text("{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                "\"00:11:22:33:44:01\"}", ERROR_DHCP_JET_ERROR, "try again");
    assert_int_equal(fake.lease_count, 0);
    assert_int_equal(fake.locks_held, 0);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 0);
}

/* A lookup the host could not answer is no "none" (nor Kea's allocation
 * lock failing "busy"): the create is refused, naming what failed, and
 * nothing is written. */
static void host_lookup_failures_refuse_the_create(void **state)
{
    (void)state;
    const char *args = "{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                       "\"00:11:22:33:44:01\"}";
    const struct fake_failure *failures = fake_change_failures;
    fake.pool_statistics = 1;
    fake_add_pool(1, "192.0.2.5", "192.0.2.20");
    for (size_t i = 0; i < FAKE_CHANGE_FAILURES; i++) {
        *failures[i].fail = 1;
        expect_text(args, ERROR_DHCP_JET_ERROR, failures[i].text);
        *failures[i].fail = 0;
    }
    assert_int_equal(fake.lease_count, 0);
    assert_int_equal(fake.locks_held, 0);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 0);
    assert_int_equal(fake_stat("subnet[1].pool[0].assigned-addresses"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(host_lookup_failures_refuse_the_create, setup),
        cmocka_unit_test_setup(step1_address_and_identifier_required, setup),
        cmocka_unit_test_setup(step1_comes_before_the_subnet, setup),
        cmocka_unit_test_setup(step2_offered_is_refused_before_the_subnet, setup),
        cmocka_unit_test_setup(step3_subnet_must_exist, setup),
        cmocka_unit_test_setup(step3_point_to_point_subnets_have_no_broadcast, setup),
        cmocka_unit_test_setup(step3_subnet_mask_must_match, setup),
        cmocka_unit_test_setup(step4_any_existing_lease_blocks, setup),
        cmocka_unit_test_setup(step4_one_record_per_client_and_subnet, setup),
        cmocka_unit_test_setup(step4_reservation_for_another_client_blocks, setup),
        cmocka_unit_test_setup(step4_reservation_by_client_id_names_its_owner, setup),
        cmocka_unit_test_setup(defaults_are_applied, setup),
        cmocka_unit_test_setup(bootp_without_expiry_is_infinite, setup),
        cmocka_unit_test_setup(expiry_forms, setup),
        cmocka_unit_test_setup(address_states_map_to_kea_states_and_statistics, setup),
        cmocka_unit_test_setup(dns_bits_of_the_address_state_are_kept, setup),
        cmocka_unit_test_setup(identifiers_of_other_lengths_are_client_ids, setup),
        cmocka_unit_test_setup(enums_by_name_or_number, setup),
        cmocka_unit_test_setup(text_fields_and_unknown_fields, setup),
        cmocka_unit_test_setup(a_name_that_is_no_dns_name_is_no_kea_hostname, setup),
        cmocka_unit_test_setup(a_name_that_cannot_be_stored_fails_the_create, setup),
        cmocka_unit_test_setup(read_only_fields_of_a_get_answer_are_accepted, setup),
        cmocka_unit_test_setup(backend_failures_are_jet_errors, setup),
    };
    return cmocka_run_group_tests_name("client_info_create", tests, NULL, NULL);
}
