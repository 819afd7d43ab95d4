#include "apply_transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define IO_TIMEOUT_S 120       /* one bulk request of 1,000 takes about 0.1 s */
#define CONNECT_TIMEOUT_S 10
#define CREDENTIAL_MAX 512
#define CREDENTIALS_IN_URL                                                                   \
    "--apply: the URL carries a user name or password, which anyone can read in ps: give "  \
    "them with --credentials-file FILE (user:password) or " APPLY_USER_ENV " and "          \
    APPLY_PASSWORD_ENV

struct apply_transport {
    int http;
    char where[2048];                    /* the target as printed: never credentials */
    char user[CREDENTIAL_MAX], password[CREDENTIAL_MAX];
    /* unix socket */
    int fd;
    /* http(s) */
    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;
    char curl_error[CURL_ERROR_SIZE];
    char *body;                          /* the request on the way */
    char *answer;
    size_t answer_len, answer_cap;
    int in_flight;
};

static int fail(char *err, size_t len, const char *text, const char *arg)
{
    snprintf(err, len, text, arg);
    return -1;
}

/* user:password from the file's first line, or the environment. */
static int read_credentials(struct apply_transport *t, const struct apply_target *target,
                            char *err, size_t err_len)
{
    const char *user = getenv(APPLY_USER_ENV), *password = getenv(APPLY_PASSWORD_ENV);
    char line[2 * CREDENTIAL_MAX];
    if (target->credentials_file) {
        FILE *f = fopen(target->credentials_file, "r");
        if (!f) return fail(err, err_len, "--credentials-file: cannot read %s",
                            target->credentials_file);
        int got = fgets(line, sizeof line, f) != NULL;
        fclose(f);
        line[got ? strcspn(line, "\r\n") : 0] = 0;
        char *colon = strchr(line, ':');
        if (!colon || colon == line)
            return fail(err, err_len, "--credentials-file: %s must hold user:password on its "
                        "first line", target->credentials_file);
        *colon = 0;
        user = line, password = colon + 1;
    } else if (!user != !password) {
        return fail(err, err_len, "%s", "--apply: set both " APPLY_USER_ENV " and "
                    APPLY_PASSWORD_ENV ", or neither");
    }
    if (!user) return 0;
    if (strlen(user) >= sizeof t->user || strlen(password) >= sizeof t->password)
        return fail(err, err_len, "%s", "--apply: the user name or password is too long");
    snprintf(t->user, sizeof t->user, "%s", user);
    snprintf(t->password, sizeof t->password, "%s", password);
    explicit_bzero(line, sizeof line);
    return 0;
}

/* An http(s) URL without credentials in it (the message never shows it: it
 * may carry a password). */
static int check_url(struct apply_transport *t, const char *url, char *err, size_t err_len)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *user = NULL, *password = NULL;
    int rc = -1;
    /* Whatever follows an '@' in it, the text before may be a password (one
     * with a '/' in it does not even parse as one). */
    if (strchr(url, '@'))
        return fail(err, err_len, "%s", CREDENTIALS_IN_URL), curl_url_cleanup(u), -1;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        fail(err, err_len, "%s", "--apply: not a URL (http://host:port/ or https://host:port/, "
             "[v6-address] for IPv6), nor a unix socket path");
    } else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        fail(err, err_len, "--apply: %s:// is not http:// or https://", scheme);
    } else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK) {
        fail(err, err_len, "%s", CREDENTIALS_IN_URL);
    } else if (strlen(url) >= sizeof t->where) {
        fail(err, err_len, "%s", "--apply: the URL is too long");
    } else {
        snprintf(t->where, sizeof t->where, "%s", url);
        rc = 0;
    }
    curl_free(scheme);
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    return rc;
}

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
    struct apply_transport *t = arg;
    size_t len = size * n;
    if (t->answer_len + len + 1 > t->answer_cap) {
        size_t cap = (t->answer_len + len + 1) * 2;
        char *grown = realloc(t->answer, cap);
        if (!grown) return 0;
        t->answer = grown;
        t->answer_cap = cap;
    }
    memcpy(t->answer + t->answer_len, data, len);
    t->answer_len += len;
    t->answer[t->answer_len] = 0;
    return len;
}

static int open_http(struct apply_transport *t, const struct apply_target *target, char *err,
                     size_t err_len)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(t->multi = curl_multi_init()) ||
        !(t->easy = curl_easy_init()) ||
        !(t->headers = curl_slist_append(NULL, "Content-Type: application/json")))
        return fail(err, err_len, "%s", "--apply: libcurl cannot start");
    CURL *e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, t->where);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");   /* the credentials go to the server only */
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)IO_TIMEOUT_S);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->curl_error);
    if (t->user[0]) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, t->user);
        curl_easy_setopt(e, CURLOPT_PASSWORD, t->password);
    }
    if (target->ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, target->ca_file);
    if (target->cert_file) curl_easy_setopt(e, CURLOPT_SSLCERT, target->cert_file);
    if (target->key_file) curl_easy_setopt(e, CURLOPT_SSLKEY, target->key_file);
    return 0;
}

