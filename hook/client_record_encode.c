#include "client_record_encode.h"

#include <string.h>
#include <strings.h>

#include "lease_windows.h"
#include "value_formats.h"
#include "win_enums.h"

size_t client_unique_id(uint32_t subnet_prefix, const uint8_t *id, size_t len,
                        uint8_t *out)
{
    out[0] = (uint8_t)subnet_prefix;
    out[1] = (uint8_t)(subnet_prefix >> 8);
    out[2] = (uint8_t)(subnet_prefix >> 16);
    out[3] = (uint8_t)(subnet_prefix >> 24);
    out[4] = 0x01;
    memcpy(out + 5, id, len);
    return len + 5;
}

static void add_ipv4(cJSON *obj, const char *key, uint32_t addr)
{
    char text[WIN_IPV4_TEXT];
    win_ipv4_format(addr, text);
    cJSON_AddStringToObject(obj, key, text);
}

static void add_hex(cJSON *obj, const char *key, const uint8_t *bytes, size_t len)
{
    char text[WIN_HEX_TEXT(WIN_IDENTIFIER_MAX + 5)];
    win_hex_format(bytes, len, text);
    cJSON_AddStringToObject(obj, key, text);
}

static void add_enum(cJSON *obj, const char *key, const struct win_enum *e, int value)
{
    const char *name = win_enum_to_name(e, value);
    if (name) cJSON_AddStringToObject(obj, key, name);
    else cJSON_AddNumberToObject(obj, key, value);
}

/* The name as the client record was given it, while Kea's lower-case hostname
 * still stands for it; Kea's hostname once a DHCP client renamed itself. */
static const char *client_name_of(const struct win_lease *lease,
                                  const struct lease_windows_view *view)
{
    const char *kea = lease->hostname ? lease->hostname : "";
    const char *given = lease_windows_string(view, "client-name", NULL);
    return given && strcasecmp(given, kea) == 0 ? given : kea;
}

static void add_expiry(cJSON *obj, const struct win_lease *lease)
{
    char text[WIN_DATETIME_TEXT] = "infinite";
    if (lease->valid_lft != WIN_INFINITE_LFT)
        win_datetime_format(lease->cltt + lease->valid_lft, text);
    cJSON_AddStringToObject(obj, "client-lease-expires", text);
}

static void add_owner(cJSON *obj, const struct lease_windows_view *view,
                      const struct win_config *cfg)
{
    const cJSON *stored = lease_windows_item(view, "owner-host");
    cJSON *owner = cJSON_AddObjectToObject(obj, "owner-host");
    const cJSON *ip = cJSON_GetObjectItemCaseSensitive(stored, "ip-address");
    const cJSON *netbios = cJSON_GetObjectItemCaseSensitive(stored, "netbios-name");
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(stored, "host-name");
    uint32_t addr;
    if (cJSON_IsString(ip) && win_ipv4_parse(ip->valuestring, &addr) == 0)
        cJSON_AddStringToObject(owner, "ip-address", ip->valuestring);
    else
        add_ipv4(owner, "ip-address", cfg->has_server_ip ? cfg->server_ip : 0);
    cJSON_AddStringToObject(owner, "netbios-name", cJSON_IsString(netbios)
                                                       ? netbios->valuestring
                                                       : cfg->server_name);
    cJSON_AddStringToObject(owner, "host-name", cJSON_IsString(host) ? host->valuestring : "");
}

static uint8_t address_state_of(const struct win_lease *lease,
                                const struct lease_windows_view *view)
{
    /* The Kea state is the truth for bits 0-1 (a client may have declined the
     * address since); the stored byte keeps the DNS bits. */
    static const uint8_t from_kea[] = {WIN_ADDRESS_STATE_ACTIVE, WIN_ADDRESS_STATE_DECLINED,
                                       WIN_ADDRESS_STATE_DOOM};
    uint8_t stored = (uint8_t)lease_windows_int(view, "address-state", 255,
                                                WIN_ADDRESS_STATE_ACTIVE);
    uint8_t base = lease->state < 3 ? from_kea[lease->state] : WIN_ADDRESS_STATE_ACTIVE;
    return (uint8_t)((stored & ~WIN_ADDRESS_STATE_MASK) | base);
}

static void add_vq_fields(cJSON *rec, const struct win_lease *lease,
                          const struct lease_windows_view *view)
{
    uint8_t state = address_state_of(lease, view);
    add_enum(rec, "address-state", &WIN_ENUM_ADDRESS_STATE, state & WIN_ADDRESS_STATE_MASK);
    const char *flags[8];
    size_t n = win_address_state_flag_names(state, flags, 8);
    cJSON_AddItemToObject(rec, "address-state-flags", cJSON_CreateStringArray(flags, (int)n));
    add_enum(rec, "quarantine-status", &WIN_ENUM_QUARANTINE_STATUS,
             lease_windows_int(view, "quarantine-status", 6, 0));
    int64_t seconds;
    int infinite;
    const char *probation = lease_windows_string(view, "probation-ends", "");
    if (win_datetime_parse(probation, &seconds, &infinite) != 0)
        probation = "1970-01-01T00:00:00Z"; /* Windows' zero DATE_TIME: no probation */
    cJSON_AddStringToObject(rec, "probation-ends", probation);
    const cJSON *capable = lease_windows_item(view, "quarantine-capable");
    cJSON_AddBoolToObject(rec, "quarantine-capable", cJSON_IsTrue(capable));
}

cJSON *client_record_encode(const struct win_ctx *ctx, const struct win_lease *lease,
                            const struct win_subnet *subnet, enum client_record_form form)
{
    struct lease_windows_view view;
    lease_windows_view_open(&view, lease);
    cJSON *rec = cJSON_CreateObject();
    const uint8_t *id;
    size_t id_len;
    uint8_t unique[WIN_IDENTIFIER_MAX + 5];
    uint32_t prefix = subnet ? subnet->prefix : 0;

    add_ipv4(rec, "client-ip-address", lease->addr);
    add_ipv4(rec, "subnet-mask", subnet ? win_prefix_to_mask(subnet->prefix_len) : 0);
    client_identifier_of_lease(lease, &id, &id_len);
    add_hex(rec, "client-hardware-address", id, id_len);
    add_hex(rec, "client-unique-id", unique, client_unique_id(prefix, id, id_len, unique));
    cJSON_AddStringToObject(rec, "client-name", client_name_of(lease, &view));
    cJSON_AddStringToObject(rec, "client-comment",
                            lease_windows_string(&view, "client-comment", ""));
    add_expiry(rec, lease);
    add_owner(rec, &view, ctx->config);
    add_enum(rec, "client-type", &WIN_ENUM_CLIENT_TYPE,
             lease_windows_int(&view, "client-type", 255, WIN_CLIENT_TYPE_DHCP));
    if (form == CLIENT_RECORD_VQ) add_vq_fields(rec, lease, &view);
    lease_windows_view_close(&view);
    return rec;
}

cJSON *client_record_encode_v4(const struct win_ctx *ctx, const struct win_lease *lease,
                               const struct win_subnet *subnet, void *unused)
{
    (void)unused;
    return client_record_encode(ctx, lease, subnet, CLIENT_RECORD_V4);
}

cJSON *client_record_encode_vq(const struct win_ctx *ctx, const struct win_lease *lease,
                               const struct win_subnet *subnet, void *unused)
{
    (void)unused;
    return client_record_encode(ctx, lease, subnet, CLIENT_RECORD_VQ);
}
