#include "client_identifier.h"
#include "client_lease.h"

#include <stdlib.h>
#include <string.h>

#include "lease_windows.h"
#include "value_formats.h"
#include "win_enums.h"

int client_lease_expire_at(const struct win_client_record *rec, uint32_t subnet_lft,
                           int64_t now, struct win_lease *lease, struct win_status *st)
{
    if (subnet_lft == 0 || subnet_lft == WIN_INFINITE_LFT) subnet_lft = 3600;
    lease->cltt = now;
    if (rec->expires_infinite) {
        lease->valid_lft = WIN_INFINITE_LFT;
    } else if (rec->expires > now) {
        if (rec->expires - now >= WIN_INFINITE_LFT)
            return win_fail(st, ERROR_INVALID_PARAMETER,
                            "client-lease-expires is more than 136 years ahead, beyond "
                            "what Kea can store; use \"infinite\"");
        lease->valid_lft = (uint32_t)(rec->expires - now);
    } else {
        lease->valid_lft = subnet_lft;
        lease->cltt = rec->expires - subnet_lft;
        if (lease->cltt < 0) {
            lease->cltt = 0;
            lease->valid_lft = rec->expires > 0 ? (uint32_t)rec->expires : 1;
        }
    }
    return 0;
}

uint8_t client_lease_kea_state(int address_state)
{
    switch (address_state & WIN_ADDRESS_STATE_MASK) {
    case WIN_ADDRESS_STATE_DECLINED: return WIN_KEA_STATE_DECLINED;
    case WIN_ADDRESS_STATE_DOOM: return WIN_KEA_STATE_EXPIRED_RECLAIMED;
    default: return WIN_KEA_STATE_DEFAULT;
    }
}

void client_lease_set_identifier(const struct win_client_record *rec, struct win_lease *lease)
{
    lease->hwaddr_len = 0;
    lease->client_id_len = 0;
    client_identifier_to_lease(rec->id, rec->id_len, lease);
}

int client_lease_set_name(const struct win_client_record *rec, struct win_lease *lease,
                          struct win_status *st)
{
    char hostname[LEASE_HOSTNAME_SIZE];
    free(lease->hostname);
    lease->hostname = NULL;
    if (rec->name && lease_windows_hostname(rec->name, hostname, sizeof hostname) &&
        !(lease->hostname = strdup(hostname)))
        return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    return 0;
}

int client_lease_lock(const struct win_ctx *ctx, uint32_t addr, struct win_status *st)
{
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    switch (ctx->host->address_lock(ctx->host->ctx, addr, err)) {
    case WIN_HOST_OK:
        return 0;
    case WIN_HOST_BUSY:
        win_ipv4_format(addr, ip);
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "%s is being allocated to a DHCP client right now; try again", ip);
    default:
        return win_fail(st, ERROR_DHCP_JET_ERROR, "address lock failed: %s", err);
    }
}
