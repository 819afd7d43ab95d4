#include "replication_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "failover_ha.h"
#include "failover_live.h"
#include "failover_store.h"
#include "file_io.h"
#include "client_lease.h"
#include "lease_stats.h"
#include "replica_record.h"
#include "replica_wire.h"
#include "replication.h"
#include "win_enums.h"
#include "win_stats.h"

static void queue_path(const struct win_ctx *ctx, char *out, size_t size)
{
    state_file_path(ctx->config->state_directory, REPL_QUEUE_FILE, out, size);
}

/* Past the bound nothing more is queued: the queue stays within
 * max-unreplicated-changes, the changes apply here, and the relationship is
 * marked for win-failover-relationship-resync, which carries them. */
static int over_bound(const struct win_ctx *ctx, const char *relationship, size_t changes)
{
    uint64_t max = ctx->config->max_unreplicated_changes;
    size_t waiting = queue_file_count(ctx, relationship);
    if (changes == 0 || waiting + changes <= max) return 0;
    if (!queue_resync_needed(ctx, relationship)) {
        char waiting_text[24], max_text[24];
        snprintf(waiting_text, sizeof waiting_text, "%zu", waiting);
        snprintf(max_text, sizeof max_text, "%llu", (unsigned long long)max);
        WIN_LOG(ctx->host, WIN_CMDS_QUEUE_BOUND_REACHED, relationship, waiting_text, max_text);
        queue_resync_mark(ctx, relationship);
    }
    return 1;
}

int repl_queue_append(const struct win_ctx *ctx, const char *relationship, const cJSON *ops,
                      struct win_status *st)
{
    size_t size = 0, used = 0, changes = 0;
    char *lines = NULL;
    const cJSON *op;
    cJSON_ArrayForEach(op, ops)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(op, "op");
        changes += !(cJSON_IsString(kind) && strcmp(kind->valuestring, "abort") == 0);
        cJSON *line = cJSON_CreateObject();
        cJSON_AddStringToObject(line, "relationship", relationship);
        cJSON_AddItemToObject(line, "op", cJSON_Duplicate(op, 1));
        char *text = cJSON_PrintUnformatted(line);
        cJSON_Delete(line);
        size_t len = text ? strlen(text) : 0;
        char *grown = text ? realloc(lines, size + len + 2) : NULL;
        if (!grown) {
            free(text);
            free(lines);
            return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory queueing for the partner");
        }
        lines = grown;
        size += len + 1;
        memcpy(lines + used, text, len);
        lines[used + len] = '\n';
        used += len + 1;
        free(text);
    }
    int rc = over_bound(ctx, relationship, changes)
                 ? 1
                 : queue_file_append(ctx, relationship, changes, lines, used, st);
    free(lines);
    return rc;
}

/* The queue's lines (NULL-terminated list into one buffer, caller frees both). */
static char **read_lines(const struct win_ctx *ctx, char **buffer, size_t *count)
{
    char path[FILE_PATH_MAX];
    queue_path(ctx, path, sizeof path);
    *count = 0;
    *buffer = state_file_read(path, NULL);
    if (!*buffer) return NULL;
    size_t n = 0;
    for (char *p = *buffer; *p; p++) n += *p == '\n';
    char **lines = calloc(n + 2, sizeof *lines);
    if (!lines) return NULL;
    for (char *p = strtok(*buffer, "\n"); p; p = strtok(NULL, "\n")) lines[(*count)++] = p;
    return lines;
}

/* Which queue lines are a relationship's. The queue holds only lines this
 * file wrote, {"relationship":NAME,"op":{"op":KIND,...}}, so the prefix
 * tells without parsing (a count runs on every change while the partner is
 * away, over a queue that grows meanwhile); any other line is parsed. */
struct line_matcher {
    const char *relationship;    /* NULL: any */
    char prefix[600];            /* "" when the name needs more room */
};

static void line_matcher_init(struct line_matcher *m, const char *relationship)
{
    m->relationship = relationship;
    m->prefix[0] = 0;
    cJSON *name = relationship ? cJSON_CreateString(relationship) : NULL;
    char *quoted = name ? cJSON_PrintUnformatted(name) : NULL;
    if (quoted && strlen(quoted) < sizeof m->prefix - 40)
        snprintf(m->prefix, sizeof m->prefix, "{\"relationship\":%s,\"op\":{\"op\":\"", quoted);
    free(quoted);
    cJSON_Delete(name);
}

