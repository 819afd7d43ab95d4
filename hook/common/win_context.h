/* What every command handler gets: the host table, the hook's parameters and,
 * for a command with a list argument the host hands over in parts, its items;
 * and the handlers' shape. */
#ifndef WIN_CONTEXT_H
#define WIN_CONTEXT_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "win_host.h"
#include "win_status.h"

/* The hook's state directory inside Kea's data directory, by default. */
#define WIN_STATE_SUBDIRECTORY "win-cmds"

/* max-records-per-request: default and the most it may be set to. The
 * default keeps one bulk create under ~100 ms of kea-dhcp4's main thread on
 * the slowest release measured (README, "DHCP while managing"). */
#define WIN_MAX_RECORDS_PER_REQUEST 500
#define WIN_MAX_RECORDS_PER_REQUEST_MAX 1000000
#define WIN_PARTNER_WAIT_MS 200
#define WIN_PARTNER_WAIT_MS_MIN 20
#define WIN_PARTNER_WAIT_MS_MAX 10000
#define WIN_SERVER_NAME_MAX 255 /* a DNS name: server-name, and a record's owner host */

struct win_config {
    uint32_t server_ip;                         /* server-ip; 0.0.0.0 when not given */
    char server_name[WIN_SERVER_NAME_MAX + 1];  /* server-name, default: host name */
    char *state_directory;     /* state-directory, else <Kea's data directory>/win-cmds */
    char *config_file;                          /* config-file (failover) */
    /* max-unreplicated-changes: a relationship's queue for an absent partner
     * holds at most this many changes; past it, a resync is needed. */
    uint64_t max_unreplicated_changes;
    /* max-records-per-request: the most records one bulk request may carry.
     * kea-dhcp4's main thread, which reads the DHCP packets, runs the whole
     * command: this bounds how long one command keeps clients waiting. */
    uint32_t max_records_per_request;
    /* partner-wait-ms: the most one command waits for a failover partner, in
     * all (the same thread again). */
    uint32_t partner_wait_ms;
};

#define WIN_MAX_UNREPLICATED_DEFAULT 100000

struct win_ctx {
    const struct win_host *host;
    const struct win_config *config;
    const struct win_items *items; /* NULL: the list, if any, is in the arguments */
};

/* A command's handler: returns the answer's "arguments" (NULL for none) and
 * sets st; the dispatcher adds the envelope. */
typedef cJSON *win_handler(const struct win_ctx *ctx, const cJSON *args, struct win_status *st);

#endif
