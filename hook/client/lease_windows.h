/* The Windows-only fields of a record, kept under the key "windows" of the
 * Kea lease's user-context (never under "ISC"). Kea's own columns hold the
 * rest: address, identifier, hostname (client-name), cltt/valid-lft (expiry),
 * state (address state). */
#ifndef LEASE_WINDOWS_H
#define LEASE_WINDOWS_H

#include <cjson/cJSON.h>

#include "client_record.h"
#include "value_formats.h"
#include "win_context.h"

#define LEASE_WINDOWS_KEY "windows"

/* Writes a record into a lease's user-context (*context NULL for a new one):
 * every key the lease had is kept; inside "windows" the fields the record
 * gives replace the stored ones, and the address state becomes
 * address_state (bits 0-1 mirror the Kea state, bits 2-7 are DNS flags only
 * Windows tools read). Fields equal to what a reader assumes when they are
 * absent are removed, so the context may end up NULL. -1 when memory ran out. */
int lease_windows_context_set(struct cJSON **context, const struct win_client_record *rec,
                              const struct win_config *cfg, int address_state);

/* The client-name rule, one for create, set and kea-win-import (leases and
 * reservations): Kea's hostname is the name in lower case (Kea's form) when it
 * is a DNS name (win_is_dns_name), else there is none: Kea hands a hostname
 * to DNS updates and, from a reservation, to the client, and free text such
 * as "Printer 2nd floor" is no host's name. The name as given is kept in
 * user-context windows.client-name whenever the hostname does not hold it
 * exactly (lease_windows_context_set). Writes the hostname, or "", into out
 * (LEASE_HOSTNAME_SIZE bytes hold every one); 1 when there is one. */
#define LEASE_HOSTNAME_SIZE (WIN_DNS_NAME_MAX + 1)
int lease_windows_hostname(const char *name, char *out, size_t size);

/* Windows-side view of a stored lease; a lease Kea made itself (or whose
 * context was edited by hand) gets defaults for whatever is missing or bad. */
struct lease_windows_view {
    const cJSON *windows;    /* the lease's "windows" map, or NULL */
};
void lease_windows_view_open(struct lease_windows_view *view, const struct win_lease *lease);
/* A stored whole number within [0, max], else fallback. */
int lease_windows_int(const struct lease_windows_view *view, const char *key, int max,
                      int fallback);
/* A stored string, else fallback. */
const char *lease_windows_string(const struct lease_windows_view *view, const char *key,
                                 const char *fallback);
const cJSON *lease_windows_item(const struct lease_windows_view *view, const char *key);

/* The record's client-name: the name as it was given while Kea's hostname
 * still stands for it (the same but for case, or none for a name that is no
 * DNS name); Kea's hostname once a DHCP client renamed itself. */
const char *lease_windows_client_name(const struct win_lease *lease,
                                      const struct lease_windows_view *view);

#endif
