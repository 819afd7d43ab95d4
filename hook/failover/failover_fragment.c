/* The managed HA fragment: how the operator's configuration takes it, and its
 * text. Kea reads an include directive as if the file's text stood in its
 * place, so the fragment carries the comma that joins it to the entries
 * before it, and with no relationship holds a comment only. */
#include "failover_fragment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "failover_ha.h"
#include "file_io.h"
#include "json_fields.h"
#include "value_formats.h"

#define HA_LIBRARY "libdhcp_ha.so"
#define LEASE_CMDS_LIBRARY "libdhcp_lease_cmds.so"
#define DIRECTIVE "<?include"
/* What stands for the include when the configuration is parsed here. */
#define MARKER "kea-win-cmds:ha-fragment"

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return strcmp(a, b) == 0 || (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
                                 sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

/* The include of fragment_path in text with its comments blanked out: the
 * directive's bounds [*start, *end) and its path's (*at, *len). */
static int find_include(const char *stripped, const char *fragment_path, size_t *start,
                        size_t *end, size_t *at, size_t *len)
{
    for (const char *p = strstr(stripped, DIRECTIVE); p; p = strstr(p + 1, DIRECTIVE)) {
        const char *q = p + strlen(DIRECTIVE);
        q += strspn(q, " \t");
        if (*q != '"') continue;
        const char *path = q + 1, *close = strchr(path, '"');
        if (!close || memchr(path, '\n', (size_t)(close - path))) continue;
        const char *after = close + 1 + strspn(close + 1, " \t");
        if (strncmp(after, "?>", 2) != 0) continue;
        char *name = strndup(path, (size_t)(close - path));
        int ours = name && same_file(name, fragment_path);
        free(name);
        if (!ours) continue;
        *start = (size_t)(p - stripped);
        *end = (size_t)(after + 2 - stripped);
        *at = (size_t)(path - stripped);
        *len = (size_t)(close - path);
        return 0;
    }
    return -1;
}

int fo_fragment_include(const char *config_text, const char *fragment_path, size_t *at,
                        size_t *len)
{
    char *stripped = strdup(config_text);
    size_t start, end;
    if (!stripped) return -1;
    json_strip_comments(stripped);
    int rc = find_include(stripped, fragment_path, &start, &end, at, len);
    free(stripped);
    return rc;
}

static int library_is(const cJSON *entry, const char *name)
{
    const cJSON *lib = cJSON_GetObjectItemCaseSensitive(entry, "library");
    if (!cJSON_IsString(lib)) return 0;
    const char *base = strrchr(lib->valuestring, '/');
    return strcmp(base ? base + 1 : lib->valuestring, name) == 0;
}

static const cJSON *find_library(const cJSON *libs, const char *name)
{
    const cJSON *entry;
    cJSON_ArrayForEach(entry, libs)
    if (library_is(entry, name)) return entry;
    return NULL;
}

/* The configuration with the include replaced by a marker entry, parsed. */
static cJSON *parse_around_include(const char *text, const char *fragment_path)
{
    char *stripped = strdup(text);
    if (!stripped) return NULL;
    json_strip_comments(stripped);
    size_t start, end, at, len;
    cJSON *root = NULL;
    if (find_include(stripped, fragment_path, &start, &end, &at, &len) == 0) {
        size_t size = strlen(stripped) + sizeof ", \"" MARKER "\"";
        char *joined = malloc(size);
        if (joined) {
            snprintf(joined, size, "%.*s, \"" MARKER "\"%s", (int)start, stripped,
                     stripped + end);
            root = jf_parse(joined);
            free(joined);
        }
    }
    free(stripped);
    return root;
}

int fo_fragment_check_config(const char *path, const char *text, const char *fragment_path,
                             int relationships, char *lease_cmds, struct win_status *st)
{
    cJSON *root = parse_around_include(text, fragment_path);
    const cJSON *dhcp4 = cJSON_GetObjectItemCaseSensitive(root, "Dhcp4");
    const cJSON *libs = cJSON_GetObjectItemCaseSensitive(dhcp4, "hooks-libraries");
    const cJSON *last = cJSON_IsArray(libs) ? cJSON_GetArrayItem(libs,
                                                                 cJSON_GetArraySize(libs) - 1)
                                            : NULL;
    int rc = 0;
    lease_cmds[0] = '\0';
    if (!cJSON_IsObject(dhcp4)) {
        rc = win_fail(st, ERROR_DHCP_JET_ERROR,
                      "%s could not be read as a kea-dhcp4 configuration taking <?include "
                      "\"%s\"?> as the last thing inside its \"hooks-libraries\" list, "
                      "after this hook's entry and with no comma before it (JSON with "
                      "comments and a Dhcp4 map; other include directives are not followed); "
                      "nothing changed", path, fragment_path);
    } else if (!cJSON_IsString(last) || strcmp(last->valuestring, MARKER) != 0) {
        rc = win_fail(st, ERROR_DHCP_JET_ERROR,
                      "%s must take <?include \"%s\"?> as the last thing inside its "
                      "\"hooks-libraries\" list, after this hook's entry and with no comma "
                      "before it; nothing changed", path, fragment_path);
    } else if (relationships && find_library(libs, HA_LIBRARY)) {
        rc = win_fail(st, ERROR_DHCP_JET_ERROR,
                      "%s loads " HA_LIBRARY " itself: the failover relationships' HA entry "
                      "comes from %s only; remove that entry; nothing changed", path,
                      fragment_path);
    } else if (relationships && !find_library(libs, LEASE_CMDS_LIBRARY)) {
        rc = win_fail(st, ERROR_DHCP_JET_ERROR,
                      "%s does not load " LEASE_CMDS_LIBRARY ", which Kea HA needs: add "
                      "{ \"library\": \"" LEASE_CMDS_LIBRARY "\" } (with the path of Kea's "
                      "hooks directory) to its hooks-libraries; nothing changed", path);
    } else if (relationships) {
        const char *lib = cJSON_GetObjectItemCaseSensitive(find_library(libs,
                                                                        LEASE_CMDS_LIBRARY),
                                                           "library")->valuestring;
        const char *slash = strrchr(lib, '/');
        if (slash) snprintf(lease_cmds, FILE_PATH_MAX, "%.*s", (int)(slash - lib), lib);
    }
    cJSON_Delete(root);
    return rc;
}

/* With several relationships, the scopes of each (as comments: what the
 * hook names in memory is part of what Kea must reload). */
static void scope_comments(FILE *out, const struct fo_store *store)
{
    for (size_t i = 0; i < store->count; i++) {
        fprintf(out, "// scopes of high-availability[%zu]:", i);
        for (size_t j = 0; j < store->items[i].scope_count; j++) {
            char text[WIN_IPV4_TEXT];
            win_ipv4_format(store->items[i].scopes[j], text);
            fprintf(out, "%s %s", j && j % 8 == 0 ? "\n//  " : "", text);
        }
        fputc('\n', out);
    }
}

char *fo_fragment_text(const struct win_ctx *ctx, const struct fo_store *store,
                       const char *ha_library)
{
    if (store->count == 0) return strdup(FO_FRAGMENT_NONE);
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "library", ha_library);
    cJSON *list = cJSON_AddArrayToObject(cJSON_AddObjectToObject(entry, "parameters"),
                                         "high-availability");
    for (size_t i = 0; i < store->count; i++)
        cJSON_AddItemToArray(list, fo_ha_relationship(ctx, &store->items[i]));
    char *json = cJSON_Print(entry);
    cJSON_Delete(entry);
    char *text = NULL;
    size_t size;
    FILE *out = json ? open_memstream(&text, &size) : NULL;
    if (out) {
        fputs("// kea-win-cmds: the failover relationships' HA entry, kept by the hook "
              "(win-failover-*); do not edit\n", out);
        if (store->count > 1) scope_comments(out, store);
        fprintf(out, ", %s\n", json);
        if (fclose(out) != 0) {
            free(text);
            text = NULL;
        }
    }
    free(json);
    return text;
}

char *fo_fragment_retarget(const char *config_text, size_t at, size_t len, const char *path)
{
    size_t size = strlen(config_text) - len + strlen(path) + 1;
    char *text = malloc(size);
    if (text) snprintf(text, size, "%.*s%s%s", (int)at, config_text, path, config_text + at + len);
    return text;
}
