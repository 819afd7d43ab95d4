#include "replication.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client_lease.h"
#include "failover_ha.h"
#include "failover_live.h"
#include "lease_stats.h"
#include "replica_record.h"
#include "replica_wire.h"
#include "replication_queue.h"
#include "value_formats.h"
#include "win_enums.h"

void repl_change_clear(struct repl_change *change)
{
    win_lease_clear(&change->post);
    if (change->has_pre) win_lease_clear(&change->pre);
    change->has_pre = 0;
}

void repl_session_close(struct repl_session *s)
{
    if (s->loaded) fo_store_free(&s->store);
    free(s->pairs);
    memset(s, 0, sizeof *s);
}

static int load(const struct win_ctx *ctx, struct repl_session *s, struct win_status *st)
{
    if (s->loaded) return 0;
    if (fo_store_load(ctx->config, &s->store, st) < 0) {
        fo_store_free(&s->store);
        return -1;
    }
    s->loaded = 1;
    s->pairs = calloc(s->store.count ? s->store.count : 1, sizeof *s->pairs);
    if (!s->pairs) return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    return 0;
}

/* A primary whose partner let a request time out sends no more for a while:
 * its changes go to the queue without a wait. With Kea multi-threading on, a
 * DHCP packet that arrived while one command waited is served only once the
 * next command has answered too, so two timed-out waits back to back would
 * add up for that client; one is all a DHCP client may wait. (A partner busy
 * with its own command answers within the secondary's quarter of the wait, so
 * a timeout is a partner gone or stalled; Kea HA notices a gone partner within
 * its heartbeat delay, and the queue's tick tries the partner meanwhile.) */
#define SILENT_PARTNER_MS 5000
#define REPL_WAIT_LEAST_MS 10 /* no request is sent with less to wait */
#define SILENT_MAX 16
static struct {
    char name[FO_TEXT_MAX];
    long long until_ms;
} silent[SILENT_MAX];

static long long monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void repl_slice_begin(struct repl_slice *s, unsigned budget_ms, unsigned cap_ms)
{
    memset(s, 0, sizeof *s);
    s->start_ms = monotonic_ms();
    s->budget_ms = budget_ms;
    s->cap_ms = cap_ms < budget_ms ? cap_ms : budget_ms;
}

void repl_tick_begin(const struct win_ctx *ctx, struct repl_slice *tick)
{
    unsigned most = ctx->config->partner_wait_ms;
    repl_slice_begin(tick, most, most);
}

void repl_slice_narrow(struct repl_slice *s, unsigned budget_ms, unsigned cap_ms)
{
    long long until = monotonic_ms() - s->start_ms + budget_ms;
    if (until < s->budget_ms) s->budget_ms = (unsigned)until;
    s->cap_ms = cap_ms < budget_ms ? cap_ms : budget_ms;
}

unsigned repl_slice_next(struct repl_slice *s)
{
    long long now = monotonic_ms(), left = s->budget_ms - (now - s->start_ms);
    if (s->sent && (left - s->last_ms < 0 || left < REPL_WAIT_LEAST_MS)) return 0;
    s->sent_ms = now;
    if (left < REPL_WAIT_LEAST_MS) left = REPL_WAIT_LEAST_MS;
    return left < s->cap_ms ? (unsigned)left : s->cap_ms;
}

void repl_slice_done(struct repl_slice *s)
{
    s->last_ms = monotonic_ms() - s->sent_ms;
    s->sent = 1;
}

/* A request to rel's partner timed out (timed_out) or was answered. */
static void note_answer(const char *name, int timed_out)
{
    size_t slot = 0;
    for (size_t i = 0; i < SILENT_MAX; i++) {
        if (strcmp(silent[i].name, name) == 0) {
            slot = i;
            break;
        }
        if (silent[i].until_ms < silent[slot].until_ms) slot = i;
    }
    if (strcmp(silent[slot].name, name) != 0) {
        if (!timed_out) return;
        snprintf(silent[slot].name, sizeof silent[slot].name, "%s", name);
    }
    silent[slot].until_ms = timed_out ? monotonic_ms() + SILENT_PARTNER_MS : 0;
}

