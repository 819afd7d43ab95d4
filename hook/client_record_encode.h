/* A stored lease as the Windows record a get or enum answers with. */
#ifndef CLIENT_RECORD_ENCODE_H
#define CLIENT_RECORD_ENCODE_H

#include <cjson/cJSON.h>

#include "win_context.h"

/* subnet may be NULL when no configured subnet holds the lease any more. */
cJSON *client_record_encode(const struct win_ctx *ctx, const struct win_lease *lease,
                            const struct win_subnet *subnet, enum client_record_form form);

/* client_record_encode in the shape of a client_encoder (client_enum.h). */
cJSON *client_record_encode_v4(const struct win_ctx *ctx, const struct win_lease *lease,
                               const struct win_subnet *subnet, void *unused);
cJSON *client_record_encode_vq(const struct win_ctx *ctx, const struct win_lease *lease,
                               const struct win_subnet *subnet, void *unused);

/* DHCP_CLIENT_UID as Windows returns it: the subnet address as a
 * little-endian DWORD, the hardware type 0x01, then the identifier. */
size_t client_unique_id(uint32_t subnet_prefix, const uint8_t *id, size_t len,
                        uint8_t *out);

#endif
