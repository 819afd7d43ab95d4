/* Typed reads of request fields. Each returns 1 when the field is present and
 * valid (value in *out), 0 when it is absent or JSON null, and -1 when it is
 * present but wrong, with st set to ERROR_INVALID_PARAMETER naming the field. */
#ifndef JSON_FIELDS_H
#define JSON_FIELDS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "win_enums.h"
#include "win_status.h"

/* Parses JSON text without touching cJSON's global error pointer, which is
 * not thread-safe; NULL when text is not exactly one JSON value. */
cJSON *jf_parse(const char *text);

int jf_string(const cJSON *obj, const char *field, size_t max_chars, const char **out,
              struct win_status *st);
/* field as a copy in out (size bytes): 1 copied, 0 absent or empty (out
 * untouched), -1 not a string or too long (87 naming the field). */
int jf_text_copy(const cJSON *obj, const char *field, char *out, size_t size,
                 struct win_status *st);
int jf_ipv4(const cJSON *obj, const char *field, uint32_t *out, struct win_status *st);
int jf_identifier(const cJSON *obj, const char *field, uint8_t *out, size_t *len,
                  struct win_status *st);
int jf_datetime(const cJSON *obj, const char *field, int64_t *seconds, int *infinite,
                struct win_status *st);
int jf_enum(const cJSON *obj, const char *field, const struct win_enum *e, int *out,
            struct win_status *st);
int jf_bool(const cJSON *obj, const char *field, int *out, struct win_status *st);
int jf_uint(const cJSON *obj, const char *field, uint64_t max, uint64_t *out,
            struct win_status *st);

/* Fails with ERROR_INVALID_PARAMETER naming the first key of obj that is not in
 * the NULL-terminated list, so a misspelt field is never silently ignored. */
int jf_only_known(const cJSON *obj, const char *const *known, const char *what,
                  struct win_status *st);

/* The answer in a Kea control channel reply: kea-ctrl-agent answers with a
 * list of one answer per service; Kea 3.0's HTTP socket, and the agent for
 * its own errors (401), with one map. */
const cJSON *jf_control_answer(const cJSON *reply);

#endif