void repl_silence_reset(void)
{
    memset(silent, 0, sizeof silent);
}

static int is_silent(const char *name)
{
    for (size_t i = 0; i < SILENT_MAX; i++)
        if (strcmp(silent[i].name, name) == 0) return silent[i].until_ms > monotonic_ms();
    return 0;
}

/* What Kea HA's state lets a change do now. */
static int check_state(const struct win_ctx *ctx, struct repl_pair *p, struct win_status *st)
{
    /* The bound counts from here, the command's first change of the pair's
     * records: what it does before its first request holds kea-dhcp4 too. */
    long long start = monotonic_ms();
    struct fo_live live;
    if (fo_live_read(ctx, &p->rel, FO_LIVE_STATE, &live) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "HA state lookup failed: %s", live.state_err);
    p->checked = 1;
    p->wait_ms = p->budget_ms = fo_ha_wait_budget_ms(ctx, &p->rel);
    p->deadline_ms = start + p->budget_ms;
    /* A quarter: when both wait on each other, the secondary gives up with
     * three quarters of the primary's wait left for the primary's request. */
    if (p->rel.server_type != WIN_FO_PRIMARY) p->wait_ms /= 4;
    enum fo_pair_reach reach = fo_live_pair_reach(&live.state);
    if (reach == FO_PAIR_SYNCING)
        return win_fail(st, ERROR_DHCP_FO_SCOPE_SYNC_IN_PROGRESS,
                        "failover relationship %s is %s (Kea HA): this server's records are "
                        "not the pair's yet; nothing changed, retry once it is normal",
                        p->rel.name, live.state.name);
    p->queue = reach == FO_PAIR_AWAY;
    if (!p->queue && is_silent(p->rel.name)) {
        p->queue = 1;
        snprintf(p->text, sizeof p->text, "the partner left a request unanswered for %u ms "
                 "less than %d s ago; changes are queued and sent when it answers",
                 p->wait_ms, SILENT_PARTNER_MS / 1000);
    }
    /* Changes wait behind those already queued, in order; the tick sends
     * them (never a command: it would wait on a partner busy with its own). */
    size_t waiting = p->queue ? 0 : repl_queue_count(ctx, p->rel.name);
    if (waiting) {
        p->queue = 1;
        snprintf(p->text, sizeof p->text, "%zu earlier change%s wait%s for the partner (sent "
                 "every few seconds while the pair is normal); this one is queued behind them",
                 waiting, waiting == 1 ? "" : "s", waiting == 1 ? "s" : "");
    }
    return 0;
}

static int admit(struct client_gate *gate, const struct win_ctx *ctx,
                 const struct win_subnet *subnet, struct win_status *st)
{
    struct repl_gate *g = (struct repl_gate *)gate;
    struct repl_session *s = g->session;
    g->pair = NULL;
    if (load(ctx, s, st) < 0) return -1;
    for (size_t i = 0; i < s->store.count; i++) {
        if (!fo_has_scope(&s->store.items[i], subnet->prefix)) continue;
        /* On a shared lease database the write itself is the pair's: there
         * is nothing to send, and the row's uniqueness is the pair's check. */
        if (s->store.items[i].shared_lease_database) return 0;
        struct repl_pair *p = &s->pairs[i];
        if (!p->checked) {
            p->rel = s->store.items[i];
            if (check_state(ctx, p, st) < 0) return -1;
        }
        g->pair = s->used = p;
        return 0;
    }
    return 0;
}

struct repl_gate repl_gate(struct repl_session *s)
{
    return (struct repl_gate){{admit}, s, NULL};
}

static cJSON *op_of(const struct repl_change *c)
{
    static const char *const names[] = {"create", "set", "delete"};
    cJSON *op = cJSON_CreateObject();
    cJSON_AddStringToObject(op, "op", names[c->kind]);
    cJSON_AddItemToObject(op, "record", replica_record_encode(&c->post));
    if (c->has_pre) cJSON_AddItemToObject(op, "pre", replica_record_encode(&c->pre));
    return op;
}

