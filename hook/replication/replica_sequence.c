#include "replica_sequence.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "file_io.h"
#include "win_enums.h"

uint64_t replica_sequence_next(void)
{
    static uint64_t last;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
    last = now > last ? now : last + 1;
    return last;
}

int replica_sequence_admit(const struct win_ctx *ctx, const char *relationship, uint64_t seq,
                           struct win_status *st)
{
    char path[FILE_PATH_MAX], err[512];
    state_file_path(ctx->config->state_directory, REPLICA_SEQUENCE_FILE, path, sizeof path);
    char *text = state_file_read(path, NULL);
    if (!text && errno != ENOENT)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "replica refused: %s cannot be read (%s); "
                        "nothing changed", path, strerror(errno));
    cJSON *marks = text ? cJSON_Parse(text) : cJSON_CreateObject();
    free(text);
    if (!cJSON_IsObject(marks)) {
        cJSON_Delete(marks);
        return win_fail(st, ERROR_DHCP_JET_ERROR, "replica refused: %s is not a list of "
                        "sequence marks; nothing changed", path);
    }
    const cJSON *mark = cJSON_GetObjectItemCaseSensitive(marks, relationship);
    /* Marks are kept as decimal text: a double would round them. */
    uint64_t high = cJSON_IsString(mark) ? strtoull(mark->valuestring, NULL, 10) : 0;
    if (seq <= high) {
        cJSON_Delete(marks);
        return win_fail(st, ERROR_ACCESS_DENIED, "replica refused: its sequence number is not "
                        "above the last one admitted from the partner (a replay); nothing "
                        "changed");
    }
    char number[24];
    snprintf(number, sizeof number, "%llu", (unsigned long long)seq);
    cJSON_DeleteItemFromObjectCaseSensitive(marks, relationship);
    cJSON_AddStringToObject(marks, relationship, number);
    char *out = cJSON_PrintUnformatted(marks);
    cJSON_Delete(marks);
    snprintf(err, sizeof err, "out of memory");
    int rc = out ? file_write_atomic(path, out, strlen(out), err, sizeof err) : -1;
    free(out);
    if (rc < 0)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "replica refused: the sequence mark could not "
                        "be written (%s); nothing changed", err);
    return 0;
}