/* 1 when the line is the relationship's; 2 when it is a record's change
 * rather than an abort. */
static int line_of(const struct line_matcher *m, const char *line)
{
    size_t n = strlen(m->prefix);
    if (n && strncmp(line, m->prefix, n) == 0) return strncmp(line + n, "abort\"", 6) ? 2 : 1;
    cJSON *j = cJSON_Parse(line);
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "relationship");
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(j, "op"), "op");
    int match = cJSON_IsString(r) &&
                (!m->relationship || strcmp(r->valuestring, m->relationship) == 0);
    if (match && !(cJSON_IsString(op) && strcmp(op->valuestring, "abort") == 0)) match = 2;
    cJSON_Delete(j);
    return match;
}

size_t repl_queue_count(const struct win_ctx *ctx, const char *relationship)
{
    return queue_file_count(ctx, relationship);
}

static int rewrite(const struct win_ctx *ctx, char **lines, size_t count, const char *done)
{
    size_t size = 1, settled = 0;
    for (size_t i = 0; i < count; i++) settled += done[i] != 0;
    if (settled == 0) return 0; /* nothing sent: the file stays as it is */
    for (size_t i = 0; i < count; i++) size += done[i] ? 0 : strlen(lines[i]) + 1;
    char *text = malloc(size), *o = text;
    if (!text) return -1;
    for (size_t i = 0; i < count; i++) {
        if (done[i]) continue;
        size_t len = strlen(lines[i]);
        memcpy(o, lines[i], len);
        o[len] = '\n';
        o += len + 1;
    }
    int rc = queue_file_rewrite(ctx, text, (size_t)(o - text));
    free(text);
    return rc;
}

void repl_queue_resolve(const struct win_ctx *ctx, const struct fo_relationship *rel,
                        const cJSON *op, const cJSON *result, unsigned wait_ms)
{
    const struct win_host *h = ctx->host;
    struct win_lease ours, theirs;
    if (replica_record_decode(cJSON_GetObjectItemCaseSensitive(op, "record"), &ours) < 0) return;
    if (replica_record_decode(cJSON_GetObjectItemCaseSensitive(result, "holder"), &theirs) < 0) {
        win_lease_clear(&ours);
        return;
    }
    char a[WIN_TEXT_MAX / 2], b[WIN_TEXT_MAX / 2], ip[WIN_IPV4_TEXT], txn[33], why[WIN_TEXT_MAX];
    if (theirs.addr != ours.addr) {
        /* A holder of another address answers nothing about this one. */
        char named[WIN_IPV4_TEXT];
        win_ipv4_format(theirs.addr, named);
        win_ipv4_format(ours.addr, ip);
        WIN_LOG(ctx->host, WIN_CMDS_CONFLICT_ANSWER_IGNORED, named, ip);
        win_lease_clear(&ours);
        win_lease_clear(&theirs);
        return;
    }
    replica_record_describe(&ours, a, sizeof a);
    replica_record_describe(&theirs, b, sizeof b);
    win_ipv4_format(ours.addr, ip);
    if (rel->server_type == WIN_FO_PRIMARY) {
        cJSON *ops = cJSON_CreateArray(), *forced = cJSON_Duplicate(op, 1), *results = NULL;
        cJSON_AddBoolToObject(forced, "force", 1);
        cJSON_AddItemToArray(ops, forced);
        replica_txn(txn);
        int rc = replica_call(ctx, rel, txn, ops, wait_ms, &results, why);
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(results, 0),
                                                             "error-code");
        if (rc == WIN_HOST_OK && cJSON_IsNumber(code) && code->valueint == ERROR_SUCCESS)
            win_stat_relationship_count(h, rel->name, WIN_STAT_CONFLICTS_RESOLVED, 1);
        cJSON_Delete(results);
        if (rc == WIN_HOST_OK)
            WIN_LOG(h, WIN_CMDS_CONFLICT_PRIMARY_WRITTEN, ip, rel->name, a, b);
        else
            WIN_LOG(h, WIN_CMDS_CONFLICT_PRIMARY_NOT_WRITTEN, ip, rel->name, a, b, why);
    } else {
        struct win_status st;
        struct win_subnet subnet;
        char err[WIN_HOST_ERR_LEN];
        if (h->subnet_find(h->ctx, theirs.addr, &subnet, err) == WIN_HOST_OK &&
            client_lease_lock(ctx, theirs.addr, &st) == 0) {
            theirs.subnet_id = subnet.id;
            struct win_lease now = {0};
            struct lease_pools pools;
            if (h->lease_get(h->ctx, theirs.addr, &now, err) == WIN_HOST_OK) {
                if (lease_stats_pools(h, &now, &theirs, &pools, &st) == 0 &&
                    h->lease_update(h->ctx, &theirs, err) == WIN_HOST_OK) {
                    lease_stats_on_update(h, &now, &theirs, &pools);
                    /* Counted once a conflict: not again when a forced
                     * replica already put the primary's record here. */
                    if (!replica_record_same_client(&now, &theirs))
                        win_stat_relationship_count(h, rel->name, WIN_STAT_CONFLICTS_RESOLVED, 1);
                }
                win_lease_clear(&now);
            } else if (lease_stats_pools(h, NULL, &theirs, &pools, &st) == 0 &&
                       h->lease_add(h->ctx, &theirs, err) == WIN_HOST_OK) {
                lease_stats_on_add(h, &theirs, &pools);
            }
            h->address_unlock(h->ctx, theirs.addr);
        }
        WIN_LOG(h, WIN_CMDS_CONFLICT_PRIMARY_TAKEN, ip, rel->name, a, b);
    }
    win_lease_clear(&ours);
    win_lease_clear(&theirs);
}

