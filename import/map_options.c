/* Windows option definitions and option values to Kea's option-def and
 * option-data (windows-export.md section 2.4). An option goes to Kea by name
 * in Kea's own format when its Windows type fits Kea's definition; otherwise
 * as the bytes Windows would send (csv-format false). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"
#include "value_formats.h"

#define DATA_MAX 4096

/* Windows' built-in IPv4 definitions (every export carries them): no Kea
 * output, one summary line. */
static int windows_builtin(unsigned code, const char *vendor_class)
{
    if (!*vendor_class)
        return (code >= 1 && code <= 49) || code == 51 || code == 58 || code == 59 ||
               (code >= 64 && code <= 76) || code == 121;
    return code >= 1 && code <= 3 && (strcmp(vendor_class, "Microsoft Options") == 0 ||
                                      strcmp(vendor_class, "Microsoft Windows 2000 Options") == 0);
}

static const char *kea_def_type(enum win_option_type t, int multi, int *array)
{
    *array = multi;
    switch (t) {
    case WT_BYTE: return "uint8";
    case WT_WORD: return "uint16";
    case WT_DWORD: return "uint32";
    case WT_IPV4: return "ipv4-address";
    case WT_IPV6: return "ipv6-address";
    case WT_STRING:
        if (!multi) return "string";
        *array = 0;   /* Kea has no array of strings */
        return "binary";
    default:
        *array = 0;
        return "binary";
    }
}

static const struct win_option_def *find_def(const struct import_ctx *ctx, unsigned code,
                                      const char *vendor_class)
{
    for (size_t i = 0; i < ctx->def_count; i++)
        if (ctx->defs[i].code == code && strcmp(ctx->defs[i].vendor_class, vendor_class) == 0)
            return &ctx->defs[i];
    return NULL;
}

static void vendor_space(const char *vendor_class, char *out, size_t len)
{
    char slug[128];
    iv_slug(vendor_class, slug, sizeof slug);
    snprintf(out, len, "ms-vendor-%s", slug);
}

static int def_emitted(const cJSON *defs, const char *space, unsigned code)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, defs) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(d, "space");
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(d, "code");
        if (cJSON_IsString(s) && strcmp(s->valuestring, space) == 0 && cJSON_IsNumber(c) &&
            (unsigned)c->valueint == code)
            return 1;
    }
    return 0;
}

static cJSON *emit_def(struct import_ctx *ctx, const struct win_option_def *def,
                       const char *space)
{
    char slug[96], name[128];
    int array;
    const char *type = kea_def_type(def->type, def->multi, &array);
    iv_slug(def->name, slug, sizeof slug);
    snprintf(name, sizeof name, "ms-%u-%s", def->code, slug);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddNumberToObject(d, "code", def->code);
    cJSON_AddStringToObject(d, "space", space);
    cJSON_AddStringToObject(d, "type", type);
    if (array) cJSON_AddTrueToObject(d, "array");
    cJSON *w = cJSON_AddObjectToObject(cJSON_AddObjectToObject(d, "user-context"), "windows");
    cJSON_AddStringToObject(w, "name", def->name);
    if (*def->vendor_class) cJSON_AddStringToObject(w, "vendor-class", def->vendor_class);
    cJSON_AddItemToArray(ctx->option_defs, d);
    return d;
}

