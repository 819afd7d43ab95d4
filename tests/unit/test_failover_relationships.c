/* Several failover relationships on one server, as Kea 2.6+ runs them: hot
 * standby only, each subnet naming its relationship, scopes that move. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_errors.h"

#define CREATE "win-failover-relationship-create"
#define NORTH "\"relationship-name\":\"north\",\"primary-server\":\"192.0.2.1\"," \
              "\"primary-server-name\":\"hub\",\"secondary-server\":\"192.0.2.2\","  \
              "\"secondary-server-name\":\"spoke1\",\"mode\":\"hot-standby\""
#define SOUTH "\"relationship-name\":\"south\",\"primary-server\":\"192.0.2.1\"," \
              "\"primary-server-name\":\"hub\",\"secondary-server\":\"192.0.2.3\","  \
              "\"secondary-server-name\":\"spoke2\",\"mode\":\"hot-standby\""

static const char *config =
    "{ \"Dhcp4\": {\n"
    "  \"hooks-libraries\": [ { \"library\": \"/opt/kea/hooks/libdhcp_lease_cmds.so\" } ],\n"
    "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\" } ],\n"
    "  \"shared-networks\": [ { \"name\": \"net\", \"subnet4\": [\n"
    "    { \"id\": 2, \"subnet\": \"198.51.100.0/24\", \"user-context\": { \"site\": 7 } } ] } ]\n"
    "} }\n";

static char *operator_file; /* the -c file as setup wrote it */

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake.facts.release = "2.6";
    fake.facts.ha_relationships = 31;
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 3600);
    fake_use_files(config);
    free(operator_file);
    operator_file = fake_operator_text();
    return 0;
}

static void expect(const char *command, const char *args, int code)
{
    cJSON *a = call(command, args);
    int result = code == 0 ? 0 : code == ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST ? 3 : 1;
    if (answer_code(a) != code || answer_result(a) != result)
        fail_msg("%s %s -> %d/%d: %s", command, args, answer_code(a), answer_result(a),
                 answer_text(a));
    cJSON_Delete(a);
}

/* The configuration file as it is now. */
static cJSON *config_now(void)
{
    char *text = fake_config_text();
    cJSON *cfg = cJSON_Parse(text);
    free(text);
    return cfg;
}

static const cJSON *ha_list(const cJSON *cfg)
{
    const cJSON *lib;
    cJSON_ArrayForEach(lib, cJSON_GetObjectItem(cJSON_GetObjectItem(cfg, "Dhcp4"),
                                                "hooks-libraries"))
    if (strstr(cJSON_GetObjectItem(lib, "library")->valuestring, "libdhcp_ha.so"))
        return cJSON_GetObjectItem(cJSON_GetObjectItem(lib, "parameters"), "high-availability");
    return NULL;
}

/* The ha-server-name the hook sets on the subnet in memory when Kea is
 * configured (NULL: none). */
static const char *subnet_relationship(int id)
{
    fake_configure_kea();
    const char *name = fake_ha_server_name((uint32_t)id);
    return name && name[0] ? name : NULL;
}

static void hot_standby_relationships_each_serve_their_scopes(void **state)
{
    (void)state;
    expect(CREATE, "{" NORTH ",\"scopes\":[\"192.0.2.0\"]}", 0);
    cJSON *cfg = config_now();
    assert_int_equal(cJSON_GetArraySize(ha_list(cfg)), 1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                            cJSON_GetArrayItem(ha_list(cfg), 0), "this-server-name")),
                        "hub@north");
    assert_null(subnet_relationship(1)); /* alone, it covers every subnet */
    cJSON_Delete(cfg);

    /* MS-DHCPM's order: a scope already held, then the name, then the mode. */
    expect(CREATE, "{" SOUTH ",\"scopes\":[\"192.0.2.0\"]}",
           ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP);
    expect(CREATE, "{" NORTH ",\"scopes\":[\"198.51.100.0\"]}", ERROR_DHCP_FO_RELATIONSHIP_EXISTS);
    expect(CREATE, "{\"relationship-name\":\"lb\",\"primary-server\":\"192.0.2.1\","
                   "\"secondary-server\":\"192.0.2.4\",\"mode\":\"load-balance\","
                   "\"scopes\":[\"198.51.100.0\"]}",
           ERROR_DHCP_FO_MAX_RELATIONSHIPS);
    assert_int_equal(fake.reloads, 1);

    expect(CREATE, "{" SOUTH ",\"scopes\":[\"198.51.100.0\"]}", 0);
    cfg = config_now();
    assert_int_equal(cJSON_GetArraySize(ha_list(cfg)), 2);
    assert_string_equal(subnet_relationship(1), "hub@north");
    assert_string_equal(subnet_relationship(2), "hub@south");
    const cJSON *peers = cJSON_GetObjectItem(cJSON_GetArrayItem(ha_list(cfg), 1), "peers");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(peers, 1),
                                                                 "name")),
                        "spoke2@south");
    cJSON_Delete(cfg);
    assert_int_equal(fake.reloads, 2);

    /* get answers the server names as Windows knows them, and what Kea does. */
    cJSON *a = call("win-failover-relationship-get", "{\"relationship-name\":\"south\"}");
    const cJSON *rel = cJSON_GetObjectItem(answer_args(a), "relationship");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(rel, "secondary-server-name")),
                        "spoke2");
    const cJSON *effect = cJSON_GetObjectItem(answer_args(a), "kea-effect");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(effect, "kea-release")), "2.6");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(effect, "scopes")));
    cJSON_Delete(a);
}

