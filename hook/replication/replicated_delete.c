/* win-client-info-delete: the record deleted here (client_delete.c), then on
 * the failover partner when it is a pair's. */
#include "replicated_cmds.h"

#include "client_change.h"
#include "replication.h"

cJSON *client_info_delete(const struct win_ctx *ctx, const cJSON *args, struct win_status *st)
{
    struct repl_change change = {.kind = REPL_DELETE};
    struct repl_session rs = {0};
    struct repl_gate gate = repl_gate(&rs);
    if (client_delete_one(ctx, args, &gate.gate, &change.post, st) == 0) {
        if (gate.pair) repl_apply_or_undo(ctx, gate.pair, &change, st);
        else win_lease_clear(&change.post);
    }
    return repl_close(ctx, &rs, NULL);
}
