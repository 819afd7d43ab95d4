/* win-subnet-clients-v4-enum / -vq-enum: DhcpEnumSubnetClientsV4 / VQ
 * (MS-DHCPM 3.1.4.36 / 3.1.4.48). Records come in ascending address order;
 * the resume handle is the last address returned, and each page is one Kea
 * lease page starting after it, so a page costs the same wherever it lies. */
#include "client_info.h"
#include "client_enum.h"

#include <stdio.h>
#include <string.h>

#include "client_record_encode.h"
#include "json_fields.h"
#include "value_formats.h"

#define PAGE_DEFAULT 1000
#define PAGE_MAX 65536
/* What Windows answers as ClientsTotal with ERROR_MORE_DATA (MS-DHCPM <31>):
 * counting what remains would cost a scan of every remaining lease per page. */
#define CLIENTS_TOTAL_MORE 0x7FFFFFFF

static const char *const enum_fields[] = {"subnet-address", "resume-handle",
                                          "preferred-maximum", NULL};

struct enum_request {
    uint32_t subnet_address, resume;
    size_t page;
};

/* The handle is the last address returned: a dotted quad, the Windows DWORD
 * (host order), or 0 to start. */
static int decode_resume(const cJSON *args, uint32_t *resume, struct win_status *st)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(args, "resume-handle");
    *resume = 0;
    if (!item || cJSON_IsNull(item)) return 0;
    if (cJSON_IsNumber(item)) {
        uint64_t v;
        if (jf_uint(args, "resume-handle", 0xFFFFFFFFu, &v, st) < 0) return -1;
        *resume = (uint32_t)v;
        return 0;
    }
    if (cJSON_IsString(item) &&
        (strcmp(item->valuestring, "0") == 0 || win_ipv4_parse(item->valuestring, resume) == 0))
        return 0;
    return win_fail(st, ERROR_INVALID_PARAMETER,
                    "resume-handle must be 0 or the last client-ip-address returned");
}

static int decode_request(const cJSON *args, struct enum_request *req, struct win_status *st)
{
    memset(req, 0, sizeof *req);
    req->page = PAGE_DEFAULT;
    if (!args) return 0;
    if (!cJSON_IsObject(args))
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "arguments must be an object with subnet-address, resume-handle, "
                        "preferred-maximum");
    uint64_t page;
    int rc;
    if (jf_only_known(args, enum_fields, "an enumeration", st) < 0 ||
        jf_ipv4(args, "subnet-address", &req->subnet_address, st) < 0 ||
        decode_resume(args, &req->resume, st) < 0 ||
        (rc = jf_uint(args, "preferred-maximum", 0xFFFFFFFFu, &page, st)) < 0)
        return -1;
    /* Windows clamps PreferredMaximum rather than refusing it. */
    if (rc == 1) req->page = page < 1 ? 1 : page > PAGE_MAX ? PAGE_MAX : (size_t)page;
    return 0;
}

