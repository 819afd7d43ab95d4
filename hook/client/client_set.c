/* The record of win-client-info-v4-set / -vq-set on this server:
 * DhcpSetClientInfoV4 / VQ (MS-DHCPM R_DhcpSetClientInfo 3.1.4.18 and its V4 /
 * VQ variants). */
#include "client_change.h"
#include "client_identifier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_lease.h"
#include "lease_stats.h"
#include "lease_windows.h"
#include "value_formats.h"
#include "win_enums.h"

static int check_mask(const struct win_client_record *rec, const struct win_subnet *subnet,
                      struct win_status *st)
{
    uint32_t mask = win_prefix_to_mask(subnet->prefix_len);
    if (!rec->has_mask || rec->mask == mask) return 0;
    char given[WIN_IPV4_TEXT], expected[WIN_IPV4_TEXT], prefix[WIN_IPV4_TEXT];
    win_ipv4_format(rec->mask, given);
    win_ipv4_format(mask, expected);
    win_ipv4_format(subnet->prefix, prefix);
    return win_fail(st, ERROR_INVALID_PARAMETER,
                    "subnet-mask %s does not match subnet %s/%u (mask %s)", given, prefix,
                    subnet->prefix_len, expected);
}

/* The new lease: what the record gives, over what the lease had. */
static int apply(const struct win_ctx *ctx, const struct win_client_record *rec,
                 enum client_record_form form, const struct win_subnet *subnet,
                 int has_subnet, struct win_lease *lease, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    /* A set without an address state makes the record active, as Windows does. */
    int address_state = form == CLIENT_RECORD_VQ && rec->has_address_state
                            ? rec->address_state : WIN_ADDRESS_STATE_ACTIVE;
    client_lease_set_identifier(rec, lease);
    if (rec->has_name && client_lease_set_name(rec, lease, st) < 0) return -1;
    /* The expiry of a reserved address is never changed (MS-DHCPM 3.1.4.18). */
    struct win_reservation reservation;
    char err[WIN_HOST_ERR_LEN];
    int found = has_subnet ? h->reservation_find(h->ctx, subnet->id, lease->addr, &reservation,
                                                 err)
                           : WIN_HOST_NOT_FOUND;
    if (found == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "reservation lookup failed: %s", err);
    int reserved = found == WIN_HOST_OK;
    if (rec->has_expires && !reserved &&
        client_lease_expire_at(rec, has_subnet ? subnet->valid_lft : 0, h->now(h->ctx), lease,
                               st) < 0)
        return -1;
    lease->state = client_lease_kea_state(address_state);
    if (lease_windows_context_set(&lease->user_context, rec, ctx->config, address_state) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    return 0;
}

int client_set_one(const struct win_ctx *ctx, const cJSON *args, enum client_record_form form,
                   struct client_gate *gate, struct win_lease *before, struct win_lease *lease,
                   struct win_subnet *subnet, int *has_subnet, struct win_status *st)
{
    const struct win_host *h = ctx->host;
    struct win_client_record rec;
    if (client_record_decode(args, form, &rec, st) < 0 ||
        client_identifier_check(rec.id, rec.id_len, st) < 0)
        return -1;
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(rec.ip, ip);
    if (client_lease_lock(ctx, rec.ip, st) < 0) return -1;
    int rc = -1;
    switch (h->lease_get(h->ctx, rec.ip, before, err)) {
    case WIN_HOST_OK:
        break;
    case WIN_HOST_NOT_FOUND:
        win_not_found(st, ERROR_DHCP_JET_ERROR, "no client record for %s", ip);
        goto out;
    default:
        win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
        goto out;
    }
    int found = h->subnet_find(h->ctx, rec.ip, subnet, err);
    if (found == WIN_HOST_ERROR) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
        goto out;
    }
    *has_subnet = found == WIN_HOST_OK;
    if (*has_subnet && check_mask(&rec, subnet, st) < 0) goto out;
    /* A record of a failover pair changes only when the pair can take it. */
    if (*has_subnet && gate->admit(gate, ctx, subnet, st) < 0) goto out;
    *lease = *before;
    lease->hostname = before->hostname ? strdup(before->hostname) : NULL;
    lease->user_context = cJSON_Duplicate(before->user_context, 1);
    if ((before->user_context && !lease->user_context) || (before->hostname && !lease->hostname)) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
        goto out;
    }
    struct lease_pools pools;
    if (apply(ctx, &rec, form, subnet, *has_subnet, lease, st) < 0 ||
        lease_stats_pools(h, before, lease, &pools, st) < 0)
        goto out;
    switch (h->lease_update(h->ctx, lease, err)) {
    case WIN_HOST_OK:
        lease_stats_on_update(h, before, lease, &pools);
        rc = win_succeed(st, "client %s updated", ip);
        break;
    case WIN_HOST_NOT_FOUND:
        win_not_found(st, ERROR_DHCP_JET_ERROR, "the record for %s was deleted meanwhile", ip);
        break;
    default:
        win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend refused %s: %s", ip, err);
    }
out:
    h->address_unlock(h->ctx, rec.ip);
    return rc;
}
