#include "failover_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_io.h"
#include "json_fields.h"

static void store_path(const struct win_config *cfg, char *out, size_t size)
{
    state_file_path(cfg->state_directory, FO_STORE_FILE, out, size);
}

/* The last file parsed, kept while the file is the same one: every change
 * of a pair record reads the store, on both partners. A save replaces the
 * file (a new inode); an edit in place changes its size or time, unless it
 * came within the file system's time granularity of the write before, so a
 * file written less than two seconds before it was parsed is not kept (as
 * git treats a "racily clean" index entry). */
static struct {
    int valid;
    char path[FILE_PATH_MAX];
    struct stat file;
    size_t count;
    struct fo_relationship items[FO_STORE_MAX];
} parsed;

static int settled(const struct stat *sb)
{
    struct timespec now;
    return clock_gettime(CLOCK_REALTIME, &now) == 0 && now.tv_sec - sb->st_mtim.tv_sec >= 2;
}

static int same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int parse(const char *path, const char *text, struct fo_store *store,
                 struct win_status *st)
{
    cJSON *root = jf_parse(text);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "relationships");
    int rc = 0;
    if (!cJSON_IsArray(list)) {
        rc = win_fail(st, ERROR_DHCP_JET_ERROR, "%s is not a relationship list", path);
    } else {
        const cJSON *item;
        cJSON_ArrayForEach(item, list)
        {
            struct win_status why;
            if (store->count == FO_STORE_MAX ||
                fo_decode_stored(item, &store->items[store->count], &why) < 0) {
                rc = win_fail(st, ERROR_DHCP_JET_ERROR, "%s holds a bad relationship: %s", path,
                              why.text);
                break;
            }
            store->count++;
        }
    }
    cJSON_Delete(root);
    return rc;
}

int fo_store_load(const struct win_config *cfg, struct fo_store *store, struct win_status *st)
{
    char path[sizeof parsed.path];
    store_path(cfg, path, sizeof path);
    /* Room for every relationship Windows allows; only the first count are set. */
    store->items = malloc(FO_STORE_MAX * sizeof *store->items);
    store->count = 0;
    if (!store->items) return win_fail(st, ERROR_DHCP_JET_ERROR, "out of memory");
    struct stat sb;
    int known = stat(path, &sb) == 0;
    if (known && parsed.valid && strcmp(parsed.path, path) == 0 && same_stat(&parsed.file, &sb)) {
        memcpy(store->items, parsed.items, parsed.count * sizeof *store->items);
        store->count = parsed.count;
        return 0;
    }
    parsed.valid = 0;
    char *text = state_file_read(path, NULL);
    if (!text) {
        if (errno == ENOENT) return 0;
        return win_fail(st, ERROR_DHCP_JET_ERROR, "cannot read %s: %s", path, strerror(errno));
    }
    int rc = parse(path, text, store, st);
    free(text);
    /* Kept only if the file read is still the one stat saw. */
    struct stat after;
    if (rc == 0 && known && stat(path, &after) == 0 && same_stat(&sb, &after) && settled(&sb)) {
        snprintf(parsed.path, sizeof parsed.path, "%s", path);
        parsed.file = sb;
        parsed.count = store->count;
        memcpy(parsed.items, store->items, store->count * sizeof *store->items);
        parsed.valid = 1;
    }
    return rc;
}

int fo_store_save(const struct win_config *cfg, const struct fo_store *store,
                  struct win_status *st)
{
    char path[FILE_PATH_MAX], err[512];
    store_path(cfg, path, sizeof path);
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "relationships");
    for (size_t i = 0; i < store->count; i++)
        cJSON_AddItemToArray(list, fo_encode(&store->items[i]));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    parsed.valid = 0;
    int rc = text ? file_write_atomic(path, text, strlen(text), err, sizeof err) : -1;
    free(text);
    if (rc < 0) return win_fail(st, ERROR_DHCP_JET_ERROR, "state file: %s", err);
    return 0;
}

int fo_store_snapshot(const struct win_config *cfg, char **text, struct win_status *st)
{
    char path[FILE_PATH_MAX];
    store_path(cfg, path, sizeof path);
    *text = state_file_read(path, NULL);
    if (!*text && errno != ENOENT)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "cannot read %s: %s; nothing changed", path,
                        strerror(errno));
    return 0;
}

int fo_store_restore(const struct win_config *cfg, const char *text, char *err, size_t size)
{
    char path[FILE_PATH_MAX];
    store_path(cfg, path, sizeof path);
    parsed.valid = 0;
    if (text) return file_write_atomic(path, text, strlen(text), err, size);
    if (unlink(path) == 0 || errno == ENOENT) return 0;
    snprintf(err, size, "cannot remove %s: %s", path, strerror(errno));
    return -1;
}

void fo_store_free(struct fo_store *store)
{
    free(store->items);
    store->items = NULL;
    store->count = 0;
}

struct fo_relationship *fo_store_find(const struct fo_store *store, const char *name)
{
    for (size_t i = 0; i < store->count; i++)
        if (strcmp(store->items[i].name, name) == 0) return &store->items[i];
    return NULL;
}

int fo_store_add(struct fo_store *store, const struct fo_relationship *rel)
{
    if (store->count == FO_STORE_MAX) return -1;
    store->items[store->count++] = *rel;
    return 0;
}

void fo_store_remove(struct fo_store *store, struct fo_relationship *rel)
{
    size_t i = (size_t)(rel - store->items);
    memmove(&store->items[i], &store->items[i + 1],
            (store->count - i - 1) * sizeof *store->items);
    store->count--;
}
