/* Kea's lease statistics, kept exactly as lease_cmds keeps them. */
#ifndef LEASE_STATS_H
#define LEASE_STATS_H

#include "win_host.h"
#include "win_status.h"

/* The pools whose statistics (subnet[N].pool[P].*, 2.6+) a change moves:
 * [0] the lease before it, [1] after it. */
struct lease_pools {
    int found[2];
    uint64_t id[2];
};

/* Looks up the pools of a change before it is made, so that a failed lookup
 * changes nothing: before NULL for an add, after NULL for a delete. -1 with
 * ERROR_DHCP_JET_ERROR naming the lookup when the host could not answer. */
int lease_stats_pools(const struct win_host *host, const struct win_lease *before,
                      const struct win_lease *after, struct lease_pools *pools,
                      struct win_status *st);

/* lease4-add: subnet assigned-addresses +1 unless the lease is
 * expired-reclaimed; declined-addresses (subnet and global) +1 if declined. */
void lease_stats_on_add(const struct win_host *host, const struct win_lease *lease,
                        const struct lease_pools *pools);
/* lease4-update within one subnet: assigned-addresses follows moves into and
 * out of expired-reclaimed, declined-addresses moves into and out of declined. */
void lease_stats_on_update(const struct win_host *host, const struct win_lease *before,
                           const struct win_lease *after, const struct lease_pools *pools);
/* lease4-del: the reverse of lease_stats_on_add. */
void lease_stats_on_delete(const struct win_host *host, const struct win_lease *lease,
                           const struct lease_pools *pools);

#endif
