/* The record of win-client-info-delete on this server: DhcpDeleteClientInfo
 * (MS-DHCPM 3.1.4.20). */
#include "client_change.h"

#include <stdio.h>

#include "client_lease.h"
#include "client_search.h"
#include "lease_stats.h"
#include "value_formats.h"

int client_delete_one(const struct win_ctx *ctx, const cJSON *args, struct client_gate *gate,
                      struct win_lease *removed, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    struct win_lease lease;
    struct win_subnet subnet;
    int has_subnet;
    if (client_search(ctx, args, &lease, &subnet, &has_subnet, st) < 0) return -1;
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(lease.addr, ip);
    struct win_reservation reservation;
    struct lease_pools pools;
    int deleted = 0;
    if (client_lease_lock(ctx, lease.addr, st) < 0) {
        win_lease_clear(&lease);
        return -1;
    }
    int reserved = has_subnet ? h->reservation_find(h->ctx, subnet.id, lease.addr, &reservation,
                                                    err)
                              : WIN_HOST_NOT_FOUND;
    if (reserved == WIN_HOST_ERROR) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "reservation lookup failed: %s", err);
    } else if (reserved == WIN_HOST_OK) {
        char id[WIN_HEX_TEXT(255)];
        win_hex_format(reservation.id, reservation.id_len, id);
        win_fail(st, ERROR_DHCP_RESERVED_CLIENT,
                 "%s is reserved (host reservation by %s %s): remove the reservation to "
                 "delete its client record", ip, reservation.type_name, id);
    } else if (has_subnet && gate->admit(gate, ctx, &subnet, st) < 0) {
        /* A record of a failover pair changes only when the pair can take it. */
    } else if (lease_stats_pools(h, &lease, NULL, &pools, st) < 0) {
        /* Nothing changes when the statistics it moves cannot be found. */
    } else {
        switch (h->lease_delete(h->ctx, lease.addr, err)) {
        case WIN_HOST_OK:
            lease_stats_on_delete(h, &lease, &pools);
            deleted = 1;
            win_succeed(st, "client %s deleted; the address is free again", ip);
            break;
        case WIN_HOST_NOT_FOUND:
            win_not_found(st, ERROR_DHCP_JET_ERROR, "the record for %s was deleted meanwhile",
                          ip);
            break;
        default:
            win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend refused to delete %s: %s", ip,
                     err);
        }
    }
    h->address_unlock(h->ctx, lease.addr);
    if (deleted) {
        win_lease_move(removed, &lease);
        return 0;
    }
    win_lease_clear(&lease);
    return -1;
}
