/* The failover relationships in the kea-dhcp4 configuration file: the HA
 * hook's entry (one HA relationship per Windows one), the library entries it
 * needs, and - where Kea runs several relationships - which relationship
 * serves each subnet (user-context "ha-server-name"). The file is checked as
 * Kea will read it before anything is written: a reload that fails makes
 * kea-dhcp4 exit. */
#include "failover_ha.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failover_store.h"
#include "failover_url.h"
#include "file_io.h"
#include "json_fields.h"
#include "value_formats.h"

#define HA_LIBRARY "libdhcp_ha.so"
#define LEASE_CMDS_LIBRARY "libdhcp_lease_cmds.so"
#define SERVER_NAME_KEY "ha-server-name"

static int library_is(const cJSON *entry, const char *name)
{
    const cJSON *lib = cJSON_GetObjectItemCaseSensitive(entry, "library");
    if (!cJSON_IsString(lib)) return 0;
    const char *base = strrchr(lib->valuestring, '/');
    return strcmp(base ? base + 1 : lib->valuestring, name) == 0;
}

static cJSON *find_library(cJSON *libs, const char *name)
{
    cJSON *entry;
    cJSON_ArrayForEach(entry, libs)
    if (library_is(entry, name)) return entry;
    return NULL;
}

/* Next to lease_cmds when the config names it and Kea would load it from
 * there, else in Kea's own hooks directory. */
static cJSON *library_entry(const struct win_host *host, cJSON *libs, const char *name)
{
    char path[FILE_PATH_MAX], err[WIN_HOST_ERR_LEN];
    const cJSON *lease_cmds = find_library(libs, LEASE_CMDS_LIBRARY);
    const char *lib = lease_cmds
                          ? cJSON_GetObjectItemCaseSensitive(lease_cmds, "library")->valuestring
                          : "";
    const char *slash = strrchr(lib, '/');
    snprintf(path, sizeof path, "%.*s/%s", slash ? (int)(slash - lib) : 0, lib, name);
    if (!slash || host->hook_library_check(host->ctx, path, err) != 0)
        snprintf(path, sizeof path, "%s/%s", host->kea_hooks_directory(host->ctx), name);
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "library", path);
    return entry;
}

/* Whether kea-dhcp4 would load every library the new configuration names: a
 * reload that fails makes it exit. */
static int check_libraries(const struct win_host *host, const cJSON *libs, const char *path,
                           struct win_status *st)
{
    const cJSON *entry;
    cJSON_ArrayForEach(entry, libs)
    {
        const cJSON *lib = cJSON_GetObjectItemCaseSensitive(entry, "library");
        char err[WIN_HOST_ERR_LEN];
        if (!cJSON_IsString(lib))
            return win_fail(st, ERROR_DHCP_JET_ERROR,
                            "%s has a hooks-libraries entry without a library: nothing "
                            "changed", path);
        if (host->hook_library_check(host->ctx, lib->valuestring, err) != 0)
            return win_fail(st, ERROR_DHCP_JET_ERROR,
                            "kea-dhcp4 could not load %s after the change (%s): nothing "
                            "changed", lib->valuestring, err);
    }
    return 0;
}

const char *fo_config_path(const struct win_ctx *ctx)
{
    if (ctx->config->config_file) return ctx->config->config_file;
    return ctx->host->config_file(ctx->host->ctx);
}

/* The relationship whose scopes hold the subnet "a.b.c.d/len", or NULL. */
static const struct fo_relationship *holder_of(const struct fo_store *store,
                                               const cJSON *subnet)
{
    const cJSON *prefix = cJSON_GetObjectItemCaseSensitive(subnet, "subnet");
    char text[WIN_IPV4_TEXT + 4];
    uint32_t addr;
    if (!cJSON_IsString(prefix)) return NULL;
    snprintf(text, sizeof text, "%s", prefix->valuestring);
    char *slash = strchr(text, '/');
    if (slash) *slash = '\0';
    char *end = text + strlen(text);
    while (end > text && end[-1] == ' ') *--end = '\0';
    if (win_ipv4_parse(text, &addr) < 0) return NULL;
    for (size_t i = 0; i < store->count; i++)
        if (fo_has_scope(&store->items[i], addr)) return &store->items[i];
    return NULL;
}

/* Names each subnet's relationship in its user-context (several
 * relationships), or takes our names out again (one: it covers them all).
 * A subnet in no relationship would have its packets dropped: refused. */