static cJSON *ops_of(struct repl_change *const *changes, size_t count)
{
    cJSON *ops = cJSON_CreateArray();
    for (size_t i = 0; i < count; i++) cJSON_AddItemToArray(ops, op_of(changes[i]));
    return ops;
}

static void note_failure(struct repl_pair *p, int code, const char *text)
{
    p->failed++;
    if (!p->code) {
        p->code = code;
        snprintf(p->text, sizeof p->text, "%.200s", text);
    }
}

static int enqueue(const struct win_ctx *ctx, struct repl_pair *p,
                   struct repl_change *const *changes, size_t count, const char *why)
{
    struct win_status st = {0};
    cJSON *ops = ops_of(changes, count);
    int rc = repl_queue_append(ctx, p->rel.name, ops, &st);
    cJSON_Delete(ops);
    char past[WIN_TEXT_MAX];
    snprintf(past, sizeof past, "applied here only, not queued: the queue for the partner holds "
             "max-unreplicated-changes (%llu); the relationship needs a resync "
             "(win-failover-relationship-resync once the partner is back)",
             (unsigned long long)ctx->config->max_unreplicated_changes);
    for (size_t i = 0; i < count; i++) {
        changes[i]->code = rc < 0 ? st.code : 0;
        snprintf(changes[i]->text, sizeof changes[i]->text, "%.200s",
                 rc < 0 ? st.text : rc == 1 ? past : "queued for the partner");
    }
    if (rc == 1) {
        snprintf(p->text, sizeof p->text, "%s", past);
        p->queued_now += (int)count;
        return 0;
    }
    if (rc < 0) {
        note_failure(p, st.code, st.text);
        return -1;
    }
    p->queued_now += (int)count;
    if (!p->text[0]) snprintf(p->text, sizeof p->text, "%.200s", why);
    return 0;
}

/* The partner took too long: it may still apply the request; an abort sent
 * after it undoes that. */
static void queue_abort(const struct win_ctx *ctx, struct repl_pair *p, const char *txn)
{
    struct win_status st = {0};
    cJSON *ops = cJSON_CreateArray(), *abort_op = cJSON_CreateObject();
    cJSON_AddStringToObject(abort_op, "op", "abort");
    cJSON_AddStringToObject(abort_op, "txn", txn);
    cJSON_AddItemToArray(ops, abort_op);
    if (repl_queue_append(ctx, p->rel.name, ops, &st) < 0)
        WIN_LOG(ctx->host, WIN_CMDS_ABORT_NOT_QUEUED, p->rel.name, st.text);
    cJSON_Delete(ops);
}

/* Every change of the flight failed with code and text. */
static void fail_all(struct repl_flight *f, int code, const char *text)
{
    for (size_t i = 0; i < f->count; i++) {
        f->changes[i]->code = code;
        snprintf(f->changes[i]->text, sizeof f->changes[i]->text, "%.300s", text);
    }
    note_failure(f->pair, code, text);
}

void repl_start(const struct win_ctx *ctx, struct repl_pair *p, struct repl_change *const *changes,
                size_t count, struct repl_flight *f)
{
    char name[FO_TEXT_MAX], url[FO_TEXT_MAX], why[WIN_TEXT_MAX], text[WIN_TEXT_MAX];
    memset(f, 0, sizeof *f);
    f->pair = p;
    f->changes = changes;
    f->count = count;
    if (count == 0) return;
    fo_partner(&p->rel, name, url);
    if (!p->rel.has_secret || !p->rel.shared_secret[0]) {
        for (size_t i = 0; i < count; i++) changes[i]->code = 0;
        snprintf(p->text, sizeof p->text, "relationship %.200s has no shared secret: the partner "
                 "cannot be told (set one to replicate records)", p->rel.name);
        p->queued_now = -1;
        return;
    }
    if (p->queue) {
        if (!p->text[0])
            snprintf(text, sizeof text, "the partner %.200s is unreachable (Kea HA); changes are "
                     "queued and sent when it is back", name);
        enqueue(ctx, p, changes, count, p->text[0] ? p->text : text);
        return;
    }
    /* All of a command's requests end within its budget: what is left once
     * it is spent waits in the queue (a bulk on a slow partner). */
    long long now = monotonic_ms();
    long long left = p->deadline_ms - now;
    if (left < REPL_WAIT_LEAST_MS) {
        p->queue = 1;
        snprintf(text, sizeof text, "this command reached its bound (%u ms from its first "
                 "change, partner-wait-ms); the rest of its changes are queued and sent shortly",
                 p->budget_ms);
        enqueue(ctx, p, changes, count, text);
        return;
    }
    unsigned wait = left < p->wait_ms ? (unsigned)left : p->wait_ms;
    f->sent_ms = now;
    f->wait_ms = wait;
    replica_txn(f->txn);
    f->request = replica_start(ctx, &p->rel, f->txn, ops_of(changes, count), wait, why);
    if (!f->request) fail_all(f, ERROR_DHCP_SERVER_NOT_REACHABLE, why);
}

