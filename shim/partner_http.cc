#include "partner_http.h"

#include "kea_release.h"

#include <asiolink/asio_wrapper.h>
#include <asiolink/crypto_tls.h>
#include <cc/data.h>
#include <http/basic_auth.h>
#include <http/client.h>
#include <http/post_request.h>
#include <http/response.h>
#include <http/url.h>

#include <boost/asio/error.hpp>

#include <chrono>
#include <map>
#include <tuple>

using namespace isc::http;

namespace win_cmds {

// What an exchange's handler writes; shared with the handler, so that an
// exchange given up on (an exception while it waited) leaves it nothing
// freed to write into.
struct ExchangeState {
    PartnerOutcome outcome = PartnerOutcome::failed;
    std::string answer;
    bool done = false;
};

class PartnerExchange {
public:
    std::shared_ptr<ExchangeState> state = std::make_shared<ExchangeState>();
};

namespace {

// How long partner_finish looks for the answer before it sleeps on it.
constexpr std::chrono::microseconds SPIN(2000);

// One client for every exchange, kept between commands so that its
// connections to the partner's endpoint stay open (HTTP/1.1 keep-alive):
// a connect and a close cost more than a record's write.
std::unique_ptr<PrivateHttpClient> channel;

PrivateHttpClient& the_channel() {
    if (!channel) {
        channel.reset(new PrivateHttpClient());
    }
    return (*channel);
}

// One client TLS context per set of material, kept while the library is
// loaded: Kea's client keeps a connection per URL and context, so a new
// context per request would open a new connection (and handshake) each time,
// and the files would be read again.
using TlsKey = std::tuple<std::string, std::string, std::string>;
std::map<TlsKey, isc::asiolink::TlsContextPtr> tls_contexts;

isc::asiolink::TlsContextPtr client_tls(const Url& url, const PartnerTls* tls) {
    if (url.getScheme() != Url::HTTPS) {
        if (tls) {
            isc_throw(isc::BadValue, "TLS material given for the plain http URL "
                      << url.toText());
        }
        return (isc::asiolink::TlsContextPtr());
    }
    if (!tls) {
        isc_throw(isc::BadValue, "no TLS material (trust-anchor, cert-file, key-file) for "
                  << url.toText());
    }
    TlsKey key(tls->trust_anchor, tls->cert_file, tls->key_file);
    isc::asiolink::TlsContextPtr& context = tls_contexts[key];
    if (!context) {
        try {
            // A TLS client always checks the server's certificate (Kea
            // refuses cert_required false for a client).
            isc::asiolink::TlsContext::configure(context, isc::asiolink::TlsRole::CLIENT,
                                                 tls->trust_anchor, tls->cert_file,
                                                 tls->key_file, true);
        } catch (const std::exception& ex) {
            tls_contexts.erase(key);
            isc_throw(isc::BadValue, "the TLS material could not be loaded: " << ex.what());
        }
    }
    return (context);
}

PartnerOutcome outcome_of(const boost::system::error_code& ec) {
    if (ec == boost::asio::error::timed_out) {
        return (PartnerOutcome::timed_out);
    }
    if (ec == boost::asio::error::connection_refused ||
        ec == boost::asio::error::host_unreachable ||
        ec == boost::asio::error::network_unreachable ||
        ec.category() == boost::asio::error::get_ssl_category()) {
        // A failed handshake (a certificate the other side does not trust)
        // sent nothing: the partner never got the request.
        return (PartnerOutcome::unreachable);
    }
    return (PartnerOutcome::failed);
}

}  // namespace

PartnerExchange* partner_start(const std::string& url_text, const PartnerTls* tls,
                               const std::string& user, const std::string& password,
                               const std::string& body, unsigned timeout_ms,
                               std::string& error) {
    try {
        Url url(url_text);
        if (!url.isValid()) {
            error = "not a valid URL: " + url_text;
            return (nullptr);
        }
        isc::asiolink::TlsContextPtr tls_context = client_tls(url, tls);
        // A plain POST with the JSON type: the JSON request class would parse
        // the body we just wrote back into Kea's data tree, for nothing.
        // (new, not make_shared: GCC 14 misreads make_shared's storage of
        // this class as out of bounds.)
        PostHttpRequestPtr request(new PostHttpRequest(
            HttpRequest::Method::HTTP_POST, "/", HttpVersion::HTTP_11(),
            HostHttpHeader(url.getStrippedHostname())));
        request->context()->headers_.push_back(
            HttpHeaderContext("Content-Type", "application/json"));
        if (!user.empty()) {
            request->context()->headers_.push_back(
                BasicAuthHttpHeaderContext(BasicHttpAuth(user, password)));
        }
        request->context()->body_ = body;
        request->finalize();
        HttpResponsePtr response(new HttpResponse());
        std::unique_ptr<PartnerExchange> exchange(new PartnerExchange());
        std::shared_ptr<ExchangeState> self = exchange->state;
        PrivateHttpClient& http = the_channel();
        http.client().asyncSendRequest(
            url, tls_context, request, response,
            [self, timeout_ms](const boost::system::error_code& ec, const HttpResponsePtr& got,
                               const std::string& parse_error) {
                self->done = true;
                if (ec) {
                    self->outcome = outcome_of(ec);
                    self->answer = self->outcome == PartnerOutcome::timed_out
                                       ? "no answer within " + std::to_string(timeout_ms) + " ms"
                                   : ec.category() == boost::asio::error::get_ssl_category()
                                       ? "TLS handshake failed: " + ec.message()
                                       : ec.message();
                } else if (!got) {
                    self->answer = parse_error.empty() ? "no response" : parse_error;
                } else {
                    self->outcome = PartnerOutcome::answered;
                    self->answer = got->getBody();
                }
            },
            HttpClient::RequestTimeout(timeout_ms));
        http.io().poll();
        return (exchange.release());
    } catch (const std::exception& ex) {
        error = ex.what();
        return (nullptr);
    }
}

void partner_progress(PartnerExchange* exchange) {
    try {
        if (exchange && !exchange->state->done) {
            the_channel().io().poll();
        }
    } catch (const std::exception&) {
        // partner_finish reports the exchange's outcome.
    }
}

PartnerOutcome partner_finish(PartnerExchange* exchange, std::string& answer) {
    std::unique_ptr<PartnerExchange> owned(exchange);
    ExchangeState& state = *owned->state;
    bool slept = false;
    try {
        // The partner mostly answers within a millisecond: looking for the
        // answer for up to SPIN keeps this thread from sleeping and being
        // woken, which cost about 0.1 ms per change on the VMs measured. Then
        // it sleeps until the answer or the request's own timeout.
        const auto spin_until = std::chrono::steady_clock::now() + SPIN;
        while (!state.done && std::chrono::steady_clock::now() < spin_until) {
            the_channel().io().poll();
        }
        while (!state.done) {
            slept = true;
            the_channel().run_one();
        }
    } catch (const std::exception& ex) {
        state.answer = ex.what();
        state.outcome = PartnerOutcome::failed;
    }
    // run_one runs one of what woke it: the rest runs now, while no request
    // is under way. The request's timer, when it ran out as the answer came,
    // would otherwise run in the next exchange and time that request out at
    // once (Kea's timer keeps no generation; a new request's setup arms it
    // again before the stale handler runs). poll, above, runs all it finds.
    try {
        if (slept) {
            the_channel().io().poll();
        }
    } catch (const std::exception&) {
        // The outcome stands; the next exchange polls again.
    }
    answer = state.answer;
    return (state.done ? state.outcome : PartnerOutcome::failed);
}

void partner_channel_close() {
    channel.reset();
    tls_contexts.clear();
}

}  // namespace win_cmds
