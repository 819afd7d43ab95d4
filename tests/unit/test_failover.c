/* win-failover-*: MS-DHCPM's checks in order, the set flags, the HA
 * translation written to the config file, and the state mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <cmocka.h>

#include "failover_live.h"
#include "fake_host.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-failover-relationship-create"
#define SET "win-failover-relationship-set"
#define REL "\"relationship-name\":\"ab\""
#define BASE REL ",\"primary-server\":\"192.0.2.1\",\"secondary-server\":\"192.0.2.2\"," \
             "\"scopes\":[\"192.0.2.0\"]"

static const char *config =
    "# a Kea configuration with comments\n"
    "{ \"Dhcp4\": { // the hook must keep everything else\n"
    "  \"hooks-libraries\": [ { \"library\": \"/opt/kea/hooks/libdhcp_lease_cmds.so\" } ],\n"
    "  /* subnets */ \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\" } ],\n"
    "  \"valid-lifetime\": 4000 } }\n";

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 3600);
    fake_use_files(config);
    return 0;
}

static cJSON *expect(const char *command, const char *args, int code, int result)
{
    cJSON *a = call(command, args);
    if (answer_code(a) != code || answer_result(a) != result)
        fail_msg("%s %s -> %d/%d: %s", command, args, answer_code(a), answer_result(a),
                 answer_text(a));
    return a;
}

/* The Kea result follows the code: 3 when the relationship looked for does not exist. */
static void expect_code(const char *command, const char *args, int code)
{
    int result = code == 0 ? 0 : code == ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST ? 3 : 1;
    cJSON_Delete(expect(command, args, code, result));
}

static const cJSON *rel_of(const cJSON *answer)
{
    return cJSON_GetObjectItem(answer_args(answer), "relationship");
}

static const char *rel_string(const cJSON *answer, const char *field)
{
    return cJSON_GetObjectItem(rel_of(answer), field)->valuestring;
}

static void create_ok(const char *extra)
{
    char args[1024];
    snprintf(args, sizeof args, "{" BASE "%s}", extra);
    cJSON_Delete(expect(CREATE, args, 0, 0));
}

static void create_checks_in_order(void **state)
{
    (void)state;
    const char *invalid[] = {
        "{}", "[]", "{\"primary-server\":\"192.0.2.1\"}",
        "{" REL ",\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"]}",
        "{" REL ",\"primary-server\":\"0.0.0.0\",\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"]}",
        "{" REL ",\"primary-server\":\"192.0.2.1\",\"secondary-server\":\"192.0.2.2\"}",
        "{" REL ",\"primary-server\":\"192.0.2.1\",\"secondary-server\":\"192.0.2.2\",\"scopes\":[]}",
        "{" BASE ",\"percentage\":101}", "{" BASE ",\"mode\":\"active\"}", "{" BASE ",\"mode\":2}",
        "{" BASE ",\"server-type\":\"tertiary\"}", "{" BASE ",\"mclt\":-1}",
        "{" BASE ",\"primary-url\":\"ftp://x\"}", "{" BASE ",\"colour\":1}",
        /* invalid parameters come before a missing scope */
        "{" REL ",\"primary-server\":\"192.0.2.1\",\"secondary-server\":\"192.0.2.2\","
        "\"scopes\":[\"203.0.113.0\"],\"percentage\":200}"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        expect_code(CREATE, invalid[i], ERROR_INVALID_PARAMETER);
    char long_name[200];
    memset(long_name, 'n', 127);
    long_name[127] = '\0';
    char args[1024];
    /* a missing scope (3) comes before a long name (5) */
    snprintf(args, sizeof args, "{\"relationship-name\":\"%s\",\"primary-server\":\"192.0.2.1\","
             "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.128\"]}", long_name);
    expect_code(CREATE, args, ERROR_DHCP_SUBNET_NOT_PRESENT);
    snprintf(args, sizeof args, "{\"relationship-name\":\"%s\",\"primary-server\":\"192.0.2.1\","
             "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"]}", long_name);
    expect_code(CREATE, args, ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG);
    long_name[126] = '\0';
    snprintf(args, sizeof args, "{\"relationship-name\":\"%s\",\"primary-server\":\"192.0.2.1\","
             "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"]}", long_name);
    expect_code(CREATE, args, 0);
    /* Kea 2.2 holds one: the next is the Windows limit's error. */
    expect_code(CREATE, "{" BASE "}", ERROR_DHCP_FO_MAX_RELATIONSHIPS);
    assert_int_equal(fake.reloads, 1);
}

