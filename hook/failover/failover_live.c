#include "failover_live.h"

#include <stdio.h>
#include <string.h>

#include "failover_ha.h"
#include "win_enums.h"

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

/* A read of Kea's HA that failed: logged, as what is read then stands in. */
static void log_failure(const struct win_ctx *ctx, const char *what, const char *err)
{
    WIN_LOG(ctx->host, WIN_CMDS_HA_LOOKUP_FAILED, what, err);
}

int fo_live_read(const struct win_ctx *ctx, const struct fo_relationship *rel,
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
    int rc = ctx->host->ha_state(ctx->host->ctx, wanted, &live->state, live->state_err);
    if (rc != WIN_HOST_OK) log_failure(ctx, "state", live->state_err);
    live->fsm = fo_live_fsm_of(&live->state);
    if (part == FO_LIVE_STATE_AND_CONFIG) {
        /* Parameters that cannot be read leave what the hook stored, as when
         * HA runs nothing: the command may already have changed Kea. */
        char err[WIN_HOST_ERR_LEN] = "";
        int found = ctx->host->ha_parameters(ctx->host->ctx, wanted, &live->ha, err);
        live->has_ha = found == WIN_HOST_OK;
        if (found == WIN_HOST_ERROR) log_failure(ctx, "parameters", err);
    }
    return rc == WIN_HOST_OK ? 0 : -1;
}

/* A peer name as the server's name: without "@relationship" (several). */
static void copy_server_name(const struct win_ha_peer *peer, const struct fo_relationship *rel,
                             char *out)
{
    snprintf(out, FO_TEXT_MAX, "%s", peer->name);
    size_t len = strlen(out), rel_len = strlen(rel->name);
    if (len > rel_len + 1 && out[len - rel_len - 1] == '@' &&
        strcmp(out + len - rel_len, rel->name) == 0)
        out[len - rel_len - 1] = '\0';
}

void fo_live_overlay(const struct fo_live *live, struct fo_relationship *rel)
{
    if (live->fsm >= 0) rel->state = live->fsm;
    if (!live->has_ha) return;
    const struct win_ha_parameters *ha = &live->ha;
    if (ha->mode != WIN_HA_MODE_NONE)
        rel->mode = ha->mode == WIN_HA_MODE_HOT_STANDBY ? WIN_FO_HOT_STANDBY : WIN_FO_LOAD_BALANCE;
    for (size_t i = 0; i < ha->peer_count; i++) {
        const struct win_ha_peer *p = &ha->peers[i];
        int primary = p->role == WIN_HA_ROLE_PRIMARY;
        if (p->has_url)
            snprintf(primary ? rel->primary_url : rel->secondary_url, FO_TEXT_MAX, "%s", p->url);
        copy_server_name(p, rel, primary ? rel->primary_name : rel->secondary_name);
        if (ha->this_server_name[0] && strcmp(ha->this_server_name, p->name) == 0)
            rel->server_type = primary ? WIN_FO_PRIMARY : WIN_FO_SECONDARY;
    }
}
