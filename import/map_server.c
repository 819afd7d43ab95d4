/* The server level of an export: settings, server option values, policies,
 * MAC filters, the IPv6 section, and what the export never holds
 * (windows-export.md sections 2.1, 2.8, 2.9, 2.12); classes are
 * map_classes.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"
#include "value_formats.h"

static const struct xnode *v4(const struct import_ctx *ctx)
{
    return xn_child(ctx->tree.root, "IPv4");
}

/* ---- policies ----------------------------------------------------------------- */

static int cat(char *out, size_t len, const char *text)
{
    size_t n = strlen(out), t = strlen(text);
    if (n + t + 1 > len) return -1;
    memcpy(out + n, text, t + 1);
    return 0;
}

/* One value of a condition as an expression over field, wildcards '*' at
 * either end meaning "begins with" / "ends with". */
static int hex_condition(const char *field, const char *value, char *out, size_t len)
{
    char b[300], hex[600];
    uint8_t bytes[128];
    size_t n;
    const char *v = iv_trim(value, b, sizeof b);
    int prefix = 0, suffix = 0;
    size_t vl = strlen(v);
    if (vl && v[vl - 1] == '*') prefix = 1, b[--vl] = 0;
    if (vl && v[0] == '*') suffix = 1, v++;
    /* "00-15-5D-*": the separator before a wildcard goes with it */
    while (prefix && vl && (b[vl - 1] == '-' || b[vl - 1] == ':')) b[--vl] = 0;
    while (suffix && (*v == '-' || *v == ':')) v++;
    if (prefix && suffix) return -1;
    if (win_hex_parse(v, bytes, sizeof bytes, &n) < 0) return -1;
    win_hex_format(bytes, n, hex);
    char plain[300];
    size_t o = 0;
    for (const char *p = hex; *p; p++)
        if (*p != ':') plain[o++] = *p;
    plain[o] = 0;
    if (prefix) snprintf(out, len, "substring(%s,0,%zu) == 0x%s", field, n, plain);
    else if (suffix) snprintf(out, len, "substring(%s,-%zu,all) == 0x%s", field, n, plain);
    else snprintf(out, len, "%s == 0x%s", field, plain);
    return 0;
}

/* The policy's conditions as one expression; -1 with why. */
static int policy_expression(struct import_ctx *ctx, const struct xnode *p, char *out,
                             size_t len, char *why, size_t why_len)
{
    static const struct { const char *element, *field; } FIELDS[] = {
        {"VendorClass", NULL}, {"UserClass", NULL}, {"MacAddress", "pkt4.mac"},
        {"ClientId", "substring(option[61].hex,1,all)"}, {"RelayAgent", "option[82].hex"},
        {"CircuitId", "relay4[1].hex"}, {"RemoteId", "relay4[2].hex"},
        {"SubscriberId", "relay4[6].hex"}, {"Fqdn", NULL}};
    const char *cond = xn_text(p, "Condition");
    const char *join = cond && strcasecmp(cond, "OR") == 0 ? " or " : " and ";
    int groups = 0;
    out[0] = 0;
    for (size_t f = 0; f < sizeof FIELDS / sizeof *FIELDS; f++) {
        const struct xnode *c = xn_child(p, FIELDS[f].element);
        while (c) {
            char op[8];
            iv_trim(c->text, op, sizeof op);
            if (strcasecmp(op, "EQ") != 0 && strcasecmp(op, "NE") != 0) {
                snprintf(why, why_len, "%s: a value without EQ or NE before it",
                         FIELDS[f].element);
                return -1;
            }
            if (strcmp(FIELDS[f].element, "Fqdn") == 0) {
                snprintf(why, why_len, "Kea has no expression for a Fqdn condition");
                return -1;
            }
            int ne = strcasecmp(op, "NE") == 0, values = 0;
            char group[EXPR_MAX] = "";
            for (c = xn_next_same(c); c; c = xn_next_same(c)) {
                char v[EXPR_MAX], t[8];
                iv_trim(c->text, t, sizeof t);
                if (strcasecmp(t, "EQ") == 0 || strcasecmp(t, "NE") == 0) break;
                int rc = FIELDS[f].field ? hex_condition(FIELDS[f].field, c->text, v, sizeof v)
                                         : map_class_test(ctx, c->text, v, sizeof v);
                if (rc < 0) {
                    snprintf(why, why_len, "%s value '%s' has no Kea form", FIELDS[f].element,
                             c->text);
                    return -1;
                }
                if ((values++ && cat(group, sizeof group, ne ? " and " : " or ") < 0) ||
                    (ne && cat(group, sizeof group, "not (") < 0) ||
                    cat(group, sizeof group, v) < 0 || (ne && cat(group, sizeof group, ")") < 0))
                    goto too_long;
            }
            if (!values) {
                snprintf(why, why_len, "%s: %s without a value", FIELDS[f].element, op);
                return -1;
            }
            if ((groups++ && cat(out, len, join) < 0) || cat(out, len, "(") < 0 ||
                cat(out, len, group) < 0 || cat(out, len, ")") < 0)
                goto too_long;
        }
    }
    if (!groups) {
        snprintf(why, why_len, "a policy without conditions");
        return -1;
    }
    return 0;
too_long:
    snprintf(why, why_len, "its conditions are too long");
    return -1;
}

