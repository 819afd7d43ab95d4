/* A lease as it travels to the failover partner: Kea's columns and the
 * user-context with the Windows fields, in a JSON list [ip, hw-address,
 * client-id, cltt, valid-lft, state, hostname, user-context] (the last two
 * left out when empty). The partner finds the
 * subnet itself (the two servers may number subnets differently). */
#ifndef REPLICA_RECORD_H
#define REPLICA_RECORD_H

#include <cjson/cJSON.h>

#include "win_host.h"

cJSON *replica_record_encode(const struct win_lease *lease);
/* 0 with *out filled (subnet_id 0; caller frees with win_lease_clear), -1 when
 * the list is not a record. */
int replica_record_decode(const cJSON *json, struct win_lease *out);
/* A deep copy (caller frees with win_lease_clear); -1 when memory ran out. */
int replica_record_copy(struct win_lease *dst, const struct win_lease *src);
/* The same Windows client (identity) holds both. */
int replica_record_same_client(const struct win_lease *a, const struct win_lease *b);
/* The same client with the same lifetime: what one side wrote, unchanged. */
int replica_record_same_write(const struct win_lease *a, const struct win_lease *b);
/* "hardware address 01:02:..", for texts naming a holder. */
void replica_record_describe(const struct win_lease *lease, char *out, size_t size);

#endif
