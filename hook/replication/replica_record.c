#include "replica_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_identifier.h"
#include "value_formats.h"

/* A record is a list, not a map: a bulk sends 100,000 of them, and every
 * byte is read one at a time by each control channel on the way. */
enum { AT_IP, AT_HW, AT_CLIENT_ID, AT_CLTT, AT_LFT, AT_STATE, AT_HOSTNAME, AT_CONTEXT, FIELDS };

cJSON *replica_record_encode(const struct win_lease *l)
{
    char ip[WIN_IPV4_TEXT], hex[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX)] = "";
    cJSON *r = cJSON_CreateArray();
    win_ipv4_format(l->addr, ip);
    cJSON_AddItemToArray(r, cJSON_CreateString(ip));
    win_hex_format(l->hwaddr, l->hwaddr_len, hex);
    cJSON_AddItemToArray(r, l->hwaddr_len ? cJSON_CreateString(hex) : cJSON_CreateNull());
    win_hex_format(l->client_id, l->client_id_len, hex);
    cJSON_AddItemToArray(r, l->client_id_len ? cJSON_CreateString(hex) : cJSON_CreateNull());
    cJSON_AddItemToArray(r, cJSON_CreateNumber((double)l->cltt));
    cJSON_AddItemToArray(r, cJSON_CreateNumber(l->valid_lft));
    cJSON_AddItemToArray(r, cJSON_CreateNumber(l->state));
    if (l->hostname || l->user_context)
        cJSON_AddItemToArray(r, l->hostname ? cJSON_CreateString(l->hostname)
                                            : cJSON_CreateNull());
    if (l->user_context) cJSON_AddItemToArray(r, cJSON_Duplicate(l->user_context, 1));
    return r;
}

static int number_in(const cJSON *n, double min, double max, double *out)
{
    if (!cJSON_IsNumber(n) || n->valuedouble < min || n->valuedouble > max ||
        n->valuedouble != (double)(int64_t)n->valuedouble)
        return -1;
    *out = n->valuedouble;
    return 0;
}

static int hex_field(const cJSON *s, uint8_t *out, size_t max, uint8_t *len)
{
    size_t n = 0;
    *len = 0;
    if (cJSON_IsNull(s)) return 0;
    if (!cJSON_IsString(s) || win_hex_parse(s->valuestring, out, max, &n) < 0) return -1;
    *len = (uint8_t)n;
    return 0;
}

int replica_record_decode(const cJSON *json, struct win_lease *out)
{
    memset(out, 0, sizeof *out);
    const cJSON *f[FIELDS] = {0};
    int n = 0;
    const cJSON *item;
    if (!cJSON_IsArray(json)) return -1;
    cJSON_ArrayForEach(item, json)
    {
        if (n == FIELDS) return -1;
        f[n++] = item;
    }
    double cltt, lft, state;
    const cJSON *name = cJSON_IsNull(f[AT_HOSTNAME]) ? NULL : f[AT_HOSTNAME];
    const cJSON *context = f[AT_CONTEXT];
    if (n < AT_HOSTNAME || !cJSON_IsString(f[AT_IP]) ||
        win_ipv4_parse(f[AT_IP]->valuestring, &out->addr) < 0 ||
        hex_field(f[AT_HW], out->hwaddr, WIN_HWADDR_MAX, &out->hwaddr_len) < 0 ||
        hex_field(f[AT_CLIENT_ID], out->client_id, WIN_CLIENT_ID_MAX, &out->client_id_len) < 0 ||
        number_in(f[AT_CLTT], 0, 253402300799.0, &cltt) < 0 ||
        number_in(f[AT_LFT], 0, 4294967295.0, &lft) < 0 ||
        number_in(f[AT_STATE], 0, 3, &state) < 0 ||
        (name && (!cJSON_IsString(name) || strlen(name->valuestring) > 255 ||
                  !win_utf8_valid(name->valuestring))) ||
        (context && !cJSON_IsObject(context)) ||
        (!out->hwaddr_len && out->client_id_len < WIN_CLIENT_ID_MIN))
        return -1;
    out->cltt = (int64_t)cltt;
    out->valid_lft = (uint32_t)lft;
    out->state = (uint8_t)state;
    if ((name && !(out->hostname = strdup(name->valuestring))) ||
        (context && !(out->user_context = cJSON_Duplicate(context, 1)))) {
        win_lease_clear(out);
        return -1;
    }
    return 0;
}

int replica_record_copy(struct win_lease *dst, const struct win_lease *src)
{
    *dst = *src;
    dst->hostname = src->hostname ? strdup(src->hostname) : NULL;
    dst->user_context = src->user_context ? cJSON_Duplicate(src->user_context, 1) : NULL;
    if ((src->hostname && !dst->hostname) || (src->user_context && !dst->user_context)) {
        win_lease_clear(dst);
        return -1;
    }
    return 0;
}

int replica_record_same_client(const struct win_lease *a, const struct win_lease *b)
{
    const uint8_t *id;
    size_t len;
    client_identifier_of_lease(b, &id, &len);
    return len > 0 && client_identifier_same(a, id, len);
}

int replica_record_same_write(const struct win_lease *a, const struct win_lease *b)
{
    return replica_record_same_client(a, b) && a->cltt == b->cltt &&
           a->valid_lft == b->valid_lft && a->state == b->state;
}

void replica_record_describe(const struct win_lease *lease, char *out, size_t size)
{
    char hex[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX)];
    const uint8_t *id;
    size_t len;
    client_identifier_of_lease(lease, &id, &len);
    if (!len) {
        snprintf(out, size, "no client (a declined address)");
        return;
    }
    win_hex_format(id, len, hex);
    snprintf(out, size, "hardware address %s", hex);
}
