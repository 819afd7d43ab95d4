#include "kea_release.h"

#include <asiolink/interval_timer.h>
#include <cc/data.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/srv_config.h>
#include <hooks/hooks.h>
#include <hooks/hooks_config.h>
#include <asiolink/asio_wrapper.h>
#include <http/client.h>

#if WIN_KEA_PATH_RULES
#include <config/unix_command_config.h>
#include <hooks/hooks_parser.h>
#endif

#include <unistd.h>

#include <cerrno>
#include <cstring>

using isc::data::ConstElementPtr;
using isc::data::Element;

namespace win_cmds {

std::unique_ptr<isc::asiolink::IntervalTimer>
make_interval_timer(const isc::asiolink::IOServicePtr& io_service) {
#if WIN_KEA_TIMER_TAKES_POINTER
    return (std::make_unique<isc::asiolink::IntervalTimer>(io_service));
#else
    return (std::make_unique<isc::asiolink::IntervalTimer>(*io_service));
#endif
}

PrivateHttpClient::PrivateHttpClient() : io_(new isc::asiolink::IOService()) {
#if WIN_KEA_HTTP_CLIENT_TAKES_POINTER
    client_.reset(new isc::http::HttpClient(io_, false));
#else
    client_.reset(new isc::http::HttpClient(*io_));
#endif
}

void PrivateHttpClient::run_one() {
#if WIN_KEA_HTTP_CLIENT_TAKES_POINTER
    io_->runOne();
#else
    io_->run_one();
#endif
}

PrivateHttpClient::~PrivateHttpClient() {
    try {
        client_->stop();
#if WIN_KEA_HTTP_CLIENT_TAKES_POINTER
        io_->stopAndPoll();
#endif
    } catch (...) {
        // Nothing may leave a destructor; the service goes with this object.
    }
    client_.reset();
}

std::vector<std::string> unix_control_socket_paths(const isc::dhcp::SrvConfigPtr& config) {
    if (!config) {
        return {};
    }
#if WIN_KEA_CONTROL_SOCKET_LIST
    ConstElementPtr info = config->getUnixControlSocketInfo();
#else
    ConstElementPtr info = config->getControlSocketInfo();
#endif
    std::vector<ConstElementPtr> sockets;
    if (info && info->getType() == Element::list) {
        sockets.assign(info->listValue().begin(), info->listValue().end());
    } else if (info) {
        sockets.push_back(info);
    }
    std::vector<std::string> paths;
    for (const ConstElementPtr& socket : sockets) {
        ConstElementPtr name = socket->getType() == Element::map ? socket->get("socket-name")
                                                                 : ConstElementPtr();
        if (!name || name->getType() != Element::string) {
            continue;
        }
        std::string path = name->stringValue();
#if WIN_KEA_PATH_RULES
        if (path.find('/') == std::string::npos) {
            path = isc::config::UnixCommandConfig::getSocketPath() + "/" + path;
        }
#endif
        paths.push_back(path);
    }
    return (paths);
}

std::string allowed_hooks_directory() {
#if WIN_KEA_PATH_RULES
    return (isc::hooks::HooksLibrariesParser::getHooksPath());
#else
    return (std::string());
#endif
}

std::string kea_hooks_directory() {
    std::string allowed = allowed_hooks_directory();
    return (allowed.empty() ? std::string(WIN_KEA_DEFAULT_HOOKS_DIR) : allowed);
}

const char* kea_data_directory() {
    return (WIN_KEA_DEFAULT_DATA_DIR);
}

bool lease_released(uint32_t state, uint32_t valid_lft) {
    const uint32_t STATE_RELEASED = 3;  // Lease::STATE_RELEASED, from 3.0
    return (state == STATE_RELEASED ||
            (state == isc::dhcp::Lease::STATE_DEFAULT && valid_lft == 0));
}

std::string hook_library_problem(const std::string& library) {
    std::string path = library;
    std::string allowed = allowed_hooks_directory();
    if (!allowed.empty()) {
        size_t slash = path.rfind('/');
        if (slash == std::string::npos) {
            path = allowed + "/" + path;
        } else if (path.substr(0, slash) != allowed) {
            return ("Kea " + release_name() + " loads hook libraries only from " + allowed +
                    " (KEA_HOOKS_PATH)");
        }
    }
    if (access(path.c_str(), R_OK) != 0) {
        return (path + ": " + std::strerror(errno));
    }
    return (std::string());
}

bool pool_statistics_id(uint32_t subnet_id, uint32_t addr, uint64_t& id) {
#if WIN_KEA_POOL_STATISTICS
    isc::dhcp::ConstSubnet4Ptr subnet =
        isc::dhcp::CfgMgr::instance().getCurrentCfg()->getCfgSubnets4()->getBySubnetId(subnet_id);
    isc::dhcp::PoolPtr pool = subnet ? subnet->getPool(isc::dhcp::Lease::TYPE_V4,
                                                       isc::asiolink::IOAddress(addr), false)
                                     : isc::dhcp::PoolPtr();
    if (pool) {
        id = pool->getID();
        return (true);
    }
#else
    (void)subnet_id;
    (void)addr;
    (void)id;
#endif
    return (false);
}

ConstElementPtr hook_library_parameters(const char* file) {
    const isc::hooks::HookLibsCollection& libraries =
        isc::dhcp::CfgMgr::instance().getCurrentCfg()->getHooksConfig().get();
    for (const isc::hooks::HookLibInfo& library : libraries) {
#if WIN_KEA_HOOK_LIB_INFO_STRUCT
        const std::string& name = library.libname_;
        const ConstElementPtr& parameters = library.parameters_;
#else
        const std::string& name = library.first;
        const ConstElementPtr& parameters = library.second;
#endif
        if (name.find(file) != std::string::npos) {
            return (parameters);
        }
    }
    return (ConstElementPtr());
}

unsigned ha_relationships_per_server() {
    return (KEA_HOOKS_VERSION >= 20505 ? 31 : 1);
}

std::string release_name() {
    int major = KEA_HOOKS_VERSION / 10000;
    int minor = KEA_HOOKS_VERSION / 100 % 100;
    return (std::to_string(major) + "." + std::to_string(minor));
}

}  // namespace win_cmds
