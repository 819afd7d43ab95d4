#include "replica_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "failover_auth.h"
#include "failover_ha.h"
#include "failover_store.h"
#include "failover_tls.h"
#include "json_fields.h"
#include "replica_nonces.h"
#include "replica_sequence.h"
#include "win_enums.h"
#include "win_stats.h"
#include "json_writer.h"
#include "value_formats.h"

#define NONCE_BYTES (REPLICA_NONCE_CHARS / 2)

static void hex(const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}

/* HKDF-SHA256 (RFC 5869) with one output block, over the host's HMAC: the
 * MAC key for one direction of one relationship, so that the shared secret
 * itself never keys anything that travels, and a request's tag can never
 * pass for an answer's. */
static void derive_key(const struct win_ctx *ctx, const struct fo_relationship *rel,
                       const char *purpose, uint8_t key[32])
{
    static const char salt[] = "kea-win-cmds replica mac v1";
    uint8_t prk[32];
    ctx->host->hmac_sha256(ctx->host->ctx, salt, strlen(salt), rel->shared_secret,
                           strlen(rel->shared_secret), prk);
    char info[FO_TEXT_MAX + 64];
    int n = snprintf(info, sizeof info, "%s %s", purpose, rel->name);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof info ? sizeof info - 1 : (size_t)n;
    info[len++] = 1; /* T(1) = HMAC(PRK, info || 0x01) */
    ctx->host->hmac_sha256(ctx->host->ctx, prk, sizeof prk, info, len, key);
    memset(prk, 0, sizeof prk);
}

static void tag_with(const struct win_ctx *ctx, const uint8_t key[32], const char *text,
                     char out[65])
{
    uint8_t mac[32];
    ctx->host->hmac_sha256(ctx->host->ctx, key, 32, text, strlen(text), mac);
    hex(mac, sizeof mac, out);
}

static void tag_of(const struct win_ctx *ctx, const struct fo_relationship *rel,
                   const char *purpose, const char *text, char out[65])
{
    uint8_t key[32];
    derive_key(ctx, rel, purpose, key);
    tag_with(ctx, key, text, out);
    memset(key, 0, sizeof key);
}

#define PURPOSE_REQUEST "request"
#define PURPOSE_REPLY "reply"

/* JSON text with every non-ASCII character as \uXXXX, so that the text (and
 * its HMAC) is the same byte for byte on the partner, whatever the control
 * endpoint does to non-ASCII strings on the way. */
static char *ascii_json(const char *utf8)
{
    size_t n = strlen(utf8);
    char *out = malloc(n * 12 + 1), *o = out;
    if (!out) return NULL;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        if (*p < 0x80) {
            *o++ = (char)*p++;
            continue;
        }
        unsigned cp, extra;
        if ((*p & 0xe0) == 0xc0) cp = *p & 0x1f, extra = 1;
        else if ((*p & 0xf0) == 0xe0) cp = *p & 0x0f, extra = 2;
        else cp = *p & 0x07, extra = 3;
        p++;
        for (unsigned i = 0; i < extra && (*p & 0xc0) == 0x80; i++) cp = cp << 6 | (*p++ & 0x3f);
        if (cp > 0xffff) {
            cp -= 0x10000;
            o += sprintf(o, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
        } else {
            o += sprintf(o, "\\u%04x", cp);
        }
    }
    *o = '\0';
    return out;
}

char *replica_seal(const struct win_ctx *ctx, const struct fo_relationship *rel, cJSON *payload,
                   char nonce_hex[REPLICA_NONCE_CHARS + 1], char seq[24])
{
    uint8_t nonce[NONCE_BYTES];
    char tag[65];
    if (getrandom(nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce) {
        cJSON_Delete(payload);
        return NULL;
    }
    hex(nonce, sizeof nonce, nonce_hex);
    cJSON_AddStringToObject(payload, "relationship", rel->name);
    cJSON_AddNumberToObject(payload, "stamp", (double)ctx->host->now(ctx->host->ctx));
    cJSON_AddStringToObject(payload, "nonce", nonce_hex);
    snprintf(seq, 24, "%llu", (unsigned long long)replica_sequence_next());
    cJSON_AddStringToObject(payload, "seq", seq);
    char *raw = cJSON_PrintUnformatted(payload);
    cJSON_Delete(payload);
    char *text = raw ? ascii_json(raw) : NULL;
    free(raw);
    if (!text) return NULL;
    tag_of(ctx, rel, PURPOSE_REQUEST, text, tag);
    cJSON *command = cJSON_CreateObject(), *args = cJSON_CreateObject(),
          *service = cJSON_CreateArray();
    cJSON_AddStringToObject(command, "command", REPLICA_COMMAND);
    cJSON_AddItemToArray(service, cJSON_CreateString("dhcp4"));
    cJSON_AddItemToObject(command, "service", service);
    cJSON_AddStringToObject(args, "relationship", rel->name);
    cJSON_AddStringToObject(args, "payload", text);
    cJSON_AddStringToObject(args, "hmac", tag);
    cJSON_AddItemToObject(command, "arguments", args);
    free(text);
    char *body = cJSON_PrintUnformatted(command);
    cJSON_Delete(command);
    return body;
}

static int refuse(struct win_status *st, const char *why)
{
    return win_fail(st, ERROR_ACCESS_DENIED, "replica refused: %s; nothing changed", why);
}

static int constant_time_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned diff = (unsigned)(la ^ lb);
    for (size_t i = 0; i < la && i < lb; i++) diff |= (unsigned)(a[i] ^ b[i]);
    return diff == 0;
}

