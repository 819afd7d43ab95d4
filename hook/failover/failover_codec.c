/* JSON <-> struct fo_relationship. */
#include "failover_relationship.h"

#include <stdio.h>
#include <string.h>

#include "failover_auth.h"
#include "failover_tls.h"
#include "failover_url.h"
#include "json_fields.h"
#include "value_formats.h"
#include "win_enums.h"

#define FO_PERCENTAGE_MAX 100
#define FO_DEFAULT_SHARE 50           /* PowerShell's load-balance percentage */
#define FO_DEFAULT_RESERVE 5          /* PowerShell's hot-standby reserve */
#define FO_DEFAULT_MCLT 3600          /* seconds, as Add-DhcpServerv4Failover */
#define FO_SERVER_NAME_CHARS 255
#define FO_SECRET_CHARS 255
#define KEA_MAX_RESPONSE_DELAY_MS 65535   /* Kea HA's max-response-delay limit */

static const char *const relationship_fields[] = {
    "relationship-name", "primary-server", "secondary-server", "primary-server-name",
    "secondary-server-name", "mode", "server-type", "state", "prev-state", "mclt",
    "safe-period", "scopes", "percentage", "shared-secret", "primary-url", "secondary-url",
    "max-response-delay", "configure-partner", "trust-anchor", "cert-file", "key-file",
    "require-client-certs", "shared-lease-database", "basic-auth-user",
    "basic-auth-password-file", "basic-auth-password",
    /* read-only parts of a get answer, accepted so a record can be sent back */
    "kea-state", "kea-effect", "warnings", "legacy-secret-auth",
    "unreplicated-changes", NULL};

static int copy_text(const cJSON *obj, const char *field, size_t max_chars, char *out,
                     struct win_status *st)
{
    const char *text;
    int rc = jf_string(obj, field, max_chars, &text, st);
    if (rc == 1) {
        if (strlen(text) >= FO_TEXT_MAX)
            return win_fail(st, ERROR_INVALID_PARAMETER, "%s is too long", field);
        strcpy(out, text);
    }
    return rc;
}

/* A peer URL. A new one is parsed strictly (failover_url.h: Kea HA would
 * refuse anything else only at its reload, and kea-dhcp4 would stop); a
 * stored one is read as written and checked again before it is written into
 * Kea's configuration. */
static int decode_url(const cJSON *obj, const char *field, int stored, int has_tls, char *out,
                      struct win_status *st)
{
    char why[WIN_TEXT_MAX];
    int rc = copy_text(obj, field, 0, out, st);
    if (rc == 0 && has_tls && !stored)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s is missing: with TLS material the partners' URLs are https:// "
                        "(the default is http://<server>:8000/); nothing changed", field);
    if (rc != 1) return rc;
    if (stored && strncmp(out, "http://", 7) != 0 && strncmp(out, "https://", 8) != 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s must be an http:// or https:// URL",
                        field);
    if (!stored && fo_url_check_peer(field, out, has_tls, why, sizeof why) < 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s; nothing changed", why);
    return rc;
}

/* A DWORD of seconds; safe-period also takes "disabled" (and 0 means it). */
static int decode_seconds(const cJSON *obj, const char *field, uint32_t *out,
                          struct win_status *st)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, field);
    if (strcmp(field, "safe-period") == 0 && cJSON_IsString(item) &&
        strcmp(item->valuestring, "disabled") == 0) {
        *out = FO_SAFE_PERIOD_DISABLED;
        return 1;
    }
    uint64_t v;
    int rc = jf_uint(obj, field, 0xFFFFFFFFu, &v, st);
    if (rc == 1) *out = (uint32_t)v;
    return rc;
}

int fo_decode_scopes(const cJSON *args, uint32_t *scopes, size_t *count, struct win_status *st)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(args, "scopes");
    *count = 0;
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "scopes must be a non-empty list of subnet addresses");
    if (cJSON_GetArraySize(list) > FO_SCOPES_MAX)
        return win_fail(st, ERROR_INVALID_PARAMETER, "scopes lists more than %d subnets",
                        FO_SCOPES_MAX);
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        uint32_t addr;
        if (!cJSON_IsString(item) || win_ipv4_parse(item->valuestring, &addr) != 0 || !addr)
            return win_fail(st, ERROR_INVALID_PARAMETER,
                            "scopes must hold subnet addresses such as \"192.0.2.0\"");
        int seen = 0;
        for (size_t i = 0; i < *count; i++) seen |= scopes[i] == addr;
        if (!seen) scopes[(*count)++] = addr;
    }
    return 0;
}

