/* A client's identity as Windows stores it (ClientHardwareAddress: option 61
 * without its type byte, or the MAC when the client sends no option 61) and as
 * Kea holds it in a lease (hw-address, client-id = the whole option 61). One
 * rule for every command and for kea-win-import:
 *   in:  6 bytes -> hw-address; IAID + DUID -> client-id ff + the bytes;
 *        anything else -> client-id as given (the caller gave the whole option)
 *   out: client-id ff + X -> X; 01 + 6 bytes -> the MAC; another client-id as
 *        it is; no client-id -> the hw-address. */
#ifndef CLIENT_IDENTIFIER_H
#define CLIENT_IDENTIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "win_context.h"
#include "win_status.h"

#define CLIENT_ID_TYPE_MAC 0x01      /* option 61 type 1: a MAC follows */
#define CLIENT_ID_TYPE_RFC4361 0xff  /* option 61 type 255: IAID + DUID follow */

/* Whether id is an RFC 4361 IAID (4 bytes) + DUID whose type and length agree
 * (LLT 1, EN 2, LL 3, UUID 4). */
int client_identifier_is_iaid_duid(const uint8_t *id, size_t len);

/* 87 for an identifier Windows takes and Kea cannot hold (a client-id is 2 to
 * 128 bytes, the ff included). */
int client_identifier_check(const uint8_t *id, size_t len, struct win_status *st);

/* The input rule: sets the lease's hw-address or client-id (the other empty). */
void client_identifier_to_lease(const uint8_t *id, size_t len, struct win_lease *lease);

/* The output rule: the Windows form of a lease's identity (points into lease). */
void client_identifier_of_lease(const struct win_lease *lease, const uint8_t **id,
                                size_t *len);

/* A record without an identity (Kea clears a declined address's) reads as its
 * address: the four bytes of addr, most significant first. */
#define CLIENT_ID_ADDRESS_LEN 4
void client_identifier_of_address(uint32_t addr, uint8_t out[CLIENT_ID_ADDRESS_LEN]);

/* The output rule for a client-id alone (a reservation's, a search's). */
void client_identifier_of_client_id(const uint8_t *client_id, size_t len, const uint8_t **id,
                                    size_t *id_len);

/* Every lease a search by id finds, each once, restricted to subnet_id when
 * non-zero: id taken as the Windows form (client-id ff + id, 01 + id for a
 * MAC, id), as a whole client-id, or as a MAC. Leases made by commands and
 * by DHCP clients alike. WIN_HOST_ERROR with err set on a backend failure. */
int client_identifier_leases(const struct win_ctx *ctx, const uint8_t *id, size_t len,
                             uint32_t subnet_id, struct win_lease_list *out, char *err);

/* Whether the lease's identity (its Windows form) is id. */
int client_identifier_same(const struct win_lease *lease, const uint8_t *id, size_t len);

#endif