cJSON *replica_open(const struct win_ctx *ctx, const cJSON *args, struct fo_relationship *rel,
                    struct win_status *st)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(args, "relationship");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(args, "payload");
    const cJSON *mac = cJSON_GetObjectItemCaseSensitive(args, "hmac");
    if (!cJSON_IsString(name) || !cJSON_IsString(text) || !cJSON_IsString(mac) ||
        cJSON_GetArraySize(args) != 3) {
        refuse(st, "it takes relationship, payload and hmac (strings) only");
        return NULL;
    }
    struct fo_store store;
    struct win_status why;
    if (fo_store_load(ctx->config, &store, &why) < 0) {
        fo_store_free(&store);
        *st = why;
        return NULL;
    }
    struct fo_relationship *found = fo_store_find(&store, name->valuestring);
    int usable = found && found->has_secret && found->shared_secret[0];
    if (usable) *rel = *found;
    fo_store_free(&store);
    if (!usable) {
        refuse(st, "no relationship of that name with a shared secret here");
        return NULL;
    }
    char tag[65];
    tag_of(ctx, rel, PURPOSE_REQUEST, text->valuestring, tag);
    if (!constant_time_equal(tag, mac->valuestring)) {
        refuse(st, "the hmac does not match the relationship's shared secret");
        return NULL;
    }
    cJSON *payload = cJSON_Parse(text->valuestring);
    const cJSON *stamp = cJSON_GetObjectItemCaseSensitive(payload, "stamp");
    const cJSON *nonce = cJSON_GetObjectItemCaseSensitive(payload, "nonce");
    const cJSON *inner = cJSON_GetObjectItemCaseSensitive(payload, "relationship");
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(payload, "seq");
    double now = (double)ctx->host->now(ctx->host->ctx);
    const char *problem = NULL;
    if (!cJSON_IsObject(payload) || !cJSON_IsString(inner) ||
        strcmp(inner->valuestring, rel->name) != 0)
        problem = "the payload is not a replica of this relationship";
    else if (!cJSON_IsNumber(stamp) || stamp->valuedouble < now - REPLICA_WINDOW_S ||
             stamp->valuedouble > now + REPLICA_WINDOW_S)
        problem = "its stamp is too far from this server's clock";
    else if (!cJSON_IsString(nonce) || strlen(nonce->valuestring) != NONCE_BYTES * 2)
        problem = "it has no nonce";
    else if (replica_nonce_seen(nonce->valuestring))
        problem = "it was seen before (a replay)";
    else if (!cJSON_IsString(seq) || !seq->valuestring[0] || strlen(seq->valuestring) > 20 ||
             strspn(seq->valuestring, "0123456789") != strlen(seq->valuestring))
        problem = "it has no sequence number";
    if (problem) {
        cJSON_Delete(payload);
        refuse(st, problem);
        return NULL;
    }
    if (replica_sequence_admit(ctx, rel->name, strtoull(seq->valuestring, NULL, 10), st) < 0) {
        cJSON_Delete(payload);
        return NULL;
    }
    replica_nonce_keep(nonce->valuestring);
    return payload;
}

