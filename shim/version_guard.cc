// Kea keeps KEA_HOOKS_VERSION when an interface changes inside a release
// (Debian's 2.6.3-1+deb13u1 changed Element's virtual functions), so a
// library built for another Kea may load and crash kea-dhcp4: load() compares
// versions itself.
#include "version_guard.h"

#include <cc/command_interpreter.h>
#include <cc/data.h>
#include <config/command_mgr.h>

// The build gives it (shim/CMakeLists.txt, from Kea's config.h).
#ifndef WIN_CMDS_BUILT_FOR_KEA
#error "WIN_CMDS_BUILT_FOR_KEA: the Kea version this library is built for"
#endif

namespace win_cmds {

const char* built_for_kea() {
    return (WIN_CMDS_BUILT_FOR_KEA);
}

// version-get is registered with the server's other commands before any
// configuration (and so any hook library) is loaded, on every release; it
// only formats a string.
std::string running_kea_version() {
    try {
        isc::data::ConstElementPtr answer = isc::config::CommandMgr::instance().processCommand(
            isc::config::createCommand("version-get"));
        // (parseAnswer would give the arguments, "extended": the text is
        // the bare version.)
        isc::data::ConstElementPtr result =
            answer && answer->getType() == isc::data::Element::map ? answer->get("result")
                                                                   : isc::data::ConstElementPtr();
        isc::data::ConstElementPtr text = result ? answer->get("text")
                                                 : isc::data::ConstElementPtr();
        if (result && result->getType() == isc::data::Element::integer &&
            result->intValue() == 0 && text && text->getType() == isc::data::Element::string) {
            return (text->stringValue());
        }
    } catch (const std::exception&) {
        // unknown: the caller refuses to load
    }
    return (std::string());
}

}  // namespace win_cmds
