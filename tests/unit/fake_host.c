#include "fake_host.h"

#include <ctype.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "value_formats.h"
#include "win_cmds.h"

struct fake_host fake;

const struct fake_failure fake_change_failures[FAKE_CHANGE_FAILURES] = {
    {&fake.fail_reservations, "reservation lookup failed: fake host backend is down"},
    {&fake.fail_subnets, "subnet lookup failed: fake configuration is unreadable"},
    {&fake.fail_lock, "address lock failed: fake lock manager is broken"},
    {&fake.fail_pool_statistics,
     "pool statistics lookup failed: fake pool statistics are unreadable"}};

static int64_t f_now(void *ctx) { (void)ctx; return fake.now; }

static int f_subnets(void *ctx, struct win_subnet *out, size_t max, size_t *count, char *err)
{
    (void)ctx;
    if (fake.fail_subnets) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake configuration is unreadable");
        return WIN_HOST_ERROR;
    }
    for (size_t i = 0; i < fake.subnet_count && i < max; i++) out[i] = fake.subnets[i];
    *count = fake.subnet_count;
    return WIN_HOST_OK;
}

static int f_subnet_set_ha_server_name(void *ctx, uint32_t subnet_id, const char *name,
                                       char *err)
{
    (void)ctx;
    if (!fake.configuring) {
        snprintf(err, WIN_HOST_ERR_LEN, "not being configured");
        return WIN_HOST_ERROR;
    }
    for (size_t i = 0; i < fake.subnet_count; i++)
        if (fake.subnets[i].id == subnet_id) {
            snprintf(fake.ha_server_names[i], sizeof fake.ha_server_names[i], "%s", name);
            return WIN_HOST_OK;
        }
    return WIN_HOST_NOT_FOUND;
}

void fake_configure_kea(void)
{
    memset(fake.ha_server_names, 0, sizeof fake.ha_server_names);
    fake.configuring = 1;
    win_cmds_configured();
    fake.configuring = 0;
}

const char *fake_ha_server_name(uint32_t subnet_id)
{
    for (size_t i = 0; i < fake.subnet_count; i++)
        if (fake.subnets[i].id == subnet_id) return fake.ha_server_names[i];
    return NULL;
}

static int f_subnet_find(void *ctx, uint32_t addr, struct win_subnet *out, char *err)
{
    (void)ctx;
    if (fake.fail_subnets) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake configuration is unreadable");
        return WIN_HOST_ERROR;
    }
    for (size_t i = 0; i < fake.subnet_count; i++) {
        uint32_t mask = win_prefix_to_mask(fake.subnets[i].prefix_len);
        if ((addr & mask) == fake.subnets[i].prefix) {
            *out = fake.subnets[i];
            return WIN_HOST_OK;
        }
    }
    return WIN_HOST_NOT_FOUND;
}

static void copy_lease(const struct win_lease *src, struct win_lease *dst)
{
    *dst = *src;
    dst->hostname = src->hostname ? strdup(src->hostname) : NULL;
    dst->user_context = cJSON_Duplicate(src->user_context, 1);
}

static int backend_failed(char *err)
{
    if (!fake.fail_backend) return 0;
    snprintf(err, WIN_HOST_ERR_LEN, "fake backend is down");
    return 1;
}

static int f_lease_get(void *ctx, uint32_t addr, struct win_lease *out, char *err)
{
    (void)ctx;
    if (backend_failed(err)) return WIN_HOST_ERROR;
    for (size_t i = 0; i < fake.lease_count; i++)
        if (fake.leases[i].addr == addr) {
            copy_lease(&fake.leases[i], out);
            return WIN_HOST_OK;
        }
    return WIN_HOST_NOT_FOUND;
}

enum match { BY_HW, BY_CLIENT_ID, BY_HOSTNAME };

