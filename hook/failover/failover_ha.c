/* A Windows failover relationship as Kea 2.2 High Availability: the HA hook's
 * parameters, their place in the kea-dhcp4 configuration file, and what Kea
 * does (and cannot do) with each Windows field. */
#include "failover_ha.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_io.h"
#include "json_fields.h"
#include "value_formats.h"
#include "win_enums.h"

#define HA_LIBRARY "libdhcp_ha.so"
#define LEASE_CMDS_LIBRARY "libdhcp_lease_cmds.so"
#define KEA_DELAY_MAX 65535u          /* HA's 16-bit millisecond timers */
#define KEA_DEFAULT_RESPONSE_DELAY 60000u
#define NEVER_PARTNER_DOWN 4294967295.0 /* max-unacked-clients no count exceeds */

struct ha_timing {
    uint32_t max_response_delay, heartbeat_delay;
    double max_unacked_clients;
    int hook_timed; /* the safe period is longer than Kea can time */
};

static struct ha_timing timing_of(const struct fo_relationship *rel)
{
    struct ha_timing t;
    uint32_t sp = rel->safe_period;
    if (sp != FO_SAFE_PERIOD_DISABLED && (uint64_t)sp * 1000 <= KEA_DELAY_MAX) {
        /* Kea itself goes to partner-down once the partner is silent that long. */
        t.max_response_delay = sp ? sp * 1000 : 1000;
        t.max_unacked_clients = 0;
        t.hook_timed = 0;
    } else {
        t.max_response_delay = rel->max_response_delay ? rel->max_response_delay
                                                        : KEA_DEFAULT_RESPONSE_DELAY;
        t.max_unacked_clients = NEVER_PARTNER_DOWN;
        t.hook_timed = sp != FO_SAFE_PERIOD_DISABLED;
    }
    uint32_t hb = t.max_response_delay / 3;
    t.heartbeat_delay = hb < 500 ? 500 : hb > 10000 ? 10000 : hb;
    return t;
}

static cJSON *peer(const char *name, const char *url, const char *role,
                   const struct fo_relationship *rel)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "url", url);
    cJSON_AddStringToObject(p, "role", role);
    cJSON_AddBoolToObject(p, "auto-failover", 1);
    if (rel->has_secret) {
        cJSON_AddStringToObject(p, "basic-auth-user", FO_PEER_USER);
        cJSON_AddStringToObject(p, "basic-auth-password", rel->shared_secret);
    }
    return p;
}

cJSON *fo_ha_parameters(const struct fo_relationship *rel)
{
    char primary[FO_TEXT_MAX], secondary[FO_TEXT_MAX], purl[FO_TEXT_MAX], surl[FO_TEXT_MAX];
    fo_primary_name(rel, primary, sizeof primary);
    fo_secondary_name(rel, secondary, sizeof secondary);
    fo_primary_url(rel, purl, sizeof purl);
    fo_secondary_url(rel, surl, sizeof surl);
    int hot = rel->mode == WIN_FO_HOT_STANDBY;
    struct ha_timing t = timing_of(rel);

    cJSON *ha = cJSON_CreateObject();
    cJSON_AddStringToObject(ha, "this-server-name",
                            rel->server_type == WIN_FO_PRIMARY ? primary : secondary);
    cJSON_AddStringToObject(ha, "mode", hot ? "hot-standby" : "load-balancing");
    cJSON_AddNumberToObject(ha, "heartbeat-delay", t.heartbeat_delay);
    cJSON_AddNumberToObject(ha, "max-response-delay", t.max_response_delay);
    cJSON_AddNumberToObject(ha, "max-ack-delay", 10000);
    cJSON_AddNumberToObject(ha, "max-unacked-clients", t.max_unacked_clients);
    /* HA's own listener (on by default from Kea 2.3.7 when kea-dhcp4 runs
     * multi-threaded) would bind this server's peer URL: the port of the
     * kea-ctrl-agent the partner talks to. Lease updates go through the agent. */
    cJSON *mt = cJSON_AddObjectToObject(ha, "multi-threading");
    cJSON_AddBoolToObject(mt, "enable-multi-threading", 0);
    cJSON_AddBoolToObject(mt, "http-dedicated-listener", 0);
    cJSON *peers = cJSON_AddArrayToObject(ha, "peers");
    cJSON_AddItemToArray(peers, peer(primary, purl, "primary", rel));
    cJSON_AddItemToArray(peers, peer(secondary, surl, hot ? "standby" : "secondary", rel));
    cJSON *params = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(params, "high-availability");
    cJSON_AddItemToArray(list, ha);
    return params;
}

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
    char path[4200], err[WIN_HOST_ERR_LEN];
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

