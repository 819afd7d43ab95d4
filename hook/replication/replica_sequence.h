/* At most once: every replica carries its sender's sequence number, which
 * only grows; the receiver admits a replica only above the highest it has
 * admitted from that relationship's partner (its high-water mark), and
 * writes the new mark to the state directory before it applies anything. A
 * recorded replica is then refused after a reload, a restart and any number
 * of later replicas. */
#ifndef REPLICA_SEQUENCE_H
#define REPLICA_SEQUENCE_H

#include <stdint.h>

#include "win_context.h"
#include "win_status.h"

#define REPLICA_SEQUENCE_FILE "win-replica-sequence.json"

/* The next sequence number this server sends: microseconds of the real-time
 * clock, or one more than the last one sent when the clock has not moved on
 * (so it grows across restarts too while the clock does not go back). */
uint64_t replica_sequence_next(void);

/* Admits seq from relationship's partner: 0 once the new mark is durable,
 * -1 with st (ERROR_ACCESS_DENIED: a replay, or ERROR_DHCP_JET_ERROR: the
 * mark could not be written; nothing may be applied then). */
int replica_sequence_admit(const struct win_ctx *ctx, const char *relationship, uint64_t seq,
                           struct win_status *st);

#endif