static void create_writes_ha_and_schedules_a_reload(void **state)
{
    (void)state;
    cJSON *a = expect(CREATE, "{" BASE ",\"primary-server-name\":\"dhcp-a\",\"secondary-server-name\":"
                      "\"dhcp-b\",\"server-type\":\"secondary\",\"mode\":\"hot-standby\","
                      "\"shared-secret\":\"pw\",\"safe-period\":0,\"state\":\"normal\","
                      "\"basic-auth-user\":\"peer\",\"basic-auth-password\":\"peer-pw\"}", 0, 0);
    assert_string_equal(rel_string(a, "state"), "startup");   /* not running yet */
    /* The answer shows neither the secret nor the password. */
    assert_string_equal(rel_string(a, "shared-secret"), "********");
    char *shown = cJSON_PrintUnformatted(a);
    assert_null(strstr(shown, "peer-pw"));
    assert_null(strstr(shown, "\"pw\""));
    free(shown);
    assert_string_equal(rel_string(a, "prev-state"), "init");
    assert_string_equal(rel_string(a, "safe-period"), "disabled");
    assert_string_equal(rel_string(a, "kea-state"), "not-running");
    assert_int_equal(cJSON_GetObjectItem(rel_of(a), "percentage")->valueint, 5);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(answer_args(a), "reload-scheduled")));
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(answer_args(a), "warnings")) >= 3);
    cJSON_Delete(a);
    assert_int_equal(fake.reloads, 1);
    char *text = fake_config_text();
    cJSON *cfg = cJSON_Parse(text);
    free(text);
    const cJSON *libs = cJSON_GetObjectItem(cJSON_GetObjectItem(cfg, "Dhcp4"), "hooks-libraries");
    assert_int_equal(cJSON_GetArraySize(libs), 2);
    const cJSON *ha = cJSON_GetArrayItem(libs, 1);
    assert_string_equal(cJSON_GetObjectItem(ha, "library")->valuestring,
                        "/opt/kea/hooks/libdhcp_ha.so");
    const cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(ha, "parameters"),
                                                            "high-availability"), 0);
    assert_string_equal(cJSON_GetObjectItem(p, "mode")->valuestring, "hot-standby");
    assert_string_equal(cJSON_GetObjectItem(p, "this-server-name")->valuestring, "dhcp-b");
    const cJSON *peers = cJSON_GetObjectItem(p, "peers");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(peers, 1), "role")->valuestring,
                        "standby");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(peers, 0), "url")->valuestring,
                        "http://192.0.2.1:8000/");
    /* The endpoint's credentials are the relationship's own, not the secret. */
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(peers, 0),
                                            "basic-auth-user")->valuestring, "peer");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(peers, 0),
                                            "basic-auth-password")->valuestring, "peer-pw");
    assert_int_equal(cJSON_GetObjectItem(p, "max-unacked-clients")->valuedouble, 4294967295.0);
    /* HA's own listener would take this server's peer URL: the agent's port. */
    const cJSON *mt = cJSON_GetObjectItem(p, "multi-threading");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(mt, "enable-multi-threading")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(mt, "http-dedicated-listener")));
    /* the rest of the configuration is kept */
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cfg, "Dhcp4"), "valid-lifetime")
                         ->valueint, 4000);
    cJSON_Delete(cfg);
}

