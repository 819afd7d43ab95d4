#include "import_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_transport.h"
#include "client_identifier.h"
#include "json_fields.h"
#include "value_formats.h"

#define BATCH 500           /* records per request: the hook's default max-records-per-request */
#define PUMP_EVERY 64       /* records read between two nudges of the request on the way */

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
    struct apply_transport *transport;
    struct batch building, in_flight;
    size_t created, failed;
    int error;
    char error_text[600];
};

struct import_apply *import_apply_open(struct import_ctx *ctx, const struct apply_target *t,
                                       char *err, size_t err_len)
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
    if (!(a->transport = apply_transport_open(t, err, err_len))) {
        import_apply_close(a);
        return NULL;
    }
    return a;
}

void import_apply_close(struct import_apply *a)
{
    if (!a) return;
    apply_transport_close(a->transport);
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

const char *import_apply_where(const struct import_apply *a)
{
    return apply_transport_where(a->transport);
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
    else if (batch->count % PUMP_EVERY == 0) apply_transport_pump(a->transport);
}

/* The answer to the batch in flight: one report item per lease. */
static int settle(struct import_apply *a)
{
    struct batch *b = &a->in_flight;
    if (!b->count) return 0;
    cJSON *reply = apply_transport_finish(a->transport, a->error_text, sizeof a->error_text);
    if (!reply) {
        a->error = 1;
        return -1;
    }
    const cJSON *answer = jf_control_answer(reply);
    const cJSON *clients =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(answer, "arguments"),
                                         "clients");
    if (!cJSON_IsArray(clients) || (size_t)cJSON_GetArraySize(clients) != b->count) {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(answer, "text");
        snprintf(a->error_text, sizeof a->error_text, "--apply: %s answered: %s",
                 import_apply_where(a),
                 cJSON_IsString(text) ? text->valuestring : "not a bulk answer");
        cJSON_Delete(reply);
        a->error = 1;
        return -1;
    }
    size_t i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, clients) {
        struct pending *p = &b->pending[i++];
        progress_tick(a->ctx->progress);
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
    if (apply_transport_is_http(a->transport))
        cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "service"), cJSON_CreateString("dhcp4"));
    cJSON_AddItemToObject(cJSON_AddObjectToObject(req, "arguments"), "clients", b->records);
    b->records = NULL;
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    if (!body || apply_transport_start(a->transport, body, a->error_text,
                                       sizeof a->error_text) < 0) {
        if (!body) snprintf(a->error_text, sizeof a->error_text, "out of memory");
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
