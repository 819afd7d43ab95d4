/* win-failover-*: DhcpV4Failover{Create,Set,Get,Delete,Enum}Relationship,
 * {Add,Delete}ScopeTo/FromRelationship, GetScopeRelationship, GetSystemTime,
 * with MS-DHCPM 3.2.4.90-100's checks in their order, applied to Kea HA. */
#include "failover_cmds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failover_ha.h"
#include "failover_live.h"
#include "failover_partner.h"
#include "failover_store.h"
#include "json_fields.h"
#include "value_formats.h"
#include "win_enums.h"
#include "win_stats.h"

#define MAX_ALLOWED_DELTA 60 /* Kea HA terminates beyond 60 s of clock skew */

static fo_backlog_counter backlog_count;
static fo_resync_flag resync_flag;

void failover_backlog_register(fo_backlog_counter counter, fo_resync_flag resync_needed)
{
    backlog_count = counter;
    resync_flag = resync_needed;
}

/* The relationship as Kea runs it, with its raw Kea state. */
static cJSON *encode_live(const struct win_ctx *ctx, const struct fo_relationship *stored,
                          const struct fo_live *live)
{
    struct fo_relationship rel = *stored;
    fo_live_overlay(live, &rel);
    cJSON *obj = fo_encode_answer(&rel);
    cJSON_AddStringToObject(obj, "kea-state", live->state.name);
    cJSON_AddNumberToObject(obj, "unreplicated-changes",
                            (double)(backlog_count ? backlog_count(ctx, stored->name) : 0));
    cJSON_AddBoolToObject(obj, "resync-needed",
                          resync_flag ? resync_flag(ctx, stored->name) : 0);
    return obj;
}

/* Reads what Kea runs for rel and encodes it so. */
static cJSON *read_live(const struct win_ctx *ctx, const struct fo_relationship *rel)
{
    struct fo_live live;
    fo_live_read(ctx, rel, FO_LIVE_STATE_AND_CONFIG, &live);
    cJSON *obj = encode_live(ctx, rel, &live);
    return obj;
}

/* rel, one of the store's relationships, and what Kea does with it. */
static cJSON *relationship_answer(const struct win_ctx *ctx, const struct fo_store *store,
                                  const struct fo_relationship *rel)
{
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddItemToObject(answer, "relationship", read_live(ctx, rel));
    fo_ha_effect(ctx, rel, store->count, answer);
    return answer;
}

static int decode_name(const cJSON *args, const char **name, struct win_status *st)
{
    if (!cJSON_IsObject(args))
        return win_fail(st, ERROR_INVALID_PARAMETER, "arguments must be an object");
    int rc = jf_string(args, "relationship-name", 0, name, st);
    if (rc < 0) return -1;
    if (rc == 0 || !(*name)[0])
        return win_fail(st, ERROR_INVALID_PARAMETER, "relationship-name is missing");
    return 0;
}

static int not_found(const char *name, struct win_status *st)
{
    return win_not_found(st, ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST,
                         "no failover relationship is named '%.200s'", name);
}

/* Every scope must be a configured subnet's address (ERROR_DHCP_SUBNET_NOT_PRESENT). */
static int check_scopes_exist(const struct win_ctx *ctx, const uint32_t *scopes, size_t count,
                              struct win_status *st)
{
    for (size_t i = 0; i < count; i++) {
        struct win_subnet subnet;
        char err[WIN_HOST_ERR_LEN];
        int found = ctx->host->subnet_find(ctx->host->ctx, scopes[i], &subnet, err);
        if (found == WIN_HOST_ERROR)
            return win_fail(st, ERROR_DHCP_JET_ERROR, "subnet lookup failed: %s", err);
        if (found != WIN_HOST_OK || subnet.prefix != scopes[i]) {
            char text[WIN_IPV4_TEXT];
            win_ipv4_format(scopes[i], text);
            return win_fail(st, ERROR_DHCP_SUBNET_NOT_PRESENT,
                            "scope %s is not a configured subnet's address", text);
        }
    }
    return 0;
}

/* Writes the Windows side and Kea's together (all or nothing); schedules a
 * reload only when the HA configuration really changed. */
static int commit(const struct win_ctx *ctx, const struct fo_store *store, int *reload,
                  struct win_status *st)
{
    *reload = 0;
    if (fo_ha_apply(ctx, store, reload, st) < 0) return -1;
    if (*reload) ctx->host->schedule_reload(ctx->host->ctx);
    return 0;
}

