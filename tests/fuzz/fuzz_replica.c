/* libFuzzer target: the receiving side of records on a failover pair, past
 * its signature. The input is the ops list of a win-client-replica request
 * (JSON text, or anything), which the harness signs as the partner would;
 * every request must get a well-formed answer, and a refused change must
 * leave nothing behind. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "replica_wire.h"
#include "win_cmds.h"

static const char *config = "{\"Dhcp4\":{\"hooks-libraries\":[{\"library\":\"/opt/kea/hooks/libdhcp_lease_cmds.so\"}],\"subnet4\":[]}}";
static unsigned runs;
static struct fo_relationship rel;

/* ops (taken over) in a win-client-replica request signed as the primary
 * would; the hook's answer, parsed. */
static cJSON *send_ops(cJSON *ops)
{
    cJSON *payload = cJSON_CreateObject();
    cJSON_AddStringToObject(payload, "from-role", "primary");
    cJSON_AddStringToObject(payload, "from", "fuzz");
    cJSON_AddStringToObject(payload, "txn", "00112233445566778899aabbccddeeff");
    cJSON_AddItemToObject(payload, "ops", ops);
    struct win_ctx ctx = {fake_host_table(), NULL, NULL};
    char nonce[REPLICA_NONCE_CHARS + 1], seq[24];
    char *command = replica_seal(&ctx, &rel, payload, nonce, seq);
    cJSON *parsed_command = cJSON_Parse(command);
    char *args = cJSON_PrintUnformatted(cJSON_GetObjectItem(parsed_command, "arguments"));
    char *answer = win_cmds_handle(REPLICA_COMMAND, args, NULL);
    cJSON *parsed = cJSON_Parse(answer);
    win_cmds_free(answer);
    free(args);
    cJSON_Delete(parsed_command);
    free(command);
    return parsed;
}

static void reset(void)
{
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 7200);
    fake_add_reservation(1, "192.0.2.50", WIN_IDENT_HWADDR, "aa:bb:cc:dd:ee:ff");
    fake_use_files(config);
    fake.ha_state = "load-balancing";
    /* This server is the secondary; the requests come from its primary. */
    char *answer = win_cmds_handle(
        "win-failover-relationship-create",
        "{\"relationship-name\":\"pair\",\"primary-server\":\"192.0.2.1\","
        "\"secondary-server\":\"192.0.2.2\",\"mode\":\"load-balance\","
        "\"server-type\":\"secondary\",\"scopes\":[\"192.0.2.0\"],"
        "\"shared-secret\":\"fuzz-secret\",\"safe-period\":\"disabled\"}",
        NULL);
    cJSON *created = cJSON_Parse(answer);
    if (answer_code(created) != 0) abort(); /* without it every input is refused alike */
    cJSON_Delete(created);
    win_cmds_free(answer);
    memset(&rel, 0, sizeof rel);
    snprintf(rel.name, sizeof rel.name, "pair");
    snprintf(rel.shared_secret, sizeof rel.shared_secret, "fuzz-secret");
    rel.has_secret = 1;
    /* A create signed here is applied: the inputs reach the ops, not only the
     * signature check (a harness whose seal the hook refuses fuzzes nothing). */
    size_t before = fake.lease_count;
    cJSON *canary = send_ops(cJSON_Parse("[{\"op\":\"create\",\"record\":[\"192.0.2.254\","
                                         "\"02:00:00:00:00:fe\",null,1795000000,3600,0]}]"));
    if (answer_result(canary) != 0 || fake.lease_count != before + 1) abort();
    cJSON_Delete(canary);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (runs++ % 200 == 0) reset();
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    cJSON *ops = cJSON_Parse(text);
    if (!ops) ops = cJSON_CreateString(text);
    size_t before = fake.lease_count;
    cJSON *parsed = send_ops(ops);
    const cJSON *arguments = cJSON_GetObjectItem(parsed, "arguments");
    const cJSON *code = cJSON_GetObjectItem(arguments, "error-code");
    const cJSON *result = cJSON_GetObjectItem(parsed, "result");
    if (!cJSON_IsNumber(code) || !cJSON_IsNumber(result) ||
        !cJSON_IsString(cJSON_GetObjectItem(parsed, "text")))
        abort(); /* an answer without the envelope is a bug */
    if ((result->valueint == 0) != (code->valueint == 0))
        abort(); /* success and the Windows code must agree */
    if (result->valueint != 0 && fake.lease_count != before)
        abort(); /* a refused request changed the leases */
    cJSON_Delete(parsed);
    free(text);
    return 0;
}
