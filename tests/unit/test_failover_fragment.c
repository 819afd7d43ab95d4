/* The managed HA fragment: what it holds for none, one and several
 * relationships, how the operator's configuration must take it, and that the
 * operator's file is never written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "failover_fragment.h"
#include "fake_host.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-failover-relationship-create"
#define DELETE "win-failover-relationship-delete"
#define REL "\"relationship-name\":\"r1\",\"primary-server\":\"192.0.2.1\"," \
            "\"secondary-server\":\"192.0.2.2\",\"mode\":\"hot-standby\""
#define LEASE_CMDS "{ \"library\": \"/opt/kea/hooks/libdhcp_lease_cmds.so\" }"

static const char *config =
    "# the operator's comments stay\n"
    "{ \"Dhcp4\": {\n"
    "  \"hooks-libraries\": [ " LEASE_CMDS " ],\n"
    "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\" },\n"
    "               { \"id\": 2, \"subnet\": \"198.51.100.0/24\" } ]\n"
    "} }\n";

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 3600);
    fake_use_files(config);
    return 0;
}

/* The state directory's file name. */
static const char *state_path(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%.*s/%s",
             (int)(strrchr(fake.config_path, '/') - fake.config_path), fake.config_path, name);
    return path;
}

static cJSON *expect(const char *command, const char *args, int code)
{
    cJSON *a = call(command, args);
    if (answer_code(a) != code) fail_msg("%s -> %d: %s", command, answer_code(a), answer_text(a));
    return a;
}

/* text with each @F@ replaced by the fragment's path (caller frees). */
static char *with_fragment(const char *text)
{
    const char *fragment = state_path("ha-library.json");
    char *out = calloc(1, strlen(text) * 2 + 4096), *o = out;
    for (const char *p = text; *p;)
        if (strncmp(p, "@F@", 3) == 0) {
            o += sprintf(o, "%s", fragment);
            p += 3;
        } else {
            *o++ = *p++;
        }
    return out;
}

/* The operator's file as given (no include added; @F@ the fragment's path):
 * refused with a text holding what (@F@ too), nothing changed and nothing
 * checked. */
static void refused_with(const char *operator_config, const char *what)
{
    fake_use_files_as_is("");
    char *text = with_fragment(operator_config), *expected = with_fragment(what);
    FILE *f = fopen(fake.config_path, "w");
    fputs(text, f);
    fclose(f);
    free(text);
    char *file = fake_operator_text(), *fragment = fake_fragment_text();
    cJSON *a = expect(CREATE, "{" REL ",\"scopes\":[\"192.0.2.0\"]}", ERROR_DHCP_JET_ERROR);
    if (!strstr(answer_text(a), expected) || !strstr(answer_text(a), "nothing changed"))
        fail_msg("expected '%s' in: %s", expected, answer_text(a));
    free(expected);
    cJSON_Delete(a);
    char *file_after = fake_operator_text(), *fragment_after = fake_fragment_text();
    assert_string_equal(file, file_after);
    assert_string_equal(fragment, fragment_after);
    free(file);
    free(file_after);
    free(fragment);
    free(fragment_after);
    assert_int_equal(access(state_path("win-failover-relationships.json"), F_OK), -1);
    assert_int_equal(fake.config_checks, 0);
    assert_int_equal(fake.reloads, 0);
}

static void a_configuration_without_the_include_is_refused_with_the_line_to_add(void **state)
{
    (void)state;
    refused_with(config, "add the line <?include \"@F@\"?> as the last thing inside its "
                 "\"hooks-libraries\" list");
    /* Commented out is not taken either. */
    refused_with("{ \"Dhcp4\": { \"hooks-libraries\": [ " LEASE_CMDS
                 "\n // <?include \"@F@\"?>\n ] } }", "add the line <?include \"@F@\"?>");
}

static void the_include_must_be_last_in_hooks_libraries(void **state)
{
    (void)state;
    refused_with("{ \"Dhcp4\": { \"hooks-libraries\": [ <?include \"@F@\"?> " LEASE_CMDS
                 " ] } }", "as the last thing inside its \"hooks-libraries\" list");
}

static void lease_cmds_or_an_own_ha_entry_is_refused(void **state)
{
    (void)state;
    refused_with("{ \"Dhcp4\": { \"hooks-libraries\": [ { \"library\": "
                 "\"/x/libdhcp_win_cmds.so\" } <?include \"@F@\"?> ] } }",
                 "does not load libdhcp_lease_cmds.so");
    refused_with("{ \"Dhcp4\": { \"hooks-libraries\": [ " LEASE_CMDS ", { \"library\": "
                 "\"/x/libdhcp_ha.so\" } <?include \"@F@\"?> ] } }",
                 "loads libdhcp_ha.so itself");
}

