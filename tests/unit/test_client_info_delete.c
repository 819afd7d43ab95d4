/* win-client-info-delete: search, reservation rule, statistics (per pool, released
 * leases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_errors.h"

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    cJSON_Delete(call("win-client-info-vq-create",
                      "{\"clients\":[{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:55\",\"client-name\":\"pc\"},"
                      "{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:56\",\"address-state\":\"declined\"},"
                      "{\"client-ip-address\":\"192.0.2.12\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:57\",\"client-name\":\"pc\"}]}"));
    return 0;
}

static void expect(const char *args, int code, int result)
{
    cJSON *a = call("win-client-info-delete", args);
    if (answer_code(a) != code || answer_result(a) != result)
        fail_msg("%s -> %d/%d: %s", args, answer_code(a), answer_result(a), answer_text(a));
    cJSON_Delete(a);
}

static void delete_by_each_search(void **state)
{
    (void)state;
    expect("{\"client-hardware-address\":\"00-11-22-33-44-56\"}", 0, 0);
    assert_null(fake_find_lease("192.0.2.11"));
    assert_int_equal(fake_stat("subnet[1].declined-addresses"), 0);
    assert_int_equal(fake_stat("declined-addresses"), 0);
    expect("{\"client-name\":\"PC\"}", 0, 0); /* the lowest IP of the two */
    assert_null(fake_find_lease("192.0.2.10"));
    assert_non_null(fake_find_lease("192.0.2.12"));
    expect("{\"client-ip-address\":\"192.0.2.12\"}", 0, 0);
    assert_int_equal(fake.lease_count, 0);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 0);
}

static void not_found_and_bad_searches(void **state)
{
    (void)state;
    expect("{\"client-ip-address\":\"192.0.2.99\"}", ERROR_DHCP_JET_ERROR, 3);
    expect("{\"client-ip-address\":\"192.0.2.10\",\"client-name\":\"pc\"}",
           ERROR_INVALID_PARAMETER, 1);
    expect("{}", ERROR_INVALID_PARAMETER, 1);
    assert_int_equal(fake.lease_count, 3);
}

static void a_reserved_address_cannot_be_deleted(void **state)
{
    (void)state;
    fake_add_reservation(1, "192.0.2.10", WIN_IDENT_HWADDR, "00:11:22:33:44:55");
    cJSON *a = call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.10\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_RESERVED_CLIENT);
    assert_int_equal(answer_result(a), 1);
    assert_non_null(strstr(answer_text(a), "reserved"));
    cJSON_Delete(a);
    assert_non_null(fake_find_lease("192.0.2.10"));
    assert_int_equal(fake.locks_held, 0);
}

/* Kea 2.6+ counts per pool too, and keeps released leases (not counted). */
static void pool_statistics_and_released_leases(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake.pool_statistics = 1;
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_pool(1, "192.0.2.5", "192.0.2.9");
    fake_add_pool(1, "192.0.2.20", "192.0.2.29");
    cJSON_Delete(call("win-client-info-vq-create",
                      "{\"clients\":[{\"client-ip-address\":\"192.0.2.21\",\"client-hardware-"
                      "address\":\"00:11:22:33:44:55\",\"address-state\":\"declined\"},"
                      "{\"client-ip-address\":\"192.0.2.40\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:56\"}]}"));
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 2);
    assert_int_equal(fake_stat("subnet[1].pool[1].assigned-addresses"), 1);
    assert_int_equal(fake_stat("subnet[1].pool[1].declined-addresses"), 1);
    assert_int_equal(fake_stat("subnet[1].pool[0].assigned-addresses"), 0);
    expect("{\"client-ip-address\":\"192.0.2.21\"}", 0, 0);
    assert_int_equal(fake_stat("subnet[1].pool[1].assigned-addresses"), 0);
    assert_int_equal(fake_stat("subnet[1].pool[1].declined-addresses"), 0);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 1);

    /* Released by its client: 3.0's state 3, 2.6's lifetime 0. */
    struct win_lease *released = fake_add_lease("192.0.2.6", 1, "001122334457", NULL, NULL, NULL);
    released->state = WIN_KEA_STATE_RELEASED;
    struct win_lease *expired_in_place =
        fake_add_lease("192.0.2.7", 1, "001122334458", NULL, NULL, NULL);
    expired_in_place->valid_lft = 0;
    cJSON *a = call("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.6\"}");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                            cJSON_GetObjectItem(cJSON_GetObjectItem(a, "arguments"), "client"),
                            "address-state")),
                        "doom");
    cJSON_Delete(a);
    a = call("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.7\"}");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                            cJSON_GetObjectItem(cJSON_GetObjectItem(a, "arguments"), "client"),
                            "address-state")),
                        "doom");
    cJSON_Delete(a);
    expect("{\"client-ip-address\":\"192.0.2.6\"}", 0, 0);
    expect("{\"client-ip-address\":\"192.0.2.7\"}", 0, 0);
    assert_int_equal(fake_stat("subnet[1].pool[0].assigned-addresses"), 0);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 1);
}

static void backend_failure(void **state)
{
    (void)state;
    fake.fail_backend = 1;
    expect("{\"client-ip-address\":\"192.0.2.10\"}", ERROR_DHCP_JET_ERROR, 1);
}

/* A lookup the host could not answer is no "none" (nor Kea's allocation
 * lock failing "busy"): the delete is refused, naming what failed, and the
 * record stays. */
static void host_lookup_failures_refuse_the_delete(void **state)
{
    (void)state;
    const struct fake_failure *failures = fake_change_failures;
    int64_t assigned = fake_stat("subnet[1].assigned-addresses");
    for (size_t i = 0; i < FAKE_CHANGE_FAILURES; i++) {
        *failures[i].fail = 1;
        cJSON *a = call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.10\"}");
        *failures[i].fail = 0;
        assert_int_equal(answer_code(a), ERROR_DHCP_JET_ERROR);
        assert_int_equal(answer_result(a), 1);
        if (!strstr(answer_text(a), failures[i].text))
            fail_msg("text '%s' lacks '%s'", answer_text(a), failures[i].text);
        cJSON_Delete(a);
    }
    assert_int_equal(fake.lease_count, 3);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), assigned);
    assert_int_equal(fake.locks_held, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(host_lookup_failures_refuse_the_delete, setup),
        cmocka_unit_test_setup(delete_by_each_search, setup),
        cmocka_unit_test_setup(not_found_and_bad_searches, setup),
        cmocka_unit_test_setup(a_reserved_address_cannot_be_deleted, setup),
        cmocka_unit_test_setup(backend_failure, setup),
        cmocka_unit_test(pool_statistics_and_released_leases),
    };
    return cmocka_run_group_tests_name("client_info_delete", tests, NULL, NULL);
}
