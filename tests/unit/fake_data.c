/* What a test puts into the fake Kea (subnets, leases, pools, reservations)
 * and reads back from it (leases, statistics), and the requests it sends
 * through the hook's entry point with the answers' parts. */
#include "fake_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value_formats.h"
#include "win_cmds.h"

static uint32_t ip_of(const char *text)
{
    uint32_t addr;
    if (win_ipv4_parse(text, &addr) != 0) abort();
    return addr;
}

void fake_add_subnet(uint32_t id, const char *prefix, uint8_t len, uint32_t valid_lft)
{
    struct win_subnet s = {id, ip_of(prefix), len, valid_lft};
    fake.subnets[fake.subnet_count++] = s;
}

struct win_lease *fake_add_lease(const char *ip, uint32_t subnet_id, const char *hw,
                                 const char *client_id, const char *hostname,
                                 const char *user_context)
{
    struct win_lease *l = &fake.leases[fake.lease_count++];
    memset(l, 0, sizeof *l);
    l->addr = ip_of(ip);
    l->subnet_id = subnet_id;
    size_t len;
    if (hw && win_hex_parse(hw, l->hwaddr, WIN_HWADDR_MAX, &len) == 0)
        l->hwaddr_len = (uint8_t)len;
    if (client_id && win_hex_parse(client_id, l->client_id, WIN_CLIENT_ID_MAX, &len) == 0)
        l->client_id_len = (uint8_t)len;
    l->cltt = fake.now - 100;
    l->valid_lft = 3600;
    l->hostname = hostname ? strdup(hostname) : NULL;
    l->user_context = user_context ? cJSON_Parse(user_context) : NULL;
    return l;
}

const char *fake_context_text(const struct win_lease *lease)
{
    static char *text;
    free(text);
    text = lease->user_context ? cJSON_PrintUnformatted(lease->user_context) : NULL;
    return text ? text : "";
}

void fake_add_pool(uint32_t subnet_id, const char *first, const char *last)
{
    size_t i = fake.pool_count++;
    fake.pools[i].subnet_id = subnet_id;
    fake.pools[i].first = ip_of(first);
    fake.pools[i].last = ip_of(last);
}

void fake_add_reservation(uint32_t subnet_id, const char *ip, enum win_identifier_type type,
                          const char *id)
{
    size_t i = fake.reservation_count++;
    fake.reservations[i].subnet_id = subnet_id;
    fake.reservations[i].addr = ip_of(ip);
    fake.reservations[i].r.type = type;
    win_hex_parse(id, fake.reservations[i].r.id, sizeof fake.reservations[i].r.id,
                  &fake.reservations[i].r.id_len);
    snprintf(fake.reservations[i].r.type_name, sizeof fake.reservations[i].r.type_name, "%s",
             type == WIN_IDENT_HWADDR ? "hw-address"
             : type == WIN_IDENT_CLIENT_ID ? "client-id" : "circuit-id");
}

struct win_lease *fake_find_lease(const char *ip)
{
    uint32_t addr = ip_of(ip);
    for (size_t i = 0; i < fake.lease_count; i++)
        if (fake.leases[i].addr == addr) return &fake.leases[i];
    return NULL;
}

static const struct fake_stat *stat_named(const char *name)
{
    for (size_t i = 0; i < fake.stat_count; i++)
        if (strcmp(fake.stats[i].name, name) == 0) return &fake.stats[i];
    return NULL;
}

int64_t fake_stat(const char *name)
{
    const struct fake_stat *s = stat_named(name);
    return s ? s->value : 0;
}

int fake_stat_present(const char *name)
{
    return stat_named(name) != NULL;
}

char *fake_bulk_create_args(int first, int n)
{
    cJSON *clients = cJSON_CreateArray(), *args = cJSON_CreateObject();
    for (int i = 0; i < n; i++) {
        char ip[32], hw[32];
        snprintf(ip, sizeof ip, "192.0.2.%d", first + i);
        snprintf(hw, sizeof hw, "02:00:00:00:01:%02x", (first + i) & 0xff);
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "client-ip-address", ip);
        cJSON_AddStringToObject(c, "client-hardware-address", hw);
        cJSON_AddItemToArray(clients, c);
    }
    cJSON_AddItemToObject(args, "clients", clients);
    char *text = cJSON_PrintUnformatted(args);
    cJSON_Delete(args);
    return text;
}

cJSON *call(const char *command, const char *args_json)
{
    char *text = win_cmds_handle(command, args_json, NULL);
    cJSON *answer = cJSON_Parse(text);
    win_cmds_free(text);
    if (!answer) abort();
    return answer;
}

const cJSON *answer_args(const cJSON *answer)
{
    return cJSON_GetObjectItemCaseSensitive(answer, "arguments");
}

int answer_code(const cJSON *answer)
{
    return cJSON_GetObjectItemCaseSensitive(answer_args(answer), "error-code")->valueint;
}

int answer_result(const cJSON *answer)
{
    return cJSON_GetObjectItemCaseSensitive(answer, "result")->valueint;
}

const char *answer_text(const cJSON *answer)
{
    return cJSON_GetObjectItemCaseSensitive(answer, "text")->valuestring;
}

const char *record_string(const cJSON *answer, const char *field)
{
    const cJSON *client = cJSON_GetObjectItemCaseSensitive(answer_args(answer), "client");
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(client, field);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}
