/* The hook library's C entry points, called by the shim. Every command takes
 * its arguments as JSON text and answers with the whole Kea answer as JSON
 * text: {"result": R, "text": "...", "arguments": {"error-code": N, ...}}. */
#ifndef WIN_CMDS_H
#define WIN_CMDS_H

#include <stddef.h>

#include "win_host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the hook parameters (a JSON map, or NULL for none) and keeps host.
 * 0 on success; -1 with a sentence in err naming the bad parameter. */
int win_cmds_configure(const struct win_host *host, const char *params_json, char *err,
                       size_t err_len);
void win_cmds_shutdown(void);

/* Called by the host every WIN_CMDS_TICK_MS on Kea's main loop: runs the
 * timers of the Windows rules (the failover safe period). */
#define WIN_CMDS_TICK_MS 5000
void win_cmds_tick(void);
/* Kea has parsed a configuration and is about to run it (dhcp4_srv_
 * configured): sets what the hook keeps in memory only on it (each subnet's
 * failover relationship, with several). */
void win_cmds_configured(void);
/* Kea zeroed statistics (statistic-reset, statistic-reset-all): the gauges
 * the hook keeps (each relationship's unreplicated-changes) are set again at
 * once; the counters start over from 0. */
void win_cmds_statistics_reset(void);

/* The commands this library answers, in registration order; NULL ends. */
const char *win_cmds_command_name(size_t index);

/* The answer to one command (args_json may be NULL); free with win_cmds_free.
 * origin says who sent it, for the audit log (the agent's client address,
 * or NULL for the unix socket). Never NULL: out of memory gives a fixed
 * error answer. */
char *win_cmds_handle(const char *command, const char *args_json, const char *origin);

/* The same on parsed JSON (args may be NULL; it is not modified), which
 * saves the host a print and a parse of the arguments. */
struct cJSON;
char *win_cmds_handle_json(const char *command, const struct cJSON *args, const char *origin);
void win_cmds_free(char *answer);

/* The command's list argument that may be long ("clients" for a bulk
 * create), or NULL: the host may hand it over with win_cmds_handle_items. */
const char *win_cmds_list_argument(const char *command);
/* As win_cmds_handle_json, with that list argument taken from items; args
 * holds the other members (NULL for none). */
char *win_cmds_handle_items(const char *command, const struct cJSON *args,
                            const struct win_items *items, const char *origin);

#ifdef __cplusplus
}
#endif

#endif
