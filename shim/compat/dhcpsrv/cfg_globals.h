// Stand-in for <dhcpsrv/cfg_globals.h>, which Debian's kea-dev 2.2.0 does not
// ship although dhcpsrv/network.h (and so lease_mgr.h, cfgmgr.h) includes it.
// CMake puts this directory on the include path only when the system header
// is missing. It declares the class exactly as libkea-dhcpsrv 2.2.0 defines
// it: the member functions live in the library; the enum values are compiled
// into network.h's inline getters, so their order must match the binary
// (tests/integration/test_cfg_globals_layout.py proves it does).
#ifndef WIN_CMDS_COMPAT_CFG_GLOBALS_H
#define WIN_CMDS_COMPAT_CFG_GLOBALS_H

#include <cc/cfg_to_element.h>
#include <cc/data.h>

#include <boost/shared_ptr.hpp>

#include <map>
#include <string>
#include <vector>

namespace isc {
namespace dhcp {

class CfgGlobals : public isc::data::CfgToElement {
public:
    // Index of each global parameter, in Kea 2.2.0's order.
    enum Index : int {
        VALID_LIFETIME,
        MIN_VALID_LIFETIME,
        MAX_VALID_LIFETIME,
        RENEW_TIMER,
        REBIND_TIMER,
        DECLINE_PROBATION_PERIOD,
        DHCP4O6_PORT,
        COMMENT,
        SERVER_TAG,
        RESERVATION_MODE,
        RESERVATIONS_GLOBAL,
        RESERVATIONS_IN_SUBNET,
        RESERVATIONS_OUT_OF_POOL,
        CALCULATE_TEE_TIMES,
        T1_PERCENT,
        T2_PERCENT,
        HOSTNAME_CHAR_SET,
        HOSTNAME_CHAR_REPLACEMENT,
        DDNS_SEND_UPDATES,
        DDNS_OVERRIDE_NO_UPDATE,
        DDNS_OVERRIDE_CLIENT_UPDATE,
        DDNS_REPLACE_CLIENT_NAME,
        DDNS_GENERATED_PREFIX,
        DDNS_QUALIFYING_SUFFIX,
        STORE_EXTENDED_INFO,
        STATISTIC_DEFAULT_SAMPLE_COUNT,
        STATISTIC_DEFAULT_SAMPLE_AGE,
        CACHE_THRESHOLD,
        CACHE_MAX_AGE,
        EARLY_GLOBAL_RESERVATIONS_LOOKUP,
        IP_RESERVATIONS_UNIQUE,
        RESERVATIONS_LOOKUP_FIRST,
        DDNS_UPDATE_ON_RENEW,
        DDNS_USE_CONFLICT_RESOLUTION,
        PARKED_PACKET_LIMIT,
        // DHCPv4 only.
        ECHO_CLIENT_ID,
        MATCH_CLIENT_ID,
        AUTHORITATIVE,
        NEXT_SERVER,
        SERVER_HOSTNAME,
        BOOT_FILE_NAME,
        // DHCPv6 only.
        DATA_DIRECTORY,
        PREFERRED_LIFETIME,
        MIN_PREFERRED_LIFETIME,
        MAX_PREFERRED_LIFETIME,
        SIZE
    };

    static const std::map<std::string, int> nameToIndex;

    CfgGlobals();

    isc::data::ConstElementPtr get(const std::string& name) const;
    isc::data::ConstElementPtr get(int index) const;
    void set(const std::string& name, isc::data::ConstElementPtr value);
    void set(int index, isc::data::ConstElementPtr value);
    void clear();

    typedef std::map<std::string, isc::data::ConstElementPtr> MapType;
    const MapType valuesMap() const;

    isc::data::ElementPtr toElement() const;

protected:
    std::vector<isc::data::ConstElementPtr> values_;
};

typedef boost::shared_ptr<CfgGlobals> CfgGlobalsPtr;
typedef boost::shared_ptr<const CfgGlobals> ConstCfgGlobalsPtr;

}  // namespace dhcp
}  // namespace isc

#endif
