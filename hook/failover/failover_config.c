/* The failover relationships as Kea runs them: libdhcp_ha.so's entry (one HA
 * relationship per Windows one) in the managed fragment of the state
 * directory, which the operator's configuration takes with <?include?>, and -
 * where Kea runs several relationships - which relationship serves each
 * subnet, set in memory each time Kea is configured. The hook never writes
 * the operator's configuration; a new fragment is checked by the running
 * release inside it before it replaces the old one: a reload that fails
 * makes kea-dhcp4 exit. */
#include "failover_ha.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failover_fragment.h"
#include "failover_store.h"
#include "failover_url.h"
#include "file_io.h"
#include "value_formats.h"

#define HA_LIBRARY "libdhcp_ha.so"
#define CANDIDATE_FRAGMENT FO_FRAGMENT_FILE ".candidate"
#define CANDIDATE_CONFIG "kea-dhcp4.conf.candidate"

const char *fo_config_path(const struct win_ctx *ctx)
{
    if (ctx->config->config_file) return ctx->config->config_file;
    return ctx->host->config_file(ctx->host->ctx);
}

/* The files of one change, all in the state directory. */
struct change_files {
    char fragment[FILE_PATH_MAX], candidate[FILE_PATH_MAX], candidate_config[FILE_PATH_MAX];
};

static void change_files(const struct win_ctx *ctx, struct change_files *f)
{
    const char *dir = ctx->config->state_directory;
    state_file_path(dir, FO_FRAGMENT_FILE, f->fragment, sizeof f->fragment);
    state_file_path(dir, CANDIDATE_FRAGMENT, f->candidate, sizeof f->candidate);
    state_file_path(dir, CANDIDATE_CONFIG, f->candidate_config, sizeof f->candidate_config);
}

/* Next to lease_cmds when Kea would load it from there, else in Kea's own
 * hooks directory; checked as kea-dhcp4 would load it. */
static int ha_library(const struct win_host *host, const char *lease_cmds_dir, char *path,
                      struct win_status *st)
{
    char err[WIN_HOST_ERR_LEN];
    snprintf(path, FILE_PATH_MAX, "%.4000s/" HA_LIBRARY, lease_cmds_dir);
    if (!lease_cmds_dir[0] || host->hook_library_check(host->ctx, path, err) != 0)
        snprintf(path, FILE_PATH_MAX, "%.4000s/" HA_LIBRARY,
                 host->kea_hooks_directory(host->ctx));
    if (host->hook_library_check(host->ctx, path, err) != 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "kea-dhcp4 could not load %s after the change (%s): nothing changed",
                        path, err);
    return 0;
}

/* Every relationship's peer URLs as Kea HA will take them (one stored by an
 * older release may not be). */
static int check_urls(const struct fo_store *store, struct win_status *st)
{
    for (size_t i = 0; i < store->count; i++) {
        char url[FO_TEXT_MAX], why[WIN_TEXT_MAX];
        fo_primary_url(&store->items[i], url, sizeof url);
        int tls = fo_has_tls(&store->items[i]);
        int bad = fo_url_check_peer("primary-url", url, tls, why, sizeof why) < 0;
        if (!bad) {
            fo_secondary_url(&store->items[i], url, sizeof url);
            bad = fo_url_check_peer("secondary-url", url, tls, why, sizeof why) < 0;
        }
        if (bad)
            return win_fail(st, ERROR_INVALID_PARAMETER,
                            "failover relationship '%.200s': %s; nothing changed",
                            store->items[i].name, why);
    }
    return 0;
}

/* The subnets of the configuration Kea runs (or is being configured with):
 * *out (caller frees), or -1 with err. */
static int list_subnets(const struct win_host *host, struct win_subnet **out, size_t *count,
                        char *err)
{
    size_t room = 0;
    *out = NULL;
    for (;;) {
        if (host->subnets(host->ctx, *out, room, count, err) != WIN_HOST_OK) break;
        if (*count <= room) return 0;
        free(*out);
        room = *count;
        if (!(*out = malloc(room * sizeof **out))) {
            snprintf(err, WIN_HOST_ERR_LEN, "out of memory");
            break;
        }
    }
    free(*out);
    *out = NULL;
    return -1;
}

