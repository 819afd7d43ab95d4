/* win-failover-client-info-get / -enum (DHCPV4_FAILOVER_CLIENT_INFO and its
 * ARRAY) and win-failover-scope-statistics-get (DHCP_FAILOVER_STATISTICS),
 * from Kea's live leases and its HA state. */
#include "failover_cmds.h"

#include <stdio.h>
#include <stdlib.h>

#include "client_enum.h"
#include "client_record_encode.h"
#include "failover_live.h"
#include "failover_store.h"
#include "json_fields.h"
#include "lb_hash.h"
#include "value_formats.h"
#include "win_enums.h"

#define POOLS_MAX 256
#define PAGE 1000

/* Whether the partner acknowledges each lease: Kea HA, in its normal state,
 * sends every lease update to the partner before the client is answered. */
static int partner_acknowledges(const struct win_ctx *ctx)
{
    struct fo_store store = {0};
    struct win_status st;
    int normal = 0;
    if (fo_store_load(ctx->config, &store, &st) == 0 && store.count) {
        struct fo_live live;
        fo_live_read(ctx, &store.items[0], FO_LIVE_STATE, &live);
        normal = live.fsm == WIN_FSM_NORMAL;
    }
    fo_store_free(&store);
    return normal;
}

#define DWORD_TIME_INFINITE 0xFFFFFFFFu /* a Windows DATE_TIME-as-DWORD that never comes */

static uint32_t dword_time(int64_t t)
{
    return t < 0 ? 0 : t > DWORD_TIME_INFINITE ? DWORD_TIME_INFINITE : (uint32_t)t;
}

static void add_number(struct json_writer *w, const char *name, size_t name_len,
                       int64_t value)
{
    jw_key_text(w, name, name_len);
    jw_int(w, value);
}

static void encode_failover(const struct win_ctx *ctx, const struct win_lease *lease,
                            const struct win_subnet *subnet, void *data, struct json_writer *w)
{
    int acknowledged = *(const int *)data;
    uint32_t expiry = lease->valid_lft == WIN_INFINITE_LFT
                          ? DWORD_TIME_INFINITE : dword_time(lease->cltt + lease->valid_lft);
    uint32_t cltt = dword_time(lease->cltt);
    jw_begin_object(w);
    client_record_fields(ctx, lease, subnet, CLIENT_RECORD_VQ, w);
    add_number(w, JW_NAME("sent-pot-exp-time"), acknowledged ? expiry : 0);
    add_number(w, JW_NAME("ack-pot-exp-time"), acknowledged ? expiry : 0);
    add_number(w, JW_NAME("recv-pot-exp-time"), 0);
    add_number(w, JW_NAME("start-time"), cltt);
    add_number(w, JW_NAME("clt-last-trans-time"), cltt);
    add_number(w, JW_NAME("last-bnd-upd-time"), 0);
    add_number(w, JW_NAME("bnd-msg-status"), 0);
    JW_KEY(w, "policy-name");
    jw_string(w, "");
    add_number(w, JW_NAME("flags"), 0);
    jw_end_object(w);
}

static void add_time_sources(cJSON *answer, int acknowledged)
{
    cJSON *effect = cJSON_AddObjectToObject(answer, "kea-effect");
    cJSON_AddStringToObject(effect, "sent-pot-exp-time",
                            acknowledged ? "the lease expiry: Kea HA sends every lease update "
                                           "to the partner before answering the client"
                                         : "0: no partner is acknowledging (no relationship, "
                                           "or Kea HA not in its normal state)");
    cJSON_AddStringToObject(effect, "ack-pot-exp-time",
                            acknowledged ? "the lease expiry: the partner acknowledged it "
                                           "before the client was answered"
                                         : "0, as sent-pot-exp-time");
    cJSON_AddStringToObject(effect, "recv-pot-exp-time",
                            "0: Kea does not record what the partner sent");
    cJSON_AddStringToObject(effect, "start-time",
                            "the lease's cltt: Kea keeps no separate state-change time");
    cJSON_AddStringToObject(effect, "clt-last-trans-time", "the lease's cltt");
    cJSON_AddStringToObject(effect, "last-bnd-upd-time",
                            "0: Kea does not record when the partner last updated a lease");
    cJSON_AddStringToObject(effect, "bnd-msg-status, flags",
                            "0: reserved by Windows (MUST be ignored)");
    cJSON_AddStringToObject(effect, "policy-name", "empty: Kea has no Windows policies");
}

