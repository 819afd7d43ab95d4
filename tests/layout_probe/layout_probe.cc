// A test-only hook library built against the same headers as the shim (and
// so against shim/compat/dhcpsrv/cfg_globals.h when kea-dev lacks it). Its
// command "layout-probe-get" reads inherited globals through Subnet4's inline
// getters, which index CfgGlobals by the enum: wrong enum values would read
// another parameter, and the test would see it.
#include <cc/command_interpreter.h>
#include <dhcpsrv/cfgmgr.h>
#include <hooks/hooks.h>

using isc::data::Element;
using isc::data::ElementPtr;
using isc::hooks::CalloutHandle;
using isc::hooks::LibraryHandle;

namespace {

int layout_probe_get(CalloutHandle& handle) {
    ElementPtr values = Element::createMap();
    try {
        isc::dhcp::ConstSubnet4Ptr subnet = isc::dhcp::CfgMgr::instance().getCurrentCfg()
            ->getCfgSubnets4()->getBySubnetId(1);
        values->set("valid-lifetime", Element::create(static_cast<long long>(
            subnet->getValid().get())));
        values->set("t1-percent", Element::create(subnet->getT1Percent().get()));
        values->set("t2-percent", Element::create(subnet->getT2Percent().get()));
        values->set("ddns-generated-prefix",
                    Element::create(subnet->getDdnsGeneratedPrefix().get()));
        values->set("match-client-id", Element::create(subnet->getMatchClientId().get()));
        values->set("authoritative", Element::create(subnet->getAuthoritative().get()));
        handle.setArgument("response", isc::config::createAnswer(0, "probed", values));
    } catch (const std::exception& ex) {
        handle.setArgument("response", isc::config::createAnswer(1, ex.what()));
    }
    return (0);
}

}  // namespace

extern "C" {
int version() { return (KEA_HOOKS_VERSION); }
int multi_threading_compatible() { return (1); }
int load(LibraryHandle& handle) {
    handle.registerCommandCallout("layout-probe-get", layout_probe_get);
    return (0);
}
int unload() { return (0); }
}
