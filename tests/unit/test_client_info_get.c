/* win-client-info-v4-get / -vq-get: the three searches, lowest-IP rule,
 * not-found answer, and records of leases Kea made itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_errors.h"

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 7200);
    cJSON_Delete(call("win-client-info-vq-create",
                      "{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:55\",\"client-name\":\"PC-One\",\"client-comment\":"
                      "\"front desk\",\"client-lease-expires\":\"infinite\"}"));
    return 0;
}

static cJSON *get(const char *command, const char *args, int code)
{
    cJSON *answer = call(command, args);
    if (answer_code(answer) != code)
        fail_msg("%s %s -> %d: %s", command, args, answer_code(answer), answer_text(answer));
    return answer;
}

static void by_ip_hardware_address_and_name(void **state)
{
    (void)state;
    const char *searches[] = {
        "{\"client-ip-address\":\"192.0.2.10\"}",
        "{\"client-hardware-address\":\"00-11-22-33-44-55\"}",
        "{\"client-hardware-address\":\"00:02:00:c0:01:00:11:22:33:44:55\"}", /* unique id */
        "{\"client-name\":\"pc-one\"}",
        "{\"client-name\":\"PC-ONE\"}",
        "{\"search-type\":\"ip-address\",\"client-ip-address\":\"192.0.2.10\"}",
        "{\"search-type\":1,\"client-hardware-address\":\"001122334455\"}",
        "{\"search-type\":\"name\",\"client-name\":\"PC-One\"}"};
    for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
        cJSON *a = get("win-client-info-vq-get", searches[i], 0);
        assert_int_equal(answer_result(a), 0);
        assert_string_equal(record_string(a, "client-ip-address"), "192.0.2.10");
        assert_string_equal(record_string(a, "client-name"), "PC-One");
        assert_string_equal(record_string(a, "client-comment"), "front desk");
        assert_string_equal(record_string(a, "client-lease-expires"), "infinite");
        cJSON_Delete(a);
    }
}

static void v4_answers_only_v4_fields(void **state)
{
    (void)state;
    cJSON *a = get("win-client-info-v4-get", "{\"client-ip-address\":\"192.0.2.10\"}", 0);
    const cJSON *client = cJSON_GetObjectItem(answer_args(a), "client");
    const char *v4[] = {"client-ip-address", "subnet-mask", "client-hardware-address",
                        "client-unique-id", "client-name", "client-comment",
                        "client-lease-expires", "owner-host", "client-type"};
    for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++)
        assert_non_null(cJSON_GetObjectItem(client, v4[i]));
    assert_int_equal(cJSON_GetArraySize(client), 9);
    cJSON_Delete(a);
    a = get("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.10\"}", 0);
    client = cJSON_GetObjectItem(answer_args(a), "client");
    assert_int_equal(cJSON_GetArraySize(client), 14);
    assert_non_null(cJSON_GetObjectItem(client, "quarantine-capable"));
    cJSON_Delete(a);
}

static void not_found_is_a_jet_error_with_result_3(void **state)
{
    (void)state;
    const char *misses[] = {"{\"client-ip-address\":\"192.0.2.11\"}",
                            "{\"client-hardware-address\":\"00:11:22:33:44:56\"}",
                            "{\"client-name\":\"nobody\"}"};
    for (size_t i = 0; i < 3; i++) {
        cJSON *a = get("win-client-info-v4-get", misses[i], ERROR_DHCP_JET_ERROR);
        assert_int_equal(answer_result(a), 3);
        assert_non_null(strstr(answer_text(a), "no client record matches"));
        cJSON_Delete(a);
    }
}

static void a_shared_name_selects_the_lowest_ip(void **state)
{
    (void)state;
    fake_add_lease("198.51.100.200", 2, "00:00:00:00:00:01", NULL, "twin", NULL);
    fake_add_lease("192.0.2.200", 1, "00:00:00:00:00:02", NULL, "twin", NULL);
    fake_add_lease("192.0.2.100", 1, "00:00:00:00:00:03", NULL, "twin", NULL);
    cJSON *a = get("win-client-info-v4-get", "{\"client-name\":\"Twin\"}", 0);
    assert_string_equal(record_string(a, "client-ip-address"), "192.0.2.100");
    cJSON_Delete(a);
    /* The same MAC in two subnets: lowest IP, or the subnet its unique id names. */
    fake_add_lease("198.51.100.5", 2, "00:11:22:33:44:55", NULL, NULL, NULL);
    a = get("win-client-info-v4-get", "{\"client-hardware-address\":\"00:11:22:33:44:55\"}", 0);
    assert_string_equal(record_string(a, "client-ip-address"), "192.0.2.10");
    cJSON_Delete(a);
    a = get("win-client-info-v4-get",
            "{\"client-hardware-address\":\"00:64:33:c6:01:00:11:22:33:44:55\"}", 0);
    assert_string_equal(record_string(a, "client-ip-address"), "198.51.100.5");
    assert_string_equal(record_string(a, "client-unique-id"), "00:64:33:c6:01:00:11:22:33:44:55");
    cJSON_Delete(a);
}