/* The stored relationship args name (in store, loaded here); NULL with st
 * set when the name is missing or no relationship has it. */
static struct fo_relationship *find_named(const struct win_ctx *ctx, const cJSON *args,
                                          struct fo_store *store, struct win_status *st)
{
    const char *name;
    if (decode_name(args, &name, st) < 0 || fo_store_load(ctx->config, store, st) < 0)
        return NULL;
    struct fo_relationship *rel = fo_store_find(store, name);
    if (!rel) not_found(name, st);
    return rel;
}

/* Whether this server can run one more relationship: Windows allows 31, Kea
 * 2.2 one (so MS-DHCPM's scope and name checks, 20113 and 20114, are never
 * reached there), 2.6+ several in hot-standby only. */
static int check_room(const struct win_ctx *ctx, const struct fo_store *store,
                      const struct fo_relationship *rel, struct win_status *st)
{
    const struct win_kea_facts *kea = ctx->host->kea_facts(ctx->host->ctx);
    if (store->count == 0) return 0;
    if (kea->ha_relationships <= 1)
        return win_fail(st, ERROR_DHCP_FO_MAX_RELATIONSHIPS,
                        "this server already has the failover relationship '%.200s': Kea %s "
                        "runs one HA relationship per server, covering all its subnets",
                        store->items[0].name, kea->release);
    for (size_t i = 0; i < store->count; i++)
        for (size_t j = 0; j < rel->scope_count; j++)
            if (fo_has_scope(&store->items[i], rel->scopes[j])) {
                char text[WIN_IPV4_TEXT];
                win_ipv4_format(rel->scopes[j], text);
                return win_fail(st, ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP,
                                "scope %s is already in failover relationship '%.200s'", text,
                                store->items[i].name);
            }
    if (fo_store_find(store, rel->name))
        return win_fail(st, ERROR_DHCP_FO_RELATIONSHIP_EXISTS,
                        "a failover relationship named '%.200s' exists", rel->name);
    if (store->count >= kea->ha_relationships || store->count >= FO_STORE_MAX)
        return win_fail(st, ERROR_DHCP_FO_MAX_RELATIONSHIPS,
                        "this server already has %zu failover relationships, the most "
                        "Windows and Kea %s allow", store->count, kea->release);
    for (size_t i = 0; i < store->count; i++)
        if (store->items[i].mode == WIN_FO_LOAD_BALANCE || rel->mode == WIN_FO_LOAD_BALANCE)
            return win_fail(st, ERROR_DHCP_FO_MAX_RELATIONSHIPS,
                            "this server already has the failover relationship '%.200s': "
                            "Kea %s runs several HA relationships in hot-standby mode only, "
                            "so a load-balance relationship stays a server's only one",
                            store->items[0].name, kea->release);
    return 0;
}

/* shared-lease-database claims the partner writes the same rows: never so
 * of a memfile, which is this server's alone (the partner's half of the claim
 * is its own create's check). */
static int check_shared_database(const struct win_ctx *ctx, const struct fo_relationship *rel,
                                 struct win_status *st)
{
    const char *backend = ctx->host->lease_backend(ctx->host->ctx);
    if (!rel->shared_lease_database || strcmp(backend, "mysql") == 0 ||
        strcmp(backend, "postgresql") == 0)
        return 0;
    return win_fail(st, ERROR_INVALID_PARAMETER,
                    "shared-lease-database is true but this server's lease database is "
                    "'%s', which no partner can share (it must be mysql or postgresql); "
                    "nothing changed", backend);
}

/* This server could not take a relationship its partner took: the partner
 * drops it again (a failure there is logged; nothing else can be done). */
static void undo_partner_create(const struct win_ctx *ctx, const struct fo_relationship *rel)
{
    struct win_status st;
    cJSON *args = cJSON_CreateObject();
    cJSON_AddStringToObject(args, "relationship-name", rel->name);
    if (fo_partner_run(ctx, rel, "win-failover-relationship-delete", args, &st) < 0)
        WIN_LOG(ctx->host, WIN_CMDS_PARTNER_UNDO_FAILED, rel->name, st.text);
    cJSON_Delete(args);
}

