/* One record of win-client-info-vq-create on this server: DhcpCreateClientInfoVQ
 * with the checks of R_DhcpV4CreateClientInfo (MS-DHCPM 3.2.4.123), in that order. */
#include "client_change.h"
#include "client_identifier.h"

#include <stdio.h>
#include <string.h>

#include "client_lease.h"
#include "lease_stats.h"
#include "lease_windows.h"
#include "value_formats.h"
#include "win_enums.h"

/* The holder of a lease as a Windows admin knows it: its client-hardware-address. */
static void describe_identifier(const struct win_lease *lease, char *out, size_t size)
{
    char hex[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX)];
    const uint8_t *id;
    size_t len;
    client_identifier_of_lease(lease, &id, &len);
    if (len) {
        win_hex_format(id, len, hex);
        snprintf(out, size, "hardware address %s", hex);
    } else {
        snprintf(out, size, "no client identifier: a declined address");
    }
}

static void describe_subnet(const struct win_subnet *subnet, char *out)
{
    char prefix[WIN_IPV4_TEXT];
    win_ipv4_format(subnet->prefix, prefix);
    snprintf(out, WIN_IPV4_TEXT + 4, "%s/%u", prefix, subnet->prefix_len);
}

/* Step 3: the subnet (scope) that holds the address. (Texts are written
 * only on failure: a bulk create runs this for every item.) */
static int find_scope(const struct win_ctx *ctx, const struct win_client_record *rec,
                      struct win_subnet *subnet, struct win_status *st)
{
    char ip[WIN_IPV4_TEXT], where[WIN_IPV4_TEXT + 4], err[WIN_HOST_ERR_LEN];
    int found = ctx->host->subnet_find(ctx->host->ctx, rec->ip, subnet, err);
    if (found == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
    if (found != WIN_HOST_OK) {
        win_ipv4_format(rec->ip, ip);
        return win_fail(st, ERROR_DHCP_SUBNET_NOT_PRESENT,
                        "no configured subnet contains %s", ip);
    }
    uint32_t mask = win_prefix_to_mask(subnet->prefix_len);
    /* /31 and /32 have no network or broadcast address (RFC 3021). */
    if (subnet->prefix_len <= 30 && (rec->ip == subnet->prefix || rec->ip == (subnet->prefix | ~mask))) {
        win_ipv4_format(rec->ip, ip);
        describe_subnet(subnet, where);
        return win_fail(st, ERROR_DHCP_SUBNET_NOT_PRESENT,
                        "%s is the %s address of subnet %s, not a client address", ip,
                        rec->ip == subnet->prefix ? "network" : "broadcast", where);
    }
    if (rec->has_mask && rec->mask != mask) {
        char given[WIN_IPV4_TEXT], expected[WIN_IPV4_TEXT];
        win_ipv4_format(rec->mask, given);
        win_ipv4_format(mask, expected);
        describe_subnet(subnet, where);
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "subnet-mask %s does not match subnet %s (mask %s)", given, where,
                        expected);
    }
    return 0;
}

/* The same client (the same Windows identity, whoever made its lease) already
 * holds a lease in the subnet. */
static int identifier_in_subnet(const struct win_ctx *ctx, const struct win_lease *wanted,
                                const struct win_subnet *subnet, struct win_status *st)
{
    struct win_lease_list found = {0};
    char err[WIN_HOST_ERR_LEN] = "";
    const uint8_t *id;
    size_t len;
    client_identifier_of_lease(wanted, &id, &len);
    if (client_identifier_leases(ctx, id, len, subnet->id, &found, err) == WIN_HOST_ERROR) {
        win_lease_list_free(&found);
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
    }
    for (size_t i = 0; i < found.count; i++) {
        if (!client_identifier_same(&found.items[i], id, len)) continue;
        char who[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX) + 32], held[WIN_IPV4_TEXT],
            where[WIN_IPV4_TEXT + 4];
        describe_identifier(wanted, who, sizeof who);
        win_ipv4_format(found.items[i].addr, held);
        describe_subnet(subnet, where);
        win_lease_list_free(&found);
        return win_fail(st, ERROR_DHCP_CLIENT_EXISTS,
                        "the client with %s already has a lease record for %s in subnet %s",
                        who, held, where);
    }
    win_lease_list_free(&found);
    return 0;
}

/* A reservation belongs to this client when it names the same Windows
 * identity: a hw-address reservation its MAC, a client-id one (01 + MAC,
 * ff + IAID + DUID, or another) what Windows would show for it. */
static int reservation_is_ours(const struct win_reservation *r, const struct win_lease *l)
{
    const uint8_t *id = r->id;
    size_t len = r->id_len;
    if (r->type == WIN_IDENT_CLIENT_ID)
        client_identifier_of_client_id(r->id, r->id_len, &id, &len);
    else if (r->type != WIN_IDENT_HWADDR)
        return 0;
    return client_identifier_same(l, id, len);
}

/* Step 4: anything that already owns the address or the client. */
int client_create_conflicts(const struct win_ctx *ctx, const struct win_lease *wanted,
                           const struct win_subnet *subnet, struct win_status *st)
{
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(wanted->addr, ip);
    struct win_lease existing = {0};
    int rc = ctx->host->lease_get(ctx->host->ctx, wanted->addr, &existing, err);
    if (rc == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
    if (rc == WIN_HOST_OK) {
        char who[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX) + 48];
        describe_identifier(&existing, who, sizeof who);
        win_lease_clear(&existing);
        return win_fail(st, ERROR_DHCP_CLIENT_EXISTS,
                        "client %s already has a lease record (%s)", ip, who);
    }
    if (identifier_in_subnet(ctx, wanted, subnet, st) < 0) return -1;
    return client_reservation_conflicts(ctx, wanted, subnet, st);
}

