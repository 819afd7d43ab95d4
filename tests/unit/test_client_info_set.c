/* win-client-info-v4-set / -vq-set: the Windows rules of DhcpSetClientInfo. */
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

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    cJSON_Delete(call("win-client-info-vq-create",
                      "{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                      "\"00:11:22:33:44:55\",\"client-name\":\"PC-One\",\"client-comment\":"
                      "\"front desk\",\"client-type\":\"both\",\"address-state\":49,"
                      "\"quarantine-status\":\"exempt\"}"));
    /* Another hook's key in the same user-context. */
    struct win_lease *l = fake_find_lease("192.0.2.10");
    cJSON_AddItemToObject(l->user_context, "other", cJSON_Parse("{\"k\":1}"));
    return 0;
}

static cJSON *set(const char *command, const char *args, int code, int result)
{
    cJSON *answer = call(command, args);
    if (answer_code(answer) != code || answer_result(answer) != result)
        fail_msg("%s %s -> %d/%d: %s", command, args, answer_code(answer),
                 answer_result(answer), answer_text(answer));
    return answer;
}

static void a_missing_record_is_a_jet_error_with_result_3(void **state)
{
    (void)state;
    cJSON_Delete(set("win-client-info-v4-set", "{\"client-ip-address\":\"192.0.2.11\","
                     "\"client-hardware-address\":\"00:11:22:33:44:56\"}",
                     ERROR_DHCP_JET_ERROR, 3));
    assert_int_equal(fake.lease_count, 1);
}

static void the_hardware_address_is_required_and_checked_first(void **state)
{
    (void)state;
    const char *bad[] = {"{\"client-ip-address\":\"192.0.2.11\"}",
                         "{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":\"\"}",
                         "{\"client-hardware-address\":\"00:11:22:33:44:55\"}"};
    for (size_t i = 0; i < 3; i++)
        cJSON_Delete(set("win-client-info-vq-set", bad[i], ERROR_INVALID_PARAMETER, 1));
    cJSON_Delete(set("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.10\","
                     "\"client-hardware-address\":\"00:11:22:33:44:55\",\"subnet-mask\":"
                     "\"255.255.0.0\"}", ERROR_INVALID_PARAMETER, 1));
}

static void absent_fields_keep_their_values_and_the_state_becomes_active(void **state)
{
    (void)state;
    struct win_lease *l = fake_find_lease("192.0.2.10");
    l->state = 1;
    int64_t expire = l->cltt + l->valid_lft;
    cJSON *a = set("win-client-info-v4-set", "{\"client-ip-address\":\"192.0.2.10\","
                   "\"client-hardware-address\":\"00:11:22:33:44:55\"}", 0, 0);
    assert_string_equal(record_string(a, "client-name"), "PC-One");
    assert_string_equal(record_string(a, "client-comment"), "front desk");
    assert_string_equal(record_string(a, "client-type"), "both");
    cJSON_Delete(a);
    l = fake_find_lease("192.0.2.10");
    assert_int_equal(l->state, 0);
    assert_int_equal(l->cltt + l->valid_lft, expire);
    assert_non_null(strstr(fake_context_text(l), "\"other\":{\"k\":1}"));
    assert_null(strstr(fake_context_text(l), "\"address-state\"")); /* no DNS bits: not stored */
    assert_int_equal(fake_stat("subnet[1].declined-addresses"), -1); /* moved out of declined */
}

