// The host table, done with Kea's classes (its lease part in kea_leases.cc,
// its subnets part in kea_subnets.cc). These functions are called from C, so
// no exception may leave them: every one catches and answers WIN_HOST_ERROR
// with the exception's text.
#include "kea_host.h"

#include "config_check.h"
#include "host_call.h"
#include "kea_ha.h"
#include "kea_leases.h"
#include "kea_release.h"
#include "kea_subnets.h"
#include "partner_http.h"

#include "win_cmds.h"
#include "win_cmds_log.h"

#include <asiolink/interval_timer.h>
#include <asiolink/io_service.h>
#include <cryptolink/crypto_hmac.h>
#include <cryptolink/cryptolink.h>
#include <dhcpsrv/lease_mgr_factory.h>
#include <stats/stats_mgr.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <ctime>
#include <fstream>
#include <memory>
#include <vector>

using namespace isc::dhcp;

namespace {

// Kea's main-loop IO service (from dhcp4_srv_configured) and the one-shot
// timer that asks for a reload once the running command has answered.
isc::asiolink::IOServicePtr io_service;
std::unique_ptr<isc::asiolink::IntervalTimer> reload_timer;
std::unique_ptr<isc::asiolink::IntervalTimer> tick_timer;
const long RELOAD_DELAY_MS = 300;

// The -c file of this kea-dhcp4, read from its own command line.
std::string started_config_file;

std::string config_file_of_this_process() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> argv;
    for (std::string arg; std::getline(in, arg, '\0');) {
        argv.push_back(arg);
    }
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
        if (argv[i] == "-c") {
            char* real = realpath(argv[i + 1].c_str(), nullptr);
            std::string path = real ? real : argv[i + 1];
            free(real);
            return (path);
        }
    }
    return (std::string());
}

// StatsMgr throws for a statistic of another type: logged, never into hook/.
template <typename Call>
static void with_stats(const char* name, Call call) {
    try {
        call(isc::stats::StatsMgr::instance());
    } catch (const std::exception& ex) {
        win_cmds::log_message(WIN_CMDS_STATISTIC_NOT_UPDATED, {name, ex.what()});
    }
}

extern "C" {

static int64_t host_now(void*) {
    return (static_cast<int64_t>(std::time(nullptr)));
}

static const win_kea_facts* host_kea_facts(void*) {
    static const std::string release = win_cmds::release_name();
    static const win_kea_facts facts = {release.c_str(),
                                        win_cmds::ha_relationships_per_server()};
    return (&facts);
}

static const char* host_lease_backend(void*) {
    static std::string type; // the caller reads it before the next call
    try {
        type = LeaseMgrFactory::instance().getType();
    } catch (const std::exception&) {
        type.clear();
    }
    return (type.c_str());
}

static const char* host_data_directory(void*) {
    return (win_cmds::kea_data_directory());
}

static int host_lease_released(void*, const win_lease* lease) {
    return (win_cmds::lease_released(lease->state, lease->valid_lft) ? 1 : 0);
}

static int host_ha_state(void*, const char* server_name, win_ha_state* out, char* err) {
    try {
        std::string why;
        int rc = win_cmds::ha_state(server_name, *out, why);
        if (rc != WIN_HOST_OK) {
            win_cmds::set_host_error(err, why.c_str());
        }
        return (rc);
    } catch (const std::exception& ex) {
        std::memset(out, 0, sizeof *out);
        std::snprintf(out->name, sizeof out->name, "not-running");
        win_cmds::set_host_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_ha_takeover(void*, win_ha_takeover what, char* text, size_t size, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        std::string said;
        int rc = win_cmds::ha_takeover(what, said);
        if (rc == WIN_HOST_OK) {
            std::snprintf(text, size, "%s", said.c_str());
        } else {
            win_cmds::set_host_error(err, said.c_str());
        }
        return (rc);
    }));
}

static const win_ha_timing_limits* host_ha_timing_limits(void*) {
    return (&win_cmds::ha_timing_limits());
}

