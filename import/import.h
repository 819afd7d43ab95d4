/* One import run: the export's tree, the configuration being built, the
 * report, and what the lease pass needs to know about each scope. */
#ifndef IMPORT_H
#define IMPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "export_xml.h"
#include "import_report.h"
#include "kea_target.h"
#include "progress.h"

#define SOURCE_MAX 512
#define EXPR_MAX 8192 /* a class test expression */

/* A Windows option definition (IPv4/OptionDefinitions). */
enum win_option_type { WT_UNKNOWN, WT_BYTE, WT_WORD, WT_DWORD, WT_DWORDDWORD, WT_IPV4,
                       WT_IPV6, WT_STRING, WT_BINARY, WT_ENCAPSULATED };

struct win_option_def {
    unsigned code;
    enum win_option_type type;
    int multi;
    const char *name, *vendor_class;   /* into the tree; vendor_class "" = standard */
};

/* What the lease pass needs of each IPv4 Scope, in file order. */
struct scope_info {
    int mapped;               /* a subnet4 entry was written */
    uint32_t network, mask, id;
    uint32_t valid_lifetime;
    char scope_id[16];
    cJSON *subnet;            /* the subnet4 entry */
};

struct import_ctx {
    enum kea_release release;
    int64_t now;
    struct export_tree tree;
    struct import_report report;
    cJSON *dhcp4;                 /* the "Dhcp4" map */
    cJSON *option_defs;           /* Dhcp4/option-def */
    cJSON *classes;               /* Dhcp4/client-classes */
    struct win_option_def *defs;  /* every IPv4 definition */
    size_t def_count;
    struct scope_info *scopes;
    size_t scope_count;
    int need_bootp;               /* libdhcp_bootp.so goes into hooks-libraries */
    int skip_expired;
    struct progress *progress;    /* NULL: none shown */
};

/* ---- values (import_values.c) ---- */
const char *iv_trim(const char *text, char *buf, size_t len);
int iv_bool(const char *text, int *out);                      /* true/false/1/0 */
int iv_uint(const char *text, uint64_t max, uint64_t *out);   /* decimal or 0x hex */
/* .NET TimeSpan "[d.]hh:mm:ss[.fffffff]" to seconds; *infinite when it is at
 * least 2^32-1 s (Windows' unlimited is TimeSpan.MaxValue). */
int iv_timespan(const char *text, uint32_t *seconds, int *infinite);
int iv_ipv4(const char *text, uint32_t *out);
/* "00-0c-29-..." (either case, '-' or ':' or none): 1 to max bytes. */
int iv_hex_bytes(const char *text, uint8_t *out, size_t max, size_t *len);
/* [A-Za-z0-9_-] slug, no leading/trailing '-' or '_'; "" becomes "x". */
void iv_slug(const char *text, char *out, size_t len);
enum win_option_type iv_option_type(const char *text);

/* ---- the parts of the mapping ---- */
/* Server settings, option definitions, server options, policies,
 * filters (map_server.c). */
void map_server(struct import_ctx *ctx);
/* Scopes with their exclusions, options, policies and reservations; the
 * superscopes (map_scopes.c). */
int map_scopes(struct import_ctx *ctx);
/* The IPv6 section and what the export lacks (map_server.c). */
void map_not_in_export(struct import_ctx *ctx);

/* IPv4/OptionDefinitions: Windows' built-ins summarised, the rest as
 * option-def where Kea does not define the code (map_options.c). */
void map_option_defs(struct import_ctx *ctx);
/* Policies (server level: scope NULL) as client classes (map_server.c). */
void map_policies(struct import_ctx *ctx, const struct xnode *policies, const char *source,
                  int active, const struct scope_info *scope, cJSON *subnet);
/* Option values under OptionValues node, going to target's "option-data".
 * level: "server", "scope", "reservation", "policy". scope may be NULL. */
void map_option_values(struct import_ctx *ctx, const struct xnode *values, const char *source,
                       const char *level, cJSON *target, const char *target_path,
                       const struct scope_info *scope);
/* The Kea class for a Windows class name ("ms-user:..", "ms-vendor:..",
 * "BOOTP"), created on first use; NULL when the export defines no such class
 * (map_classes.c). */
cJSON *map_class_for(struct import_ctx *ctx, const char *windows_name);
/* The test of the Windows class of that name (blanks trimmed) as a Kea
 * expression into out; -1 when the export defines no such class. */
int map_class_test(struct import_ctx *ctx, const char *windows_name, char *out, size_t len);
/* The Kea class of that name in the configuration being built, or NULL. */
cJSON *map_kea_class(struct import_ctx *ctx, const char *name);
/* The class an inactive scope is restricted to (defined once). */
const char *map_inactive_class(struct import_ctx *ctx);
/* One report item per class, once every value has been mapped (the built-ins
 * no value uses summarised). */
void map_classes_report(struct import_ctx *ctx);

#endif
