#include "export_schema.h"

#include <stdio.h>
#include <string.h>

/* An element that holds others: their names, and the child whose text is
 * the element's key in report paths (Scope[ScopeId=...]); extra keys follow
 * when present (OptionValue[OptionId=3,VendorClass=...]). An element named
 * in a list but without an entry of its own holds text only. */
struct schema_entry {
    const char *name;
    const char *key, *extra_keys[2];
    const char *const *children;
};

#define LIST(...) (const char *const[]){__VA_ARGS__, NULL}

static const struct schema_entry V4[] = {
    {"IPv4", NULL, {NULL}, LIST("ConflictDetectionAttempts", "NapEnabled",
                               "NpsUnreachableAction", "ActivatePolicies", "Classes",
                               "OptionDefinitions", "Policies", "OptionValues", "Filters",
                               "Scopes")},
    {"Classes", NULL, {NULL}, LIST("Class")},
    {"Class", "Name", {NULL}, LIST("Name", "Type", "Data", "Description")},
    {"OptionDefinitions", NULL, {NULL}, LIST("OptionDefinition")},
    {"OptionDefinition", "OptionId", {"VendorClass"},
     LIST("Name", "OptionId", "Type", "MultiValued", "DefaultValue", "Description",
          "VendorClass")},
    {"Policies", NULL, {NULL}, LIST("Policy")},
    {"Policy", "Name", {NULL},
     LIST("Name", "ProcessingOrder", "Enabled", "Condition", "Description", "VendorClass",
          "UserClass", "MacAddress", "ClientId", "RelayAgent", "CircuitId", "RemoteId",
          "SubscriberId", "Fqdn", "DnsSuffix", "IPRanges", "OptionValues")},
    {"IPRanges", NULL, {NULL}, LIST("IPRange")},
    {"ExclusionRanges", NULL, {NULL}, LIST("IPRange")},
    {"IPRange", "StartRange", {NULL}, LIST("StartRange", "EndRange")},
    {"OptionValues", NULL, {NULL}, LIST("OptionValue")},
    {"OptionValue", "OptionId", {"VendorClass", "UserClass"},
     LIST("OptionId", "Value", "VendorClass", "UserClass")},
    {"Filters", NULL, {NULL}, LIST("Allow", "Deny", "Filter")},
    {"Filter", "MacAddress", {NULL}, LIST("List", "MacAddress", "Description")},
    {"Scopes", NULL, {NULL}, LIST("Scope")},
    {"Scope", "ScopeId", {NULL},
     LIST("ScopeId", "Name", "SubnetMask", "StartRange", "EndRange", "LeaseDuration", "State",
          "Type", "MaxBootpClients", "NapEnable", "Delay", "NapProfile", "Description",
          "ActivatePolicies", "SuperScopeName", "ExclusionRanges", "Policies", "OptionValues",
          "Reservations", "Leases")},
    {"Reservations", NULL, {NULL}, LIST("Reservation")},
    {"Reservation", "IPAddress", {NULL},
     LIST("Name", "IPAddress", "ClientId", "Type", "ClientDuid", "IAID", "Description",
          "OptionValues")},
    {"Leases", NULL, {NULL}, LIST("Lease")},
    {"Lease", "IPAddress", {NULL},
     LIST("IPAddress", "ScopeId", "ClientId", "AddressState", "ClientType", "NapCapable",
          "DnsRR", "DnsRegistration", "LeaseExpiryTime", "ProbationEnds", "NapStatus",
          "HostName", "PolicyName", "Description")},
    {NULL, NULL, {NULL}, NULL}};

/* The IPv6 section is not converted (one item says so), but its elements are
 * checked all the same. */
