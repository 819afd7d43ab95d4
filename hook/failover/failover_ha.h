/* Failover relationship -> Kea HA hook configuration. */
#ifndef FAILOVER_HA_H
#define FAILOVER_HA_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "failover_store.h"
#include "win_context.h"

/* The HA peers authenticate to each other's kea-ctrl-agent as this user, with
 * the shared secret as password. */
#define FO_PEER_USER "win-failover"

/* What a relationship without TLS material says in its warnings, and logs. */
#define FO_HA_PLAIN_HTTP_WARNING                                                         \
    "the partners' traffic is unencrypted: Kea HA's lease updates and heartbeats, the "  \
    "replicated records and the peers' basic-auth password go over plain http; give "    \
    "trust-anchor, cert-file and key-file with https URLs to encrypt it"

/* rel as one entry of libdhcp_ha.so's "high-availability" list. */
cJSON *fo_ha_relationship(const struct win_ctx *ctx, const struct fo_relationship *rel);
/* This server's peer name in rel (its this-server-name there). */
void fo_ha_this_server_name(const struct win_ctx *ctx, const struct fo_relationship *rel,
                            char *out, size_t size);

/* How long a command may wait for the partner without delaying Kea HA's own
 * heartbeats enough to change its state: half of what max-response-delay
 * leaves after a heartbeat, at most 2 s. */
unsigned fo_ha_wait_budget_ms(const struct win_ctx *ctx, const struct fo_relationship *rel);

/* 1 when Kea HA itself times a safe period (max-response-delay can hold it),
 * 0 when it is disabled or longer (the hook times it). */
int fo_ha_kea_times(const struct win_ctx *ctx, uint32_t safe_period);

/* The kea-dhcp4 configuration file the HA entry lives in. */
const char *fo_config_path(const struct win_ctx *ctx);

/* Puts the relationships of store into the state file and the configuration
 * file (none removes the HA entry), adding lease_cmds when missing and, with
 * several, naming each subnet's relationship (a subnet in none: ERROR_DHCP_
 * FO_SCOPE_NOT_IN_RELATIONSHIP). When Kea's side changes, its peer URLs and
 * libraries are checked, the new file is written beside the old one and
 * checked by the running release (host config_check: kea-dhcp4 -t), the state
 * file is saved, and only then is the new file swapped in; a failure at any
 * step leaves both files as they were (the state file is put back). *changed
 * says whether the configuration file changed. Comments in it are not kept.
 * (failover_config.c) */
int fo_ha_apply(const struct win_ctx *ctx, const struct fo_store *store, int *changed,
                struct win_status *st);

/* Adds "kea-effect" (what the running Kea release does with rel, one of
 * relationships) and "warnings" (what it cannot do) to an answer's arguments. */
void fo_ha_effect(const struct win_ctx *ctx, const struct fo_relationship *rel,
                  size_t relationships, cJSON *arguments);

#endif
