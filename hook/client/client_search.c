#include "client_identifier.h"
#include "client_search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client_record.h"
#include "client_record_encode.h"
#include "json_fields.h"
#include "lease_windows.h"
#include "value_formats.h"
#include "win_enums.h"

#define NAME_WALK_PAGE 1000   /* leases read at a time by a walk for a stored name */

static const char *const search_fields[] = {"search-type", "client-ip-address",
                                            "client-hardware-address", "client-name", NULL};
static const char *const search_keys[] = {[WIN_SEARCH_IP] = "client-ip-address",
                                          [WIN_SEARCH_HARDWARE] = "client-hardware-address",
                                          [WIN_SEARCH_NAME] = "client-name"};

int client_search_decode(const cJSON *args, struct client_search *search,
                         struct win_status *st)
{
    memset(search, 0, sizeof *search);
    if (!cJSON_IsObject(args))
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "arguments must be an object with client-ip-address, "
                        "client-hardware-address or client-name");
    if (jf_only_known(args, search_fields, "a client search", st) < 0) return -1;
    int given = 0;
    for (int t = 0; t < 3; t++)
        if (cJSON_GetObjectItemCaseSensitive(args, search_keys[t])) {
            search->type = t;
            given++;
        }
    if (given != 1)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "give exactly one of client-ip-address, client-hardware-address, "
                        "client-name (%d given)", given);
    int wanted;
    int rc = jf_enum(args, "search-type", &WIN_ENUM_SEARCH_TYPE, &wanted, st);
    if (rc < 0) return -1;
    if (rc == 1 && wanted != search->type)
        return win_fail(st, ERROR_INVALID_PARAMETER, "search-type %s needs the field %s",
                        win_enum_to_name(&WIN_ENUM_SEARCH_TYPE, wanted), search_keys[wanted]);
    switch (search->type) {
    case WIN_SEARCH_IP:
        rc = jf_ipv4(args, "client-ip-address", &search->ip, st);
        break;
    case WIN_SEARCH_HARDWARE:
        rc = jf_identifier(args, "client-hardware-address", search->id, &search->id_len, st);
        break;
    default:
        rc = jf_string(args, "client-name", WIN_CLIENT_NAME_MAX, &search->name, st);
        if (rc == 1 && search->name[0] == '\0') rc = 0;
    }
    if (rc == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s is empty", search_keys[search->type]);
    return rc < 0 ? -1 : 0;
}

/* Keeps the lowest-addressed lease of list (restricted to subnet_id when
 * non-zero) in *best; *found says whether best holds one. */
static void keep_lowest(struct win_lease_list *list, uint32_t subnet_id,
                        struct win_lease *best, int *found)
{
    for (size_t i = 0; i < list->count; i++) {
        struct win_lease *l = &list->items[i];
        if (subnet_id && l->subnet_id != subnet_id) continue;
        if (*found && l->addr >= best->addr) continue;
        if (*found) win_lease_clear(best);
        win_lease_move(best, l);
        *found = 1;
    }
    win_lease_list_free(list);
}

/* The lowest-addressed lease the identifier finds (its Windows form, a whole
 * client-id, or a MAC). */
static int by_identifier(const struct win_ctx *ctx, const uint8_t *id, size_t len,
                         uint32_t subnet_id, struct win_lease *best, int *found, char *err)
{
    struct win_lease_list list = {0};
    int rc = client_identifier_leases(ctx, id, len, subnet_id, &list, err);
    keep_lowest(&list, 0, best, found);
    return rc == WIN_HOST_ERROR ? -1 : 0;
}

/* A hardware-address search takes the identifier or the client unique ID that
 * get answers with (subnet address little-endian, 0x01, identifier). */
static int by_hardware(const struct win_ctx *ctx, const struct client_search *search,
                       struct win_lease *best, int *found, char *err)
{
    if (search->id_len > CLIENT_UID_HEAD_LEN && search->id[4] == CLIENT_UID_HW_TYPE) {
        uint32_t prefix = (uint32_t)search->id[0] | (uint32_t)search->id[1] << 8 |
                          (uint32_t)search->id[2] << 16 | (uint32_t)search->id[3] << 24;
        struct win_subnet subnet;
        int rc = ctx->host->subnet_find(ctx->host->ctx, prefix, &subnet, err);
        if (rc == WIN_HOST_ERROR) return -1;
        if (rc == WIN_HOST_OK && subnet.prefix == prefix) {
            if (by_identifier(ctx, search->id + CLIENT_UID_HEAD_LEN,
                              search->id_len - CLIENT_UID_HEAD_LEN, subnet.id, best,
                              found, err) < 0)
                return -1;
            if (*found) return 0;
        }
    }
    return by_identifier(ctx, search->id, search->id_len, 0, best, found, err);
}

