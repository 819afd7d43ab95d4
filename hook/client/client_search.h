/* DHCP_SEARCH_INFO: find one client record by IP, hardware address or name. */
#ifndef CLIENT_SEARCH_H
#define CLIENT_SEARCH_H

#include <cjson/cJSON.h>

#include "value_formats.h"
#include "win_context.h"
#include "win_status.h"

struct client_search {
    int type;          /* WIN_SEARCH_* */
    uint32_t ip;
    uint8_t id[WIN_IDENTIFIER_MAX];
    size_t id_len;
    const char *name;  /* points into the request */
};

/* Exactly one of client-ip-address / client-hardware-address / client-name,
 * optionally with a matching search-type; else 87. */
int client_search_decode(const cJSON *args, struct client_search *search,
                         struct win_status *st);

/* The matching lease (the lowest IP when several match) and its subnet
 * (*has_subnet 0 when no configured subnet holds it any more). Not found:
 * ERROR_DHCP_JET_ERROR with result 3, as Windows answers. */
int client_search_find(const struct win_ctx *ctx, const struct client_search *search,
                       struct win_lease *lease, struct win_subnet *subnet, int *has_subnet,
                       struct win_status *st);

/* Both: the record args search for. */
int client_search(const struct win_ctx *ctx, const cJSON *args, struct win_lease *lease,
                  struct win_subnet *subnet, int *has_subnet, struct win_status *st);

#endif