static int host_ha_parameters(void*, const char* server_name, win_ha_parameters* out,
                              char* err) {
    return (win_cmds::host_call(
        err, [&]() -> int { return (win_cmds::ha_parameters(server_name, *out)); }));
}

static int host_pool_statistics_id(void*, uint32_t subnet_id, uint32_t addr, uint64_t* id,
                                   char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        return (win_cmds::pool_statistics_id(subnet_id, addr, *id) ? WIN_HOST_OK
                                                                   : WIN_HOST_NOT_FOUND);
    }));
}

static const char* host_kea_hooks_directory(void*) {
    static std::string directory;
    try {
        directory = win_cmds::kea_hooks_directory();
    } catch (const std::exception& ex) {
        win_cmds::log_message(WIN_CMDS_HOOKS_DIRECTORY_UNKNOWN, {ex.what()});
    }
    return (directory.c_str());
}

// 0 when find() names no problem, else -1 with the problem (or the
// exception) in err.
static int without_problem(const std::function<std::string()>& find, char* err) {
    int rc = win_cmds::host_call(err, [&]() -> int {
        std::string problem = find();
        if (problem.empty()) {
            return (WIN_HOST_OK);
        }
        win_cmds::set_host_error(err, problem.c_str());
        return (WIN_HOST_ERROR);
    });
    return (rc == WIN_HOST_OK ? 0 : -1);
}

static int host_hook_library_check(void*, const char* library, char* err) {
    return (without_problem([&] { return (win_cmds::hook_library_problem(library)); }, err));
}

static void host_stat_add(void*, const char* name, int64_t delta) {
    with_stats(name, [&](isc::stats::StatsMgr& stats) { stats.addValue(name, delta); });
}

static void host_stat_set(void*, const char* name, int64_t value) {
    with_stats(name, [&](isc::stats::StatsMgr& stats) { stats.setValue(name, value); });
}

static void host_stat_remove(void*, const char* name) {
    with_stats(name, [&](isc::stats::StatsMgr& stats) { stats.del(name); });
}

// kea-dhcp4 -t holds this command (and the packet reader) while it runs:
// bounded, well inside what an operator waits for a command.
const int CONFIG_CHECK_TIMEOUT_MS = WIN_CONFIG_CHECK_MAX_MS;

static int host_config_check(void*, const char* path, char* err) {
    return (without_problem(
        [&] { return (win_cmds::config_check_problem(path, CONFIG_CHECK_TIMEOUT_MS)); }, err));
}

static const char* host_config_file(void*) {
    return (started_config_file.empty() ? nullptr : started_config_file.c_str());
}

// Kea reloads its -c file on SIGHUP, later, on its main loop: never from a
// command handler (a reconfiguration there unloads the running library).
static void host_schedule_reload(void*) {
    try {
        if (!io_service) {
            std::raise(SIGHUP);
            return;
        }
        if (!reload_timer) {
            reload_timer = win_cmds::make_interval_timer(io_service);
        }
        reload_timer->setup([] { std::raise(SIGHUP); }, RELOAD_DELAY_MS,
                            isc::asiolink::IntervalTimer::ONE_SHOT);
    } catch (const std::exception& ex) {
        win_cmds::log_message(WIN_CMDS_RELOAD_NOT_SCHEDULED, {ex.what()});
    }
}

static void* host_partner_send(void*, const char* url, const win_tls* tls, const char* user,
                               const char* password, const char* body, unsigned timeout_ms,
                               char* err) {
    std::string error;
    win_cmds::PartnerTls material;
    if (tls) {
        material = {tls->trust_anchor, tls->cert_file, tls->key_file};
    }
    win_cmds::PartnerExchange* exchange = win_cmds::partner_start(
        url, tls ? &material : nullptr, user ? user : "", password ? password : "", body,
        timeout_ms, error);
    if (!exchange) {
        win_cmds::set_host_error(err, error.c_str());
    }
    return (exchange);
}

static void host_partner_poll(void*, void* handle) {
    win_cmds::partner_progress(static_cast<win_cmds::PartnerExchange*>(handle));
}

