#include "lease_windows.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "value_formats.h"
#include "win_enums.h"

int lease_windows_hostname(const char *name, char *out, size_t size)
{
    size_t len = strlen(name);
    out[0] = '\0';
    if (!win_is_dns_name(name) || len >= size) return 0;
    for (size_t i = 0; i <= len; i++) out[i] = (char)tolower((unsigned char)name[i]);
    return 1;
}

static void put(cJSON *map, const char *key, cJSON *value)
{
    if (cJSON_HasObjectItem(map, key))
        cJSON_ReplaceItemInObjectCaseSensitive(map, key, value);
    else
        cJSON_AddItemToObject(map, key, value);
}

/* A field equal to what a reader assumes when it is absent (value NULL here)
 * is removed rather than stored: memfile writes the whole context into the
 * lease file on every change, and an absent field reads back the same (see
 * client_record_encode.c). */
static void put_or_remove(cJSON *map, const char *key, cJSON *value)
{
    if (value)
        put(map, key, value);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(map, key);
}

static int is_this_server(const cJSON *owner, const struct win_config *cfg)
{
    const cJSON *ip = cJSON_GetObjectItemCaseSensitive(owner, "ip-address");
    const cJSON *netbios = cJSON_GetObjectItemCaseSensitive(owner, "netbios-name");
    uint32_t addr;
    return cJSON_GetArraySize(owner) == 2 && cJSON_IsString(ip) &&
           win_ipv4_parse(ip->valuestring, &addr) == 0 &&
           addr == cfg->server_ip && cJSON_IsString(netbios) &&
           strcmp(netbios->valuestring, cfg->server_name) == 0;
}

static cJSON *object_in(cJSON *parent, const char *key)
{
    cJSON *map = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!cJSON_IsObject(map)) {
        map = cJSON_CreateObject();
        put(parent, key, map);
    }
    return map;
}

/* The owner a reader assumes is this server (see client_record_encode.c), so
 * an owner is stored only when it is another: a migrated record keeps its
 * Windows owner, a record made here stores none. */
static void put_owner(cJSON *map, const struct win_client_record *rec,
                      const struct win_config *cfg)
{
    cJSON *owner = cJSON_GetObjectItemCaseSensitive(map, "owner-host");
    const struct win_owner_host *given = &rec->owner;
    char ip[WIN_IPV4_TEXT];
    if (!cJSON_IsObject(owner)) {
        if (!(owner = object_in(map, "owner-host"))) return;
        win_ipv4_format(cfg->server_ip, ip);
        put(owner, "ip-address", cJSON_CreateString(ip));
        put(owner, "netbios-name", cJSON_CreateString(cfg->server_name));
    }
    if (given->has_ip) {
        win_ipv4_format(given->ip, ip);
        put(owner, "ip-address", cJSON_CreateString(ip));
    }
    if (given->netbios_name) put(owner, "netbios-name", cJSON_CreateString(given->netbios_name));
    if (given->host_name)
        put_or_remove(owner, "host-name",
                      *given->host_name ? cJSON_CreateString(given->host_name) : NULL);
    if (is_this_server(owner, cfg)) cJSON_DeleteItemFromObjectCaseSensitive(map, "owner-host");
}

/* Drops an empty "windows" map, and then an empty context. */
static void prune(cJSON **context, cJSON *map)
{
    if (map->child) return;
    cJSON_DeleteItemFromObjectCaseSensitive(*context, LEASE_WINDOWS_KEY);
    if ((*context)->child) return;
    cJSON_Delete(*context);
    *context = NULL;
}

int lease_windows_context_set(cJSON **context, const struct win_client_record *rec,
                              const struct win_config *cfg, int address_state)
{
    if (!cJSON_IsObject(*context)) {
        cJSON_Delete(*context);
        if (!(*context = cJSON_CreateObject())) return -1;
    }
    cJSON *map = object_in(*context, LEASE_WINDOWS_KEY);
    if (!map) return -1;
    if (rec->has_name) {
        char hostname[LEASE_HOSTNAME_SIZE];
        lease_windows_hostname(rec->name, hostname, sizeof hostname);
        put_or_remove(map, "client-name", strcmp(hostname, rec->name) != 0
                                              ? cJSON_CreateString(rec->name) : NULL);
    }
    if (rec->has_comment)
        put_or_remove(map, "client-comment",
                      *rec->comment ? cJSON_CreateString(rec->comment) : NULL);
    if (rec->has_client_type)
        put_or_remove(map, "client-type", rec->client_type == WIN_CLIENT_TYPE_DHCP
                                              ? NULL : cJSON_CreateNumber(rec->client_type));
    /* Bits 0-1 are read from the Kea state; only DNS flags make the byte worth keeping. */
    put_or_remove(map, "address-state", address_state & ~WIN_ADDRESS_STATE_MASK
                                            ? cJSON_CreateNumber(address_state) : NULL);
    if (rec->has_owner) put_owner(map, rec, cfg);
    if (rec->has_quarantine_status)
        put_or_remove(map, "quarantine-status",
                      rec->quarantine_status ? cJSON_CreateNumber(rec->quarantine_status) : NULL);
    if (rec->has_probation_ends) {
        char text[WIN_DATETIME_TEXT] = "infinite";
        if (!rec->probation_infinite) win_datetime_format(rec->probation_ends, text);
        put_or_remove(map, "probation-ends", rec->probation_infinite || rec->probation_ends
                                                 ? cJSON_CreateString(text) : NULL);
    }
    if (rec->has_quarantine_capable)
        put_or_remove(map, "quarantine-capable",
                      rec->quarantine_capable ? cJSON_CreateTrue() : NULL);
    prune(context, map);
    return 0;
}

void lease_windows_view_open(struct lease_windows_view *view, const struct win_lease *lease)
{
    const cJSON *windows =
        cJSON_GetObjectItemCaseSensitive(lease->user_context, LEASE_WINDOWS_KEY);
    view->windows = cJSON_IsObject(windows) ? windows : NULL;
}

const cJSON *lease_windows_item(const struct lease_windows_view *view, const char *key)
{
    return view->windows ? cJSON_GetObjectItemCaseSensitive(view->windows, key) : NULL;
}

int lease_windows_int(const struct lease_windows_view *view, const char *key, int max,
                      int fallback)
{
    const cJSON *item = lease_windows_item(view, key);
    if (!cJSON_IsNumber(item) || item->valuedouble < 0 || item->valuedouble > max ||
        item->valuedouble != (double)item->valueint)
        return fallback;
    return item->valueint;
}

const char *lease_windows_string(const struct lease_windows_view *view, const char *key,
                                 const char *fallback)
{
    const cJSON *item = lease_windows_item(view, key);
    return cJSON_IsString(item) ? item->valuestring : fallback;
}

const char *lease_windows_client_name(const struct win_lease *lease,
                                      const struct lease_windows_view *view)
{
    const char *kea = lease->hostname ? lease->hostname : "";
    const char *given = lease_windows_string(view, "client-name", NULL);
    if (!given) return kea;
    if (strcasecmp(given, kea) == 0 || (!*kea && !win_is_dns_name(given))) return given;
    return kea;
}