static int collect(enum match how, const void *key, size_t len, struct win_lease_list *out,
                   char *err)
{
    if (backend_failed(err)) return WIN_HOST_ERROR;
    for (size_t i = 0; i < fake.lease_count; i++) {
        const struct win_lease *l = &fake.leases[i];
        int hit = how == BY_HW ? l->hwaddr_len == len && memcmp(l->hwaddr, key, len) == 0
                : how == BY_CLIENT_ID
                    ? l->client_id_len == len && memcmp(l->client_id, key, len) == 0
                    : l->hostname && strcmp(l->hostname, key) == 0;
        if (!hit) continue;
        struct win_lease copy;
        copy_lease(l, &copy);
        win_lease_list_push(out, &copy);
    }
    return WIN_HOST_OK;
}

static int f_by_hw(void *ctx, const uint8_t *hw, size_t len, struct win_lease_list *out,
                   char *err)
{
    (void)ctx;
    return collect(BY_HW, hw, len, out, err);
}

static int f_by_client_id(void *ctx, const uint8_t *id, size_t len,
                          struct win_lease_list *out, char *err)
{
    (void)ctx;
    return collect(BY_CLIENT_ID, id, len, out, err);
}

static int f_by_hostname(void *ctx, const char *name, struct win_lease_list *out, char *err)
{
    (void)ctx;
    return collect(BY_HOSTNAME, name, 0, out, err);
}

static int f_lease_add(void *ctx, const struct win_lease *lease, char *err)
{
    (void)ctx;
    if (backend_failed(err)) return WIN_HOST_ERROR;
    if (fake.add_says_exists) return WIN_HOST_EXISTS;
    for (size_t i = 0; i < fake.lease_count; i++)
        if (fake.leases[i].addr == lease->addr) return WIN_HOST_EXISTS;
    if (fake.lease_count == FAKE_MAX) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake backend is full");
        return WIN_HOST_ERROR;
    }
    struct win_lease *stored = &fake.leases[fake.lease_count++];
    copy_lease(lease, stored);
    for (char *c = stored->hostname; c && *c; c++) *c = (char)tolower((unsigned char)*c);
    return WIN_HOST_OK;
}

static struct win_lease *stored_lease(uint32_t addr)
{
    for (size_t i = 0; i < fake.lease_count; i++)
        if (fake.leases[i].addr == addr) return &fake.leases[i];
    return NULL;
}

static int f_lease_update(void *ctx, const struct win_lease *lease, char *err)
{
    (void)ctx;
    if (backend_failed(err)) return WIN_HOST_ERROR;
    struct win_lease *stored = stored_lease(lease->addr);
    if (!stored || fake.update_says_gone) return WIN_HOST_NOT_FOUND;
    win_lease_clear(stored);
    copy_lease(lease, stored);
    for (char *c = stored->hostname; c && *c; c++) *c = (char)tolower((unsigned char)*c);
    return WIN_HOST_OK;
}

static int f_lease_delete(void *ctx, uint32_t addr, char *err)
{
    (void)ctx;
    if (backend_failed(err)) return WIN_HOST_ERROR;
    struct win_lease *stored = stored_lease(addr);
    if (!stored) return WIN_HOST_NOT_FOUND;
    win_lease_clear(stored);
    *stored = fake.leases[--fake.lease_count];
    memset(&fake.leases[fake.lease_count], 0, sizeof fake.leases[0]);
    return WIN_HOST_OK;
}

static int f_leases_page(void *ctx, uint32_t after, size_t limit, struct win_lease_list *out,
                         char *err)
{
    (void)ctx;
    if (backend_failed(err)) return WIN_HOST_ERROR;
    fake.page_calls++;
    /* Repeatedly take the lowest address above the previous one. */
    for (size_t n = 0; n < limit; n++) {
        const struct win_lease *next = NULL;
        for (size_t i = 0; i < fake.lease_count; i++)
            if (fake.leases[i].addr > after && (!next || fake.leases[i].addr < next->addr))
                next = &fake.leases[i];
        if (!next) break;
        struct win_lease copy;
        copy_lease(next, &copy);
        win_lease_list_push(out, &copy);
        after = next->addr;
    }
    return WIN_HOST_OK;
}