static const cJSON *ha_params(cJSON **cfg)
{
    char *text = fake_config_text();
    *cfg = cJSON_Parse(text);
    free(text);
    const cJSON *libs = cJSON_GetObjectItem(cJSON_GetObjectItem(*cfg, "Dhcp4"), "hooks-libraries");
    const cJSON *lib;
    cJSON_ArrayForEach(lib, libs)
    if (strstr(cJSON_GetObjectItem(lib, "library")->valuestring, "libdhcp_ha.so"))
        return cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(lib, "parameters"),
                                                      "high-availability"), 0);
    return NULL;
}

static void safe_period_timing(void **state)
{
    (void)state;
    create_ok(",\"safe-period\":30");
    cJSON *cfg;
    const cJSON *p = ha_params(&cfg);
    assert_int_equal(cJSON_GetObjectItem(p, "max-response-delay")->valueint, 30000);
    assert_int_equal(cJSON_GetObjectItem(p, "max-unacked-clients")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(p, "heartbeat-delay")->valueint, 10000);
    cJSON_Delete(cfg);
    /* beyond 65 s: Kea detects, the hook times the takeover */
    cJSON_Delete(expect(SET, "{" REL ",\"flags\":2,\"safe-period\":3600}", 0, 0));
    p = ha_params(&cfg);
    assert_int_equal(cJSON_GetObjectItem(p, "max-response-delay")->valueint, 60000);
    assert_int_equal(cJSON_GetObjectItem(p, "max-unacked-clients")->valuedouble, 4294967295.0);
    cJSON_Delete(cfg);
    assert_int_equal(fake.reloads, 2);
}

static void set_flags_are_checked(void **state)
{
    (void)state;
    create_ok("");
    const char *invalid[] = {"{" REL "}", "{" REL ",\"flags\":0}", "{" REL ",\"flags\":128}",
                             "{" REL ",\"flags\":[\"colour\"]}", "{" REL ",\"flags\":[]}",
                             "{" REL ",\"flags\":8,\"percentage\":101}",
                             "{" REL ",\"flags\":16,\"mode\":2}", "{" REL ",\"flags\":1}",
                             "{" REL ",\"flags\":1,\"mclt\":\"x\"}", "{\"flags\":1,\"mclt\":5}",
                             "{" REL ",\"flags\":1,\"mclt\":5,\"colour\":1}"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        expect_code(SET, invalid[i], ERROR_INVALID_PARAMETER);
    expect_code(SET, "{\"relationship-name\":\"zz\",\"flags\":1,\"mclt\":5}",
                ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST);
    /* No flags at all select nothing (not whatever the stack held). */
    cJSON *a = expect(SET, "{" REL "}", ERROR_INVALID_PARAMETER, 1);
    assert_string_equal(answer_text(a), "flags selects no field to change");
    cJSON_Delete(a);
}

static void only_flagged_fields_change_and_kea_only_when_needed(void **state)
{
    (void)state;
    create_ok("");
    char *before = fake_config_text();
    cJSON *a = expect(SET, "{" REL ",\"flags\":[\"mclt\",\"percentage\",\"prev-state\"],"
                      "\"mclt\":7200,\"percentage\":70,\"prev-state\":\"normal\",\"mode\":1}",
                      0, 0);
    assert_int_equal(cJSON_GetObjectItem(rel_of(a), "mclt")->valueint, 7200);
    assert_int_equal(cJSON_GetObjectItem(rel_of(a), "percentage")->valueint, 70);
    assert_string_equal(rel_string(a, "prev-state"), "normal");
    assert_string_equal(rel_string(a, "mode"), "load-balance"); /* not flagged */
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(answer_args(a), "reload-scheduled")));
    cJSON_Delete(a);
    char *after = fake_config_text();
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(fake.reloads, 1);
    a = expect(SET, "{" REL ",\"flags\":80,\"mode\":\"hot-standby\",\"shared-secret\":\"x\"}", 0, 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(answer_args(a), "reload-scheduled")));
    cJSON_Delete(a);
    assert_int_equal(fake.reloads, 2);
    cJSON *cfg;
    const cJSON *p = ha_params(&cfg);
    assert_string_equal(cJSON_GetObjectItem(p, "mode")->valuestring, "hot-standby");
    cJSON_Delete(cfg);
}

