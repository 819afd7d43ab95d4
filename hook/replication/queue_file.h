/* The queue's file itself: one JSON line a change, appended whole or not at
 * all, and counted as it grows rather than read again.
 *
 * - A line never merges with another: a last line without its newline (a
 *   crash mid-append) is set aside when the queue is opened and before any
 *   append; a failed append is cut back to the length before it.
 * - A line that cannot be read is moved to the side file
 *   (REPL_QUEUE_REJECTED) and logged with its text; never dropped silently.
 * - The changes waiting per relationship are counted once (at the hook's
 *   configuration, or when the file changed behind the hook's back) and kept
 *   up to date by each append and rewrite, so that a change made while the
 *   partner is away costs the same however long the queue is.
 * - A relationship past max-unreplicated-changes is marked as needing a
 *   resync (REPL_RESYNC_FILE), which survives restarts.
 * Every state file is opened with O_NOFOLLOW: a planted link is refused. */
#ifndef QUEUE_FILE_H
#define QUEUE_FILE_H

#include <stddef.h>

#include "win_context.h"
#include "win_status.h"

#define REPL_QUEUE_FILE "win-replication-queue.jsonl"
#define REPL_QUEUE_REJECTED "win-replication-queue.rejected"
#define REPL_RESYNC_FILE "win-replication-resync-needed"

/* Forgets what was counted (the hook is configured again). */
void queue_file_reset(void);

/* Opens the queue once after configuration: sets aside a torn last line and
 * unreadable lines, and counts. */
void queue_file_open(const struct win_ctx *ctx);

/* Appends text (whole lines, each ending in \n) holding changes changes of
 * relationship: 0, or -1 with st (the file as it was). */
int queue_file_append(const struct win_ctx *ctx, const char *relationship, size_t changes,
                      const char *text, size_t len, struct win_status *st);

/* Replaces the queue with text (len 0: removes it) and counts it again. */
int queue_file_rewrite(const struct win_ctx *ctx, const char *text, size_t len);

/* Moves line (len bytes, no newline) to the side file and logs it with why. */
void queue_file_set_aside(const struct win_ctx *ctx, const char *line, size_t len,
                          const char *why);

/* The changes of relationship (NULL: all) waiting in the queue. */
size_t queue_file_count(const struct win_ctx *ctx, const char *relationship);

/* The parsed line {"relationship":NAME,"op":{"op":KIND,...}}: NULL when it is
 * not one (why says how, WIN_TEXT_MAX). */
struct cJSON;
struct cJSON *queue_line_parse(const char *line, char *why);

/* Whether relationship needs a resync; marking and clearing it (0, or -1
 * with the reason logged). */
int queue_resync_needed(const struct win_ctx *ctx, const char *relationship);
int queue_resync_mark(const struct win_ctx *ctx, const char *relationship);
int queue_resync_clear(const struct win_ctx *ctx, const char *relationship);

#endif
