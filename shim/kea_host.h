// The host table of hook/win_host.h over Kea's own managers.
#ifndef KEA_HOST_H
#define KEA_HOST_H

#include "win_host.h"

namespace win_cmds {

const win_host& kea_host();
// Drops every address lock still held (called from unload()).
void kea_host_release();

}  // namespace win_cmds

#endif