static void change_state(void **state)
{
    (void)state;
    create_ok("");
    expect_code(SET, "{" REL ",\"flags\":4,\"state\":\"partner-down\"}",
                ERROR_DHCP_FO_STATE_NOT_NORMAL); /* HA not running */
    fake.ha_state = "communication-recovery";
    expect_code(SET, "{" REL ",\"flags\":4,\"state\":\"recover-wait\"}",
                ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED);
    expect_code(SET, "{" REL ",\"flags\":4,\"state\":5}", 0);
    assert_non_null(strstr(fake.commands_run, "ha-maintenance-start"));
    fake.commands_run[0] = '\0';
    fake.ha_state = "partner-in-maintenance";
    expect_code(SET, "{" REL ",\"flags\":4,\"state\":\"normal\"}", 0);
    assert_non_null(strstr(fake.commands_run, "ha-maintenance-cancel"));
    fake.refuse_commands = 1;
    fake.ha_state = "load-balancing";
    expect_code(SET, "{" REL ",\"flags\":4,\"state\":\"partner-down\"}",
                ERROR_DHCP_FO_STATE_NOT_NORMAL);
    assert_int_equal(fake.reloads, 1);
}

/* Kea's HA state unreadable is no "HA not running": what depends on it (the
 * takeover, a scope added) is refused naming the lookup, nothing changed. */
static void a_failed_ha_state_read_refuses_what_depends_on_it(void **state)
{
    (void)state;
    create_ok("");
    fake.ha_state = "load-balancing";
    fake.fail_ha_state = 1;
    fake.commands_run[0] = '\0';
    const char *changes[][2] = {
        {SET, "{" REL ",\"flags\":4,\"state\":\"partner-down\"}"},
        {"win-failover-scope-add", "{" REL ",\"scopes\":[\"198.51.100.0\"]}"}};
    for (int i = 0; i < 2; i++) {
        cJSON *a = expect(changes[i][0], changes[i][1], ERROR_DHCP_JET_ERROR, 1);
        assert_non_null(strstr(answer_text(a),
                               "HA state lookup failed: status-get failed: fake HA is unreadable"));
        cJSON_Delete(a);
    }
    assert_null(strstr(fake.commands_run, "ha-maintenance-start"));
    fake.fail_ha_state = 0;
    cJSON *a = expect("win-failover-relationship-get", "{" REL "}", 0, 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rel_of(a), "scopes")), 1);
    cJSON_Delete(a);
    assert_int_equal(fake.reloads, 1);
}

static void kea_states_map_to_fsm_states(void **state)
{
    (void)state;
    const struct { enum win_ha_phase kea; int interrupted, fsm; } map[] = {
        {WIN_HA_SERVING, 0, 3}, {WIN_HA_SERVING, 1, 4},
        {WIN_HA_COMMUNICATION_RECOVERY, 0, 4}, {WIN_HA_PARTNER_DOWN, 0, 5},
        {WIN_HA_PARTNER_IN_MAINTENANCE, 0, 5}, {WIN_HA_WAITING, 0, 2}, {WIN_HA_SYNCING, 0, 9},
        {WIN_HA_READY, 0, 11}, {WIN_HA_IN_MAINTENANCE, 0, 12}, {WIN_HA_TERMINATED, 0, 13},
        {WIN_HA_OTHER, 0, -1}, {WIN_HA_NOT_RUNNING, 0, -1}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        struct win_ha_state s = {.phase = map[i].kea, .partner_interrupted = map[i].interrupted};
        assert_int_equal(fo_live_fsm_of(&s), map[i].fsm);
    }
}

