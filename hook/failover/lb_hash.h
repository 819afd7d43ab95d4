/* The load-balancing hash of RFC 3074 that Kea HA uses to split clients
 * between the partners: the key is the client identifier, else the MAC. */
#ifndef LB_HASH_H
#define LB_HASH_H

#include <stddef.h>
#include <stdint.h>

uint8_t lb_hash(const uint8_t *key, size_t len);

#endif
