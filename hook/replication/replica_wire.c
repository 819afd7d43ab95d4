#include "replica_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "failover_ha.h"
#include "failover_store.h"
#include "failover_tls.h"
#include "json_fields.h"
#include "replica_nonces.h"
#include "win_enums.h"
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

static void tag_of(const struct win_ctx *ctx, const struct fo_relationship *rel,
                   const char *text, char out[65])
{
    uint8_t mac[32];
    ctx->host->hmac_sha256(ctx->host->ctx, rel->shared_secret, strlen(rel->shared_secret), text,
                           strlen(text), mac);
    hex(mac, sizeof mac, out);
}

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

char *replica_seal(const struct win_ctx *ctx, const struct fo_relationship *rel, cJSON *payload)
{
    uint8_t nonce[NONCE_BYTES];
    char nonce_hex[NONCE_BYTES * 2 + 1], tag[65];
    if (getrandom(nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce) {
        cJSON_Delete(payload);
        return NULL;
    }
    hex(nonce, sizeof nonce, nonce_hex);
    cJSON_AddStringToObject(payload, "relationship", rel->name);
    cJSON_AddNumberToObject(payload, "stamp", (double)ctx->host->now(ctx->host->ctx));
    cJSON_AddStringToObject(payload, "nonce", nonce_hex);
    char *raw = cJSON_PrintUnformatted(payload);
    cJSON_Delete(payload);
    char *text = raw ? ascii_json(raw) : NULL;
    free(raw);
    if (!text) return NULL;
    tag_of(ctx, rel, text, tag);
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
    tag_of(ctx, rel, text->valuestring, tag);
    if (!constant_time_equal(tag, mac->valuestring)) {
        refuse(st, "the hmac does not match the relationship's shared secret");
        return NULL;
    }
    cJSON *payload = cJSON_Parse(text->valuestring);
    const cJSON *stamp = cJSON_GetObjectItemCaseSensitive(payload, "stamp");
    const cJSON *nonce = cJSON_GetObjectItemCaseSensitive(payload, "nonce");
    const cJSON *inner = cJSON_GetObjectItemCaseSensitive(payload, "relationship");
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
    if (problem) {
        cJSON_Delete(payload);
        refuse(st, problem);
        return NULL;
    }
    replica_nonce_keep(nonce->valuestring);
    return payload;
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
    char name[FO_TEXT_MAX], url[FO_TEXT_MAX];
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
    cJSON_AddStringToObject(payload, "from-role",
                            rel->server_type == WIN_FO_PRIMARY ? "primary" : "secondary");
    cJSON_AddStringToObject(payload, "from", ctx->config->server_name);
    cJSON_AddStringToObject(payload, "txn", txn);
    cJSON_AddItemToObject(payload, "ops", ops);
    char *body = replica_seal(ctx, rel, payload);
    fo_partner(rel, r->name, r->url);
    char err[WIN_HOST_ERR_LEN] = "out of memory";
    struct win_tls tls;
    if (body)
        r->exchange = ctx->host->partner_send(ctx->host->ctx, r->url, fo_tls_of(rel, &tls),
                                              FO_PEER_USER, rel->shared_secret, body, wait_ms,
                                              err);
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
    } else if (!cJSON_IsNumber(result) || result->valueint != 0 ||
               !(*results = results_of(arguments, r->count))) {
        snprintf(why, WIN_TEXT_MAX, "%.200s refused the change: %.250s", r->name,
                 cJSON_IsString(said) ? said->valuestring : "an answer that is not a replica's");
        rc = WIN_HOST_ERROR;
    }
    cJSON_Delete(answer);
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