void map_option_defs(struct import_ctx *ctx)
{
    const struct xnode *defs = xn_child(xn_child(ctx->tree.root, "IPv4"), "OptionDefinitions");
    size_t builtin = 0, n = 0;
    for (const struct xnode *d = xn_child(defs, "OptionDefinition"); d; d = xn_next_same(d)) n++;
    ctx->defs = calloc(n ? n : 1, sizeof *ctx->defs);
    for (const struct xnode *d = xn_child(defs, "OptionDefinition"); d; d = xn_next_same(d)) {
        char src[SOURCE_MAX];
        uint64_t code;
        int multi = 0;
        const char *id = xn_text(d, "OptionId"), *vendor = xn_text(d, "VendorClass");
        if (!vendor) vendor = "";
        snprintf(src, sizeof src, "IPv4/OptionDefinitions/OptionDefinition[OptionId=%s%s%s]",
                 id ? id : "", *vendor ? ",VendorClass=" : "", vendor);
        if (!id || iv_uint(id, 255, &code) < 0 || code == 0) {
            report_item(&ctx->report, RK_OPTION_DEFINITION, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "OptionId must be 1 to 254");
            continue;
        }
        iv_bool(xn_text(d, "MultiValued"), &multi);
        struct win_option_def *wd = &ctx->defs[ctx->def_count++];
        wd->code = (unsigned)code;
        wd->type = iv_option_type(xn_text(d, "Type"));
        wd->multi = multi;
        wd->name = xn_text(d, "Name") ? xn_text(d, "Name") : "";
        wd->vendor_class = vendor;
        if (windows_builtin(wd->code, vendor)) {
            builtin++;
            continue;
        }
        if (wd->type == WT_UNKNOWN) {
            report_item(&ctx->report, RK_OPTION_DEFINITION, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "unknown Type '%s'", xn_text(d, "Type") ? xn_text(d, "Type") : "");
            continue;
        }
        if (*vendor) {
            char space[160], kea[256];
            vendor_space(vendor, space, sizeof space);
            if (!def_emitted(ctx->option_defs, space, wd->code)) emit_def(ctx, wd, space);
            snprintf(kea, sizeof kea, "Dhcp4/option-def[space=%s,code=%u]", space, wd->code);
            report_item(&ctx->report, RK_OPTION_DEFINITION, NULL, REPORT_MAPPED, src, kea,
                        "a sub-option of option 43 for vendor class '%s'", vendor);
            continue;
        }
        const struct kea_std_option *std = kea_std_option(ctx->release, wd->code);
        if (std) {
            char kea[128];
            snprintf(kea, sizeof kea, "Kea's own option %u (%s)", wd->code, std->name);
            report_item(&ctx->report, RK_OPTION_DEFINITION, NULL, REPORT_MAPPED, src, kea,
                        "Kea %s defines option %u itself and refuses another definition; "
                        "values use Kea's", kea_release_name(ctx->release), wd->code);
            continue;
        }
        cJSON *kd = emit_def(ctx, wd, "dhcp4");
        char kea[160];
        snprintf(kea, sizeof kea, "Dhcp4/option-def[name=%s]",
                 cJSON_GetObjectItem(kd, "name")->valuestring);
        int lossy = (wd->type == WT_STRING && multi) || wd->type == WT_DWORDDWORD ||
                    wd->type == WT_ENCAPSULATED;
        report_item(&ctx->report, RK_OPTION_DEFINITION, NULL,
                    lossy ? REPORT_PARTIAL : REPORT_MAPPED, src, kea, "%s",
                    lossy ? "Kea has no such type: defined as binary, values sent as the "
                            "bytes Windows sends" : "");
    }
    if (builtin)
        report_item(&ctx->report, RK_OTHER, "setting", REPORT_MAPPED,
                    "IPv4/OptionDefinitions (built-in)", "Kea's standard options",
                    "%zu definitions Windows Server carries by default; Kea defines these "
                    "options itself", builtin);
}

/* ---- values ------------------------------------------------------------------- */

struct values {
    const char *text[256];
    size_t count;
};

static void collect_values(const struct xnode *ov, struct values *v)
{
    v->count = 0;
    for (const struct xnode *c = xn_child(ov, "Value"); c && v->count < 256; c = xn_next_same(c))
        v->text[v->count++] = c->text;
}

static int append(char *out, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (*len + n + 1 > DATA_MAX) return -1;
    memcpy(out + *len, text, n + 1);
    *len += n;
    return 0;
}

