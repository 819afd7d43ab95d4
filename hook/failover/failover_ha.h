/* Failover relationship -> Kea HA hook configuration. */
#ifndef FAILOVER_HA_H
#define FAILOVER_HA_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "win_context.h"

/* The HA peers authenticate to each other's kea-ctrl-agent as this user, with
 * the shared secret as password. */
#define FO_PEER_USER "win-failover"

/* The libdhcp_ha.so parameters ({"high-availability": [...]}) for rel. */
cJSON *fo_ha_parameters(const struct fo_relationship *rel);

/* The kea-dhcp4 configuration file the HA entry lives in. */
const char *fo_config_path(const struct win_ctx *ctx);

/* Puts rel's HA entry into the configuration file (rel NULL removes it),
 * adding lease_cmds when missing; writes only when something differs and
 * says so in *changed. Comments in the file are not kept. */
int fo_ha_apply(const struct win_ctx *ctx, const struct fo_relationship *rel, int *changed,
                struct win_status *st);

/* Adds "kea-effect" (what Kea does with rel) and "warnings" (what it cannot
 * do) to an answer's arguments. */
void fo_ha_effect(const struct fo_relationship *rel, cJSON *arguments);

#endif