cJSON *failover_client_info_get(const struct win_ctx *ctx, const cJSON *args,
                                struct win_status *st)
{
    int acknowledged = partner_acknowledges(ctx);
    cJSON *answer = client_get_one(ctx, args, encode_failover, &acknowledged, st);
    if (answer) add_time_sources(answer, acknowledged);
    return answer;
}

cJSON *failover_client_info_enum(const struct win_ctx *ctx, const cJSON *args,
                                 struct win_status *st)
{
    int acknowledged = partner_acknowledges(ctx);
    cJSON *answer = client_enum(ctx, args, encode_failover, &acknowledged, st);
    if (!answer) return NULL;
    /* DHCPV4_FAILOVER_CLIENT_INFO_ARRAY */
    cJSON_AddNumberToObject(answer, "num-elements",
                            cJSON_GetObjectItem(answer, "clients-read")->valuedouble);
    add_time_sources(answer, acknowledged);
    return answer;
}

struct scope_counts {
    uint64_t total, in_use, in_use_by[2]; /* [0] the primary's clients, [1] the secondary's */
};

static int in_pools(uint32_t addr, const uint32_t *first, const uint32_t *last, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (addr >= first[i] && addr <= last[i]) return 1;
    return 0;
}

/* Walks the subnet's leases page by page: in use = unexpired, in a pool. */
static int count_scope(const struct win_ctx *ctx, const struct win_subnet *subnet,
                       struct scope_counts *c, struct win_status *st)
{
    uint32_t first[POOLS_MAX], last[POOLS_MAX];
    size_t pools = 0;
    char why[WIN_HOST_ERR_LEN] = "";
    if (ctx->host->subnet_pools(ctx->host->ctx, subnet->id, first, last, POOLS_MAX, &pools,
                                why) != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "pool lookup failed: %s", why);
    if (pools > POOLS_MAX) pools = POOLS_MAX;
    for (size_t i = 0; i < pools; i++) c->total += (uint64_t)last[i] - first[i] + 1;
    uint32_t hi = subnet->prefix | ~win_prefix_to_mask(subnet->prefix_len);
    uint32_t after = subnet->prefix ? subnet->prefix - 1 : 0;
    int64_t now = ctx->host->now(ctx->host->ctx);
    for (;;) {
        struct win_lease_list page = {0};
        char err[WIN_HOST_ERR_LEN] = "";
        if (ctx->host->leases_page(ctx->host->ctx, after, PAGE, &page, err) != WIN_HOST_OK) {
            win_lease_list_free(&page);
            return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
        }
        int done = page.count < PAGE;
        for (size_t i = 0; i < page.count; i++) {
            const struct win_lease *l = &page.items[i];
            if (l->addr > hi) {
                done = 1;
                break;
            }
            after = l->addr;
            int live = l->valid_lft == WIN_INFINITE_LFT || l->cltt + l->valid_lft > now;
            if (!live || !in_pools(l->addr, first, last, pools)) continue;
            const uint8_t *key = l->client_id_len ? l->client_id : l->hwaddr;
            size_t key_len = l->client_id_len ? l->client_id_len : l->hwaddr_len;
            c->in_use++;
            c->in_use_by[lb_hash(key, key_len) % 2]++;
        }
        win_lease_list_free(&page);
        if (done) return 0;
    }
}

