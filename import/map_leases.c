/* Leases (windows-export.md section 2.7): the row rules per AddressState,
 * the Windows fields in user-context "windows" exactly as the hook stores
 * them (lease_windows.c), the export's own fields verbatim under
 * "windows.export". */
#include "map_leases.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client_identifier.h"
#include "client_record.h"
#include "export_schema.h"
#include "import_apply.h"
#include "lease_windows.h"
#include "value_formats.h"
#include "win_enums.h"

#define DECLINE_PROBATION 86400   /* Kea's decline-probation-period default */

/* 1 when addr was already imported (else remembers it). */
static int seen_before(struct lease_pass *p, uint32_t addr)
{
    if (p->seen_count * 2 >= p->seen_cap) {
        size_t cap = p->seen_cap ? p->seen_cap * 2 : 4096;
        uint32_t *grown = calloc(cap, sizeof *grown);
        if (!grown) return 0;
        for (size_t i = 0; i < p->seen_cap; i++) {
            uint32_t v = p->seen[i];
            if (!v) continue;
            size_t h = (v * 2654435761u) & (cap - 1);
            while (grown[h]) h = (h + 1) & (cap - 1);
            grown[h] = v;
        }
        free(p->seen);
        p->seen = grown;
        p->seen_cap = cap;
    }
    size_t h = (addr * 2654435761u) & (p->seen_cap - 1);
    while (p->seen[h]) {
        if (p->seen[h] == addr) return 1;
        h = (h + 1) & (p->seen_cap - 1);
    }
    p->seen[h] = addr;
    p->seen_count++;
    return 0;
}

/* ClientType and NapStatus as Export-DhcpServer writes them, by the hook's
 * names; an unknown one reads as the default (dhcp, no quarantine). */
static int powershell_enum(const struct win_enum *e, const char *text, int fallback)
{
    int value = win_enum_from_powershell(e, text);
    return value < 0 ? fallback : value;
}

/* Kea's memfile escaping of hostname and user_context (CSVRow). */
static void csv_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == ',') fputs("&#x2c", f);
        else if (*s == '&') fputs("&#x26", f);
        else fputc(*s, f);
    }
}

struct lease_row {
    uint32_t addr, valid, subnet_id;
    int64_t expire;
    int state;                  /* WIN_KEA_STATE_* */
    struct win_lease ids;
    char hostname[LEASE_HOSTNAME_SIZE];
    cJSON *context;
};

static void write_row(struct lease_pass *p, const struct lease_row *r)
{
    char addr[WIN_IPV4_TEXT], hw[WIN_HEX_TEXT(WIN_HWADDR_MAX)] = "",
         cid[WIN_HEX_TEXT(WIN_CLIENT_ID_MAX)] = "";
    win_ipv4_format(r->addr, addr);
    if (r->ids.hwaddr_len) win_hex_format(r->ids.hwaddr, r->ids.hwaddr_len, hw);
    if (r->ids.client_id_len) win_hex_format(r->ids.client_id, r->ids.client_id_len, cid);
    fprintf(p->csv, "%s,%s,%s,%u,%lld,%u,0,0,", addr, hw, cid, r->valid, (long long)r->expire,
            r->subnet_id);
    csv_escaped(p->csv, r->hostname);
    fprintf(p->csv, ",%d,", r->state);
    if (r->context) {
        char *text = cJSON_PrintUnformatted(r->context);
        if (text) csv_escaped(p->csv, text);
        else p->failed = 1;
        free(text);
    }
    fputs(p->ctx->release == KEA_22 ? "\n" : ",0\n", p->csv);
}

static int parse_time(const char *text, int64_t *out)
{
    char b[48];
    int infinite = 0;
    if (!iv_trim(text, b, sizeof b) || win_datetime_parse(b, out, &infinite) < 0 || infinite)
        return -1;
    return 0;
}

static void reservation_keeps(const struct scope_info *si, uint32_t addr,
                              const struct xnode *lease)
{
    char text[WIN_IPV4_TEXT];
    cJSON *h;
    win_ipv4_format(addr, text);
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(si->subnet, "reservations")) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(h, "ip-address");
        if (!cJSON_IsString(a) || strcmp(a->valuestring, text) != 0) continue;
        cJSON *w = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
                                                        h, "user-context"), "windows");
        cJSON *kept = cJSON_CreateObject();
        for (const struct xnode *c = lease->child; c; c = c->next)
            cJSON_AddStringToObject(kept, c->name, c->text);
        cJSON_DeleteItemFromObjectCaseSensitive(w, "lease");
        cJSON_AddItemToObject(w, "lease", kept);
        return;
    }
}

/* What an exported lease becomes, by its AddressState. */
enum lease_kind { LEASE_SKIPPED, LEASE_ACTIVE, LEASE_RESERVED, LEASE_DECLINED, LEASE_EXPIRED };

static int skip(struct import_ctx *ctx, const char *src, enum report_status status,
                const char *reason_fmt, const char *arg)
{
    report_item(&ctx->report, RK_LEASE, NULL, status, src, NULL, reason_fmt, arg);
    return LEASE_SKIPPED;
}

