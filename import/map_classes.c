/* The export's classes (IPv4/Classes, windows-export.md section 2.5) as Kea
 * client classes: made when an option value or a policy first names one, and
 * reported once every value has been mapped. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "import.h"

/* IPv4/Classes/Class, the first of them. */
static const struct xnode *first_class(const struct import_ctx *ctx)
{
    return xn_child(xn_child(xn_child(ctx->tree.root, "IPv4"), "Classes"), "Class");
}

static const struct xnode *windows_class(const struct import_ctx *ctx, const char *name)
{
    for (const struct xnode *c = first_class(ctx); c; c = xn_next_same(c)) {
        const char *n = xn_text(c, "Name");
        if (n && strcmp(n, name) == 0) return c;
    }
    return NULL;
}

/* "0x4d53465420352e30" -> bytes; the hex text (lower case, no 0x) into hex. */
static int class_data(const struct xnode *c, char *hex, size_t hex_len, size_t *bytes)
{
    char b[600];
    const char *p = iv_trim(xn_text(c, "Data"), b, sizeof b);
    size_t n = 0;
    if (!p) return -1;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) p += 2;
    for (; *p; p++) {
        char ch = (char)((*p >= 'A' && *p <= 'F') ? *p + 32 : *p);
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')) || n + 2 > hex_len) return -1;
        hex[n++] = ch;
    }
    hex[n] = 0;
    if (!n || n % 2) return -1;
    *bytes = n / 2;
    return 0;
}

static int is_bootp_class(const struct xnode *c, const char *hex)
{
    const char *type = xn_text(c, "Type");
    /* "BOOTP.Microsoft" */
    return type && strcasecmp(type, "User") == 0 &&
           strcmp(hex, "424f4f54502e4d6963726f736f6674") == 0;
}

cJSON *map_kea_class(struct import_ctx *ctx, const char *name)
{
    cJSON *c;
    cJSON_ArrayForEach(c, ctx->classes) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return c;
    }
    return NULL;
}

/* The class's test: vendor classes match option 60 by prefix (Windows'
 * "MSFT" covers "MSFT 5.0"), user classes option 77 whole. */
static int class_test(const struct xnode *c, char *out, size_t len)
{
    char hex[520];
    size_t n;
    const char *type = xn_text(c, "Type");
    if (!type || class_data(c, hex, sizeof hex, &n) < 0) return -1;
    if (strcasecmp(type, "Vendor") == 0)
        snprintf(out, len, "substring(option[60].hex,0,%zu) == 0x%s", n, hex);
    else if (strcasecmp(type, "User") == 0)
        snprintf(out, len, "option[77].hex == 0x%s", hex);
    else
        return -1;
    return 0;
}

int map_class_test(struct import_ctx *ctx, const char *windows_name, char *out, size_t len)
{
    char b[300];
    const struct xnode *c = windows_class(ctx, iv_trim(windows_name, b, sizeof b));
    return c ? class_test(c, out, len) : -1;
}

static void kea_class_name(const struct xnode *c, char *out, size_t len)
{
    char hex[520];
    size_t n;
    const char *type = xn_text(c, "Type"), *name = xn_text(c, "Name");
    if (class_data(c, hex, sizeof hex, &n) == 0 && is_bootp_class(c, hex))
        snprintf(out, len, "BOOTP");
    else
        snprintf(out, len, "ms-%s:%s", type && strcasecmp(type, "Vendor") == 0 ? "vendor" : "user",
                 name ? name : "");
}

cJSON *map_class_for(struct import_ctx *ctx, const char *windows_name)
{
    const struct xnode *c = windows_class(ctx, windows_name);
    char name[300], test[EXPR_MAX], hex[520];
    size_t n;
    if (!c || class_data(c, hex, sizeof hex, &n) < 0 || class_test(c, test, sizeof test) < 0)
        return NULL;
    kea_class_name(c, name, sizeof name);
    cJSON *k = map_kea_class(ctx, name);
    if (k) return k;
    k = cJSON_CreateObject();
    cJSON_AddStringToObject(k, "name", name);
    if (is_bootp_class(c, hex)) ctx->need_bootp = 1;   /* libdhcp_bootp.so assigns BOOTP */
    else cJSON_AddStringToObject(k, "test", test);
    cJSON *w = cJSON_AddObjectToObject(cJSON_AddObjectToObject(k, "user-context"), "windows");
    cJSON_AddStringToObject(w, "name", windows_name);
    cJSON_AddStringToObject(w, "type", xn_text(c, "Type"));
    if (xn_text(c, "Description") && *xn_text(c, "Description"))
        cJSON_AddStringToObject(w, "description", xn_text(c, "Description"));
    cJSON_AddItemToArray(ctx->classes, k);
    return k;
}

const char *map_inactive_class(struct import_ctx *ctx)
{
    static const char NAME[] = "ms-inactive-scope";
    if (!map_kea_class(ctx, NAME)) {
        /* No test: no packet is ever in it, so a subnet restricted to it
         * serves nobody while its reservations and leases stay. */
        cJSON *k = cJSON_CreateObject();
        cJSON_AddStringToObject(k, "name", NAME);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(k, "user-context"), "comment",
                                "never assigned: restricts the subnets of inactive Windows scopes");
        cJSON_AddItemToArray(ctx->classes, k);
    }
    return NAME;
}

static int builtin_class(const char *name)
{
    static const char *const B[] = {"Default Routing and Remote Access Class",
                                    "Default BOOTP Class", "Microsoft Windows 2000 Options",
                                    "Microsoft Windows 98 Options", "Microsoft Options", NULL};
    for (size_t i = 0; B[i]; i++)
        if (strcmp(name, B[i]) == 0) return 1;
    return 0;
}

void map_classes_report(struct import_ctx *ctx)
{
    size_t builtin = 0;
    for (const struct xnode *c = first_class(ctx); c; c = xn_next_same(c)) {
        const char *name = xn_text(c, "Name");
        char src[SOURCE_MAX], kname[300], kea[400], test[EXPR_MAX];
        snprintf(src, sizeof src, "IPv4/Classes/Class[Name=%s]", name ? name : "");
        if (!name || class_test(c, test, sizeof test) < 0) {
            report_item(&ctx->report, RK_CLASS, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "a class needs a Name, Type User or Vendor, and Data as 0x-hex");
            continue;
        }
        kea_class_name(c, kname, sizeof kname);
        if (!map_kea_class(ctx, kname)) {
            if (builtin_class(name)) {
                builtin++;
                continue;
            }
            map_class_for(ctx, name);   /* kept: it documents the class, and costs little */
        }
        snprintf(kea, sizeof kea, "Dhcp4/client-classes[name=%s]", kname);
        report_item(&ctx->report, RK_CLASS, NULL,
                    strcmp(kname, "BOOTP") == 0 ? REPORT_PARTIAL : REPORT_MAPPED, src, kea, "%s",
                    strcmp(kname, "BOOTP") == 0
                        ? "Kea's BOOTP class (libdhcp_bootp.so puts BOOTP requests in it)"
                        : "");
    }
    if (builtin)
        report_item(&ctx->report, RK_OTHER, "setting", REPORT_MAPPED, "IPv4/Classes (built-in)",
                    NULL, "%zu classes Windows Server carries by default, no value uses them: "
                    "nothing to generate", builtin);
}
