#include "json_fields.h"

#include <math.h>
#include <string.h>

#include "value_formats.h"

cJSON *jf_parse(const char *text)
{
    const char *end = NULL;
    return cJSON_ParseWithOpts(text, &end, 1);
}

static const cJSON *field_item(const cJSON *obj, const char *field)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, field);
    return item && !cJSON_IsNull(item) ? item : NULL;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

int jf_string(const cJSON *obj, const char *field, size_t max_chars, const char **out,
              struct win_status *st)
{
    const cJSON *item = field_item(obj, field);
    if (!item) return 0;
    if (!cJSON_IsString(item))
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s must be a string", field);
    if (!win_utf8_valid(item->valuestring))
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s is not valid UTF-8", field);
    if (max_chars && utf8_chars(item->valuestring) > max_chars)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s is longer than %zu characters", field, max_chars);
    *out = item->valuestring;
    return 1;
}

int jf_ipv4(const cJSON *obj, const char *field, uint32_t *out, struct win_status *st)
{
    const char *text;
    int rc = jf_string(obj, field, 0, &text, st);
    if (rc <= 0) return rc;
    if (win_ipv4_parse(text, out) != 0)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s '%.40s' is not a dotted-quad IPv4 address", field, text);
    return 1;
}

int jf_identifier(const cJSON *obj, const char *field, uint8_t *out, size_t *len,
                  struct win_status *st)
{
    const char *text;
    int rc = jf_string(obj, field, 0, &text, st);
    if (rc <= 0) return rc;
    if (text[0] == '\0') return 0;  /* empty counts as missing, as Windows' DataLength 0 */
    if (win_hex_parse(text, out, WIN_IDENTIFIER_MAX, len) != 0)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s '%.60s' is not 1 to 255 hex bytes (00:11:22:33:44:55, "
                        "00-11-22-33-44-55 or 001122334455)", field, text);
    return 1;
}

int jf_datetime(const cJSON *obj, const char *field, int64_t *seconds, int *infinite,
                struct win_status *st)
{
    const char *text;
    int rc = jf_string(obj, field, 0, &text, st);
    if (rc <= 0) return rc;
    if (win_datetime_parse(text, seconds, infinite) != 0)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s '%.40s' is not an ISO 8601 UTC date-time "
                        "(2026-11-21T10:00:00Z) or \"infinite\"", field, text);
    return 1;
}

static int whole_number(const cJSON *item, double max, long *out)
{
    double v = item->valuedouble;
    if (!isfinite(v) || v < 0 || v > max || floor(v) != v) return -1;
    *out = (long)v;
    return 0;
}

int jf_enum(const cJSON *obj, const char *field, const struct win_enum *e, int *out,
            struct win_status *st)
{
    const cJSON *item = field_item(obj, field);
    if (!item) return 0;
    if (cJSON_IsString(item)) {
        int v = win_enum_from_name(e, item->valuestring);
        if (v < 0)
            return win_fail(st, ERROR_INVALID_PARAMETER, "%s '%.40s' is not a known name",
                            field, item->valuestring);
        *out = v;
        return 1;
    }
    long v;
    if (!cJSON_IsNumber(item) || whole_number(item, 1e9, &v) != 0 || !e->number_valid(v))
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s must be one of its names or a valid Windows number", field);
    *out = (int)v;
    return 1;
}

int jf_bool(const cJSON *obj, const char *field, int *out, struct win_status *st)
{
    const cJSON *item = field_item(obj, field);
    if (!item) return 0;
    if (!cJSON_IsBool(item))
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s must be true or false", field);
    *out = cJSON_IsTrue(item);
    return 1;
}

int jf_uint(const cJSON *obj, const char *field, uint64_t max, uint64_t *out,
            struct win_status *st)
{
    const cJSON *item = field_item(obj, field);
    if (!item) return 0;
    long v;
    if (!cJSON_IsNumber(item) || whole_number(item, (double)max, &v) != 0)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s must be a whole number from 0 to %llu", field,
                        (unsigned long long)max);
    *out = (uint64_t)v;
    return 1;
}

int jf_only_known(const cJSON *obj, const char *const *known, const char *what,
                  struct win_status *st)
{
    for (const cJSON *item = obj->child; item; item = item->next) {
        const char *const *k = known;
        while (*k && strcmp(*k, item->string) != 0) k++;
        if (!*k)
            return win_fail(st, ERROR_INVALID_PARAMETER, "%.60s is not a field of %s",
                            item->string, what);
    }
    return 0;
}

const cJSON *jf_control_answer(const cJSON *reply)
{
    return cJSON_IsArray(reply) ? cJSON_GetArrayItem(reply, 0) : reply;
}

int jf_text_copy(const cJSON *obj, const char *field, char *out, size_t size,
                 struct win_status *st)
{
    const char *text;
    int rc = jf_string(obj, field, 0, &text, st);
    if (rc != 1) return rc;
    if (strlen(text) >= size)
        return win_fail(st, ERROR_INVALID_PARAMETER, "%s is longer than %zu bytes", field,
                        size - 1);
    if (!text[0]) return 0;
    memcpy(out, text, strlen(text) + 1);
    return 1;
}
