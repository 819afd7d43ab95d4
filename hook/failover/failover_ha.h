/* Failover relationship -> Kea HA hook configuration. */
#ifndef FAILOVER_HA_H
#define FAILOVER_HA_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "failover_store.h"
#include "win_context.h"

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
 * heartbeats enough to change its state (half of what max-response-delay
 * leaves after a heartbeat), and DHCP clients more than the bound of one
 * command: at most partner-wait-ms, at least 100 ms or that. */
unsigned fo_ha_wait_budget_ms(const struct win_ctx *ctx, const struct fo_relationship *rel);

/* 1 when Kea HA itself times a safe period (max-response-delay can hold it),
 * 0 when it is disabled or longer (the hook times it). */
int fo_ha_kea_times(const struct win_ctx *ctx, uint32_t safe_period);

/* The kea-dhcp4 configuration file kea-dhcp4 reads (read only). */
const char *fo_config_path(const struct win_ctx *ctx);

/* The managed HA fragment, in the state directory: the operator's
 * configuration takes it as the last thing in "hooks-libraries". */
#define FO_FRAGMENT_FILE "ha-library.json"

/* Puts the relationships of store into the state file and the HA fragment
 * (a comment only with none). The operator's configuration must take the
 * fragment (<?include?>, last in hooks-libraries) and load lease_cmds; with
 * several relationships every subnet Kea runs must be in one (ERROR_DHCP_FO_
 * SCOPE_NOT_IN_RELATIONSHIP). When the fragment changes, the peer URLs and
 * the HA library are checked, the candidate fragment and the operator's
 * configuration taking it are written in the state directory and checked by
 * the running release (host config_check: kea-dhcp4 -t), the state file is
 * saved, and only then does the candidate replace the fragment; a failure at
 * any step leaves both as they were (the state file is put back). *changed
 * says whether the fragment changed. Nothing is written anywhere else.
 * (failover_config.c) */
int fo_ha_apply(const struct win_ctx *ctx, const struct fo_store *store, int *changed,
                struct win_status *st);

/* With several relationships, names each subnet of the configuration Kea is
 * being configured with after its relationship (user-context ha-server-name,
 * in memory); a subnet in none is logged. (failover_config.c) */
void fo_ha_name_subnets(const struct win_ctx *ctx);

/* Adds "kea-effect" (what the running Kea release does with rel, one of
 * relationships) and "warnings" (what it cannot do) to an answer's arguments. */
void fo_ha_effect(const struct win_ctx *ctx, const struct fo_relationship *rel,
                  size_t relationships, cJSON *arguments);

#endif