static const struct fo_relationship *holder_of(const struct fo_store *store, uint32_t prefix)
{
    for (size_t i = 0; i < store->count; i++)
        if (fo_has_scope(&store->items[i], prefix)) return &store->items[i];
    return NULL;
}

/* Beside several relationships Kea HA drops the packets of a subnet that
 * names none: every subnet Kea runs must be in one. */
static int check_subnets_held(const struct win_ctx *ctx, const struct fo_store *store,
                              struct win_status *st)
{
    struct win_subnet *subnets;
    size_t count;
    char err[WIN_HOST_ERR_LEN];
    if (store->count < 2) return 0;
    if (list_subnets(ctx->host, &subnets, &count, err) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s; nothing changed",
                        err);
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (holder_of(store, subnets[i].prefix)) continue;
        char text[WIN_IPV4_TEXT];
        win_ipv4_format(subnets[i].prefix, text);
        rc = win_fail(st, ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP,
                      "scope %s would be in no failover relationship: beside several "
                      "relationships Kea %s drops the packets of a subnet that names none; "
                      "add it to one (win-failover-scope-add) first", text,
                      ctx->host->kea_facts(ctx->host->ctx)->release);
    }
    free(subnets);
    return rc;
}

void fo_ha_name_subnets(const struct win_ctx *ctx)
{
    struct fo_store store = {0};
    struct win_status st = {0};
    struct win_subnet *subnets = NULL;
    size_t count = 0;
    char err[WIN_HOST_ERR_LEN];
    if (fo_store_load(ctx->config, &store, &st) < 0)
        WIN_LOG(ctx->host, WIN_CMDS_SUBNETS_NOT_NAMED, st.text);
    else if (store.count > 1 && list_subnets(ctx->host, &subnets, &count, err) < 0)
        WIN_LOG(ctx->host, WIN_CMDS_SUBNETS_NOT_NAMED, err);
    for (size_t i = 0; i < count; i++) {
        const struct fo_relationship *rel = holder_of(&store, subnets[i].prefix);
        char text[WIN_IPV4_TEXT], name[FO_TEXT_MAX];
        win_ipv4_format(subnets[i].prefix, text);
        if (!rel) {
            WIN_LOG(ctx->host, WIN_CMDS_SUBNET_IN_NO_RELATIONSHIP, text);
            continue;
        }
        fo_ha_this_server_name(ctx, rel, name, sizeof name);
        if (ctx->host->subnet_set_ha_server_name(ctx->host->ctx, subnets[i].id, name, err) !=
            WIN_HOST_OK)
            WIN_LOG(ctx->host, WIN_CMDS_SUBNET_NOT_NAMED, text, err);
    }
    free(subnets);
    fo_store_free(&store);
}

/* What Kea's side becomes: *fragment (caller frees), and the operator's
 * configuration taking the candidate instead (*candidate_config), both NULL
 * when the fragment stays as it is. */
static int prepare(const struct win_ctx *ctx, const struct fo_store *store,
                   const struct change_files *f, char **fragment, char **candidate_config,
                   struct win_status *st)
{
    *fragment = *candidate_config = NULL;
    const char *path = fo_config_path(ctx);
    if (!path)
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "the kea-dhcp4 configuration file is unknown: set the hook parameter "
                        "config-file");
    char *text = file_read_all(path, NULL);
    if (!text)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "cannot read %s: %s; nothing changed", path,
                        strerror(errno));
    size_t at, len;
    char lease_cmds[FILE_PATH_MAX], library[FILE_PATH_MAX];
    int rc = 0;
    if (fo_fragment_include(text, f->fragment, &at, &len) < 0)
        rc = win_fail(st, ERROR_DHCP_JET_ERROR,
                      "%s does not take the failover relationships' HA entry: add the line "
                      "<?include \"%s\"?> as the last thing inside its \"hooks-libraries\" "
                      "list, after this hook's entry and with no comma before it; nothing "
                      "changed", path, f->fragment);
    if (rc == 0)
        rc = fo_fragment_check_config(path, text, f->fragment, store->count > 0, lease_cmds,
                                      st);
    if (rc == 0) rc = check_subnets_held(ctx, store, st);
    if (rc == 0 && store->count) rc = check_urls(store, st);
    if (rc == 0 && store->count) rc = ha_library(ctx->host, lease_cmds, library, st);
    if (rc == 0 && !(*fragment = fo_fragment_text(ctx, store, library)))
        rc = win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    char *old = rc == 0 ? state_file_read(f->fragment, NULL) : NULL;
    if (rc == 0 && old && strcmp(old, *fragment) == 0) {
        free(*fragment);
        *fragment = NULL;
    } else if (rc == 0 && !(*candidate_config = fo_fragment_retarget(text, at, len,
                                                                      f->candidate))) {
        rc = win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    }
    free(old);
    free(text);
    return rc;
}