static int by_order(const void *a, const void *b)
{
    const struct xnode *x = *(const struct xnode *const *)a, *y = *(const struct xnode *const *)b;
    uint64_t ox = 0, oy = 0;
    iv_uint(xn_text(x, "ProcessingOrder"), 0xffffffffu, &ox);
    iv_uint(xn_text(y, "ProcessingOrder"), 0xffffffffu, &oy);
    return ox < oy ? -1 : ox > oy ? 1 : x->line - y->line;
}

void map_policies(struct import_ctx *ctx, const struct xnode *policies, const char *source,
                  int active, const struct scope_info *scope, cJSON *subnet)
{
    size_t n = 0, i;
    for (const struct xnode *p = xn_child(policies, "Policy"); p; p = xn_next_same(p)) n++;
    if (!n) return;
    const struct xnode **sorted = calloc(n, sizeof *sorted);
    if (!sorted) return;
    n = 0;
    for (const struct xnode *p = xn_child(policies, "Policy"); p; p = xn_next_same(p))
        sorted[n++] = p;
    qsort(sorted, n, sizeof *sorted, by_order);
    for (i = 0; i < n; i++) {
        const struct xnode *p = sorted[i];
        const char *name = xn_text(p, "Name") ? xn_text(p, "Name") : "";
        char src[SOURCE_MAX], expr[EXPR_MAX], why[300], kname[400], kea[500];
        int enabled = 1;
        snprintf(src, sizeof src, "%s/Policies/Policy[Name=%s]", source, name);
        iv_bool(xn_text(p, "Enabled"), &enabled);
        if (!active || !enabled) {
            report_item(&ctx->report, RK_POLICY, NULL, REPORT_NOT_MAPPED, src, NULL, "%s",
                        !enabled ? "the policy is disabled" : "ActivatePolicies is false here");
            continue;
        }
        if (policy_expression(ctx, p, expr, sizeof expr, why, sizeof why) < 0) {
            report_item(&ctx->report, RK_POLICY, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "%s; recreate it by hand as a Kea client class", why);
            continue;
        }
        snprintf(kname, sizeof kname, "ms-policy:%s:%s", scope ? scope->scope_id : "server", name);
        if (map_kea_class(ctx, kname)) {
            report_item(&ctx->report, RK_POLICY, NULL, REPORT_DROPPED, src, NULL,
                        "a policy of the same name came first");
            continue;
        }
        cJSON *k = cJSON_CreateObject();
        cJSON_AddStringToObject(k, "name", kname);
        cJSON_AddStringToObject(k, "test", expr);
        cJSON *w = cJSON_AddObjectToObject(cJSON_AddObjectToObject(k, "user-context"), "windows");
        cJSON_AddStringToObject(w, "policy", name);
        if (xn_text(p, "ProcessingOrder"))
            cJSON_AddStringToObject(w, "processing-order", xn_text(p, "ProcessingOrder"));
        if (scope) {
            /* Evaluated only for this subnet's clients. */
            cJSON_AddTrueToObject(k, kea_key_only_when_required(ctx->release));
            cJSON *req = cJSON_GetObjectItemCaseSensitive(subnet,
                                                          kea_key_require_classes(ctx->release));
            if (!req) req = cJSON_AddArrayToObject(subnet, kea_key_require_classes(ctx->release));
            cJSON_AddItemToArray(req, cJSON_CreateString(kname));
        }
        cJSON_AddItemToArray(ctx->classes, k);
        snprintf(kea, sizeof kea, "Dhcp4/client-classes[name=%s]", kname);
        map_option_values(ctx, xn_child(p, "OptionValues"), src, "policy", k, kea, scope);
        char differs[300] = "";
        if (xn_child(p, "IPRanges"))
            cat(differs, sizeof differs, "its IP ranges are not generated (its options apply "
                                         "in the whole scope); ");
        if (xn_text(p, "DnsSuffix") && *xn_text(p, "DnsSuffix"))
            cat(differs, sizeof differs, "DnsSuffix has no per-class Kea setting; ");
        report_item(&ctx->report, RK_POLICY, NULL, differs[0] ? REPORT_PARTIAL : REPORT_MAPPED,
                    src, kea, "%s%s", differs,
                    "Kea gives class options less weight than subnet options");
    }
    free(sorted);
}

