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

/* Create's conflict checks (MS-DHCPM step 4) for a lease about to be written
 * into subnet: a lease for the address, this client elsewhere in the subnet,
 * a reservation of the address for another client. 0, or -1 with st. The
 * failover partner runs them on a replicated create too. */
struct win_lease;
struct win_subnet;
int client_create_conflicts(const struct win_ctx *ctx, const struct win_lease *wanted,
                            const struct win_subnet *subnet, struct win_status *st);

/* One record of win-client-info-vq-create, checked and written here (*out
 * the stored lease, *subnet its scope, *pair its failover relationship or
 * NULL); the partner's part is the caller's. 0, or -1 with st. */
struct repl_session;
struct repl_pair;
int client_create_one(const struct win_ctx *ctx, const cJSON *item, struct win_lease *out,
                      struct win_subnet *subnet, struct repl_session *rs,
                      struct repl_pair **pair, struct win_status *st);
/* "client 192.0.2.10 created in subnet 192.0.2.0/24" into st. */
void client_describe_created(const struct win_lease *lease, const struct win_subnet *subnet,
                             struct win_status *st);
/* A bulk create's items (client_info_bulk.c). */
struct win_items;
cJSON *client_create_bulk(const struct win_ctx *ctx, const struct win_items *items,
                          struct win_status *st);

#endif