cJSON *replica_sign_reply(const struct win_ctx *ctx, const struct fo_relationship *rel,
                          const cJSON *request, cJSON *reply)
{
    const cJSON *nonce = cJSON_GetObjectItemCaseSensitive(request, "nonce");
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(request, "seq");
    cJSON_AddStringToObject(reply, "nonce", cJSON_IsString(nonce) ? nonce->valuestring : "");
    cJSON_AddStringToObject(reply, "seq", cJSON_IsString(seq) ? seq->valuestring : "");
    char *raw = cJSON_PrintUnformatted(reply);
    cJSON_Delete(reply);
    char *text = raw ? ascii_json(raw) : NULL, tag[65];
    free(raw);
    if (!text) return NULL;
    tag_of(ctx, rel, PURPOSE_REPLY, text, tag);
    cJSON *signed_reply = cJSON_CreateObject();
    cJSON_AddStringToObject(signed_reply, "reply", text);
    cJSON_AddStringToObject(signed_reply, "hmac", tag);
    free(text);
    return signed_reply;
}

void replica_txn(char out[33])
{
    uint8_t id[16] = {0};
    if (getrandom(id, sizeof id, 0) != (ssize_t)sizeof id) {
        static uint64_t counter;
        counter++;
        memcpy(id, &counter, sizeof counter);
    }
    hex(id, sizeof id, out);
}

struct replica_request {
    void *exchange;
    size_t count;
    size_t changes; /* the ops that change a record (not an abort): the replicas */
    char relationship[FO_TEXT_MAX], name[FO_TEXT_MAX], url[FO_TEXT_MAX];
    /* What the partner's answer must be signed with and bound to. */
    uint8_t reply_key[32];
    char nonce[REPLICA_NONCE_CHARS + 1], seq[24];
};

struct replica_request *replica_start(const struct win_ctx *ctx,
                                      const struct fo_relationship *rel, const char *txn,
                                      cJSON *ops, unsigned wait_ms, char *why)
{
    struct replica_request *r = calloc(1, sizeof *r);
    cJSON *payload = cJSON_CreateObject();
    if (!r) {
        cJSON_Delete(ops);
        cJSON_Delete(payload);
        snprintf(why, WIN_TEXT_MAX, "out of memory");
        return NULL;
    }
    r->count = (size_t)cJSON_GetArraySize(ops);
    const cJSON *op;
    cJSON_ArrayForEach(op, ops)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(op, "op");
        r->changes += !(cJSON_IsString(kind) && strcmp(kind->valuestring, "abort") == 0);
    }
    snprintf(r->relationship, sizeof r->relationship, "%s", rel->name);
    cJSON_AddStringToObject(payload, "from-role",
                            rel->server_type == WIN_FO_PRIMARY ? "primary" : "secondary");
    cJSON_AddStringToObject(payload, "from", ctx->config->server_name);
    cJSON_AddStringToObject(payload, "txn", txn);
    cJSON_AddItemToObject(payload, "ops", ops);
    char *body = replica_seal(ctx, rel, payload, r->nonce, r->seq);
    derive_key(ctx, rel, PURPOSE_REPLY, r->reply_key);
    fo_partner(rel, r->name, r->url);
    char err[WIN_HOST_ERR_LEN] = "out of memory", user[FO_TEXT_MAX], password[FO_TEXT_MAX],
                            problem[WIN_TEXT_MAX];
    int credentials = fo_auth_credentials(rel, user, password, problem);
    if (credentials < 0) snprintf(err, sizeof err, "%.200s", problem);
    struct win_tls tls;
    if (body && credentials >= 0)
        r->exchange = ctx->host->partner_send(ctx->host->ctx, r->url, fo_tls_of(rel, &tls),
                                              credentials ? user : NULL,
                                              credentials ? password : NULL, body, wait_ms, err);
    memset(password, 0, sizeof password);
    free(body);
    if (!r->exchange) {
        snprintf(why, WIN_TEXT_MAX, "%.200s at %.200s: %.100s", r->name, r->url, err);
        free(r);
        return NULL;
    }
    return r;
}

void replica_poll(const struct win_ctx *ctx, struct replica_request *r)
{
    if (r) ctx->host->partner_poll(ctx->host->ctx, r->exchange);
}

/* One result per op, from the answer's "applied" count and "refused" list
 * (only refusals travel: a bulk's acknowledgement stays small). */