void repl_progress(const struct win_ctx *ctx, struct repl_flight *f)
{
    if (f->request) replica_poll(ctx, f->request);
}

int repl_finish(const struct win_ctx *ctx, struct repl_flight *f)
{
    char name[FO_TEXT_MAX], url[FO_TEXT_MAX], why[WIN_TEXT_MAX], text[WIN_TEXT_MAX];
    struct repl_pair *p = f->pair;
    if (!f->request) return 0;
    cJSON *results = NULL;
    int rc = replica_finish(ctx, f->request, &results, why);
    f->request = NULL;
    fo_partner(&p->rel, name, url);
    if (rc == WIN_HOST_UNREACHABLE) {
        WIN_LOG(ctx->host, WIN_CMDS_PARTNER_UNREACHABLE, p->rel.name, why);
        p->queue = 1;
        snprintf(text, sizeof text, "the partner is unreachable (%.200s); changes are queued and "
                 "sent when it answers", why);
        return enqueue(ctx, p, f->changes, f->count, text);
    }
    if (rc != WIN_HOST_OK) {
        int code = ERROR_DHCP_SERVER_NOT_REACHABLE;
        if (rc == WIN_HOST_BUSY) {
            queue_abort(ctx, p, f->txn);
            /* The rest of this command goes behind the abort, without a
             * second wait: one command waits for the partner once. */
            p->queue = 1;
            /* Silent only when the wait was spent: an answer that came
             * unsigned (forged on the path) cost DHCP clients no wait. */
            if (p->rel.server_type == WIN_FO_PRIMARY &&
                monotonic_ms() - f->sent_ms + 1 >= (long long)f->wait_ms)
                note_answer(p->rel.name, 1);
            /* Both waiting on each other: the secondary gives up first, and the
             * primary's change is the one that happens (Windows: primary wins). */
            if (p->rel.server_type != WIN_FO_PRIMARY) {
                code = ERROR_DHCP_CLIENT_EXISTS;
                snprintf(text, sizeof text, "the primary %.200s did not confirm within %u ms: it "
                         "is changing records itself, and the primary's change wins (read the "
                         "record; retry if still wanted)", name, p->wait_ms);
            } else {
                snprintf(text, sizeof text, "the partner did not answer: %.300s", why);
            }
        } else {
            /* A refusal of the whole request comes unsigned, so it may be
             * forged over a change the partner applied: an abort follows. */
            queue_abort(ctx, p, f->txn);
            snprintf(text, sizeof text, "%.300s", why);
        }
        fail_all(f, code, text);
        return -1;
    }
    p->sent += (int)f->count;
    note_answer(p->rel.name, 0);
    const cJSON *r;
    size_t i = 0;
    cJSON_ArrayForEach(r, results)
    {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(r, "error-code");
        const cJSON *said = cJSON_GetObjectItemCaseSensitive(r, "text");
        struct repl_change *c = f->changes[i++];
        c->code = cJSON_IsNumber(code) ? code->valueint : ERROR_DHCP_JET_ERROR;
        if (c->code) {
            snprintf(c->text, sizeof c->text, "on the partner %.100s: %.300s", name,
                     cJSON_IsString(said) ? said->valuestring : "no text");
            note_failure(p, c->code, c->text);
        }
    }
    cJSON_Delete(results);
    return 0;
}

