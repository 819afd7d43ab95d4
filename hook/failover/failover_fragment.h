/* The managed HA fragment and the operator's configuration around it: what
 * failover_config.c checks and writes, apart so that it can be tested alone. */
#ifndef FAILOVER_FRAGMENT_H
#define FAILOVER_FRAGMENT_H

#include <stddef.h>

#include "failover_store.h"
#include "win_context.h"

/* The fragment's whole text with no relationship. */
#define FO_FRAGMENT_NONE "// kea-win-cmds: no failover relationship\n"

/* Where the operator's configuration text includes fragment_path: the
 * offsets of the path between the directive's quotes (*at, *len), outside
 * comments. 0, or -1 when it has no such include. */
int fo_fragment_include(const char *config_text, const char *fragment_path, size_t *at,
                        size_t *len);

/* What the operator's configuration (text, read from path) must hold around
 * its include of fragment_path: a Dhcp4 map whose hooks-libraries ends with the
 * include, and - with relationships - libdhcp_lease_cmds.so and no
 * libdhcp_ha.so of its own. On success *lease_cmds is the directory of
 * lease_cmds' library ("" when the entry names no directory or there is
 * none; room for FILE_PATH_MAX). 0, or -1 with ERROR_DHCP_JET_ERROR naming
 * what to change. */
int fo_fragment_check_config(const char *path, const char *text, const char *fragment_path,
                             int relationships, char *lease_cmds, struct win_status *st);

/* The fragment for store's relationships (caller frees; NULL when memory
 * ran out): FO_FRAGMENT_NONE with none, else a comment and ", {library
 * entry of ha_library with the relationships}", with several relationships
 * also each one's scopes as comments (a change of them changes the text, and
 * so reloads Kea, which names the subnets again). */
char *fo_fragment_text(const struct win_ctx *ctx, const struct fo_store *store,
                       const char *ha_library);

/* The operator's configuration text with the include's path (at, len)
 * replaced by path (caller frees; NULL when memory ran out). */
char *fo_fragment_retarget(const char *config_text, size_t at, size_t len, const char *path);

#endif
