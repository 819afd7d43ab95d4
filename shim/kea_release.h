// What differs between the Kea releases this library builds against (2.2, 2.6
// and 3.0), each difference as one small named adaptor (kea_release.cc). The
// rest of shim/ and all of hook/ are the same for every release.
//
// The WIN_KEA_* macros are set by shim/CMakeLists.txt from what the installed
// headers offer, not from the version number: Debian's 2.6.3 security update
// carries 3.0's Element interface under 2.6.3's KEA_HOOKS_VERSION.
#ifndef KEA_RELEASE_H
#define KEA_RELEASE_H

#include <asiolink/io_service.h>
#include <cc/data.h>

#include <boost/shared_ptr.hpp>

#include <memory>
#include <string>
#include <vector>

namespace isc {
namespace asiolink {
class IntervalTimer;
}
namespace http {
class HttpClient;
}
namespace dhcp {
class SrvConfig;
typedef boost::shared_ptr<SrvConfig> SrvConfigPtr;
}
}  // namespace isc

// Element printing and comparing: from Kea 3.0.3 (and Debian's 2.6.3-1+deb13u1)
// toJSON and equals take a nesting level, which an override must pass on.
#if WIN_KEA_ELEMENT_NESTING_LEVEL
#define WIN_KEA_LEVEL_PARAM , unsigned level
#define WIN_KEA_LEVEL_ARG , level
#else
#define WIN_KEA_LEVEL_PARAM
#define WIN_KEA_LEVEL_ARG
#endif

namespace win_cmds {

// A timer on Kea's IO service (a reference before 2.5.7, the pointer since).
std::unique_ptr<isc::asiolink::IntervalTimer>
make_interval_timer(const isc::asiolink::IOServicePtr& io_service);

// Kea's HTTP client on an IO service of its own, for exchanges waited for
// inside a command handler (2.2 takes the service by reference; 2.6+ by
// pointer, with a multi-threading flag, and wants it stopped and polled).
class PrivateHttpClient {
public:
    PrivateHttpClient();
    ~PrivateHttpClient();
    isc::http::HttpClient& client() { return (*client_); }
    isc::asiolink::IOService& io() { return (*io_); }
    // Runs one handler, waiting for it (run_one before 2.5, runOne since).
    void run_one();

private:
    isc::asiolink::IOServicePtr io_;
    std::unique_ptr<isc::http::HttpClient> client_;
};

// The unix control sockets kea-dhcp4 listens on, as paths: 3.0 keeps a list
// of them (beside its HTTP sockets); 2.6 and 3.0 put a bare socket name in
// their socket directory, while the configuration keeps the name as written.
std::vector<std::string> unix_control_socket_paths(const isc::dhcp::SrvConfigPtr& config);

// The one directory hook libraries may be loaded from (2.6+: KEA_HOOKS_PATH or
// Kea's own), or empty where any path is allowed (2.2).
std::string allowed_hooks_directory();

// Where Kea's own hook libraries are (libdhcp_ha.so, libdhcp_lease_cmds.so).
std::string kea_hooks_directory();

// Where Kea keeps its state files (its memfile leases) by default.
const char* kea_data_directory();

// Whether a lease in this state with this lifetime is one its client
// released, as the release keeps it: 2.2 deletes such a lease; 2.6 keeps it
// in the default state with lifetime 0 (lease affinity); 3.0 in a state of
// its own. Either form reads as released on every release.
bool lease_released(uint32_t state, uint32_t valid_lft);

// Why kea-dhcp4 would not load a hooks-libraries entry naming library (2.6+:
// only from its hooks directory, a bare name meaning a file there), or "".
std::string hook_library_problem(const std::string& library);

// The id Kea's per-pool statistics (subnet[N].pool[P].*, 2.3.8+) use for the
// pool of subnet_id that holds addr; false where the release keeps none or
// the address is in no pool.
bool pool_statistics_id(uint32_t subnet_id, uint32_t addr, uint64_t& id);

// The parameters of the running configuration's first hooks-libraries entry
// whose library is file (e.g. "libdhcp_ha.so"), or null when none is (3.0
// keeps an entry as a struct, earlier releases as a pair).
isc::data::ConstElementPtr hook_library_parameters(const char* file);

// How many HA relationships one server may run: one until Kea 2.5.5, then
// several (hub-and-spoke, hot-standby only). The HA hook ships no headers to
// test, so this one follows the version.
unsigned ha_relationships_per_server();

// The release, for what hook/ tells operators Kea does ("2.2", "2.6", "3.0").
std::string release_name();

}  // namespace win_cmds

#endif
