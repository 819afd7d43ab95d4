#include "replica_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_change.h"
#include "client_lease.h"
#include "failover_ha.h"
#include "lease_stats.h"
#include "replica_record.h"
#include "replica_wire.h"
#include "value_formats.h"
#include "win_enums.h"
#include "win_stats.h"

#define TXN_MAX 40
#define OPS_MAX 1024      /* the sender's chunks are smaller */
#define APPLIED_KEPT 4096 /* changes an abort may still revert */
#define ABORTED_KEPT 1024

enum replica_op { OP_CREATE, OP_SET, OP_DELETE };

/* What this server applied for the partner, newest last, so that an abort
 * (the partner gave up waiting and undid its own write) can undo it. */
static struct applied {
    char txn[TXN_MAX];
    enum replica_op op;
    struct win_lease post, pre; /* post: what was written; pre: what was there */
    int has_post, has_pre;
} applied[APPLIED_KEPT];
static size_t applied_next;
static char aborted[ABORTED_KEPT][TXN_MAX];
static size_t aborted_next;

void replica_apply_reset(void)
{
    for (size_t i = 0; i < APPLIED_KEPT; i++) {
        win_lease_clear(&applied[i].post);
        win_lease_clear(&applied[i].pre);
    }
    memset(applied, 0, sizeof applied);
    memset(aborted, 0, sizeof aborted);
    applied_next = aborted_next = 0;
}

static void remember(const char *txn, enum replica_op op, const struct win_lease *post,
                     const struct win_lease *pre)
{
    struct applied *a = &applied[applied_next];
    applied_next = (applied_next + 1) % APPLIED_KEPT;
    win_lease_clear(&a->post);
    win_lease_clear(&a->pre);
    memset(a, 0, sizeof *a);
    snprintf(a->txn, sizeof a->txn, "%s", txn);
    a->op = op;
    a->has_post = post && replica_record_copy(&a->post, post) == 0;
    a->has_pre = pre && replica_record_copy(&a->pre, pre) == 0;
}

static int was_aborted(const char *txn)
{
    for (size_t i = 0; i < ABORTED_KEPT; i++)
        if (aborted[i][0] && strcmp(aborted[i], txn) == 0) return 1;
    return 0;
}