static void present_fields_replace_and_the_owner_may_change(void **state)
{
    (void)state;
    cJSON *a = set("win-client-info-v4-set", "{\"client-ip-address\":\"192.0.2.10\","
                   "\"client-hardware-address\":\"01-aa-bb-cc-dd-ee-ff\",\"client-name\":"
                   "\"Renamed\",\"client-comment\":\"\",\"client-type\":\"dhcp\","
                   "\"client-lease-expires\":\"infinite\",\"owner-host\":"
                   "{\"ip-address\":\"192.0.2.2\"}}", 0, 0);
    assert_string_equal(record_string(a, "client-hardware-address"), "aa:bb:cc:dd:ee:ff");
    assert_string_equal(record_string(a, "client-name"), "Renamed");
    assert_string_equal(record_string(a, "client-comment"), "");
    assert_string_equal(record_string(a, "client-lease-expires"), "infinite");
    const cJSON *owner = cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a), "client"),
                                             "owner-host");
    assert_string_equal(cJSON_GetObjectItem(owner, "ip-address")->valuestring, "192.0.2.2");
    assert_string_equal(cJSON_GetObjectItem(owner, "netbios-name")->valuestring, "KEA1");
    cJSON_Delete(a);
    struct win_lease *l = fake_find_lease("192.0.2.10");
    assert_int_equal(l->hwaddr_len, 0);
    assert_int_equal(l->client_id_len, 7);
    assert_string_equal(l->hostname, "renamed");
    /* A lower-case name needs no original spelling any more. */
    cJSON_Delete(set("win-client-info-v4-set", "{\"client-ip-address\":\"192.0.2.10\","
                     "\"client-hardware-address\":\"00:11:22:33:44:55\",\"client-name\":"
                     "\"plain\"}", 0, 0));
    assert_null(strstr(fake_context_text(fake_find_lease("192.0.2.10")), "client-name"));
}

static void v4_set_refuses_vq_fields(void **state)
{
    (void)state;
    cJSON *a = set("win-client-info-v4-set", "{\"client-ip-address\":\"192.0.2.10\","
                   "\"client-hardware-address\":\"00:11:22:33:44:55\",\"address-state\":"
                   "\"declined\"}", ERROR_INVALID_PARAMETER, 1);
    assert_non_null(strstr(answer_text(a), "address-state is not a field of DHCP_CLIENT_INFO_V4"));
    cJSON_Delete(a);
}

static void vq_set_writes_state_and_quarantine_fields(void **state)
{
    (void)state;
    cJSON *a = set("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.10\","
                   "\"client-hardware-address\":\"00:11:22:33:44:55\",\"address-state\":"
                   "\"doom\",\"quarantine-status\":\"probation\",\"probation-ends\":"
                   "\"2027-01-01T00:00:00Z\",\"quarantine-capable\":true}", 0, 0);
    assert_string_equal(record_string(a, "address-state"), "doom");
    assert_string_equal(record_string(a, "quarantine-status"), "probation");
    assert_string_equal(record_string(a, "probation-ends"), "2027-01-01T00:00:00Z");
    cJSON_Delete(a);
    assert_int_equal(fake_find_lease("192.0.2.10")->state, 2);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 0); /* 1 on create, -1 */
    /* offered is stored as Kea state 0 */
    cJSON_Delete(set("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.10\","
                     "\"client-hardware-address\":\"00:11:22:33:44:55\",\"address-state\":0}",
                     0, 0));
    assert_int_equal(fake_find_lease("192.0.2.10")->state, 0);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 1);
}

static void fields_set_back_to_their_defaults_leave_the_context(void **state)
{
    (void)state;
    cJSON_Delete(set("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.10\","
                     "\"client-hardware-address\":\"00:11:22:33:44:55\",\"client-name\":"
                     "\"pc-one\",\"client-comment\":\"\",\"client-type\":\"dhcp\","
                     "\"address-state\":\"active\",\"quarantine-status\":\"no-quarantine\","
                     "\"probation-ends\":\"1970-01-01T00:00:00Z\",\"quarantine-capable\":false,"
                     "\"owner-host\":{\"host-name\":\"\"}}", 0, 0));
    /* What reads back the same when absent is not stored (the owner is this
     * server); another hook's key stays. */
    assert_string_equal(fake_context_text(fake_find_lease("192.0.2.10")), "{\"other\":{\"k\":1}}");
    cJSON *a = set("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.10\"}", 0, 0);
    assert_string_equal(record_string(a, "client-type"), "dhcp");
    assert_string_equal(record_string(a, "quarantine-status"), "no-quarantine");
    assert_string_equal(record_string(a, "client-name"), "pc-one");
    cJSON_Delete(a);
    /* A lease Kea made itself gets no context for an all-default set. */
    fake_add_lease("192.0.2.20", 1, "00:11:22:33:44:20", NULL, NULL, NULL);
    cJSON_Delete(set("win-client-info-v4-set", "{\"client-ip-address\":\"192.0.2.20\","
                     "\"client-hardware-address\":\"00:11:22:33:44:20\","
                     "\"client-type\":\"dhcp\"}", 0, 0));
    assert_null(fake_find_lease("192.0.2.20")->user_context);
}

