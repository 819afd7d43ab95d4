#include "import_apply.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "client_identifier.h"
#include "json_fields.h"
#include "value_formats.h"

#define BATCH 1000          /* records per request, as the hook's own bulk chunks */
#define IO_TIMEOUT_S 120

struct pending {
    char source[SOURCE_MAX];
    char why[300];
    enum report_status status;
};

struct batch {
    cJSON *records;
    struct pending *pending;   /* BATCH entries */
    size_t count;
};

/* One batch is being built while the one before is on the server: parsing
 * the export and Kea's work overlap, as in the hook's own bulk pipeline. */
struct import_apply {
    struct import_ctx *ctx;
    char socket_path[108];
    int http;
    char host[256], port[8], auth[512];   /* auth: base64 user:password or "" */
    struct batch building, in_flight;
    int fd;                               /* the in-flight request's connection */
    size_t created, failed;
    int error;
    char error_text[300];
};

static void base64(const char *in, char *out, size_t out_len)
{
    static const char T[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in), o = 0;
    for (size_t i = 0; i < n && o + 5 < out_len; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
        if (i + 1 < n) v |= (uint32_t)(unsigned char)in[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)in[i + 2];
        out[o++] = T[v >> 18 & 63];
        out[o++] = T[v >> 12 & 63];
        out[o++] = i + 1 < n ? T[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? T[v & 63] : '=';
    }
    out[o] = 0;
}

/* http://[user:password@]host[:port][/] */
static int parse_url(struct import_apply *a, const char *url)
{
    const char *p = url + 7, *at = strchr(p, '@'), *slash;
    char cred[256] = "";
    if (at) {
        if ((size_t)(at - p) >= sizeof cred) return -1;
        memcpy(cred, p, (size_t)(at - p));
        cred[at - p] = 0;
        base64(cred, a->auth, sizeof a->auth);
        p = at + 1;
    }
    slash = strchr(p, '/');
    size_t len = slash ? (size_t)(slash - p) : strlen(p);
    if (!len || len >= sizeof a->host) return -1;
    memcpy(a->host, p, len);
    a->host[len] = 0;
    char *colon = strrchr(a->host, ':');
    if (colon) {
        *colon = 0;
        snprintf(a->port, sizeof a->port, "%s", colon + 1);
    } else {
        snprintf(a->port, sizeof a->port, "80");
    }
    return 0;
}

struct import_apply *import_apply_open(struct import_ctx *ctx, const char *target, char *err,
                                       size_t err_len)
{
    struct import_apply *a = calloc(1, sizeof *a);
    if (!a || !(a->building.pending = calloc(BATCH, sizeof *a->building.pending)) ||
        !(a->in_flight.pending = calloc(BATCH, sizeof *a->in_flight.pending))) {
        if (a) free(a->building.pending);
        free(a);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    a->ctx = ctx;
    a->fd = -1;
    if (strncmp(target, "http://", 7) == 0) {
        a->http = 1;
        if (parse_url(a, target) < 0) {
            snprintf(err, err_len, "--apply: '%s' is not http://[user:password@]host:port/",
                     target);
            import_apply_close(a);
            return NULL;
        }
    } else if (strlen(target) >= sizeof a->socket_path) {
        snprintf(err, err_len, "--apply: the socket path is longer than 107 characters");
        import_apply_close(a);
        return NULL;
    } else {
        snprintf(a->socket_path, sizeof a->socket_path, "%s", target);
    }
    return a;
}

void import_apply_close(struct import_apply *a)
{
    if (!a) return;
    if (a->fd >= 0) close(a->fd);
    cJSON_Delete(a->building.records);
    cJSON_Delete(a->in_flight.records);
    free(a->building.pending);
    free(a->in_flight.pending);
    free(a);
}

size_t import_apply_created(const struct import_apply *a)
{
    return a->created;
}

static int set_timeouts(int fd)
{
    struct timeval tv = {IO_TIMEOUT_S, 0};
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) |
           setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int connect_target(struct import_apply *a)
{
    int fd;
    if (!a->http) {
        struct sockaddr_un sun;
        memset(&sun, 0, sizeof sun);
        sun.sun_family = AF_UNIX;
        memcpy(sun.sun_path, a->socket_path, strlen(a->socket_path));
        if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) return -1;
        set_timeouts(fd);
        if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) return fd;
        close(fd);
        return -1;
    }
    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;   /* no name lookups */
    if (getaddrinfo(a->host, a->port, &hints, &res) != 0) return -1;
    for (fd = -1, ai = res; ai && fd < 0; ai = ai->ai_next) {
        if ((fd = socket(ai->ai_family, ai->ai_socktype, 0)) < 0) continue;
        set_timeouts(fd);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0) return -1;
        data += n, len -= (size_t)n;
    }
    return 0;
}

