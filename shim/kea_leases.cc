// Kea's leases, reservations and pools for hook/: win_lease and Kea's Lease4
// each way, the lease manager's calls, and the address locks of a change. No
// exception leaves a host call (host_call.h).
#include "kea_leases.h"

#include "host_call.h"
#include "json_text.h"

#include <asiolink/io_address.h>
#include <cc/data.h>
#include <dhcp/duid.h>
#include <dhcp/hwaddr.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/dhcpsrv_exceptions.h>
#include <dhcpsrv/host_mgr.h>
#include <dhcpsrv/lease_mgr_factory.h>
#include <dhcpsrv/resource_handler.h>
#include <util/multi_threading_mgr.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
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
            win_cmds::set_host_error(err, "out of memory");
            return (WIN_HOST_ERROR);
        }
    }
    return (WIN_HOST_OK);
}

extern "C" {

static int host_subnet_find(void*, uint32_t addr, win_subnet* out, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
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
    }));
}

static int host_lease_get(void*, uint32_t addr, win_lease* out, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        Lease4Ptr lease = LeaseMgrFactory::instance().getLease4(IOAddress(addr));
        if (!lease) {
            return (WIN_HOST_NOT_FOUND);
        }
        to_win_lease(*lease, out);
        return (WIN_HOST_OK);
    }));
}

static int host_leases_by_hwaddr(void*, const uint8_t* hw, size_t len, win_lease_list* out,
                                 char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        HWAddr hwaddr(std::vector<uint8_t>(hw, hw + len), HTYPE_ETHER);
        return (push_all(LeaseMgrFactory::instance().getLease4(hwaddr), out, err));
    }));
}

static int host_leases_by_client_id(void*, const uint8_t* id, size_t len,
                                    win_lease_list* out, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        ClientId client_id(std::vector<uint8_t>(id, id + len));
        return (push_all(LeaseMgrFactory::instance().getLease4(client_id), out, err));
    }));
}

static int host_leases_by_hostname(void*, const char* hostname, win_lease_list* out,
                                   char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        return (push_all(LeaseMgrFactory::instance().getLeases4(std::string(hostname)), out,
                         err));
    }));
}

static int host_lease_add(void*, const win_lease* lease, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        if (!LeaseMgrFactory::instance().addLease(to_kea_lease(*lease))) {
            return (WIN_HOST_EXISTS);
        }
        return (WIN_HOST_OK);
    }));
}

static int host_lease_update(void*, const win_lease* lease, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        LeaseMgr& mgr = LeaseMgrFactory::instance();
        Lease4Ptr existing = mgr.getLease4(IOAddress(lease->addr));
        if (!existing) {
            return (WIN_HOST_NOT_FOUND);
        }
        Lease4Ptr updated = to_kea_lease(*lease);
        // SQL backends update WHERE the expiry is still the one read.
        Lease::syncCurrentExpirationTime(*existing, *updated);
        try {
            mgr.updateLease4(updated);
        } catch (const NoSuchLease&) {
            return (WIN_HOST_NOT_FOUND);  // changed or gone since it was read
        }
        return (WIN_HOST_OK);
    }));
}

static int host_lease_delete(void*, uint32_t addr, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        LeaseMgr& mgr = LeaseMgrFactory::instance();
        Lease4Ptr existing = mgr.getLease4(IOAddress(addr));
        if (!existing || !mgr.deleteLease(existing)) {
            return (WIN_HOST_NOT_FOUND);
        }
        return (WIN_HOST_OK);
    }));
}

static int host_leases_page(void*, uint32_t after, size_t limit, win_lease_list* out,
                            char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        return (push_all(LeaseMgrFactory::instance().getLeases4(IOAddress(after),
                                                               LeasePageSize(limit)),
                         out, err));
    }));
}

static int host_subnet_pools(void*, uint32_t subnet_id, uint32_t* first, uint32_t* last,
                             size_t max, size_t* count, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
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
    }));
}

static int host_reservation_find(void*, uint32_t subnet_id, uint32_t addr,
                                 win_reservation* out, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
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
    }));
}

static int host_address_lock(void*, uint32_t addr, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        if (!isc::util::MultiThreadingMgr::instance().getMode()) {
            return (WIN_HOST_OK);
        }
        std::unique_ptr<ResourceHandler4> handler(new ResourceHandler4());
        if (!handler->tryLock4(IOAddress(addr))) {
            return (WIN_HOST_BUSY);
        }
        address_locks[addr] = std::move(handler);
        return (WIN_HOST_OK);
    }));
}

static void host_address_unlock(void*, uint32_t addr) {
    address_locks.erase(addr);
}

}  // extern "C"

}  // namespace

namespace win_cmds {

void fill_lease_calls(win_host& t) {
    t.subnet_find = host_subnet_find;
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
}

void leases_release() {
    address_locks.clear();
    last_context.reset();
    last_context_element.reset();
}

}  // namespace win_cmds