static int f_subnet_pools(void *ctx, uint32_t subnet_id, uint32_t *first, uint32_t *last,
                          size_t max, size_t *count, char *err)
{
    (void)ctx;
    if (fake.fail_pools) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake pools are unreadable");
        return WIN_HOST_ERROR;
    }
    size_t n = 0;
    for (size_t i = 0; i < fake.pool_count; i++) {
        if (fake.pools[i].subnet_id != subnet_id) continue;
        if (n < max) {
            first[n] = fake.pools[i].first;
            last[n] = fake.pools[i].last;
        }
        n++;
    }
    *count = n;
    return WIN_HOST_OK;
}

static int f_pool_statistics_id(void *ctx, uint32_t subnet_id, uint32_t addr, uint64_t *id,
                                char *err)
{
    (void)ctx;
    if (fake.fail_pool_statistics) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake pool statistics are unreadable");
        return WIN_HOST_ERROR;
    }
    uint64_t index = 0;
    for (size_t i = 0; fake.pool_statistics && i < fake.pool_count; i++) {
        if (fake.pools[i].subnet_id != subnet_id) continue;
        if (addr >= fake.pools[i].first && addr <= fake.pools[i].last) {
            *id = index;
            return WIN_HOST_OK;
        }
        index++;
    }
    return WIN_HOST_NOT_FOUND;
}

static int f_reservation_find(void *ctx, uint32_t subnet_id, uint32_t addr,
                              struct win_reservation *out, char *err)
{
    (void)ctx;
    if (fake.fail_reservations) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake host backend is down");
        return WIN_HOST_ERROR;
    }
    for (size_t i = 0; i < fake.reservation_count; i++)
        if (fake.reservations[i].subnet_id == subnet_id && fake.reservations[i].addr == addr) {
            *out = fake.reservations[i].r;
            return WIN_HOST_OK;
        }
    return WIN_HOST_NOT_FOUND;
}

static int f_lock(void *ctx, uint32_t addr, char *err)
{
    (void)ctx;
    (void)addr;
    if (fake.fail_lock) {
        snprintf(err, WIN_HOST_ERR_LEN, "fake lock manager is broken");
        return WIN_HOST_ERROR;
    }
    if (fake.lock_busy) return WIN_HOST_BUSY;
    fake.locks_held++;
    return WIN_HOST_OK;
}

static void f_unlock(void *ctx, uint32_t addr)
{
    (void)ctx;
    (void)addr;
    fake.locks_held--;
}

/* The statistic of that name, made (at 0) when missing; past the fake's
 * room (a fuzzed input's many relationships) a scratch one. */
static struct fake_stat *stat_slot(const char *name)
{
    static struct fake_stat scratch;
    for (size_t i = 0; i < fake.stat_count; i++)
        if (strcmp(fake.stats[i].name, name) == 0) return &fake.stats[i];
    if (fake.stat_count == FAKE_MAX) return &scratch;
    struct fake_stat *made = &fake.stats[fake.stat_count++];
    snprintf(made->name, sizeof made->name, "%s", name);
    made->value = 0;
    return made;
}

static void f_stat_add(void *ctx, const char *name, int64_t delta)
{
    (void)ctx;
    stat_slot(name)->value += delta;
}

static void f_stat_set(void *ctx, const char *name, int64_t value)
{
    (void)ctx;
    stat_slot(name)->value = value;
    fake.stat_sets++;
}

static void f_stat_remove(void *ctx, const char *name)
{
    (void)ctx;
    for (size_t i = 0; i < fake.stat_count; i++)
        if (strcmp(fake.stats[i].name, name) == 0) {
            fake.stats[i] = fake.stats[--fake.stat_count];
            return;
        }
}

static const char *f_data_directory(void *ctx)
{
    (void)ctx;
    return "/var/lib/kea";
}

