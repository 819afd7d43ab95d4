/* The hook's own statistics in Kea's StatsMgr, read with statistic-get and
 * statistic-get-all, zeroed with statistic-reset (docs/statistics.md lists
 * them). Names follow Kea's "subnet[1].assigned-addresses": what a figure is
 * about in brackets, then what it measures, under the prefix "win-cmds.":
 *   win-cmds.relationship[NAME].unreplicated-changes   (a gauge)
 *   win-cmds.relationship[NAME].replicas-sent          (counters from here on)
 *   win-cmds.relationship[NAME].replicas-applied
 *   win-cmds.relationship[NAME].replicas-refused
 *   win-cmds.relationship[NAME].conflicts-resolved
 *   win-cmds.command[COMMAND].answers-result-R         (R: 0 success, 1 error,
 *                                                       2 unsupported, 3 empty) */
#ifndef WIN_STATS_H
#define WIN_STATS_H

#include <stdint.h>

#include "win_host.h"

enum win_relationship_stat {
    WIN_STAT_UNREPLICATED_CHANGES,
    WIN_STAT_REPLICAS_SENT,
    WIN_STAT_REPLICAS_APPLIED,
    WIN_STAT_REPLICAS_REFUSED,
    WIN_STAT_CONFLICTS_RESOLVED,
    WIN_RELATIONSHIP_STATS
};

#define WIN_COMMAND_RESULTS 4 /* Kea's answer results 0 to 3 */

/* The name of a relationship's statistic (out: at least WIN_STAT_NAME_MAX). */
#define WIN_STAT_NAME_MAX 1200
void win_stat_relationship_name(const char *relationship, enum win_relationship_stat which,
                                char *out);

/* Adds delta to one of relationship's counters (nothing for 0). */
void win_stat_relationship_count(const struct win_host *h, const char *relationship,
                                 enum win_relationship_stat which, int64_t delta);
/* Sets relationship's unreplicated-changes. */
void win_stat_unreplicated(const struct win_host *h, const char *relationship, size_t waiting);
/* Makes relationship's statistics visible: the counters registered (a
 * value they have is kept), unreplicated-changes set to waiting. */
void win_stat_relationship_register(const struct win_host *h, const char *relationship,
                                    size_t waiting);
/* The relationship is gone: its statistics with it. */
void win_stat_relationship_remove(const struct win_host *h, const char *relationship);

/* Registers command's answer counters (values they have are kept). */
void win_stat_command_register(const struct win_host *h, const char *command);
/* Counts one answer of command with result (0 to 3; another is not counted). */
void win_stat_command_answer(const struct win_host *h, const char *command, int result);

#endif
