#include "lease_windows.h"

#include "value_formats.h"

int lease_windows_is_lower(const char *name)
{
    for (; *name; name++)
        if (*name >= 'A' && *name <= 'Z') return 0;
    return 1;
}

static cJSON *owner_host_new(const struct win_client_record *rec,
                             const struct win_config *cfg)
{
    char ip[WIN_IPV4_TEXT];
    uint32_t addr = cfg->has_server_ip ? cfg->server_ip : 0;
    const char *netbios = cfg->server_name, *host = "";
    if (rec->has_owner) {
        if (rec->owner.has_ip) addr = rec->owner.ip;
        if (rec->owner.netbios_name) netbios = rec->owner.netbios_name;
        if (rec->owner.host_name) host = rec->owner.host_name;
    }
    win_ipv4_format(addr, ip);
    cJSON *owner = cJSON_CreateObject();
    cJSON_AddStringToObject(owner, "ip-address", ip);
    cJSON_AddStringToObject(owner, "netbios-name", netbios);
    cJSON_AddStringToObject(owner, "host-name", host);
    return owner;
}

static void put(cJSON *map, const char *key, cJSON *value)
{
    if (cJSON_HasObjectItem(map, key))
        cJSON_ReplaceItemInObjectCaseSensitive(map, key, value);
    else
        cJSON_AddItemToObject(map, key, value);
}

static void put_owner(cJSON *map, const struct win_client_record *rec,
                      const struct win_config *cfg)
{
    cJSON *owner = cJSON_GetObjectItemCaseSensitive(map, "owner-host");
    if (!cJSON_IsObject(owner)) {
        put(map, "owner-host", owner_host_new(rec, cfg));
        return;
    }
    if (rec->owner.has_ip) {
        char ip[WIN_IPV4_TEXT];
        win_ipv4_format(rec->owner.ip, ip);
        put(owner, "ip-address", cJSON_CreateString(ip));
    }
    if (rec->owner.netbios_name)
        put(owner, "netbios-name", cJSON_CreateString(rec->owner.netbios_name));
    if (rec->owner.host_name) put(owner, "host-name", cJSON_CreateString(rec->owner.host_name));
}

int lease_windows_context_set(cJSON **context, const struct win_client_record *rec,
                              const struct win_config *cfg, int address_state)
{
    if (!cJSON_IsObject(*context)) {
        cJSON_Delete(*context);
        if (!(*context = cJSON_CreateObject())) return -1;
    }
    cJSON *map = cJSON_GetObjectItemCaseSensitive(*context, LEASE_WINDOWS_KEY);
    if (!cJSON_IsObject(map)) {
        map = cJSON_CreateObject();
        put(*context, LEASE_WINDOWS_KEY, map);
    }
    if (rec->has_name) {
        if (lease_windows_is_lower(rec->name))
            cJSON_DeleteItemFromObjectCaseSensitive(map, "client-name");
        else
            put(map, "client-name", cJSON_CreateString(rec->name));
    }
    if (rec->has_comment) put(map, "client-comment", cJSON_CreateString(rec->comment));
    if (rec->has_client_type) put(map, "client-type", cJSON_CreateNumber(rec->client_type));
    put(map, "address-state", cJSON_CreateNumber(address_state));
    if (rec->has_owner) put_owner(map, rec, cfg);
    if (rec->has_quarantine_status)
        put(map, "quarantine-status", cJSON_CreateNumber(rec->quarantine_status));
    if (rec->has_probation_ends) {
        char text[WIN_DATETIME_TEXT] = "infinite";
        if (!rec->probation_infinite) win_datetime_format(rec->probation_ends, text);
        put(map, "probation-ends", cJSON_CreateString(text));
    }
    if (rec->has_quarantine_capable)
        put(map, "quarantine-capable", cJSON_CreateBool(rec->quarantine_capable));
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
