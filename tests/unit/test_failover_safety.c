/* A failover change can never break Kea: peer URLs parsed strictly, the new
 * configuration checked by the release before it is swapped in, and every
 * later failure rolled back so that the configuration file and the state
 * file agree. */
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

#include "failover_url.h"
#include "fake_host.h"
#include "file_io.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-failover-relationship-create"
#define REL "\"relationship-name\":\"r1\",\"primary-server\":\"192.0.2.1\"," \
            "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"]"

static const char *config =
    "{ \"Dhcp4\": {\n"
    "  \"hooks-libraries\": [ { \"library\": \"/opt/kea/hooks/libdhcp_lease_cmds.so\" } ],\n"
    "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\" } ]\n"
    "} }\n";

static char state_file[512];

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_use_files(config);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", fake.config_path);
    *strrchr(dir, '/') = '\0';
    snprintf(state_file, sizeof state_file, "%s/win-failover-relationships.json", dir);
    return 0;
}

static void url_ok(const char *text, int https, enum fo_url_host kind, const char *host,
                   unsigned port)
{
    struct fo_url url;
    char why[200] = "";
    if (fo_url_parse(text, &url, why, sizeof why) != 0) fail_msg("%s refused: %s", text, why);
    assert_int_equal(url.https, https);
    assert_int_equal(url.host_kind, kind);
    assert_string_equal(url.host, host);
    assert_int_equal(url.port, port);
}

static void url_bad(const char *text)
{
    struct fo_url url;
    char why[200] = "";
    if (fo_url_parse(text, &url, why, sizeof why) == 0) fail_msg("%s accepted", text);
    assert_true(why[0] != '\0');
}

static void urls_are_parsed_strictly(void **state)
{
    (void)state;
    url_ok("http://127.0.0.1:8000/", 0, FO_URL_IPV4, "127.0.0.1", 8000);
    url_ok("http://192.0.2.1", 0, FO_URL_IPV4, "192.0.2.1", 0);
    url_ok("https://[2001:db8::1]:65535/", 1, FO_URL_IPV6, "2001:db8::1", 65535);
    url_ok("http://[::1]", 0, FO_URL_IPV6, "::1", 0);
    url_ok("http://dhcp-b.example.net:8000/", 0, FO_URL_NAME, "dhcp-b.example.net", 8000);
    url_ok("http://localhost:1/", 0, FO_URL_NAME, "localhost", 1);
    static const char *const bad[] = {
        "", "127.0.0.1:8000", "ftp://127.0.0.1/", "HTTP://127.0.0.1/", "http://",
        "http:///", "http://bad url/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
        "http://127.0.0.1:/", "http://127.0.0.1:80a/", "http://127.0.0.1:000080/",
        "http://127.0.0.1/ha", "http://127.0.0.1/?x=1", "http://127.0.0.1/#f",
        "http://127.0.0.1?x", "http://user:pw@127.0.0.1/", "http://256.0.0.1/",
        "http://1.2.3/", "http://[2001:db8::1/", "http://[nothing]/", "http://2001:db8::1/",
        "http://-host.example/", "http://host-.example/", "http://a..b/", "http://ex_ample/",
        "http://127.0.0.1:8000//", "http://127.0.0.1 /", NULL};
    for (size_t i = 0; bad[i]; i++) url_bad(bad[i]);
}

static void peer_urls_need_an_address_and_tls_for_https(void **state)
{
    (void)state;
    char why[512];
    assert_int_equal(fo_url_check_peer("primary-url", "http://192.0.2.1:8000/", 0, why,
                                       sizeof why), 0);
    assert_int_equal(fo_url_check_peer("primary-url", "https://192.0.2.1:8001/", 0, why,
                                       sizeof why), -1);
    assert_non_null(strstr(why, "primary-url"));
    assert_non_null(strstr(why, "TLS is not configured"));
    assert_int_equal(fo_url_check_peer("secondary-url", "http://b.example/", 0, why,
                                       sizeof why), -1);
    assert_non_null(strstr(why, "secondary-url"));
    assert_non_null(strstr(why, "IP address"));
}

