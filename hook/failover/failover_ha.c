/* A Windows failover relationship as Kea High Availability: the HA hook's
 * parameters for it, and what the running Kea release does (and cannot do)
 * with each Windows field. */
#include "failover_ha.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failover_auth.h"
#include "failover_tls.h"
#include "json_fields.h"
#include "value_formats.h"
#include "win_enums.h"

#define NEVER_PARTNER_DOWN 4294967295.0 /* max-unacked-clients no count exceeds */
/* Heartbeats three times per max-response-delay, within these bounds (ms). */
#define HEARTBEAT_DELAY_MIN 500u
#define HEARTBEAT_DELAY_MAX 10000u
#define MAX_ACK_DELAY 10000     /* ms a client may wait for the partner's ack */
/* The least a command may wait for the partner (ms), see fo_ha_wait_budget_ms. */
#define WAIT_BUDGET_MIN 100u

struct ha_timing {
    uint32_t max_response_delay, heartbeat_delay;
    double max_unacked_clients;
    int hook_timed; /* the safe period is longer than Kea can time */
};

static struct ha_timing timing_of(const struct win_ctx *ctx, const struct fo_relationship *rel)
{
    struct ha_timing t;
    uint32_t sp = rel->safe_period;
    if (fo_ha_kea_times(ctx, sp)) {
        /* Kea itself goes to partner-down once the partner is silent that long. */
        t.max_response_delay = sp ? sp * 1000 : 1000;
        t.max_unacked_clients = 0;
        t.hook_timed = 0;
    } else {
        t.max_response_delay =
            rel->max_response_delay
                ? rel->max_response_delay
                : ctx->host->ha_timing_limits(ctx->host->ctx)->max_response_delay_default;
        t.max_unacked_clients = NEVER_PARTNER_DOWN;
        t.hook_timed = sp != FO_SAFE_PERIOD_DISABLED;
    }
    uint32_t hb = t.max_response_delay / 3;
    t.heartbeat_delay = hb < HEARTBEAT_DELAY_MIN   ? HEARTBEAT_DELAY_MIN
                        : hb > HEARTBEAT_DELAY_MAX ? HEARTBEAT_DELAY_MAX
                                                   : hb;
    return t;
}

int fo_ha_kea_times(const struct win_ctx *ctx, uint32_t safe_period)
{
    return safe_period != FO_SAFE_PERIOD_DISABLED &&
           (uint64_t)safe_period * 1000 <= ctx->host->ha_timing_limits(ctx->host->ctx)->delay_max;
}

unsigned fo_ha_wait_budget_ms(const struct win_ctx *ctx, const struct fo_relationship *rel)
{
    struct ha_timing t = timing_of(ctx, rel);
    uint32_t room = t.max_response_delay > t.heartbeat_delay
                        ? (t.max_response_delay - t.heartbeat_delay) / 2 : 0;
    /* partner-wait-ms: kea-dhcp4's main thread reads no DHCP packet while it
     * waits (README, "DHCP while managing"). */
    uint32_t most = ctx->config->partner_wait_ms;
    uint32_t least = most < WAIT_BUDGET_MIN ? most : WAIT_BUDGET_MIN;
    return room < least ? least : room > most ? most : room;
}

static cJSON *peer(const char *name, const char *url, const char *role,
                   const struct fo_relationship *rel)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "url", url);
    cJSON_AddStringToObject(p, "role", role);
    cJSON_AddBoolToObject(p, "auto-failover", 1);
    fo_auth_ha_peer(rel, p);
    return p;
}

/* Where Kea runs several relationships their peer names must all differ, and
 * a server in two (a hub) would repeat its own: there the names carry the
 * relationship's, "dhcp-a@north", the same on both partners. */
static void peer_name(const struct win_ctx *ctx, const struct fo_relationship *rel, int primary,
                      char *out, size_t size)
{
    char server[FO_TEXT_MAX];
    if (primary)
        fo_primary_name(rel, server, sizeof server);
    else
        fo_secondary_name(rel, server, sizeof server);
    if (ctx->host->kea_facts(ctx->host->ctx)->ha_relationships > 1)
        snprintf(out, size, "%.500s@%.500s", server, rel->name);
    else
        snprintf(out, size, "%s", server);
}

void fo_ha_this_server_name(const struct win_ctx *ctx, const struct fo_relationship *rel,
                            char *out, size_t size)
{
    peer_name(ctx, rel, rel->server_type == WIN_FO_PRIMARY, out, size);
}

