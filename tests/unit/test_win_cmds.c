/* The envelope every answer shares, and the hook parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* The ID the last line of the log names (WIN_MESSAGE_NONE: nothing logged). */
static enum win_message last_logged(void)
{
    size_t len = strlen(fake.log_text);
    if (len == 0) return WIN_MESSAGE_NONE;
    const char *line = fake.log_text + len - 1;
    while (line > fake.log_text && line[-1] != '\n') line--;
    for (int id = WIN_MESSAGE_NONE + 1; id < WIN_MESSAGE_COUNT; id++) {
        size_t n = strlen(win_message_name(id));
        if (strncmp(line, win_message_name(id), n) == 0 && line[n] == ' ') return id;
    }
    return WIN_MESSAGE_NONE;
}

/* Each command leaves one line: a change by the kind of change at INFO, its
 * refusal at WARN, a read at DEBUG, a failure inside the server at ERROR. */
static void every_command_leaves_its_line(void **state)
{
    (void)state;
    const char *create = "{\"client-ip-address\":\"192.0.2.5\","
                         "\"client-hardware-address\":\"00:11:22:33:44:55\"}";
    cJSON_Delete(call("win-client-info-vq-create", create));
    assert_int_equal(last_logged(), WIN_CMDS_CLIENT_CREATED);
    assert_non_null(strstr(fake.log_text, "WIN_CMDS_CLIENT_CREATED win-client-info-vq-create "
                                          "from the unix socket: client 192.0.2.5 created"));
    cJSON_Delete(call("win-client-info-vq-create", create));
    assert_int_equal(last_logged(), WIN_CMDS_CLIENT_CREATE_REFUSED);
    assert_non_null(strstr(fake.log_text, "(ERROR_DHCP_CLIENT_EXISTS)\n"));
    assert_int_equal(win_message_level(WIN_CMDS_CLIENT_CREATE_REFUSED), WIN_LOG_WARN);
    cJSON_Delete(call("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.5\"}"));
    assert_int_equal(last_logged(), WIN_CMDS_COMMAND_ANSWERED);
    assert_int_equal(win_message_level(WIN_CMDS_COMMAND_ANSWERED), WIN_LOG_DEBUG);
    cJSON_Delete(call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.5\"}"));
    assert_int_equal(last_logged(), WIN_CMDS_CLIENT_DELETED);
    /* A missing record, which Windows answers with JET_ERROR (result 3): no failure. */
    cJSON_Delete(call("win-client-info-v4-get", "{\"client-ip-address\":\"192.0.2.5\"}"));
    assert_int_equal(last_logged(), WIN_CMDS_COMMAND_ANSWERED);
    cJSON_Delete(call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.5\"}"));
    assert_int_equal(last_logged(), WIN_CMDS_CLIENT_DELETE_REFUSED);
    fake.fail_backend = 1;
    cJSON_Delete(call("win-client-info-vq-create", create));
    assert_int_equal(last_logged(), WIN_CMDS_COMMAND_FAILED);
    assert_int_equal(win_message_level(WIN_CMDS_COMMAND_FAILED), WIN_LOG_ERROR);
    fake.fail_backend = 0;
    /* Every change refused (here its arguments missing): WARN or ERROR. */
    const char *changes[] = {"win-client-info-vq-create", "win-client-info-v4-set",
                             "win-client-info-vq-set", "win-client-info-delete",
                             "win-failover-relationship-create", "win-failover-relationship-set",
                             "win-failover-relationship-delete", "win-failover-scope-add",
                             "win-failover-scope-delete", "win-failover-relationship-resync",
                             "win-client-replica"};
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        fake.log_text[0] = '\0';
        cJSON *a = call(changes[i], "{}");
        assert_int_not_equal(answer_result(a), 0);
        cJSON_Delete(a);
        enum win_message id = last_logged();
        assert_int_not_equal(id, WIN_MESSAGE_NONE);
        if (win_message_level(id) < WIN_LOG_WARN) fail_msg("%s refused at %s", changes[i],
                                                           win_message_name(id));
    }
}

/* Each text takes its arguments %1..%N, none left out: Kea's logger would
 * print a missing one as an error in the line. */
static void message_texts_number_their_arguments(void **state)
{
    (void)state;
    for (int id = WIN_MESSAGE_NONE + 1; id < WIN_MESSAGE_COUNT; id++) {
        assert_int_equal(strncmp(win_message_name(id), "WIN_CMDS_", 9), 0);
        char placeholder[8];
        for (size_t n = 1; n <= win_message_arg_count(id); n++) {
            snprintf(placeholder, sizeof placeholder, "%%%zu", n);
            if (!strstr(win_message_text(id), placeholder))
                fail_msg("%s has no %s", win_message_name(id), placeholder);
        }
    }
    assert_null(win_message_name(WIN_MESSAGE_NONE));
    assert_null(win_message_name(WIN_MESSAGE_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(every_answer_has_the_envelope, setup),
        cmocka_unit_test_setup(commands_are_listed, setup),
        cmocka_unit_test_setup(unknown_command_and_bad_json, setup),
        cmocka_unit_test_setup(parameters_are_checked, setup),
        cmocka_unit_test_setup(every_command_leaves_its_line, setup),
        cmocka_unit_test_setup(message_texts_number_their_arguments, setup),
    };
    return cmocka_run_group_tests_name("win_cmds", tests, NULL, NULL);
}
