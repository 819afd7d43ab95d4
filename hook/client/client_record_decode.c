#include "client_record.h"

#include <string.h>

#include "json_fields.h"

/* The read-only fields of a get answer (client-unique-id, address-state-flags)
 * are accepted so that a record read from one server can be sent back
 * unchanged, and ignored. */
static const char *const v4_fields[] = {
    "client-ip-address", "subnet-mask", "client-hardware-address", "client-name",
    "client-comment", "client-lease-expires", "owner-host", "client-type",
    "client-unique-id", NULL};
static const char *const vq_fields[] = {
    "client-ip-address", "subnet-mask", "client-hardware-address", "client-name",
    "client-comment", "client-lease-expires", "owner-host", "client-type",
    "address-state", "quarantine-status", "probation-ends", "quarantine-capable",
    "client-unique-id", "address-state-flags", NULL};

static const char *const owner_fields[] = {"ip-address", "netbios-name", "host-name", NULL};

static int decode_owner(const cJSON *obj, struct win_owner_host *owner,
                        struct win_status *st)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, "owner-host");
    if (!item || cJSON_IsNull(item)) return 0;
    if (!cJSON_IsObject(item))
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "owner-host must be an object with ip-address, netbios-name, "
                        "host-name");
    if (jf_only_known(item, owner_fields, "owner-host", st) < 0) return -1;
    int rc = jf_ipv4(item, "ip-address", &owner->ip, st);
    if (rc < 0) return -1;
    owner->has_ip = rc;
    if (jf_string(item, "netbios-name", WIN_SERVER_NAME_MAX, &owner->netbios_name, st) < 0 ||
        jf_string(item, "host-name", WIN_SERVER_NAME_MAX, &owner->host_name, st) < 0)
        return -1;
    return 1;
}

int client_record_decode(const cJSON *obj, enum client_record_form form,
                         struct win_client_record *rec, struct win_status *st)
{
    memset(rec, 0, sizeof *rec);
    if (!cJSON_IsObject(obj))
        return win_fail(st, ERROR_INVALID_PARAMETER, "a client record must be a JSON object");
    /* The two mandatory fields first, as Windows checks them first. */
    int rc = jf_ipv4(obj, "client-ip-address", &rec->ip, st);
    if (rc < 0) return -1;
    if (rc == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "client-ip-address is missing");
    rec->has_ip = 1;
    rc = jf_identifier(obj, "client-hardware-address", rec->id, &rec->id_len, st);
    if (rc < 0) return -1;
    if (rc == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "client-hardware-address is missing or empty");
    rec->has_id = 1;

    int known = form == CLIENT_RECORD_V4
                    ? jf_only_known(obj, v4_fields, "DHCP_CLIENT_INFO_V4 (use the -vq- command)", st)
                    : jf_only_known(obj, vq_fields, "DHCP_CLIENT_INFO_VQ", st);
    if (known < 0) return -1;
    if ((rec->has_mask = jf_ipv4(obj, "subnet-mask", &rec->mask, st)) < 0) return -1;
    if (rec->has_mask) {
        uint8_t len;
        if (win_mask_to_prefix(rec->mask, &len) != 0)
            return win_fail(st, ERROR_INVALID_PARAMETER,
                            "subnet-mask is not a contiguous netmask");
    }
    if ((rec->has_name = jf_string(obj, "client-name", WIN_CLIENT_NAME_MAX, &rec->name,
                                   st)) < 0 ||
        (rec->has_comment = jf_string(obj, "client-comment", WIN_CLIENT_COMMENT_MAX,
                                      &rec->comment, st)) < 0 ||
        (rec->has_expires = jf_datetime(obj, "client-lease-expires", &rec->expires,
                                        &rec->expires_infinite, st)) < 0 ||
        (rec->has_owner = decode_owner(obj, &rec->owner, st)) < 0 ||
        (rec->has_client_type = jf_enum(obj, "client-type", &WIN_ENUM_CLIENT_TYPE,
                                        &rec->client_type, st)) < 0 ||
        (rec->has_address_state = jf_enum(obj, "address-state", &WIN_ENUM_ADDRESS_STATE,
                                          &rec->address_state, st)) < 0 ||
        (rec->has_quarantine_status = jf_enum(obj, "quarantine-status",
                                              &WIN_ENUM_QUARANTINE_STATUS,
                                              &rec->quarantine_status, st)) < 0 ||
        (rec->has_probation_ends = jf_datetime(obj, "probation-ends", &rec->probation_ends,
                                               &rec->probation_infinite, st)) < 0 ||
        (rec->has_quarantine_capable = jf_bool(obj, "quarantine-capable",
                                               &rec->quarantine_capable, st)) < 0)
        return -1;
    return 0;
}