static int host_partner_wait(void*, void* handle, char** answer, char* err) {
    *answer = nullptr;
    std::string got;
    switch (win_cmds::partner_finish(static_cast<win_cmds::PartnerExchange*>(handle), got)) {
    case win_cmds::PartnerOutcome::answered:
        *answer = strdup(got.c_str());
        if (!*answer) {
            win_cmds::set_host_error(err, "out of memory");
            return (WIN_HOST_ERROR);
        }
        return (WIN_HOST_OK);
    case win_cmds::PartnerOutcome::unreachable:
        win_cmds::set_host_error(err, got.c_str());
        return (WIN_HOST_UNREACHABLE);
    case win_cmds::PartnerOutcome::timed_out:
        win_cmds::set_host_error(err, got.c_str());
        return (WIN_HOST_BUSY);
    default:
        win_cmds::set_host_error(err, got.c_str());
        return (WIN_HOST_ERROR);
    }
}

static void host_hmac_sha256(void*, const void* key, size_t key_len, const void* data,
                             size_t len, uint8_t out[32]) {
    std::memset(out, 0, 32);
    try {
        std::unique_ptr<isc::cryptolink::HMAC> hmac(
            isc::cryptolink::CryptoLink::getCryptoLink().createHMAC(
                key, key_len, isc::cryptolink::SHA256));
        hmac->update(data, len);
        hmac->sign(out, 32);
    } catch (const std::exception& ex) {
        // An all-zero tag matches nothing the partner signs.
        win_cmds::log_message(WIN_CMDS_HMAC_FAILED, {ex.what()});
    }
}

static void host_log(void*, win_message id, const char* const* args, size_t count) {
    win_cmds::log_message(id, args, count);
}

static int host_log_enabled(void*, win_log_level level) {
    return (win_cmds::log_enabled(level));
}

}  // extern "C"

// Filled member by member: two members of the same signature cannot be
// swapped by a change in the table's order.
win_host make_host_table() {
    win_host t = {};
    win_cmds::fill_lease_calls(t);
    t.now = host_now;
    t.kea_facts = host_kea_facts;
    t.data_directory = host_data_directory;
    t.lease_released = host_lease_released;
    t.lease_backend = host_lease_backend;
    t.ha_state = host_ha_state;
    t.ha_takeover = host_ha_takeover;
    t.ha_timing_limits = host_ha_timing_limits;
    t.ha_parameters = host_ha_parameters;
    t.subnets = kea_host_subnets;
    t.subnet_set_ha_server_name = kea_host_subnet_set_ha_server_name;
    t.stat_add = host_stat_add;
    t.stat_set = host_stat_set;
    t.stat_remove = host_stat_remove;
    t.pool_statistics_id = host_pool_statistics_id;
    t.kea_hooks_directory = host_kea_hooks_directory;
    t.hook_library_check = host_hook_library_check;
    t.config_check = host_config_check;
    t.config_file = host_config_file;
    t.schedule_reload = host_schedule_reload;
    t.partner_send = host_partner_send;
    t.partner_poll = host_partner_poll;
    t.partner_wait = host_partner_wait;
    t.hmac_sha256 = host_hmac_sha256;
    t.log = host_log;
    t.log_enabled = host_log_enabled;
    return (t);
}

const win_host host_table = make_host_table();

}  // namespace

namespace win_cmds {

const win_host& kea_host() {
    return (host_table);
}

void kea_host_start() {
    started_config_file = config_file_of_this_process();
}

void kea_host_set_io_service(const isc::asiolink::IOServicePtr& service) {
    io_service = service;
    if (io_service && !tick_timer) {
        tick_timer = win_cmds::make_interval_timer(io_service);
        tick_timer->setup([] { win_cmds_tick(); }, WIN_CMDS_TICK_MS,
                          isc::asiolink::IntervalTimer::REPEATING);
    }
}

void kea_host_release() {
    win_cmds::partner_channel_close();
    win_cmds::leases_release();
    for (auto timer : {&reload_timer, &tick_timer}) {
        if (*timer) {
            (*timer)->cancel();
            timer->reset();
        }
    }
    io_service.reset();
}

}  // namespace win_cmds
