// The shim's logger ("kea-dhcp4.win-cmds") over the one message table
// (hook/common/win_messages.def). Debian's kea-dev ships no
// kea-msg-compiler: the table is registered with Kea from the .def file.
#ifndef WIN_CMDS_LOG_H
#define WIN_CMDS_LOG_H

#include "win_messages.h"

#include <log/logger.h>

#include <initializer_list>
#include <string>

namespace win_cmds {

extern isc::log::Logger logger;

// Logs id at its severity with the texts of its arguments, in order.
void log_message(win_message id, const char* const* args, size_t count);
void log_message(win_message id, std::initializer_list<std::string> args = {});

bool log_enabled(win_log_level level);

}  // namespace win_cmds

#endif