static void leases_made_by_kea_get_windows_defaults(void **state)
{
    (void)state;
    struct win_lease *l = fake_add_lease("192.0.2.77", 1, "0a:0b:0c:0d:0e:0f",
                                         "01:0a:0b:0c:0d:0e:0f", "laptop", NULL);
    l->state = 1; /* the client declined it */
    cJSON *a = get("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.77\"}", 0);
    assert_string_equal(record_string(a, "client-type"), "dhcp");
    assert_string_equal(record_string(a, "address-state"), "declined");
    assert_string_equal(record_string(a, "client-hardware-address"), "0a:0b:0c:0d:0e:0f");
    assert_string_equal(record_string(a, "client-comment"), "");
    assert_string_equal(record_string(a, "quarantine-status"), "no-quarantine");
    assert_string_equal(record_string(a, "probation-ends"), "1970-01-01T00:00:00Z");
    cJSON_Delete(a);
    /* A hand-edited context with wrong types falls back to defaults. */
    fake_add_lease("192.0.2.78", 1, "0a:0b:0c:0d:0e:10", NULL, NULL,
                   "{\"windows\":{\"client-type\":\"x\",\"owner-host\":7,\"client-comment\":3},"
                   "\"other\":true}");
    a = get("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.78\"}", 0);
    assert_string_equal(record_string(a, "client-type"), "dhcp");
    assert_string_equal(record_string(a, "client-comment"), "");
    cJSON_Delete(a);
}

static void the_kea_state_wins_over_the_stored_state_bits(void **state)
{
    (void)state;
    cJSON_Delete(call("win-client-info-vq-create",
                      "{\"client-ip-address\":\"192.0.2.20\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:20\",\"address-state\":49}"));
    fake_find_lease("192.0.2.20")->state = 1; /* declined since by the client */
    cJSON *a = get("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.20\"}", 0);
    assert_string_equal(record_string(a, "address-state"), "declined");
    const cJSON *flags = cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a), "client"),
                                             "address-state-flags");
    assert_int_equal(cJSON_GetArraySize(flags), 2); /* cleanup, both-rec */
    cJSON_Delete(a);
}

static void a_renamed_client_shows_keas_name(void **state)
{
    (void)state;
    struct win_lease *l = fake_find_lease("192.0.2.10");
    free(l->hostname);
    l->hostname = strdup("new-name"); /* the DHCP client sent another name */
    cJSON *a = get("win-client-info-v4-get", "{\"client-ip-address\":\"192.0.2.10\"}", 0);
    assert_string_equal(record_string(a, "client-name"), "new-name");
    cJSON_Delete(a);
}

static void search_arguments_are_checked(void **state)
{
    (void)state;
    const char *bad[] = {"{}", "[]", "{\"client-ip-address\":\"192.0.2.10\",\"client-name\":\"x\"}",
                         "{\"search-type\":\"name\",\"client-ip-address\":\"192.0.2.10\"}",
                         "{\"search-type\":\"mac\",\"client-ip-address\":\"192.0.2.10\"}",
                         "{\"search-type\":3,\"client-ip-address\":\"192.0.2.10\"}",
                         "{\"client-ip-address\":\"192.0.2\"}", "{\"client-name\":\"\"}",
                         "{\"client-hardware-address\":\"\"}", "{\"client-name\":5}",
                         "{\"client-ip-address\":\"192.0.2.10\",\"subnet\":1}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *a = get("win-client-info-vq-get", bad[i], ERROR_INVALID_PARAMETER);
        assert_int_equal(answer_result(a), 1);
        cJSON_Delete(a);
    }
    cJSON *a = call("win-client-info-vq-get", NULL);
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    cJSON_Delete(a);
}

static void backend_errors_are_jet_errors_with_result_1(void **state)
{
    (void)state;
    fake.fail_backend = 1;
    cJSON *a = get("win-client-info-v4-get", "{\"client-name\":\"pc-one\"}", ERROR_DHCP_JET_ERROR);
    assert_int_equal(answer_result(a), 1);
    cJSON_Delete(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(by_ip_hardware_address_and_name, setup),
        cmocka_unit_test_setup(v4_answers_only_v4_fields, setup),
        cmocka_unit_test_setup(not_found_is_a_jet_error_with_result_3, setup),
        cmocka_unit_test_setup(a_shared_name_selects_the_lowest_ip, setup),
        cmocka_unit_test_setup(leases_made_by_kea_get_windows_defaults, setup),
        cmocka_unit_test_setup(the_kea_state_wins_over_the_stored_state_bits, setup),
        cmocka_unit_test_setup(a_renamed_client_shows_keas_name, setup),
        cmocka_unit_test_setup(search_arguments_are_checked, setup),
        cmocka_unit_test_setup(backend_errors_are_jet_errors_with_result_1, setup),
    };
    return cmocka_run_group_tests_name("client_info_get", tests, NULL, NULL);
}
