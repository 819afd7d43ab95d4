/* Changes the partner has not had yet, in order, in a file of the state
 * directory (one JSON line each, synced before the command answers), so that
 * they survive kill -9 and restarts. Sent on the hook's tick once the pair is
 * back in a normal state; a conflict found then goes the primary's way on
 * both servers, and the record that lost is logged with the one that won. */
#ifndef REPLICATION_QUEUE_H
#define REPLICATION_QUEUE_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "win_context.h"
#include "win_status.h"

#define REPL_QUEUE_FILE "win-replication-queue.jsonl"

/* Appends ops (a list of replica ops) for relationship; with txn, an abort. */
int repl_queue_append(const struct win_ctx *ctx, const char *relationship, const cJSON *ops,
                      struct win_status *st);
/* How many changes of records for relationship (NULL: all) wait in the
 * queue (the aborts it also carries are not counted). */
size_t repl_queue_count(const struct win_ctx *ctx, const char *relationship);
/* The tick: flushes every relationship whose pair is in a normal state. */
void repl_queue_tick(const struct win_ctx *ctx);

#endif