static void the_fragment_follows_the_relationships_and_the_file_never_changes(void **state)
{
    (void)state;
    struct stat before, after;
    char *file = fake_operator_text();
    assert_int_equal(stat(fake.config_path, &before), 0);
    cJSON_Delete(expect(CREATE, "{" REL ",\"scopes\":[\"192.0.2.0\"]}", 0));
    char *fragment = fake_fragment_text();
    /* A comment, then the entry that joins the list with its leading comma. */
    assert_true(strncmp(fragment, "// kea-win-cmds:", 16) == 0);
    char *entry = strstr(fragment, "\n, {");
    assert_non_null(entry);
    cJSON *ha = cJSON_Parse(entry + 3);
    assert_string_equal(cJSON_GetObjectItem(ha, "library")->valuestring,
                        "/opt/kea/hooks/libdhcp_ha.so");
    cJSON_Delete(ha);
    free(fragment);
    assert_int_equal(fake.reloads, 1);
    cJSON_Delete(expect("win-failover-relationship-set",
                        "{\"relationship-name\":\"r1\",\"flags\":[\"safe-period\"],"
                        "\"safe-period\":30}", 0));
    assert_int_equal(fake.reloads, 2);
    cJSON_Delete(expect(DELETE, "{\"relationship-name\":\"r1\"}", 0));
    fragment = fake_fragment_text();
    assert_string_equal(fragment, FO_FRAGMENT_NONE);
    free(fragment);
    struct stat fragment_stat;
    assert_int_equal(stat(state_path("ha-library.json"), &fragment_stat), 0);
    assert_int_equal(fragment_stat.st_mode & 0777, 0600);
    assert_int_equal(stat(fake.config_path, &after), 0);
    char *file_after = fake_operator_text();
    assert_string_equal(file, file_after);
    free(file);
    free(file_after);
    assert_int_equal(before.st_mode, after.st_mode);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
    assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    assert_int_equal(access(state_path("ha-library.json.candidate"), F_OK), -1);
    assert_int_equal(access(state_path("kea-dhcp4.conf.candidate"), F_OK), -1);
}

/* Several relationships (Kea 2.6+): each relationship's scopes are in the
 * fragment as comments, so that moving one reloads Kea, which names the
 * subnets in memory again. */
static void several_relationships_name_their_subnets_in_memory(void **state)
{
    (void)state;
    fake.facts.release = "2.6";
    fake.facts.ha_relationships = 31;
    cJSON_Delete(expect(CREATE, "{" REL ",\"scopes\":[\"192.0.2.0\",\"198.51.100.0\"]}", 0));
    fake_configure_kea();
    assert_string_equal(fake_ha_server_name(1), ""); /* alone: it covers every subnet */
    cJSON_Delete(expect("win-failover-scope-delete", "{\"relationship-name\":\"r1\","
                        "\"scopes\":[\"198.51.100.0\"]}", 0));
    cJSON_Delete(expect(CREATE, "{\"relationship-name\":\"r2\",\"primary-server\":\"192.0.2.1\","
                        "\"secondary-server\":\"192.0.2.3\",\"mode\":\"hot-standby\","
                        "\"scopes\":[\"198.51.100.0\"]}", 0));
    char *fragment = fake_fragment_text();
    assert_non_null(strstr(fragment, "// scopes of high-availability[0]: 192.0.2.0\n"));
    assert_non_null(strstr(fragment, "// scopes of high-availability[1]: 198.51.100.0\n"));
    free(fragment);
    fake_configure_kea();
    assert_string_equal(fake_ha_server_name(1), "192.0.2.1@r1");
    assert_string_equal(fake_ha_server_name(2), "192.0.2.1@r2");
    /* A subnet Kea runs outside every relationship: said in the log. */
    fake_add_subnet(3, "203.0.113.0", 24, 3600);
    fake.log_text[0] = '\0';
    fake_configure_kea();
    assert_string_equal(fake_ha_server_name(3), "");
    const char *line = fake_logged(WIN_CMDS_SUBNET_IN_NO_RELATIONSHIP);
    assert_non_null(line);
    assert_non_null(strstr(line, "subnet 203.0.113.0 is in"));
    /* and a change now is refused: the check is against the subnets Kea runs. */
    int reloads = fake.reloads;
    cJSON_Delete(expect("win-failover-relationship-set", "{\"relationship-name\":\"r1\","
                        "\"flags\":[\"safe-period\"],\"safe-period\":30}",
                        ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP));
    assert_int_equal(fake.reloads, reloads);
}

static void the_candidate_configuration_takes_the_candidate_fragment(void **state)
{
    (void)state;
    size_t at, len;
    const char *text = "{ // <?include \"/s/ha-library.json\"?>\n \"x\": [ {}\n"
                       "  <?include   \"/s/ha-library.json\"  ?> ] }";
    assert_int_equal(fo_fragment_include(text, "/s/ha-library.json", &at, &len), 0);
    char *candidate = fo_fragment_retarget(text, at, len, "/s/ha-library.json.candidate");
    assert_string_equal(candidate, "{ // <?include \"/s/ha-library.json\"?>\n \"x\": [ {}\n"
                                   "  <?include   \"/s/ha-library.json.candidate\"  ?> ] }");
    free(candidate);
    assert_int_equal(fo_fragment_include(text, "/t/ha-library.json", &at, &len), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(
            a_configuration_without_the_include_is_refused_with_the_line_to_add, setup),
        cmocka_unit_test_setup(the_include_must_be_last_in_hooks_libraries, setup),
        cmocka_unit_test_setup(lease_cmds_or_an_own_ha_entry_is_refused, setup),
        cmocka_unit_test_setup(the_fragment_follows_the_relationships_and_the_file_never_changes,
                               setup),
        cmocka_unit_test_setup(several_relationships_name_their_subnets_in_memory, setup),
        cmocka_unit_test(the_candidate_configuration_takes_the_candidate_fragment),
    };
    return cmocka_run_group_tests_name("failover_fragment", tests, NULL, NULL);
}