/* The row's kind, or LEASE_SKIPPED with the report item saying why (a lease
 * outside its scope, an offer, an inactive reservation, a second lease of an
 * address); *addr is the lease's address. */
static enum lease_kind lease_kind(struct lease_pass *p, struct scope_info *si,
                                  const struct xnode *lease, const char *src, uint32_t *addr)
{
    struct import_ctx *ctx = p->ctx;
    const char *state = xn_text(lease, "AddressState");
    if (!si || !si->mapped) return skip(ctx, src, REPORT_NOT_MAPPED, "%s", "its scope is not imported");
    if (iv_ipv4(xn_text(lease, "IPAddress"), addr) < 0)
        return skip(ctx, src, REPORT_NOT_MAPPED, "%s", "IPAddress is not an address");
    if ((*addr & si->mask) != si->network)
        return skip(ctx, src, REPORT_NOT_MAPPED, "the address is outside the scope %s",
                    si->scope_id);
    if (!state) return skip(ctx, src, REPORT_NOT_MAPPED, "%s", "no AddressState");
    if (strcasecmp(state, "Offered") == 0)
        return skip(ctx, src, REPORT_DROPPED, "%s",
                    "an offer in flight is not a lease: the client asks again");
    if (strcasecmp(state, "InactiveReservation") == 0) {
        reservation_keeps(si, *addr, lease);
        return skip(ctx, src, REPORT_NOT_MAPPED, "%s",
                    "a reservation without an active lease: no lease row; its fields are "
                    "kept in the reservation's user-context");
    }
    static const struct { const char *name; enum lease_kind kind; } KINDS[] = {
        {"Active", LEASE_ACTIVE}, {"ActiveReservation", LEASE_RESERVED},
        {"Declined", LEASE_DECLINED}, {"Expired", LEASE_EXPIRED}};
    enum lease_kind kind = LEASE_SKIPPED;
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++)
        if (strcasecmp(state, KINDS[i].name) == 0) kind = KINDS[i].kind;
    if (kind == LEASE_SKIPPED)
        return skip(ctx, src, REPORT_NOT_MAPPED, "AddressState '%s' is not one Windows exports",
                    state);
    if (seen_before(p, *addr))
        return skip(ctx, src, REPORT_DROPPED, "%s", "a lease of this address came first");
    return kind;
}

/* The Windows fields of the record, as a create would give them; r->hostname
 * by the hook's client-name rule, why saying when the name is no DNS name. */
static void windows_fields(const struct xnode *lease, int declined,
                           struct win_client_record *rec, struct lease_row *r, char *why,
                           size_t why_len)
{
    const char *host = xn_text(lease, "HostName"), *comment = xn_text(lease, "Description");
    if (host && *host && !(declined && strcmp(host, "BAD_ADDRESS") == 0)) {
        rec->has_name = 1, rec->name = host;
        if (!lease_windows_hostname(host, r->hostname, sizeof r->hostname))
            snprintf(why, why_len, "HostName is not a DNS name: no Kea hostname; the "
                                   "record keeps it as its client-name");
    }
    if (comment) rec->has_comment = 1, rec->comment = comment;
    rec->has_client_type = 1;
    rec->client_type = powershell_enum(&WIN_ENUM_CLIENT_TYPE, xn_text(lease, "ClientType"),
                                       WIN_CLIENT_TYPE_DHCP);
    rec->has_quarantine_status = 1;
    rec->quarantine_status = powershell_enum(&WIN_ENUM_QUARANTINE_STATUS,
                                             xn_text(lease, "NapStatus"), 0);
    int capable = 0;
    if (iv_bool(xn_text(lease, "NapCapable"), &capable) == 0)
        rec->has_quarantine_capable = 1, rec->quarantine_capable = capable;
    if (xn_text(lease, "ProbationEnds") && parse_time(xn_text(lease, "ProbationEnds"),
                                                      &rec->probation_ends) == 0)
        rec->has_probation_ends = 1;
}

/* The user-context: the hook's "windows" fields, and the export's own under
 * "windows.export". -1 when memory ran out. */
static int lease_context(cJSON **context, const struct win_client_record *rec,
                         int address_state, const struct xnode *lease)
{
    struct win_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (lease_windows_context_set(context, rec, &cfg, address_state) < 0) return -1;
    if (!*context) *context = cJSON_CreateObject();
    cJSON *w = cJSON_GetObjectItemCaseSensitive(*context, LEASE_WINDOWS_KEY);
    if (!w) w = cJSON_AddObjectToObject(*context, LEASE_WINDOWS_KEY);
    cJSON *exported = cJSON_AddObjectToObject(w, "export");
    for (const struct xnode *c = lease->child; c; c = c->next)
        if (!cJSON_HasObjectItem(exported, c->name))
            cJSON_AddStringToObject(exported, c->name, c->text);
    return 0;
}

