/* The hook-timed part of the failover safe period (see failover_ha.c). */
#ifndef FAILOVER_SAFE_PERIOD_H
#define FAILOVER_SAFE_PERIOD_H

#include "win_context.h"

/* Called every few seconds by the host. */
void fo_safe_period_tick(const struct win_ctx *ctx);
void fo_safe_period_reset(void);

#endif