static int name_subnets(const struct win_ctx *ctx, const struct fo_store *store,
                        cJSON *subnets, int *changed, struct win_status *st)
{
    cJSON *subnet;
    cJSON_ArrayForEach(subnet, subnets)
    {
        cJSON *context = cJSON_GetObjectItemCaseSensitive(subnet, "user-context");
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(context, SERVER_NAME_KEY);
        if (store->count < 2) {
            if (!old) continue;
            cJSON_DeleteItemFromObjectCaseSensitive(context, SERVER_NAME_KEY);
            if (!context->child) cJSON_DeleteItemFromObjectCaseSensitive(subnet, "user-context");
            *changed = 1;
            continue;
        }
        const struct fo_relationship *rel = holder_of(store, subnet);
        if (!rel) {
            const cJSON *prefix = cJSON_GetObjectItemCaseSensitive(subnet, "subnet");
            return win_fail(st, ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP,
                            "scope %s would be in no failover relationship: beside several "
                            "relationships Kea %s drops the packets of a subnet that names "
                            "none; add it to one (win-failover-scope-add) first",
                            cJSON_IsString(prefix) ? prefix->valuestring : "?",
                            ctx->host->kea_facts(ctx->host->ctx)->release);
        }
        char name[FO_TEXT_MAX];
        fo_ha_this_server_name(ctx, rel, name, sizeof name);
        if (cJSON_IsString(old) && strcmp(old->valuestring, name) == 0) continue;
        if (!cJSON_IsObject(context)) {
            cJSON_DeleteItemFromObjectCaseSensitive(subnet, "user-context");
            context = cJSON_AddObjectToObject(subnet, "user-context");
        }
        cJSON_DeleteItemFromObjectCaseSensitive(context, SERVER_NAME_KEY);
        cJSON_AddStringToObject(context, SERVER_NAME_KEY, name);
        *changed = 1;
    }
    return 0;
}

/* Every subnet: the server's own and those of its shared networks. */
static int name_all_subnets(const struct win_ctx *ctx, const struct fo_store *store,
                            cJSON *dhcp4, int *changed, struct win_status *st)
{
    if (name_subnets(ctx, store, cJSON_GetObjectItemCaseSensitive(dhcp4, "subnet4"), changed,
                     st) < 0)
        return -1;
    cJSON *network;
    cJSON_ArrayForEach(network, cJSON_GetObjectItemCaseSensitive(dhcp4, "shared-networks"))
    if (name_subnets(ctx, store, cJSON_GetObjectItemCaseSensitive(network, "subnet4"), changed,
                     st) < 0)
        return -1;
    return 0;
}

static void put_ha(const struct win_ctx *ctx, const struct fo_store *store, cJSON *libs,
                   int *changed)
{
    cJSON *ha = find_library(libs, HA_LIBRARY);
    if (store->count == 0) {
        if (ha) {
            cJSON_DetachItemViaPointer(libs, ha);
            cJSON_Delete(ha);
            *changed = 1;
        }
        return;
    }
    cJSON *params = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(params, "high-availability");
    for (size_t i = 0; i < store->count; i++)
        cJSON_AddItemToArray(list, fo_ha_relationship(ctx, &store->items[i]));
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(ha, "parameters");
    if (!ha || !cJSON_Compare(old, params, 1)) *changed = 1;
    if (!find_library(libs, LEASE_CMDS_LIBRARY)) { /* HA needs lease_cmds */
        cJSON_AddItemToArray(libs, library_entry(ctx->host, libs, LEASE_CMDS_LIBRARY));
        *changed = 1;
    }
    if (!ha) cJSON_AddItemToArray(libs, ha = library_entry(ctx->host, libs, HA_LIBRARY));
    cJSON_DeleteItemFromObjectCaseSensitive(ha, "parameters");
    cJSON_AddItemToObject(ha, "parameters", params);
}

/* Every relationship's peer URLs as Kea HA will take them (one stored by an
 * older release may not be). */
static int check_urls(const struct fo_store *store, struct win_status *st)
{
    for (size_t i = 0; i < store->count; i++) {
        char url[FO_TEXT_MAX], why[WIN_TEXT_MAX];
        fo_primary_url(&store->items[i], url, sizeof url);
        int tls = fo_has_tls(&store->items[i]);
        int bad = fo_url_check_peer("primary-url", url, tls, why, sizeof why) < 0;
        if (!bad) {
            fo_secondary_url(&store->items[i], url, sizeof url);
            bad = fo_url_check_peer("secondary-url", url, tls, why, sizeof why) < 0;
        }
        if (bad)
            return win_fail(st, ERROR_INVALID_PARAMETER,
                            "failover relationship '%.200s': %s; nothing changed",
                            store->items[i].name, why);
    }
    return 0;
}

