/* win-failover-relationship-resync (contract, "Production": replication
 * bound): once a relationship's queue went past max-unreplicated-changes,
 * some changes were made here only. The resync sends the queue that is left,
 * then every record of the relationship's scopes from a lease page walk
 * (REPL_CHUNK a request); a conflict goes the primary's way on both servers,
 * as a queued change's does. On the primary its records replace the
 * partner's; on the secondary its records go to the primary and a conflict
 * puts the primary's record here. The flag clears once every record went.
 * The walk goes a slice at a time (repl_slice: no longer than one command
 * holds kea-dhcp4), the first on the command, the rest on the hook's tick. */
#ifndef REPLICATION_RESYNC_H
#define REPLICATION_RESYNC_H

#include "replication.h"
#include "win_context.h"

cJSON *failover_relationship_resync(const struct win_ctx *ctx, const cJSON *args,
                                    struct win_status *st);
/* The tick: what fits in the tick's slice (after the queues) of each resync
 * under way whose pair is in a normal state. */
void repl_resync_tick(const struct win_ctx *ctx, struct repl_slice *tick);
/* Forgets the resyncs under way (the hook is configured anew). */
void repl_resync_reset(void);

#endif