static cJSON *results_of(const cJSON *arguments, size_t count)
{
    const cJSON *applied = cJSON_GetObjectItemCaseSensitive(arguments, "applied");
    const cJSON *refused = cJSON_GetObjectItemCaseSensitive(arguments, "refused");
    if (!cJSON_IsNumber(applied) || !cJSON_IsArray(refused) ||
        (size_t)applied->valuedouble + (size_t)cJSON_GetArraySize(refused) != count)
        return NULL;
    cJSON *results = cJSON_CreateArray();
    for (size_t i = 0; i < count; i++) {
        cJSON *ok = cJSON_CreateObject();
        cJSON_AddNumberToObject(ok, "error-code", 0);
        cJSON_AddItemToArray(results, ok);
    }
    const cJSON *r;
    cJSON_ArrayForEach(r, refused)
    {
        const cJSON *index = cJSON_GetObjectItemCaseSensitive(r, "index");
        if (!cJSON_IsNumber(index) || index->valuedouble < 0 || index->valuedouble >= count) {
            cJSON_Delete(results);
            return NULL;
        }
        cJSON_ReplaceItemInArray(results, (int)index->valuedouble, cJSON_Duplicate(r, 1));
    }
    return results;
}

/* The partner's reply if its tag is right and it answers this request. */
static cJSON *open_reply(const struct win_ctx *ctx, const struct replica_request *r,
                         const cJSON *arguments)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(arguments, "reply");
    const cJSON *mac = cJSON_GetObjectItemCaseSensitive(arguments, "hmac");
    if (!cJSON_IsString(text) || !cJSON_IsString(mac)) return NULL;
    char tag[65];
    tag_with(ctx, r->reply_key, text->valuestring, tag);
    if (!constant_time_equal(tag, mac->valuestring)) return NULL;
    cJSON *reply = cJSON_Parse(text->valuestring);
    const cJSON *nonce = cJSON_GetObjectItemCaseSensitive(reply, "nonce");
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(reply, "seq");
    if (!cJSON_IsString(nonce) || strcmp(nonce->valuestring, r->nonce) != 0 ||
        !cJSON_IsString(seq) || strcmp(seq->valuestring, r->seq) != 0) {
        cJSON_Delete(reply);
        return NULL;
    }
    return reply;
}

int replica_finish(const struct win_ctx *ctx, struct replica_request *r, cJSON **results,
                   char *why)
{
    *results = NULL;
    char *text = NULL, err[WIN_HOST_ERR_LEN] = "";
    int rc = ctx->host->partner_wait(ctx->host->ctx, r->exchange, &text, err);
    if (rc != WIN_HOST_OK) {
        snprintf(why, WIN_TEXT_MAX, "%.200s at %.200s: %.100s", r->name, r->url, err);
        free(r);
        return rc;
    }
    cJSON *answer = cJSON_Parse(text);
    free(text);
    const cJSON *one = jf_control_answer(answer);
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(one, "result");
    const cJSON *said = cJSON_GetObjectItemCaseSensitive(one, "text");
    const cJSON *arguments = cJSON_GetObjectItemCaseSensitive(one, "arguments");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(arguments, "error-code");
    if (!cJSON_IsNumber(code)) {
        /* Not this hook's answer: the agent could not reach the partner's
         * kea-dhcp4, or it runs without this hook. It got nothing. */
        snprintf(why, WIN_TEXT_MAX, "%.150s at %.150s: %.150s", r->name, r->url,
                 cJSON_IsString(said) ? said->valuestring : "no answer from its kea-dhcp4");
        rc = WIN_HOST_UNREACHABLE;
    } else if (!cJSON_IsNumber(result) || result->valueint != 0) {
        snprintf(why, WIN_TEXT_MAX, "%.200s refused the change: %.250s", r->name,
                 cJSON_IsString(said) ? said->valuestring : "an answer that is not a replica's");
        rc = WIN_HOST_ERROR;
    } else {
        /* A success counts only signed by the partner and bound to this
         * request; anything else is as if no answer came (the caller undoes
         * its write and sends an abort). */
        cJSON *reply = open_reply(ctx, r, arguments);
        if (!reply || !(*results = results_of(reply, r->count))) {
            snprintf(why, WIN_TEXT_MAX, "%.200s at %.200s: its answer is not signed for this "
                     "request (altered on the way?)", r->name, r->url);
            rc = WIN_HOST_BUSY;
        } else {
            win_stat_relationship_count(ctx->host, r->relationship, WIN_STAT_REPLICAS_SENT,
                                        (int64_t)r->changes);
        }
        cJSON_Delete(reply);
    }
    cJSON_Delete(answer);
    memset(r->reply_key, 0, sizeof r->reply_key);
    free(r);
    return rc;
}

int replica_call(const struct win_ctx *ctx, const struct fo_relationship *rel, const char *txn,
                 cJSON *ops, unsigned wait_ms, cJSON **results, char *why)
{
    *results = NULL;
    struct replica_request *r = replica_start(ctx, rel, txn, ops, wait_ms, why);
    return r ? replica_finish(ctx, r, results, why) : WIN_HOST_ERROR;
}
