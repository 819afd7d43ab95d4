#include "replication_resync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failover_ha.h"
#include "failover_live.h"
#include "failover_store.h"
#include "json_fields.h"
#include "replica_record.h"
#include "replica_wire.h"
#include "replication.h"
#include "replication_queue.h"
#include "win_enums.h"

struct resync_counts {
    size_t sent, applied, overridden, refused;
};

/* Whether addr lies in a subnet that is one of rel's scopes; *subnet caches
 * the last subnet found (a page's leases mostly share one). */
static int in_scopes(const struct win_ctx *ctx, const struct fo_relationship *rel,
                     uint32_t addr, struct win_subnet *subnet, int *have, struct win_status *st)
{
    uint32_t mask = subnet->prefix_len ? 0xFFFFFFFFu << (32 - subnet->prefix_len) : 0;
    if (!*have || (addr & mask) != subnet->prefix) {
        char err[WIN_HOST_ERR_LEN];
        int rc = ctx->host->subnet_find(ctx->host->ctx, addr, subnet, err);
        if (rc == WIN_HOST_ERROR)
            return win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
        *have = rc == WIN_HOST_OK;
        if (!*have) return 0;
    }
    return fo_has_scope(rel, subnet->prefix);
}

/* One request's answer: a conflict goes the primary's way (as a queued
 * change's does), another refusal is logged. */
static void settle(const struct win_ctx *ctx, const struct fo_relationship *rel,
                   const cJSON *ops, const cJSON *results, unsigned wait_ms,
                   struct resync_counts *n)
{
    const cJSON *r;
    int k = 0;
    cJSON_ArrayForEach(r, results)
    {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(r, "error-code");
        int rc = cJSON_IsNumber(code) ? code->valueint : -1;
        if (rc == ERROR_SUCCESS) {
            n->applied++;
        } else if (rc == ERROR_DHCP_CLIENT_EXISTS) {
            repl_queue_resolve(ctx, rel, cJSON_GetArrayItem(ops, k), r, wait_ms);
            n->overridden++;
        } else {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "text");
            WIN_LOG(ctx->host, WIN_CMDS_RESYNC_RECORD_REFUSED, rel->name,
                    cJSON_IsString(t) ? t->valuestring : "no text");
            n->refused++;
        }
        k++;
    }
}

/* Sends ops (consumed) as one request waiting wait_ms; -1 with st when the
 * partner could not take it. */
static int send_ops(const struct win_ctx *ctx, const struct fo_relationship *rel, cJSON *ops,
                    unsigned wait_ms, struct resync_counts *n, struct win_status *st)
{
    char txn[33], why[WIN_TEXT_MAX];
    cJSON *results = NULL;
    int count = cJSON_GetArraySize(ops);
    replica_txn(txn);
    cJSON *kept = cJSON_Duplicate(ops, 1);
    int rc = replica_call(ctx, rel, txn, ops, wait_ms, &results, why);
    if (rc == WIN_HOST_OK) {
        n->sent += (size_t)count;
        settle(ctx, rel, kept, results, wait_ms, n);
    }
    cJSON_Delete(results);
    cJSON_Delete(kept);
    if (rc != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_SERVER_NOT_REACHABLE, "resync of %.200s stopped after "
                        "%zu records: %.300s; the relationship still needs a resync", rel->name,
                        n->sent, why);
    return 0;
}

/* A resync under way: the walk goes on a slice at a time, on the command
 * and then on each tick, so that kea-dhcp4's main thread (which reads the
 * DHCP packets) is never held longer than one command may hold it. */
#define WALKS_MAX 16
static struct resync_walk {
    char name[FO_TEXT_MAX];
    uint32_t after; /* the last address walked */
    int started;    /* a page was read: after counts */
    struct resync_counts n;
} walks[WALKS_MAX];

void repl_resync_reset(void)
{
    memset(walks, 0, sizeof walks);
}

static struct resync_walk *walk_of(const char *name, int create)
{
    struct resync_walk *free_slot = NULL;
    for (size_t i = 0; i < WALKS_MAX; i++) {
        if (walks[i].name[0] && strcmp(walks[i].name, name) == 0) return &walks[i];
        if (!walks[i].name[0] && !free_slot) free_slot = &walks[i];
    }
    if (!create || !free_slot) return NULL;
    memset(free_slot, 0, sizeof *free_slot);
    snprintf(free_slot->name, sizeof free_slot->name, "%s", name);
    return free_slot;
}

