/* The envelope every answer shares, and the hook parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_cmds.h"
#include "win_errors.h"

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    return 0;
}

static void every_answer_has_the_envelope(void **state)
{
    (void)state;
    cJSON *a = call("win-client-info-v4-get", "{\"client-ip-address\":\"192.0.2.1\"}");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(a, "result")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(a, "text")));
    assert_int_equal(answer_code(a), ERROR_DHCP_JET_ERROR);
    assert_string_equal(cJSON_GetObjectItem(answer_args(a), "error-name")->valuestring,
                        "ERROR_DHCP_JET_ERROR");
    cJSON_Delete(a);
}

static void commands_are_listed(void **state)
{
    (void)state;
    assert_string_equal(win_cmds_command_name(0), "win-client-info-vq-create");
    size_t n = 0;
    while (win_cmds_command_name(n)) n++;
    assert_int_equal(n, 22);
}

static void unknown_command_and_bad_json(void **state)
{
    (void)state;
    cJSON *a = call("win-nothing", "{}");
    assert_int_equal(answer_code(a), ERROR_CALL_NOT_IMPLEMENTED);
    assert_int_equal(answer_result(a), 1);
    cJSON_Delete(a);
    a = call("win-client-info-v4-get", "{\"client-ip-address\":");
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    cJSON_Delete(a);
    a = call("win-client-info-vq-create", "{\"client-ip-address\":\"192.0.2.5\","
                                          "\"client-hardware-address\":\"00:11:22:33:44:55\","
                                          "\"client-name\":\"a\\u0000b\"}");
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "NUL"));
    cJSON_Delete(a);
    /* An escaped backslash before u0000 is not a NUL. */
    a = call("win-client-info-vq-create", "{\"client-ip-address\":\"192.0.2.5\","
                                          "\"client-hardware-address\":\"00:11:22:33:44:55\","
                                          "\"client-comment\":\"a\\\\u0000b\"}");
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    a = call("win-client-info-vq-create", "{\"client-ip-address\":\"192.0.2.6\","
                                          "\"client-hardware-address\":\"00:11:22:33:44:56\","
                                          "\"client-comment\":\"\xff\xfe\"}");
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "UTF-8"));
    cJSON_Delete(a);
}

static void parameters_are_checked(void **state)
{
    (void)state;
    const struct {
        const char *params, *needle;
    } bad[] = {{"{\"server-ip\":\"999.1.1.1\"}", "server-ip"},
               {"{\"sever-ip\":\"192.0.2.1\"}", "sever-ip"},
               {"{\"server-name\":5}", "server-name"},
               {"[1]", "map"},
               {"{\"state-directory\":true}", "state-directory"},
               {"{\"max-records-per-request\":0}", "max-records-per-request"},
               {"{\"max-records-per-request\":1000001}", "max-records-per-request"},
               {"{\"max-records-per-request\":\"10\"}", "max-records-per-request"},
               {"{\"partner-wait-ms\":19}", "partner-wait-ms"},
               {"{\"partner-wait-ms\":10001}", "partner-wait-ms"}};
    extern struct fake_host fake;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        struct win_host none = {0};
        assert_int_equal(win_cmds_configure(&none, bad[i].params, err, sizeof err), -1);
        assert_non_null(strstr(err, bad[i].needle));
        /* An unconfigured library answers every command with an error. */
        cJSON *a = call("win-client-info-v4-get", "{\"client-ip-address\":\"192.0.2.1\"}");
        assert_int_equal(answer_result(a), 1);
        cJSON_Delete(a);
    }
    fake_reset("{}"); /* no parameters: owner-host falls back to the host name */
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    cJSON_Delete(call("win-client-info-vq-create", "{\"client-ip-address\":\"192.0.2.5\","
                      "\"client-hardware-address\":\"00:11:22:33:44:55\"}"));
    cJSON *a = call("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.5\"}");
    const cJSON *owner = cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a), "client"),
                                             "owner-host");
    assert_string_equal(cJSON_GetObjectItem(owner, "ip-address")->valuestring, "0.0.0.0");
    char name[256] = "";
    assert_int_equal(gethostname(name, sizeof name - 1), 0);
    assert_string_equal(cJSON_GetObjectItem(owner, "netbios-name")->valuestring, name);
    cJSON_Delete(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(every_answer_has_the_envelope, setup),
        cmocka_unit_test_setup(commands_are_listed, setup),
        cmocka_unit_test_setup(unknown_command_and_bad_json, setup),
        cmocka_unit_test_setup(parameters_are_checked, setup),
    };
    return cmocka_run_group_tests_name("win_cmds", tests, NULL, NULL);
}
