/* win-failover-client-info-get / -enum and win-failover-scope-statistics-get. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "lb_hash.h"
#include "win_errors.h"

static const char *config = "{\"Dhcp4\":{\"hooks-libraries\":[{\"library\":\"/opt/kea/hooks/libdhcp_lease_cmds.so\"}]}}";

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_pool(1, "192.0.2.10", "192.0.2.19");
    fake_use_files(config);
    struct win_lease *l = fake_add_lease("192.0.2.10", 1, "02:00:00:00:00:01", NULL, "a", NULL);
    l->cltt = fake.now - 100;
    l->valid_lft = 3600;
    fake_add_lease("192.0.2.11", 1, "02:00:00:00:00:02", "01:02:00:00:00:00:02", NULL, NULL);
    fake_add_lease("192.0.2.12", 1, NULL, NULL, NULL, NULL)->state = 1;     /* declined */
    fake_add_lease("192.0.2.13", 1, "02:00:00:00:00:04", NULL, NULL, NULL)->cltt -= 10000;
    fake_add_lease("192.0.2.200", 1, "02:00:00:00:00:05", NULL, NULL, NULL); /* not in a pool */
    fake_add_lease("192.0.2.14", 1, "02:00:00:00:00:06", NULL, NULL, NULL)->valid_lft =
        0xFFFFFFFFu;
    return 0;
}

static void relationship(const char *mode, const char *server_type)
{
    char args[512];
    snprintf(args, sizeof args, "{\"relationship-name\":\"ab\",\"primary-server\":\"192.0.2.1\","
             "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"],\"mode\":\"%s\","
             "\"server-type\":\"%s\"}", mode, server_type);
    cJSON *a = call("win-failover-relationship-create", args);
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
}

static double num(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItem(obj, key);
    if (!cJSON_IsNumber(item)) fail_msg("%s missing", key);
    return item->valuedouble;
}

