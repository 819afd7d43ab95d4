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
#include "import_apply.h"
#include "lease_windows.h"
#include "value_formats.h"
#include "win_enums.h"

#define DECLINE_PROBATION 86400   /* Kea's decline-probation-period default */

static const char *const KNOWN[] = {
    "IPAddress", "ScopeId", "ClientId", "AddressState", "ClientType", "NapCapable", "DnsRR",
    "DnsRegistration", "LeaseExpiryTime", "ProbationEnds", "NapStatus", "HostName",
    "PolicyName", "Description", NULL};

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

static int client_type_of(const char *text)
{
    static const struct { const char *name; int value; } T[] = {
        {"UnSpecified", WIN_CLIENT_TYPE_UNSPECIFIED}, {"Dhcp", WIN_CLIENT_TYPE_DHCP},
        {"BootP", WIN_CLIENT_TYPE_BOOTP}, {"Both", WIN_CLIENT_TYPE_BOTH},
        {"None", WIN_CLIENT_TYPE_NONE}};
    for (size_t i = 0; text && i < sizeof T / sizeof *T; i++)
        if (strcasecmp(text, T[i].name) == 0) return T[i].value;
    return WIN_CLIENT_TYPE_DHCP;
}

/* MS-DHCPM QuarantineStatus, in the order of Get-DhcpServerv4Lease's names. */
static int quarantine_of(const char *text)
{
    static const char *const N[] = {"FullAccess", "RestrictedAccess", "DropPacket",
                                    "InProbation", "Exempt", "DefaultQuarantineSetting",
                                    "NoQuarantineInfo"};
    for (int i = 0; text && i < (int)(sizeof N / sizeof *N); i++)
        if (strcasecmp(text, N[i]) == 0) return i;
    return 0;
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
    int state;                  /* Kea: 0 default, 1 declined, 2 expired-reclaimed */
    struct win_lease ids;
    char hostname[256];
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

static int on_lease(void *arg, size_t scope_index, const struct xnode *lease)
{
    struct lease_pass *p = arg;
    struct import_ctx *ctx = p->ctx;
    struct scope_info *si = scope_index < ctx->scope_count ? &ctx->scopes[scope_index] : NULL;
    const char *ip_text = xn_text(lease, "IPAddress"), *state = xn_text(lease, "AddressState");
    char src[SOURCE_MAX], ipbuf[24], kea[64], why[600] = "";
    struct lease_row r;
    memset(&r, 0, sizeof r);
    snprintf(src, sizeof src, "IPv4/Scopes/Scope[ScopeId=%s]/Leases/Lease[IPAddress=%s]",
             si && si->scope_id[0] ? si->scope_id : "?",
             ip_text ? iv_trim(ip_text, ipbuf, sizeof ipbuf) : "");
    import_unknown_children(ctx, lease, src, KNOWN);
#define SKIP(status, ...)                                                                  \
    do {                                                                                   \
        report_item(&ctx->report, RK_LEASE, NULL, status, src, NULL, __VA_ARGS__);         \
        return 0;                                                                          \
    } while (0)
    if (!si || !si->mapped) SKIP(REPORT_NOT_MAPPED, "its scope is not imported");
    if (iv_ipv4(ip_text, &r.addr) < 0) SKIP(REPORT_NOT_MAPPED, "IPAddress is not an address");
    if ((r.addr & si->mask) != si->network)
        SKIP(REPORT_NOT_MAPPED, "the address is outside the scope %s", si->scope_id);
    if (!state) SKIP(REPORT_NOT_MAPPED, "no AddressState");
    if (strcasecmp(state, "Offered") == 0)
        SKIP(REPORT_DROPPED, "an offer in flight is not a lease: the client asks again");
    if (strcasecmp(state, "InactiveReservation") == 0) {
        reservation_keeps(si, r.addr, lease);
        SKIP(REPORT_NOT_MAPPED, "a reservation without an active lease: no lease row; its "
                                "fields are kept in the reservation's user-context");
    }
    int active = strcasecmp(state, "Active") == 0, reserved = strcasecmp(state, "ActiveReservation") == 0,
        declined = strcasecmp(state, "Declined") == 0, expired = strcasecmp(state, "Expired") == 0;
    if (!active && !reserved && !declined && !expired)
        SKIP(REPORT_NOT_MAPPED, "AddressState '%s' is not one Windows exports", state);
    if (seen_before(p, r.addr)) SKIP(REPORT_DROPPED, "a lease of this address came first");

    /* The Windows fields, as the hook stores them. */
    struct win_client_record rec;
    memset(&rec, 0, sizeof rec);
    const char *host = xn_text(lease, "HostName"), *comment = xn_text(lease, "Description");
    uint8_t id[WIN_IDENTIFIER_MAX];
    size_t id_len = 0;
    struct win_status st;
    int have_id = xn_text(lease, "ClientId") &&
                  iv_hex_bytes(xn_text(lease, "ClientId"), id, sizeof id, &id_len) == 0 &&
                  client_identifier_check(id, id_len, &st) == 0;
    if (!declined && !have_id)
        SKIP(REPORT_NOT_MAPPED, "ClientId must be 1 to 127 bytes of hex");
    if (host && *host && !(declined && strcmp(host, "BAD_ADDRESS") == 0)) {
        if (iv_hostname(host, r.hostname, sizeof r.hostname)) {
            rec.has_name = 1, rec.name = host;
        } else {
            snprintf(why, sizeof why, "HostName is not a DNS name: kept in user-context only");
        }
    }
    if (comment) rec.has_comment = 1, rec.comment = comment;
    rec.has_client_type = 1;
    rec.client_type = client_type_of(xn_text(lease, "ClientType"));
    rec.has_quarantine_status = 1;
    rec.quarantine_status = quarantine_of(xn_text(lease, "NapStatus"));
    int capable = 0;
    if (iv_bool(xn_text(lease, "NapCapable"), &capable) == 0)
        rec.has_quarantine_capable = 1, rec.quarantine_capable = capable;
    if (xn_text(lease, "ProbationEnds") && parse_time(xn_text(lease, "ProbationEnds"),
                                                      &rec.probation_ends) == 0)
        rec.has_probation_ends = 1;
    struct win_config cfg;
    memset(&cfg, 0, sizeof cfg);
    int address_state = declined ? WIN_ADDRESS_STATE_DECLINED
                        : expired ? WIN_ADDRESS_STATE_DOOM : WIN_ADDRESS_STATE_ACTIVE;
    if (lease_windows_context_set(&r.context, &rec, &cfg, address_state) < 0) return -1;
    if (!r.context) r.context = cJSON_CreateObject();
    cJSON *w = cJSON_GetObjectItemCaseSensitive(r.context, LEASE_WINDOWS_KEY);
    if (!w) w = cJSON_AddObjectToObject(r.context, LEASE_WINDOWS_KEY);
    cJSON *exported = cJSON_AddObjectToObject(w, "export");
    for (const struct xnode *c = lease->child; c; c = c->next)
        if (!cJSON_HasObjectItem(exported, c->name))
            cJSON_AddStringToObject(exported, c->name, c->text);

    /* Kea's columns. */
    int64_t expiry = 0;
    int has_expiry = xn_text(lease, "LeaseExpiryTime") &&
                     parse_time(xn_text(lease, "LeaseExpiryTime"), &expiry) == 0;
    r.subnet_id = si->id;
    r.valid = si->valid_lifetime;
    if (declined) {
        /* Kea's own declined leases carry no identity and no name. */
        r.state = 1;
        r.valid = DECLINE_PROBATION;
        r.expire = has_expiry ? expiry : ctx->now + DECLINE_PROBATION;
        r.hostname[0] = 0;
    } else {
        client_identifier_to_lease(id, id_len, &r.ids);
        r.state = expired ? 2 : 0;
        if (r.valid == 0xffffffffu) r.expire = ctx->now + 0xffffffffLL;
        else if (has_expiry && !reserved) r.expire = expiry;
        else r.expire = ctx->now + r.valid;
        /* cltt = expire - valid may not lie in the future */
        if (r.valid != 0xffffffffu && r.expire - r.valid > ctx->now)
            r.valid = (uint32_t)(r.expire - ctx->now);
    }
    enum report_status status = why[0] ? REPORT_PARTIAL : REPORT_MAPPED;
    if (!declined && !expired && r.expire < ctx->now && r.valid != 0xffffffffu) {
        if (ctx->skip_expired) {
            cJSON_Delete(r.context);
            SKIP(REPORT_DROPPED, "expired before import (--skip-expired)");
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
#undef SKIP
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
