#include "replica_nonces.h"

#include <stdio.h>
#include <string.h>

/* A ring of the nonces and a hash index over it: chains of slot numbers + 1
 * (0 ends a chain), newest first, so a check costs a few comparisons, not
 * one per nonce kept. The slot overwritten is the oldest, hence always the
 * last of its chain. */
#define BUCKETS 16384
static char ring[REPLICA_NONCES_KEPT][REPLICA_NONCE_CHARS + 1];
static unsigned chain[REPLICA_NONCES_KEPT], bucket[BUCKETS];
static size_t next_slot;

void replica_nonces_reset(void)
{
    memset(ring, 0, sizeof ring);
    memset(chain, 0, sizeof chain);
    memset(bucket, 0, sizeof bucket);
    next_slot = 0;
}

/* Nonces are random: their first characters spread them evenly enough. */
static unsigned *bucket_of(const char *nonce)
{
    unsigned h = 0;
    for (int i = 0; i < 8 && nonce[i]; i++) h = h * 31u + (unsigned char)nonce[i];
    return &bucket[h % BUCKETS];
}

int replica_nonce_seen(const char *nonce)
{
    for (unsigned at = *bucket_of(nonce); at; at = chain[at - 1])
        if (strcmp(ring[at - 1], nonce) == 0) return 1;
    return 0;
}

void replica_nonce_keep(const char *nonce)
{
    size_t slot = next_slot;
    next_slot = (next_slot + 1) % REPLICA_NONCES_KEPT;
    if (ring[slot][0]) {
        unsigned *link = bucket_of(ring[slot]);
        while (*link && *link != slot + 1) link = &chain[*link - 1];
        if (*link) *link = chain[slot];
    }
    snprintf(ring[slot], sizeof ring[slot], "%s", nonce);
    unsigned *head = bucket_of(nonce);
    chain[slot] = *head;
    *head = (unsigned)slot + 1;
}
