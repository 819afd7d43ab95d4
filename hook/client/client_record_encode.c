#include "client_identifier.h"
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
    out[4] = CLIENT_UID_HW_TYPE;
    memcpy(out + CLIENT_UID_HEAD_LEN, id, len);
    return len + CLIENT_UID_HEAD_LEN;
}

/* Each takes its member name as JW_NAME("name"). */
static void add_string(struct json_writer *w, const char *name, size_t name_len,
                       const char *value)
{
    jw_key_text(w, name, name_len);
    jw_string(w, value);
}

static void add_ipv4(struct json_writer *w, const char *name, size_t name_len, uint32_t addr)
{
    char text[WIN_IPV4_TEXT];
    win_ipv4_format(addr, text);
    add_string(w, name, name_len, text);
}

static void add_hex(struct json_writer *w, const char *name, size_t name_len,
                    const uint8_t *bytes, size_t len)
{
    char text[WIN_HEX_TEXT(WIN_IDENTIFIER_MAX + CLIENT_UID_HEAD_LEN)];
    win_hex_format(bytes, len, text);
    add_string(w, name, name_len, text);
}

static void add_enum(struct json_writer *w, const char *name, size_t name_len,
                     const struct win_enum *e, int value)
{
    const char *text = win_enum_to_name(e, value);
    jw_key_text(w, name, name_len);
    if (text) jw_string(w, text);
    else jw_int(w, value);
}

static void add_expiry(struct json_writer *w, const struct win_lease *lease)
{
    char text[WIN_DATETIME_TEXT] = "infinite";
    if (lease->valid_lft != WIN_INFINITE_LFT)
        win_datetime_format(lease->cltt + lease->valid_lft, text);
    add_string(w, JW_NAME("client-lease-expires"), text);
}

static void add_owner(struct json_writer *w, const struct lease_windows_view *view,
                      const struct win_config *cfg)
{
    const cJSON *stored = lease_windows_item(view, "owner-host");
    const cJSON *ip = cJSON_GetObjectItemCaseSensitive(stored, "ip-address");
    const cJSON *netbios = cJSON_GetObjectItemCaseSensitive(stored, "netbios-name");
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(stored, "host-name");
    uint32_t addr;
    JW_KEY(w, "owner-host");
    jw_begin_object(w);
    if (cJSON_IsString(ip) && win_ipv4_parse(ip->valuestring, &addr) == 0)
        add_string(w, JW_NAME("ip-address"), ip->valuestring);
    else
        add_ipv4(w, JW_NAME("ip-address"), cfg->server_ip);
    add_string(w, JW_NAME("netbios-name"), cJSON_IsString(netbios) ? netbios->valuestring
                                                          : cfg->server_name);
    add_string(w, JW_NAME("host-name"), cJSON_IsString(host) ? host->valuestring : "");
    jw_end_object(w);
}

static uint8_t address_state_of(const struct win_host *host, const struct win_lease *lease,
                                const struct lease_windows_view *view)
{
    /* The Kea state is the truth for bits 0-1 (a client may have declined the
     * address since); the stored byte keeps the DNS bits. */
    static const uint8_t from_kea[] = {WIN_ADDRESS_STATE_ACTIVE, WIN_ADDRESS_STATE_DECLINED,
                                       WIN_ADDRESS_STATE_DOOM};
    uint8_t stored = (uint8_t)lease_windows_int(view, "address-state", 255,
                                                WIN_ADDRESS_STATE_ACTIVE);
    /* A released lease Kea keeps (2.6+) is no live record: doom, as Windows
     * calls an address whose lease is over. */
    uint8_t base = host->lease_released(host->ctx, lease) ? WIN_ADDRESS_STATE_DOOM
                   : lease->state < 3        ? from_kea[lease->state]
                                             : WIN_ADDRESS_STATE_ACTIVE;
    return (uint8_t)((stored & ~WIN_ADDRESS_STATE_MASK) | base);
}