/* The whole answer (the connection closes after it). */
static char *receive_all(int fd)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    ssize_t n;
    if (!buf) return NULL;
    while ((n = recv(fd, buf + len, cap - len - 1, 0)) > 0) {
        len += (size_t)n;
        if (cap - len < 4096) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) break;
            buf = grown;
        }
    }
    buf[len] = 0;
    return buf;
}

/* The connection the request went out on, or -1. */
static int send_request(struct import_apply *a, const char *body)
{
    int fd = connect_target(a);
    if (fd < 0) return -1;
    int ok;
    if (a->http) {
        char head[1024];
        snprintf(head, sizeof head,
                 "POST / HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n%s%s%s\r\n",
                 a->host, a->port, strlen(body), a->auth[0] ? "Authorization: Basic " : "",
                 a->auth, a->auth[0] ? "\r\n" : "");
        ok = send_all(fd, head, strlen(head)) == 0 && send_all(fd, body, strlen(body)) == 0;
    } else {
        ok = send_all(fd, body, strlen(body)) == 0;
    }
    if (!ok) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The reply as parsed: kea-ctrl-agent's is a list (see jf_control_answer). */
static cJSON *receive_reply(struct import_apply *a, int fd)
{
    char *answer = receive_all(fd);
    close(fd);
    if (!answer) return NULL;
    const char *json = answer;
    if (a->http) {
        const char *end = strstr(answer, "\r\n\r\n");
        json = end ? end + 4 : "";
    }
    cJSON *parsed = cJSON_Parse(json);
    free(answer);
    return parsed;
}

static int step(struct import_apply *a);

static const char *address_state(int declined, int expired)
{
    return declined ? "declined" : expired ? "doom" : "active";
}

void import_apply_add(struct import_apply *a, const char *source, const struct xnode *lease,
                      const struct win_client_record *rec, int declined, int expired,
                      int64_t expire, int infinite, const char *why, enum report_status status)
{
    char b[300], when[WIN_DATETIME_TEXT];
    struct batch *batch = &a->building;
    if (a->error) return;   /* the server is gone: the run fails at the flush */
    if (!batch->records) batch->records = cJSON_CreateArray();
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "client-ip-address",
                            iv_trim(xn_text(lease, "IPAddress"), b, sizeof b));
    uint32_t addr = 0;
    iv_ipv4(b, &addr);
    if (declined) {
        /* The lease file keeps no identity for a declined address (as Kea
         * does); the hook reads such a record as its address: send that. */
        uint8_t id[CLIENT_ID_ADDRESS_LEN];
        client_identifier_of_address(addr, id);
        win_hex_format(id, sizeof id, b);
        cJSON_AddStringToObject(r, "client-hardware-address", b);
    } else {
        cJSON_AddStringToObject(r, "client-hardware-address",
                                iv_trim(xn_text(lease, "ClientId") ? xn_text(lease, "ClientId")
                                                                   : "", b, sizeof b));
    }
    if (rec->has_name) cJSON_AddStringToObject(r, "client-name", rec->name);
    if (rec->has_comment) cJSON_AddStringToObject(r, "client-comment", rec->comment);
    if (infinite) snprintf(when, sizeof when, "infinite");
    else win_datetime_format(expire, when);
    cJSON_AddStringToObject(r, "client-lease-expires", when);
    cJSON_AddNumberToObject(r, "client-type", rec->client_type);
    cJSON_AddStringToObject(r, "address-state", address_state(declined, expired));
    cJSON_AddNumberToObject(r, "quarantine-status", rec->quarantine_status);
    if (rec->has_probation_ends) {
        win_datetime_format(rec->probation_ends, when);
        cJSON_AddStringToObject(r, "probation-ends", when);
    }
    if (rec->has_quarantine_capable)
        cJSON_AddBoolToObject(r, "quarantine-capable", rec->quarantine_capable);
    cJSON_AddItemToArray(batch->records, r);
    struct pending *p = &batch->pending[batch->count++];
    snprintf(p->source, sizeof p->source, "%s", source);
    snprintf(p->why, sizeof p->why, "%s", why);
    p->status = status;
    if (batch->count == BATCH) step(a);
}