/* Kea's CSV form of the values for std, or -1 when they do not fit. */
static int kea_csv(const struct kea_std_option *std, enum win_option_type wt,
                   const struct values *v, char *out)
{
    size_t len = 0;
    char one[300];
    out[0] = 0;
    if (!v->count || (v->count > 1 && !std->array)) return -1;
    static const struct { enum kea_type k; enum win_option_type w; } FITS[] = {
        {KT_IPV4, WT_IPV4}, {KT_UINT8, WT_BYTE}, {KT_BOOLEAN, WT_BYTE}, {KT_UINT16, WT_WORD},
        {KT_UINT32, WT_DWORD}, {KT_INT32, WT_DWORD}, {KT_STRING, WT_STRING},
        {KT_FQDN, WT_STRING}};
    int fits = wt == WT_UNKNOWN;
    for (size_t i = 0; i < sizeof FITS / sizeof *FITS; i++)
        if (FITS[i].k == std->type && FITS[i].w == wt) fits = 1;
    if (!fits) return -1;
    for (size_t i = 0; i < v->count; i++) {
        uint64_t n;
        uint32_t a;
        char t[WIN_IPV4_TEXT];
        switch (std->type) {
        case KT_IPV4:
            if (iv_ipv4(v->text[i], &a) < 0) return -1;
            win_ipv4_format(a, t);
            snprintf(one, sizeof one, "%s", t);
            break;
        case KT_UINT8: case KT_UINT16: case KT_UINT32: case KT_BOOLEAN: case KT_INT32: {
            uint64_t max = std->type == KT_UINT16 ? 0xffff
                           : std->type == KT_UINT32 || std->type == KT_INT32 ? 0xffffffffu : 0xff;
            if (iv_uint(v->text[i], max, &n) < 0) return -1;
            if (std->type == KT_BOOLEAN) snprintf(one, sizeof one, "%s", n ? "true" : "false");
            else if (std->type == KT_INT32)
                snprintf(one, sizeof one, "%lld", (long long)(n >= 0x80000000u ? (int64_t)n - 0x100000000LL : (int64_t)n));
            else snprintf(one, sizeof one, "%llu", (unsigned long long)n);
            break;
        }
        case KT_STRING: {
            /* Kea's CSV: a comma in a string is written "\," */
            size_t o = 0;
            if (!*v->text[i]) return -1;
            for (const char *p = v->text[i]; *p; p++) {
                if (o + 3 >= sizeof one) return -1;
                if (*p == ',') one[o++] = '\\';
                one[o++] = *p;
            }
            one[o] = 0;
            break;
        }
        case KT_FQDN: {
            char b[256];
            if (!iv_trim(v->text[i], b, sizeof b) || !win_is_dns_name(b)) return -1;
            snprintf(one, sizeof one, "%s", b);
            break;
        }
        default:
            return -1;
        }
        if ((i && append(out, &len, ", ") < 0) || append(out, &len, one) < 0) return -1;
    }
    return 0;
}

static int hex_value(const char *text, uint8_t *out, size_t max, size_t *len)
{
    char b[DATA_MAX];
    size_t o = 0;
    if (!iv_trim(text, b, sizeof b)) return -1;
    const char *p = b;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) p += 2;
    char digits[DATA_MAX];
    for (; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == ':') continue;
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
            return -1;
        digits[o++] = *p;
    }
    if (o == 0) return -1;
    if (o % 2) return -1;
    if (o / 2 > max) return -1;
    for (size_t i = 0; i < o; i += 2) {
        char two[3] = {digits[i], digits[i + 1], 0};
        out[i / 2] = (uint8_t)strtoul(two, NULL, 16);
    }
    *len = o / 2;
    return 0;
}

