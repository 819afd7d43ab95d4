// The Kea a build of this library belongs to, against the Kea it runs in.
#ifndef WIN_CMDS_VERSION_GUARD_H
#define WIN_CMDS_VERSION_GUARD_H

#include <string>

namespace win_cmds {

// The version of the kea-dev this library was compiled against (its
// config.h's PACKAGE_VERSION; a test build may name another).
const char* built_for_kea();

// The running kea-dhcp4's version, as its version-get command answers
// (Dhcpv4Srv::getVersion(false), the same VERSION on 2.2, 2.6 and 3.0);
// "" when it could not be learnt.
std::string running_kea_version();

}  // namespace win_cmds

#endif
