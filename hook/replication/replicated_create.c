/* win-client-info-vq-create: one record, or a bulk ({"clients": [...]}). */
#include "replicated_cmds.h"

#include "client_change.h"
#include "replication.h"

/* Answers with the status (as Windows and lease4-add do: get reads the
 * record back) and, for a record of a failover pair, what the partner did. */
static cJSON *create_single(const struct win_ctx *ctx, const cJSON *args,
                            struct win_status *st)
{
    struct repl_change change = {.kind = REPL_CREATE};
    struct win_subnet subnet;
    struct repl_session rs = {0};
    struct repl_gate gate = repl_gate(&rs);
    if (client_create_one(ctx, args, &gate.gate, &change.post, &subnet, st) == 0) {
        client_describe_created(&change.post, &subnet, st);
        if (gate.pair) repl_apply_or_undo(ctx, gate.pair, &change, st);
        else win_lease_clear(&change.post);
    }
    return repl_close(ctx, &rs, NULL);
}

/* The items of a list in the arguments, in the form the host hands them over. */
static const cJSON *next_array_item(void *source)
{
    const cJSON **cursor = source;
    const cJSON *item = *cursor;
    if (item) *cursor = item->next;
    return item;
}

/* A bulk create's records come in the arguments ("clients") or, for a long
 * list, from the host an item at a time (ctx->items); the rules are the same. */
cJSON *client_info_vq_create(const struct win_ctx *ctx, const cJSON *args,
                             struct win_status *st)
{
    const cJSON *clients = cJSON_GetObjectItemCaseSensitive(args, "clients");
    if (!clients && !ctx->items) return create_single(ctx, args, st);
    if (cJSON_GetArraySize(args) != (clients ? 1 : 0)) {
        win_fail(st, ERROR_INVALID_PARAMETER,
                 "a bulk create takes only \"clients\"; put every field inside the records");
        return NULL;
    }
    /* Not a list counts as an empty one. */
    int listed = cJSON_IsArray(clients);
    const cJSON *cursor = listed ? clients->child : NULL;
    struct win_items in_arguments = {listed ? (size_t)cJSON_GetArraySize(clients) : 0,
                                     next_array_item, &cursor};
    const struct win_items *items = ctx->items ? ctx->items : &in_arguments;
    if (items->count == 0) {
        win_fail(st, ERROR_INVALID_PARAMETER, "clients must be a non-empty list of records");
        return NULL;
    }
    /* Refused before any record is looked at: kea-dhcp4 serves no DHCP
     * client while a command runs. */
    if (items->count > ctx->config->max_records_per_request) {
        win_fail(st, ERROR_INVALID_PARAMETER,
                 "clients holds %zu records, more than max-records-per-request (%u) allows in "
                 "one request; nothing changed: send them in requests of at most %u",
                 items->count, ctx->config->max_records_per_request,
                 ctx->config->max_records_per_request);
        return NULL;
    }
    return client_create_bulk(ctx, items, st);
}