/* The configuration file with store's relationships: *out (caller frees)
 * when it differs from the file, NULL when Kea's side stays as it is. */
static int prepare(const struct win_ctx *ctx, const struct fo_store *store, const char *path,
                   char **out, struct win_status *st)
{
    int changed = 0;
    *out = NULL;
    char *text = file_read_all(path, NULL);
    if (!text) return win_fail(st, ERROR_DHCP_JET_ERROR, "cannot read %s", path);
    json_strip_comments(text);
    cJSON *root = jf_parse(text);
    free(text);
    cJSON *dhcp4 = cJSON_GetObjectItemCaseSensitive(root, "Dhcp4");
    if (!cJSON_IsObject(dhcp4)) {
        cJSON_Delete(root);
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "%s is not a kea-dhcp4 configuration this hook can rewrite (plain "
                        "JSON with a Dhcp4 map; include directives are not followed)", path);
    }
    cJSON *libs = cJSON_GetObjectItemCaseSensitive(dhcp4, "hooks-libraries");
    if (!cJSON_IsArray(libs)) {
        cJSON_DeleteItemFromObjectCaseSensitive(dhcp4, "hooks-libraries");
        libs = cJSON_AddArrayToObject(dhcp4, "hooks-libraries");
    }
    put_ha(ctx, store, libs, &changed);
    int rc = name_all_subnets(ctx, store, dhcp4, &changed, st);
    if (rc == 0 && changed) rc = check_urls(store, st);
    if (rc == 0 && changed) rc = check_libraries(ctx->host, libs, path, st);
    if (rc == 0 && changed && !(*out = cJSON_Print(root)))
        rc = win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    cJSON_Delete(root);
    return rc;
}

/* The candidate beside the configuration file (relative paths in it mean
 * the same), checked by the running release as its reload will read it. */
static int write_and_check(const struct win_ctx *ctx, const char *path, const char *text,
                           char *candidate, size_t size, struct win_status *st)
{
    char err[512];
    snprintf(candidate, size, "%s.win-candidate", path);
    if (file_write_atomic(candidate, text, strlen(text), err, sizeof err) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "cannot write the new configuration: %s; "
                        "nothing changed", err);
    if (ctx->host->config_check(ctx->host->ctx, candidate, err) != 0) {
        unlink(candidate);
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "kea-dhcp4 -t refused the new configuration: %.300s; nothing changed",
                        err);
    }
    return 0;
}

/* Swaps the checked candidate in after the state file has taken the new
 * relationships; a failure puts the state file back. */
static int install(const struct win_ctx *ctx, const char *candidate, const char *path,
                   const char *old_state, struct win_status *st)
{
    char err[512], undo[512];
    if (file_replace(candidate, path, err, sizeof err) == 0) return 0;
    unlink(candidate);
    if (fo_store_restore(ctx->config, old_state, undo, sizeof undo) == 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "%s; the state file was put back: nothing "
                        "changed", err);
    win_fail(st, ERROR_DHCP_JET_ERROR, "%s, and the state file could not be put back (%s): "
             "its relationships differ from Kea's until the next change", err, undo);
    ctx->host->log(ctx->host->ctx, WIN_LOG_ERROR, st->text);
    return -1;
}

int fo_ha_apply(const struct win_ctx *ctx, const struct fo_store *store, int *changed,
                struct win_status *st)
{
    *changed = 0;
    const char *path = fo_config_path(ctx);
    if (!path)
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "the kea-dhcp4 configuration file is unknown: set the hook parameter "
                        "config-file");
    char *text = NULL, *old_state = NULL, candidate[FILE_PATH_MAX + 16];
    int rc = prepare(ctx, store, path, &text, st);
    int swap = rc == 0 && text;
    if (swap) rc = write_and_check(ctx, path, text, candidate, sizeof candidate, st);
    free(text);
    if (rc < 0) return -1;
    if (fo_store_snapshot(ctx->config, &old_state, st) < 0 ||
        fo_store_save(ctx->config, store, st) < 0) {
        if (swap) unlink(candidate);
        if (!strstr(st->text, "nothing changed")) {
            char said[WIN_TEXT_MAX];
            snprintf(said, sizeof said, "%s", st->text);
            win_fail(st, st->code, "%.400s; nothing changed", said);
        }
        free(old_state);
        return -1;
    }
    if (swap) rc = install(ctx, candidate, path, old_state, st);
    free(old_state);
    if (rc == 0) *changed = swap;
    return rc;
}
