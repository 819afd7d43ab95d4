// The running release's own check of a configuration file (kea-dhcp4 -t).
#ifndef WIN_CMDS_CONFIG_CHECK_H
#define WIN_CMDS_CONFIG_CHECK_H

#include <string>

namespace win_cmds {

// Runs this process's own binary (/proc/self/exe, the kea-dhcp4 that is
// running) with -t on path, with this process's environment, for at most
// timeout_ms: "" when it accepts the file, else why (its ERROR line, or its
// last line of output, or how it ended).
std::string config_check_problem(const std::string& path, int timeout_ms);

}  // namespace win_cmds

#endif