cJSON *failover_relationship_create(const struct win_ctx *ctx, const cJSON *args,
                                    struct win_status *st)
{
    struct fo_relationship *rel = malloc(sizeof *rel);
    struct fo_store store = {0};
    cJSON *answer = NULL;
    if (!rel) return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory"), NULL;
    if (fo_decode_create(args, rel, st) < 0 ||                                     /* 2 */
        check_scopes_exist(ctx, rel->scopes, rel->scope_count, st) < 0 ||          /* 3 */
        check_shared_database(ctx, rel, st) < 0)
        goto out;
    if (rel->name_chars > FO_NAME_CHARS) {                                         /* 5 */
        win_fail(st, ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG,
                 "relationship-name has %zu characters; Windows allows %d", rel->name_chars,
                 FO_NAME_CHARS);
        goto out;
    }
    int partner;
    if (fo_store_load(ctx->config, &store, st) < 0 ||
        check_room(ctx, &store, rel, st) < 0 ||                                    /* 6-8 */
        fo_partner_wanted(args, &partner, st) < 0 ||
        (partner && fo_partner_run(ctx, rel, "win-failover-relationship-create", args, st) < 0))
        goto out;
    fo_store_add(&store, rel);
    int reload;
    if (commit(ctx, &store, &reload, st) < 0) {
        if (partner) undo_partner_create(ctx, rel);
        goto out;
    }
    answer = relationship_answer(ctx, &store, rel);
    cJSON_AddBoolToObject(answer, "reload-scheduled", reload);
    win_stat_relationship_register(ctx->host, rel->name,
                                   backlog_count ? backlog_count(ctx, rel->name) : 0);
    win_succeed(st, "failover relationship '%.200s' created; kea-dhcp4 reloads its "
                    "configuration with HA now", rel->name);
    if (!fo_has_tls(rel)) WIN_LOG(ctx->host, WIN_CMDS_RELATIONSHIP_UNENCRYPTED, rel->name);
out:
    fo_store_free(&store);
    free(rel);
    return answer;
}

/* CHANGESTATE: partner-down is the administrator's takeover, normal resumes. */
static int change_state(const struct win_ctx *ctx, const struct fo_store *store,
                        const struct fo_relationship *rel, int target, char *done, size_t size,
                        struct win_status *st)
{
    if (store->count > 1)
        return win_fail(st, ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED,
                        "this server runs %zu HA relationships, and Kea's takeover "
                        "(ha-maintenance-start/-cancel) acts on all of them at once: change "
                        "the state of one relationship by itself is not possible",
                        store->count);
    struct fo_live live;
    if (fo_live_read(ctx, rel, FO_LIVE_STATE, &live) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "HA state lookup failed: %s", live.state_err);
    enum win_ha_phase phase = live.state.phase;
    int takeover = -1;
    if (phase == WIN_HA_NOT_RUNNING) {
        return win_fail(st, ERROR_DHCP_FO_STATE_NOT_NORMAL,
                        "Kea HA is not running (yet): the state cannot be changed");
    } else if (target == WIN_FSM_PARTNER_DOWN) {
        /* With the partner unreachable the takeover goes straight to
         * partner-down and serves every client. */
        if (phase != WIN_HA_PARTNER_DOWN && phase != WIN_HA_PARTNER_IN_MAINTENANCE)
            takeover = WIN_HA_TAKEOVER_START;
        else
            snprintf(done, size, "already serving every client");
    } else if (phase == WIN_HA_PARTNER_IN_MAINTENANCE) {
        takeover = WIN_HA_TAKEOVER_CANCEL;
    } else {
        snprintf(done, size, "Kea returns to %s by itself once the partner is back (now %s)",
                 "normal", live.state.name);
    }
    char err[WIN_HOST_ERR_LEN];
    if (takeover >= 0 &&
        ctx->host->ha_takeover(ctx->host->ctx, takeover, done, size, err) != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_FO_STATE_NOT_NORMAL, "Kea HA refused: %.300s", err);
    return 0;
}

