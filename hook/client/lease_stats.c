#include "lease_stats.h"

#include <stdio.h>

/* subnet[N].name, and subnet[N].pool[P].name where Kea counts per pool. */
static void subnet_stat(const struct win_host *host, const struct win_lease *lease,
                        const struct lease_pools *pools, int which, const char *name,
                        int64_t delta)
{
    char full[96];
    snprintf(full, sizeof full, "subnet[%u].%s", lease->subnet_id, name);
    host->stat_add(host->ctx, full, delta);
    if (pools->found[which]) {
        snprintf(full, sizeof full, "subnet[%u].pool[%llu].%s", lease->subnet_id,
                 (unsigned long long)pools->id[which], name);
        host->stat_add(host->ctx, full, delta);
    }
}

/* Whether a lease row counts at all: not expired-reclaimed, not released. */
static int counts(const struct win_host *host, const struct win_lease *lease)
{
    return lease->state != WIN_KEA_STATE_EXPIRED_RECLAIMED &&
           !host->lease_released(host->ctx, lease);
}

/* What one lease row adds to the counters (sign +1) or takes away (-1), as
 * lease4-add and lease4-del move them. */
static void count(const struct win_host *host, const struct win_lease *lease,
                  const struct lease_pools *pools, int which, int sign)
{
    if (!counts(host, lease)) return;
    subnet_stat(host, lease, pools, which, "assigned-addresses", sign);
    if (lease->state == WIN_KEA_STATE_DECLINED) {
        subnet_stat(host, lease, pools, which, "declined-addresses", sign);
        host->stat_add(host->ctx, "declined-addresses", sign);
    }
}

/* An update that moves no counter: same state, subnet and released-ness. */
static int moves_nothing(const struct win_host *host, const struct win_lease *before,
                         const struct win_lease *after)
{
    return before->state == after->state && before->subnet_id == after->subnet_id &&
           host->lease_released(host->ctx, before) == host->lease_released(host->ctx, after);
}

int lease_stats_pools(const struct win_host *host, const struct win_lease *before,
                      const struct win_lease *after, struct lease_pools *pools,
                      struct win_status *st)
{
    const struct win_lease *leases[2] = {before, after};
    *pools = (struct lease_pools){{0, 0}, {0, 0}};
    if (before && after && moves_nothing(host, before, after)) return 0;
    for (int i = 0; i < 2; i++) {
        if (!leases[i] || !counts(host, leases[i])) continue;
        char err[WIN_HOST_ERR_LEN] = "";
        int rc = host->pool_statistics_id(host->ctx, leases[i]->subnet_id, leases[i]->addr,
                                          &pools->id[i], err);
        if (rc == WIN_HOST_ERROR)
            return win_fail(st, ERROR_DHCP_JET_ERROR, "pool statistics lookup failed: %s", err);
        pools->found[i] = rc == WIN_HOST_OK;
    }
    return 0;
}

void lease_stats_on_add(const struct win_host *host, const struct win_lease *lease,
                        const struct lease_pools *pools)
{
    count(host, lease, pools, 1, 1);
}

void lease_stats_on_update(const struct win_host *host, const struct win_lease *before,
                           const struct win_lease *after, const struct lease_pools *pools)
{
    if (moves_nothing(host, before, after)) return;
    count(host, before, pools, 0, -1);
    count(host, after, pools, 1, 1);
}

void lease_stats_on_delete(const struct win_host *host, const struct win_lease *lease,
                           const struct lease_pools *pools)
{
    count(host, lease, pools, 0, -1);
}
