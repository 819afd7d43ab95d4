/* The fake Kea's HA hook: the state a test sets by name, the takeover
 * commands, and the running parameters read from the -c file. */
#include "fake_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void note_command(const char *command)
{
    size_t n = strlen(fake.commands_run);
    snprintf(fake.commands_run + n, sizeof fake.commands_run - n, "%s ", command);
}

/* The states of Kea HA a test sets by name, as the shim classifies them. The
 * fake runs one relationship, of no server name: asked by name, none runs. */
int fake_host_ha_state(void *ctx, const char *server_name, struct win_ha_state *out,
                       char *err)
{
    (void)ctx;
    if (fake.ha_state_delay_ms) {
        struct timespec t = {0, fake.ha_state_delay_ms * 1000000L};
        nanosleep(&t, NULL);
    }
    static const struct { const char *name; enum win_ha_phase phase; } phases[] = {
        {"load-balancing", WIN_HA_SERVING}, {"hot-standby", WIN_HA_SERVING},
        {"communication-recovery", WIN_HA_COMMUNICATION_RECOVERY},
        {"partner-down", WIN_HA_PARTNER_DOWN},
        {"partner-in-maintenance", WIN_HA_PARTNER_IN_MAINTENANCE},
        {"in-maintenance", WIN_HA_IN_MAINTENANCE}, {"waiting", WIN_HA_WAITING},
        {"syncing", WIN_HA_SYNCING}, {"ready", WIN_HA_READY},
        {"terminated", WIN_HA_TERMINATED}};
    note_command("status-get");
    memset(out, 0, sizeof *out);
    int running = fake.ha_state && !server_name && !fake.fail_ha_state;
    snprintf(out->name, sizeof out->name, "%s", running ? fake.ha_state : "not-running");
    if (fake.fail_ha_state) {
        snprintf(err, WIN_HOST_ERR_LEN, "status-get failed: fake HA is unreadable");
        return WIN_HOST_ERROR;
    }
    if (!running) return WIN_HOST_OK;
    out->phase = WIN_HA_OTHER;
    for (size_t i = 0; i < sizeof phases / sizeof phases[0]; i++)
        if (strcmp(phases[i].name, fake.ha_state) == 0) out->phase = phases[i].phase;
    out->partner_interrupted = fake.partner_interrupted;
    return WIN_HOST_OK;
}

int fake_host_ha_takeover(void *ctx, enum win_ha_takeover what, char *text, size_t size,
                          char *err)
{
    (void)ctx;
    const char *command =
        what == WIN_HA_TAKEOVER_START ? "ha-maintenance-start" : "ha-maintenance-cancel";
    note_command(command);
    if (!fake.ha_state) {
        snprintf(err, WIN_HOST_ERR_LEN, "'%s' command not supported.", command);
        return WIN_HOST_ERROR;
    }
    if (fake.refuse_commands) {
        snprintf(err, WIN_HOST_ERR_LEN, "%s refused", command);
        return WIN_HOST_ERROR;
    }
    snprintf(text, size, "%s done", command);
    return WIN_HOST_OK;
}

static const cJSON *member_at(const cJSON *obj, const char *const *keys)
{
    for (; obj && *keys; keys++)
        obj = cJSON_GetObjectItemCaseSensitive(obj, *keys);
    return obj;
}

/* The high-availability entry of the -c file's first libdhcp_ha.so entry
 * that names this server server_name (NULL: the first). */
static const cJSON *running_ha(const cJSON *config, const char *server_name)
{
    static const char *const to_libs[] = {"Dhcp4", "hooks-libraries", NULL};
    static const char *const to_ha[] = {"parameters", "high-availability", NULL};
    const cJSON *entry, *ha;
    cJSON_ArrayForEach(entry, member_at(config, to_libs))
    {
        const cJSON *lib = cJSON_GetObjectItemCaseSensitive(entry, "library");
        if (!cJSON_IsString(lib) || !strstr(lib->valuestring, "libdhcp_ha.so")) continue;
        cJSON_ArrayForEach(ha, member_at(entry, to_ha))
        {
            const cJSON *me = cJSON_GetObjectItemCaseSensitive(ha, "this-server-name");
            if (!server_name || (cJSON_IsString(me) && strcmp(me->valuestring, server_name) == 0))
                return cJSON_IsObject(ha) ? ha : NULL;
        }
        return NULL;
    }
    return NULL;
}

static const char *string_of(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* HA's parameters as the fake Kea runs them: those of the -c file. */
int fake_host_ha_parameters(void *ctx, const char *server_name,
                            struct win_ha_parameters *out, char *err)
{
    (void)ctx;
    note_command("ha_parameters");
    if (fake.fail_ha_parameters) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake configuration is unreadable");
        return WIN_HOST_ERROR;
    }
    char *text = fake_config_text();
    cJSON *config = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *ha = running_ha(config, server_name);
    if (!ha) {
        cJSON_Delete(config);
        return WIN_HOST_NOT_FOUND;
    }
    memset(out, 0, sizeof *out);
    static const char *const modes[] = {"load-balancing", "hot-standby"};
    static const char *const roles[] = {"primary", "secondary", "standby", "backup"};
    const char *mode = string_of(ha, "mode"), *me = string_of(ha, "this-server-name");
    if (mode) out->mode = WIN_HA_MODE_OTHER;
    for (int i = 0; mode && i < 2; i++)
        if (strcmp(mode, modes[i]) == 0) out->mode = WIN_HA_MODE_LOAD_BALANCING + i;
    snprintf(out->this_server_name, sizeof out->this_server_name, "%s", me ? me : "");
    const cJSON *peer;
    cJSON_ArrayForEach(peer, cJSON_GetObjectItemCaseSensitive(ha, "peers"))
    {
        const char *role = string_of(peer, "role"), *name = string_of(peer, "name");
        const char *url = string_of(peer, "url");
        if (!role || !name || out->peer_count == WIN_HA_PEERS_MAX) continue;
        struct win_ha_peer *p = &out->peers[out->peer_count++];
        p->role = WIN_HA_ROLE_OTHER;
        for (int i = 0; i < 4; i++)
            if (strcmp(role, roles[i]) == 0) p->role = WIN_HA_ROLE_PRIMARY + i;
        snprintf(p->name, sizeof p->name, "%s", name);
        p->has_url = url != NULL;
        snprintf(p->url, sizeof p->url, "%s", url ? url : "");
    }
    cJSON_Delete(config);
    return WIN_HOST_OK;
}

const struct win_ha_timing_limits *fake_host_ha_timing_limits(void *ctx)
{
    (void)ctx;
    static const struct win_ha_timing_limits limits = {65535, 60000};
    return &limits;
}