/* Kea's columns: identity, state, lifetime and expiry. */
static void kea_columns(const struct import_ctx *ctx, const struct scope_info *si,
                        const struct xnode *lease, enum lease_kind kind, const uint8_t *id,
                        size_t id_len, struct lease_row *r)
{
    int64_t expiry = 0;
    int has_expiry = xn_text(lease, "LeaseExpiryTime") &&
                     parse_time(xn_text(lease, "LeaseExpiryTime"), &expiry) == 0;
    r->subnet_id = si->id;
    r->valid = si->valid_lifetime;
    if (kind == LEASE_DECLINED) {
        /* Kea's own declined leases carry no identity and no name. */
        r->state = WIN_KEA_STATE_DECLINED;
        r->valid = DECLINE_PROBATION;
        r->expire = has_expiry ? expiry : ctx->now + DECLINE_PROBATION;
        r->hostname[0] = 0;
        return;
    }
    client_identifier_to_lease(id, id_len, &r->ids);
    r->state = kind == LEASE_EXPIRED ? WIN_KEA_STATE_EXPIRED_RECLAIMED : WIN_KEA_STATE_DEFAULT;
    if (r->valid == 0xffffffffu) r->expire = ctx->now + 0xffffffffLL;
    else if (has_expiry && kind != LEASE_RESERVED) r->expire = expiry;
    else r->expire = ctx->now + r->valid;
    /* cltt = expire - valid may not lie in the future */
    if (r->valid != 0xffffffffu && r->expire - r->valid > ctx->now)
        r->valid = (uint32_t)(r->expire - ctx->now);
}

static int on_lease(void *arg, size_t scope_index, const struct xnode *lease)
{
    struct lease_pass *p = arg;
    struct import_ctx *ctx = p->ctx;
    struct scope_info *si = scope_index < ctx->scope_count ? &ctx->scopes[scope_index] : NULL;
    const char *ip_text = xn_text(lease, "IPAddress");
    char src[SOURCE_MAX], ipbuf[24], kea[64], why[600] = "";
    struct lease_row r;
    memset(&r, 0, sizeof r);
    snprintf(src, sizeof src, "IPv4/Scopes/Scope[ScopeId=%s]/Leases/Lease[IPAddress=%s]",
             si && si->scope_id[0] ? si->scope_id : "?",
             ip_text ? iv_trim(ip_text, ipbuf, sizeof ipbuf) : "");
    export_schema_report_unknown_in_lease(ctx, lease, src);
    progress_tick(p->apply ? NULL : ctx->progress);
    enum lease_kind kind = lease_kind(p, si, lease, src, &r.addr);
    if (kind == LEASE_SKIPPED) return 0;
    int declined = kind == LEASE_DECLINED, expired = kind == LEASE_EXPIRED;

    uint8_t id[WIN_IDENTIFIER_MAX];
    size_t id_len = 0;
    struct win_status st;
    int have_id = xn_text(lease, "ClientId") &&
                  iv_hex_bytes(xn_text(lease, "ClientId"), id, sizeof id, &id_len) == 0 &&
                  client_identifier_check(id, id_len, &st) == 0;
    if (!declined && !have_id)
        return skip(ctx, src, REPORT_NOT_MAPPED, "%s", "ClientId must be 1 to 127 bytes of hex"), 0;
    struct win_client_record rec;
    memset(&rec, 0, sizeof rec);
    windows_fields(lease, declined, &rec, &r, why, sizeof why);
    int address_state = declined ? WIN_ADDRESS_STATE_DECLINED
                        : expired ? WIN_ADDRESS_STATE_DOOM : WIN_ADDRESS_STATE_ACTIVE;
    if (lease_context(&r.context, &rec, address_state, lease) < 0) return -1;
    kea_columns(ctx, si, lease, kind, id, id_len, &r);

    enum report_status status = why[0] ? REPORT_PARTIAL : REPORT_MAPPED;
    if (!declined && !expired && r.expire < ctx->now && r.valid != 0xffffffffu) {
        if (ctx->skip_expired) {
            cJSON_Delete(r.context);
            return skip(ctx, src, REPORT_DROPPED, "%s", "expired before import (--skip-expired)"), 0;
        }
        status = REPORT_PARTIAL;
        snprintf(why + strlen(why), sizeof why - strlen(why), "%sexpired before import; Kea "
                 "removes it at its first reclamation", why[0] ? "; " : "");
    }
    snprintf(kea, sizeof kea, "lease4[%s]", ipbuf);
    if (p->apply) {
        import_apply_add(p->apply, src, lease, &rec, declined, expired, r.expire,
                         r.valid == 0xffffffffu, why, status);
    } else {
        write_row(p, &r);
        report_item(&ctx->report, RK_LEASE, NULL, status, src, kea, "%s", why);
    }
    cJSON_Delete(r.context);
    return 0;
}

int lease_pass_run(struct lease_pass *p, const char *export_path, char *err, size_t err_len)
{
    if (p->csv) fprintf(p->csv, "%s\n", kea_lease_header(p->ctx->release));
    int rc = export_leases_stream(export_path, on_lease, p, err, err_len);
    if (rc == 0 && p->apply) rc = import_apply_flush(p->apply, err, err_len);
    free(p->seen);
    p->seen = NULL;
    if (rc == 0 && p->failed) {
        snprintf(err, err_len, "out of memory");
        rc = -1;
    }
    return rc;
}