/* The answer's code and that its text names what it must. */
static void refused(const char *args, int code, const char *names)
{
    char *before = fake_config_text(), *file_before = fake_operator_text();
    cJSON *a = call(CREATE, args);
    if (answer_code(a) != code || !strstr(answer_text(a), names))
        fail_msg("%s -> %d: %s", args, answer_code(a), answer_text(a));
    cJSON_Delete(a);
    char *after = fake_config_text(), *file_after = fake_operator_text();
    assert_string_equal(before, after);
    assert_string_equal(file_before, file_after);
    free(before);
    free(after);
    free(file_before);
    free(file_after);
    assert_int_equal(access(state_file, F_OK), -1);
    assert_int_equal(fake.reloads, 0);
}

static void bad_urls_are_refused_with_87_naming_the_field(void **state)
{
    (void)state;
    refused("{" REL ",\"primary-url\":\"https://127.0.0.1:8001/\"}", ERROR_INVALID_PARAMETER,
            "primary-url 'https://127.0.0.1:8001/' uses https, but TLS is not configured");
    refused("{" REL ",\"secondary-url\":\"http://bad url/\"}", ERROR_INVALID_PARAMETER,
            "secondary-url");
    refused("{" REL ",\"primary-url\":\"http://127.0.0.1:70000/\"}", ERROR_INVALID_PARAMETER,
            "port");
    refused("{" REL ",\"primary-url\":\"http://127.0.0.1/ha?x\"}", ERROR_INVALID_PARAMETER,
            "path");
    refused("{" REL ",\"primary-url\":\"http://dhcp-a.example/\"}", ERROR_INVALID_PARAMETER,
            "IP address");
    assert_int_equal(fake.config_checks, 0);
}

static const char *dirname_of(const char *path)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    return dir;
}

/* Neither candidate is left in the state directory, nor anything beside the
 * operator's file. */
static void assert_no_candidates(void)
{
    char path[600];
    static const char *const names[] = {"ha-library.json.candidate", "kea-dhcp4.conf.candidate",
                                        "kea-dhcp4.conf.win-candidate", NULL};
    for (size_t i = 0; names[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dirname_of(state_file), names[i]);
        assert_int_equal(access(path, F_OK), -1);
    }
}

static void a_candidate_the_release_refuses_changes_nothing(void **state)
{
    (void)state;
    fake.config_check_refuses = "DHCP4_CONFIG_LOAD_FAIL configuration error: libdhcp_ha.so";
    refused("{" REL "}", ERROR_DHCP_JET_ERROR, "kea-dhcp4 -t refused the new configuration: "
            "DHCP4_CONFIG_LOAD_FAIL");
    assert_int_equal(fake.config_checks, 1);
    assert_no_candidates();
}

static void an_unwritable_state_directory_changes_nothing(void **state)
{
    (void)state;
    char params[1024], err[256];
    /* Its parent is missing: it cannot be made, even by root. */
    snprintf(params, sizeof params, "{\"server-ip\":\"192.0.2.1\",\"server-name\":\"KEA1\","
             "\"state-directory\":\"%s/absent/sub\",\"config-file\":\"%s\"}",
             dirname_of(state_file), fake.config_path);
    assert_int_equal(win_cmds_configure(fake_host_table(), params, err, sizeof err), 0);
    refused("{" REL "}", ERROR_DHCP_JET_ERROR, "is missing and cannot be created");
    assert_int_equal(fake.config_checks, 0);
}

/* A directory takes the state file's place while the release checks the
 * candidate: the state cannot be kept, and the fragment stays as it was. */