/* The bytes Windows puts on the wire for these values of a type. */
static int windows_wire(enum win_option_type t, const struct values *v, uint8_t *out,
                        size_t *len)
{
    size_t o = 0;
    for (size_t i = 0; i < v->count; i++) {
        uint64_t n;
        uint32_t a;
        size_t w = 0, got;
        switch (t) {
        case WT_BYTE: w = 1; break;
        case WT_WORD: w = 2; break;
        case WT_DWORD: w = 4; break;
        case WT_DWORDDWORD: w = 8; break;
        default: break;
        }
        if (w) {
            if (iv_uint(v->text[i], w == 8 ? ~0ULL : (1ULL << (8 * w)) - 1, &n) < 0 ||
                o + w > 255)
                return -1;
            for (size_t b = 0; b < w; b++) out[o + b] = (uint8_t)(n >> (8 * (w - 1 - b)));
            o += w;
            continue;
        }
        switch (t) {
        case WT_IPV4:
            if (iv_ipv4(v->text[i], &a) < 0 || o + 4 > 255) return -1;
            out[o++] = (uint8_t)(a >> 24), out[o++] = (uint8_t)(a >> 16);
            out[o++] = (uint8_t)(a >> 8), out[o++] = (uint8_t)a;
            break;
        case WT_IPV6: {
            char b[64];
            if (!iv_trim(v->text[i], b, sizeof b) || o + 16 > 255 ||
                inet_pton(AF_INET6, b, out + o) != 1)
                return -1;
            o += 16;
            break;
        }
        case WT_STRING:
            got = strlen(v->text[i]);
            if (o + got > 255) return -1;
            memcpy(out + o, v->text[i], got);
            o += got;
            break;
        case WT_BINARY: case WT_ENCAPSULATED:
            if (hex_value(v->text[i], out + o, 255 - o, &got) < 0) return -1;
            o += got;
            break;
        default:
            return -1;
        }
    }
    *len = o;
    return o ? 0 : -1;
}

static void hex_text(const uint8_t *b, size_t n, char *out)
{
    static const char D[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) out[2 * i] = D[b[i] >> 4], out[2 * i + 1] = D[b[i] & 15];
    out[2 * n] = 0;
}

/* An option-data entry for code with these values, or NULL with a reason. */
static cJSON *option_entry(struct import_ctx *ctx, unsigned code, const char *space,
                           enum win_option_type wt, const struct values *v, char *how,
                           size_t how_len)
{
    char data[DATA_MAX];
    const struct kea_std_option *std =
        strcmp(space, "dhcp4") == 0 ? kea_std_option(ctx->release, code) : NULL;
    cJSON *e = cJSON_CreateObject();
    if (std && kea_csv(std, wt, v, data) == 0) {
        cJSON_AddStringToObject(e, "name", std->name);
        cJSON_AddStringToObject(e, "data", data);
        snprintf(how, how_len, "%s", std->name);
        return e;
    }
    uint8_t wire[256];
    size_t n;
    if (wt == WT_UNKNOWN || windows_wire(wt, v, wire, &n) < 0) {
        cJSON_Delete(e);
        snprintf(how, how_len, wt == WT_UNKNOWN
                                   ? "no Windows definition of option %u says how to send it"
                                   : "its values do not fit the Windows type of option %u",
                 code);
        return NULL;
    }
    hex_text(wire, n, data);
    cJSON_AddNumberToObject(e, "code", code);
    if (strcmp(space, "dhcp4") != 0) cJSON_AddStringToObject(e, "space", space);
    cJSON_AddBoolToObject(e, "csv-format", 0);
    cJSON_AddStringToObject(e, "data", data);
    snprintf(how, how_len, "code %u as the bytes Windows sends", code);
    return e;
}

static cJSON *option_data_of(cJSON *target)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive(target, "option-data");
    return a ? a : cJSON_AddArrayToObject(target, "option-data");
}

/* Whether target's option-data already sets dhcp4 option code (by code, or
 * by the release's name for it). */
static int target_has_code(const struct import_ctx *ctx, const cJSON *target, unsigned code)
{
    const struct kea_std_option *std = kea_std_option(ctx->release, code);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(target, "option-data")) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");
        if (cJSON_GetObjectItemCaseSensitive(e, "space")) continue;
        if ((cJSON_IsNumber(c) && (unsigned)c->valueint == code) ||
            (std && cJSON_IsString(n) && strcmp(n->valuestring, std->name) == 0))
            return 1;
    }
    return 0;
}