/* ---- MAC filters -------------------------------------------------------------- */

static void map_filters(struct import_ctx *ctx)
{
    const struct xnode *f = xn_child(v4(ctx), "Filters");
    int allow = 0, deny = 0;
    char deny_expr[EXPR_MAX] = "", allow_expr[EXPR_MAX] = "";
    size_t allows = 0, denies = 0;
    if (!f) return;
    iv_bool(xn_text(f, "Allow"), &allow);
    iv_bool(xn_text(f, "Deny"), &deny);
    for (const struct xnode *e = xn_child(f, "Filter"); e; e = xn_next_same(e)) {
        const char *list = xn_text(e, "List"), *mac = xn_text(e, "MacAddress");
        char src[SOURCE_MAX], v[600];
        snprintf(src, sizeof src, "IPv4/Filters/Filter[MacAddress=%s]", mac ? mac : "");
        int is_allow = list && strcasecmp(list, "Allow") == 0;
        if (!list || (!is_allow && strcasecmp(list, "Deny") != 0) || !mac ||
            hex_condition("pkt4.mac", mac, v, sizeof v) < 0) {
            report_item(&ctx->report, RK_FILTER, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "a filter needs List Allow or Deny and a MacAddress");
            continue;
        }
        if (!(is_allow ? allow : deny)) {
            report_item(&ctx->report, RK_FILTER, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "the %s list is not enabled (Filters/%s is false)", list, list);
            continue;
        }
        char *expr = is_allow ? allow_expr : deny_expr;
        size_t *count = is_allow ? &allows : &denies;
        if ((*count && cat(expr, EXPR_MAX, " or ") < 0) || cat(expr, EXPR_MAX, v) < 0) {
            report_item(&ctx->report, RK_FILTER, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "too many filters for one Kea expression");
            continue;
        }
        (*count)++;
        report_item(&ctx->report, RK_FILTER, NULL, REPORT_MAPPED, src,
                    "Dhcp4/client-classes[name=DROP]", "%s",
                    is_allow ? "a client not on the allow list is dropped"
                             : "this client is dropped");
    }
    if (allow && !allows)
        report_item(&ctx->report, RK_OTHER, "setting", REPORT_NOT_MAPPED, "IPv4/Filters/Allow",
                    NULL, "the allow list is enabled but empty: Windows serves no client at "
                    "all; not generated (Kea would drop every client)");
    if (!allows && !denies) return;
    char test[2 * EXPR_MAX + 32] = "";
    if (denies) snprintf(test, sizeof test, "%s", deny_expr);
    if (allows)
        snprintf(test + strlen(test), sizeof test - strlen(test), "%snot (%s)",
                 denies ? " or " : "", allow_expr);
    cJSON *k = cJSON_CreateObject();
    cJSON_AddStringToObject(k, "name", "DROP");
    cJSON_AddStringToObject(k, "test", test);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(k, "user-context"), "comment",
                            "Windows MAC filters: deny list, and not on the allow list");
    cJSON_AddItemToArray(ctx->classes, k);
}

/* ---- the server level --------------------------------------------------------- */

