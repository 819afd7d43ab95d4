// The host calls over the subnets of Kea's configuration: listing them, and
// naming each one's HA relationship in memory while Kea is being configured.
#ifndef KEA_SUBNETS_H
#define KEA_SUBNETS_H

#include "win_host.h"

#include <dhcpsrv/srv_config.h>

namespace win_cmds {

// Runs hook/'s win_cmds_configured() with the host calls below acting on
// config, the configuration Kea is about to run (dhcp4_srv_configured).
void subnets_configured(const isc::dhcp::SrvConfigPtr& config);

}  // namespace win_cmds

extern "C" {
int kea_host_subnets(void* ctx, win_subnet* out, size_t max, size_t* count, char* err);
int kea_host_subnet_set_ha_server_name(void* ctx, uint32_t subnet_id, const char* name,
                                       char* err);
}

#endif