/* The lifetime-like options Kea sets itself: where their values go instead. */
static int lifetime_option(struct import_ctx *ctx, unsigned code, const struct values *v,
                           const char *level, cJSON *target, const char *target_path,
                           const struct scope_info *scope, const char *src)
{
    const char *key = code == 51 ? "valid-lifetime" : code == 58 ? "renew-timer" : "rebind-timer";
    uint64_t n;
    char kea[SOURCE_MAX];
    if (v->count != 1 || iv_uint(v->text[0], 0xffffffffu, &n) < 0) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "option %u needs one whole number of seconds", code);
        return 1;
    }
    snprintf(kea, sizeof kea, "%s/%s", target_path, key);
    if (code == 51 && strcmp(level, "scope") == 0) {
        int same = scope && scope->valid_lifetime == n;
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, same ? REPORT_MAPPED : REPORT_PARTIAL,
                    src, kea, same ? "Kea sends option 51 from valid-lifetime (%llu s, equal "
                                     "to LeaseDuration)"
                                   : "Kea sends option 51 from valid-lifetime, which is the "
                                     "scope's LeaseDuration; this value (%llu s) differs and "
                                     "is not used",
                    (unsigned long long)n);
        return 1;
    }
    if (strcmp(level, "reservation") == 0) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "Kea host reservations have no %s; the subnet's applies", key);
        return 1;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(target, key);
    cJSON_AddNumberToObject(target, key, (double)n);
    report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_MAPPED, src, kea,
                "Kea sends option %u from %s", code, key);
    return 1;
}

/* Option codes Kea always sets from its own state. */
static const char *kea_owned(unsigned code)
{
    switch (code) {
    case 1: return "Kea sends the subnet mask of the subnet";
    case 50: case 53: case 54: case 55: case 61:
        return "a protocol option Kea sets itself";
    case 81: return "client FQDN: DNS updates are kea-dhcp-ddns settings, not in the export";
    case 82: return "relay agent information comes from relays, not from the server";
    default: return NULL;
    }
}

static cJSON *vendor_class_target(struct import_ctx *ctx, const char *vendor, char *space,
                                  size_t space_len)
{
    cJSON *cls = map_class_for(ctx, vendor);
    if (!cls) return NULL;
    vendor_space(vendor, space, space_len);
    if (!cJSON_GetObjectItemCaseSensitive(cls, "option-def")) {
        cJSON *defs = cJSON_AddArrayToObject(cls, "option-def");
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "name", "vendor-encapsulated-options");
        cJSON_AddNumberToObject(d, "code", 43);
        cJSON_AddStringToObject(d, "type", "empty");
        cJSON_AddStringToObject(d, "encapsulate", space);
        cJSON_AddItemToArray(defs, d);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", "vendor-encapsulated-options");
        cJSON_AddItemToArray(option_data_of(cls), o);
    }
    return cls;
}

/* Where an option value goes: the level's own map, or a class (its vendor
 * class's, with that class's option space, or its user class's). */
struct value_place {
    cJSON *into;
    const char *path;
    char class_path[SOURCE_MAX], space[160];
};

/* Moves place to the value's vendor or user class: 0, or -1 with the report
 * item saying why the value has no Kea form there. */
static int class_place(struct import_ctx *ctx, const char *src, const char *level,
                       const char *vendor, const char *user, const struct win_option_def *def,
                       struct value_place *place)
{
    cJSON *cls;
    if (*vendor) {
        if (strcmp(level, "server") != 0) {
            report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "vendor-class values are generated at server level only (a class "
                        "redefining option 43); set this one by hand");
            return -1;
        }
        if (!(cls = vendor_class_target(ctx, vendor, place->space, sizeof place->space))) {
            report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "the export defines no vendor class '%s'", vendor);
            return -1;
        }
        if (def && !def_emitted(ctx->option_defs, place->space, def->code))
            emit_def(ctx, def, place->space);
    } else {
        if (strcmp(level, "reservation") == 0) {
            report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "user-class values of a reservation have no Kea form; set it by "
                        "hand");
            return -1;
        }
        if (!(cls = map_class_for(ctx, user))) {
            report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                        "the export defines no user class '%s'", user);
            return -1;
        }
    }
    place->into = cls;
    snprintf(place->class_path, sizeof place->class_path, "Dhcp4/client-classes[name=%s]",
             cJSON_GetObjectItem(cls, "name")->valuestring);
    place->path = place->class_path;
    if (!*vendor && strcmp(level, "server") != 0) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "a user-class value at %s level would apply to the class in every "
                    "scope in Kea; set it by hand", level);
        return -1;
    }
    return 0;
}

