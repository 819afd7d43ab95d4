/* A relationship over one shared SQL lease database (shared-lease-database):
 * refused where the leases are this server's alone (memfile), written into
 * the HA entry as no lease updates and no sync, and its records never sent
 * to the partner, while another relationship's still are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_cmds.h"
#include "win_errors.h"

#define REL "\"relationship-name\":\"r1\",\"primary-server\":\"192.0.2.1\"," \
            "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"]," \
            "\"mode\":\"load-balance\",\"server-type\":\"primary\"," \
            "\"shared-secret\":\"s\",\"safe-period\":\"disabled\""
#define RECORD "{\"client-ip-address\":\"192.0.2.10\"," \
               "\"client-hardware-address\":\"02:00:00:00:00:01\"}"

static const char *config =
    "{ \"Dhcp4\": {\n"
    "  \"hooks-libraries\": [ { \"library\": \"/opt/kea/hooks/libdhcp_lease_cmds.so\" } ],\n"
    "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\" } ]\n"
    "} }\n";

static char state_file[512];
static int bodies; /* requests the partner got */

static int partner(const char *body, char **answer, char *err)
{
    (void)body;
    bodies++;
    snprintf(err, WIN_HOST_ERR_LEN, "the test's partner takes nothing");
    *answer = NULL;
    return WIN_HOST_ERROR;
}

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_use_files(config);
    snprintf(state_file, sizeof state_file, "%s", fake.config_path);
    snprintf(strrchr(state_file, '/'), 40, "/win-failover-relationships.json");
    fake.ha_state = "load-balancing";
    fake.partner = partner;
    bodies = 0;
    return 0;
}

static const cJSON *field(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item) fail_msg("no %s", name);
    return item;
}

static void refused_unless_the_leases_are_in_sql(void **state)
{
    (void)state;
    const char *refusals[][2] = {
        {"memfile", "{" REL ",\"shared-lease-database\":true}"},
        {"postgresql", "{" REL ",\"shared-lease-database\":\"yes\"}"},
    };
    for (size_t i = 0; i < 2; i++) {
        fake.lease_backend = refusals[i][0];
        cJSON *a = call("win-failover-relationship-create", refusals[i][1]);
        assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
        assert_non_null(strstr(answer_text(a), "shared-lease-database"));
        cJSON_Delete(a);
        assert_int_equal(access(state_file, F_OK), -1);
        assert_int_equal(fake.reloads, 0);
    }
}

static void ha_entry_sends_and_syncs_no_leases(void **state)
{
    (void)state;
    fake.lease_backend = "mysql";
    cJSON *a = call("win-failover-relationship-create", "{" REL ",\"shared-lease-database\":true}");
    assert_int_equal(answer_code(a), 0);
    assert_true(cJSON_IsTrue(field(field(answer_args(a), "relationship"),
                                   "shared-lease-database")));
    const cJSON *effect = field(answer_args(a), "kea-effect");
    const cJSON *ha = field(effect, "high-availability");
    assert_true(cJSON_IsFalse(field(ha, "send-lease-updates")));
    assert_true(cJSON_IsFalse(field(ha, "sync-leases")));
    assert_non_null(strstr(field(effect, "lease-database")->valuestring, "shared"));
    cJSON_Delete(a);
    /* Stored: get reads it back from the state file. */
    a = call("win-failover-relationship-get", "{\"relationship-name\":\"r1\"}");
    assert_true(cJSON_IsTrue(field(field(answer_args(a), "relationship"),
                                   "shared-lease-database")));
    cJSON_Delete(a);
}

static void records_are_not_sent_to_the_partner(void **state)
{
    (void)state;
    fake.lease_backend = "postgresql";
    cJSON *a = call("win-failover-relationship-create", "{" REL ",\"shared-lease-database\":true}");
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    a = call("win-client-info-vq-create", RECORD);
    assert_int_equal(answer_code(a), 0);
    assert_null(cJSON_GetObjectItem(answer_args(a), "partner"));
    cJSON_Delete(a);
    a = call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.10\"}");
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    assert_int_equal(bodies, 0);
    assert_null(fake_find_lease("192.0.2.10"));
}

static void own_databases_still_replicate(void **state)
{
    (void)state;
    fake.lease_backend = "postgresql";
    cJSON *a = call("win-failover-relationship-create", "{" REL "}");
    assert_int_equal(answer_code(a), 0);
    assert_null(cJSON_GetObjectItem(field(answer_args(a), "relationship"),
                                    "shared-lease-database"));
    assert_null(cJSON_GetObjectItem(field(field(answer_args(a), "kea-effect"),
                                          "high-availability"), "send-lease-updates"));
    cJSON_Delete(a);
    a = call("win-client-info-vq-create", RECORD);
    cJSON_Delete(a);
    assert_int_equal(bodies, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(refused_unless_the_leases_are_in_sql, setup),
        cmocka_unit_test_setup(ha_entry_sends_and_syncs_no_leases, setup),
        cmocka_unit_test_setup(records_are_not_sent_to_the_partner, setup),
        cmocka_unit_test_setup(own_databases_still_replicate, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