static int decode_server(const cJSON *args, const char *field, uint32_t *out,
                         struct win_status *st)
{
    int rc = jf_ipv4(args, field, out, st);
    if (rc < 0) return -1;
    if (rc == 0 || *out == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s is missing or 0.0.0.0", field);
    return 0;
}

/* relationship-name: present and not empty (its length is checked later, in
 * MS-DHCPM's order). */
static int decode_name(const cJSON *args, const char **name, struct win_status *st)
{
    int rc = jf_string(args, "relationship-name", 0, name, st);
    if (rc < 0) return -1;
    if (rc == 0 || (*name)[0] == '\0')
        return win_fail(st, ERROR_INVALID_PARAMETER, "relationship-name is missing");
    return 0;
}

/* percentage, 0 to 100: jf_uint's answer (1 given, 0 absent, -1 wrong). */
static int decode_percentage(const cJSON *args, int *out, struct win_status *st)
{
    uint64_t percentage = 0;
    int rc = jf_uint(args, "percentage", 255, &percentage, st);
    if (rc < 0) return -1;
    if (percentage > FO_PERCENTAGE_MAX)
        return win_fail(st, ERROR_INVALID_PARAMETER, "percentage %llu is more than 100",
                        (unsigned long long)percentage);
    if (rc == 1) *out = (int)percentage;
    return rc;
}

/* mode, server-type and percentage, with PowerShell's defaults. */
static int decode_roles(const cJSON *args, struct fo_relationship *rel, struct win_status *st)
{
    int mode = WIN_FO_LOAD_BALANCE, server_type = WIN_FO_PRIMARY, percentage = 0;
    int has_percentage = decode_percentage(args, &percentage, st);
    if (has_percentage < 0 || jf_enum(args, "mode", &WIN_ENUM_FO_MODE, &mode, st) < 0 ||
        jf_enum(args, "server-type", &WIN_ENUM_FO_SERVER_TYPE, &server_type, st) < 0)
        return -1;
    rel->mode = mode;
    rel->server_type = server_type;
    rel->percentage = has_percentage        ? percentage
                      : mode == WIN_FO_HOT_STANDBY ? FO_DEFAULT_RESERVE
                                                   : FO_DEFAULT_SHARE;
    return 0;
}

/* An answer's mask sent back as if it were the secret. */
static int masked_secret(const struct fo_relationship *rel, struct win_status *st)
{
    if (rel->has_secret && strcmp(rel->shared_secret, FO_MASKED) == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "shared-secret is the mask answers show "
                        "(%s): give the secret itself; nothing changed", FO_MASKED);
    return 0;
}

/* The names, times, secret, TLS material and URLs, with Windows' defaults. */
static int decode_settings(const cJSON *args, int stored, struct fo_relationship *rel,
                           struct win_status *st)
{
    rel->mclt = FO_DEFAULT_MCLT;
    rel->safe_period = FO_SAFE_PERIOD_DISABLED;
    uint64_t mrd = 0;
    if (copy_text(args, "primary-server-name", FO_SERVER_NAME_CHARS, rel->primary_name, st) < 0 ||
        copy_text(args, "secondary-server-name", FO_SERVER_NAME_CHARS, rel->secondary_name,
                  st) < 0 ||
        decode_seconds(args, "mclt", &rel->mclt, st) < 0 ||
        decode_seconds(args, "safe-period", &rel->safe_period, st) < 0 ||
        (rel->has_secret = copy_text(args, "shared-secret", FO_SECRET_CHARS,
                                     rel->shared_secret, st)) < 0 ||
        fo_decode_tls(args, stored, rel, st) < 0 ||
        fo_decode_auth(args, stored, rel, st) < 0 ||
        decode_url(args, "primary-url", stored, fo_has_tls(rel), rel->primary_url, st) < 0 ||
        decode_url(args, "secondary-url", stored, fo_has_tls(rel), rel->secondary_url, st) < 0 ||
        jf_uint(args, "max-response-delay", KEA_MAX_RESPONSE_DELAY_MS, &mrd, st) < 0 ||
        jf_bool(args, "shared-lease-database", &rel->shared_lease_database, st) < 0)
        return -1;
    rel->max_response_delay = (uint32_t)mrd;
    if (!stored && masked_secret(rel, st) < 0) return -1;
    if (rel->safe_period == 0) rel->safe_period = FO_SAFE_PERIOD_DISABLED; /* as Windows */
    return 0;
}

/* The fields every relationship carries, in MS-DHCPM's order of checks. A
 * stored relationship may have lost all its scopes to scope-delete. */
static int decode_common(const cJSON *args, int stored, struct fo_relationship *rel,
                         struct win_status *st)
{
    memset(rel, 0, sizeof *rel);
    if (!cJSON_IsObject(args))
        return win_fail(st, ERROR_INVALID_PARAMETER, "arguments must be a relationship object");
    const char *name;
    if (decode_name(args, &name, st) < 0) return -1;
    /* Its length is checked later, in MS-DHCPM's order (step 5). */
    rel->name_chars = 0;
    for (const char *c = name; *c; c++)
        if (((unsigned char)*c & 0xC0) != 0x80) rel->name_chars++;
    snprintf(rel->name, sizeof rel->name, "%s", name);
    if (jf_only_known(args, relationship_fields, "a failover relationship", st) < 0 ||
        decode_server(args, "primary-server", &rel->primary, st) < 0 ||
        decode_server(args, "secondary-server", &rel->secondary, st) < 0)
        return -1;
    const cJSON *scopes = cJSON_GetObjectItemCaseSensitive(args, "scopes");
    if (!(stored && cJSON_IsArray(scopes) && cJSON_GetArraySize(scopes) == 0) &&
        fo_decode_scopes(args, rel->scopes, &rel->scope_count, st) < 0)
        return -1;
    if (decode_roles(args, rel, st) < 0 || decode_settings(args, stored, rel, st) < 0) return -1;
    return 0;
}

int fo_decode_create(const cJSON *args, struct fo_relationship *rel, struct win_status *st)
{
    if (decode_common(args, 0, rel, st) < 0) return -1;
    /* A new relationship starts in STARTUP after INIT; given states are ignored. */
    rel->state = WIN_FSM_STARTUP;
    rel->prev_state = WIN_FSM_INIT;
    return 0;
}

int fo_decode_stored(const cJSON *obj, struct fo_relationship *rel, struct win_status *st)
{
    if (decode_common(obj, 1, rel, st) < 0) return -1;
    int state = WIN_FSM_STARTUP, prev = WIN_FSM_INIT;
    if (jf_enum(obj, "state", &WIN_ENUM_FSM_STATE, &state, st) < 0 ||
        jf_enum(obj, "prev-state", &WIN_ENUM_FSM_STATE, &prev, st) < 0)
        return -1;
    rel->state = state;
    rel->prev_state = prev;
    return 0;
}

static const char *const set_fields[] = {
    "relationship-name", "flags", "mclt", "safe-period", "state", "percentage", "mode",
    "prev-state", "shared-secret", "configure-partner", "basic-auth-user",
    "basic-auth-password-file", "basic-auth-password", NULL};

static int decode_flags(const cJSON *args, int *flags, struct win_status *st)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(args, "flags");
    *flags = 0;
    if (cJSON_IsArray(item)) {
        const cJSON *name;
        cJSON_ArrayForEach(name, item)
        {
            int bit = cJSON_IsString(name) ? win_enum_from_name(&WIN_ENUM_FO_FLAG,
                                                                name->valuestring) : -1;
            if (bit < 0)
                return win_fail(st, ERROR_INVALID_PARAMETER,
                                "flags names one of mclt, safe-period, state, percentage, "
                                "mode, prev-state, shared-secret");
            *flags |= bit;
        }
    } else {
        uint64_t v = 0; /* no flags: none selected */
        if (jf_uint(args, "flags", 0xFFFFFFFFu, &v, st) < 0) return -1;
        if (v & ~(uint64_t)WIN_FO_FLAGS_ALL)
            return win_fail(st, ERROR_INVALID_PARAMETER, "flags 0x%llx has unknown bits",
                            (unsigned long long)v);
        *flags = (int)v;
    }
    if (*flags == 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "flags selects no field to change");
    return 0;
}