/* Kea 2.6's form (state 0, lifetime 0) and 3.0's (state released). */
static int f_lease_released(void *ctx, const struct win_lease *lease)
{
    (void)ctx;
    return lease->state == WIN_KEA_STATE_RELEASED ||
           (lease->state == WIN_KEA_STATE_DEFAULT && lease->valid_lft == 0);
}

static const char *f_lease_backend(void *ctx)
{
    (void)ctx;
    return fake.lease_backend ? fake.lease_backend : "memfile";
}

static const struct win_kea_facts *f_kea_facts(void *ctx)
{
    (void)ctx;
    return &fake.facts;
}

static const char *f_kea_hooks_directory(void *ctx)
{
    (void)ctx;
    return "/usr/lib/x86_64-linux-gnu/kea/hooks";
}

static int f_hook_library_check(void *ctx, const char *library, char *err)
{
    (void)ctx;
    const char *base = strrchr(library, '/');
    if (fake.missing_library && strcmp(base ? base + 1 : library, fake.missing_library) == 0) {
        snprintf(err, WIN_HOST_ERR_LEN, "%s: No such file or directory", library);
        return -1;
    }
    return 0;
}

static int f_config_check(void *ctx, const char *path, char *err)
{
    (void)ctx;
    fake.config_checks++;
    if (fake.config_check_hook) fake.config_check_hook(path);
    if (!fake.config_check_refuses) return 0;
    snprintf(err, WIN_HOST_ERR_LEN, "%s", fake.config_check_refuses);
    return -1;
}

static const char *f_config_file(void *ctx)
{
    (void)ctx;
    return fake.config_path[0] ? fake.config_path : NULL;
}

static void f_schedule_reload(void *ctx)
{
    (void)ctx;
    fake.reloads++;
}

/* The partner: a test's function, or nobody listening. The exchange is
 * answered when waited for. */
struct fake_exchange {
    char *body;
};

static void *f_partner_send(void *ctx, const char *url, const struct win_tls *tls,
                            const char *user, const char *password, const char *body,
                            unsigned timeout_ms, char *err)
{
    (void)ctx;
    (void)err;
    fake.partner_wait_ms = timeout_ms;
    snprintf(fake.partner_url, sizeof fake.partner_url, "%s|%s|%s", url, user, password);
    if (tls)
        snprintf(fake.partner_tls, sizeof fake.partner_tls, "%s|%s|%s", tls->trust_anchor,
                 tls->cert_file, tls->key_file);
    else
        snprintf(fake.partner_tls, sizeof fake.partner_tls, "none");
    struct fake_exchange *x = malloc(sizeof *x);
    if (!x || !(x->body = strdup(body))) abort();
    return x;
}

static void f_partner_poll(void *ctx, void *handle)
{
    (void)ctx;
    (void)handle;
}

static int f_partner_wait(void *ctx, void *handle, char **answer, char *err)
{
    (void)ctx;
    struct fake_exchange *x = handle;
    *answer = NULL;
    int rc;
    if (!fake.partner) {
        snprintf(err, WIN_HOST_ERR_LEN, "Connection refused");
        rc = WIN_HOST_UNREACHABLE;
    } else {
        rc = fake.partner(x->body, answer, err);
    }
    free(x->body);
    free(x);
    return rc;
}

/* Not a cryptographic MAC: a keyed mix that changes with every byte of key
 * and data, which is all the rules depend on. */
static void f_hmac_sha256(void *ctx, const void *key, size_t key_len, const void *data,
                          size_t len, uint8_t out[32])
{
    (void)ctx;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < key_len; i++) h = (h ^ ((const uint8_t *)key)[i]) * 1099511628211ull;
    for (size_t i = 0; i < len; i++) h = (h ^ ((const uint8_t *)data)[i]) * 1099511628211ull;
    for (int i = 0; i < 32; i++) {
        h = (h ^ (uint64_t)i) * 1099511628211ull;
        out[i] = (uint8_t)(h >> 56);
    }
}

/* Written as Kea writes it, "ID text" with %N replaced; a call whose
 * arguments do not fill the message's text exactly aborts the test. */
