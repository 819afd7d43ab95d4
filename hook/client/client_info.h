/* Handlers of the client-record commands. Each returns the answer's
 * "arguments" (NULL for none) and sets st; the envelope is added by win_cmds.c. */
#ifndef CLIENT_INFO_H
#define CLIENT_INFO_H

#include <cjson/cJSON.h>

#include "win_context.h"
#include "win_status.h"

cJSON *client_info_vq_create(const struct win_ctx *ctx, const cJSON *args,
                             struct win_status *st);
cJSON *client_info_v4_get(const struct win_ctx *ctx, const cJSON *args,
                          struct win_status *st);
cJSON *client_info_vq_get(const struct win_ctx *ctx, const cJSON *args,
                          struct win_status *st);
cJSON *client_info_v4_set(const struct win_ctx *ctx, const cJSON *args,
                          struct win_status *st);
cJSON *client_info_vq_set(const struct win_ctx *ctx, const cJSON *args,
                          struct win_status *st);
cJSON *client_info_delete(const struct win_ctx *ctx, const cJSON *args,
                          struct win_status *st);
cJSON *subnet_clients_v4_enum(const struct win_ctx *ctx, const cJSON *args,
                              struct win_status *st);
cJSON *subnet_clients_vq_enum(const struct win_ctx *ctx, const cJSON *args,
                              struct win_status *st);

#endif