static const struct schema_entry V6[] = {
    {"IPv6", NULL, {NULL}, LIST("Classes", "OptionDefinitions", "OptionValues",
                               "StatelessStore", "Scopes")},
    {"Classes", NULL, {NULL}, LIST("Class")},
    {"Class", "Name", {NULL}, LIST("Name", "Type", "Data", "Description", "VendorId")},
    {"OptionDefinitions", NULL, {NULL}, LIST("OptionDefinition")},
    {"OptionDefinition", "OptionId", {"VendorClass"},
     LIST("Name", "OptionId", "Type", "MultiValued", "DefaultValue", "Description",
          "VendorClass")},
    {"OptionValues", NULL, {NULL}, LIST("OptionValue")},
    {"OptionValue", "OptionId", {"VendorClass", "UserClass"},
     LIST("OptionId", "Value", "VendorClass", "UserClass")},
    {"StatelessStore", NULL, {NULL}, LIST("Enabled", "PurgeInterval")},
    {"Scopes", NULL, {NULL}, LIST("Scope")},
    {"Scope", "Prefix", {NULL},
     LIST("Prefix", "Name", "Preference", "State", "PreferredLifeTime", "ValidLifeTime", "T1",
          "T2", "Description", "ExclusionRanges", "OptionValues", "Reservations",
          "StatelessStore", "Leases")},
    {"ExclusionRanges", NULL, {NULL}, LIST("IPRange")},
    {"IPRange", "StartRange", {NULL}, LIST("StartRange", "EndRange")},
    {"Reservations", NULL, {NULL}, LIST("Reservation")},
    {"Reservation", "IPAddress", {NULL},
     LIST("Name", "IPAddress", "ClientDuid", "IAID", "Description", "OptionValues")},
    {"Leases", NULL, {NULL}, LIST("Lease")},
    {"Lease", "IPAddress", {NULL},
     LIST("IPAddress", "ClientDuid", "IAID", "AddressType", "HostName", "LeaseExpiryTime",
          "Description")},
    {NULL, NULL, {NULL}, NULL}};

static const struct schema_entry *entry(const struct schema_entry *table, const char *name)
{
    for (; table->name; table++)
        if (strcmp(table->name, name) == 0) return table;
    return NULL;
}

static int holds(const struct schema_entry *e, const char *name)
{
    for (const char *const *c = e ? e->children : NULL; c && *c; c++)
        if (strcmp(*c, name) == 0) return 1;
    return 0;
}

static void report_unknown(struct import_ctx *ctx, const struct xnode *n, const char *path)
{
    char src[SOURCE_MAX];
    snprintf(src, sizeof src, "%s/%s", path, n->name);
    report_item(&ctx->report, RK_OTHER, "unknown-element", REPORT_NOT_MAPPED, src, NULL,
                "line %d: an element Export-DhcpServer does not write here; neither it nor "
                "anything inside it was read", n->line);
}

/* n's path segment: its name, with its keys in brackets for a record. */
static void segment(const struct schema_entry *e, const struct xnode *n, char *out, size_t len)
{
    char trimmed[SOURCE_MAX];
    if (!e || !e->key) {
        snprintf(out, len, "%s", n->name);
        return;
    }
    const char *key = xn_text(n, e->key);
    int o = snprintf(out, len, "%s[%s=%s", n->name, e->key,
                     key ? iv_trim(key, trimmed, sizeof trimmed) : "");
    for (int i = 0; i < 2 && e->extra_keys[i]; i++) {
        const char *extra = xn_text(n, e->extra_keys[i]);
        if (extra && *extra && o > 0 && (size_t)o < len)
            o += snprintf(out + o, len - (size_t)o, ",%s=%s", e->extra_keys[i], extra);
    }
    if (o > 0 && (size_t)o < len) snprintf(out + o, len - (size_t)o, "]");
}

/* n is known; its children are checked against its entry (none: text only). */
static void walk(struct import_ctx *ctx, const struct schema_entry *table,
                 const struct xnode *n, const char *path)
{
    const struct schema_entry *e = entry(table, n->name);
    for (const struct xnode *c = n->child; c; c = c->next) {
        if (!holds(e, c->name)) {
            report_unknown(ctx, c, path);
            continue;
        }
        char seg[SOURCE_MAX], child_path[SOURCE_MAX];
        segment(entry(table, c->name), c, seg, sizeof seg);
        snprintf(child_path, sizeof child_path, "%s/%s", path, seg);
        walk(ctx, table, c, child_path);
    }
}

void export_schema_report_unknown(struct import_ctx *ctx)
{
    const struct xnode *root = ctx->tree.root;
    for (const struct xnode *c = root->child; c; c = c->next) {
        if (strcmp(c->name, "IPv4") == 0) walk(ctx, V4, c, "IPv4");
        else if (strcmp(c->name, "IPv6") == 0) walk(ctx, V6, c, "IPv6");
        else if (strcmp(c->name, "MajorVersion") == 0 || strcmp(c->name, "MinorVersion") == 0)
            walk(ctx, V4, c, c->name);   /* text only */
        else report_unknown(ctx, c, "DHCPServer");
    }
}

void export_schema_report_unknown_in_lease(struct import_ctx *ctx, const struct xnode *lease,
                                           const char *source)
{
    walk(ctx, V4, lease, source);
}