/* Options of the standard space that are no option-data in Kea: the
 * lifetimes (51, 58, 59), the hostname (12) and the options Kea sets itself.
 * 1 when code is one of them (reported), else 0. */
static int kept_out_of_option_data(struct import_ctx *ctx, unsigned code,
                                   const struct values *v, const char *level,
                                   const struct value_place *place,
                                   const struct scope_info *scope, const char *src)
{
    if ((code == 51 || code == 58 || code == 59) &&
        lifetime_option(ctx, code, v, level, place->into, place->path, scope, src))
        return 1;
    if (code == 12) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL, "%s",
                    strcmp(level, "reservation") == 0
                        ? "Kea sends the reservation's hostname (from its Name)"
                        : "Kea sends the client's or the reservation's hostname");
        return 1;
    }
    if (kea_owned(code)) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL, "%s",
                    kea_owned(code));
        return 1;
    }
    return 0;
}

static void map_option_value(struct import_ctx *ctx, const struct xnode *ov, const char *source,
                             const char *level, cJSON *target, const char *target_path,
                             const struct scope_info *scope)
{
    char src[SOURCE_MAX], kea[SOURCE_MAX + 256], how[200];
    uint64_t code;
    struct values v;
    const char *id = xn_text(ov, "OptionId");
    const char *vendor = xn_text(ov, "VendorClass"), *user = xn_text(ov, "UserClass");
    if (!vendor) vendor = "";
    if (!user) user = "";
    snprintf(src, sizeof src, "%s/OptionValues/OptionValue[OptionId=%s%s%s%s%s]", source,
             id ? id : "", *vendor ? ",VendorClass=" : "", vendor,
             *user ? ",UserClass=" : "", user);
    collect_values(ov, &v);
    if (!id || iv_uint(id, 255, &code) < 0 || code == 0 || code == 255) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "OptionId must be 1 to 254");
        return;
    }
    if (!v.count) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL,
                    "no Value: Import-DhcpServer skips such a value too");
        return;
    }
    struct value_place place = {target, target_path, "", "dhcp4"};
    const struct win_option_def *def = find_def(ctx, (unsigned)code, vendor);
    if ((*vendor || *user) && class_place(ctx, src, level, vendor, user, def, &place) < 0)
        return;
    if (!*vendor &&
        kept_out_of_option_data(ctx, (unsigned)code, &v, level, &place, scope, src))
        return;
    cJSON *e = option_entry(ctx, (unsigned)code, place.space, def ? def->type : WT_UNKNOWN,
                            &v, how, sizeof how);
    if (!e) {
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_NOT_MAPPED, src, NULL, "%s",
                    how);
        return;
    }
    if (target_has_code(ctx, place.into, (unsigned)code) && strcmp(place.space, "dhcp4") == 0) {
        cJSON_Delete(e);
        report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_DROPPED, src, NULL,
                    "option %u is already set here", (unsigned)code);
        return;
    }
    cJSON_AddItemToArray(option_data_of(place.into), e);
    snprintf(kea, sizeof kea, "%s/option-data[%s]", place.path, how);
    report_item(&ctx->report, RK_OPTION_VALUE, NULL, REPORT_MAPPED, src, kea, "%s", "");
}

void map_option_values(struct import_ctx *ctx, const struct xnode *values, const char *source,
                       const char *level, cJSON *target, const char *target_path,
                       const struct scope_info *scope)
{
    for (const struct xnode *ov = xn_child(values, "OptionValue"); ov; ov = xn_next_same(ov))
        map_option_value(ctx, ov, source, level, target, target_path, scope);
}