cJSON *failover_scope_statistics_get(const struct win_ctx *ctx, const cJSON *args,
                                     struct win_status *st)
{
    static const char *const fields[] = {"scope-id", NULL};
    uint32_t scope = 0;
    if (!cJSON_IsObject(args) || jf_only_known(args, fields, "a scope", st) < 0 ||
        jf_ipv4(args, "scope-id", &scope, st) < 0 || scope == 0) {
        if (st->code == ERROR_SUCCESS)
            win_fail(st, ERROR_INVALID_PARAMETER, "scope-id is missing or 0.0.0.0");
        return NULL;
    }
    char text[WIN_IPV4_TEXT];
    win_ipv4_format(scope, text);
    struct fo_store store = {0};
    if (fo_store_load(ctx->config, &store, st) < 0) return NULL;
    struct fo_relationship *rel = NULL;
    for (size_t i = 0; i < store.count && !rel; i++)
        if (fo_has_scope(&store.items[i], scope)) rel = &store.items[i];
    struct win_subnet subnet;
    struct scope_counts c = {0};
    cJSON *answer = NULL;
    char err[WIN_HOST_ERR_LEN];
    int found = rel ? ctx->host->subnet_find(ctx->host->ctx, scope, &subnet, err)
                    : WIN_HOST_NOT_FOUND;
    if (!rel) {
        win_fail(st, ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP,
                 "scope %s is in no failover relationship", text);
    } else if (found == WIN_HOST_ERROR) {
        win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
    } else if (found != WIN_HOST_OK || subnet.prefix != scope) {
        win_fail(st, ERROR_DHCP_SUBNET_NOT_PRESENT, "scope %s is not a configured subnet", text);
    } else if (count_scope(ctx, &subnet, &c, st) == 0) {
        struct fo_live live;
        fo_live_read(ctx, rel, FO_LIVE_STATE_AND_CONFIG, &live);
        fo_live_overlay(&live, rel);
        uint64_t in_use = c.in_use > c.total ? c.total : c.in_use;
        uint64_t free_addrs = c.total - in_use;
        int me = rel->server_type == WIN_FO_PRIMARY ? 0 : 1;
        uint64_t this_in_use, this_free;
        if (rel->mode == WIN_FO_HOT_STANDBY) { /* the primary serves every client */
            this_in_use = me == 0 ? c.in_use : 0;
            this_free = me == 0 ? free_addrs : 0;
        } else { /* each serves its half of the clients, from the whole pool */
            this_in_use = c.in_use_by[me];
            this_free = me == 0 ? (free_addrs + 1) / 2 : free_addrs / 2;
        }
        answer = cJSON_CreateObject();
        cJSON_AddStringToObject(answer, "scope-id", text);
        cJSON_AddNumberToObject(answer, "num-addr", (double)c.total);
        cJSON_AddNumberToObject(answer, "addr-free", (double)free_addrs);
        cJSON_AddNumberToObject(answer, "addr-in-use", (double)c.in_use);
        cJSON_AddNumberToObject(answer, "partner-addr-free", (double)(free_addrs - this_free));
        cJSON_AddNumberToObject(answer, "this-addr-free", (double)this_free);
        cJSON_AddNumberToObject(answer, "partner-addr-in-use",
                                (double)(c.in_use - this_in_use));
        cJSON_AddNumberToObject(answer, "this-addr-in-use", (double)this_in_use);
        cJSON *effect = cJSON_AddObjectToObject(answer, "kea-effect");
        cJSON_AddStringToObject(effect, "num-addr", "the addresses of the subnet's pools");
        cJSON_AddStringToObject(effect, "addr-in-use", "unexpired leases in those pools");
        cJSON_AddStringToObject(
            effect, "this / partner",
            rel->mode == WIN_FO_HOT_STANDBY
                ? "hot standby: the primary serves every client and the whole pool"
                : "load balancing: leases by which partner serves their client (Kea HA's "
                  "RFC 3074 hash of the client identifier, else the MAC); free addresses "
                  "halved, since Kea 2.2 splits clients 50/50 and both partners draw on the "
                  "whole pool");
        win_succeed(st, "failover statistics of scope %s", text);
    }
    fo_store_free(&store);
    return answer;
}
