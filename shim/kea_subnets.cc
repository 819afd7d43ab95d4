// Kea's subnets for hook/. No exception leaves a host call (host_call.h).
#include "kea_subnets.h"

#include "host_call.h"
#include "win_cmds.h"

#include <cc/data.h>
#include <dhcpsrv/cfgmgr.h>


using isc::asiolink::IOAddress;
using isc::data::Element;
using isc::data::ElementPtr;
using namespace isc::dhcp;

namespace {

// The configuration Kea is being configured with, during win_cmds_configured
// only: Kea makes it the current one after its dhcp4_srv_configured callouts.
SrvConfigPtr configuring;

SrvConfigPtr subnets_subject() {
    return (configuring ? configuring : CfgMgr::instance().getCurrentCfg());
}

}  // namespace

namespace win_cmds {

void subnets_configured(const SrvConfigPtr& config) {
    configuring = config;
    win_cmds_configured();
    configuring.reset();
}

}  // namespace win_cmds

extern "C" {

int kea_host_subnets(void*, win_subnet* out, size_t max, size_t* count, char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        const Subnet4Collection* all = subnets_subject()->getCfgSubnets4()->getAll();
        *count = 0;
        for (const Subnet4Ptr& subnet : *all) {
            if (*count < max) {
                std::pair<IOAddress, uint8_t> prefix = subnet->get();
                win_subnet& s = out[*count];
                s.id = subnet->getID();
                s.prefix = prefix.first.toUint32();
                s.prefix_len = prefix.second;
                s.valid_lft = subnet->getValid().get();
            }
            ++*count;
        }
        return (WIN_HOST_OK);
    }));
}

// A new user-context map (Kea shares elements between configurations, so the
// old one is never changed in place) with the operator's members and ours.
int kea_host_subnet_set_ha_server_name(void*, uint32_t subnet_id, const char* name,
                                       char* err) {
    return (win_cmds::host_call(err, [&]() -> int {
        if (!configuring) {
            win_cmds::set_host_error(
                err, "subnets are named only while kea-dhcp4 is being configured");
            return (WIN_HOST_ERROR);
        }
        Subnet4Ptr subnet;
        for (const Subnet4Ptr& candidate : *configuring->getCfgSubnets4()->getAll()) {
            if (candidate->getID() == subnet_id) {
                subnet = candidate;
            }
        }
        if (!subnet) {
            return (WIN_HOST_NOT_FOUND);
        }
        ElementPtr context = Element::createMap();
        isc::data::ConstElementPtr old = subnet->getContext();
        if (old && old->getType() == Element::map) {
            for (const auto& member : old->mapValue()) {
                context->set(member.first, member.second);
            }
        }
        context->set("ha-server-name", Element::create(std::string(name)));
        subnet->setContext(context);
        return (WIN_HOST_OK);
    }));
}

}  // extern "C"