static void failover_times(void **state)
{
    (void)state;
    cJSON *a = call("win-failover-client-info-get", "{\"client-name\":\"a\"}");
    assert_int_equal(answer_code(a), 0);
    const cJSON *c = cJSON_GetObjectItem(answer_args(a), "client");
    assert_int_equal(num(c, "clt-last-trans-time"), fake.now - 100);
    assert_int_equal(num(c, "start-time"), fake.now - 100);
    assert_int_equal(num(c, "ack-pot-exp-time"), 0); /* no relationship */
    assert_non_null(cJSON_GetObjectItem(c, "address-state"));
    assert_string_equal(cJSON_GetObjectItem(c, "policy-name")->valuestring, "");
    assert_non_null(cJSON_GetObjectItem(answer_args(a), "kea-effect"));
    cJSON_Delete(a);
    relationship("load-balance", "primary");
    fake.ha_state = "load-balancing";
    a = call("win-failover-client-info-get", "{\"client-ip-address\":\"192.0.2.10\"}");
    c = cJSON_GetObjectItem(answer_args(a), "client");
    assert_int_equal(num(c, "sent-pot-exp-time"), fake.now - 100 + 3600);
    assert_int_equal(num(c, "ack-pot-exp-time"), fake.now - 100 + 3600);
    assert_int_equal(num(c, "recv-pot-exp-time"), 0);
    assert_int_equal(num(c, "last-bnd-upd-time"), 0);
    cJSON_Delete(a);
    a = call("win-failover-client-info-get", "{\"client-ip-address\":\"192.0.2.14\"}");
    assert_int_equal(num(cJSON_GetObjectItem(answer_args(a), "client"), "ack-pot-exp-time"),
                     4294967295.0);
    cJSON_Delete(a);
    fake.ha_state = "partner-down"; /* no partner acknowledging */
    a = call("win-failover-client-info-get", "{\"client-ip-address\":\"192.0.2.10\"}");
    assert_int_equal(num(cJSON_GetObjectItem(answer_args(a), "client"), "ack-pot-exp-time"), 0);
    cJSON_Delete(a);
    a = call("win-failover-client-info-get", "{\"client-ip-address\":\"192.0.2.99\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_JET_ERROR);
    assert_int_equal(answer_result(a), 3);
    cJSON_Delete(a);
}

static void the_array_pages_like_the_subnet_enumeration(void **state)
{
    (void)state;
    cJSON *a = call("win-failover-client-info-enum", "{\"preferred-maximum\":4}");
    assert_int_equal(answer_code(a), ERROR_MORE_DATA);
    assert_int_equal(num(answer_args(a), "num-elements"), 4);
    assert_string_equal(cJSON_GetObjectItem(answer_args(a), "resume-handle")->valuestring,
                        "192.0.2.13");
    cJSON_Delete(a);
    a = call("win-failover-client-info-enum",
             "{\"preferred-maximum\":4,\"resume-handle\":\"192.0.2.13\"}");
    assert_int_equal(answer_code(a), 0);
    assert_int_equal(num(answer_args(a), "num-elements"), 2);
    cJSON_Delete(a);
    a = call("win-failover-client-info-enum", "{\"subnet-address\":\"198.51.100.0\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_SUBNET_NOT_PRESENT);
    cJSON_Delete(a);
}

static void statistics(void **state)
{
    (void)state;
    cJSON *a = call("win-failover-scope-statistics-get", "{}");
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    cJSON_Delete(a);
    a = call("win-failover-scope-statistics-get", "{\"scope-id\":\"192.0.2.0\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP);
    cJSON_Delete(a);
    relationship("load-balance", "primary");
    a = call("win-failover-scope-statistics-get", "{\"scope-id\":\"192.0.2.0\"}");
    assert_int_equal(answer_code(a), 0);
    const cJSON *s = answer_args(a);
    /* pool .10-.19; in use: .10, .11, .12 (declined), .14 (infinite); .13 expired */
    assert_int_equal(num(s, "num-addr"), 10);
    assert_int_equal(num(s, "addr-in-use"), 4);
    assert_int_equal(num(s, "addr-free"), 6);
    assert_int_equal(num(s, "this-addr-free"), 3);
    assert_int_equal(num(s, "partner-addr-free"), 3);
    /* Which partner serves each client: Kea HA's hash of the client-id, else
     * the MAC (the_hash_is_rfc_3074s gives the values). .11 (client-id, hash
     * 66), .12 (no key, 0) and .14 (166) are the primary's; .10 (133) is not. */
    assert_int_equal(num(s, "this-addr-in-use"), 3);
    assert_int_equal(num(s, "partner-addr-in-use"), 1);
    cJSON_Delete(a);
}

/* Pools the host could not read are no "no pools": an error naming the
 * lookup, not a scope of 0 addresses. */
static void a_failed_pool_lookup_is_an_error(void **state)
{
    (void)state;
    relationship("load-balance", "primary");
    fake.fail_pools = 1;
    cJSON *a = call("win-failover-scope-statistics-get", "{\"scope-id\":\"192.0.2.0\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_JET_ERROR);
    assert_int_equal(answer_result(a), 1);
    if (!strstr(answer_text(a), "pool lookup failed: fake pools are unreadable"))
        fail_msg("text '%s' names no pool lookup", answer_text(a));
    cJSON_Delete(a);
}

static void hot_standby_statistics(void **state)
{
    (void)state;
    relationship("hot-standby", "secondary");
    cJSON *a = call("win-failover-scope-statistics-get", "{\"scope-id\":\"192.0.2.0\"}");
    const cJSON *s = answer_args(a);
    assert_int_equal(num(s, "this-addr-in-use"), 0);
    assert_int_equal(num(s, "this-addr-free"), 0);
    assert_int_equal(num(s, "partner-addr-in-use"), 4);
    assert_int_equal(num(s, "partner-addr-free"), 6);
    cJSON_Delete(a);
}

/* Known answers of RFC 3074's hash (seeded with the length, octets from the
 * last to the first), worked out by a separate implementation of it over the
 * same mixing table: the statistics test's expected counts rest on them, not
 * on lb_hash itself. Kea HA agrees in tests/integration/test_failover_pair. */
static void the_hash_is_rfc_3074s(void **state)
{
    (void)state;
    const uint8_t k10[] = {2, 0, 0, 0, 0, 1}, k11[] = {1, 2, 0, 0, 0, 0, 2},
                  k14[] = {2, 0, 0, 0, 0, 6};
    assert_int_equal(lb_hash(k10, sizeof k10), 133);
    assert_int_equal(lb_hash(k11, sizeof k11), 66);
    assert_int_equal(lb_hash(NULL, 0), 0);
    assert_int_equal(lb_hash(k14, sizeof k14), 166);
}

static void the_hash_spreads_clients(void **state)
{
    (void)state;
    int buckets[2] = {0, 0};
    for (int i = 0; i < 1000; i++) {
        uint8_t mac[6] = {2, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i};
        buckets[lb_hash(mac, 6) % 2]++;
    }
    assert_true(buckets[0] > 400 && buckets[1] > 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(failover_times, setup),
        cmocka_unit_test_setup(the_array_pages_like_the_subnet_enumeration, setup),
        cmocka_unit_test_setup(statistics, setup),
        cmocka_unit_test_setup(a_failed_pool_lookup_is_an_error, setup),
        cmocka_unit_test_setup(hot_standby_statistics, setup),
        cmocka_unit_test(the_hash_is_rfc_3074s),
        cmocka_unit_test(the_hash_spreads_clients),
    };
    return cmocka_run_group_tests_name("failover_client_info", tests, NULL, NULL);
}