static void get_reports_what_kea_runs(void **state)
{
    (void)state;
    expect_code("win-failover-relationship-get", "{" REL "}",
                ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST);
    expect_code("win-failover-relationship-get", "{}", ERROR_INVALID_PARAMETER);
    create_ok("");
    fake.ha_state = "load-balancing";
    fake.partner_interrupted = 1;
    cJSON *a = expect("win-failover-relationship-get", "{" REL "}", 0, 0);
    assert_string_equal(rel_string(a, "state"), "communication-interrupted");
    assert_string_equal(rel_string(a, "kea-state"), "load-balancing");
    cJSON_Delete(a);
    /* someone edits the HA section by hand: get shows the running values */
    char *text = fake_config_text();
    char *at = strstr(text, "\"load-balancing\"");
    assert_non_null(at);
    memcpy(at, "\"hot-standby\"   ", 16);
    FILE *f = fopen(fake.config_path, "w");
    fputs(text, f);
    fclose(f);
    free(text);
    a = expect("win-failover-relationship-get", "{" REL "}", 0, 0);
    assert_string_equal(rel_string(a, "mode"), "hot-standby");
    cJSON_Delete(a);
    /* Kea's parameters unreadable: the stored ones, and the failure logged */
    fake.fail_ha_parameters = 1;
    a = expect("win-failover-relationship-get", "{" REL "}", 0, 0);
    assert_string_equal(rel_string(a, "mode"), "load-balance");
    cJSON_Delete(a);
    const char *line = fake_logged(WIN_CMDS_HA_LOOKUP_FAILED);
    assert_non_null(line);
    assert_non_null(strstr(line, "parameters could not be read: fake configuration is unreadable"));
}

/* The state file as the hook wrote it, with from replaced by to, written in
 * place or as a new file renamed over it; its time set to when. */
