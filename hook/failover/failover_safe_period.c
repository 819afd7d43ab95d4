/* The Windows safe period beyond what Kea's 16-bit max-response-delay can
 * time: once the partner has been unreachable that long, take over exactly as
 * an administrator's CHANGESTATE partner-down does (ha-maintenance-start). */
#include "failover_safe_period.h"

#include <stdio.h>
#include <stdlib.h>

#include "failover_ha.h"
#include "failover_live.h"
#include "failover_store.h"
#include "win_enums.h"

/* When the partner was first seen unreachable; 0 = reachable. Lost on a
 * reload, which restarts the count as Windows restarts its timer. */
static int64_t interrupted_since;

void fo_safe_period_reset(void) { interrupted_since = 0; }

void fo_safe_period_tick(const struct win_ctx *ctx)
{
    struct fo_store store = {0};
    struct win_status st;
    /* Beside other relationships a takeover would take over all of them. */
    if (fo_store_load(ctx->config, &store, &st) < 0 || store.count != 1 ||
        store.items[0].safe_period == FO_SAFE_PERIOD_DISABLED ||
        fo_ha_kea_times(ctx, store.items[0].safe_period)) {
        fo_store_free(&store);
        interrupted_since = 0;
        return;
    }
    uint32_t safe_period = store.items[0].safe_period;
    struct fo_live live;
    fo_live_read(ctx, &store.items[0], FO_LIVE_STATE, &live);
    fo_store_free(&store);
    int interrupted = live.fsm == WIN_FSM_COMMUNICATION_INT;
    int64_t now = ctx->host->now(ctx->host->ctx);
    if (!interrupted) {
        interrupted_since = 0;
        return;
    }
    if (!interrupted_since) interrupted_since = now;
    if (now - interrupted_since < (int64_t)safe_period) return;
    char text[600], err[WIN_HOST_ERR_LEN];
    int rc = ctx->host->ha_takeover(ctx->host->ctx, WIN_HA_TAKEOVER_START, text, sizeof text, err);
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%u", safe_period);
    if (rc == WIN_HOST_OK)
        WIN_LOG(ctx->host, WIN_CMDS_SAFE_PERIOD_TAKEOVER, seconds, text);
    else
        WIN_LOG(ctx->host, WIN_CMDS_SAFE_PERIOD_TAKEOVER_FAILED, seconds, err);
    interrupted_since = 0;
}
