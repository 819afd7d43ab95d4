// One command to the failover partner's control endpoint (kea-ctrl-agent, or
// Kea 3.0's HTTP control socket), with Kea's own HTTP client on an IO service
// of its own, as Kea HA's own ha-sync does: the main loop is never re-entered
// from inside a command handler. The exchange progresses only while polled
// or waited for, so a bulk create can make its next records meanwhile.
#ifndef PARTNER_HTTP_H
#define PARTNER_HTTP_H

#include <memory>
#include <string>

namespace win_cmds {

enum class PartnerOutcome { answered, unreachable, timed_out, failed };

class PartnerExchange;

// The TLS material of an https exchange (Kea HA's trust-anchor, cert-file,
// key-file).
struct PartnerTls {
    std::string trust_anchor, cert_file, key_file;
};

// POSTs body (JSON text) to url with basic auth (user empty: none), over TLS
// with tls (null: none; an https url needs it), to be answered within
// timeout_ms. Null with error when it could not start.
PartnerExchange* partner_start(const std::string& url, const PartnerTls* tls,
                               const std::string& user, const std::string& password,
                               const std::string& body, unsigned timeout_ms,
                               std::string& error);
// Runs what is ready, without waiting.
void partner_progress(PartnerExchange* exchange);
// Waits for the outcome and deletes the exchange; answer gets the response
// body, or why it failed.
PartnerOutcome partner_finish(PartnerExchange* exchange, std::string& answer);

// Closes the connections and the client (the library is being unloaded).
void partner_channel_close();

}  // namespace win_cmds

#endif