static void add_vq_fields(struct json_writer *w, const struct win_host *host,
                          const struct win_lease *lease, const struct lease_windows_view *view)
{
    uint8_t state = address_state_of(host, lease, view);
    add_enum(w, JW_NAME("address-state"), &WIN_ENUM_ADDRESS_STATE, state & WIN_ADDRESS_STATE_MASK);
    const char *flags[8];
    size_t n = win_address_state_flag_names(state, flags, 8);
    JW_KEY(w, "address-state-flags");
    jw_begin_array(w);
    for (size_t i = 0; i < n; i++) jw_string(w, flags[i]);
    jw_end_array(w);
    add_enum(w, JW_NAME("quarantine-status"), &WIN_ENUM_QUARANTINE_STATUS,
             lease_windows_int(view, "quarantine-status", 6, 0));
    int64_t seconds;
    int infinite;
    const char *probation = lease_windows_string(view, "probation-ends", "");
    if (win_datetime_parse(probation, &seconds, &infinite) != 0)
        probation = "1970-01-01T00:00:00Z"; /* Windows' zero DATE_TIME: no probation */
    add_string(w, JW_NAME("probation-ends"), probation);
    JW_KEY(w, "quarantine-capable");
    jw_bool(w, cJSON_IsTrue(lease_windows_item(view, "quarantine-capable")));
}

void client_record_fields(const struct win_ctx *ctx, const struct win_lease *lease,
                          const struct win_subnet *subnet, enum client_record_form form,
                          struct json_writer *w)
{
    struct lease_windows_view view;
    lease_windows_view_open(&view, lease);
    const uint8_t *id;
    size_t id_len;
    uint8_t unique[WIN_IDENTIFIER_MAX + CLIENT_UID_HEAD_LEN];
    uint32_t prefix = subnet ? subnet->prefix : 0;

    add_ipv4(w, JW_NAME("client-ip-address"), lease->addr);
    add_ipv4(w, JW_NAME("subnet-mask"), subnet ? win_prefix_to_mask(subnet->prefix_len) : 0);
    client_identifier_of_lease(lease, &id, &id_len);
    /* Kea clears the identity of a declined address: such a record reads as
     * its address, so a hardware address is never empty. */
    uint8_t address_id[CLIENT_ID_ADDRESS_LEN];
    if (!id_len) {
        client_identifier_of_address(lease->addr, address_id);
        id = address_id, id_len = sizeof address_id;
    }
    add_hex(w, JW_NAME("client-hardware-address"), id, id_len);
    add_hex(w, JW_NAME("client-unique-id"), unique, client_unique_id(prefix, id, id_len, unique));
    add_string(w, JW_NAME("client-name"), lease_windows_client_name(lease, &view));
    add_string(w, JW_NAME("client-comment"), lease_windows_string(&view, "client-comment", ""));
    add_expiry(w, lease);
    add_owner(w, &view, ctx->config);
    add_enum(w, JW_NAME("client-type"), &WIN_ENUM_CLIENT_TYPE,
             lease_windows_int(&view, "client-type", 255, WIN_CLIENT_TYPE_DHCP));
    if (form == CLIENT_RECORD_VQ) add_vq_fields(w, ctx->host, lease, &view);
}

static void record_object(const struct win_ctx *ctx, const struct win_lease *lease,
                          const struct win_subnet *subnet, enum client_record_form form,
                          struct json_writer *w)
{
    jw_begin_object(w);
    client_record_fields(ctx, lease, subnet, form, w);
    jw_end_object(w);
}

void client_record_encode_v4(const struct win_ctx *ctx, const struct win_lease *lease,
                             const struct win_subnet *subnet, void *unused,
                             struct json_writer *w)
{
    (void)unused;
    record_object(ctx, lease, subnet, CLIENT_RECORD_V4, w);
}

void client_record_encode_vq(const struct win_ctx *ctx, const struct win_lease *lease,
                             const struct win_subnet *subnet, void *unused,
                             struct json_writer *w)
{
    (void)unused;
    record_object(ctx, lease, subnet, CLIENT_RECORD_VQ, w);
}

cJSON *client_record_item(const struct win_ctx *ctx, const struct win_lease *lease,
                          const struct win_subnet *subnet, client_encoder encode, void *data)
{
    struct json_writer w;
    jw_init(&w, 1024);
    encode(ctx, lease, subnet, data, &w);
    return jw_take_raw(&w);
}
