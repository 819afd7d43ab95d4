/* The paged walk over client records that the subnet enumerations and the
 * failover client-info enumeration share (see subnet_clients_enum.c). */
#ifndef CLIENT_ENUM_H
#define CLIENT_ENUM_H

#include <cjson/cJSON.h>

#include "win_context.h"
#include "win_status.h"

typedef cJSON *(*client_encoder)(const struct win_ctx *ctx, const struct win_lease *lease,
                                 const struct win_subnet *subnet, void *data);

/* subnet-address / resume-handle / preferred-maximum in, one page of records
 * out (clients, clients-read, clients-total, resume-handle), with
 * ERROR_MORE_DATA / ERROR_SUCCESS / ERROR_NO_MORE_ITEMS. */
cJSON *client_enum(const struct win_ctx *ctx, const cJSON *args, client_encoder encode,
                   void *data, struct win_status *st);

#endif
