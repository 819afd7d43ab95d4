/* A Windows failover relationship (DHCP_FAILOVER_RELATIONSHIP) and its JSON
 * form, which is both what the commands answer and what the state file
 * holds. */
#ifndef FAILOVER_RELATIONSHIP_H
#define FAILOVER_RELATIONSHIP_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "win_status.h"

#define FO_NAME_CHARS 126          /* ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG beyond */
#define FO_TEXT_MAX 1024           /* bytes of names, URLs and the secret */
#define FO_SCOPES_MAX 1024
#define FO_SAFE_PERIOD_DISABLED 0xFFFFFFFFu

struct fo_relationship {
    char name[FO_TEXT_MAX];
    size_t name_chars;         /* as given, before any cut to the buffer */
    uint32_t primary, secondary;
    char primary_name[FO_TEXT_MAX], secondary_name[FO_TEXT_MAX];
    int mode, server_type, state, prev_state;
    uint32_t mclt, safe_period;
    uint32_t scopes[FO_SCOPES_MAX];
    size_t scope_count;
    int percentage;
    int has_secret;
    char shared_secret[FO_TEXT_MAX];
    /* Kea extensions: the partners' kea-ctrl-agent URLs and how fast Kea
     * notices a silent partner (0 = derived from the safe period). */
    char primary_url[FO_TEXT_MAX], secondary_url[FO_TEXT_MAX];
    uint32_t max_response_delay;
    /* TLS between the partners, as Kea HA takes it: all three paths or none
     * (then both URLs are https), and whether this server's side asks the
     * partner for a client certificate. Given at create only. */
    char trust_anchor[FO_TEXT_MAX], cert_file[FO_TEXT_MAX], key_file[FO_TEXT_MAX];
    int require_client_certs;
    /* Both partners keep their leases in one SQL database (Kea extension,
     * given at create only): Kea HA sends no lease updates and syncs none,
     * and the hook replicates no record, since each is already the pair's. */
    int shared_lease_database;
    /* The partner's control endpoint's credentials (failover_auth.h). */
    char auth_user[FO_TEXT_MAX], auth_password_file[FO_TEXT_MAX], auth_password[FO_TEXT_MAX];
    int legacy_secret_auth;
};

/* 1 when rel carries TLS material (its partners talk https). */
int fo_has_tls(const struct fo_relationship *rel);

/* Create: every field's form and the checks MS-DHCPM puts first (87). */
int fo_decode_create(const cJSON *args, struct fo_relationship *rel, struct win_status *st);
/* The stored form (from fo_encode), for the state file. */
int fo_decode_stored(const cJSON *obj, struct fo_relationship *rel, struct win_status *st);

/* Set: the flags (a bitmask or a list of names) and the flagged fields are
 * applied onto rel. 87 for flags 0, unknown bits, or a bad flagged field. */
int fo_decode_set(const cJSON *args, struct fo_relationship *rel, int *flags,
                  struct win_status *st);

/* "scopes": a non-empty list of subnet addresses. */
int fo_decode_scopes(const cJSON *args, uint32_t *scopes, size_t *count, struct win_status *st);

/* The stored form (everything), and an answer's (no secret, no password). */
cJSON *fo_encode(const struct fo_relationship *rel);
cJSON *fo_encode_answer(const struct fo_relationship *rel);

/* The partner URLs with their defaults (http://<address>:8000/). */
void fo_primary_url(const struct fo_relationship *rel, char *out, size_t size);
void fo_secondary_url(const struct fo_relationship *rel, char *out, size_t size);
/* Peer names: the server names, or their addresses. */
void fo_primary_name(const struct fo_relationship *rel, char *out, size_t size);
void fo_secondary_name(const struct fo_relationship *rel, char *out, size_t size);
/* The partner's name and control endpoint (its peer URL): name and url take
 * FO_TEXT_MAX each. */
void fo_partner(const struct fo_relationship *rel, char *name, char *url);

int fo_has_scope(const struct fo_relationship *rel, uint32_t scope);

#endif
