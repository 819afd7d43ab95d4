/* Handlers of the client-record commands that change a record: written here
 * through client/'s single-record changes, and for a record of a failover
 * pair applied on the partner too (or undone here). */
#ifndef REPLICATED_CMDS_H
#define REPLICATED_CMDS_H

#include "win_context.h"

win_handler client_info_vq_create, client_info_v4_set, client_info_vq_set, client_info_delete;

/* A bulk create's items (replicated_create_bulk.c). */
cJSON *client_create_bulk(const struct win_ctx *ctx, const struct win_items *items,
                          struct win_status *st);

#endif
