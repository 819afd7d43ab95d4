/* win-client-info-v4-get / -vq-get: DhcpGetClientInfoV4 / VQ. */
#include "client_info.h"

#include "client_enum.h"
#include "client_record_encode.h"
#include "client_search.h"
#include "value_formats.h"

cJSON *client_get_one(const struct win_ctx *ctx, const cJSON *args, client_encoder encode,
                      void *data, struct win_status *st)
{
    struct win_lease lease;
    struct win_subnet subnet;
    int has_subnet;
    if (client_search(ctx, args, &lease, &subnet, &has_subnet, st) < 0) return NULL;
    cJSON *record = client_record_item(ctx, &lease, has_subnet ? &subnet : NULL, encode, data);
    char ip[WIN_IPV4_TEXT];
    win_ipv4_format(lease.addr, ip);
    win_lease_clear(&lease);
    if (!record) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory writing client %s", ip);
        return NULL;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddItemToObject(answer, "client", record);
    win_succeed(st, "client %s found", ip);
    return answer;
}

cJSON *client_info_v4_get(const struct win_ctx *ctx, const cJSON *args,
                          struct win_status *st)
{
    return client_get_one(ctx, args, client_record_encode_v4, NULL, st);
}

cJSON *client_info_vq_get(const struct win_ctx *ctx, const cJSON *args,
                          struct win_status *st)
{
    return client_get_one(ctx, args, client_record_encode_vq, NULL, st);
}
