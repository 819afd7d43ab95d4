/* "configure-partner": true on win-failover-relationship-create, -set and
 * -delete does the same on the partner (roles swapped), as Windows'
 * Add-/Set-/Remove-DhcpServerv4Failover do; without it a command acts on
 * this server alone, as the RPC does. The partner is asked first, through
 * its control endpoint with the relationship's shared secret, so that what
 * it refuses (a scope it lacks: ERROR_DHCP_SUBNET_NOT_PRESENT) changes
 * nothing on either server. */
#ifndef FAILOVER_PARTNER_H
#define FAILOVER_PARTNER_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "win_context.h"
#include "win_status.h"

/* "configure-partner" of args: 0 with *wanted, or -1 (87) when not a boolean. */
int fo_partner_wanted(const cJSON *args, int *wanted, struct win_status *st);

/* Runs command on rel's partner with args (without configure-partner; a
 * create's server-type swapped). 0, or -1 with st naming the partner: its
 * own Windows code when it refused, 20122 when it could not be asked. */
int fo_partner_run(const struct win_ctx *ctx, const struct fo_relationship *rel,
                   const char *command, const cJSON *args, struct win_status *st);

#endif