cJSON *fo_ha_relationship(const struct win_ctx *ctx, const struct fo_relationship *rel)
{
    char primary[FO_TEXT_MAX], secondary[FO_TEXT_MAX], purl[FO_TEXT_MAX], surl[FO_TEXT_MAX];
    peer_name(ctx, rel, 1, primary, sizeof primary);
    peer_name(ctx, rel, 0, secondary, sizeof secondary);
    fo_primary_url(rel, purl, sizeof purl);
    fo_secondary_url(rel, surl, sizeof surl);
    int hot = rel->mode == WIN_FO_HOT_STANDBY;
    struct ha_timing t = timing_of(ctx, rel);

    cJSON *ha = cJSON_CreateObject();
    cJSON_AddStringToObject(ha, "this-server-name",
                            rel->server_type == WIN_FO_PRIMARY ? primary : secondary);
    cJSON_AddStringToObject(ha, "mode", hot ? "hot-standby" : "load-balancing");
    cJSON_AddNumberToObject(ha, "heartbeat-delay", t.heartbeat_delay);
    cJSON_AddNumberToObject(ha, "max-response-delay", t.max_response_delay);
    cJSON_AddNumberToObject(ha, "max-ack-delay", MAX_ACK_DELAY);
    cJSON_AddNumberToObject(ha, "max-unacked-clients", t.max_unacked_clients);
    /* One lease database under both: each lease is the pair's as it is
     * written, so HA neither sends it nor fetches the partner's at startup. */
    if (rel->shared_lease_database) {
        cJSON_AddBoolToObject(ha, "send-lease-updates", 0);
        cJSON_AddBoolToObject(ha, "sync-leases", 0);
    }
    /* HA's own listener (on by default from Kea 2.3.7 when kea-dhcp4 runs
     * multi-threaded) would bind this server's peer URL: the port of the
     * kea-ctrl-agent the partner talks to. Lease updates go through the agent. */
    cJSON *mt = cJSON_AddObjectToObject(ha, "multi-threading");
    cJSON_AddBoolToObject(mt, "enable-multi-threading", 0);
    cJSON_AddBoolToObject(mt, "http-dedicated-listener", 0);
    /* TLS at the relationship's level (every release takes it there): the
     * client side of both peers, and the server side of this one, which only
     * HA's own listener would use. */
    if (fo_has_tls(rel)) {
        cJSON_AddStringToObject(ha, "trust-anchor", rel->trust_anchor);
        cJSON_AddStringToObject(ha, "cert-file", rel->cert_file);
        cJSON_AddStringToObject(ha, "key-file", rel->key_file);
        cJSON_AddBoolToObject(ha, "require-client-certs", rel->require_client_certs);
    }
    cJSON *peers = cJSON_AddArrayToObject(ha, "peers");
    cJSON_AddItemToArray(peers, peer(primary, purl, "primary", rel));
    cJSON_AddItemToArray(peers, peer(secondary, surl, hot ? "standby" : "secondary", rel));
    return ha;
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

/* What Kea does with the safe period. */
static const char *safe_period_effect(const struct fo_relationship *rel, size_t relationships,
                                      const struct ha_timing *t)
{
    if (relationships > 1 && t->hook_timed)
        return "not timed: beside other relationships a takeover "
               "(ha-maintenance-start) would take over all of them";
    if (t->hook_timed)
        return "timed by this hook (checked every 5 s): partner-down "
               "(ha-maintenance-start) once the partner has been "
               "unreachable that long";
    if (rel->safe_period == FO_SAFE_PERIOD_DISABLED) return "no automatic partner-down";
    return "Kea's own detection: max-response-delay";
}

/* kea-effect: the HA parameters Kea runs for rel and what each Windows field
 * does there. */
static void fill_effect(const struct win_ctx *ctx, const struct fo_relationship *rel,
                        size_t relationships, const struct ha_timing *t, const char *v,
                        cJSON *effect)
{
    cJSON_AddStringToObject(effect, "kea-release", v);
    cJSON *ha = fo_ha_relationship(ctx, rel), *p;
    /* An answer shows that a peer has a password, never the password. */
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(ha, "peers"))
        if (cJSON_GetObjectItemCaseSensitive(p, "basic-auth-password"))
            cJSON_ReplaceItemInObjectCaseSensitive(p, "basic-auth-password",
                                                   cJSON_CreateString(FO_MASKED));
    cJSON_AddItemToObject(effect, "high-availability", ha);
    if (relationships > 1) {
        cJSON *scopes = cJSON_AddArrayToObject(effect, "scopes");
        for (size_t i = 0; i < rel->scope_count; i++) {
            char text[WIN_IPV4_TEXT];
            win_ipv4_format(rel->scopes[i], text);
            cJSON_AddItemToArray(scopes, cJSON_CreateString(text));
        }
        cJSON_AddStringToObject(effect, "subnet-names",
                                "each of these scopes' subnets names this relationship "
                                "(user-context ha-server-name): set by this hook in memory "
                                "each time kea-dhcp4 is configured; the configuration file is "
                                "not changed");
    } else {
        cJSON_AddStringToObject(effect, "scopes", "every subnet of this server");
    }
    cJSON_AddStringToObject(effect, "load-split",
                            rel->mode == WIN_FO_HOT_STANDBY
                                ? "the primary serves every client; the standby none"
                                : "50/50 by client hash");
    cJSON_AddStringToObject(effect, "safe-period", safe_period_effect(rel, relationships, t));
    cJSON_AddStringToObject(effect, "shared-secret",
                            rel->has_secret ? "the key (through HKDF-SHA256) of the MAC on "
                                              "replicas and their answers; never sent"
                                            : "none: records are not replicated");
    cJSON_AddStringToObject(effect, "credentials", fo_auth_effect(rel));
    cJSON_AddStringToObject(effect, "lease-database",
                            rel->shared_lease_database
                                ? "shared: both servers keep their leases in one SQL database; "
                                  "Kea HA sends no lease updates and syncs none, the hook "
                                  "sends no record to the partner, and the database's one row "
                                  "per address decides between the partners"
                                : "each server's own: Kea HA sends lease updates, the hook "
                                  "applies each record change on the partner");
    cJSON_AddStringToObject(effect, "tls",
                            fo_has_tls(rel)
                                ? "https: Kea HA and the replication channel check the "
                                  "partner's certificate against trust-anchor and present "
                                  "cert-file; whether the partner demands that certificate "
                                  "is its kea-ctrl-agent's (or Kea 3.0 HTTP socket's) "
                                  "cert-required (require-client-certs binds HA's own "
                                  "listener, which this hook leaves off)"
                                : "none: plain http between the partners");
}

