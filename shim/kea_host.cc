// Each operation of the host table, done with Kea's classes. These functions
// are called from C, so no exception may leave them: every one catches and
// answers WIN_HOST_ERROR with the exception's text.
#include "kea_host.h"

#include "config_check.h"
#include "json_text.h"
#include "kea_ha.h"
#include "kea_release.h"
#include "kea_subnets.h"
#include "partner_http.h"

#include "win_cmds.h"
#include "win_cmds_log.h"

#include <asiolink/interval_timer.h>
#include <asiolink/io_address.h>
#include <asiolink/io_service.h>
#include <cryptolink/crypto_hmac.h>
#include <cryptolink/cryptolink.h>
#include <cc/data.h>
#include <dhcp/duid.h>
#include <dhcp/hwaddr.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/dhcpsrv_exceptions.h>
#include <dhcpsrv/host_mgr.h>
#include <dhcpsrv/lease_mgr_factory.h>
#include <dhcpsrv/resource_handler.h>
#include <stats/stats_mgr.h>
#include <util/multi_threading_mgr.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <vector>

using isc::asiolink::IOAddress;
using namespace isc::dhcp;

namespace {

// Address locks taken by address_lock(); commands run on the main thread only.
std::map<uint32_t, std::unique_ptr<ResourceHandler4>> address_locks;

// The last user-context written, as hook/ gave it and as Kea's element.
// Records created together mostly carry the same Windows fields, and their
// leases then share one element, as Kea's own lease copies share theirs
// (Lease4's copy constructor copies the pointer: contexts are never changed
// in place). Commands run on the main thread only.
std::unique_ptr<cJSON, void (*)(cJSON*)> last_context(nullptr, cJSON_Delete);
isc::data::ConstElementPtr last_context_element;

bool same_tree(const cJSON* a, const cJSON* b);

// Two roots: their members, not their (absent) siblings.
bool same_tree_root(const cJSON* a, const cJSON* b) {
    return (a->type == b->type && same_tree(a->child, b->child));
}

// The same tree, member for member in the same order (cJSON_Compare matches
// members by name, which costs more than converting the tree afresh).
bool same_tree(const cJSON* a, const cJSON* b) {
    for (; a && b; a = a->next, b = b->next) {
        if (a->type != b->type || (a->string == nullptr) != (b->string == nullptr) ||
            (a->string && std::strcmp(a->string, b->string) != 0)) {
            return (false);
        }
        if (cJSON_IsString(a) && std::strcmp(a->valuestring, b->valuestring) != 0) {
            return (false);
        }
        if (cJSON_IsNumber(a) && a->valuedouble != b->valuedouble) {
            return (false);
        }
        if ((cJSON_IsArray(a) || cJSON_IsObject(a)) && !same_tree(a->child, b->child)) {
            return (false);
        }
    }
    return (a == b);
}

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

void set_error(char* err, const char* text) {
    std::snprintf(err, WIN_HOST_ERR_LEN, "%s", text);
}

char* copy_string(const std::string& s) {
    return s.empty() ? nullptr : strdup(s.c_str());
}

void to_win_lease(const Lease4& kea, win_lease* out) {
    std::memset(out, 0, sizeof *out);
    out->addr = kea.addr_.toUint32();
    out->subnet_id = kea.subnet_id_;
    // (An empty vector's data() may be null: copy only what there is.)
    if (kea.hwaddr_ && !kea.hwaddr_->hwaddr_.empty()) {
        size_t len = std::min(kea.hwaddr_->hwaddr_.size(), size_t(WIN_HWADDR_MAX));
        std::memcpy(out->hwaddr, kea.hwaddr_->hwaddr_.data(), len);
        out->hwaddr_len = static_cast<uint8_t>(len);
    }
    if (kea.client_id_ && !kea.client_id_->getClientId().empty()) {
        const std::vector<uint8_t>& id = kea.client_id_->getClientId();
        size_t len = std::min(id.size(), size_t(WIN_CLIENT_ID_MAX));
        std::memcpy(out->client_id, id.data(), len);
        out->client_id_len = static_cast<uint8_t>(len);
    }
    out->cltt = kea.cltt_;
    out->valid_lft = kea.valid_lft_;
    out->state = static_cast<uint8_t>(kea.state_);
    out->hostname = copy_string(kea.hostname_);
    if (kea.getContext()) {
        out->user_context = win_cmds::to_cjson(kea.getContext());
        if (!out->user_context) {
            // A NUL in a string, which a tree cannot hold: the text keeps the
            // rest of the map (cJSON ends that string at the NUL).
            out->user_context = cJSON_Parse(win_cmds::json_text(kea.getContext()).c_str());
        }
    }
}

Lease4Ptr to_kea_lease(const win_lease& in) {
    HWAddrPtr hw(new HWAddr(std::vector<uint8_t>(in.hwaddr, in.hwaddr + in.hwaddr_len),
                            HTYPE_ETHER));
    Lease4Ptr lease(new Lease4(IOAddress(in.addr), hw, in.client_id, in.client_id_len,
                               in.valid_lft, static_cast<time_t>(in.cltt), in.subnet_id,
                               false, false, in.hostname ? in.hostname : ""));
    lease->state_ = in.state;
    if (in.user_context) {
        if (!cJSON_IsObject(in.user_context)) {
            isc_throw(isc::BadValue, "user context is not a JSON map");
        }
        if (!last_context || !same_tree_root(last_context.get(), in.user_context)) {
            last_context_element = win_cmds::to_element(in.user_context);
            last_context.reset(cJSON_Duplicate(in.user_context, 1));
        }
        lease->setContext(last_context_element);
    }
    return (lease);
}

int push_all(const Lease4Collection& leases, win_lease_list* out, char* err) {
    for (const Lease4Ptr& l : leases) {
        win_lease item;
        to_win_lease(*l, &item);
        if (win_lease_list_push(out, &item) != 0) {
            win_lease_clear(&item);
            set_error(err, "out of memory");
            return (WIN_HOST_ERROR);
        }
    }
    return (WIN_HOST_OK);
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
            set_error(err, why.c_str());
        }
        return (rc);
    } catch (const std::exception& ex) {
        std::memset(out, 0, sizeof *out);
        std::snprintf(out->name, sizeof out->name, "not-running");
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_ha_takeover(void*, win_ha_takeover what, char* text, size_t size, char* err) {
    try {
        std::string said;
        int rc = win_cmds::ha_takeover(what, said);
        if (rc == WIN_HOST_OK) {
            std::snprintf(text, size, "%s", said.c_str());
        } else {
            set_error(err, said.c_str());
        }
        return (rc);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static const win_ha_timing_limits* host_ha_timing_limits(void*) {
    return (&win_cmds::ha_timing_limits());
}

static int host_ha_parameters(void*, const char* server_name, win_ha_parameters* out,
                              char* err) {
    try {
        return (win_cmds::ha_parameters(server_name, *out));
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_subnet_find(void*, uint32_t addr, win_subnet* out, char* err) {
    try {
        const Subnet4Collection* all =
            CfgMgr::instance().getCurrentCfg()->getCfgSubnets4()->getAll();
        for (const Subnet4Ptr& subnet : *all) {
            std::pair<IOAddress, uint8_t> prefix = subnet->get();
            uint8_t len = prefix.second;
            uint32_t mask = len == 0 ? 0 : 0xFFFFFFFFu << (32 - len);
            if ((addr & mask) == prefix.first.toUint32()) {
                out->id = subnet->getID();
                out->prefix = prefix.first.toUint32();
                out->prefix_len = len;
                out->valid_lft = subnet->getValid().get();
                return (WIN_HOST_OK);
            }
        }
        return (WIN_HOST_NOT_FOUND);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_lease_get(void*, uint32_t addr, win_lease* out, char* err) {
    try {
        Lease4Ptr lease = LeaseMgrFactory::instance().getLease4(IOAddress(addr));
        if (!lease) {
            return (WIN_HOST_NOT_FOUND);
        }
        to_win_lease(*lease, out);
        return (WIN_HOST_OK);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_leases_by_hwaddr(void*, const uint8_t* hw, size_t len, win_lease_list* out,
                                 char* err) {
    try {
        HWAddr hwaddr(std::vector<uint8_t>(hw, hw + len), HTYPE_ETHER);
        return (push_all(LeaseMgrFactory::instance().getLease4(hwaddr), out, err));
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_leases_by_client_id(void*, const uint8_t* id, size_t len,
                                    win_lease_list* out, char* err) {
    try {
        ClientId client_id(std::vector<uint8_t>(id, id + len));
        return (push_all(LeaseMgrFactory::instance().getLease4(client_id), out, err));
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_leases_by_hostname(void*, const char* hostname, win_lease_list* out,
                                   char* err) {
    try {
        return (push_all(LeaseMgrFactory::instance().getLeases4(std::string(hostname)), out,
                         err));
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_lease_add(void*, const win_lease* lease, char* err) {
    try {
        if (!LeaseMgrFactory::instance().addLease(to_kea_lease(*lease))) {
            return (WIN_HOST_EXISTS);
        }
        return (WIN_HOST_OK);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_lease_update(void*, const win_lease* lease, char* err) {
    try {
        LeaseMgr& mgr = LeaseMgrFactory::instance();
        Lease4Ptr existing = mgr.getLease4(IOAddress(lease->addr));
        if (!existing) {
            return (WIN_HOST_NOT_FOUND);
        }
        Lease4Ptr updated = to_kea_lease(*lease);
        // SQL backends update WHERE the expiry is still the one read.
        Lease::syncCurrentExpirationTime(*existing, *updated);
        mgr.updateLease4(updated);
        return (WIN_HOST_OK);
    } catch (const NoSuchLease&) {
        return (WIN_HOST_NOT_FOUND);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_lease_delete(void*, uint32_t addr, char* err) {
    try {
        LeaseMgr& mgr = LeaseMgrFactory::instance();
        Lease4Ptr existing = mgr.getLease4(IOAddress(addr));
        if (!existing || !mgr.deleteLease(existing)) {
            return (WIN_HOST_NOT_FOUND);
        }
        return (WIN_HOST_OK);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_leases_page(void*, uint32_t after, size_t limit, win_lease_list* out,
                            char* err) {
    try {
        return (push_all(LeaseMgrFactory::instance().getLeases4(IOAddress(after),
                                                               LeasePageSize(limit)),
                         out, err));
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_subnet_pools(void*, uint32_t subnet_id, uint32_t* first, uint32_t* last,
                             size_t max, size_t* count, char* err) {
    try {
        *count = 0;
        ConstSubnet4Ptr subnet = CfgMgr::instance().getCurrentCfg()->getCfgSubnets4()
                                     ->getBySubnetId(subnet_id);
        if (!subnet) {
            return (WIN_HOST_OK);
        }
        const PoolCollection& pools = subnet->getPools(Lease::TYPE_V4);
        size_t n = 0;
        for (const PoolPtr& pool : pools) {
            if (n < max) {
                first[n] = pool->getFirstAddress().toUint32();
                last[n] = pool->getLastAddress().toUint32();
            }
            ++n;
        }
        *count = n;
        return (WIN_HOST_OK);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_reservation_find(void*, uint32_t subnet_id, uint32_t addr,
                                 win_reservation* out, char* err) {
    try {
        ConstHostPtr host = HostMgr::instance().get4(SubnetID(subnet_id), IOAddress(addr));
        if (!host) {
            return (WIN_HOST_NOT_FOUND);
        }
        const std::vector<uint8_t>& id = host->getIdentifier();
        switch (host->getIdentifierType()) {
        case Host::IDENT_HWADDR:
            out->type = WIN_IDENT_HWADDR;
            break;
        case Host::IDENT_CLIENT_ID:
            out->type = WIN_IDENT_CLIENT_ID;
            break;
        default:
            out->type = WIN_IDENT_OTHER;
        }
        out->id_len = std::min(id.size(), sizeof out->id);
        std::memcpy(out->id, id.data(), out->id_len);
        std::snprintf(out->type_name, sizeof out->type_name, "%s",
                      Host::getIdentifierName(host->getIdentifierType()).c_str());
        return (WIN_HOST_OK);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static int host_address_lock(void*, uint32_t addr, char* err) {
    try {
        if (!isc::util::MultiThreadingMgr::instance().getMode()) {
            return (WIN_HOST_OK);
        }
        std::unique_ptr<ResourceHandler4> handler(new ResourceHandler4());
        if (!handler->tryLock4(IOAddress(addr))) {
            return (WIN_HOST_BUSY);
        }
        address_locks[addr] = std::move(handler);
        return (WIN_HOST_OK);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

static void host_address_unlock(void*, uint32_t addr) {
    address_locks.erase(addr);
}

static int host_pool_statistics_id(void*, uint32_t subnet_id, uint32_t addr, uint64_t* id,
                                   char* err) {
    try {
        return (win_cmds::pool_statistics_id(subnet_id, addr, *id) ? WIN_HOST_OK
                                                                   : WIN_HOST_NOT_FOUND);
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
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
    try {
        std::string problem = find();
        if (problem.empty()) {
            return (0);
        }
        set_error(err, problem.c_str());
    } catch (const std::exception& ex) {
        set_error(err, ex.what());
    }
    return (-1);
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
const int CONFIG_CHECK_TIMEOUT_MS = 10000;

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
        set_error(err, error.c_str());
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
            set_error(err, "out of memory");
            return (WIN_HOST_ERROR);
        }
        return (WIN_HOST_OK);
    case win_cmds::PartnerOutcome::unreachable:
        set_error(err, got.c_str());
        return (WIN_HOST_UNREACHABLE);
    case win_cmds::PartnerOutcome::timed_out:
        set_error(err, got.c_str());
        return (WIN_HOST_BUSY);
    default:
        set_error(err, got.c_str());
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
    t.now = host_now;
    t.kea_facts = host_kea_facts;
    t.data_directory = host_data_directory;
    t.lease_released = host_lease_released;
    t.lease_backend = host_lease_backend;
    t.ha_state = host_ha_state;
    t.ha_takeover = host_ha_takeover;
    t.ha_timing_limits = host_ha_timing_limits;
    t.ha_parameters = host_ha_parameters;
    t.subnet_find = host_subnet_find;
    t.subnets = kea_host_subnets;
    t.subnet_set_ha_server_name = kea_host_subnet_set_ha_server_name;
    t.lease_get = host_lease_get;
    t.leases_by_hwaddr = host_leases_by_hwaddr;
    t.leases_by_client_id = host_leases_by_client_id;
    t.leases_by_hostname = host_leases_by_hostname;
    t.lease_add = host_lease_add;
    t.lease_update = host_lease_update;
    t.lease_delete = host_lease_delete;
    t.leases_page = host_leases_page;
    t.subnet_pools = host_subnet_pools;
    t.reservation_find = host_reservation_find;
    t.address_lock = host_address_lock;
    t.address_unlock = host_address_unlock;
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
    address_locks.clear();
    last_context.reset();
    last_context_element.reset();
    for (auto timer : {&reload_timer, &tick_timer}) {
        if (*timer) {
            (*timer)->cancel();
            timer->reset();
        }
    }
    io_service.reset();
}

}  // namespace win_cmds