int client_reservation_conflicts(const struct win_ctx *ctx, const struct win_lease *wanted,
                                 const struct win_subnet *subnet, struct win_status *st)
{
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(wanted->addr, ip);
    struct win_reservation reservation;
    int rc;
    rc = ctx->host->reservation_find(ctx->host->ctx, subnet->id, wanted->addr, &reservation,
                                     err);
    if (rc == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "reservation lookup failed: %s", err);
    if (rc == WIN_HOST_OK && !reservation_is_ours(&reservation, wanted)) {
        char id[WIN_HEX_TEXT(255)];
        win_hex_format(reservation.id, reservation.id_len, id);
        return win_fail(st, ERROR_DHCP_CLIENT_EXISTS,
                        "%s is reserved for another client (host reservation by %s %s)", ip,
                        reservation.type_name, id);
    }
    return 0;
}

/* No expiry given: the subnet's lifetime, or infinite for a BOOTP client
 * (as Kea's BOOTP support does). */
static int set_lifetime(const struct win_client_record *rec, const struct win_subnet *subnet,
                        int64_t now, int client_type, struct win_lease *lease,
                        struct win_status *st)
{
    if (rec->has_expires)
        return client_lease_expire_at(rec, subnet->valid_lft, now, lease, st);
    int bootp = (client_type & ~WIN_CLIENT_TYPE_RESERVATION_FLAG) == WIN_CLIENT_TYPE_BOOTP;
    lease->cltt = now;
    lease->valid_lft = bootp ? WIN_INFINITE_LFT : subnet->valid_lft;
    return 0;
}

static int build_lease(const struct win_ctx *ctx, const struct win_client_record *rec,
                       const struct win_subnet *subnet, struct win_lease *lease,
                       struct win_status *st)
{
    int client_type = rec->has_client_type ? rec->client_type : WIN_CLIENT_TYPE_DHCP;
    int address_state = rec->has_address_state ? rec->address_state : WIN_ADDRESS_STATE_ACTIVE;

    memset(lease, 0, sizeof *lease);
    lease->addr = rec->ip;
    lease->subnet_id = subnet->id;
    client_lease_set_identifier(rec, lease);
    lease->state = client_lease_kea_state(address_state);
    if (set_lifetime(rec, subnet, ctx->host->now(ctx->host->ctx), client_type, lease, st) < 0 ||
        client_lease_set_name(rec, lease, st) < 0)
        return -1;
    if (lease_windows_context_set(&lease->user_context, rec, ctx->config, address_state) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    return 0;
}

static int store_lease(const struct win_ctx *ctx, const struct win_lease *lease,
                       struct win_status *st)
{
    char ip[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(lease->addr, ip);
    struct lease_pools pools;
    if (lease_stats_pools(ctx->host, NULL, lease, &pools, st) < 0) return -1;
    switch (ctx->host->lease_add(ctx->host->ctx, lease, err)) {
    case WIN_HOST_OK:
        lease_stats_on_add(ctx->host, lease, &pools);
        return 0;
    case WIN_HOST_EXISTS: /* a DHCP client won the address since the check */
        return win_fail(st, ERROR_DHCP_CLIENT_EXISTS,
                        "client %s already has a lease record (created concurrently)", ip);
    default:
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend refused %s: %s", ip, err);
    }
}

/* Creates one record. On success *out holds the stored lease and st is left
 * as it was (describe_created words it, when someone reads the sentence). */
int client_create_one(const struct win_ctx *ctx, const cJSON *item, struct client_gate *gate,
                      struct win_lease *out, struct win_subnet *subnet, struct win_status *st)
{
    struct win_client_record rec;
    if (client_record_decode(item, CLIENT_RECORD_VQ, &rec, st) < 0 ||                                /* 1 */
        client_identifier_check(rec.id, rec.id_len, st) < 0)
        return -1;
    if (rec.has_address_state &&
        (rec.address_state & WIN_ADDRESS_STATE_MASK) == WIN_ADDRESS_STATE_OFFERED) /* 2 */
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "address-state offered cannot be created; use active");
    if (find_scope(ctx, &rec, subnet, st) < 0) return -1;                          /* 3 */
    /* A record of a failover pair changes only when the pair can take it. */
    if (gate->admit(gate, ctx, subnet, st) < 0) return -1;
    if (build_lease(ctx, &rec, subnet, out, st) < 0) {
        win_lease_clear(out);
        return -1;
    }
    /* Hold Kea's allocation lock for the address from the check to the write,
     * so that no packet thread hands it out in between. */
    if (client_lease_lock(ctx, rec.ip, st) < 0) {
        win_lease_clear(out);
        return -1;
    }
    int rc = client_create_conflicts(ctx, out, subnet, st);                                /* 4 */
    if (rc == 0) rc = store_lease(ctx, out, st);                                   /* 5 */
    ctx->host->address_unlock(ctx->host->ctx, rec.ip);
    if (rc < 0) {
        win_lease_clear(out);
        return -1;
    }
    return 0;
}

void client_describe_created(const struct win_lease *lease, const struct win_subnet *subnet,
                             struct win_status *st)
{
    char ip[WIN_IPV4_TEXT], where[WIN_IPV4_TEXT + 4];
    win_ipv4_format(lease->addr, ip);
    describe_subnet(subnet, where);
    win_succeed(st, "client %s created in subnet %s", ip, where);
}