static void f_log(void *ctx, enum win_message id, const char *const *args, size_t count)
{
    (void)ctx;
    if (!win_message_name(id) || count != win_message_arg_count(id)) {
        fprintf(stderr, "log(%d) with %zu arguments for %zu\n", (int)id, count,
                win_message_arg_count(id));
        abort();
    }
    size_t used = strlen(fake.log_text), size = sizeof fake.log_text;
    used += (size_t)snprintf(fake.log_text + used, size - used, "%s ", win_message_name(id));
    for (const char *p = win_message_text(id); *p && used < size - 1; p++) {
        size_t n = p[0] == '%' && p[1] >= '1' && p[1] <= '9' ? (size_t)(*++p - '0') : 0;
        if (n) used += (size_t)snprintf(fake.log_text + used, size - used, "%s", args[n - 1]);
        else fake.log_text[used++] = *p;
    }
    if (used < size - 1) fake.log_text[used++] = '\n';
    fake.log_text[used < size ? used : size - 1] = '\0';
    fake.log_lines++;
}

const char *fake_logged(enum win_message id)
{
    const char *name = win_message_name(id);
    size_t len = strlen(name);
    for (const char *line = fake.log_text; *line; line = strchr(line, '\n') + 1) {
        if (strncmp(line, name, len) == 0 && line[len] == ' ') return line;
        if (!strchr(line, '\n')) break;
    }
    return NULL;
}

static int f_log_enabled(void *ctx, enum win_log_level level)
{
    (void)ctx;
    (void)level;
    return !fake.log_off;
}

static const struct win_host fake_table = {
    .now = f_now,
    .kea_facts = f_kea_facts,
    .data_directory = f_data_directory,
    .lease_released = f_lease_released,
    .lease_backend = f_lease_backend,
    .ha_state = fake_host_ha_state,
    .ha_takeover = fake_host_ha_takeover,
    .ha_timing_limits = fake_host_ha_timing_limits,
    .ha_parameters = fake_host_ha_parameters,
    .subnet_find = f_subnet_find,
    .subnets = f_subnets,
    .subnet_set_ha_server_name = f_subnet_set_ha_server_name,
    .lease_get = f_lease_get,
    .leases_by_hwaddr = f_by_hw,
    .leases_by_client_id = f_by_client_id,
    .leases_by_hostname = f_by_hostname,
    .lease_add = f_lease_add,
    .lease_update = f_lease_update,
    .lease_delete = f_lease_delete,
    .leases_page = f_leases_page,
    .subnet_pools = f_subnet_pools,
    .reservation_find = f_reservation_find,
    .address_lock = f_lock,
    .address_unlock = f_unlock,
    .stat_add = f_stat_add,
    .stat_set = f_stat_set,
    .stat_remove = f_stat_remove,
    .pool_statistics_id = f_pool_statistics_id,
    .kea_hooks_directory = f_kea_hooks_directory,
    .hook_library_check = f_hook_library_check,
    .config_check = f_config_check,
    .config_file = f_config_file,
    .schedule_reload = f_schedule_reload,
    .partner_send = f_partner_send,
    .partner_poll = f_partner_poll,
    .partner_wait = f_partner_wait,
    .hmac_sha256 = f_hmac_sha256,
    .log = f_log,
    .log_enabled = f_log_enabled,
};

const struct win_host *fake_host_table(void)
{
    return &fake_table;
}

void fake_reset(const char *params)
{
    for (size_t i = 0; i < fake.lease_count; i++) win_lease_clear(&fake.leases[i]);
    memset(&fake, 0, sizeof fake);
    fake.now = 1795000000; /* 2026-11-18T11:06:40Z */
    fake.facts.release = "2.2";
    fake.facts.ha_relationships = 1;
    char err[256];
    if (win_cmds_configure(&fake_table, params ? params
                                               : "{\"server-ip\":\"192.0.2.1\","
                                                 "\"server-name\":\"KEA1\"}",
                           err, sizeof err) != 0) {
        fprintf(stderr, "configure failed: %s\n", err);
        abort();
    }
}