/* The answer to the batch in flight: one report item per lease. */
static int settle(struct import_apply *a)
{
    struct batch *b = &a->in_flight;
    if (!b->count) return 0;
    cJSON *reply = receive_reply(a, a->fd);
    const cJSON *answer = jf_control_answer(reply);
    a->fd = -1;
    const cJSON *clients =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(answer, "arguments"),
                                         "clients");
    if (!cJSON_IsArray(clients) || (size_t)cJSON_GetArraySize(clients) != b->count) {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(answer, "text");
        snprintf(a->error_text, sizeof a->error_text, "--apply: %s%s",
                 answer ? "the server answered: "
                        : "no answer from the server (is kea-dhcp4 with the hook running there?)",
                 cJSON_IsString(text) ? text->valuestring : answer ? "not a bulk answer" : "");
        cJSON_Delete(reply);
        a->error = 1;
        return -1;
    }
    size_t i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, clients) {
        struct pending *p = &b->pending[i++];
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "error-code");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "error-name");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(c, "text");
        const cJSON *ip = cJSON_GetObjectItemCaseSensitive(c, "client-ip-address");
        char kea[64];
        snprintf(kea, sizeof kea, "lease4[%s]", cJSON_IsString(ip) ? ip->valuestring : "?");
        if (cJSON_IsNumber(code) && code->valueint == 0) {
            a->created++;
            report_item(&a->ctx->report, RK_LEASE, NULL, p->status, p->source, kea, "%s",
                        p->why);
        } else {
            a->failed++;
            report_item(&a->ctx->report, RK_LEASE, NULL, REPORT_NOT_MAPPED, p->source, NULL,
                        "the server refused it: %s (%d): %s",
                        cJSON_IsString(name) ? name->valuestring : "?",
                        cJSON_IsNumber(code) ? code->valueint : -1,
                        cJSON_IsString(text) ? text->valuestring : "");
        }
    }
    b->count = 0;
    cJSON_Delete(reply);
    return 0;
}

/* Settles the batch in flight, then sends the one built (if any). */
static int step(struct import_apply *a)
{
    if (a->error || settle(a) < 0) return -1;
    struct batch *b = &a->building;
    if (!b->count) return 0;
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "command", "win-client-info-vq-create");
    if (a->http) cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "service"),
                                      cJSON_CreateString("dhcp4"));
    cJSON_AddItemToObject(cJSON_AddObjectToObject(req, "arguments"), "clients", b->records);
    b->records = NULL;
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    a->fd = body ? send_request(a, body) : -1;
    free(body);
    if (a->fd < 0) {
        snprintf(a->error_text, sizeof a->error_text, "--apply: cannot reach %s",
                 a->http ? a->host : a->socket_path);
        a->error = 1;
        return -1;
    }
    struct batch sent = *b;
    *b = a->in_flight;
    a->in_flight = sent;
    return 0;
}

int import_apply_flush(struct import_apply *a, char *err, size_t err_len)
{
    if (step(a) < 0 || settle(a) < 0) {
        snprintf(err, err_len, "%s", a->error_text);
        return -1;
    }
    return 0;
}
