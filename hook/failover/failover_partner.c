#include "failover_partner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failover_auth.h"
#include "failover_ha.h"
#include "failover_tls.h"
#include "json_fields.h"
#include "win_enums.h"

/* The partner checks its new configuration (kea-dhcp4 -t) before it answers:
 * waiting less than that check may take, this server would say "nothing
 * changed" of a change the partner then makes. */
#define PARTNER_WAIT_MS (WIN_CONFIG_CHECK_MAX_MS + 2000)

int fo_partner_wanted(const cJSON *args, int *wanted, struct win_status *st)
{
    *wanted = 0;
    if (!cJSON_IsObject(args) || !cJSON_GetObjectItemCaseSensitive(args, "configure-partner"))
        return 0;
    return jf_bool(args, "configure-partner", wanted, st) < 0 ? -1 : 0;
}

int fo_partner_run(const struct win_ctx *ctx, const struct fo_relationship *rel,
                   const char *command, const cJSON *args, struct win_status *st)
{
    char name[FO_TEXT_MAX], url[FO_TEXT_MAX], err[WIN_HOST_ERR_LEN] = "";
    fo_partner(rel, name, url);
    char user[FO_TEXT_MAX], password[FO_TEXT_MAX], why[WIN_TEXT_MAX];
    int has_credentials = fo_auth_credentials(rel, user, password, why);
    if (has_credentials < 0)
        return win_fail(st, ERROR_INVALID_PARAMETER, "configure-partner: %s; nothing changed",
                        why);
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(args, "shared-secret");
    if (!fo_has_tls(rel) && cJSON_IsString(secret) && secret->valuestring[0])
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "configure-partner would send the shared secret over plain http: give "
                        "the relationship TLS material, or run the command on each partner; "
                        "nothing changed");
    cJSON *message = cJSON_CreateObject(), *service = cJSON_CreateArray();
    cJSON *forwarded = cJSON_Duplicate(args, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(forwarded, "configure-partner");
    if (strcmp(command, "win-failover-relationship-create") == 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(forwarded, "server-type");
        cJSON_AddStringToObject(forwarded, "server-type",
                                rel->server_type == WIN_FO_PRIMARY ? "secondary" : "primary");
    }
    cJSON_AddStringToObject(message, "command", command);
    cJSON_AddItemToArray(service, cJSON_CreateString("dhcp4"));
    cJSON_AddItemToObject(message, "service", service);
    cJSON_AddItemToObject(message, "arguments", forwarded);
    char *body = cJSON_PrintUnformatted(message);
    cJSON_Delete(message);
    if (!body) return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    char *text = NULL;
    struct win_tls tls;
    int rc = win_partner_call(ctx->host, url, fo_tls_of(rel, &tls),
                              has_credentials ? user : NULL, has_credentials ? password : NULL,
                              body, PARTNER_WAIT_MS, &text, err);
    memset(password, 0, sizeof password);
    free(body);
    if (rc != WIN_HOST_OK)
        return win_fail(st, ERROR_DHCP_SERVER_NOT_REACHABLE,
                        "the partner %.200s (%.200s) could not be configured: %.200s; nothing "
                        "changed here", name, url, err);
    cJSON *answer = jf_parse(text);
    free(text);
    const cJSON *one = jf_control_answer(answer);
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(one, "result");
    const cJSON *said = cJSON_GetObjectItemCaseSensitive(one, "text");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(one, "arguments"), "error-code");
    int ok = cJSON_IsNumber(result) && result->valueint == 0;
    if (!ok)
        win_fail(st, cJSON_IsNumber(code) ? (enum win_error)code->valueint
                                          : ERROR_DHCP_SERVER_NOT_REACHABLE,
                 "on the partner %.200s: %.250s; nothing changed here", name,
                 cJSON_IsString(said) ? said->valuestring : "no answer from its kea-dhcp4");
    cJSON_Delete(answer);
    return ok ? 0 : -1;
}