cJSON *failover_relationship_set(const struct win_ctx *ctx, const cJSON *args,
                                 struct win_status *st)
{
    struct fo_store store = {0};
    struct fo_relationship *wanted = calloc(1, sizeof *wanted);
    cJSON *answer = NULL;
    int flags;
    if (!wanted) return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory"), NULL;
    struct fo_relationship *rel;
    if (fo_decode_set(args, wanted, &flags, st) < 0 ||
        !(rel = find_named(ctx, args, &store, st)))
        goto out;
    /* Apply the flagged fields on the stored record. */
    *wanted = *rel;
    if (fo_decode_set(args, wanted, &flags, st) < 0) goto out;
    char done[600] = "";
    if ((flags & WIN_FO_FLAG_MODE) && wanted->mode == WIN_FO_LOAD_BALANCE && store.count > 1) {
        /* Kea would refuse the configuration, and a failed reload ends kea-dhcp4. */
        win_fail(st, ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED,
                 "this server runs %zu HA relationships, which Kea %s allows in hot-standby "
                 "mode only: '%.200s' cannot become load-balance beside the others",
                 store.count, ctx->host->kea_facts(ctx->host->ctx)->release, rel->name);
        goto out;
    }
    int partner;
    if (fo_partner_wanted(args, &partner, st) < 0 ||
        (partner && fo_partner_run(ctx, rel, "win-failover-relationship-set", args, st) < 0))
        goto out;
    if (flags & WIN_FO_FLAG_CHANGESTATE) {
        if (wanted->state != WIN_FSM_PARTNER_DOWN && wanted->state != WIN_FSM_NORMAL) {
            win_fail(st, ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED,
                     "Kea HA can be moved to partner-down (takeover) or back to normal only, "
                     "not to %s", win_enum_to_name(&WIN_ENUM_FSM_STATE, wanted->state));
            goto out;
        }
        if (change_state(ctx, &store, rel, wanted->state, done, sizeof done, st) < 0)
            goto out;
    }
    *rel = *wanted;
    int reload;
    if (commit(ctx, &store, &reload, st) < 0) goto out;
    answer = relationship_answer(ctx, &store, rel);
    cJSON_AddBoolToObject(answer, "reload-scheduled", reload);
    win_succeed(st, "failover relationship '%.200s' updated%s%s%s", rel->name,
                reload ? "; kea-dhcp4 reloads its HA configuration now" : "; Kea unchanged",
                done[0] ? ": " : "", done);
out:
    fo_store_free(&store);
    free(wanted);
    return answer;
}

cJSON *failover_relationship_get(const struct win_ctx *ctx, const cJSON *args,
                                 struct win_status *st)
{
    struct fo_store store = {0};
    cJSON *answer = NULL;
    const struct fo_relationship *rel = find_named(ctx, args, &store, st);
    if (rel) {
        answer = relationship_answer(ctx, &store, rel);
        win_succeed(st, "failover relationship '%.200s'", rel->name);
    }
    fo_store_free(&store);
    return answer;
}

cJSON *failover_relationship_delete(const struct win_ctx *ctx, const cJSON *args,
                                    struct win_status *st)
{
    struct fo_store store = {0};
    cJSON *answer = NULL;
    struct fo_relationship *rel = find_named(ctx, args, &store, st);
    int partner;
    if (!rel || fo_partner_wanted(args, &partner, st) < 0 ||
        (partner && fo_partner_run(ctx, rel, "win-failover-relationship-delete", args, st) < 0))
        goto out;
    char deleted[FO_TEXT_MAX];
    snprintf(deleted, sizeof deleted, "%s", rel->name);
    fo_store_remove(&store, rel);
    int reload;
    if (commit(ctx, &store, &reload, st) < 0) goto out;
    win_stat_relationship_remove(ctx->host, deleted);
    answer = cJSON_CreateObject();
    cJSON_AddBoolToObject(answer, "reload-scheduled", reload);
    win_succeed(st, "failover relationship '%.200s' deleted; the scopes and their leases stay",
                deleted);
out:
    fo_store_free(&store);
    return answer;
}

