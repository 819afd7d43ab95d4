/* The fake host's files: the operator's configuration (-c) and the state
 * directory with the managed HA fragment, as a Kea install has them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "file_io.h"
#include "win_cmds.h"

#define FRAGMENT_NONE "// kea-win-cmds: no failover relationship\n"

static char state_dir[256];

static char *read_text(const char *path)
{
    return file_read_all(path, NULL);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fputs(text, f);
    fclose(f);
}

/* config_json with the include inserted before the "]" that closes its
 * hooks-libraries list. */
static char *with_include(const char *config_json, const char *fragment)
{
    const char *p = strstr(config_json, "\"hooks-libraries\"");
    if (!p || !(p = strchr(p, '['))) abort();
    int depth = 0;
    for (;; p++) {
        if (*p == '"')
            for (p++; *p != '"'; p++) p += *p == '\\';
        else if (*p == '[' || *p == '{')
            depth++;
        else if ((*p == ']' || *p == '}') && --depth == 0)
            break;
        if (!*p) abort();
    }
    size_t size = strlen(config_json) + strlen(fragment) + 32;
    char *text = malloc(size);
    snprintf(text, size, "%.*s <?include \"%s\"?> %s", (int)(p - config_json), config_json,
             fragment, p);
    return text;
}

static void use(const char *config_json, int add_include)
{
    snprintf(state_dir, sizeof state_dir, "/tmp/win-cmds-unit-XXXXXX");
    if (!mkdtemp(state_dir)) abort();
    char fragment[512];
    snprintf(fake.config_path, sizeof fake.config_path, "%s/kea-dhcp4.conf", state_dir);
    snprintf(fragment, sizeof fragment, "%s/ha-library.json", state_dir);
    char *text = add_include ? with_include(config_json, fragment) : strdup(config_json);
    write_text(fake.config_path, text);
    free(text);
    write_text(fragment, FRAGMENT_NONE);
    fake_restart(NULL);
}

void fake_restart(const char *extra_params)
{
    char params[1024], err[256];
    snprintf(params, sizeof params, "{\"server-ip\":\"192.0.2.1\",\"server-name\":\"KEA1\","
             "\"state-directory\":\"%s\"%s%s}", state_dir, extra_params ? "," : "",
             extra_params ? extra_params : "");
    if (win_cmds_configure(fake_host_table(), params, err, sizeof err) != 0) {
        fprintf(stderr, "configure failed: %s\n", err);
        abort();
    }
}

const char *fake_state_directory(void) { return state_dir; }

void fake_use_files(const char *config_json) { use(config_json, 1); }

void fake_use_files_as_is(const char *config_json) { use(config_json, 0); }

char *fake_operator_text(void)
{
    return read_text(fake.config_path);
}

char *fake_fragment_text(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/ha-library.json", state_dir);
    return read_text(path);
}

char *fake_config_text(void)
{
    char *text = read_text(fake.config_path);
    if (!text) return NULL;
    char *open = strstr(text, "<?include \""), *close = open ? strstr(open, "\"?>") : NULL;
    if (close) {
        char path[512];
        snprintf(path, sizeof path, "%.*s", (int)(close - open - 11), open + 11);
        char *fragment = read_text(path);
        size_t size = strlen(text) + (fragment ? strlen(fragment) : 0) + 1;
        char *joined = malloc(size);
        snprintf(joined, size, "%.*s%s%s", (int)(open - text), text, fragment ? fragment : "",
                 close + 3);
        free(fragment);
        free(text);
        text = joined;
    }
    json_strip_comments(text);
    return text;
}