static int require(const cJSON *args, const char *field, struct win_status *st)
{
    if (cJSON_GetObjectItemCaseSensitive(args, field)) return 0;
    return win_fail(st, ERROR_INVALID_PARAMETER, "flags selects %s but it is missing", field);
}

/* An enumeration the flags select: required. */
static int flagged_enum(const cJSON *args, const char *field, const struct win_enum *e,
                        int *out, struct win_status *st)
{
    int value, rc;
    if (require(args, field, st) < 0 || (rc = jf_enum(args, field, e, &value, st)) < 0)
        return -1;
    if (rc == 1) *out = value;   /* null keeps the stored value */
    return 0;
}

/* The fields flags selects, each required, into rel. */
static int decode_flagged(const cJSON *args, int flags, struct fo_relationship *rel,
                          struct win_status *st)
{
    if (flags & WIN_FO_FLAG_PERCENTAGE &&
        (require(args, "percentage", st) < 0 ||
         decode_percentage(args, &rel->percentage, st) < 0))
        return -1;
    if (flags & WIN_FO_FLAG_MODE && flagged_enum(args, "mode", &WIN_ENUM_FO_MODE, &rel->mode, st) < 0)
        return -1;
    if (flags & WIN_FO_FLAG_MCLT &&
        (require(args, "mclt", st) < 0 || decode_seconds(args, "mclt", &rel->mclt, st) < 0))
        return -1;
    if (flags & WIN_FO_FLAG_SAFEPERIOD) {
        if (require(args, "safe-period", st) < 0 ||
            decode_seconds(args, "safe-period", &rel->safe_period, st) < 0)
            return -1;
        if (rel->safe_period == 0) rel->safe_period = FO_SAFE_PERIOD_DISABLED;
    }
    if (flags & WIN_FO_FLAG_CHANGESTATE &&
        flagged_enum(args, "state", &WIN_ENUM_FSM_STATE, &rel->state, st) < 0)
        return -1;
    if (flags & WIN_FO_FLAG_PREVSTATE &&
        flagged_enum(args, "prev-state", &WIN_ENUM_FSM_STATE, &rel->prev_state, st) < 0)
        return -1;
    if (flags & WIN_FO_FLAG_SHAREDSECRET) {
        /* null or "" switches message authentication off, as -SharedSecret $null */
        rel->shared_secret[0] = '\0';
        if ((rel->has_secret = copy_text(args, "shared-secret", FO_SECRET_CHARS,
                                         rel->shared_secret, st)) < 0)
            return -1;
        rel->has_secret = rel->shared_secret[0] != '\0';
        if (masked_secret(rel, st) < 0) return -1;
    }
    return 0;
}

