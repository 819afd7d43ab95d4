#include "lease_stats.h"

#include <stdio.h>

static void subnet_stat(const struct win_host *host, uint32_t subnet_id, const char *name,
                        int64_t delta)
{
    char full[64];
    snprintf(full, sizeof full, "subnet[%u].%s", subnet_id, name);
    host->stat_add(host->ctx, full, delta);
}

void lease_stats_on_add(const struct win_host *host, const struct win_lease *lease)
{
    if (lease->state != WIN_KEA_STATE_EXPIRED_RECLAIMED)
        subnet_stat(host, lease->subnet_id, "assigned-addresses", 1);
    if (lease->state == WIN_KEA_STATE_DECLINED) {
        subnet_stat(host, lease->subnet_id, "declined-addresses", 1);
        host->stat_add(host->ctx, "declined-addresses", 1);
    }
}
