/* Changes the partner has not had yet, in order, in a file of the state
 * directory (one JSON line each, synced before the command answers), so that
 * they survive kill -9 and restarts. Sent on the hook's tick once the pair is
 * back in a normal state; a conflict found then goes the primary's way on
 * both servers, and the record that lost is logged with the one that won. */
#ifndef REPLICATION_QUEUE_H
#define REPLICATION_QUEUE_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "queue_file.h"
#include "replication.h"
#include "win_context.h"
#include "win_status.h"

/* Appends ops (a list of replica ops) for relationship; with txn, an abort.
 * 0 when queued; 1 when the changes among them would take the
 * relationship's queue past max-unreplicated-changes: none is queued and the
 * relationship needs a resync (aborts are always queued); -1 with st. */
int repl_queue_append(const struct win_ctx *ctx, const char *relationship, const cJSON *ops,
                      struct win_status *st);
/* How many changes of records for relationship (NULL: all) wait in the
 * queue (the aborts it also carries are not counted): kept, not read. */
size_t repl_queue_count(const struct win_ctx *ctx, const char *relationship);
/* Sends what rel's partner can take of the queue within slice, in order:
 * 0 when nothing of rel is left. */
int repl_queue_flush(const struct win_ctx *ctx, const struct fo_relationship *rel,
                     struct repl_slice *slice);
/* The tick's slice narrowed for one relationship's queue: at most one
 * command's wait for its partner, each request a quarter of it. */
void repl_queue_slice_narrow(const struct win_ctx *ctx, const struct fo_relationship *rel,
                             struct repl_slice *tick);
/* A change the partner refused because another client holds the address
 * there (result carries the holder): the primary's record wins on both
 * servers. */
void repl_queue_resolve(const struct win_ctx *ctx, const struct fo_relationship *rel,
                        const cJSON *op, const cJSON *result, unsigned wait_ms);
/* The tick: flushes, within the tick's slice, every relationship whose pair
 * is in a normal state. */
void repl_queue_tick(const struct win_ctx *ctx, struct repl_slice *tick);
/* Every stored relationship's statistics made visible: its counters
 * registered (values kept), unreplicated-changes set from the queue. */
void repl_queue_statistics(const struct win_ctx *ctx);

#endif