cJSON *failover_relationship_enum(const struct win_ctx *ctx, const cJSON *args,
                                  struct win_status *st)
{
    static const char *const fields[] = {"resume-handle", "preferred-maximum", NULL};
    uint64_t resume = 0, maximum = FO_STORE_MAX;
    struct fo_store store = {0};
    if (args && (!cJSON_IsObject(args) ||
                 jf_only_known(args, fields, "a relationship enumeration", st) < 0 ||
                 jf_uint(args, "resume-handle", 0xFFFFFFFFu, &resume, st) < 0 ||
                 jf_uint(args, "preferred-maximum", 0xFFFFFFFFu, &maximum, st) < 0)) {
        if (!cJSON_IsObject(args))
            win_fail(st, ERROR_INVALID_PARAMETER, "arguments must be an object");
        return NULL;
    }
    if (fo_store_load(ctx->config, &store, st) < 0) return NULL;
    if (resume >= store.count) {
        win_not_found(st, ERROR_NO_MORE_ITEMS, "no %sfailover relationships",
                      resume ? "more " : "");
        fo_store_free(&store);
        return NULL;
    }
    if (maximum == 0) maximum = 1;
    size_t end = resume + maximum < store.count ? (size_t)(resume + maximum) : store.count;
    cJSON *answer = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(answer, "relationships");
    for (size_t i = (size_t)resume; i < end; i++)
        cJSON_AddItemToArray(list, read_live(ctx, &store.items[i]));
    size_t read = end - (size_t)resume, remaining = store.count - end;
    cJSON_AddNumberToObject(answer, "relationships-read", (double)read);
    cJSON_AddNumberToObject(answer, "relationships-total", (double)remaining);
    cJSON_AddNumberToObject(answer, "resume-handle", remaining ? (double)end : 0);
    win_succeed(st, "%zu failover relationship(s)%s", read, remaining ? "; more remain" : "");
    if (remaining) st->code = ERROR_MORE_DATA;
    fo_store_free(&store);
    return answer;
}

/* Add and delete share MS-DHCPM's first checks (3.2.4.95 / 3.2.4.96); *rel
 * is NULL when no relationship has the name, which each reports in its turn. */
static int scope_change_target(const struct win_ctx *ctx, const cJSON *args,
                               struct fo_store *store, struct fo_relationship **rel,
                               uint32_t *scopes, size_t *count, struct win_status *st)
{
    const char *name;
    if (decode_name(args, &name, st) < 0 || fo_decode_scopes(args, scopes, count, st) < 0 ||
        check_scopes_exist(ctx, scopes, *count, st) < 0 ||
        fo_store_load(ctx->config, store, st) < 0)
        return -1;
    if (store->count == 0)
        return win_fail(st, ERROR_FILE_NOT_FOUND, "this server has no failover relationship");
    *rel = fo_store_find(store, name);
    return 0;
}

static cJSON *scope_change_answer(const struct win_ctx *ctx, struct fo_store *store,
                                  const struct fo_relationship *rel, const char *what,
                                  struct win_status *st)
{
    int reload;
    if (commit(ctx, store, &reload, st) < 0) return NULL;
    cJSON *answer = relationship_answer(ctx, store, rel);
    cJSON_AddBoolToObject(answer, "reload-scheduled", reload);
    win_succeed(st, "%s failover relationship '%.200s'%s", what, rel->name,
                store->count > 1 ? "; kea-dhcp4 reloads its subnets' relationships now"
                                 : " (Kea HA already covers every subnet)");
    return answer;
}

static int live_is_normal(const struct win_ctx *ctx, const struct fo_relationship *rel,
                          struct win_status *st)
{
    struct fo_live live;
    if (fo_live_read(ctx, rel, FO_LIVE_STATE, &live) < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "HA state lookup failed: %s", live.state_err);
    return live.fsm == WIN_FSM_NORMAL
               ? 0
               : win_fail(st, ERROR_DHCP_FO_STATE_NOT_NORMAL,
                          "scopes are added in the normal state only; Kea HA is %s",
                          live.state.name);
}

/* The scopes of one request applied to its relationship: 0, or -1 with the
 * failure (each reports a missing relationship in MS-DHCPM's order). */
typedef int (*scope_edit)(const cJSON *args, const struct fo_store *store,
                          struct fo_relationship *rel, const uint32_t *scopes, size_t count,
                          const struct win_ctx *ctx, struct win_status *st);

static cJSON *scope_change(const struct win_ctx *ctx, const cJSON *args, scope_edit edit,
                           const char *what, struct win_status *st)
{
    struct fo_store store = {0};
    struct fo_relationship *rel = NULL;
    uint32_t *scopes = malloc(FO_SCOPES_MAX * sizeof *scopes);
    size_t count = 0;
    cJSON *answer = NULL;
    if (!scopes) return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory"), NULL;
    if (scope_change_target(ctx, args, &store, &rel, scopes, &count, st) == 0 &&
        edit(args, &store, rel, scopes, count, ctx, st) == 0)
        answer = scope_change_answer(ctx, &store, rel, what, st);
    fo_store_free(&store);
    free(scopes);
    return answer;
}

