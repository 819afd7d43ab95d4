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
            char line[WIN_TEXT_MAX * 2];
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "text");
            snprintf(line, sizeof line, "resync of relationship %.200s: a record refused by the "
                     "partner: %.300s", rel->name, cJSON_IsString(t) ? t->valuestring : "no text");
            ctx->host->log(ctx->host->ctx, WIN_LOG_WARN, line);
            n->refused++;
        }
        k++;
    }
}

/* Sends ops (consumed) as one request; -1 with st when the partner could not
 * take it. */
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

/* The lease page walk: every record of rel's scopes, REPL_CHUNK a request. */
static int walk(const struct win_ctx *ctx, const struct fo_relationship *rel, unsigned wait_ms,
                struct resync_counts *n, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    struct win_subnet subnet = {0};
    int have = 0, rc = 0;
    uint32_t after = 0;
    for (int more = 1; more && rc == 0;) {
        struct win_lease_list page = {0};
        char err[WIN_HOST_ERR_LEN] = "";
        if (h->leases_page(h->ctx, after, REPL_CHUNK, &page, err) != WIN_HOST_OK) {
            win_lease_list_free(&page);
            return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
        }
        more = page.count == REPL_CHUNK;
        cJSON *ops = cJSON_CreateArray();
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
        if (rc == 0 && cJSON_GetArraySize(ops) > 0)
            rc = send_ops(ctx, rel, ops, wait_ms, n, st);
        else
            cJSON_Delete(ops);
        if (after == 0xFFFFFFFFu) more = 0;
    }
    return rc;
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
    /* The queue first (its deletes among them), then every record. */
    unsigned wait_ms = fo_ha_wait_budget_ms(ctx, &rel);
    struct resync_counts n = {0};
    if (repl_queue_flush(ctx, &rel) != 0) {
        win_fail(st, ERROR_DHCP_SERVER_NOT_REACHABLE, "resync of %.200s: the queued changes "
                 "could not all be sent; nothing more sent, retry", rel.name);
        return counts_answer(rel.name, &n, 1);
    }
    if (walk(ctx, &rel, wait_ms, &n, st) < 0) return counts_answer(rel.name, &n, 1);
    queue_resync_clear(ctx, rel.name);
    char line[WIN_TEXT_MAX];
    snprintf(line, sizeof line, "resync of relationship %.200s: %zu records sent to the "
             "partner, %zu applied, %zu conflicts resolved for the primary, %zu refused",
             rel.name, n.sent, n.applied, n.overridden, n.refused);
    ctx->host->log(ctx->host->ctx, WIN_LOG_INFO, line);
    win_succeed(st, "%s", line);
    return counts_answer(rel.name, &n, 0);
}
