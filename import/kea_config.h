/* The generated configuration's frame: control socket, memfile, identifier
 * order, the hook libraries this server needs. */
#ifndef KEA_CONFIG_H
#define KEA_CONFIG_H

#include "import.h"

/* The {"Dhcp4": ...} document; sets ctx->dhcp4, option_defs, classes. */
cJSON *kea_config_begin(struct import_ctx *ctx);
/* Hook libraries, and empty lists removed. */
void kea_config_finish(struct import_ctx *ctx, unsigned conflict_detection_attempts);

#endif