/* Up to REPL_CHUNK of a relationship's queued changes, in order, sent in one
 * request: an abort goes alone. */
struct chunk {
    cJSON *ops;                /* references to parsed: the request's list */
    cJSON *parsed[REPL_CHUNK]; /* the changes */
    size_t at[REPL_CHUNK];     /* their lines */
    size_t n;
    char txn[33];              /* an abort's transaction, else "" */
};

static int is_abort_op(const cJSON *op)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(op, "op");
    return cJSON_IsString(kind) && strcmp(kind->valuestring, "abort") == 0;
}

/* Takes the next chunk of m's changes from line i on (lines that cannot be
 * read are set aside and marked done); the line to go on from. */
static size_t chunk_take(const struct win_ctx *ctx, const struct line_matcher *m, char **lines,
                         size_t count, size_t i, char *done, struct chunk *c)
{
    c->ops = cJSON_CreateArray();
    c->n = 0;
    c->txn[0] = '\0';
    for (; i < count && c->n < REPL_CHUNK; i++) {
        if (!line_of(m, lines[i])) continue;
        cJSON *j = cJSON_Parse(lines[i]);
        cJSON *op = cJSON_DetachItemFromObjectCaseSensitive(j, "op");
        cJSON_Delete(j);
        int is_abort = is_abort_op(op);
        if (!op) {
            queue_file_set_aside(ctx, lines[i], strlen(lines[i]), "no op");
            done[i] = 1;
            continue;
        }
        if (is_abort && c->n > 0) {
            cJSON_Delete(op);
            break;
        }
        if (is_abort) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(op, "txn");
            snprintf(c->txn, sizeof c->txn, "%.200s", cJSON_IsString(t) ? t->valuestring : "");
        }
        c->parsed[c->n] = op;
        c->at[c->n++] = i;
        cJSON_AddItemReferenceToArray(c->ops, op);
        if (is_abort) return i + 1;
    }
    return i;
}

/* The partner's answer to a chunk, change by change: a conflict resolved as
 * Windows resolves it, another refusal logged and dropped; each answered
 * change done. */
