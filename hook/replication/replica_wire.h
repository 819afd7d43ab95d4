/* What travels between the partners: a win-client-replica command whose
 * arguments carry the payload as ASCII JSON text and its HMAC-SHA256 under a
 * key derived from the relationship's shared secret (HKDF-SHA256; the secret
 * itself never travels). The HMAC is what makes a replica command the
 * partner's own, whoever else may send commands to its control endpoint
 * (which asks for the relationship's basic-auth credentials): a stale stamp,
 * a nonce seen before or a sequence number not above the partner's last one
 * (replica_sequence.h) is refused. The answer is signed the same way, under
 * another derived key, and names the request's nonce and sequence number. */
#ifndef REPLICA_WIRE_H
#define REPLICA_WIRE_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "replica_nonces.h"
#include "win_context.h"

#define REPLICA_COMMAND "win-client-replica"
#define REPLICA_WINDOW_S 60 /* stamps further from now are refused (HA's clock-skew bound) */

/* The command for rel's partner carrying payload (consumed): malloc'd JSON
 * text, NULL when memory ran out. Adds relationship, stamp and nonce. */
char *replica_seal(const struct win_ctx *ctx, const struct fo_relationship *rel, cJSON *payload,
                   char nonce[REPLICA_NONCE_CHARS + 1], char seq[24]);

/* The payload of a received command signed with the shared secret of the
 * stored relationship it names, fresh, not seen before and above the
 * partner's sequence mark, which is durably moved up to it (caller frees);
 * NULL with st (ERROR_ACCESS_DENIED) otherwise. *rel gets the relationship. */
cJSON *replica_open(const struct win_ctx *ctx, const cJSON *args, struct fo_relationship *rel,
                    struct win_status *st);

/* The answer to request (an opened payload) carrying reply (consumed),
 * signed for the partner: {"reply": text, "hmac": tag}; NULL without memory. */
cJSON *replica_sign_reply(const struct win_ctx *ctx, const struct fo_relationship *rel,
                          const cJSON *request, cJSON *reply);

/* Sends ops (a list, consumed) as one request of txn to rel's partner, to be
 * answered within wait_ms; NULL with why (WIN_TEXT_MAX) when it could not
 * start. replica_poll lets it progress; replica_finish waits for it and frees
 * it: WIN_HOST_OK with *results (one per op, caller frees; its changes counted
 * in the relationship's replicas-sent); otherwise a
 * partner_wait status with why: never arrived (WIN_HOST_UNREACHABLE, also
 * when the endpoint could not hand it to this hook), no answer in time
 * (WIN_HOST_BUSY), or refused / not understood (WIN_HOST_ERROR: nothing was
 * applied). replica_call does both. */
struct replica_request;
struct replica_request *replica_start(const struct win_ctx *ctx,
                                      const struct fo_relationship *rel, const char *txn,
                                      cJSON *ops, unsigned wait_ms, char *why);
void replica_poll(const struct win_ctx *ctx, struct replica_request *request);
int replica_finish(const struct win_ctx *ctx, struct replica_request *request, cJSON **results,
                   char *why);
int replica_call(const struct win_ctx *ctx, const struct fo_relationship *rel, const char *txn,
                 cJSON *ops, unsigned wait_ms, cJSON **results, char *why);
/* A fresh transaction id (32 hex digits). */
void replica_txn(char out[33]);

#endif
