/* What the running Kea says about HA: its state (the host's ha_state)
 * mapped to FSM_STATE and to what it lets a pair's record change do, and the
 * HA parameters it actually runs (the host's ha_parameters), which win over
 * the stored ones if someone edited the configuration. */
#ifndef FAILOVER_LIVE_H
#define FAILOVER_LIVE_H

#include "failover_relationship.h"
#include "win_context.h"

struct fo_live {
    struct win_ha_state state; /* Kea HA's state of the relationship */
    char state_err[WIN_HOST_ERR_LEN]; /* why it could not be read (then: not running) */
    int fsm;                   /* the Windows state it stands for */
    int has_ha;                /* ha holds the running parameters */
    struct win_ha_parameters ha;
};

/* What Kea HA's state lets a change of a failover pair's record do. */
enum fo_pair_reach {
    FO_PAIR_IN_TOUCH, /* the partner takes changes: send them, and what is queued */
    FO_PAIR_AWAY,     /* partner-down, recovering or out of touch: queue them */
    FO_PAIR_SYNCING,  /* this server's records are not the pair's yet: refuse */
    FO_PAIR_NO_HA     /* HA is not serving (not running, terminated): send, keep the queue */
};

enum fo_live_part { FO_LIVE_STATE, FO_LIVE_STATE_AND_CONFIG };

/* The HA state of rel (NULL: the only relationship); with
 * FO_LIVE_STATE_AND_CONFIG also the HA parameters Kea runs for it (only when
 * they are used). A failed read is logged: of the state, -1 with why in
 * state_err (the state then reads as not running: a change must refuse);
 * of the parameters, the stored ones stand. */
int fo_live_read(const struct win_ctx *ctx, const struct fo_relationship *rel,
                 enum fo_live_part part, struct fo_live *live);

/* Kea HA state -> FSM_STATE; -1 for a state with no Windows counterpart. */
int fo_live_fsm_of(const struct win_ha_state *state);
enum fo_pair_reach fo_live_pair_reach(const struct win_ha_state *state);

/* rel as Kea runs it: live state, mode, role and peers over the stored ones. */
void fo_live_overlay(const struct fo_live *live, struct fo_relationship *rel);

#endif