static int credentials_given(const cJSON *args)
{
    return cJSON_GetObjectItemCaseSensitive(args, "basic-auth-user") ||
           cJSON_GetObjectItemCaseSensitive(args, "basic-auth-password-file") ||
           cJSON_GetObjectItemCaseSensitive(args, "basic-auth-password");
}

int fo_decode_set(const cJSON *args, struct fo_relationship *rel, int *flags,
                  struct win_status *st)
{
    if (!cJSON_IsObject(args))
        return win_fail(st, ERROR_INVALID_PARAMETER, "arguments must be an object");
    *flags = 0;
    const char *name;
    if (decode_name(args, &name, st) < 0 ||
        jf_only_known(args, set_fields, "a relationship set", st) < 0 ||
        (!credentials_given(args) && decode_flags(args, flags, st) < 0) ||
        (credentials_given(args) && cJSON_GetObjectItemCaseSensitive(args, "flags") &&
         decode_flags(args, flags, st) < 0))
        return -1;
    if (decode_flagged(args, *flags, rel, st) < 0) return -1;
    /* A new secret ends the legacy use of the old one as a password. */
    if (*flags & WIN_FO_FLAG_SHAREDSECRET) rel->legacy_secret_auth = 0;
    return fo_decode_auth_set(args, rel, st) < 0 ? -1 : 0;
}

static void add_ipv4(cJSON *obj, const char *key, uint32_t addr)
{
    char text[WIN_IPV4_TEXT];
    win_ipv4_format(addr, text);
    cJSON_AddStringToObject(obj, key, text);
}

