/* Reading client records with a chosen encoder (V4, VQ, failover client
 * info): one record by a search, or a paged walk. The subnet enumerations and
 * the gets share them with the failover client-info commands. */
#ifndef CLIENT_ENUM_H
#define CLIENT_ENUM_H

#include <cjson/cJSON.h>

#include "win_context.h"
#include "win_status.h"

struct json_writer;
/* Writes one record object for lease. */
typedef void (*client_encoder)(const struct win_ctx *ctx, const struct win_lease *lease,
                               const struct win_subnet *subnet, void *data,
                               struct json_writer *out);

/* The record args search for (client_search.h), encoded: "client". */
cJSON *client_get_one(const struct win_ctx *ctx, const cJSON *args, client_encoder encode,
                      void *data, struct win_status *st);

/* subnet-address / resume-handle / preferred-maximum in, one page of records
 * out (clients, clients-read, clients-total, resume-handle), with
 * ERROR_MORE_DATA / ERROR_SUCCESS / ERROR_NO_MORE_ITEMS. */
cJSON *client_enum(const struct win_ctx *ctx, const cJSON *args, client_encoder encode,
                   void *data, struct win_status *st);

#endif
