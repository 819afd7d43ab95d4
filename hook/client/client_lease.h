/* The parts of a Kea lease that a Windows record sets, shared by create and
 * set: lifetime from a Windows expiry, Kea state from an address state. */
#ifndef CLIENT_LEASE_H
#define CLIENT_LEASE_H

#include "client_record.h"
#include "win_context.h"
#include "win_host.h"
#include "win_status.h"

/* Windows keeps one expiry time; Kea keeps cltt + valid-lft. A future expiry
 * is cltt = now, valid-lft = expiry - now; a past one a lease of the subnet's
 * lifetime (subnet_lft) that ended then; "infinite" Kea's infinite lifetime.
 * 87 when the expiry lies beyond what Kea's 32-bit lifetime can reach. */
int client_lease_expire_at(const struct win_client_record *rec, uint32_t subnet_lft,
                           int64_t now, struct win_lease *lease, struct win_status *st);

/* Kea lease state for a Windows address state (bits 0-1): active 0,
 * declined 1, doom 2; offered is stored as 0. */
uint8_t client_lease_kea_state(int address_state);

/* Replaces the lease's identifier: 6 bytes to hw-address, else client-id. */
void client_lease_set_identifier(const struct win_client_record *rec, struct win_lease *lease);

/* Replaces the lease's hostname with what the client-name rule makes of the
 * record's name (lease_windows_hostname: none for "" or a name that is no DNS
 * name); ERROR_DHCP_JET_ERROR when memory ran out. */
int client_lease_set_name(const struct win_client_record *rec, struct win_lease *lease,
                          struct win_status *st);

/* Takes Kea's allocation lock of addr (with multi-threading on) for a
 * read-modify-write of its lease; ERROR_DHCP_JET_ERROR when a DHCP packet
 * thread holds it at this very moment. Release with host->address_unlock. */
int client_lease_lock(const struct win_ctx *ctx, uint32_t addr, struct win_status *st);

#endif