int repl_send(const struct win_ctx *ctx, struct repl_pair *p, struct repl_change *change)
{
    struct repl_flight f;
    struct repl_change *const one[1] = {change};
    repl_start(ctx, p, one, 1, &f);
    return repl_finish(ctx, &f);
}

void repl_undo(const struct win_ctx *ctx, const struct repl_change *c)
{
    const struct win_host *h = ctx->host;
    struct win_status st;
    if (client_lease_lock(ctx, c->post.addr, &st) < 0) return;
    struct win_lease now = {0};
    char err[WIN_HOST_ERR_LEN] = "";
    int rc = h->lease_get(h->ctx, c->post.addr, &now, err);
    struct lease_pools pools; /* a write whose statistics cannot be found is not made */
    if (c->kind == REPL_DELETE) {
        if (rc == WIN_HOST_NOT_FOUND && lease_stats_pools(h, NULL, &c->post, &pools, &st) == 0 &&
            h->lease_add(h->ctx, &c->post, err) == WIN_HOST_OK)
            lease_stats_on_add(h, &c->post, &pools);
    } else if (rc == WIN_HOST_OK && replica_record_same_write(&now, &c->post)) {
        if (c->kind == REPL_CREATE) {
            if (lease_stats_pools(h, &now, NULL, &pools, &st) == 0 &&
                h->lease_delete(h->ctx, c->post.addr, err) == WIN_HOST_OK)
                lease_stats_on_delete(h, &now, &pools);
        } else if (c->has_pre && lease_stats_pools(h, &now, &c->pre, &pools, &st) == 0 &&
                   h->lease_update(h->ctx, &c->pre, err) == WIN_HOST_OK) {
            lease_stats_on_update(h, &now, &c->pre, &pools);
        }
    }
    if (rc == WIN_HOST_OK) win_lease_clear(&now);
    h->address_unlock(h->ctx, c->post.addr);
}

void repl_answer(const struct win_ctx *ctx, const struct repl_session *s, cJSON *arguments)
{
    const struct repl_pair *p = s->used;
    if (!p || !arguments) return;
    cJSON *partner = cJSON_CreateObject();
    int replicated = p->queued_now == 0 && p->failed == 0 && p->sent > 0;
    cJSON_AddBoolToObject(partner, "replicated", replicated);
    cJSON_AddNumberToObject(partner, "queued", (double)repl_queue_count(ctx, p->rel.name));
    cJSON_AddNumberToObject(partner, "error-code", p->code);
    cJSON_AddStringToObject(partner, "error-name", win_error_name(p->code));
    char name[FO_TEXT_MAX], url[FO_TEXT_MAX], text[WIN_TEXT_MAX];
    fo_partner(&p->rel, name, url);
    if (replicated)
        snprintf(text, sizeof text, "applied on the partner %.200s", name);
    else
        snprintf(text, sizeof text, "%.200s", p->text[0] ? p->text : "not sent");
    cJSON_AddStringToObject(partner, "text", text);
    cJSON_AddStringToObject(partner, "relationship", p->rel.name);
    cJSON_AddItemToObject(arguments, "partner", partner);
}

cJSON *repl_close(const struct win_ctx *ctx, struct repl_session *s, cJSON *arguments)
{
    if (s->used) {
        if (!arguments) arguments = cJSON_CreateObject();
        repl_answer(ctx, s, arguments);
    }
    repl_session_close(s);
    return arguments;
}

int repl_apply_or_undo(const struct win_ctx *ctx, struct repl_pair *pair,
                       struct repl_change *change, struct win_status *st)
{
    int rc = 0;
    if (repl_send(ctx, pair, change) < 0 || change->code != ERROR_SUCCESS) {
        repl_undo(ctx, change);
        rc = win_fail(st, change->code, "nothing changed: %s", change->text);
    }
    repl_change_clear(change);
    return rc;
}