static void chunk_settle(const struct win_ctx *ctx, const struct fo_relationship *rel,
                         const struct chunk *c, const cJSON *results, unsigned wait_ms,
                         char *done)
{
    size_t k = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, results)
    {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(r, "error-code");
        int rc = cJSON_IsNumber(code) ? code->valueint : -1;
        if (rc == ERROR_DHCP_CLIENT_EXISTS)
            repl_queue_resolve(ctx, rel, c->parsed[k], r, wait_ms);
        else if (rc != ERROR_SUCCESS) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "text");
            WIN_LOG(ctx->host, WIN_CMDS_QUEUED_CHANGE_REFUSED, rel->name,
                    cJSON_IsString(t) ? t->valuestring : "no text");
        }
        done[c->at[k++]] = 1;
    }
}

int repl_queue_flush(const struct win_ctx *ctx, const struct fo_relationship *rel,
                     struct repl_slice *slice)
{
    char *buffer;
    size_t count;
    struct line_matcher m;
    line_matcher_init(&m, rel->name);
    queue_file_count(ctx, NULL); /* a file changed behind the hook's back is checked first */
    char **lines = read_lines(ctx, &buffer, &count);
    if (!lines) {
        free(buffer);
        return 0;
    }
    char *done = calloc(count + 1, 1);
    int left = 0, stop = 0;
    for (size_t i = 0; done && i < count && !stop;) {
        unsigned wait_ms = repl_slice_next(slice);
        if (!wait_ms) break;
        struct chunk c;
        i = chunk_take(ctx, &m, lines, count, i, done, &c);
        if (c.n == 0) {
            cJSON_Delete(c.ops);
            continue;
        }
        if (!c.txn[0]) replica_txn(c.txn);
        cJSON *results = NULL;
        char why[WIN_TEXT_MAX];
        int rc = replica_call(ctx, rel, c.txn, c.ops, wait_ms, &results, why);
        repl_slice_done(slice);
        if (rc == WIN_HOST_ERROR && c.txn[0] && c.n == 1 && is_abort_op(c.parsed[0])) {
            /* A partner that refuses an abort outright applied nothing of
             * it: kept, it would hold back every change behind it. */
            WIN_LOG(ctx->host, WIN_CMDS_QUEUED_ABORT_REFUSED, rel->name, why);
            done[c.at[0]] = 1;
        } else if (rc != WIN_HOST_OK) {
            stop = 1;
        } else {
            chunk_settle(ctx, rel, &c, results, wait_ms, done);
            cJSON_Delete(results);
        }
        for (size_t k = 0; k < c.n; k++) cJSON_Delete(c.parsed[k]);
    }
    for (size_t i = 0; done && i < count; i++)
        left += !done[i] && line_of(&m, lines[i]);
    if (done) rewrite(ctx, lines, count, done);
    free(done);
    free(lines);
    free(buffer);
    return left ? -1 : 0;
}

void repl_queue_slice_narrow(const struct win_ctx *ctx, const struct fo_relationship *rel,
                             struct repl_slice *tick)
{
    /* Each request waits a quarter of the primary's wait: the partner may be
     * inside a command waiting on this server, and must still get its answer
     * in time. */
    unsigned budget = fo_ha_wait_budget_ms(ctx, rel);
    repl_slice_narrow(tick, budget, budget / 4);
}

void repl_queue_tick(const struct win_ctx *ctx, struct repl_slice *tick)
{
    char path[FILE_PATH_MAX];
    struct stat info;
    queue_path(ctx, path, sizeof path);
    if (lstat(path, &info) != 0 || info.st_size == 0) return;
    struct fo_store store;
    struct win_status st;
    if (fo_store_load(ctx->config, &store, &st) == 0) {
        for (size_t i = 0; i < store.count; i++) {
            const struct fo_relationship *rel = &store.items[i];
            struct fo_live live;
            fo_live_read(ctx, rel, FO_LIVE_STATE, &live);
            if (fo_live_pair_reach(&live.state) != FO_PAIR_IN_TOUCH) continue;
            repl_queue_slice_narrow(ctx, rel, tick);
            repl_queue_flush(ctx, rel, tick);
        }
    }
    fo_store_free(&store);
}

void repl_queue_statistics(const struct win_ctx *ctx)
{
    struct fo_store store;
    struct win_status st;
    if (fo_store_load(ctx->config, &store, &st) == 0)
        for (size_t i = 0; i < store.count; i++)
            win_stat_relationship_register(ctx->host, store.items[i].name,
                                           repl_queue_count(ctx, store.items[i].name));
    fo_store_free(&store);
}