/* What of w's walk fits in slice (REPL_CHUNK records a request): 1 when
 * more is left, 0 when every record went, -1 with st. The queue goes first. */
static int walk_slice(const struct win_ctx *ctx, const struct fo_relationship *rel,
                      struct resync_walk *w, struct repl_slice *slice, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    if (repl_queue_flush(ctx, rel, slice) != 0) return 1;
    struct win_subnet subnet = {0};
    int have = 0;
    for (;;) {
        if (w->started && w->after == 0xFFFFFFFFu) return 0;
        unsigned wait_ms = repl_slice_next(slice);
        if (!wait_ms) return 1;
        struct win_lease_list page = {0};
        char err[WIN_HOST_ERR_LEN] = "";
        uint32_t from = w->started ? w->after : 0;
        if (h->leases_page(h->ctx, from, REPL_CHUNK, &page, err) != WIN_HOST_OK) {
            win_lease_list_free(&page);
            return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
        }
        int last_page = page.count < REPL_CHUNK;
        uint32_t after = from;
        cJSON *ops = cJSON_CreateArray();
        int rc = 0;
        for (size_t i = 0; i < page.count && rc == 0; i++) {
            const struct win_lease *lease = &page.items[i];
            after = lease->addr;
            int in = in_scopes(ctx, rel, lease->addr, &subnet, &have, st);
            if (in < 0) rc = -1;
            if (in <= 0 || h->lease_released(h->ctx, lease)) continue;
            cJSON *op = cJSON_CreateObject();
            cJSON_AddStringToObject(op, "op", "create");
            cJSON_AddItemToObject(op, "record", replica_record_encode(lease));
            cJSON_AddItemToArray(ops, op);
        }
        win_lease_list_free(&page);
        if (rc == 0 && cJSON_GetArraySize(ops) > 0) rc = send_ops(ctx, rel, ops, wait_ms, &w->n, st);
        else cJSON_Delete(ops);
        repl_slice_done(slice);
        if (rc < 0) return -1;
        /* The page went: the walk goes on after it (a failed request sends
         * the page again next time). */
        w->started = 1;
        w->after = last_page ? 0xFFFFFFFFu : after;
    }
}

static cJSON *counts_answer(const char *name, const struct resync_counts *n, int needed)
{
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "relationship-name", name);
    cJSON_AddNumberToObject(answer, "sent", (double)n->sent);
    cJSON_AddNumberToObject(answer, "applied", (double)n->applied);
    cJSON_AddNumberToObject(answer, "overridden", (double)n->overridden);
    cJSON_AddNumberToObject(answer, "refused", (double)n->refused);
    cJSON_AddBoolToObject(answer, "resync-needed", needed);
    return answer;
}

/* Every record went: the flag clears and the walk is logged. */
static void finish(const struct win_ctx *ctx, struct resync_walk *w)
{
    char counts[4][24];
    const size_t values[4] = {w->n.sent, w->n.applied, w->n.overridden, w->n.refused};
    for (int i = 0; i < 4; i++) snprintf(counts[i], sizeof counts[i], "%zu", values[i]);
    queue_resync_clear(ctx, w->name);
    WIN_LOG(ctx->host, WIN_CMDS_RESYNC_FINISHED, w->name, counts[0], counts[1], counts[2],
            counts[3]);
    w->name[0] = '\0';
}

