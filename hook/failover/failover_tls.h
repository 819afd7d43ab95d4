/* A relationship's TLS material: Kea HA's trust-anchor, cert-file, key-file
 * and require-client-certs, read from a request and handed to the partner
 * channel. */
#ifndef FAILOVER_TLS_H
#define FAILOVER_TLS_H

#include <cjson/cJSON.h>

#include "failover_relationship.h"
#include "win_host.h"

/* The TLS fields of args into rel. A new relationship (stored 0) is held to
 * what Kea HA would refuse at its reload, where a refusal stops kea-dhcp4:
 * absolute paths, all three or none, files this process can read now (it
 * runs as the service user), require-client-certs only with them. A stored
 * one is read as written. 0, or -1 with 87 naming the field. */
int fo_decode_tls(const cJSON *args, int stored, struct fo_relationship *rel,
                  struct win_status *st);

/* Adds rel's TLS fields to obj (none without TLS material). */
void fo_encode_tls(const struct fo_relationship *rel, cJSON *obj);

/* What the partner channel needs of rel's TLS material: out filled and
 * returned, or NULL when rel has none (plain http). */
const struct win_tls *fo_tls_of(const struct fo_relationship *rel, struct win_tls *out);

#endif
