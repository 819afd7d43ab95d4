#include "client_identifier.h"

#include <stdio.h>
#include <string.h>

#define IAID_LEN 4
#define HTYPE_ETHERNET 1
#define MAC_LEN 6

enum duid_type { DUID_LLT = 1, DUID_EN = 2, DUID_LL = 3, DUID_UUID = 4 };

/* A link-layer address of a DUID: 6 bytes for Ethernet, at least one else. */
static int link_layer_fits(uint16_t htype, size_t len)
{
    return htype == HTYPE_ETHERNET ? len == MAC_LEN : len >= 1;
}

int client_identifier_is_iaid_duid(const uint8_t *id, size_t len)
{
    if (len < IAID_LEN + 2) return 0;
    const uint8_t *duid = id + IAID_LEN;
    size_t duid_len = len - IAID_LEN;
    uint16_t type = (uint16_t)(duid[0] << 8 | duid[1]);
    uint16_t htype = duid_len >= 4 ? (uint16_t)(duid[2] << 8 | duid[3]) : 0;
    switch (type) {
    case DUID_LLT: /* type, hardware type, time, link-layer address */
        return duid_len > 8 && link_layer_fits(htype, duid_len - 8);
    case DUID_EN: /* type, enterprise number, identifier */
        return duid_len > 6;
    case DUID_LL: /* type, hardware type, link-layer address */
        return duid_len > 4 && link_layer_fits(htype, duid_len - 4);
    case DUID_UUID: /* type, 16-byte UUID */
        return duid_len == 18;
    default:
        return 0;
    }
}

int client_identifier_check(const uint8_t *id, size_t len, struct win_status *st)
{
    if (len == MAC_LEN) return 0;
    size_t kea_len = client_identifier_is_iaid_duid(id, len) ? len + 1 : len;
    if (kea_len >= WIN_CLIENT_ID_MIN && kea_len <= WIN_CLIENT_ID_MAX) return 0;
    return win_fail(st, ERROR_INVALID_PARAMETER,
                    "client-hardware-address has %zu bytes: Windows accepts it as a client "
                    "identifier, but Kea stores client identifiers of %d to %d bytes only%s",
                    len, WIN_CLIENT_ID_MIN, WIN_CLIENT_ID_MAX,
                    kea_len > len ? " (an IAID + DUID with the ff type byte)" : "");
}

void client_identifier_to_lease(const uint8_t *id, size_t len, struct win_lease *lease)
{
    if (len == MAC_LEN) {
        memcpy(lease->hwaddr, id, len);
        lease->hwaddr_len = MAC_LEN;
    } else if (client_identifier_is_iaid_duid(id, len)) {
        lease->client_id[0] = CLIENT_ID_TYPE_RFC4361;
        memcpy(lease->client_id + 1, id, len);
        lease->client_id_len = (uint8_t)(len + 1);
    } else {
        memcpy(lease->client_id, id, len);
        lease->client_id_len = (uint8_t)len;
    }
}

void client_identifier_of_address(uint32_t addr, uint8_t out[CLIENT_ID_ADDRESS_LEN])
{
    out[0] = (uint8_t)(addr >> 24);
    out[1] = (uint8_t)(addr >> 16);
    out[2] = (uint8_t)(addr >> 8);
    out[3] = (uint8_t)addr;
}

void client_identifier_of_client_id(const uint8_t *client_id, size_t len, const uint8_t **id,
                                    size_t *id_len)
{
    int skip_type = (len > 1 && client_id[0] == CLIENT_ID_TYPE_RFC4361) ||
                    (len == MAC_LEN + 1 && client_id[0] == CLIENT_ID_TYPE_MAC);
    *id = client_id + skip_type;
    *id_len = len - (size_t)skip_type;
}

void client_identifier_of_lease(const struct win_lease *lease, const uint8_t **id,
                                size_t *len)
{
    if (lease->client_id_len) {
        client_identifier_of_client_id(lease->client_id, lease->client_id_len, id, len);
    } else {
        *id = lease->hwaddr;
        *len = lease->hwaddr_len;
    }
}

int client_identifier_same(const struct win_lease *lease, const uint8_t *id, size_t len)
{
    const uint8_t *own;
    size_t own_len;
    client_identifier_of_lease(lease, &own, &own_len);
    return own_len == len && memcmp(own, id, len) == 0;
}

/* Appends the leases of list not yet in out (restricted to subnet_id). */
static int merge(struct win_lease_list *out, struct win_lease_list *list, uint32_t subnet_id)
{
    int rc = 0;
    for (size_t i = 0; i < list->count; i++) {
        struct win_lease *l = &list->items[i];
        int seen = subnet_id && l->subnet_id != subnet_id;
        for (size_t j = 0; !seen && j < out->count; j++) seen = out->items[j].addr == l->addr;
        if (seen) continue;
        struct win_lease moved;
        win_lease_move(&moved, l);
        if (win_lease_list_push(out, &moved) != 0) {
            win_lease_clear(&moved);
            rc = -1;
        }
    }
    win_lease_list_free(list);
    return rc;
}

static int look_up(const struct win_host *h, int by_client_id, const uint8_t *key, size_t len,
                   uint32_t subnet_id, struct win_lease_list *out, char *err)
{
    struct win_lease_list list = {0};
    int rc = by_client_id ? h->leases_by_client_id(h->ctx, key, len, &list, err)
                          : h->leases_by_hwaddr(h->ctx, key, len, &list, err);
    if (rc == WIN_HOST_ERROR) {
        win_lease_list_free(&list);
        return -1;
    }
    if (merge(out, &list, subnet_id) < 0) {
        snprintf(err, WIN_HOST_ERR_LEN, "out of memory");
        return -1;
    }
    return 0;
}

int client_identifier_leases(const struct win_ctx *ctx, const uint8_t *id, size_t len,
                             uint32_t subnet_id, struct win_lease_list *out, char *err)
{
    const struct win_host *h = ctx->host;
    uint8_t typed[WIN_CLIENT_ID_MAX];
    /* As a MAC (hw-address), and as given: a whole client-id, or an
     * identifier stored as given before the rule. */
    if (len <= WIN_HWADDR_MAX && look_up(h, 0, id, len, subnet_id, out, err) < 0)
        return WIN_HOST_ERROR;
    if (len >= WIN_CLIENT_ID_MIN && len <= WIN_CLIENT_ID_MAX &&
        look_up(h, 1, id, len, subnet_id, out, err) < 0)
        return WIN_HOST_ERROR;
    /* As the Windows form: the client-id with its type byte. */
    if (len + 1 <= WIN_CLIENT_ID_MAX) {
        memcpy(typed + 1, id, len);
        typed[0] = CLIENT_ID_TYPE_RFC4361;
        if (look_up(h, 1, typed, len + 1, subnet_id, out, err) < 0) return WIN_HOST_ERROR;
        typed[0] = CLIENT_ID_TYPE_MAC;
        if (len == MAC_LEN && look_up(h, 1, typed, len + 1, subnet_id, out, err) < 0)
            return WIN_HOST_ERROR;
    }
    return WIN_HOST_OK;
}
