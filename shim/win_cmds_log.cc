#include "win_cmds_log.h"

#include <log/message_initializer.h>

namespace win_cmds {

isc::log::Logger logger("win-cmds");

extern const isc::log::MessageID WIN_CMDS_INIT_OK = "WIN_CMDS_INIT_OK";
extern const isc::log::MessageID WIN_CMDS_INIT_FAILED = "WIN_CMDS_INIT_FAILED";
extern const isc::log::MessageID WIN_CMDS_KEA_VERSION_MISMATCH = "WIN_CMDS_KEA_VERSION_MISMATCH";
extern const isc::log::MessageID WIN_CMDS_DEINIT_OK = "WIN_CMDS_DEINIT_OK";
extern const isc::log::MessageID WIN_CMDS_CHANGE = "WIN_CMDS_CHANGE";
extern const isc::log::MessageID WIN_CMDS_DETAIL = "WIN_CMDS_DETAIL";
extern const isc::log::MessageID WIN_CMDS_WARNING = "WIN_CMDS_WARNING";
extern const isc::log::MessageID WIN_CMDS_FAILURE = "WIN_CMDS_FAILURE";

namespace {

const char* messages[] = {
    "WIN_CMDS_INIT_OK", "win_cmds hooks library loaded: %1 commands registered",
    "WIN_CMDS_INIT_FAILED", "win_cmds hooks library not loaded: %1",
    "WIN_CMDS_KEA_VERSION_MISMATCH",
    "win_cmds hooks library not loaded: it was built for Kea %1, this kea-dhcp4 is Kea %2; "
    "install the build made for Kea %2 (a library built for another Kea can crash kea-dhcp4)",
    "WIN_CMDS_DEINIT_OK", "win_cmds hooks library unloaded",
    "WIN_CMDS_CHANGE", "%1",
    "WIN_CMDS_DETAIL", "%1",
    "WIN_CMDS_WARNING", "%1",
    "WIN_CMDS_FAILURE", "%1",
    nullptr};

const isc::log::MessageInitializer initializer(messages);

}  // namespace
}  // namespace win_cmds
