#include "failover_live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failover_ha.h"
#include "json_fields.h"
#include "win_enums.h"

static cJSON *run(const struct win_ctx *ctx, const char *command, const char *args)
{
    char *text = ctx->host->run_command(ctx->host->ctx, command, args);
    if (!text) return NULL;
    cJSON *answer = jf_parse(text);
    free(text);
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(answer, "result");
    if (!cJSON_IsNumber(result) || result->valueint != 0) {
        cJSON_Delete(answer);
        return NULL;
    }
    return answer;
}

/* Each Kea HA state once: its Windows state, and what it lets a pair's
 * record change do (with the partner in touch). */
static const struct {
    int fsm;
    enum fo_pair_reach reach;
} by_phase[] = {
    [WIN_HA_NOT_RUNNING] = {-1, FO_PAIR_NO_HA},
    [WIN_HA_SERVING] = {WIN_FSM_NORMAL, FO_PAIR_IN_TOUCH},
    [WIN_HA_COMMUNICATION_RECOVERY] = {WIN_FSM_COMMUNICATION_INT, FO_PAIR_AWAY},
    [WIN_HA_PARTNER_DOWN] = {WIN_FSM_PARTNER_DOWN, FO_PAIR_AWAY},
    [WIN_HA_PARTNER_IN_MAINTENANCE] = {WIN_FSM_PARTNER_DOWN, FO_PAIR_IN_TOUCH},
    [WIN_HA_IN_MAINTENANCE] = {WIN_FSM_PAUSED, FO_PAIR_IN_TOUCH},
    [WIN_HA_WAITING] = {WIN_FSM_STARTUP, FO_PAIR_SYNCING},
    [WIN_HA_SYNCING] = {WIN_FSM_RECOVER, FO_PAIR_SYNCING},
    [WIN_HA_READY] = {WIN_FSM_RECOVER_DONE, FO_PAIR_SYNCING},
    [WIN_HA_TERMINATED] = {WIN_FSM_SHUTDOWN, FO_PAIR_NO_HA},
    [WIN_HA_OTHER] = {-1, FO_PAIR_NO_HA},
};

int fo_live_fsm_of(const struct win_ha_state *state)
{
    int fsm = by_phase[state->phase].fsm;
    return fsm == WIN_FSM_NORMAL && state->partner_interrupted ? WIN_FSM_COMMUNICATION_INT : fsm;
}

enum fo_pair_reach fo_live_pair_reach(const struct win_ha_state *state)
{
    enum fo_pair_reach reach = by_phase[state->phase].reach;
    return reach != FO_PAIR_SYNCING && state->partner_interrupted ? FO_PAIR_AWAY : reach;
}

static const cJSON *path(const cJSON *obj, const char *const *keys)
{
    for (; obj && *keys; keys++)
        obj = cJSON_GetObjectItemCaseSensitive(obj, *keys);
    return obj;
}

/* The item of list whose member at keys is the string name (NULL: the first). */
static const cJSON *item_named(const cJSON *list, const char *const *keys, const char *name)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const cJSON *value = path(item, keys);
        if (!name || (cJSON_IsString(value) && strcmp(value->valuestring, name) == 0))
            return item;
    }
    return NULL;
}

static cJSON *running_ha_entry(const cJSON *config, const char *name)
{
    static const char *const to_libs[] = {"arguments", "Dhcp4", "hooks-libraries", NULL};
    const cJSON *entry;
    cJSON_ArrayForEach(entry, path(config, to_libs))
    {
        const cJSON *lib = cJSON_GetObjectItemCaseSensitive(entry, "library");
        if (!cJSON_IsString(lib) || !strstr(lib->valuestring, "libdhcp_ha.so")) continue;
        static const char *const to_ha[] = {"parameters", "high-availability", NULL};
        static const char *const me[] = {"this-server-name", NULL};
        const cJSON *ha = item_named(path(entry, to_ha), me, name);
        return cJSON_IsObject(ha) ? cJSON_Duplicate(ha, 1) : NULL;
    }
    return NULL;
}

void fo_live_read(const struct win_ctx *ctx, const struct fo_relationship *rel,
                  enum fo_live_part part, struct fo_live *live)
{
    memset(live, 0, sizeof *live);
    /* Where Kea runs several relationships, this server has a name in each
     * and Kea's state is asked by it. */
    char name[FO_TEXT_MAX];
    const char *wanted = NULL;
    if (rel && ctx->host->kea_facts(ctx->host->ctx)->ha_relationships > 1) {
        fo_ha_this_server_name(ctx, rel, name, sizeof name);
        wanted = name;
    }
    ctx->host->ha_state(ctx->host->ctx, wanted, &live->state);
    live->fsm = fo_live_fsm_of(&live->state);
    if (part != FO_LIVE_STATE_AND_CONFIG) return;
    cJSON *config = run(ctx, "config-get", NULL);
    live->ha = running_ha_entry(config, wanted);
    cJSON_Delete(config);
}

void fo_live_free(struct fo_live *live)
{
    cJSON_Delete(live->ha);
    live->ha = NULL;
}

static void copy_string(const cJSON *obj, const char *key, char *out, size_t size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(item)) snprintf(out, size, "%s", item->valuestring);
}

/* A peer name as the server's name: without "@relationship" (several). */
static void copy_server_name(const cJSON *peer, const struct fo_relationship *rel, char *out)
{
    copy_string(peer, "name", out, FO_TEXT_MAX);
    size_t len = strlen(out), rel_len = strlen(rel->name);
    if (len > rel_len + 1 && out[len - rel_len - 1] == '@' &&
        strcmp(out + len - rel_len, rel->name) == 0)
        out[len - rel_len - 1] = '\0';
}

void fo_live_overlay(const struct fo_live *live, struct fo_relationship *rel)
{
    if (live->fsm >= 0) rel->state = live->fsm;
    if (!live->ha) return;
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(live->ha, "mode");
    if (cJSON_IsString(mode))
        rel->mode = strcmp(mode->valuestring, "hot-standby") == 0 ? WIN_FO_HOT_STANDBY
                                                                  : WIN_FO_LOAD_BALANCE;
    const cJSON *me = cJSON_GetObjectItemCaseSensitive(live->ha, "this-server-name");
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(live->ha, "peers"))
    {
        const cJSON *role = cJSON_GetObjectItemCaseSensitive(p, "role");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        if (!cJSON_IsString(role) || !cJSON_IsString(name)) continue;
        int primary = strcmp(role->valuestring, "primary") == 0;
        copy_string(p, "url", primary ? rel->primary_url : rel->secondary_url, FO_TEXT_MAX);
        copy_server_name(p, rel, primary ? rel->primary_name : rel->secondary_name);
        if (cJSON_IsString(me) && strcmp(me->valuestring, name->valuestring) == 0)
            rel->server_type = primary ? WIN_FO_PRIMARY : WIN_FO_SECONDARY;
    }
}
