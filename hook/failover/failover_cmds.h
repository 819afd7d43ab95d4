/* Handlers of the win-failover-* commands (same shape as client_info.h). */
#ifndef FAILOVER_CMDS_H
#define FAILOVER_CMDS_H

#include <cjson/cJSON.h>

#include "win_context.h"
#include "win_status.h"

cJSON *failover_relationship_create(const struct win_ctx *ctx, const cJSON *args,
                                    struct win_status *st);
cJSON *failover_relationship_set(const struct win_ctx *ctx, const cJSON *args,
                                 struct win_status *st);
cJSON *failover_relationship_get(const struct win_ctx *ctx, const cJSON *args,
                                 struct win_status *st);
cJSON *failover_relationship_delete(const struct win_ctx *ctx, const cJSON *args,
                                    struct win_status *st);
cJSON *failover_relationship_enum(const struct win_ctx *ctx, const cJSON *args,
                                  struct win_status *st);
cJSON *failover_scope_add(const struct win_ctx *ctx, const cJSON *args, struct win_status *st);
cJSON *failover_scope_delete(const struct win_ctx *ctx, const cJSON *args,
                             struct win_status *st);
cJSON *failover_scope_relationship_get(const struct win_ctx *ctx, const cJSON *args,
                                       struct win_status *st);
cJSON *failover_client_info_get(const struct win_ctx *ctx, const cJSON *args,
                                struct win_status *st);
cJSON *failover_client_info_enum(const struct win_ctx *ctx, const cJSON *args,
                                 struct win_status *st);
cJSON *failover_scope_statistics_get(const struct win_ctx *ctx, const cJSON *args,
                                     struct win_status *st);
cJSON *failover_system_time_get(const struct win_ctx *ctx, const cJSON *args,
                                struct win_status *st);

#endif
