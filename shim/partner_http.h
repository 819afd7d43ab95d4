// One command to the failover partner's control endpoint (kea-ctrl-agent, or
// Kea 3.0's HTTP control socket), with Kea's own HTTP client, waited for on a
// private IO service as Kea HA's own ha-sync does: the main loop is never
// re-entered from inside a command handler.
#ifndef PARTNER_HTTP_H
#define PARTNER_HTTP_H

#include <string>

namespace win_cmds {

enum class PartnerOutcome { answered, unreachable, timed_out, failed };

// POSTs body (JSON text) to url with basic auth (user empty: none); at most
// timeout_ms. answer gets the response body, or why it failed.
PartnerOutcome partner_post(const std::string& url, const std::string& user,
                            const std::string& password, const std::string& body,
                            unsigned timeout_ms, std::string& answer);

}  // namespace win_cmds

#endif
