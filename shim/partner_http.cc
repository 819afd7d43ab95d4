#include "partner_http.h"

#include "kea_release.h"

#include <asiolink/asio_wrapper.h>
#include <cc/data.h>
#include <http/basic_auth.h>
#include <http/client.h>
#include <http/post_request_json.h>
#include <http/response_json.h>
#include <http/url.h>

#include <boost/asio/error.hpp>
#include <boost/make_shared.hpp>

using namespace isc::http;

namespace win_cmds {

PartnerOutcome partner_post(const std::string& url_text, const std::string& user,
                            const std::string& password, const std::string& body,
                            unsigned timeout_ms, std::string& answer) {
    try {
        Url url(url_text);
        if (!url.isValid()) {
            answer = "not a valid URL: " + url_text;
            return (PartnerOutcome::failed);
        }
        PostHttpRequestJsonPtr request = boost::make_shared<PostHttpRequestJson>(
            HttpRequest::Method::HTTP_POST, "/", HttpVersion::HTTP_11(),
            HostHttpHeader(url.getStrippedHostname()));
        if (!user.empty()) {
            request->context()->headers_.push_back(
                BasicAuthHttpHeaderContext(BasicHttpAuth(user, password)));
        }
        request->setBodyAsJson(isc::data::Element::fromJSON(body));
        request->finalize();
        HttpResponsePtr response = boost::make_shared<HttpResponse>();

        PrivateHttpClient exchange;
        PartnerOutcome outcome = PartnerOutcome::failed;
        exchange.client().asyncSendRequest(
            url, isc::asiolink::TlsContextPtr(), request, response,
            [&](const boost::system::error_code& ec, const HttpResponsePtr& got,
                const std::string& parse_error) {
                if (ec == boost::asio::error::timed_out) {
                    outcome = PartnerOutcome::timed_out;
                    answer = "no answer within " + std::to_string(timeout_ms) + " ms";
                } else if (ec == boost::asio::error::connection_refused ||
                           ec == boost::asio::error::host_unreachable ||
                           ec == boost::asio::error::network_unreachable) {
                    outcome = PartnerOutcome::unreachable;
                    answer = ec.message();
                } else if (ec) {
                    answer = ec.message();
                } else if (!got) {
                    answer = parse_error.empty() ? "no response" : parse_error;
                } else {
                    outcome = PartnerOutcome::answered;
                    answer = got->getBody();
                }
                exchange.io().stop();
            },
            HttpClient::RequestTimeout(timeout_ms));
        exchange.io().run();
        return (outcome);
    } catch (const std::exception& ex) {
        answer = ex.what();
        return (PartnerOutcome::failed);
    }
}

}  // namespace win_cmds