/* The address range to walk: one subnet, or everything for 0.0.0.0. */
static int scope_range(const struct win_ctx *ctx, uint32_t subnet_address, uint32_t *lo,
                       uint32_t *hi, struct win_status *st)
{
    *lo = 0;
    *hi = 0xFFFFFFFFu;
    if (subnet_address == 0) return 0;
    struct win_subnet subnet;
    char text[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN];
    win_ipv4_format(subnet_address, text);
    int found = ctx->host->subnet_find(ctx->host->ctx, subnet_address, &subnet, err);
    if (found == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
    if (found != WIN_HOST_OK || subnet.prefix != subnet_address)
        return win_fail(st, ERROR_DHCP_SUBNET_NOT_PRESENT,
                        "no configured subnet has the address %s", text);
    *lo = subnet.prefix;
    *hi = subnet.prefix | ~win_prefix_to_mask(subnet.prefix_len);
    return 0;
}

static int check_resume(const struct win_ctx *ctx, uint32_t resume, uint32_t lo, uint32_t hi,
                        struct win_status *st)
{
    char text[WIN_IPV4_TEXT], err[WIN_HOST_ERR_LEN] = "";
    win_ipv4_format(resume, text);
    struct win_lease lease;
    int rc = resume < lo || resume > hi ? WIN_HOST_NOT_FOUND
                                        : ctx->host->lease_get(ctx->host->ctx, resume, &lease, err);
    if (rc == WIN_HOST_OK) {
        win_lease_clear(&lease);
        return 0;
    }
    if (rc == WIN_HOST_ERROR)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
    return win_fail(st, ERROR_DHCP_JET_ERROR,
                    "resume-handle %s matches no client record of this enumeration; start "
                    "again with 0", text);
}

/* Renders the records, finding each one's subnet once per run of addresses;
 * NULL with err when a subnet lookup failed. */
static cJSON *encode_page(const struct win_ctx *ctx, const struct win_lease *leases,
                          size_t count, client_encoder encode, void *data, char *err)
{
    struct json_writer clients;
    jw_init(&clients, count * 512);
    jw_begin_array(&clients);
    struct win_subnet subnet;
    int has_subnet = 0;
    uint32_t subnet_hi = 0;
    for (size_t i = 0; i < count; i++) {
        const struct win_lease *l = &leases[i];
        if (!has_subnet || l->addr < subnet.prefix || l->addr > subnet_hi) {
            int found = ctx->host->subnet_find(ctx->host->ctx, l->addr, &subnet, err);
            if (found == WIN_HOST_ERROR) {
                jw_free(&clients);
                return NULL;
            }
            has_subnet = found == WIN_HOST_OK;
            subnet_hi = has_subnet ? subnet.prefix | ~win_prefix_to_mask(subnet.prefix_len) : 0;
        }
        encode(ctx, l, has_subnet ? &subnet : NULL, data, &clients);
    }
    jw_end_array(&clients);
    return jw_take_raw(&clients);
}

/* What the texts call the enumeration's range: "every subnet", "subnet A.B.C.D". */
#define SCOPE_TEXT (WIN_IPV4_TEXT + 16)
static void scope_name(uint32_t subnet_address, char out[SCOPE_TEXT])
{
    char prefix[WIN_IPV4_TEXT];
    if (!subnet_address) {
        snprintf(out, SCOPE_TEXT, "every subnet");
        return;
    }
    win_ipv4_format(subnet_address, prefix);
    snprintf(out, SCOPE_TEXT, "subnet %s", prefix);
}

/* The page's answer: the records, the counts and the resume handle (the last
 * address while more remain: ERROR_MORE_DATA). */
static cJSON *page_answer(cJSON *clients, size_t count, int more, uint32_t last_addr,
                          const char *scope, struct win_status *st)
{
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddItemToObject(answer, "clients", clients);
    cJSON_AddNumberToObject(answer, "clients-read", (double)count);
    cJSON_AddNumberToObject(answer, "clients-total", more ? CLIENTS_TOTAL_MORE : (double)count);
    if (more) {
        char last[WIN_IPV4_TEXT];
        win_ipv4_format(last_addr, last);
        cJSON_AddStringToObject(answer, "resume-handle", last);
        win_succeed(st, "%zu client records of %s; more remain after %s", count, scope, last);
        st->code = ERROR_MORE_DATA;
    } else {
        cJSON_AddNumberToObject(answer, "resume-handle", 0);
        win_succeed(st, "%zu client records of %s; no more remain", count, scope);
    }
    return answer;
}

cJSON *client_enum(const struct win_ctx *ctx, const cJSON *args, client_encoder encode,
                   void *data, struct win_status *st)
{
    struct enum_request req;
    uint32_t lo, hi;
    if (decode_request(args, &req, st) < 0 ||
        scope_range(ctx, req.subnet_address, &lo, &hi, st) < 0 ||
        (req.resume && check_resume(ctx, req.resume, lo, hi, st) < 0))
        return NULL;

    struct win_lease_list page = {0};
    char err[WIN_HOST_ERR_LEN] = "";
    uint32_t after = req.resume ? req.resume : lo ? lo - 1 : 0;
    /* One more than asked tells whether more remain. */
    if (ctx->host->leases_page(ctx->host->ctx, after, req.page + 1, &page, err) != WIN_HOST_OK) {
        win_lease_list_free(&page);
        win_fail(st, ERROR_DHCP_JET_ERROR, "lease backend error: %s", err);
        return NULL;
    }
    size_t in_range = 0;
    while (in_range < page.count && page.items[in_range].addr <= hi) in_range++;
    int more = in_range > req.page;
    size_t count = more ? req.page : in_range;

    char scope[SCOPE_TEXT];
    scope_name(req.subnet_address, scope);
    cJSON *answer = NULL;
    if (count == 0) {
        win_not_found(st, ERROR_NO_MORE_ITEMS, "no %sclient records in %s",
                      req.resume ? "more " : "", scope);
    } else {
        err[0] = '\0';
        cJSON *clients = encode_page(ctx, page.items, count, encode, data, err);
        if (clients)
            answer = page_answer(clients, count, more, page.items[count - 1].addr, scope, st);
        else if (err[0])
            win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
        else
            win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory writing %zu client records",
                     count);
    }
    win_lease_list_free(&page);
    return answer;
}

cJSON *subnet_clients_v4_enum(const struct win_ctx *ctx, const cJSON *args,
                              struct win_status *st)
{
    return client_enum(ctx, args, client_record_encode_v4, NULL, st);
}

cJSON *subnet_clients_vq_enum(const struct win_ctx *ctx, const cJSON *args,
                              struct win_status *st)
{
    return client_enum(ctx, args, client_record_encode_vq, NULL, st);
}