struct apply_transport *apply_transport_open(const struct apply_target *target, char *err,
                                             size_t err_len)
{
    struct apply_transport *t = calloc(1, sizeof *t);
    if (!t) return fail(err, err_len, "%s", "out of memory"), NULL;
    t->fd = -1;
    const char *url = target->target;
    int tls = target->ca_file || target->cert_file || target->key_file;
    t->http = strstr(url, "://") != NULL;
    if (!t->http) {
        if (strlen(url) >= sizeof ((struct sockaddr_un *)0)->sun_path)
            fail(err, err_len, "%s", "--apply: the socket path is longer than 107 characters");
        else if (tls || target->credentials_file)
            fail(err, err_len, "%s", "--apply: a unix socket takes no TLS files or credentials "
                 "(only an http(s) URL does)");
        else {
            snprintf(t->where, sizeof t->where, "%s", url);
            return t;
        }
    } else if (check_url(t, url, err, err_len) == 0) {
        if (tls && strncmp(url, "https://", 8) != 0)
            fail(err, err_len, "%s", "--apply: --ca-file, --cert-file and --key-file need an "
                 "https:// URL");
        else if (!target->cert_file != !target->key_file)
            fail(err, err_len, "%s", "--apply: --cert-file and --key-file go together");
        else if (read_credentials(t, target, err, err_len) == 0 &&
                 open_http(t, target, err, err_len) == 0)
            return t;
    }
    apply_transport_close(t);
    return NULL;
}

void apply_transport_close(struct apply_transport *t)
{
    if (!t) return;
    if (t->fd >= 0) close(t->fd);
    if (t->easy) {
        if (t->in_flight) curl_multi_remove_handle(t->multi, t->easy);
        curl_easy_cleanup(t->easy);
    }
    if (t->multi) curl_multi_cleanup(t->multi);
    if (t->multi || t->easy) curl_global_cleanup();
    curl_slist_free_all(t->headers);
    free(t->body);
    free(t->answer);
    explicit_bzero(t->password, sizeof t->password);
    free(t);
}

int apply_transport_is_http(const struct apply_transport *t)
{
    return t->http;
}

const char *apply_transport_where(const struct apply_transport *t)
{
    return t->where;
}

/* ---- the unix socket ----------------------------------------------------- */

static int socket_send(struct apply_transport *t, const char *body)
{
    struct sockaddr_un sun;
    struct timeval tv = {IO_TIMEOUT_S, 0};
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, t->where, strlen(t->where));
    if ((t->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) return -1;
    setsockopt(t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(t->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(t->fd, (struct sockaddr *)&sun, sizeof sun) < 0) return -1;
    for (size_t len = strlen(body); len;) {
        ssize_t n = send(t->fd, body, len, MSG_NOSIGNAL);
        if (n <= 0) return -1;
        body += n, len -= (size_t)n;
    }
    return 0;
}

/* The whole answer: kea-dhcp4 closes the connection after it. */
static void socket_receive(struct apply_transport *t)
{
    char buf[65536];
    ssize_t n;
    while ((n = recv(t->fd, buf, sizeof buf, 0)) > 0)
        if (on_data(buf, 1, (size_t)n, t) != (size_t)n) break;
    close(t->fd);
    t->fd = -1;
}

/* ---- either -------------------------------------------------------------- */

int apply_transport_start(struct apply_transport *t, char *body, char *err, size_t err_len)
{
    free(t->body);
    t->body = body;
    t->answer_len = 0;
    if (t->answer) t->answer[0] = 0;
    if (!t->http) {
        if (socket_send(t, body) == 0) return 0;
        if (t->fd >= 0) close(t->fd);
        t->fd = -1;
        return fail(err, err_len, "--apply: cannot reach %s", t->where);
    }
    t->curl_error[0] = 0;
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    if (curl_multi_add_handle(t->multi, t->easy) != CURLM_OK)
        return fail(err, err_len, "%s", "--apply: libcurl cannot send");
    t->in_flight = 1;
    apply_transport_pump(t);
    return 0;
}

void apply_transport_pump(struct apply_transport *t)
{
    int running;
    if (t->http && t->in_flight) curl_multi_perform(t->multi, &running);
}

static int http_finish(struct apply_transport *t, char *err, size_t err_len)
{
    int running = 1;
    CURLcode result = CURLE_OK;
    while (running) {
        if (curl_multi_perform(t->multi, &running) != CURLM_OK) break;
        if (running) curl_multi_poll(t->multi, NULL, 0, 1000, NULL);
    }
    int left;
    for (CURLMsg *m; (m = curl_multi_info_read(t->multi, &left));)
        if (m->msg == CURLMSG_DONE) result = m->data.result;
    curl_multi_remove_handle(t->multi, t->easy);
    t->in_flight = 0;
    if (result != CURLE_OK) {
        snprintf(err, err_len, "--apply: cannot reach %s: %s", t->where,
                 t->curl_error[0] ? t->curl_error : curl_easy_strerror(result));
        return -1;
    }
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        snprintf(err, err_len, "--apply: %s answered HTTP status %ld%s", t->where, status,
                 status == 401 || status == 403
                     ? " (credentials refused or missing: --credentials-file or "
                       APPLY_USER_ENV "/" APPLY_PASSWORD_ENV ")" : "");
        return -1;
    }
    return 0;
}

cJSON *apply_transport_finish(struct apply_transport *t, char *err, size_t err_len)
{
    if (t->http) {
        if (http_finish(t, err, err_len) < 0) return NULL;
    } else {
        socket_receive(t);
    }
    cJSON *parsed = t->answer_len ? cJSON_Parse(t->answer) : NULL;
    if (!parsed)
        snprintf(err, err_len, "--apply: no answer from %s (is kea-dhcp4 with the hook "
                 "running there?)", t->where);
    return parsed;
}