/* How many relationships the release runs beside each other, and how. */
static void warn_relationship_count(const struct win_kea_facts *kea, size_t relationships,
                                    cJSON *warnings)
{
    const char *v = kea->release;
    if (kea->ha_relationships > 1) {
        if (relationships > 1)
            warn(warnings, "Kea %s runs this as one of %zu hot-standby HA relationships: each "
                           "subnet names its relationship (user-context ha-server-name, set in "
                           "memory by this hook), and peers are named server@relationship", v, relationships);
        else
            warn(warnings, "Kea %s runs this as the server's only HA relationship, covering "
                           "all its subnets; with a second one (hot-standby only) each scope "
                           "is served by its own relationship", v);
        warn(warnings, "Kea %s runs several relationships in hot-standby only: a "
                       "load-balancing relationship stays the server's only one", v);
    } else {
        warn(warnings, "Kea %s runs one HA relationship per server, covering all its subnets: "
                       "the scopes list is kept for Windows tools only", v);
    }
}

/* warnings: what Kea cannot do of rel. */
static void fill_warnings(const struct win_kea_facts *kea, const struct fo_relationship *rel,
                          size_t relationships, const struct ha_timing *t, cJSON *warnings)
{
    const char *v = kea->release;
    warn_relationship_count(kea, relationships, warnings);
    warn(warnings, "Kea %s HA has no MCLT: mclt %u is stored only", v, rel->mclt);
    if (rel->mode == WIN_FO_LOAD_BALANCE && rel->percentage != 50)
        warn(warnings, "Kea %s load balancing always splits 50/50: percentage %d is stored "
                       "only", v, rel->percentage);
    if (rel->mode == WIN_FO_HOT_STANDBY)
        warn(warnings, "Kea %s hot standby keeps no reserve of addresses for the standby: "
                       "percentage %d is stored only", v, rel->percentage);
    warn(warnings, "prev-state is stored only: Kea keeps its own state machine");
    warn(warnings, "a Kea %s server that starts (waiting) without reaching its partner goes "
                   "to partner-down by itself after max-response-delay (%u ms), whatever the "
                   "safe period", v, t->max_response_delay);
    if (rel->mode == WIN_FO_HOT_STANDBY && rel->safe_period != FO_SAFE_PERIOD_DISABLED &&
        t->hook_timed)
        warn(warnings, "a Kea %s hot-standby primary goes to partner-down as soon as it "
                       "loses its partner (after max-response-delay %u ms), before the safe "
                       "period", v, t->max_response_delay);
    if (rel->mode == WIN_FO_HOT_STANDBY && rel->safe_period == FO_SAFE_PERIOD_DISABLED)
        warn(warnings, "a Kea %s hot-standby primary goes to partner-down by itself once its "
                       "partner is silent for max-response-delay (%u ms): the safe period "
                       "cannot be disabled there", v, t->max_response_delay);
    if (relationships > 1)
        warn(warnings, "a takeover (state partner-down) is refused beside other "
                       "relationships: Kea's ha-maintenance-start acts on all of them");
    if (rel->legacy_secret_auth)
        warn(warnings, "the partners still log in to each other's control endpoint with the "
                       "shared secret (user " FO_LEGACY_USER "): set basic-auth-user and "
                       "basic-auth-password-file (README, \"Moving a relationship off the "
                       "shared secret\")");
    else if (rel->auth_user[0])
        warn(warnings, "each partner's control endpoint must accept the user %.200s with "
                       "the password given", rel->auth_user);
    if (!fo_has_tls(rel))
        warn(warnings, "%s", FO_HA_PLAIN_HTTP_WARNING);
}

void fo_ha_effect(const struct win_ctx *ctx, const struct fo_relationship *rel,
                  size_t relationships, cJSON *arguments)
{
    const struct win_kea_facts *kea = ctx->host->kea_facts(ctx->host->ctx);
    struct ha_timing t = timing_of(ctx, rel);
    cJSON *effect = cJSON_AddObjectToObject(arguments, "kea-effect");
    cJSON *warnings = cJSON_AddArrayToObject(arguments, "warnings");
    fill_effect(ctx, rel, relationships, &t, kea->release, effect);
    fill_warnings(kea, rel, relationships, &t, warnings);
}
