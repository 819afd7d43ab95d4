/* Handlers of the win-failover-* commands. */
#ifndef FAILOVER_CMDS_H
#define FAILOVER_CMDS_H

#include <stddef.h>

#include "win_context.h"

win_handler failover_relationship_create, failover_relationship_set, failover_relationship_get,
    failover_relationship_delete, failover_relationship_enum, failover_scope_add,
    failover_scope_delete, failover_scope_relationship_get, failover_client_info_get,
    failover_client_info_enum, failover_scope_statistics_get, failover_system_time_get;

/* A relationship's "unreplicated-changes": the record changes waiting for
 * its partner. They are replication's, the layer above, which registers how
 * to count them (none registered: 0). */
typedef size_t (*fo_backlog_counter)(const struct win_ctx *ctx, const char *relationship);
/* 1 when the relationship's queue went past its bound: a resync is needed. */
typedef int (*fo_resync_flag)(const struct win_ctx *ctx, const char *relationship);
void failover_backlog_register(fo_backlog_counter counter, fo_resync_flag resync_needed);

#endif
