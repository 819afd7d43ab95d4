/* The relationships' Windows-only state (mclt, percentage, prev-state, scope
 * membership, names...) in a JSON file of the state directory, replaced
 * atomically on every change so that it survives reloads, restarts and
 * crashes. Kea HA holds the rest. */
#ifndef FAILOVER_STORE_H
#define FAILOVER_STORE_H

#include "failover_relationship.h"
#include "win_context.h"

#define FO_STORE_FILE "win-failover-relationships.json"
#define FO_STORE_MAX 31 /* DHCP_FAILOVER_MAX_NUM_REL */

struct fo_store {
    struct fo_relationship *items;
    size_t count;
};

/* An absent file is an empty store; an unreadable one ERROR_DHCP_JET_ERROR. */
int fo_store_load(const struct win_config *cfg, struct fo_store *store, struct win_status *st);
int fo_store_save(const struct win_config *cfg, const struct fo_store *store,
                  struct win_status *st);
void fo_store_free(struct fo_store *store);
struct fo_relationship *fo_store_find(const struct fo_store *store, const char *name);
/* Appends a copy; -1 when full. */
int fo_store_add(struct fo_store *store, const struct fo_relationship *rel);
void fo_store_remove(struct fo_store *store, struct fo_relationship *rel);

#endif
