// Kea's entry points for libdhcp_win_cmds.so. Each command callout hands the
// arguments to hook/ as JSON text and sets hook/'s answer as the response;
// no Windows rule lives here.
#include "hook_call.h"
#include "json_text.h"
#include "kea_release.h"
#include "kea_host.h"
#include "kea_subnets.h"
#include "rendered_answer.h"
#include "version_guard.h"
#include "win_cmds.h"
#include "win_cmds_log.h"

#include <cc/command_interpreter.h>
#include <dhcpsrv/cfgmgr.h>
#include <hooks/hooks.h>

#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <memory>
#include <string>

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::hooks::CalloutHandle;
using isc::hooks::LibraryHandle;

namespace win_cmds {

void restrict_control_socket(const isc::dhcp::SrvConfigPtr& config) {
    // An exception here would abort Kea's configuration.
    try {
        for (const std::string& path : unix_control_socket_paths(config)) {
            if (chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
                log_message(WIN_CMDS_CONTROL_SOCKET_NOT_RESTRICTED, {path, strerror(errno)});
            }
        }
    } catch (const std::exception& ex) {
        log_message(WIN_CMDS_CONTROL_SOCKET_NOT_RESTRICTED,
                    {"(none: the sockets could not be listed)", ex.what()});
    }
}

}  // namespace win_cmds

namespace {

// Answer for a failure outside hook/ (it keeps the envelope's error fields).
ConstElementPtr internal_error(const std::string& what) {
    isc::data::ElementPtr args = Element::createMap();
    args->set("error-code", Element::create(20013));
    args->set("error-name", Element::create("ERROR_DHCP_JET_ERROR"));
    return (isc::config::createAnswer(isc::config::CONTROL_RESULT_ERROR,
                                      "win_cmds internal error: " + what, args));
}

int win_command(CalloutHandle& handle) {
    ConstElementPtr response;
    try {
        ConstElementPtr command;
        handle.getArgument("command", command);
        ConstElementPtr args;
        std::string name = isc::config::parseCommand(args, command);
        // kea-ctrl-agent adds the address its client came from.
        ConstElementPtr remote = command->get("remote-address");
        std::string from = remote && remote->getType() == Element::string
                               ? remote->stringValue() : std::string();
        const char* origin = from.empty() ? nullptr : from.c_str();
        std::unique_ptr<char, void (*)(char*)> answer(win_cmds::call_hook(name, args, origin),
                                                      win_cmds_free);
        response.reset(new win_cmds::RenderedAnswer(answer.release()));
    } catch (const std::exception& ex) {
        response = internal_error(ex.what());
    }
    handle.setArgument("response", response);
    return (0);
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int version() {
    return (KEA_HOOKS_VERSION);
}

// Commands run on the main thread; lease writes take Kea's per-address lock
// (ResourceHandler4) while packet threads allocate.
__attribute__((visibility("default"))) int multi_threading_compatible() {
    return (1);
}

__attribute__((visibility("default"))) int load(LibraryHandle& handle) {
    // Before anything else: a library built for another Kea may not even
    // share its interfaces.
    std::string running = win_cmds::running_kea_version();
    if (running != win_cmds::built_for_kea()) {
        win_cmds::log_message(WIN_CMDS_KEA_VERSION_MISMATCH,
                              {win_cmds::built_for_kea(),
                               running.empty() ? "unknown (version-get did not answer)"
                                               : running});
        return (1);
    }
    if (isc::dhcp::CfgMgr::instance().getFamily() != AF_INET) {
        win_cmds::log_message(WIN_CMDS_INIT_FAILED, {"it serves kea-dhcp4 only"});
        return (1);
    }
    win_cmds::kea_host_start();
    ConstElementPtr params = handle.getParameters();
    std::string params_text = params ? win_cmds::json_text(params) : std::string();
    char err[512];
    if (win_cmds_configure(&win_cmds::kea_host(), params ? params_text.c_str() : nullptr,
                           err, sizeof err) != 0) {
        win_cmds::log_message(WIN_CMDS_INIT_FAILED, {err});
        return (1);
    }
    size_t count = 0;
    for (const char* name; (name = win_cmds_command_name(count)); ++count) {
        handle.registerCommandCallout(name, win_command);
    }
    win_cmds::log_message(WIN_CMDS_INIT_OK,
                          {WIN_CMDS_VERSION, win_cmds::built_for_kea(), std::to_string(count)});
    return (0);
}

// Once Kea is configured: its main-loop IO service (for the timers), the
// control socket made owner-only, since every command there is trusted, and
// what the hook keeps in memory on the new configuration (the subnets' HA
// relationships), which Kea runs once this callout returns.
__attribute__((visibility("default"))) int dhcp4_srv_configured(CalloutHandle& handle) {
    isc::asiolink::IOServicePtr io_service;
    handle.getArgument("io_context", io_service);
    win_cmds::kea_host_set_io_service(io_service);
    isc::dhcp::SrvConfigPtr config;
    handle.getArgument("server_config", config);
    win_cmds::restrict_control_socket(config);
    // An exception here would abort Kea's configuration.
    try {
        win_cmds::subnets_configured(config);
    } catch (const std::exception& ex) {
        win_cmds::log_message(WIN_CMDS_SUBNETS_NOT_NAMED, {ex.what()});
    }
    return (0);
}

// Kea zeroed statistics: the hook's gauges are set again from what they show.
__attribute__((visibility("default"))) int command_processed(CalloutHandle& handle) {
    std::string name;
    handle.getArgument("name", name);
    if (name == "statistic-reset" || name == "statistic-reset-all") {
        win_cmds_statistics_reset();
    }
    return (0);
}

// Runs before every reconfiguration: nothing may point into the library after.
__attribute__((visibility("default"))) int unload() {
    win_cmds_shutdown();
    win_cmds::kea_host_release();
    win_cmds::log_message(WIN_CMDS_DEINIT_OK);
    return (0);
}

}  // extern "C"