int fo_ha_apply(const struct win_ctx *ctx, const struct fo_relationship *rel, int *changed,
                struct win_status *st)
{
    *changed = 0;
    const char *path = fo_config_path(ctx);
    if (!path)
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "the kea-dhcp4 configuration file is unknown: set the hook parameter "
                        "config-file");
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
    cJSON *ha = find_library(libs, HA_LIBRARY);
    if (rel) {
        cJSON *params = fo_ha_parameters(rel);
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(ha, "parameters");
        *changed = !ha || !cJSON_Compare(old, params, 1);
        if (!find_library(libs, LEASE_CMDS_LIBRARY)) { /* HA needs lease_cmds */
            cJSON_AddItemToArray(libs, library_entry(ctx->host, libs, LEASE_CMDS_LIBRARY));
            *changed = 1;
        }
        if (!ha) cJSON_AddItemToArray(libs, ha = library_entry(ctx->host, libs, HA_LIBRARY));
        if (cJSON_HasObjectItem(ha, "parameters"))
            cJSON_ReplaceItemInObjectCaseSensitive(ha, "parameters", params);
        else
            cJSON_AddItemToObject(ha, "parameters", params);
    } else if (ha) {
        cJSON_DetachItemViaPointer(libs, ha);
        cJSON_Delete(ha);
        *changed = 1;
    }
    int rc = *changed ? check_libraries(ctx->host, libs, path, st) : 0;
    if (*changed && rc == 0) {
        char err[512];
        char *out = cJSON_Print(root);
        if (!out || file_write_atomic(path, out, strlen(out), err, sizeof err) < 0)
            rc = win_fail(st, ERROR_DHCP_JET_ERROR, "cannot rewrite %s: %s", path,
                          out ? err : "out of memory");
        free(out);
    }
    cJSON_Delete(root);
    return rc;
}

static void warn(cJSON *warnings, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(cJSON *warnings, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cJSON_AddItemToArray(warnings, cJSON_CreateString(text));
}

void fo_ha_effect(const struct fo_relationship *rel, cJSON *arguments)
{
    struct ha_timing t = timing_of(rel);
    cJSON *effect = cJSON_AddObjectToObject(arguments, "kea-effect");
    cJSON *warnings = cJSON_AddArrayToObject(arguments, "warnings");
    cJSON *ha = fo_ha_parameters(rel);
    cJSON_AddItemToObject(effect, "high-availability",
                          cJSON_Duplicate(cJSON_GetArrayItem(
                                              cJSON_GetObjectItem(ha, "high-availability"), 0),
                                          1));
    cJSON_AddStringToObject(effect, "scopes", "every subnet of this server");
    cJSON_AddStringToObject(effect, "load-split",
                            rel->mode == WIN_FO_HOT_STANDBY
                                ? "the primary serves every client; the standby none"
                                : "50/50 by client hash");
    if (t.hook_timed)
        cJSON_AddStringToObject(effect, "safe-period",
                                "timed by this hook (checked every 5 s): partner-down "
                                "(ha-maintenance-start) once the partner has been "
                                "unreachable that long");
    else if (rel->safe_period == FO_SAFE_PERIOD_DISABLED)
        cJSON_AddStringToObject(effect, "safe-period", "no automatic partner-down");
    else
        cJSON_AddStringToObject(effect, "safe-period",
                                "Kea's own detection: max-response-delay");
    cJSON_AddStringToObject(effect, "shared-secret",
                            rel->has_secret ? "peer basic-auth password (user " FO_PEER_USER
                                              ") between the partners' kea-ctrl-agents"
                                            : "none: peers send no credentials");

    warn(warnings, "Kea 2.2 runs one HA relationship per server, covering all its subnets: "
                   "the scopes list is kept for Windows tools only");
    warn(warnings, "Kea 2.2 HA has no MCLT: mclt %u is stored only", rel->mclt);
    if (rel->mode == WIN_FO_LOAD_BALANCE && rel->percentage != 50)
        warn(warnings, "Kea 2.2 load balancing always splits 50/50: percentage %d is stored "
                       "only", rel->percentage);
    if (rel->mode == WIN_FO_HOT_STANDBY)
        warn(warnings, "Kea 2.2 hot standby keeps no reserve of addresses for the standby: "
                       "percentage %d is stored only", rel->percentage);
    warn(warnings, "prev-state is stored only: Kea keeps its own state machine");
    warn(warnings, "a Kea 2.2 server that starts (waiting) without reaching its partner goes "
                   "to partner-down by itself after max-response-delay (%u ms), whatever the "
                   "safe period", t.max_response_delay);
    if (rel->mode == WIN_FO_HOT_STANDBY && rel->safe_period != FO_SAFE_PERIOD_DISABLED &&
        t.hook_timed)
        warn(warnings, "a Kea 2.2 hot-standby primary goes to partner-down as soon as it "
                       "loses its partner (after max-response-delay %u ms), before the safe "
                       "period", t.max_response_delay);
    if (rel->mode == WIN_FO_HOT_STANDBY && rel->safe_period == FO_SAFE_PERIOD_DISABLED)
        warn(warnings, "a Kea 2.2 hot-standby primary goes to partner-down by itself once its "
                       "partner is silent for max-response-delay (%u ms): the safe period "
                       "cannot be disabled there", t.max_response_delay);
    if (rel->has_secret)
        warn(warnings, "each partner's kea-ctrl-agent must accept the user " FO_PEER_USER
                       " with the shared secret as its password");
    cJSON_Delete(ha);
}
