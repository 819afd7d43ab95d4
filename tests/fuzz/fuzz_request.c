/* libFuzzer target: "<command>\n<arguments JSON>" through the dispatcher,
 * over the fake host (with failover's state and config files). Every input
 * must get a well-formed answer carrying a Windows error code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "win_cmds.h"

static const char *config = "{\"Dhcp4\":{\"hooks-libraries\":[{\"library\":\"/opt/kea/hooks/libdhcp_lease_cmds.so\"}],\"subnet4\":[]}}";
static unsigned runs;

static void reset(void)
{
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 7200);
    fake_add_subnet(3, "203.0.113.0", 30, 60);
    fake_add_reservation(1, "192.0.2.50", WIN_IDENT_HWADDR, "aa:bb:cc:dd:ee:ff");
    fake_use_files(config);
    fake.ha_state = "load-balancing";
    /* A command that must succeed does: the inputs reach the commands, not
     * only an unconfigured library's refusal. */
    char *answer = win_cmds_handle("win-client-info-vq-create",
                                   "{\"client-ip-address\":\"192.0.2.254\","
                                   "\"client-hardware-address\":\"02:00:00:00:00:fe\"}", "fuzz");
    cJSON *parsed = cJSON_Parse(answer);
    if (answer_code(parsed) != 0 || !fake_find_lease("192.0.2.254")) abort();
    cJSON_Delete(parsed);
    win_cmds_free(answer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Bounded state: the fake holds a few hundred leases at most. */
    if (runs++ % 200 == 0) reset();
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *newline = strchr(text, '\n');
    const char *args = NULL;
    if (newline) {
        *newline = '\0';
        args = newline + 1;
    }
    char *answer = win_cmds_handle(text, args, newline ? NULL : "fuzz");
    cJSON *parsed = cJSON_Parse(answer);
    const cJSON *code = cJSON_GetObjectItem(cJSON_GetObjectItem(parsed, "arguments"),
                                            "error-code");
    const cJSON *result = cJSON_GetObjectItem(parsed, "result");
    if (!cJSON_IsNumber(code) || !cJSON_IsNumber(result) ||
        !cJSON_IsString(cJSON_GetObjectItem(parsed, "text")))
        abort(); /* an answer without the envelope is a bug */
    if ((result->valueint == 0) != (code->valueint == 0 || code->valueint == 234))
        abort(); /* success and the Windows code must agree */
    cJSON_Delete(parsed);
    win_cmds_free(answer);
    free(text);
    return 0;
}
