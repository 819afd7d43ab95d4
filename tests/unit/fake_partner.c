#include "fake_partner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "replica_nonces.h"
#include "replica_wire.h"
#include "win_errors.h"

char *fake_partner_answer(const char *body, const char *secret, fake_partner_rule rule)
{
    cJSON *command = cJSON_Parse(body);
    const cJSON *args = cJSON_GetObjectItem(command, "arguments");
    cJSON *payload = cJSON_Parse(cJSON_GetObjectItem(args, "payload")->valuestring);
    cJSON *refused = cJSON_CreateArray(), *reply = cJSON_CreateObject();
    int index = 0, applied = 0;
    const cJSON *op;
    cJSON_ArrayForEach(op, cJSON_GetObjectItem(payload, "ops"))
    {
        const char *text = "";
        char holder[256] = "";
        int code = rule ? rule(op, &text, holder, sizeof holder) : 0;
        if (code) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddNumberToObject(r, "index", index);
            cJSON_AddNumberToObject(r, "error-code", code);
            cJSON_AddStringToObject(r, "text", text);
            if (code == ERROR_DHCP_CLIENT_EXISTS)
                cJSON_AddItemToObject(r, "holder", cJSON_Parse(holder));
            cJSON_AddItemToArray(refused, r);
        } else {
            applied++;
        }
        index++;
    }
    cJSON_AddNumberToObject(reply, "applied", applied);
    cJSON_AddItemToObject(reply, "refused", refused);
    struct fo_relationship rel = {0};
    snprintf(rel.name, sizeof rel.name, "pair");
    snprintf(rel.shared_secret, sizeof rel.shared_secret, "%s", secret);
    struct win_ctx ctx = {fake_host_table(), NULL, NULL};
    cJSON *arguments = replica_sign_reply(&ctx, &rel, payload, reply);
    cJSON_AddNumberToObject(arguments, "error-code", 0);
    cJSON *one = cJSON_CreateObject(), *list = cJSON_CreateArray();
    cJSON_AddNumberToObject(one, "result", 0);
    cJSON_AddStringToObject(one, "text", "applied");
    cJSON_AddItemToObject(one, "arguments", arguments);
    cJSON_AddItemToArray(list, one);
    char *answer = cJSON_PrintUnformatted(list);
    cJSON_Delete(list);
    cJSON_Delete(payload);
    cJSON_Delete(command);
    return answer;
}

const char *fake_partner_held_ip;

int fake_partner_refuse_held_ip(const cJSON *op, const char **text, char *holder, size_t size)
{
    const cJSON *ip = cJSON_GetArrayItem(cJSON_GetObjectItem(op, "record"), 0);
    if (!fake_partner_held_ip || !cJSON_IsString(ip) ||
        strcmp(ip->valuestring, fake_partner_held_ip) != 0 ||
        cJSON_IsTrue(cJSON_GetObjectItem(op, "force")))
        return 0;
    *text = "held by another client";
    snprintf(holder, size, "[\"%s\",\"02:00:00:00:00:99\",null,1,3600,0]",
             fake_partner_held_ip);
    return ERROR_DHCP_CLIENT_EXISTS;
}

char *fake_primary_replica(const char *secret, const char *ops)
{
    struct fo_relationship rel = {0};
    snprintf(rel.name, sizeof rel.name, "pair");
    snprintf(rel.shared_secret, sizeof rel.shared_secret, "%s", secret);
    cJSON *payload = cJSON_CreateObject();
    cJSON_AddStringToObject(payload, "from-role", "primary");
    cJSON_AddStringToObject(payload, "txn", "00112233445566778899aabbccddeeff");
    cJSON_AddItemToObject(payload, "ops", cJSON_Parse(ops));
    struct win_ctx ctx = {fake_host_table(), NULL, NULL};
    char nonce[REPLICA_NONCE_CHARS + 1], seq[24];
    char *body = replica_seal(&ctx, &rel, payload, nonce, seq);
    cJSON *command = cJSON_Parse(body);
    free(body);
    char *args = cJSON_PrintUnformatted(cJSON_GetObjectItem(command, "arguments"));
    cJSON_Delete(command);
    return args;
}

int fake_pair_relationship(const char *server_type, const char *secret, const char *more,
                           char *text, size_t size)
{
    char args[2048];
    snprintf(args, sizeof args,
             "{\"relationship-name\":\"pair\",\"primary-server\":\"192.0.2.1\","
             "\"secondary-server\":\"192.0.2.2\",\"mode\":\"load-balance\","
             "\"server-type\":\"%s\",\"scopes\":[\"192.0.2.0\"],\"shared-secret\":\"%s\","
             "\"safe-period\":\"disabled\",\"max-response-delay\":3000%s%s}",
             server_type, secret, more[0] ? "," : "", more);
    cJSON *a = call("win-failover-relationship-create", args);
    int code = answer_code(a);
    snprintf(text, size, "%s", answer_text(a));
    cJSON_Delete(a);
    return code;
}

void fake_pair_host(void)
{
    static const char *config =
        "{ \"Dhcp4\": {\n"
        "  \"hooks-libraries\": [ { \"library\": \"/opt/kea/hooks/libdhcp_lease_cmds.so\" } ],\n"
        "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\" } ]\n"
        "} }\n";
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_use_files(config);
}
