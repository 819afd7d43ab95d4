/* The replay check of received replicas: the nonces of the last
 * REPLICA_NONCES_KEPT, the oldest forgotten first (the stamp window refuses
 * anything older than a busy window could carry). */
#ifndef REPLICA_NONCES_H
#define REPLICA_NONCES_H

#define REPLICA_NONCES_KEPT 8192
#define REPLICA_NONCE_CHARS 32 /* 16 random bytes in hex */

void replica_nonces_reset(void);
/* 1 if nonce is among those kept. */
int replica_nonce_seen(const char *nonce);
/* Keeps nonce (REPLICA_NONCE_CHARS), forgetting the oldest when full. */
void replica_nonce_keep(const char *nonce);

#endif
