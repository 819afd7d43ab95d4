/* A client record changed on this server: one record's create, set or
 * delete, with the checks MS-DHCPM puts before the write. Whether the record
 * may change at all is asked of a gate once its subnet is known and before
 * anything is written: the subnet's failover pair may forbid it, which is
 * replication's to say (the layer above passes its gate in). */
#ifndef CLIENT_CHANGE_H
#define CLIENT_CHANGE_H

#include <cjson/cJSON.h>

#include "client_record.h"
#include "win_context.h"
#include "win_host.h"
#include "win_status.h"

/* The caller's gate, the first member of its own state: 0 lets the record in
 * subnet change; -1 with st refuses (nothing is written). */
struct client_gate {
    int (*admit)(struct client_gate *gate, const struct win_ctx *ctx,
                 const struct win_subnet *subnet, struct win_status *st);
};

/* Create's conflict checks (MS-DHCPM step 4) for a lease about to be written
 * into subnet: a lease for the address, this client elsewhere in the subnet,
 * a reservation of the address for another client. 0, or -1 with st. The
 * failover partner runs them on a replicated create too. */
/* A reservation of wanted's address for another client: 0 (none), or -1
 * with st (20014 naming it). */
int client_reservation_conflicts(const struct win_ctx *ctx, const struct win_lease *wanted,
                                 const struct win_subnet *subnet, struct win_status *st);
int client_create_conflicts(const struct win_ctx *ctx, const struct win_lease *wanted,
                            const struct win_subnet *subnet, struct win_status *st);

/* One record of win-client-info-vq-create, checked and written here (*out
 * the stored lease, *subnet its scope); st is left as it was on success.
 * 0, or -1 with st. */
int client_create_one(const struct win_ctx *ctx, const cJSON *item, struct client_gate *gate,
                      struct win_lease *out, struct win_subnet *subnet, struct win_status *st);
/* "client 192.0.2.10 created in subnet 192.0.2.0/24" into st. */
void client_describe_created(const struct win_lease *lease, const struct win_subnet *subnet,
                             struct win_status *st);

/* win-client-info-v4-set / -vq-set's record, updated here: *before the lease
 * as it was, *after as written, *subnet its scope when *has_subnet (the
 * caller clears both leases). 0, or -1 with st. */
int client_set_one(const struct win_ctx *ctx, const cJSON *args, enum client_record_form form,
                   struct client_gate *gate, struct win_lease *before, struct win_lease *after,
                   struct win_subnet *subnet, int *has_subnet, struct win_status *st);

/* win-client-info-delete's record, deleted here: 0 with *removed the lease
 * that was deleted (the caller clears it), or -1 with st. */
int client_delete_one(const struct win_ctx *ctx, const cJSON *args, struct client_gate *gate,
                      struct win_lease *removed, struct win_status *st);

#endif