static void map_settings(struct import_ctx *ctx)
{
    const struct xnode *s = v4(ctx);
    uint64_t attempts = 0;
    int nap = 0;
    cJSON *w = cJSON_AddObjectToObject(cJSON_AddObjectToObject(ctx->dhcp4, "user-context"),
                                       "windows-export");
    const char *root_fields[] = {"MajorVersion", "MinorVersion"};
    for (size_t i = 0; i < 2; i++)
        if (xn_text(ctx->tree.root, root_fields[i]))
            cJSON_AddStringToObject(w, i ? "minor-version" : "major-version",
                                    xn_text(ctx->tree.root, root_fields[i]));
    static const struct { const char *element, *key; } KEEP[] = {
        {"ConflictDetectionAttempts", "conflict-detection-attempts"},
        {"NapEnabled", "nap-enabled"}, {"NpsUnreachableAction", "nps-unreachable-action"},
        {"ActivatePolicies", "activate-policies"}};
    for (size_t i = 0; i < sizeof KEEP / sizeof *KEEP; i++)
        if (xn_text(s, KEEP[i].element))
            cJSON_AddStringToObject(w, KEEP[i].key, xn_text(s, KEEP[i].element));
    if (iv_uint(xn_text(s, "ConflictDetectionAttempts"), 5, &attempts) == 0 && attempts > 0) {
        if (ctx->release == KEA_30)
            report_item(&ctx->report, RK_OTHER, "setting", REPORT_PARTIAL,
                        "IPv4/ConflictDetectionAttempts", "hooks-libraries[libdhcp_ping_check.so]",
                        "Kea's ping check (min-ping-requests %llu): it pings before offering, "
                        "as Windows does, and needs raw-socket rights",
                        (unsigned long long)attempts);
        else
            report_item(&ctx->report, RK_OTHER, "setting", REPORT_NOT_MAPPED,
                        "IPv4/ConflictDetectionAttempts", NULL,
                        "Kea %s has no open-source ping check (Kea 3.0 ships libdhcp_ping_check)",
                        kea_release_name(ctx->release));
    }
    if (iv_bool(xn_text(s, "NapEnabled"), &nap) == 0 && nap)
        report_item(&ctx->report, RK_OTHER, "setting", REPORT_NOT_MAPPED, "IPv4/NapEnabled", NULL,
                    "NAP was removed from Windows and Kea has no equivalent");
}

void map_server(struct import_ctx *ctx)
{
    int active = 1;
    if (!v4(ctx)) return;
    map_settings(ctx);
    map_option_defs(ctx);
    iv_bool(xn_text(v4(ctx), "ActivatePolicies"), &active);
    map_policies(ctx, xn_child(v4(ctx), "Policies"), "IPv4", active, NULL, NULL);
    map_option_values(ctx, xn_child(v4(ctx), "OptionValues"), "IPv4", "server", ctx->dhcp4,
                      "Dhcp4", NULL);
    map_filters(ctx);
}

void map_not_in_export(struct import_ctx *ctx)
{
    const struct xnode *v6 = xn_child(ctx->tree.root, "IPv6");
    if (v6) {
        size_t scopes = 0, reservations = 0;
        for (const struct xnode *s = xn_child(xn_child(v6, "Scopes"), "Scope"); s;
             s = xn_next_same(s)) {
            scopes++;
            for (const struct xnode *r = xn_child(xn_child(s, "Reservations"), "Reservation"); r;
                 r = xn_next_same(r))
                reservations++;
        }
        report_item(&ctx->report, RK_OTHER, "ipv6", REPORT_NOT_MAPPED, "IPv6", NULL,
                    "DHCPv6 is kea-dhcp6's, not this tool's: %zu scopes, %zu reservations, "
                    "%zu leases in the export", scopes, reservations, ctx->tree.v6_leases);
    }
    if (v4(ctx) && !ctx->tree.has_v4_leases_element && xn_child(xn_child(v4(ctx), "Scopes"), "Scope"))
        report_item(&ctx->report, RK_OTHER, "export", REPORT_NOT_MAPPED, "IPv4/Scopes", NULL,
                    "the export contains no Leases elements: it was made without -Leases, so "
                    "no lease is imported");
    static const struct { const char *what, *why; } ABSENT[] = {
        {"failover", "Export-DhcpServer does not write failover relationships: re-create them "
                     "with win-failover-relationship-create (Kea HA)"},
        {"dns-settings", "Export-DhcpServer does not write DNS update settings: DNS updates are "
                         "off in the generated server (configure kea-dhcp-ddns by hand)"},
        {"bindings", "interfaces-config is empty: list the interfaces Kea must serve"},
        {"multicast-scopes", "multicast (MADCAP) scopes are not exported and Kea has none"}};
    for (size_t i = 0; i < sizeof ABSENT / sizeof *ABSENT; i++) {
        char src[64];
        snprintf(src, sizeof src, "(not in the export: %s)", ABSENT[i].what);
        report_item(&ctx->report, RK_OTHER, "export", REPORT_NOT_MAPPED, src, NULL, "%s",
                    ABSENT[i].why);
    }
}