static void edit_state_file(const char *from, const char *to, int rename_over, time_t when)
{
    char path[600], tmp[620];
    snprintf(path, sizeof path, "%.*s/win-failover-relationships.json",
             (int)(strrchr(fake.config_path, '/') - fake.config_path), fake.config_path);
    snprintf(tmp, sizeof tmp, "%s.edit", path);
    FILE *f = fopen(path, "r");
    char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    if (from[0] && !at) fail_msg("%s not in the state file", from);
    char edited[65536];
    if (at)
        snprintf(edited, sizeof edited, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    else
        snprintf(edited, sizeof edited, "%s", text);
    f = fopen(rename_over ? tmp : path, "w");
    fputs(edited, f);
    fclose(f);
    if (rename_over) assert_int_equal(rename(tmp, path), 0);
    struct timespec times[2] = {{when, 0}, {when, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static uint32_t mclt_of_ab(void)
{
    cJSON *a = expect("win-failover-relationship-get", "{" REL "}", 0, 0);
    uint32_t mclt = (uint32_t)cJSON_GetObjectItem(rel_of(a), "mclt")->valuedouble;
    cJSON_Delete(a);
    return mclt;
}

/* The store is read once and kept while the file stays the same: edits by
 * hand are seen, whether in place, renamed over it, or of the same size. */
static void a_state_file_edited_by_hand_is_read_again(void **state)
{
    (void)state;
    create_ok(",\"mclt\":1000");
    time_t old = time(NULL) - 10, now = time(NULL);
    edit_state_file("", "", 0, old); /* old enough to be kept once read */
    assert_int_equal(mclt_of_ab(), 1000);
    edit_state_file("\"mclt\":\t1000", "\"mclt\":\t20000", 0, old); /* another size */
    assert_int_equal(mclt_of_ab(), 20000);
    edit_state_file("\"mclt\":\t20000", "\"mclt\":\t30000", 1, old); /* a new file */
    assert_int_equal(mclt_of_ab(), 30000);
    edit_state_file("\"mclt\":\t30000", "\"mclt\":\t40000", 0, now); /* in place, now */
    assert_int_equal(mclt_of_ab(), 40000);
    /* The same size within the same tick of the file system's clock: only
     * not keeping a file that recent tells the two apart. */
    edit_state_file("\"mclt\":\t40000", "\"mclt\":\t50000", 0, now);
    assert_int_equal(mclt_of_ab(), 50000);
    /* and a change made through the commands */
    cJSON_Delete(expect(SET, "{" REL ",\"flags\":1,\"mclt\":5}", 0, 0));
    assert_int_equal(mclt_of_ab(), 5);
}

static void delete_removes_ha(void **state)
{
    (void)state;
    create_ok("");
    expect_code("win-failover-relationship-delete", "{\"relationship-name\":\"x\"}",
                ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST);
    expect_code("win-failover-relationship-delete", "{" REL "}", 0);
    assert_int_equal(fake.reloads, 2);
    char *text = fake_config_text();
    assert_null(strstr(text, "libdhcp_ha.so"));
    assert_non_null(strstr(text, "libdhcp_lease_cmds.so"));
    free(text);
    expect_code("win-failover-relationship-get", "{" REL "}",
                ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST);
}

static void enumeration(void **state)
{
    (void)state;
    cJSON_Delete(expect("win-failover-relationship-enum", NULL, ERROR_NO_MORE_ITEMS, 3));
    create_ok("");
    cJSON *a = expect("win-failover-relationship-enum", "{\"resume-handle\":0}", 0, 0);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "relationships-read")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "relationships-total")->valueint, 0);
    cJSON_Delete(a);
    cJSON_Delete(expect("win-failover-relationship-enum", "{\"resume-handle\":1}",
                        ERROR_NO_MORE_ITEMS, 3));
    expect_code("win-failover-relationship-enum", "{\"resume-handle\":\"x\"}",
                ERROR_INVALID_PARAMETER);
}

static void scopes(void **state)
{
    (void)state;
    const char *add = "win-failover-scope-add", *del = "win-failover-scope-delete";
    expect_code(add, "{" REL ",\"scopes\":[\"198.51.100.0\"]}", ERROR_FILE_NOT_FOUND);
    create_ok("");
    expect_code(add, "{" REL "}", ERROR_INVALID_PARAMETER);
    expect_code(add, "{" REL ",\"scopes\":[\"203.0.113.0\"]}", ERROR_DHCP_SUBNET_NOT_PRESENT);
    expect_code(add, "{" REL ",\"scopes\":[\"192.0.2.0\"]}",
                ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP);
    expect_code(add, "{\"relationship-name\":\"zz\",\"scopes\":[\"198.51.100.0\"]}",
                ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST);
    expect_code(add, "{" REL ",\"scopes\":[\"198.51.100.0\"]}", ERROR_DHCP_FO_STATE_NOT_NORMAL);
    fake.ha_state = "load-balancing";
    cJSON *a = expect(add, "{" REL ",\"scopes\":[\"198.51.100.0\"]}", 0, 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rel_of(a), "scopes")), 2);
    cJSON_Delete(a);
    a = expect("win-failover-scope-relationship-get", "{\"scope-id\":\"198.51.100.0\"}", 0, 0);
    assert_string_equal(rel_string(a, "relationship-name"), "ab");
    cJSON_Delete(a);
    expect_code(del, "{" REL ",\"scopes\":[\"192.0.2.0\",\"198.51.100.0\"]}", 0);
    expect_code(del, "{" REL ",\"scopes\":[\"192.0.2.0\"]}", ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP);
    expect_code("win-failover-scope-relationship-get", "{\"scope-id\":\"192.0.2.0\"}",
                ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP);
    expect_code("win-failover-scope-relationship-get", "{}", ERROR_INVALID_PARAMETER);
    assert_int_equal(fake.reloads, 1); /* scope membership changes nothing in Kea */
}

static void system_time(void **state)
{
    (void)state;
    cJSON *a = expect("win-failover-system-time-get", NULL, 0, 0);
    assert_string_equal(cJSON_GetObjectItem(answer_args(a), "time")->valuestring,
                        "2026-11-18T11:06:40Z");
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "max-allowed-delta-time")->valueint, 60);
    cJSON_Delete(a);
}

