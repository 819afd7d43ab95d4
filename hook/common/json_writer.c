#include "json_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct json_writer *w, size_t expected)
{
    memset(w, 0, sizeof *w);
    w->first = 1;
    w->cap = expected < 64 ? 64 : expected;
    w->buf = malloc(w->cap);
    if (!w->buf) w->failed = 1;
}

void jw_free(struct json_writer *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static int reserve(struct json_writer *w, size_t more)
{
    if (w->failed) return -1;
    if (w->len + more + 1 <= w->cap) return 0;
    size_t cap = w->cap;
    while (cap < w->len + more + 1) cap *= 2;
    char *grown = realloc(w->buf, cap);
    if (!grown) {
        w->failed = 1;
        return -1;
    }
    w->buf = grown;
    w->cap = cap;
    return 0;
}

static void put(struct json_writer *w, const char *s, size_t n)
{
    if (reserve(w, n) < 0) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void put_char(struct json_writer *w, char c)
{
    if (reserve(w, 1) < 0) return;
    w->buf[w->len++] = c;
}

/* The comma before a value, unless it opens its container or follows its key. */
static void separate(struct json_writer *w)
{
    if (w->after_key) w->after_key = 0;
    else if (!w->first) put_char(w, ',');
    w->first = 0;
}

static void open_container(struct json_writer *w, char bracket)
{
    separate(w);
    put_char(w, bracket);
    w->first = 1;
}

static void close_container(struct json_writer *w, char bracket)
{
    put_char(w, bracket);
    w->first = 0;
}

void jw_begin_object(struct json_writer *w) { open_container(w, '{'); }
void jw_end_object(struct json_writer *w) { close_container(w, '}'); }
void jw_begin_array(struct json_writer *w) { open_container(w, '['); }
void jw_end_array(struct json_writer *w) { close_container(w, ']'); }

/* Escapes as cJSON does: the two JSON specials, the named control
 * characters, \u00XX for the other controls; every other byte as it is. */
static void put_quoted(struct json_writer *w, const char *s)
{
    size_t n = strlen(s);
    if (reserve(w, n * 6 + 2) < 0) return;
    char *out = w->buf + w->len;
    *out++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') {
            *out++ = (char)c;
            continue;
        }
        *out++ = '\\';
        switch (c) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '\b': *out++ = 'b'; break;
        case '\f': *out++ = 'f'; break;
        case '\n': *out++ = 'n'; break;
        case '\r': *out++ = 'r'; break;
        case '\t': *out++ = 't'; break;
        default:
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = "0123456789abcdef"[c >> 4];
            *out++ = "0123456789abcdef"[c & 15];
        }
    }
    *out++ = '"';
    w->len = (size_t)(out - w->buf);
}

void jw_key(struct json_writer *w, const char *key)
{
    separate(w);
    put_quoted(w, key);
    put_char(w, ':');
    w->after_key = 1;
}

void jw_key_text(struct json_writer *w, const char *quoted_key_colon, size_t len)
{
    separate(w);
    put(w, quoted_key_colon, len);
    w->after_key = 1;
}

void jw_string(struct json_writer *w, const char *s)
{
    separate(w);
    put_quoted(w, s);
}

void jw_int(struct json_writer *w, int64_t v)
{
    char digits[24], *p = digits + sizeof digits;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    separate(w);
    put(w, p, (size_t)(digits + sizeof digits - p));
}

void jw_bool(struct json_writer *w, int v)
{
    separate(w);
    if (v) put(w, "true", 4);
    else put(w, "false", 5);
}

void jw_value(struct json_writer *w, const cJSON *item)
{
    if (cJSON_IsRaw(item)) {
        separate(w);
        put(w, item->valuestring, strlen(item->valuestring));
    } else if (cJSON_IsString(item)) {
        jw_string(w, item->valuestring);
    } else if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(int64_t)d) {
            jw_int(w, (int64_t)d);
        } else if (d != d || d - d != 0) {
            separate(w); /* NaN and infinities have no JSON form: null, as cJSON */
            put(w, "null", 4);
        } else {
            char text[32];
            snprintf(text, sizeof text, "%1.17g", d);
            separate(w);
            put(w, text, strlen(text));
        }
    } else if (cJSON_IsBool(item)) {
        jw_bool(w, cJSON_IsTrue(item));
    } else if (cJSON_IsArray(item)) {
        jw_begin_array(w);
        for (const cJSON *child = item->child; child; child = child->next) jw_value(w, child);
        jw_end_array(w);
    } else if (cJSON_IsObject(item)) {
        jw_begin_object(w);
        for (const cJSON *child = item->child; child; child = child->next) {
            jw_key(w, child->string);
            jw_value(w, child);
        }
        jw_end_object(w);
    } else {
        separate(w);
        put(w, "null", 4);
    }
}

char *jw_take(struct json_writer *w)
{
    char *text = NULL;
    if (!w->failed) {
        w->buf[w->len] = '\0';
        text = w->buf;
        w->buf = NULL;
    }
    jw_free(w);
    return text;
}

cJSON *jw_take_raw(struct json_writer *w)
{
    char *text = jw_take(w);
    cJSON *raw = text ? cJSON_CreateRaw("") : NULL;
    if (!raw) {
        free(text);
        return NULL;
    }
    /* The item takes the buffer instead of a copy (a page or a bulk answer
     * is megabytes): cJSON frees with free(), as this library never installs
     * other hooks (cJSON_InitHooks). */
    free(raw->valuestring);
    raw->valuestring = text;
    return raw;
}
