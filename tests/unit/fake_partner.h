/* The partner's end of the replication channel in unit tests: it reads a
 * replica request as the partner's hook reads it and answers as that hook
 * answers (one refusal per op it refuses), signed as the partner signs, in
 * the list kea-ctrl-agent relays. */
#ifndef FAKE_PARTNER_H
#define FAKE_PARTNER_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* What the partner does with op: 0 applies it; a Windows code refuses it
 * with *text, and with ERROR_DHCP_CLIENT_EXISTS the holder's record (JSON,
 * as a replica carries records) written into holder. */
typedef int (*fake_partner_rule)(const cJSON *op, const char **text, char *holder,
                                 size_t size);

/* The answer to the replica request body, its reply signed with secret (a
 * wrong one forges it); the caller frees it. */
char *fake_partner_answer(const char *body, const char *secret, fake_partner_rule rule);

/* A rule: refuses a create or set of fake_partner_held_ip (NULL: none)
 * that is not forced, naming another client as its holder. */
extern const char *fake_partner_held_ip;
int fake_partner_refuse_held_ip(const cJSON *op, const char **text, char *holder, size_t size);

/* The fake host as the pair's tests start it: reset, subnet 1 192.0.2.0/24
 * (lease time 3600), and a configuration file with lease_cmds and that
 * subnet. */
void fake_pair_host(void);

/* Creates relationship "pair" (192.0.2.1 primary, 192.0.2.2 secondary,
 * scope 192.0.2.0, max-response-delay 3000, safe period disabled) with
 * this server as server_type, secret as its shared secret and more (JSON
 * members, "" for none) beside; the answer's error code, its text in text. */
int fake_pair_relationship(const char *server_type, const char *secret, const char *more,
                           char *text, size_t size);

/* The arguments of a win-client-replica request the primary of relationship
 * "pair" sends with ops (a JSON list), signed with secret; caller frees. */
char *fake_primary_replica(const char *secret, const char *ops);

#endif
