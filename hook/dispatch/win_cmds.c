#include "win_cmds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_info.h"
#include "failover_cmds.h"
#include "failover_ha.h"
#include "failover_safe_period.h"
#include "file_io.h"
#include "json_fields.h"
#include "json_writer.h"
#include "replica_apply.h"
#include "replica_nonces.h"
#include "replica_wire.h"
#include "replicated_cmds.h"
#include "replication.h"
#include "replication_queue.h"
#include "replication_resync.h"
#include "value_formats.h"
#include "win_context.h"
#include "win_stats.h"

/* Every command leaves a line in the log: a change done at INFO and refused
 * at WARN, each kind of change under IDs of its own (done, refused), read-only
 * commands at DEBUG, and a failure inside the server at ERROR. */
static const struct {
    const char *name;
    win_handler *handler;
    enum win_message done, refused; /* WIN_MESSAGE_NONE: the command changes nothing */
    const char *list; /* the list argument the host may hand over in parts */
} commands[] = {
    {"win-client-info-vq-create", client_info_vq_create, WIN_CMDS_CLIENT_CREATED,
     WIN_CMDS_CLIENT_CREATE_REFUSED, "clients"},
    {"win-client-info-v4-get", client_info_v4_get, WIN_MESSAGE_NONE, WIN_MESSAGE_NONE, NULL},
    {"win-client-info-vq-get", client_info_vq_get, WIN_MESSAGE_NONE, WIN_MESSAGE_NONE, NULL},
    {"win-client-info-v4-set", client_info_v4_set, WIN_CMDS_CLIENT_CHANGED,
     WIN_CMDS_CLIENT_CHANGE_REFUSED, NULL},
    {"win-client-info-vq-set", client_info_vq_set, WIN_CMDS_CLIENT_CHANGED,
     WIN_CMDS_CLIENT_CHANGE_REFUSED, NULL},
    {"win-client-info-delete", client_info_delete, WIN_CMDS_CLIENT_DELETED,
     WIN_CMDS_CLIENT_DELETE_REFUSED, NULL},
    {"win-subnet-clients-v4-enum", subnet_clients_v4_enum, WIN_MESSAGE_NONE, WIN_MESSAGE_NONE,
     NULL},
    {"win-subnet-clients-vq-enum", subnet_clients_vq_enum, WIN_MESSAGE_NONE, WIN_MESSAGE_NONE,
     NULL},
    {"win-failover-relationship-create", failover_relationship_create,
     WIN_CMDS_RELATIONSHIP_CREATED, WIN_CMDS_RELATIONSHIP_CREATE_REFUSED, NULL},
    {"win-failover-relationship-set", failover_relationship_set, WIN_CMDS_RELATIONSHIP_CHANGED,
     WIN_CMDS_RELATIONSHIP_CHANGE_REFUSED, NULL},
    {"win-failover-relationship-get", failover_relationship_get, WIN_MESSAGE_NONE,
     WIN_MESSAGE_NONE, NULL},
    {"win-failover-relationship-delete", failover_relationship_delete,
     WIN_CMDS_RELATIONSHIP_DELETED, WIN_CMDS_RELATIONSHIP_DELETE_REFUSED, NULL},
    {"win-failover-relationship-enum", failover_relationship_enum, WIN_MESSAGE_NONE,
     WIN_MESSAGE_NONE, NULL},
    {"win-failover-scope-add", failover_scope_add, WIN_CMDS_SCOPE_ADDED,
     WIN_CMDS_SCOPE_ADD_REFUSED, NULL},
    {"win-failover-scope-delete", failover_scope_delete, WIN_CMDS_SCOPE_REMOVED,
     WIN_CMDS_SCOPE_REMOVE_REFUSED, NULL},
    {"win-failover-scope-relationship-get", failover_scope_relationship_get, WIN_MESSAGE_NONE,
     WIN_MESSAGE_NONE, NULL},
    {"win-failover-scope-statistics-get", failover_scope_statistics_get, WIN_MESSAGE_NONE,
     WIN_MESSAGE_NONE, NULL},
    {"win-failover-client-info-get", failover_client_info_get, WIN_MESSAGE_NONE,
     WIN_MESSAGE_NONE, NULL},
    {"win-failover-client-info-enum", failover_client_info_enum, WIN_MESSAGE_NONE,
     WIN_MESSAGE_NONE, NULL},
    {"win-failover-system-time-get", failover_system_time_get, WIN_MESSAGE_NONE,
     WIN_MESSAGE_NONE, NULL},
    {"win-failover-relationship-resync", failover_relationship_resync, WIN_CMDS_RESYNC_STARTED,
     WIN_CMDS_RESYNC_REFUSED, NULL},
    {REPLICA_COMMAND, client_replica, WIN_CMDS_REPLICA_APPLIED, WIN_CMDS_REPLICA_REFUSED, NULL},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static struct win_config config;
static struct win_host host;
static int configured;

static const char *const parameter_names[] = {"server-ip", "server-name", "state-directory",
                                              "config-file", "max-unreplicated-changes",
                                              "max-records-per-request", "partner-wait-ms",
                                              NULL};

static int copy_path(const cJSON *params, const char *key, char **out, struct win_status *st)
{
    const char *text;
    int rc = jf_string(params, key, 4096, &text, st);
    if (rc == 1 && !(*out = strdup(text))) return win_fail(st, ERROR_INVALID_PARAMETER, "out of memory");
    return rc < 0 ? -1 : 0;
}

static int read_parameters(const cJSON *params, struct win_status *st)
{
    if (!params) return 0;
    if (!cJSON_IsObject(params))
        return win_fail(st, ERROR_INVALID_PARAMETER, "the parameters must be a map");
    if (jf_only_known(params, parameter_names, "the hook parameters", st) < 0) return -1;
    if (jf_ipv4(params, "server-ip", &config.server_ip, st) < 0) return -1;
    const char *name;
    int rc = jf_string(params, "server-name", WIN_SERVER_NAME_MAX, &name, st);
    if (rc < 0) return -1;
    if (rc == 1) snprintf(config.server_name, sizeof config.server_name, "%s", name);
    if (copy_path(params, "state-directory", &config.state_directory, st) < 0 ||
        copy_path(params, "config-file", &config.config_file, st) < 0)
        return -1;
    uint64_t max;
    rc = jf_uint(params, "max-unreplicated-changes", 1000000000u, &max, st);
    if (rc < 0) return -1;
    if (rc == 1 && max < 1)
        return win_fail(st, ERROR_INVALID_PARAMETER, "max-unreplicated-changes must be at least 1");
    if (rc == 1) config.max_unreplicated_changes = max;
    uint64_t cap;
    rc = jf_uint(params, "max-records-per-request", WIN_MAX_RECORDS_PER_REQUEST_MAX, &cap, st);
    if (rc < 0) return -1;
    if (rc == 1 && cap == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "max-records-per-request must be at least 1");
    if (rc == 1) config.max_records_per_request = (uint32_t)cap;
    uint64_t wait;
    rc = jf_uint(params, "partner-wait-ms", WIN_PARTNER_WAIT_MS_MAX, &wait, st);
    if (rc < 0) return -1;
    if (rc == 1 && wait < WIN_PARTNER_WAIT_MS_MIN)
        return win_fail(st, ERROR_INVALID_PARAMETER, "partner-wait-ms must be at least %d",
                        WIN_PARTNER_WAIT_MS_MIN);
    if (rc == 1) config.partner_wait_ms = (uint32_t)wait;
    return 0;
}

/* Without state-directory the hook's files go in a directory of their own
 * beside Kea's (its lease files). */
static int default_state_directory(struct win_status *st)
{
    if (config.state_directory) return 0;
    const char *data = host.data_directory(host.ctx);
    size_t size = strlen(data) + sizeof "/" WIN_STATE_SUBDIRECTORY;
    if (!(config.state_directory = malloc(size)))
        return win_fail(st, ERROR_INVALID_PARAMETER, "out of memory");
    snprintf(config.state_directory, size, "%s/" WIN_STATE_SUBDIRECTORY, data);
    return 0;
}

int win_cmds_configure(const struct win_host *h, const char *params_json, char *err,
                       size_t err_len)
{
    win_cmds_shutdown();
    host = *h;
    config.max_records_per_request = WIN_MAX_RECORDS_PER_REQUEST;
    config.partner_wait_ms = WIN_PARTNER_WAIT_MS;
    if (gethostname(config.server_name, sizeof config.server_name - 1) != 0)
        snprintf(config.server_name, sizeof config.server_name, "kea");
    config.max_unreplicated_changes = WIN_MAX_UNREPLICATED_DEFAULT;
    cJSON *params = params_json ? jf_parse(params_json) : NULL;
    struct win_status st = {0};
    int rc = params_json && !params
                 ? win_fail(&st, ERROR_INVALID_PARAMETER, "the parameters are not JSON")
                 : read_parameters(params, &st);
    cJSON_Delete(params);
    if (rc == 0) rc = default_state_directory(&st);
    if (rc < 0) {
        snprintf(err, err_len, "%s", st.text);
        win_cmds_shutdown();
        return -1;
    }
    /* A missing directory is made now if it can be; if not, load goes on and
     * the commands that need it say why they cannot. */
    char why[FILE_PATH_MAX + 128];
    if (state_directory_ensure(config.state_directory, why, sizeof why) < 0)
        WIN_LOG(&host, WIN_CMDS_STATE_DIRECTORY_UNUSABLE, why);
    failover_backlog_register(repl_queue_count, queue_resync_needed);
    configured = 1;
    struct win_ctx ctx = {&host, &config, NULL};
    queue_file_open(&ctx);
    for (size_t i = 0; i < COMMAND_COUNT; i++) win_stat_command_register(&host, commands[i].name);
    repl_queue_statistics(&ctx);
    return 0;
}

void win_cmds_statistics_reset(void)
{
    if (!configured) return;
    struct win_ctx ctx = {&host, &config, NULL};
    repl_queue_statistics(&ctx);
}

void win_cmds_configured(void)
{
    if (!configured) return;
    struct win_ctx ctx = {&host, &config, NULL};
    fo_ha_name_subnets(&ctx);
}

void win_cmds_tick(void)
{
    if (!configured) return;
    struct win_ctx ctx = {&host, &config, NULL};
    fo_safe_period_tick(&ctx);
    struct repl_slice tick;
    repl_tick_begin(&ctx, &tick);
    repl_queue_tick(&ctx, &tick);
    repl_resync_tick(&ctx, &tick);
}

void win_cmds_shutdown(void)
{
    fo_safe_period_reset();
    replica_apply_reset();
    replica_nonces_reset();
    queue_file_reset();
    repl_silence_reset();
    repl_resync_reset();
    free(config.state_directory);
    free(config.config_file);
    memset(&config, 0, sizeof config);
    memset(&host, 0, sizeof host);
    configured = 0;
}

const char *win_cmds_command_name(size_t index)
{
    return index < COMMAND_COUNT ? commands[index].name : NULL;
}

/* cJSON ends a string at an escaped NUL (\u0000) without a word, which
 * would silently shorten a name or comment: refuse such input instead. */
static int has_escaped_nul(const char *json)
{
    for (const char *p = json; *p; p++) {
        if (*p != '\\') continue;
        if (p[1] == 'u' && strncmp(p + 2, "0000", 4) == 0) return 1;
        if (p[1]) p++;
    }
    return 0;
}

static size_t find(const char *command)
{
    size_t i = 0;
    while (i < COMMAND_COUNT && strcmp(commands[i].name, command) != 0) i++;
    return i;
}

/* Every answer is made here, and counted by command and result. */
static cJSON *envelope(size_t index, const struct win_status *st, cJSON *arguments)
{
    if (configured && index < COMMAND_COUNT)
        win_stat_command_answer(&host, commands[index].name, st->result);
    cJSON *answer = cJSON_CreateObject();
    if (!arguments) arguments = cJSON_CreateObject();
    cJSON_AddNumberToObject(arguments, "error-code", st->code);
    cJSON_AddStringToObject(arguments, "error-name", win_error_name(st->code));
    cJSON_AddNumberToObject(answer, "result", st->result);
    cJSON_AddStringToObject(answer, "text", st->text);
    cJSON_AddItemToObject(answer, "arguments", arguments);
    return answer;
}

const char *win_cmds_list_argument(const char *command)
{
    size_t i = find(command);
    return i < COMMAND_COUNT ? commands[i].list : NULL;
}

/* The ID of a command's line in the log (see commands[]). */
static enum win_message outcome(size_t index, const cJSON *args, const struct win_items *items,
                                const struct win_status *st)
{
    /* Windows answers a missing record with JET_ERROR too: result 3, not a failure. */
    if (st->code == ERROR_DHCP_JET_ERROR && st->result != WIN_RESULT_EMPTY)
        return WIN_CMDS_COMMAND_FAILED;
    if (commands[index].done == WIN_MESSAGE_NONE) return WIN_CMDS_COMMAND_ANSWERED;
    int bulk = commands[index].list &&
               (items || cJSON_HasObjectItem(args, commands[index].list));
    if (st->result == WIN_RESULT_SUCCESS)
        return bulk ? WIN_CMDS_CLIENTS_BULK_CREATED : commands[index].done;
    return bulk ? WIN_CMDS_CLIENTS_BULK_REFUSED : commands[index].refused;
}

/* Runs a known command and writes its outcome to the log. */
static cJSON *run(size_t index, const cJSON *args, const struct win_items *items,
                  const char *origin, struct win_status *st)
{
    struct win_ctx ctx = {&host, &config, commands[index].list ? items : NULL};
    cJSON *arguments = commands[index].handler(&ctx, args, st);
    enum win_message id = outcome(index, args, items, st);
    if (!win_log_wanted(&host, id)) return arguments;
    char from[96];
    snprintf(from, sizeof from, "%.64s%s", origin ? origin : "the unix socket",
             origin ? " over HTTP" : "");
    WIN_LOG(&host, id, commands[index].name, from, st->text, win_error_name(st->code));
    return arguments;
}

static int refuse_early(const char *command, size_t index, struct win_status *st)
{
    if (!configured)
        return win_fail(st, ERROR_CALL_NOT_IMPLEMENTED, "the win_cmds hook is not configured");
    if (index == COMMAND_COUNT)
        return win_fail(st, ERROR_CALL_NOT_IMPLEMENTED, "%.80s is not a win_cmds command",
                        command);
    return 0;
}

static cJSON *answer_to(const char *command, const cJSON *args, const struct win_items *items,
                        const char *origin)
{
    struct win_status st = {0};
    size_t index = find(command);
    cJSON *arguments = NULL;
    if (refuse_early(command, index, &st) == 0)
        arguments = run(index, args, items, origin, &st);
    return envelope(index, &st, arguments);
}

static char *print_answer(cJSON *answer)
{
    struct json_writer w;
    jw_init(&w, 4096);
    jw_value(&w, answer);
    char *text = jw_take(&w);
    cJSON_Delete(answer);
    if (!text) {
        static const char oom[] = "{\"result\":1,\"text\":\"out of memory\",\"arguments\":"
                                  "{\"error-code\":20013,\"error-name\":\"ERROR_DHCP_JET_ERROR\"}}";
        text = strdup(oom);
    }
    return text;
}

char *win_cmds_handle_json(const char *command, const cJSON *args, const char *origin)
{
    return print_answer(answer_to(command, args, NULL, origin));
}

char *win_cmds_handle_items(const char *command, const cJSON *args,
                            const struct win_items *items, const char *origin)
{
    return print_answer(answer_to(command, args, items, origin));
}

char *win_cmds_handle(const char *command, const char *args_json, const char *origin)
{
    struct win_status st = {0};
    cJSON *args = NULL, *answer;
    if (args_json && has_escaped_nul(args_json)) {
        win_fail(&st, ERROR_INVALID_PARAMETER, "strings must not contain NUL (\\u0000)");
        answer = envelope(find(command), &st, NULL);
    } else if (args_json && !(args = jf_parse(args_json))) {
        win_fail(&st, ERROR_INVALID_PARAMETER, "the arguments are not valid JSON");
        answer = envelope(find(command), &st, NULL);
    } else {
        answer = answer_to(command, args, NULL, origin);
    }
    cJSON_Delete(args);
    return print_answer(answer);
}

void win_cmds_free(char *answer) { free(answer); }
