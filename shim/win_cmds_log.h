// The shim's logger ("kea-dhcp4.win-cmds") and its message IDs. Debian's
// kea-dev ships no kea-msg-compiler, so the message table is written by hand.
#ifndef WIN_CMDS_LOG_H
#define WIN_CMDS_LOG_H

#include <log/logger.h>
#include <log/macros.h>
#include <log/message_types.h>

namespace win_cmds {

extern isc::log::Logger logger;

extern const isc::log::MessageID WIN_CMDS_INIT_OK;
extern const isc::log::MessageID WIN_CMDS_INIT_FAILED;
extern const isc::log::MessageID WIN_CMDS_KEA_VERSION_MISMATCH;
extern const isc::log::MessageID WIN_CMDS_DEINIT_OK;
extern const isc::log::MessageID WIN_CMDS_CHANGE;
extern const isc::log::MessageID WIN_CMDS_DETAIL;
extern const isc::log::MessageID WIN_CMDS_WARNING;
extern const isc::log::MessageID WIN_CMDS_FAILURE;

}  // namespace win_cmds

#endif