/* Adds lease, moving the statistics of the pools looked up for it. */
static int add_counted(const struct win_ctx *ctx, const struct win_lease *lease,
                       const struct lease_pools *pools, struct win_status *st)
{
    char err[WIN_HOST_ERR_LEN] = "";
    if (ctx->host->lease_add(ctx->host->ctx, lease, err) != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend refused the record: %s", err);
    lease_stats_on_add(ctx->host, lease, pools);
    return 0;
}

static int write_new(const struct win_ctx *ctx, const struct win_lease *lease, struct win_status *st)
{
    struct lease_pools pools;
    if (lease_stats_pools(ctx->host, NULL, lease, &pools, st) < 0) return -1;
    return add_counted(ctx, lease, &pools, st);
}

static int write_over(const struct win_ctx *ctx, const struct win_lease *before,
                      const struct win_lease *lease, struct win_status *st)
{
    char err[WIN_HOST_ERR_LEN] = "";
    struct lease_pools pools;
    if (lease_stats_pools(ctx->host, before, lease, &pools, st) < 0) return -1;
    if (ctx->host->lease_update(ctx->host->ctx, lease, err) != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend refused the record: %s", err);
    lease_stats_on_update(ctx->host, before, lease, &pools);
    return 0;
}

static int remove_one(const struct win_ctx *ctx, const struct win_lease *lease,
                      struct win_status *st)
{
    char err[WIN_HOST_ERR_LEN] = "";
    struct lease_pools pools;
    if (lease_stats_pools(ctx->host, lease, NULL, &pools, st) < 0) return -1;
    if (ctx->host->lease_delete(ctx->host->ctx, lease->addr, err) != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend refused the delete: %s", err);
    lease_stats_on_delete(ctx->host, lease, &pools);
    return 0;
}

static int held_by_another(const struct win_lease *holder, cJSON **held, struct win_status *st)
{
    char ip[WIN_IPV4_TEXT], who[WIN_TEXT_MAX / 2];
    win_ipv4_format(holder->addr, ip);
    replica_record_describe(holder, who, sizeof who);
    *held = replica_record_encode(holder);
    return win_fail(st, ERROR_DHCP_CLIENT_EXISTS, "client %s already has a lease record (%s)", ip,
                    who);
}

/* The subnet of addr, which must be one of rel's scopes: a replica changes
 * nothing outside the relationship it names. */
static int subnet_in_scopes(const struct win_ctx *ctx, const struct fo_relationship *rel,
                            uint32_t addr, struct win_subnet *subnet, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(addr, ip);
    int found = h->subnet_find(h->ctx, addr, subnet, err);
    if (found == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
    if (found != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_SUBNET_NOT_PRESENT, "no configured subnet contains %s", ip);
    if (!fo_has_scope(rel, subnet->prefix))
        return win_fail(st, ERROR_ACCESS_DENIED, "%s is outside the scopes of relationship "
                        "%.200s: nothing changed", ip, rel->name);
    return 0;
}

/* A replicated write of rec (create, or a set the partner made): applied when
 * the address is free (with create's checks) or held by the same client; a
 * forced one (the primary's record, replayed from its queue after a
 * conflict) replaces whoever holds it in one update, unless the address is
 * reserved for another client. */
static int apply_write(const struct win_ctx *ctx, const struct fo_relationship *rel,
                       const char *txn, enum replica_op op, struct win_lease *rec,
                       const struct win_lease *pre, int force, cJSON **held,
                       struct win_status *st)
{
    const struct win_host *h = ctx->host;
    struct win_subnet subnet;
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(rec->addr, ip);
    if (subnet_in_scopes(ctx, rel, rec->addr, &subnet, st) < 0) return -1;
    rec->subnet_id = subnet.id;
    struct win_lease existing = {0};
    int rc = h->lease_get(h->ctx, rec->addr, &existing, err);
    if (rc == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
    if (rc == WIN_HOST_NOT_FOUND) {
        if (!force && client_create_conflicts(ctx, rec, &subnet, st) < 0) return -1;
        if (write_new(ctx, rec, st) < 0) return -1;
        remember(txn, OP_CREATE, rec, NULL);
        return win_succeed(st, "client %s applied", ip);
    }
    if (replica_record_same_client(&existing, rec) ||
        (op == OP_SET && pre && replica_record_same_client(&existing, pre))) {
        rc = write_over(ctx, &existing, rec, st);
        if (rc == 0) {
            remember(txn, OP_SET, rec, &existing);
            win_succeed(st, "client %s applied over the same client's record", ip);
        }
    } else if (force) {
        char was[WIN_TEXT_MAX / 2], now[WIN_TEXT_MAX / 2];
        replica_record_describe(&existing, was, sizeof was);
        replica_record_describe(rec, now, sizeof now);
        rc = client_reservation_conflicts(ctx, rec, &subnet, st);
        if (rc == 0) rc = write_over(ctx, &existing, rec, st);
        if (rc == 0) {
            remember(txn, OP_SET, rec, &existing);
            WIN_LOG(h, WIN_CMDS_CONFLICT_PRIMARY_APPLIED, ip, was, now);
            win_stat_relationship_count(h, rel->name, WIN_STAT_CONFLICTS_RESOLVED, 1);
            win_succeed(st, "client %s applied; the record it replaced (%s) is logged", ip, was);
        }
    } else {
        rc = held_by_another(&existing, held, st);
    }
    win_lease_clear(&existing);
    return rc;
}

static int apply_delete(const struct win_ctx *ctx, const struct fo_relationship *rel,
                        const char *txn, const struct win_lease *rec, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "", who[WIN_TEXT_MAX / 2];
    win_ipv4_format(rec->addr, ip);
    struct win_subnet subnet;
    if (subnet_in_scopes(ctx, rel, rec->addr, &subnet, st) < 0) return -1;
    struct win_lease existing = {0};
    int rc = h->lease_get(h->ctx, rec->addr, &existing, err);
    if (rc == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
    if (rc == WIN_HOST_NOT_FOUND) return win_succeed(st, "client %s was already absent", ip);
    if (replica_record_same_client(&existing, rec)) {
        rc = remove_one(ctx, &existing, st);
        if (rc == 0) {
            remember(txn, OP_DELETE, NULL, &existing);
            win_succeed(st, "client %s deleted", ip);
        }
    } else {
        replica_record_describe(&existing, who, sizeof who);
        rc = win_succeed(st, "client %s is held here by another client (%s): left as it is", ip,
                         who);
    }
    win_lease_clear(&existing);
    return rc;
}

/* The partner gave up on txn and undid its own writes: undo ours where the
 * address still holds what we wrote, and refuse anything of txn still to come. */
static int apply_abort(const struct win_ctx *ctx, const char *txn, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    int undone = 0;
    for (size_t k = 0; k < APPLIED_KEPT; k++) {
        struct applied *a = &applied[(applied_next + APPLIED_KEPT - 1 - k) % APPLIED_KEPT];
        if (!a->txn[0] || strcmp(a->txn, txn) != 0) continue;
        uint32_t addr = a->has_post ? a->post.addr : a->pre.addr;
        struct win_status one;
        if (client_lease_lock(ctx, addr, &one) < 0) continue;
        struct win_lease now = {0};
        char err[WIN_HOST_ERR_LEN];
        int rc = h->lease_get(h->ctx, addr, &now, err);
        if (rc == WIN_HOST_OK && a->has_post && replica_record_same_write(&now, &a->post)) {
            if (a->op == OP_CREATE) undone += remove_one(ctx, &now, &one) == 0;
            else if (a->has_pre) undone += write_over(ctx, &now, &a->pre, &one) == 0;
        } else if (rc == WIN_HOST_NOT_FOUND && a->op == OP_DELETE && a->has_pre) {
            undone += write_new(ctx, &a->pre, &one) == 0;
        }
        win_lease_clear(&now);
        h->address_unlock(h->ctx, addr);
        a->txn[0] = '\0';
    }
    snprintf(aborted[aborted_next], TXN_MAX, "%s", txn);
    aborted_next = (aborted_next + 1) % ABORTED_KEPT;
    return win_succeed(st, "%d change%s of the partner's abandoned change undone", undone,
                       undone == 1 ? "" : "s");
}

static int apply_op(const struct win_ctx *ctx, const struct fo_relationship *rel, const char *txn,
                    const cJSON *op, cJSON **held, struct win_status *st)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(op, "op");
    if (!cJSON_IsString(kind))
        return win_fail(st, ERROR_INVALID_PARAMETER, "a change needs its op");
    if (strcmp(kind->valuestring, "abort") == 0) return apply_abort(ctx, txn, st);
    if (was_aborted(txn))
        return win_fail(st, ERROR_DHCP_SERVER_NOT_REACHABLE,
                        "the partner already gave this change up (it came too late)");
    enum replica_op which;
    if (strcmp(kind->valuestring, "create") == 0) which = OP_CREATE;
    else if (strcmp(kind->valuestring, "set") == 0) which = OP_SET;
    else if (strcmp(kind->valuestring, "delete") == 0) which = OP_DELETE;
    else return win_fail(st, ERROR_INVALID_PARAMETER, "unknown op");
    struct win_lease rec, pre;
    int has_pre = 0;
    if (replica_record_decode(cJSON_GetObjectItemCaseSensitive(op, "record"), &rec) < 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "the change's record is malformed");
    const cJSON *pre_json = cJSON_GetObjectItemCaseSensitive(op, "pre");
    if (pre_json && replica_record_decode(pre_json, &pre) < 0) {
        win_lease_clear(&rec);
        return win_fail(st, ERROR_INVALID_PARAMETER, "the change's prior record is malformed");
    }
    has_pre = pre_json != NULL;
    /* Only the primary's queue replay forces (replication_queue.c), so only
     * a secondary (whose partner is the primary, as its own configuration
     * says) honours force. */
    int force = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(op, "force"));
    int rc = force && rel->server_type != WIN_FO_SECONDARY
                 ? win_fail(st, ERROR_ACCESS_DENIED, "a forced change comes only from the "
                            "primary, and this server is the primary of %.200s: nothing "
                            "changed", rel->name)
                 : client_lease_lock(ctx, rec.addr, st);
    if (rc == 0) {
        rc = which == OP_DELETE
                 ? apply_delete(ctx, rel, txn, &rec, st)
                 : apply_write(ctx, rel, txn, which, &rec, has_pre ? &pre : NULL, force, held,
                               st);
        ctx->host->address_unlock(ctx->host->ctx, rec.addr);
    }
    win_lease_clear(&rec);
    if (has_pre) win_lease_clear(&pre);
    return rc;
}

cJSON *client_replica(const struct win_ctx *ctx, const cJSON *args, struct win_status *st)
{
    struct fo_relationship rel;
    cJSON *payload = replica_open(ctx, args, &rel, st);
    if (!payload) return NULL;
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(payload, "from-role");
    const cJSON *txn = cJSON_GetObjectItemCaseSensitive(payload, "txn");
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(payload, "ops");
    const char *partner_role = rel.server_type == WIN_FO_PRIMARY ? "secondary" : "primary";
    if (!cJSON_IsString(role) || strcmp(role->valuestring, partner_role) != 0) {
        cJSON_Delete(payload);
        win_fail(st, ERROR_INVALID_PARAMETER, "replica refused: this server is the %s of %s, "
                 "so its partner must be the %s; nothing changed",
                 partner_role[0] == 's' ? "primary" : "secondary", rel.name, partner_role);
        return NULL;
    }
    if (!cJSON_IsString(txn) || strlen(txn->valuestring) >= TXN_MAX || !cJSON_IsArray(ops) ||
        cJSON_GetArraySize(ops) > OPS_MAX) {
        cJSON_Delete(payload);
        win_fail(st, ERROR_INVALID_PARAMETER, "replica refused: it needs a txn and at most %d "
                 "ops; nothing changed", OPS_MAX);
        return NULL;
    }
    /* Only refusals are listed: a bulk's acknowledgement stays small. */
    cJSON *refused = cJSON_CreateArray();
    int applied_count = 0, count = 0;
    int64_t replicas[2] = {0, 0}; /* record changes applied, refused (not aborts) */
    const cJSON *op;
    cJSON_ArrayForEach(op, ops)
    {
        struct win_status one = {ERROR_SUCCESS, WIN_RESULT_SUCCESS, ""};
        cJSON *held = NULL;
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(op, "op");
        int ok = apply_op(ctx, &rel, txn->valuestring, op, &held, &one) == 0;
        if (!(cJSON_IsString(kind) && strcmp(kind->valuestring, "abort") == 0)) replicas[!ok]++;
        if (ok) {
            applied_count++;
        } else {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddNumberToObject(r, "index", count);
            cJSON_AddNumberToObject(r, "error-code", one.code);
            cJSON_AddStringToObject(r, "text", one.text);
            if (held) cJSON_AddItemToObject(r, "holder", held);
            cJSON_AddItemToArray(refused, r);
        }
        count++;
    }
    win_stat_relationship_count(ctx->host, rel.name, WIN_STAT_REPLICAS_APPLIED, replicas[0]);
    win_stat_relationship_count(ctx->host, rel.name, WIN_STAT_REPLICAS_REFUSED, replicas[1]);
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddNumberToObject(reply, "applied", applied_count);
    cJSON_AddItemToObject(reply, "refused", refused);
    cJSON *answer = replica_sign_reply(ctx, &rel, payload, reply);
    cJSON_Delete(payload);
    if (!answer) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory for the answer");
        return NULL;
    }
    win_succeed(st, "%d of %d changes from the partner applied", applied_count, count);
    return answer;
}