cJSON *failover_relationship_resync(const struct win_ctx *ctx, const cJSON *args,
                                    struct win_status *st)
{
    const char *name;
    if (!cJSON_IsObject(args)) {
        win_fail(st, ERROR_INVALID_PARAMETER, "arguments must be an object");
        return NULL;
    }
    if (jf_only_known(args, (const char *const[]){"relationship-name", NULL}, "the arguments",
                      st) < 0)
        return NULL;
    int rc = jf_string(args, "relationship-name", 0, &name, st);
    if (rc < 0) return NULL;
    if (rc == 0 || !name[0]) {
        win_fail(st, ERROR_INVALID_PARAMETER, "relationship-name is missing");
        return NULL;
    }
    struct fo_store store;
    if (fo_store_load(ctx->config, &store, st) < 0) {
        fo_store_free(&store);
        return NULL;
    }
    const struct fo_relationship *found = fo_store_find(&store, name);
    if (!found) {
        win_not_found(st, ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST,
                      "no failover relationship is named '%.200s'", name);
        fo_store_free(&store);
        return NULL;
    }
    struct fo_relationship rel = *found;
    fo_store_free(&store);
    struct fo_live live;
    fo_live_read(ctx, &rel, FO_LIVE_STATE, &live);
    if (!rel.has_secret || !rel.shared_secret[0]) {
        win_fail(st, ERROR_INVALID_PARAMETER, "relationship %.200s has no shared-secret: its "
                 "records are not replicated, so there is nothing to resync", rel.name);
        return NULL;
    }
    if (fo_live_pair_reach(&live.state) != FO_PAIR_IN_TOUCH) {
        win_fail(st, ERROR_DHCP_FO_STATE_NOT_NORMAL, "relationship %.200s is %.100s (Kea HA): "
                 "the partner must be reachable for a resync; nothing sent", rel.name,
                 live.state.name);
        return NULL;
    }
    /* Run again, it starts over: the records may have changed since. */
    struct resync_walk *w = walk_of(rel.name, 1);
    if (!w) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "%d resyncs are under way already; retry when one "
                 "is over", WALKS_MAX);
        return NULL;
    }
    snprintf(w->name, sizeof w->name, "%s", rel.name);
    w->after = 0;
    w->started = 0;
    memset(&w->n, 0, sizeof w->n);
    struct repl_slice slice;
    unsigned budget = fo_ha_wait_budget_ms(ctx, &rel);
    repl_slice_begin(&slice, budget, budget);
    rc = walk_slice(ctx, &rel, w, &slice, st);
    struct resync_counts n = w->n;
    if (rc < 0) {
        w->name[0] = '\0';
        return counts_answer(rel.name, &n, 1);
    }
    if (rc == 0) {
        finish(ctx, w);
        win_succeed(st, "resync of relationship %.200s: %zu records sent to the partner, %zu "
                    "applied, %zu conflicts resolved for the primary, %zu refused", rel.name,
                    n.sent, n.applied, n.overridden, n.refused);
        return counts_answer(rel.name, &n, 0);
    }
    cJSON *answer = counts_answer(rel.name, &n, 1);
    cJSON_AddBoolToObject(answer, "in-progress", 1);
    win_succeed(st, "resync of relationship %.200s under way: %zu records sent so far; the "
                "rest go a slice on each of the hook's ticks (every few seconds; a slice holds "
                "kea-dhcp4 no longer than one command may), and resync-needed clears once "
                "every record went", rel.name, n.sent);
    return answer;
}

void repl_resync_tick(const struct win_ctx *ctx, struct repl_slice *tick)
{
    for (size_t i = 0; i < WALKS_MAX; i++) {
        struct resync_walk *w = &walks[i];
        if (!w->name[0]) continue;
        struct fo_store store;
        struct win_status st = {0};
        const struct fo_relationship *found = NULL;
        if (fo_store_load(ctx->config, &store, &st) == 0) found = fo_store_find(&store, w->name);
        if (!found) {
            w->name[0] = '\0'; /* deleted meanwhile */
            fo_store_free(&store);
            continue;
        }
        struct fo_relationship rel = *found;
        fo_store_free(&store);
        struct fo_live live;
        fo_live_read(ctx, &rel, FO_LIVE_STATE, &live);
        if (fo_live_pair_reach(&live.state) != FO_PAIR_IN_TOUCH) continue;
        unsigned budget = fo_ha_wait_budget_ms(ctx, &rel);
        repl_slice_narrow(tick, budget, budget);
        int rc = walk_slice(ctx, &rel, w, tick, &st);
        if (rc == 0) {
            finish(ctx, w);
        } else if (rc < 0) {
            WIN_LOG(ctx->host, WIN_CMDS_RESYNC_STOPPED, w->name, st.text);
            w->name[0] = '\0';
        }
    }
}
