/* win-client-replica: a change the failover partner made to a client record,
 * applied here with the pair rules (contract, "Records on a failover pair"),
 * never sent back. */
#ifndef REPLICA_APPLY_H
#define REPLICA_APPLY_H

#include "win_context.h"

win_handler client_replica;

/* Forgets what was applied (the hook is unloaded). */
void replica_apply_reset(void);

#endif