static void a_long_safe_period_is_timed_by_the_hook(void **state)
{
    (void)state;
    create_ok(",\"safe-period\":100");
    fake.commands_run[0] = '\0';
    fake.ha_state = "communication-recovery";
    win_cmds_tick();                      /* the partner is first seen unreachable */
    fake.now += 99;
    win_cmds_tick();
    assert_null(strstr(fake.commands_run, "ha-maintenance-start"));
    fake.ha_state = "load-balancing";      /* back in touch: the count restarts */
    win_cmds_tick();
    fake.ha_state = "communication-recovery";
    fake.now += 50;
    win_cmds_tick();
    fake.now += 99;
    win_cmds_tick();
    assert_null(strstr(fake.commands_run, "ha-maintenance-start"));
    assert_null(strstr(fake.commands_run, "ha_parameters")); /* the state is enough */
    fake.now += 1;
    win_cmds_tick();                      /* 100 s without the partner: takeover */
    assert_non_null(strstr(fake.commands_run, "ha-maintenance-start"));
    /* A short safe period is Kea's own business: the hook does nothing. */
    cJSON_Delete(expect(SET, "{" REL ",\"flags\":2,\"safe-period\":20}", 0, 0));
    fake.commands_run[0] = '\0';
    win_cmds_tick();                      /* still unreachable, now for 1000 s */
    fake.now += 1000;
    win_cmds_tick();
    assert_null(strstr(fake.commands_run, "ha-maintenance-start"));
}

static void an_unknown_config_file_is_an_error(void **state)
{
    (void)state;
    fake.config_path[0] = '\0';
    cJSON *a = expect(CREATE, "{" BASE "}", ERROR_DHCP_JET_ERROR, 1);
    assert_non_null(strstr(answer_text(a), "config-file"));
    cJSON_Delete(a);
    assert_int_equal(fake.reloads, 0);
}

/* A reload Kea cannot do makes kea-dhcp4 exit: refused before anything is written. */
static void a_library_kea_could_not_load_is_refused(void **state)
{
    (void)state;
    char *before = fake_config_text();
    fake.missing_library = "libdhcp_ha.so";
    cJSON *a = expect(CREATE, "{" BASE "}", ERROR_DHCP_JET_ERROR, 1);
    assert_non_null(strstr(answer_text(a), "libdhcp_ha.so"));
    assert_non_null(strstr(answer_text(a), "nothing changed"));
    cJSON_Delete(a);
    char *after = fake_config_text();
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(fake.reloads, 0);
    cJSON_Delete(expect("win-failover-relationship-get", "{" REL "}",
                        ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(create_checks_in_order, setup),
        cmocka_unit_test_setup(create_writes_ha_and_schedules_a_reload, setup),
        cmocka_unit_test_setup(safe_period_timing, setup),
        cmocka_unit_test_setup(set_flags_are_checked, setup),
        cmocka_unit_test_setup(only_flagged_fields_change_and_kea_only_when_needed, setup),
        cmocka_unit_test_setup(change_state, setup),
        cmocka_unit_test_setup(a_failed_ha_state_read_refuses_what_depends_on_it, setup),
        cmocka_unit_test(kea_states_map_to_fsm_states),
        cmocka_unit_test_setup(get_reports_what_kea_runs, setup),
        cmocka_unit_test_setup(a_state_file_edited_by_hand_is_read_again, setup),
        cmocka_unit_test_setup(delete_removes_ha, setup),
        cmocka_unit_test_setup(enumeration, setup),
        cmocka_unit_test_setup(scopes, setup),
        cmocka_unit_test_setup(system_time, setup),
        cmocka_unit_test_setup(a_long_safe_period_is_timed_by_the_hook, setup),
        cmocka_unit_test_setup(an_unknown_config_file_is_an_error, setup),
        cmocka_unit_test_setup(a_library_kea_could_not_load_is_refused, setup),
    };
    return cmocka_run_group_tests_name("failover", tests, NULL, NULL);
}
