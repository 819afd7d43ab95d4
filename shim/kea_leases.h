// The host calls over Kea's leases, reservations and pools, and the address
// locks a change takes (the lease part of the host table of kea_host.h).
#ifndef KEA_LEASES_H
#define KEA_LEASES_H

#include "win_host.h"

namespace win_cmds {

// Fills the table's lease, subnet lookup, pool, reservation and lock calls.
void fill_lease_calls(win_host& table);
// Drops every address lock and the cached user context (unload()).
void leases_release();

}  // namespace win_cmds

#endif
