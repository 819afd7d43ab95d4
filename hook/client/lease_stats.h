/* Kea's lease statistics, kept exactly as lease_cmds keeps them. */
#ifndef LEASE_STATS_H
#define LEASE_STATS_H

#include "win_host.h"

/* lease4-add: subnet assigned-addresses +1 unless the lease is
 * expired-reclaimed; declined-addresses (subnet and global) +1 if declined. */
void lease_stats_on_add(const struct win_host *host, const struct win_lease *lease);
/* lease4-update within one subnet: assigned-addresses follows moves into and
 * out of expired-reclaimed, declined-addresses moves into and out of declined. */
void lease_stats_on_update(const struct win_host *host, const struct win_lease *before,
                           const struct win_lease *after);
/* lease4-del: the reverse of lease_stats_on_add. */
void lease_stats_on_delete(const struct win_host *host, const struct win_lease *lease);

#endif
