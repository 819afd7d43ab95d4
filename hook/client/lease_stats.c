#include "lease_stats.h"

#include <stdio.h>

/* subnet[N].name, and subnet[N].pool[P].name where Kea counts per pool. */
static void subnet_stat(const struct win_host *host, const struct win_lease *lease,
                        const char *name, int64_t delta)
{
    char full[96];
    uint64_t pool;
    snprintf(full, sizeof full, "subnet[%u].%s", lease->subnet_id, name);
    host->stat_add(host->ctx, full, delta);
    if (host->pool_statistics_id(host->ctx, lease->subnet_id, lease->addr, &pool)) {
        snprintf(full, sizeof full, "subnet[%u].pool[%llu].%s", lease->subnet_id,
                 (unsigned long long)pool, name);
        host->stat_add(host->ctx, full, delta);
    }
}

/* What one lease row adds to the counters (sign +1) or takes away (-1), as
 * lease4-add and lease4-del move them. */
static void count(const struct win_host *host, const struct win_lease *lease, int sign)
{
    if (lease->state == WIN_KEA_STATE_EXPIRED_RECLAIMED ||
        host->lease_released(host->ctx, lease))
        return;
    subnet_stat(host, lease, "assigned-addresses", sign);
    if (lease->state == WIN_KEA_STATE_DECLINED) {
        subnet_stat(host, lease, "declined-addresses", sign);
        host->stat_add(host->ctx, "declined-addresses", sign);
    }
}

void lease_stats_on_add(const struct win_host *host, const struct win_lease *lease)
{
    count(host, lease, 1);
}

void lease_stats_on_update(const struct win_host *host, const struct win_lease *before,
                           const struct win_lease *after)
{
    if (before->state == after->state && before->subnet_id == after->subnet_id &&
        host->lease_released(host->ctx, before) == host->lease_released(host->ctx, after))
        return;
    count(host, before, -1);
    count(host, after, 1);
}

void lease_stats_on_delete(const struct win_host *host, const struct win_lease *lease)
{
    count(host, lease, -1);
}