static void a_reserved_address_keeps_its_expiry(void **state)
{
    (void)state;
    fake_add_reservation(1, "192.0.2.10", WIN_IDENT_HWADDR, "00:11:22:33:44:55");
    struct win_lease *l = fake_find_lease("192.0.2.10");
    int64_t expire = l->cltt + l->valid_lft;
    cJSON_Delete(set("win-client-info-v4-set", "{\"client-ip-address\":\"192.0.2.10\","
                     "\"client-hardware-address\":\"00:11:22:33:44:55\","
                     "\"client-lease-expires\":\"infinite\",\"client-comment\":\"kept\"}", 0, 0));
    l = fake_find_lease("192.0.2.10");
    assert_int_equal(l->cltt + l->valid_lft, expire);
    assert_non_null(strstr(fake_context_text(l), "\"client-comment\":\"kept\""));
}

static void backend_failures(void **state)
{
    (void)state;
    const char *args = "{\"client-ip-address\":\"192.0.2.10\","
                       "\"client-hardware-address\":\"00:11:22:33:44:55\"}";
    fake.update_says_gone = 1;
    cJSON_Delete(set("win-client-info-v4-set", args, ERROR_DHCP_JET_ERROR, 3));
    fake.update_says_gone = 0;
    fake.lock_busy = 1;
    cJSON_Delete(set("win-client-info-v4-set", args, ERROR_DHCP_JET_ERROR, 1));
    fake.lock_busy = 0;
    fake.fail_backend = 1;
    cJSON_Delete(set("win-client-info-v4-set", args, ERROR_DHCP_JET_ERROR, 1));
    assert_int_equal(fake.locks_held, 0);
}

/* A lookup the host could not answer is no "none" (nor Kea's allocation
 * lock failing "busy"): the set is refused, naming what failed, and the
 * record and the statistics stay as they were. */
static void host_lookup_failures_refuse_the_set(void **state)
{
    (void)state;
    const char *args = "{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                       "\"00:11:22:33:44:66\",\"client-name\":\"other\","
                       "\"client-lease-expires\":\"2030-01-01T00:00:00Z\","
                       "\"address-state\":\"declined\"}";
    struct win_lease *l = fake_find_lease("192.0.2.10");
    int64_t expire = l->cltt + l->valid_lft;
    int64_t assigned = fake_stat("subnet[1].assigned-addresses");
    const struct fake_failure *failures = fake_change_failures;
    for (size_t i = 0; i < FAKE_CHANGE_FAILURES; i++) {
        *failures[i].fail = 1;
        cJSON *a = set("win-client-info-vq-set", args, ERROR_DHCP_JET_ERROR, 1);
        *failures[i].fail = 0;
        if (!strstr(answer_text(a), failures[i].text))
            fail_msg("text '%s' lacks '%s'", answer_text(a), failures[i].text);
        cJSON_Delete(a);
        l = fake_find_lease("192.0.2.10");
        assert_string_equal(l->hostname, "pc-one");
        assert_int_equal(l->hwaddr[5], 0x55);
        assert_int_equal(l->cltt + l->valid_lft, expire);
        assert_int_equal(l->state, WIN_KEA_STATE_DEFAULT);
    }
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), assigned);
    assert_int_equal(fake_stat("subnet[1].declined-addresses"), 0);
    assert_int_equal(fake.locks_held, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(host_lookup_failures_refuse_the_set, setup),
        cmocka_unit_test_setup(a_missing_record_is_a_jet_error_with_result_3, setup),
        cmocka_unit_test_setup(the_hardware_address_is_required_and_checked_first, setup),
        cmocka_unit_test_setup(absent_fields_keep_their_values_and_the_state_becomes_active,
                               setup),
        cmocka_unit_test_setup(present_fields_replace_and_the_owner_may_change, setup),
        cmocka_unit_test_setup(v4_set_refuses_vq_fields, setup),
        cmocka_unit_test_setup(vq_set_writes_state_and_quarantine_fields, setup),
        cmocka_unit_test_setup(fields_set_back_to_their_defaults_leave_the_context, setup),
        cmocka_unit_test_setup(a_reserved_address_keeps_its_expiry, setup),
        cmocka_unit_test_setup(backend_failures, setup),
    };
    return cmocka_run_group_tests_name("client_info_set", tests, NULL, NULL);
}
