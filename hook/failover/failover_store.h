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
/* The file's bytes now, for fo_store_restore (*text NULL: there is none):
 * 0, or -1 with ERROR_DHCP_JET_ERROR. */
int fo_store_snapshot(const struct win_config *cfg, char **text, struct win_status *st);
/* Puts back what fo_store_snapshot read (NULL removes the file): 0, or -1
 * with a sentence in err. */
int fo_store_restore(const struct win_config *cfg, const char *text, char *err, size_t size);
void fo_store_free(struct fo_store *store);
struct fo_relationship *fo_store_find(const struct fo_store *store, const char *name);
/* Appends a copy; -1 when full. */
int fo_store_add(struct fo_store *store, const struct fo_relationship *rel);
void fo_store_remove(struct fo_store *store, struct fo_relationship *rel);

#endif
