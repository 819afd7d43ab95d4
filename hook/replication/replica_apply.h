/* win-client-replica: a change the failover partner made to a client record,
 * applied here with the pair rules (contract, "Records on a failover pair"),
 * never sent back. */
#ifndef REPLICA_APPLY_H
#define REPLICA_APPLY_H

#include <cjson/cJSON.h>

#include "win_context.h"
#include "win_status.h"

cJSON *client_replica(const struct win_ctx *ctx, const cJSON *args, struct win_status *st);

/* Forgets what was applied (the hook is unloaded). */
void replica_apply_reset(void);

#endif
