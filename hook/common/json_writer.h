/* JSON text written straight into one growing buffer. Answers that carry many
 * records (an enumeration page) render them this way: building a cJSON tree
 * first costs several allocations per field and a second pass to print it.
 * The text is what cJSON's printer gives for the same values, except whole
 * numbers of more than 15 digits, which cJSON rounds and this writes exactly. */
#ifndef JSON_WRITER_H
#define JSON_WRITER_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

struct json_writer {
    char *buf;
    size_t len, cap;
    int failed;    /* out of memory: the rest is dropped, jw_take gives NULL */
    int first;     /* nothing written yet in the open object or array */
    int after_key; /* a key was written: its value follows without a comma */
};

void jw_init(struct json_writer *w, size_t expected);
void jw_free(struct json_writer *w);

void jw_begin_object(struct json_writer *w);
void jw_end_object(struct json_writer *w);
void jw_begin_array(struct json_writer *w);
void jw_end_array(struct json_writer *w);
/* A member's name; its value is the next thing written. */
void jw_key(struct json_writer *w, const char *key);
/* The same for a string literal that needs no escaping (the names of our own
 * fields): written as one copy of "name":, with its length known at compile
 * time, since a record has a dozen and a page has a thousand records. */
#define JW_NAME(literal) "\"" literal "\":", sizeof(literal) + 2
#define JW_KEY(w, literal) jw_key_text((w), JW_NAME(literal))
void jw_key_text(struct json_writer *w, const char *quoted_key_colon, size_t len);
void jw_string(struct json_writer *w, const char *s);
void jw_int(struct json_writer *w, int64_t v);
void jw_bool(struct json_writer *w, int v);

/* Any cJSON tree, raw items verbatim. Whole numbers print as integers, the
 * rest with 17 significant digits (which read back exactly). */
void jw_value(struct json_writer *w, const cJSON *item);

/* The text (malloc'd, NUL-terminated), or NULL when memory ran out. The
 * writer is emptied either way. */
char *jw_take(struct json_writer *w);

/* The text as a cJSON raw item (printed verbatim inside a tree); NULL when
 * memory ran out. The writer is emptied either way. */
cJSON *jw_take_raw(struct json_writer *w);

#endif