/* Kea keeps hostnames in lower case (its Lease4 lower-cases them), so the
 * name is looked up in lower case: Windows names are case-insensitive too. */
static int by_name(const struct win_ctx *ctx, const char *name, struct win_lease *best,
                   int *found, char *err)
{
    const struct win_host *h = ctx->host;
    struct win_lease_list list = {0};
    char *lower = strdup(name);
    if (!lower) return -1;
    for (char *c = lower; *c; c++) *c = (char)tolower((unsigned char)*c);
    int rc = h->leases_by_hostname(h->ctx, lower, &list, err) == WIN_HOST_ERROR ? -1 : 0;
    free(lower);
    keep_lowest(&list, 0, best, found);
    return rc;
}

/* A name that is no DNS name is no lease's hostname (the client-name rule,
 * lease_windows.h) but the record's stored client-name: found by walking the
 * leases in address order, the first match being the lowest. */
static int by_stored_name(const struct win_ctx *ctx, const char *name, struct win_lease *best,
                          int *found, char *err)
{
    const struct win_host *h = ctx->host;
    uint32_t after = 0;
    for (;;) {
        struct win_lease_list page = {0};
        if (h->leases_page(h->ctx, after, NAME_WALK_PAGE, &page, err) != WIN_HOST_OK) {
            win_lease_list_free(&page);
            return -1;
        }
        for (size_t i = 0; i < page.count; i++) {
            struct lease_windows_view view;
            lease_windows_view_open(&view, &page.items[i]);
            if (strcasecmp(lease_windows_client_name(&page.items[i], &view), name) != 0)
                continue;
            struct win_lease *match = &page.items[i];
            if (!*found || match->addr < best->addr) {   /* else one by hostname is lower */
                if (*found) win_lease_clear(best);
                win_lease_move(best, match);
                *found = 1;
            }
            win_lease_list_free(&page);
            return 0;
        }
        int last = page.count < NAME_WALK_PAGE;
        if (page.count) after = page.items[page.count - 1].addr;
        win_lease_list_free(&page);
        if (last) return 0;
    }
}

int client_search_find(const struct win_ctx *ctx, const struct client_search *search,
                       struct win_lease *lease, struct win_subnet *subnet, int *has_subnet,
                       struct win_status *st)
{
    char err[WIN_HOST_ERR_LEN] = "", what[WIN_HEX_TEXT(WIN_IDENTIFIER_MAX) + 32];
    int found = 0, rc = 0;
    memset(lease, 0, sizeof *lease);
    switch (search->type) {
    case WIN_SEARCH_IP: {
        char ip[WIN_IPV4_TEXT];
        win_ipv4_format(search->ip, ip);
        snprintf(what, sizeof what, "client-ip-address %s", ip);
        int status = ctx->host->lease_get(ctx->host->ctx, search->ip, lease, err);
        rc = status == WIN_HOST_ERROR ? -1 : 0;
        found = status == WIN_HOST_OK;
        break;
    }
    case WIN_SEARCH_HARDWARE: {
        char hex[WIN_HEX_TEXT(WIN_IDENTIFIER_MAX)];
        win_hex_format(search->id, search->id_len, hex);
        snprintf(what, sizeof what, "client-hardware-address %s", hex);
        rc = by_hardware(ctx, search, lease, &found, err);
        break;
    }
    default:
        snprintf(what, sizeof what, "client-name '%.200s'", search->name);
        rc = by_name(ctx, search->name, lease, &found, err);
        if (rc == 0 && !win_is_dns_name(search->name))
            rc = by_stored_name(ctx, search->name, lease, &found, err);
    }
    if (rc < 0) {
        if (found) win_lease_clear(lease);
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
    }
    if (!found) return win_not_found(st, ERROR_DHCP_JET_ERROR, "no client record matches %s", what);
    int found_subnet = ctx->host->subnet_find(ctx->host->ctx, lease->addr, subnet, err);
    if (found_subnet == WIN_HOST_ERROR) {
        win_lease_clear(lease);
        return win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
    }
    *has_subnet = found_subnet == WIN_HOST_OK;
    return 0;
}

int client_search(const struct win_ctx *ctx, const cJSON *args, struct win_lease *lease,
                  struct win_subnet *subnet, int *has_subnet, struct win_status *st)
{
    struct client_search search;
    if (client_search_decode(args, &search, st) < 0) return -1;
    return client_search_find(ctx, &search, lease, subnet, has_subnet, st);
}
