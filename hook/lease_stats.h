/* Kea's lease statistics, kept exactly as lease_cmds keeps them. */
#ifndef LEASE_STATS_H
#define LEASE_STATS_H

#include "win_host.h"

/* lease4-add: subnet assigned-addresses +1 unless the lease is
 * expired-reclaimed; declined-addresses (subnet and global) +1 if declined. */
void lease_stats_on_add(const struct win_host *host, const struct win_lease *lease);

#endif
