/* How --apply's requests travel: kea-dhcp4's unix control socket (a JSON
 * command on a stream socket, the connection closed after the answer), or
 * HTTP(S) through libcurl (host names, IPv6 literals, ports, TLS, basic
 * authentication). One request at a time is on the way; it is started, moved
 * on while the next batch is read from the export, then waited for. */
#ifndef APPLY_TRANSPORT_H
#define APPLY_TRANSPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "import_apply.h"

struct apply_transport;

/* Checks the target and the options that go with it, reads the credentials:
 * NULL with one line in err (never the password, nor a URL carrying one). */
struct apply_transport *apply_transport_open(const struct apply_target *t, char *err,
                                             size_t err_len);
void apply_transport_close(struct apply_transport *t);

int apply_transport_is_http(const struct apply_transport *t);
const char *apply_transport_where(const struct apply_transport *t);

/* Starts sending body (taken: freed by the transport): 0, or -1 with err. */
int apply_transport_start(struct apply_transport *t, char *body, char *err, size_t err_len);
/* Moves the request on without waiting. */
void apply_transport_pump(struct apply_transport *t);
/* Waits for the answer: the parsed JSON, or NULL with err (unreachable, an
 * HTTP status other than 2xx, not JSON). */
cJSON *apply_transport_finish(struct apply_transport *t, char *err, size_t err_len);

#endif