static void remove_candidates(const struct change_files *f)
{
    unlink(f->candidate);
    unlink(f->candidate_config);
}

/* The candidates written in the state directory and checked by the running
 * release as its reload will read them. */
static int write_and_check(const struct win_ctx *ctx, const struct change_files *f,
                           const char *fragment, const char *candidate_config,
                           struct win_status *st)
{
    char err[FILE_PATH_MAX + 256];
    if (file_write_atomic(f->candidate, fragment, strlen(fragment), err, sizeof err) < 0 ||
        file_write_atomic(f->candidate_config, candidate_config, strlen(candidate_config), err,
                          sizeof err) < 0) {
        remove_candidates(f);
        return win_fail(st, ERROR_DHCP_JET_ERROR, "cannot write the candidate HA "
                        "configuration: %.600s; nothing changed", err);
    }
    if (ctx->host->config_check(ctx->host->ctx, f->candidate_config, err) != 0) {
        remove_candidates(f);
        return win_fail(st, ERROR_DHCP_JET_ERROR,
                        "kea-dhcp4 -t refused the new configuration: %.300s; nothing changed",
                        err);
    }
    unlink(f->candidate_config);
    return 0;
}

/* Swaps the checked candidate in after the state file has taken the new
 * relationships; a failure puts the state file back. */
static int install(const struct win_ctx *ctx, const struct change_files *f,
                   const char *old_state, struct win_status *st)
{
    char err[FILE_PATH_MAX + 64], undo[FILE_PATH_MAX + 64];
    if (file_replace(f->candidate, f->fragment, err, sizeof err) == 0) return 0;
    unlink(f->candidate);
    if (fo_store_restore(ctx->config, old_state, undo, sizeof undo) == 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "%.600s; the state file was put back: "
                        "nothing changed", err);
    win_fail(st, ERROR_DHCP_JET_ERROR, "%.600s, and the state file could not be put back "
             "(%.600s): its relationships differ from Kea's until the next change", err, undo);
    WIN_LOG(ctx->host, WIN_CMDS_STATE_FILE_NOT_RESTORED, err, undo);
    return -1;
}

int fo_ha_apply(const struct win_ctx *ctx, const struct fo_store *store, int *changed,
                struct win_status *st)
{
    struct change_files f;
    char *fragment, *candidate_config, *old_state = NULL;
    char why[FILE_PATH_MAX + 128];
    *changed = 0;
    if (state_directory_ensure(ctx->config->state_directory, why, sizeof why) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "%.600s (it holds the failover state: make "
                        "it, owned by the user kea-dhcp4 runs as, mode 0750); nothing changed",
                        why);
    change_files(ctx, &f);
    if (prepare(ctx, store, &f, &fragment, &candidate_config, st) < 0) return -1;
    int rc = fragment ? write_and_check(ctx, &f, fragment, candidate_config, st) : 0;
    int swap = fragment != NULL;
    free(fragment);
    free(candidate_config);
    if (rc < 0) return -1;
    if (fo_store_snapshot(ctx->config, &old_state, st) < 0 ||
        fo_store_save(ctx->config, store, st) < 0) {
        if (swap) unlink(f.candidate);
        if (!strstr(st->text, "nothing changed")) {
            char said[WIN_TEXT_MAX];
            snprintf(said, sizeof said, "%s", st->text);
            win_fail(st, st->code, "%.400s; nothing changed", said);
        }
        free(old_state);
        return -1;
    }
    if (swap) rc = install(ctx, &f, old_state, st);
    free(old_state);
    if (rc == 0) *changed = swap;
    return rc;
}
