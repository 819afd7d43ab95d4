#include "lease_windows.h"

#include <stdlib.h>

#include "json_fields.h"
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

cJSON *lease_windows_new(const struct win_client_record *rec, const struct win_config *cfg,
                         int client_type, int address_state)
{
    cJSON *map = cJSON_CreateObject();
    /* Kea keeps hostnames in lower case; Windows answers with the name as given. */
    if (rec->has_name && !lease_windows_is_lower(rec->name))
        cJSON_AddStringToObject(map, "client-name", rec->name);
    if (rec->has_comment) cJSON_AddStringToObject(map, "client-comment", rec->comment);
    cJSON_AddNumberToObject(map, "client-type", client_type);
    /* The whole byte: bits 0-1 mirror the Kea state, bits 2-7 are DNS flags
     * that only Windows tools read. */
    cJSON_AddNumberToObject(map, "address-state", address_state);
    cJSON_AddItemToObject(map, "owner-host", owner_host_new(rec, cfg));
    /* NAP fields only when given: Kea has no quarantine, they are kept for
     * the Windows tools that read them back. */
    if (rec->has_quarantine_status)
        cJSON_AddNumberToObject(map, "quarantine-status", rec->quarantine_status);
    if (rec->has_probation_ends) {
        char text[WIN_DATETIME_TEXT] = "infinite";
        if (!rec->probation_infinite) win_datetime_format(rec->probation_ends, text);
        cJSON_AddStringToObject(map, "probation-ends", text);
    }
    if (rec->has_quarantine_capable)
        cJSON_AddBoolToObject(map, "quarantine-capable", rec->quarantine_capable);
    return map;
}

char *lease_windows_context_text(cJSON *map)
{
    cJSON *context = cJSON_CreateObject();
    cJSON_AddItemToObject(context, LEASE_WINDOWS_KEY, map);
    char *text = cJSON_PrintUnformatted(context);
    cJSON_Delete(context);
    return text;
}

void lease_windows_view_open(struct lease_windows_view *view, const struct win_lease *lease)
{
    view->context = lease->user_context ? jf_parse(lease->user_context) : NULL;
    const cJSON *windows = cJSON_GetObjectItemCaseSensitive(view->context, LEASE_WINDOWS_KEY);
    view->windows = cJSON_IsObject(windows) ? windows : NULL;
}

void lease_windows_view_close(struct lease_windows_view *view)
{
    cJSON_Delete(view->context);
    view->context = NULL;
    view->windows = NULL;
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
