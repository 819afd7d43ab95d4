/* A stored lease as the Windows record a get or enum answers with. */
#ifndef CLIENT_RECORD_ENCODE_H
#define CLIENT_RECORD_ENCODE_H

#include <cjson/cJSON.h>

#include "client_enum.h"
#include "client_record.h"
#include "json_writer.h"
#include "win_context.h"

/* The members of the record (inside an object the caller opened); subnet may
 * be NULL when no configured subnet holds the lease any more. */
void client_record_fields(const struct win_ctx *ctx, const struct win_lease *lease,
                          const struct win_subnet *subnet, enum client_record_form form,
                          struct json_writer *w);

/* The whole record object, as client_encoders (client_enum.h). */
void client_record_encode_v4(const struct win_ctx *ctx, const struct win_lease *lease,
                             const struct win_subnet *subnet, void *unused,
                             struct json_writer *w);
void client_record_encode_vq(const struct win_ctx *ctx, const struct win_lease *lease,
                             const struct win_subnet *subnet, void *unused,
                             struct json_writer *w);

/* One record rendered by encode, as an item of an answer tree (NULL when
 * memory ran out). */
cJSON *client_record_item(const struct win_ctx *ctx, const struct win_lease *lease,
                          const struct win_subnet *subnet, client_encoder encode, void *data);

/* DHCP_CLIENT_UID as Windows returns it: the subnet address as a
 * little-endian DWORD, the hardware type 0x01, then the identifier. */
#define CLIENT_UID_HW_TYPE 0x01
#define CLIENT_UID_HEAD_LEN 5     /* the subnet address and the hardware type */
size_t client_unique_id(uint32_t subnet_prefix, const uint8_t *id, size_t len,
                        uint8_t *out);

#endif