static void block_state_file(const char *path)
{
    (void)path;
    char inside[600];
    snprintf(inside, sizeof inside, "%s/x", state_file);
    if (mkdir(state_file, 0700) != 0 || mkdir(inside, 0700) != 0) abort();
}

static void a_state_file_that_cannot_be_saved_changes_nothing(void **state)
{
    (void)state;
    char *fragment = fake_fragment_text();
    fake.config_check_hook = block_state_file;
    cJSON *a = call(CREATE, "{" REL "}");
    if (answer_code(a) != ERROR_DHCP_JET_ERROR || !strstr(answer_text(a), state_file) ||
        !strstr(answer_text(a), "nothing changed"))
        fail_msg("create -> %d: %s", answer_code(a), answer_text(a));
    cJSON_Delete(a);
    assert_int_equal(fake.config_checks, 1);
    char *after = fake_fragment_text();
    assert_string_equal(fragment, after);
    free(fragment);
    free(after);
    assert_no_candidates();
    assert_int_equal(fake.reloads, 0);
}

/* The candidate vanishes between its check and the swap: the state file,
 * already saved, is put back. */
static void drop_candidate(const char *path)
{
    char fragment[600];
    snprintf(fragment, sizeof fragment, "%s/ha-library.json.candidate", dirname_of(path));
    unlink(fragment);
}

static void a_failed_swap_puts_the_state_file_back(void **state)
{
    (void)state;
    cJSON *a = call(CREATE, "{" REL "}");
    assert_int_equal(answer_code(a), ERROR_SUCCESS);
    cJSON_Delete(a);
    char *state_before = file_read_all(state_file, NULL), *config_before = fake_config_text();
    assert_non_null(state_before);
    fake.reloads = 0;
    fake.config_check_hook = drop_candidate;
    a = call("win-failover-relationship-delete", "{\"relationship-name\":\"r1\"}");
    if (answer_code(a) != ERROR_DHCP_JET_ERROR || !strstr(answer_text(a), "put back"))
        fail_msg("delete -> %d: %s", answer_code(a), answer_text(a));
    cJSON_Delete(a);
    char *state_after = file_read_all(state_file, NULL), *config_after = fake_config_text();
    assert_non_null(state_after);
    assert_string_equal(state_before, state_after);
    assert_string_equal(config_before, config_after);
    assert_int_equal(fake.reloads, 0);
    free(state_before);
    free(state_after);
    free(config_before);
    free(config_after);
    /* A first create whose swap fails leaves no state file at all. */
    setup(NULL);
    fake.config_check_hook = drop_candidate;
    refused("{" REL "}", ERROR_DHCP_JET_ERROR, "put back");
}

static void a_change_kea_does_not_see_is_not_checked(void **state)
{
    (void)state;
    cJSON *a = call(CREATE, "{" REL "}");
    assert_int_equal(answer_code(a), ERROR_SUCCESS);
    cJSON_Delete(a);
    assert_int_equal(fake.config_checks, 1);
    a = call("win-failover-relationship-set",
             "{\"relationship-name\":\"r1\",\"flags\":[\"mclt\"],\"mclt\":7200}");
    assert_int_equal(answer_code(a), ERROR_SUCCESS);
    cJSON_Delete(a);
    assert_int_equal(fake.config_checks, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(urls_are_parsed_strictly),
        cmocka_unit_test(peer_urls_need_an_address_and_tls_for_https),
        cmocka_unit_test_setup(bad_urls_are_refused_with_87_naming_the_field, setup),
        cmocka_unit_test_setup(a_candidate_the_release_refuses_changes_nothing, setup),
        cmocka_unit_test_setup(an_unwritable_state_directory_changes_nothing, setup),
        cmocka_unit_test_setup(a_state_file_that_cannot_be_saved_changes_nothing, setup),
        cmocka_unit_test_setup(a_failed_swap_puts_the_state_file_back, setup),
        cmocka_unit_test_setup(a_change_kea_does_not_see_is_not_checked, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
