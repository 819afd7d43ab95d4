/* win-client-info-vq-create with {"clients": [...]}: every item is a create
 * of its own, with its own result. Records of a failover pair go to the
 * partner REPL_CHUNK at a time, and while one chunk is with the partner the
 * next is written here: the two servers work at once. */
#include "replicated_cmds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_change.h"
#include "json_writer.h"
#include "replication.h"

/* Items between the oldest whose result is not written yet and the newest
 * (a chunk with the partner, the chunk being filled, items of no pair). */
#define WINDOW 4096

struct bulk_slot {
    struct win_status st;
    cJSON *ip; /* a copy: the host's items live until the next one only */
    struct repl_change change;
};

/* Consecutive changes of one pair, sent as one request. */
struct bulk_group {
    struct repl_pair *pair;
    size_t first;                         /* its first item */
    struct repl_change *changes[REPL_CHUNK];
    size_t items[REPL_CHUNK];
    size_t count;
};

struct bulk {
    const struct win_ctx *ctx;
    struct bulk_slot *slots;              /* item i in slots[i % WINDOW] */
    struct bulk_group filling, flying;
    struct repl_flight flight;
    size_t done;                          /* items whose result is written */
    struct json_writer results;
    int created, failed;
    struct win_status first_failure;
};

/* Each item of a bulk create is a change of its own in the audit log. */
static void log_item(const struct win_ctx *ctx, const struct win_status *st)
{
    enum win_message id = st->code == ERROR_SUCCESS        ? WIN_CMDS_CLIENT_ITEM_CREATED
                          : st->code == ERROR_DHCP_JET_ERROR ? WIN_CMDS_CLIENT_ITEM_FAILED
                                                             : WIN_CMDS_CLIENT_ITEM_REFUSED;
    WIN_LOG(ctx->host, id, st->text, win_error_name(st->code));
}

/* The partner's answer to the chunk with it: refused records are undone. */
static void land(struct bulk *b)
{
    if (!b->flying.count) return;
    repl_finish(b->ctx, &b->flight);
    for (size_t k = 0; k < b->flying.count; k++) {
        struct repl_change *c = b->flying.changes[k];
        if (c->code != ERROR_SUCCESS) {
            repl_undo(b->ctx, c);
            win_fail(&b->slots[b->flying.items[k] % WINDOW].st, c->code, "nothing changed: %s",
                     c->text);
        }
        repl_change_clear(c);
    }
    b->flying.count = 0;
}

/* The chunk being filled goes to the partner, once the one before is back. */
static void launch(struct bulk *b)
{
    if (!b->filling.count) return;
    land(b);
    b->flying = b->filling;
    b->filling.count = 0;
    repl_start(b->ctx, b->flying.pair, b->flying.changes, b->flying.count, &b->flight);
}

/* Results of the items before upto, in order. */
static void write_results(struct bulk *b, size_t upto)
{
    if (b->flying.count && b->flying.first < upto) upto = b->flying.first;
    if (b->filling.count && b->filling.first < upto) upto = b->filling.first;
    for (; b->done < upto; b->done++) {
        struct bulk_slot *slot = &b->slots[b->done % WINDOW];
        if (slot->st.code == ERROR_SUCCESS)
            b->created++;
        else if (b->failed++ == 0)
            b->first_failure = slot->st;
        log_item(b->ctx, &slot->st);
        struct json_writer *w = &b->results;
        jw_begin_object(w);
        JW_KEY(w, "client-ip-address");
        jw_value(w, cJSON_IsString(slot->ip) ? slot->ip : NULL);
        JW_KEY(w, "error-code");
        jw_int(w, slot->st.code);
        JW_KEY(w, "error-name");
        jw_string(w, win_error_name(slot->st.code));
        JW_KEY(w, "text");
        /* The item names its address already; the audit line gets the sentence. */
        jw_string(w, slot->st.code ? slot->st.text : "created");
        jw_end_object(w);
        cJSON_Delete(slot->ip);
        slot->ip = NULL;
    }
}

/* Item i: written here; a record of a pair joins the chunk being filled. */
static void create_item(struct bulk *b, struct repl_session *rs, const cJSON *item, size_t i)
{
    struct bulk_slot *slot = &b->slots[i % WINDOW];
    slot->st = (struct win_status){ERROR_SUCCESS, WIN_RESULT_SUCCESS, ""};
    slot->ip = item ? cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(item, "client-ip-address"),
                                      0)
                    : NULL;
    slot->change = (struct repl_change){.kind = REPL_CREATE};
    struct win_subnet subnet;
    struct repl_gate gate = repl_gate(rs);
    if (!item) {
        win_fail(&slot->st, ERROR_DHCP_JET_ERROR, "item %zu could not be read (out of memory)", i);
        return;
    }
    if (client_create_one(b->ctx, item, &gate.gate, &slot->change.post, &subnet, &slot->st) < 0)
        return;
    struct repl_pair *pair = gate.pair;
    if (win_log_wanted(b->ctx->host, WIN_CMDS_CLIENT_ITEM_CREATED))
        client_describe_created(&slot->change.post, &subnet, &slot->st);
    if (!pair) {
        win_lease_clear(&slot->change.post);
        return;
    }
    struct bulk_group *g = &b->filling;
    if (g->count && (g->pair != pair || g->count == REPL_CHUNK)) launch(b);
    if (!g->count) {
        g->pair = pair;
        g->first = i;
    }
    g->changes[g->count] = &slot->change;
    g->items[g->count++] = i;
}

cJSON *client_create_bulk(const struct win_ctx *ctx, const struct win_items *items,
                          struct win_status *st)
{
    struct bulk b = {.ctx = ctx, .first_failure = {ERROR_SUCCESS, 0, ""}};
    b.slots = calloc(WINDOW, sizeof *b.slots);
    if (!b.slots) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
        return NULL;
    }
    /* One result per item, written as text: a tree of 100,000 results would
     * cost more memory than the leases themselves. */
    jw_init(&b.results, items->count * 96);
    jw_begin_array(&b.results);
    struct repl_session rs = {0};
    for (size_t i = 0; i < items->count; i++) {
        if (i - b.done == WINDOW) { /* no slot left: everything before i settles */
            launch(&b);
            land(&b);
            write_results(&b, i);
        }
        create_item(&b, &rs, items->next(items->source), i);
        if (b.flying.count) repl_progress(ctx, &b.flight);
        write_results(&b, i + 1);
    }
    launch(&b);
    land(&b);
    write_results(&b, items->count);
    free(b.slots);
    jw_end_array(&b.results);
    cJSON *list = jw_take_raw(&b.results);
    if (!list) {
        repl_session_close(&rs);
        win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory writing the results of %d records "
                 "(%d created)", b.created + b.failed, b.created);
        return NULL;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddNumberToObject(answer, "created", b.created);
    cJSON_AddNumberToObject(answer, "failed", b.failed);
    cJSON_AddItemToObject(answer, "clients", list);
    repl_close(ctx, &rs, answer);
    if (b.failed)
        win_fail(st, b.first_failure.code, "%d of %d client records created; first failure: %s",
                 b.created, b.created + b.failed, b.first_failure.text);
    else
        win_succeed(st, "%d client records created", b.created);
    return answer;
}
