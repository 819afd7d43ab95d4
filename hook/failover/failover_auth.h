/* The credentials for the partner's control endpoint (contract,
 * "Production"): the relationship's own basic-auth-user with a password file
 * or a literal password, as Kea HA's peers take them. They are used by the
 * replication channel and written into the HA entry, never shown in an answer.
 * The shared secret is not a credential: it only keys the replica's MAC.
 *
 * Relationships stored before these fields existed used the shared secret as
 * the password of the user win-failover; they keep doing so (legacy) until a
 * set gives them credentials or a new secret. */
#ifndef FAILOVER_AUTH_H
#define FAILOVER_AUTH_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"

#define FO_LEGACY_USER "win-failover"
#define FO_MASKED "********"

/* The credential fields of args into rel (create: stored 0; a state file:
 * stored 1, where a relationship written before these fields existed comes
 * out legacy). 0, or -1 with 87 naming the field. */
int fo_decode_auth(const cJSON *args, int stored, struct fo_relationship *rel,
                   struct win_status *st);
/* A set: 1 when args gives credentials (they replace rel's), 0 when it does
 * not, -1 with 87. */
int fo_decode_auth_set(const cJSON *args, struct fo_relationship *rel, struct win_status *st);

/* The stored form (password included: the state file is 0600). */
void fo_encode_auth_stored(const struct fo_relationship *rel, cJSON *obj);
/* An answer's form: the user and the file's path, never a password. */
void fo_encode_auth_answer(const struct fo_relationship *rel, cJSON *obj);

/* What the partner's control endpoint is sent: 1 with user and password
 * (FO_TEXT_MAX each), 0 when the relationship has no credentials, -1 with why
 * (WIN_TEXT_MAX) when the password file cannot be read. */
int fo_auth_credentials(const struct fo_relationship *rel, char *user, char *password, char *why);

/* The credential members of an HA peer entry. */
void fo_auth_ha_peer(const struct fo_relationship *rel, cJSON *peer);
/* kea-effect's sentence on the credentials. */
const char *fo_auth_effect(const struct fo_relationship *rel);

#endif