static cJSON *encode(const struct fo_relationship *rel, int stored)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "relationship-name", rel->name);
    add_ipv4(obj, "primary-server", rel->primary);
    add_ipv4(obj, "secondary-server", rel->secondary);
    cJSON_AddStringToObject(obj, "primary-server-name", rel->primary_name);
    cJSON_AddStringToObject(obj, "secondary-server-name", rel->secondary_name);
    cJSON_AddStringToObject(obj, "mode", win_enum_to_name(&WIN_ENUM_FO_MODE, rel->mode));
    cJSON_AddStringToObject(obj, "server-type",
                            win_enum_to_name(&WIN_ENUM_FO_SERVER_TYPE, rel->server_type));
    cJSON_AddStringToObject(obj, "state", win_enum_to_name(&WIN_ENUM_FSM_STATE, rel->state));
    cJSON_AddStringToObject(obj, "prev-state",
                            win_enum_to_name(&WIN_ENUM_FSM_STATE, rel->prev_state));
    cJSON_AddNumberToObject(obj, "mclt", rel->mclt);
    if (rel->safe_period == FO_SAFE_PERIOD_DISABLED)
        cJSON_AddStringToObject(obj, "safe-period", "disabled");
    else
        cJSON_AddNumberToObject(obj, "safe-period", rel->safe_period);
    cJSON *scopes = cJSON_AddArrayToObject(obj, "scopes");
    for (size_t i = 0; i < rel->scope_count; i++) {
        char text[WIN_IPV4_TEXT];
        win_ipv4_format(rel->scopes[i], text);
        cJSON_AddItemToArray(scopes, cJSON_CreateString(text));
    }
    cJSON_AddNumberToObject(obj, "percentage", rel->percentage);
    if (rel->has_secret)
        cJSON_AddStringToObject(obj, "shared-secret", stored ? rel->shared_secret : FO_MASKED);
    char url[FO_TEXT_MAX];
    fo_primary_url(rel, url, sizeof url);
    cJSON_AddStringToObject(obj, "primary-url", url);
    fo_secondary_url(rel, url, sizeof url);
    cJSON_AddStringToObject(obj, "secondary-url", url);
    if (rel->max_response_delay)
        cJSON_AddNumberToObject(obj, "max-response-delay", rel->max_response_delay);
    fo_encode_tls(rel, obj);
    if (rel->shared_lease_database) cJSON_AddBoolToObject(obj, "shared-lease-database", 1);
    if (stored) fo_encode_auth_stored(rel, obj);
    else fo_encode_auth_answer(rel, obj);
    return obj;
}

cJSON *fo_encode(const struct fo_relationship *rel) { return encode(rel, 1); }

cJSON *fo_encode_answer(const struct fo_relationship *rel) { return encode(rel, 0); }

static void url_of(const char *given, uint32_t addr, char *out, size_t size)
{
    char ip[WIN_IPV4_TEXT];
    win_ipv4_format(addr, ip);
    if (given[0]) snprintf(out, size, "%s", given);
    else snprintf(out, size, "http://%s:8000/", ip);
}

void fo_primary_url(const struct fo_relationship *rel, char *out, size_t size)
{
    url_of(rel->primary_url, rel->primary, out, size);
}

void fo_secondary_url(const struct fo_relationship *rel, char *out, size_t size)
{
    url_of(rel->secondary_url, rel->secondary, out, size);
}

static void name_of(const char *given, uint32_t addr, char *out, size_t size)
{
    if (given[0]) {
        snprintf(out, size, "%s", given);
        return;
    }
    char ip[WIN_IPV4_TEXT];
    win_ipv4_format(addr, ip);
    snprintf(out, size, "%s", ip);
}

void fo_primary_name(const struct fo_relationship *rel, char *out, size_t size)
{
    name_of(rel->primary_name, rel->primary, out, size);
}

void fo_secondary_name(const struct fo_relationship *rel, char *out, size_t size)
{
    name_of(rel->secondary_name, rel->secondary, out, size);
}

void fo_partner(const struct fo_relationship *rel, char *name, char *url)
{
    if (rel->server_type == WIN_FO_PRIMARY) {
        fo_secondary_name(rel, name, FO_TEXT_MAX);
        fo_secondary_url(rel, url, FO_TEXT_MAX);
    } else {
        fo_primary_name(rel, name, FO_TEXT_MAX);
        fo_primary_url(rel, url, FO_TEXT_MAX);
    }
}

int fo_has_scope(const struct fo_relationship *rel, uint32_t scope)
{
    for (size_t i = 0; i < rel->scope_count; i++)
        if (rel->scopes[i] == scope) return 1;
    return 0;
}