static void scopes_move_and_none_is_left_without_a_relationship(void **state)
{
    (void)state;
    expect(CREATE, "{" NORTH ",\"scopes\":[\"192.0.2.0\"]}", 0);
    expect(CREATE, "{" SOUTH ",\"scopes\":[\"198.51.100.0\"]}", 0);
    char *before = fake_config_text();
    int reloads = fake.reloads;
    expect("win-failover-scope-delete",
           "{\"relationship-name\":\"south\",\"scopes\":[\"198.51.100.0\"]}",
           ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP);
    expect("win-failover-scope-add",
           "{\"relationship-name\":\"north\",\"scopes\":[\"198.51.100.0\"]}",
           ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP);
    char *after = fake_config_text();
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(fake.reloads, reloads);

    /* Kea runs several relationships in hot-standby only: no load-balance one. */
    expect("win-failover-relationship-set",
           "{\"relationship-name\":\"north\",\"flags\":[\"mode\"],\"mode\":\"load-balance\"}",
           ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED);
    after = fake_config_text();
    assert_string_equal(before, after);
    free(after);

    /* A takeover would take over both relationships: refused, said why. */
    cJSON *a = call("win-failover-relationship-set",
                    "{\"relationship-name\":\"north\",\"flags\":[\"state\"],"
                    "\"state\":\"partner-down\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED);
    assert_non_null(strstr(answer_text(a), "all of them"));
    cJSON_Delete(a);
    free(before);

    /* Back to one: it covers every subnet again, and our names go. */
    expect("win-failover-relationship-delete", "{\"relationship-name\":\"south\"}", 0);
    cJSON *cfg = config_now();
    assert_int_equal(cJSON_GetArraySize(ha_list(cfg)), 1);
    assert_null(subnet_relationship(1));
    assert_null(subnet_relationship(2));
    /* The names live in memory only: the operator's file never changed. */
    char *file = fake_operator_text();
    assert_string_equal(file, operator_file);
    assert_null(strstr(file, "ha-server-name"));
    free(file);
    cJSON_Delete(cfg);
    assert_int_equal(fake.reloads, reloads + 1);
}

static void kea_2_2_keeps_one(void **state)
{
    (void)state;
    fake.facts.release = "2.2";
    fake.facts.ha_relationships = 1;
    expect(CREATE, "{" NORTH ",\"scopes\":[\"192.0.2.0\"]}", 0);
    cJSON *a = call(CREATE, "{" SOUTH ",\"scopes\":[\"198.51.100.0\"]}");
    assert_int_equal(answer_code(a), ERROR_DHCP_FO_MAX_RELATIONSHIPS);
    assert_non_null(strstr(answer_text(a), "Kea 2.2 runs one"));
    cJSON_Delete(a);
    cJSON *cfg = config_now();
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                            cJSON_GetArrayItem(ha_list(cfg), 0), "this-server-name")),
                        "hub");
    cJSON_Delete(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(hot_standby_relationships_each_serve_their_scopes, setup),
        cmocka_unit_test_setup(scopes_move_and_none_is_left_without_a_relationship, setup),
        cmocka_unit_test_setup(kea_2_2_keeps_one, setup),
    };
    return cmocka_run_group_tests_name("failover_relationships", tests, NULL, NULL);
}
