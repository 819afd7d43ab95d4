/* win-client-info-v4-set / -vq-set: the record updated here (client_set.c),
 * then on the failover partner when it is a pair's. */
#include "replicated_cmds.h"

#include "client_change.h"
#include "client_record_encode.h"
#include "replica_record.h"
#include "replication.h"
#include "win_enums.h"

/* The partner's part of a set: applied there too, or undone here. */
static int replicate_set(const struct win_ctx *ctx, struct repl_pair *pair,
                         const struct win_lease *before, const struct win_lease *after,
                         struct win_status *st)
{
    struct repl_change change = {.kind = REPL_SET};
    if (replica_record_copy(&change.post, after) < 0) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
        return -1;
    }
    if (replica_record_copy(&change.pre, before) == 0) change.has_pre = 1;
    return repl_apply_or_undo(ctx, pair, &change, st);
}

static cJSON *set_command(const struct win_ctx *ctx, const cJSON *args,
                          enum client_record_form form, struct win_status *st)
{
    struct win_lease before = {0}, lease = {0};
    struct win_subnet subnet;
    int has_subnet = 0;
    struct repl_session rs = {0};
    struct repl_gate gate = repl_gate(&rs);
    int rc = client_set_one(ctx, args, form, &gate.gate, &before, &lease, &subnet, &has_subnet,
                            st);
    if (rc == 0 && gate.pair) rc = replicate_set(ctx, gate.pair, &before, &lease, st);
    win_lease_clear(&before);
    if (rc < 0) {
        win_lease_clear(&lease);
        return repl_close(ctx, &rs, NULL);
    }
    cJSON *answer = repl_close(ctx, &rs, cJSON_CreateObject());
    cJSON_AddItemToObject(answer, "client",
                          client_record_item(ctx, &lease, has_subnet ? &subnet : NULL,
                                             form == CLIENT_RECORD_VQ ? client_record_encode_vq
                                                                      : client_record_encode_v4,
                                             NULL));
    win_lease_clear(&lease);
    return answer;
}

cJSON *client_info_v4_set(const struct win_ctx *ctx, const cJSON *args, struct win_status *st)
{
    return set_command(ctx, args, CLIENT_RECORD_V4, st);
}

cJSON *client_info_vq_set(const struct win_ctx *ctx, const cJSON *args, struct win_status *st)
{
    return set_command(ctx, args, CLIENT_RECORD_VQ, st);
}