static int add_scopes(const cJSON *args, const struct fo_store *store,
                      struct fo_relationship *rel, const uint32_t *scopes, size_t count,
                      const struct win_ctx *ctx, struct win_status *st)
{
    for (size_t i = 0; i < store->count; i++)
        for (size_t j = 0; j < count; j++)
            if (fo_has_scope(&store->items[i], scopes[j])) {
                char text[WIN_IPV4_TEXT];
                win_ipv4_format(scopes[j], text);
                return win_fail(st, ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP,
                                "scope %s is already in failover relationship '%.200s'", text,
                                store->items[i].name);
            }
    if (!rel) return not_found(cJSON_GetObjectItem(args, "relationship-name")->valuestring, st);
    if (live_is_normal(ctx, rel, st) < 0) return -1;
    if (rel->scope_count + count > FO_SCOPES_MAX)
        return win_fail(st, ERROR_INVALID_PARAMETER, "a relationship holds %d scopes at most",
                        FO_SCOPES_MAX);
    for (size_t j = 0; j < count; j++) rel->scopes[rel->scope_count++] = scopes[j];
    return 0;
}

static int delete_scopes(const cJSON *args, const struct fo_store *store,
                         struct fo_relationship *rel, const uint32_t *scopes, size_t count,
                         const struct win_ctx *ctx, struct win_status *st)
{
    (void)store;
    (void)ctx;
    if (!rel) return not_found(cJSON_GetObjectItem(args, "relationship-name")->valuestring, st);
    for (size_t j = 0; j < count; j++)
        if (!fo_has_scope(rel, scopes[j])) {
            char text[WIN_IPV4_TEXT];
            win_ipv4_format(scopes[j], text);
            return win_fail(st, ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP,
                            "scope %s is not in failover relationship '%.200s'", text,
                            rel->name);
        }
    size_t kept = 0;
    for (size_t i = 0; i < rel->scope_count; i++) {
        int removed = 0;
        for (size_t j = 0; j < count; j++) removed |= rel->scopes[i] == scopes[j];
        if (!removed) rel->scopes[kept++] = rel->scopes[i];
    }
    rel->scope_count = kept;
    return 0;
}

cJSON *failover_scope_add(const struct win_ctx *ctx, const cJSON *args, struct win_status *st)
{
    return scope_change(ctx, args, add_scopes, "scopes added to", st);
}

cJSON *failover_scope_delete(const struct win_ctx *ctx, const cJSON *args,
                             struct win_status *st)
{
    return scope_change(ctx, args, delete_scopes, "scopes deleted from", st);
}

cJSON *failover_scope_relationship_get(const struct win_ctx *ctx, const cJSON *args,
                                       struct win_status *st)
{
    static const char *const fields[] = {"scope-id", NULL};
    uint32_t scope = 0;
    struct fo_store store = {0};
    cJSON *answer = NULL;
    if (!cJSON_IsObject(args) || jf_only_known(args, fields, "a scope", st) < 0 ||
        jf_ipv4(args, "scope-id", &scope, st) < 0 || scope == 0) {
        if (st->code == ERROR_SUCCESS)
            win_fail(st, ERROR_INVALID_PARAMETER, "scope-id is missing or 0.0.0.0");
        return NULL;
    }
    if (fo_store_load(ctx->config, &store, st) < 0) return NULL;
    for (size_t i = 0; i < store.count; i++)
        if (fo_has_scope(&store.items[i], scope)) {
            answer = relationship_answer(ctx, &store, &store.items[i]);
            win_succeed(st, "failover relationship '%.200s'", store.items[i].name);
            break;
        }
    if (!answer) {
        char text[WIN_IPV4_TEXT];
        win_ipv4_format(scope, text);
        win_fail(st, ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP,
                 "scope %s is in no failover relationship", text);
    }
    fo_store_free(&store);
    return answer;
}

cJSON *failover_system_time_get(const struct win_ctx *ctx, const cJSON *args,
                                struct win_status *st)
{
    (void)args;
    char text[WIN_DATETIME_TEXT];
    win_datetime_format(ctx->host->now(ctx->host->ctx), text);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "time", text);
    cJSON_AddNumberToObject(answer, "max-allowed-delta-time", MAX_ALLOWED_DELTA);
    win_succeed(st, "server time %s", text);
    return answer;
}
