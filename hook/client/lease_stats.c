#include "lease_stats.h"

#include <stdio.h>

static void subnet_stat(const struct win_host *host, uint32_t subnet_id, const char *name,
                        int64_t delta)
{
    char full[64];
    snprintf(full, sizeof full, "subnet[%u].%s", subnet_id, name);
    host->stat_add(host->ctx, full, delta);
}

/* What one lease row adds to the counters (sign +1) or takes away (-1). */
static void count(const struct win_host *host, const struct win_lease *lease, int sign)
{
    if (lease->state != WIN_KEA_STATE_EXPIRED_RECLAIMED)
        subnet_stat(host, lease->subnet_id, "assigned-addresses", sign);
    if (lease->state == WIN_KEA_STATE_DECLINED) {
        subnet_stat(host, lease->subnet_id, "declined-addresses", sign);
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
    if (before->state == after->state && before->subnet_id == after->subnet_id) return;
    count(host, before, -1);
    count(host, after, 1);
}

void lease_stats_on_delete(const struct win_host *host, const struct win_lease *lease)
{
    count(host, lease, -1);
}
