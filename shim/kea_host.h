// The host table of hook/win_host.h over Kea's own managers.
#ifndef KEA_HOST_H
#define KEA_HOST_H

#include "win_host.h"

#include <asiolink/io_service.h>

namespace win_cmds {

const win_host& kea_host();
// Called from load(): notes what the host table needs of this process.
void kea_host_start();
// The IO service of Kea's main loop, for the reload timer.
void kea_host_set_io_service(const isc::asiolink::IOServicePtr& service);
// Drops every lock, timer and pointer into Kea (called from unload()).
void kea_host_release();

}  // namespace win_cmds

#endif
