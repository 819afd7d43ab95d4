/* What every command handler gets: the host table, the hook's parameters and,
 * for a command with a list argument the host hands over in parts, its items. */
#ifndef WIN_CONTEXT_H
#define WIN_CONTEXT_H

#include <stdint.h>

#include "client_record.h"
#include "win_host.h"

struct win_config {
    uint32_t server_ip;                         /* server-ip; 0.0.0.0 when not given */
    char server_name[WIN_SERVER_NAME_MAX + 1];  /* server-name, default: host name */
    char *state_directory;                      /* state-directory (failover) */
    char *config_file;                          /* config-file (failover) */
};

struct win_ctx {
    const struct win_host *host;
    const struct win_config *config;
    const struct win_items *items; /* NULL: the list, if any, is in the arguments */
};

#endif
