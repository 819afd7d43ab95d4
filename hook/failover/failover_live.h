/* What the running Kea says about HA: its state (status-get)
 * mapped to FSM_STATE, and the HA parameters it actually runs (config-get),
 * which win over the stored ones if someone edited the configuration. */
#ifndef FAILOVER_LIVE_H
#define FAILOVER_LIVE_H

#include "failover_relationship.h"
#include "win_context.h"

struct fo_live {
    int running;             /* the HA hook answered */
    char kea_state[40];      /* its raw state, or "not-running" */
    int fsm;                 /* the Windows state it stands for */
    int partner_interrupted; /* status-get: communication with the partner is lost */
    cJSON *ha;               /* the running high-availability entry, or NULL */
};

enum fo_live_part { FO_LIVE_STATE, FO_LIVE_STATE_AND_CONFIG };

/* The HA state of rel (NULL: the only relationship); with
 * FO_LIVE_STATE_AND_CONFIG also the running HA entry (config-get serialises
 * Kea's whole configuration: only when it is used). */
void fo_live_read(const struct win_ctx *ctx, const struct fo_relationship *rel,
                  enum fo_live_part part, struct fo_live *live);
void fo_live_free(struct fo_live *live);

/* Kea HA state -> FSM_STATE; -1 for a state with no Windows counterpart. */
int fo_live_fsm_of(const char *kea_state, int partner_interrupted);

/* rel as Kea runs it: live state, mode, role and peers over the stored ones. */
void fo_live_overlay(const struct fo_live *live, struct fo_relationship *rel);

#endif
