/* The parts of the generated kea-dhcp4 configuration that do not come from
 * the export: a server ready to run with this hook (windows-export.md 2.1). */
#include "kea_config.h"

#include <stdio.h>
#include <string.h>

cJSON *kea_config_begin(struct import_ctx *ctx)
{
    cJSON *root = cJSON_CreateObject();
    ctx->dhcp4 = cJSON_AddObjectToObject(root, "Dhcp4");
    cJSON *ifaces = cJSON_AddObjectToObject(ctx->dhcp4, "interfaces-config");
    cJSON_AddArrayToObject(ifaces, "interfaces");   /* bindings are not in the export */
    cJSON *sock = cJSON_AddObjectToObject(ctx->dhcp4, "control-socket");
    cJSON_AddStringToObject(sock, "socket-type", "unix");
    cJSON_AddStringToObject(sock, "socket-name", kea_control_socket(ctx->release));
    /* No name: Kea's data directory, the one place 2.6.3+ allows. */
    cJSON *db = cJSON_AddObjectToObject(ctx->dhcp4, "lease-database");
    cJSON_AddStringToObject(db, "type", "memfile");
    cJSON_AddTrueToObject(db, "persist");
    cJSON_AddNumberToObject(db, "lfc-interval", 3600);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(ctx->dhcp4, "sanity-checks"), "lease-checks",
                            "warn");
    /* Windows matches the client identifier first, then chaddr. */
    cJSON_AddTrueToObject(ctx->dhcp4, "match-client-id");
    cJSON *ids = cJSON_AddArrayToObject(ctx->dhcp4, "host-reservation-identifiers");
    cJSON_AddItemToArray(ids, cJSON_CreateString("hw-address"));
    cJSON_AddItemToArray(ids, cJSON_CreateString("client-id"));
    cJSON_AddNumberToObject(ctx->dhcp4, "valid-lifetime", 691200);   /* Windows' default */
    ctx->option_defs = cJSON_AddArrayToObject(ctx->dhcp4, "option-def");
    ctx->classes = cJSON_AddArrayToObject(ctx->dhcp4, "client-classes");
    return root;
}

static void hook(struct import_ctx *ctx, cJSON *list, const char *file, cJSON *parameters)
{
    char path[512];
    kea_hook_path(ctx->release, file, path, sizeof path);
    cJSON *h = cJSON_CreateObject();
    cJSON_AddStringToObject(h, "library", path);
    if (parameters) cJSON_AddItemToObject(h, "parameters", parameters);
    cJSON_AddItemToArray(list, h);
}

static void drop_if_empty(cJSON *map, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(map, key);
    if (a && !cJSON_GetArraySize(a)) cJSON_DeleteItemFromObjectCaseSensitive(map, key);
}

void kea_config_finish(struct import_ctx *ctx, unsigned conflict_detection_attempts)
{
    cJSON *hooks = cJSON_AddArrayToObject(ctx->dhcp4, "hooks-libraries");
    hook(ctx, hooks, "libdhcp_lease_cmds.so", NULL);
    hook(ctx, hooks, "libdhcp_win_cmds.so", NULL);
    if (ctx->need_bootp) hook(ctx, hooks, "libdhcp_bootp.so", NULL);
    if (conflict_detection_attempts && ctx->release == KEA_30) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddNumberToObject(p, "min-ping-requests", conflict_detection_attempts);
        hook(ctx, hooks, "libdhcp_ping_check.so", p);
    }
    drop_if_empty(ctx->dhcp4, "option-def");
    drop_if_empty(ctx->dhcp4, "client-classes");
}
