#include "queue_file.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_io.h"
#include "win_enums.h"
#include "win_stats.h"

/* The waiting changes per relationship, and the file they were counted
 * from (a file changed behind the hook's back is counted again). A name
 * stays once seen, with 0 when its changes are gone, so that its
 * unreplicated-changes statistic is set whenever its count moves. */
struct tally {
    char *name;
    size_t changes;
    long long published; /* the value last set in the statistic; -1: none */
};
static struct {
    int known;
    int present;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    struct tally *items;
    size_t count;
} counted;

static void path_of(const struct win_ctx *ctx, const char *name, char *out, size_t size)
{
    state_file_path(ctx->config->state_directory, name, out, size);
}

void queue_file_reset(void)
{
    for (size_t i = 0; i < counted.count; i++) free(counted.items[i].name);
    free(counted.items);
    memset(&counted, 0, sizeof counted);
}

static void stamp_from(const struct stat *info)
{
    counted.present = info != NULL;
    if (!info) return;
    counted.dev = info->st_dev;
    counted.ino = info->st_ino;
    counted.size = info->st_size;
    counted.mtime = info->st_mtim;
}

static int stamp_matches(const struct win_ctx *ctx)
{
    char path[FILE_PATH_MAX];
    struct stat info;
    path_of(ctx, REPL_QUEUE_FILE, path, sizeof path);
    if (lstat(path, &info) != 0) return !counted.present;
    return counted.present && info.st_dev == counted.dev && info.st_ino == counted.ino &&
           info.st_size == counted.size && info.st_mtim.tv_sec == counted.mtime.tv_sec &&
           info.st_mtim.tv_nsec == counted.mtime.tv_nsec;
}

static void restamp(const struct win_ctx *ctx)
{
    char path[FILE_PATH_MAX];
    struct stat info;
    path_of(ctx, REPL_QUEUE_FILE, path, sizeof path);
    stamp_from(lstat(path, &info) == 0 ? &info : NULL);
}

static void tally_add(const char *name, size_t changes)
{
    for (size_t i = 0; i < counted.count; i++)
        if (strcmp(counted.items[i].name, name) == 0) {
            counted.items[i].changes += changes;
            return;
        }
    struct tally *grown = realloc(counted.items, (counted.count + 1) * sizeof *grown);
    char *copy = strdup(name);
    if (!grown || !copy) {
        free(copy);
        if (grown) counted.items = grown;
        counted.known = 0; /* counted again next time */
        return;
    }
    counted.items = grown;
    counted.items[counted.count++] = (struct tally){copy, changes, -1};
}

static void tally_clear(void)
{
    for (size_t i = 0; i < counted.count; i++) counted.items[i].changes = 0;
}

/* Each relationship's unreplicated-changes statistic that moved, set (not
 * while the count is unknown: a queue that could not be read is not empty). */
static void publish(const struct win_ctx *ctx)
{
    for (size_t i = 0; counted.known && i < counted.count; i++) {
        struct tally *t = &counted.items[i];
        if ((long long)t->changes == t->published) continue;
        win_stat_unreplicated(ctx->host, t->name, t->changes);
        t->published = (long long)t->changes;
    }
}

cJSON *queue_line_parse(const char *line, char *why)
{
    cJSON *j = cJSON_Parse(line);
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "relationship");
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(j, "op");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(op, "op");
    if (!j) snprintf(why, WIN_TEXT_MAX, "not JSON");
    else if (!cJSON_IsString(r)) snprintf(why, WIN_TEXT_MAX, "no relationship");
    else if (!cJSON_IsString(kind)) snprintf(why, WIN_TEXT_MAX, "no op");
    else return j;
    cJSON_Delete(j);
    return NULL;
}

static int is_change(const cJSON *line)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(line, "op"), "op");
    return strcmp(kind->valuestring, "abort") != 0;
}

void queue_file_set_aside(const struct win_ctx *ctx, const char *line, size_t len,
                          const char *why)
{
    char path[FILE_PATH_MAX], *text = malloc(len + 1);
    path_of(ctx, REPL_QUEUE_REJECTED, path, sizeof path);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    int saved = 0;
    if (fd >= 0 && text) {
        memcpy(text, line, len);
        text[len] = '\n';
        saved = write(fd, text, len + 1) == (ssize_t)(len + 1) && fsync(fd) == 0;
    }
    int error = errno;
    if (fd >= 0) close(fd);
    free(text);
    /* The line whole in the log when it could not be kept aside; else its start. */
    size_t shown = saved && len > 2000 ? 2000 : len;
    char *quoted = malloc(shown + sizeof "...");
    if (!quoted) return;
    snprintf(quoted, shown + sizeof "...", "%.*s%s", (int)shown, line, shown < len ? "..." : "");
    if (saved)
        WIN_LOG(ctx->host, WIN_CMDS_QUEUE_LINE_SET_ASIDE, why, path, quoted);
    else
        WIN_LOG(ctx->host, WIN_CMDS_QUEUE_LINE_DROPPED, why, path, strerror(error), quoted);
    free(quoted);
}

static int replace_text(const struct win_ctx *ctx, const char *text, size_t len);

/* Counts the queue from its text; the lines that cannot be read (a torn last
 * line among them) are set aside and the file rewritten without them. */
static void derive(const struct win_ctx *ctx)
{
    char path[FILE_PATH_MAX], why[WIN_TEXT_MAX];
    path_of(ctx, REPL_QUEUE_FILE, path, sizeof path);
    tally_clear();
    counted.known = 1;
    size_t len = 0;
    char *text = state_file_read(path, &len);
    if (!text) {
        if (errno != ENOENT) {
            snprintf(why, sizeof why, "%.300s: %s", path, strerror(errno));
            WIN_LOG(ctx->host, WIN_CMDS_QUEUE_UNREADABLE, why);
            counted.known = 0;
        }
        restamp(ctx);
        return;
    }
    char *kept = malloc(len + 1), *o = kept;
    int dropped = 0;
    for (char *line = text; kept && line < text + len;) {
        char *end = memchr(line, '\n', (size_t)(text + len - line));
        size_t n = end ? (size_t)(end - line) : (size_t)(text + len - line);
        if (!end) {
            queue_file_set_aside(ctx, line, n, "its end is missing: cut short by a crash while "
                                 "it was written");
            dropped = 1;
            break;
        }
        *end = '\0';
        cJSON *j = n ? queue_line_parse(line, why) : NULL;
        if (j) {
            tally_add(cJSON_GetObjectItemCaseSensitive(j, "relationship")->valuestring,
                      is_change(j));
            memcpy(o, line, n);
            o[n] = '\n';
            o += n + 1;
            cJSON_Delete(j);
        } else {
            if (n) queue_file_set_aside(ctx, line, n, why);
            dropped = 1;
        }
        line = end + 1;
    }
    if (kept && dropped && replace_text(ctx, kept, (size_t)(o - kept)) < 0) counted.known = 0;
    restamp(ctx);
    if (!kept) counted.known = 0;
    free(kept);
    free(text);
}

static void ensure_counted(const struct win_ctx *ctx)
{
    if (counted.known && stamp_matches(ctx)) return;
    derive(ctx);
    publish(ctx);
}

/* The statistics are set by the caller, for the stored relationships only:
 * a deleted relationship's changes may still wait here, its statistics gone. */
void queue_file_open(const struct win_ctx *ctx)
{
    queue_file_reset();
    derive(ctx);
    for (size_t i = 0; i < counted.count; i++)
        counted.items[i].published = (long long)counted.items[i].changes;
}

size_t queue_file_count(const struct win_ctx *ctx, const char *relationship)
{
    ensure_counted(ctx);
    size_t n = 0;
    for (size_t i = 0; i < counted.count; i++)
        if (!relationship || strcmp(counted.items[i].name, relationship) == 0)
            n += counted.items[i].changes;
    return n;
}

/* The queue's content replaced by text (len 0: the file removed). */
static int replace_text(const struct win_ctx *ctx, const char *text, size_t len)
{
    char path[FILE_PATH_MAX], err[FILE_PATH_MAX + 128];
    path_of(ctx, REPL_QUEUE_FILE, path, sizeof path);
    int rc = len == 0 ? (unlink(path) == 0 || errno == ENOENT ? 0 : -1)
                      : file_write_atomic(path, text, len, err, sizeof err);
    if (rc < 0) {
        if (len == 0) snprintf(err, sizeof err, "cannot remove %s: %s", path, strerror(errno));
        WIN_LOG(ctx->host, WIN_CMDS_QUEUE_NOT_WRITTEN, err);
    }
    return rc;
}

int queue_file_rewrite(const struct win_ctx *ctx, const char *text, size_t len)
{
    if (replace_text(ctx, text, len) < 0) {
        counted.known = 0; /* counted again from whatever the file holds */
        return -1;
    }
    /* Counted from the lines written (the queue's own: all readable), so
     * that the next change does not read the file again. */
    char *copy = malloc(len + 1), why[WIN_TEXT_MAX];
    tally_clear();
    counted.known = copy != NULL;
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
        for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
            cJSON *j = queue_line_parse(line, why);
            if (j) tally_add(cJSON_GetObjectItemCaseSensitive(j, "relationship")->valuestring,
                             is_change(j));
            cJSON_Delete(j);
        }
    }
    free(copy);
    restamp(ctx);
    publish(ctx);
    return 0;
}

/* The last byte of the open queue fd is a newline (or the file is empty). */
static int ends_whole(int fd, off_t size)
{
    char last = '\n';
    return size == 0 || (pread(fd, &last, 1, size - 1) == 1 && last == '\n');
}

int queue_file_append(const struct win_ctx *ctx, const char *relationship, size_t changes,
                      const char *text, size_t len, struct win_status *st)
{
    char path[FILE_PATH_MAX];
    path_of(ctx, REPL_QUEUE_FILE, path, sizeof path);
    ensure_counted(ctx);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    struct stat info;
    if (fd >= 0 && fstat(fd, &info) == 0 && !ends_whole(fd, info.st_size)) {
        /* Torn since it was counted: set it aside first. */
        close(fd);
        derive(ctx);
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    }
    off_t base = fd >= 0 && fstat(fd, &info) == 0 ? info.st_size : -1;
    size_t done = 0;
    int ok = base >= 0 && ends_whole(fd, base);
    while (ok && done < len) {
        ssize_t w = pwrite(fd, text + done, len - done, base + (off_t)done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = ENOSPC;
            ok = 0;
        } else {
            done += (size_t)w;
        }
    }
    ok = ok && fsync(fd) == 0;
    int error = errno;
    if (!ok && base >= 0) {
        /* Nothing of this append may stay behind for the next to merge with. */
        if (ftruncate(fd, base) != 0 || fsync(fd) != 0) counted.known = 0;
    }
    if (fd >= 0) {
        if (fstat(fd, &info) == 0) stamp_from(&info);
        close(fd);
    }
    if (ok && changes) tally_add(relationship, changes);
    publish(ctx);
    if (!ok)
        return win_fail(st, ERROR_DHCP_JET_ERROR, "cannot queue the change for the partner in "
                        "%s: %s; nothing changed", path, strerror(error ? error : EIO));
    return 0;
}

/* The resync flags: one relationship name a line, as a JSON string. */
static int resync_names(const struct win_ctx *ctx, cJSON **names)
{
    char path[FILE_PATH_MAX];
    path_of(ctx, REPL_RESYNC_FILE, path, sizeof path);
    *names = cJSON_CreateArray();
    char *text = state_file_read(path, NULL);
    if (!text) return errno == ENOENT ? 0 : -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *name = cJSON_Parse(line);
        if (cJSON_IsString(name)) cJSON_AddItemToArray(*names, name);
        else cJSON_Delete(name);
    }
    free(text);
    return 0;
}

static int find_name(const cJSON *names, const char *relationship)
{
    int i = 0;
    const cJSON *n;
    cJSON_ArrayForEach(n, names)
    {
        if (strcmp(n->valuestring, relationship) == 0) return i;
        i++;
    }
    return -1;
}

int queue_resync_needed(const struct win_ctx *ctx, const char *relationship)
{
    cJSON *names;
    resync_names(ctx, &names);
    int needed = find_name(names, relationship) >= 0;
    cJSON_Delete(names);
    return needed;
}

static int resync_save(const struct win_ctx *ctx, const cJSON *names)
{
    char path[FILE_PATH_MAX], err[FILE_PATH_MAX + 128];
    path_of(ctx, REPL_RESYNC_FILE, path, sizeof path);
    size_t size = 1, used = 0;
    char *text = calloc(1, 1);
    const cJSON *n;
    cJSON_ArrayForEach(n, names)
    {
        char *line = cJSON_PrintUnformatted(n);
        char *grown = line && text ? realloc(text, size + strlen(line) + 1) : NULL;
        if (!grown) {
            free(line);
            free(text);
            WIN_LOG(ctx->host, WIN_CMDS_RESYNC_FLAGS_NOT_SAVED, "out of memory");
            return -1;
        }
        text = grown;
        size += strlen(line) + 1;
        used += (size_t)sprintf(text + used, "%s\n", line);
        free(line);
    }
    int rc = used == 0 ? (unlink(path) == 0 || errno == ENOENT ? 0 : -1)
                       : file_write_atomic(path, text, used, err, sizeof err);
    if (rc < 0) {
        if (used == 0) snprintf(err, sizeof err, "cannot remove %s: %s", path, strerror(errno));
        WIN_LOG(ctx->host, WIN_CMDS_RESYNC_FLAGS_NOT_SAVED, err);
    }
    free(text);
    return rc;
}

/* Marks relationship as needing a resync (needed) or not, saving the list
 * only when that changes it. */
static int resync_flag(const struct win_ctx *ctx, const char *relationship, int needed)
{
    cJSON *names;
    int rc = 0;
    resync_names(ctx, &names);
    int at = find_name(names, relationship);
    if (needed != (at >= 0)) {
        if (needed) cJSON_AddItemToArray(names, cJSON_CreateString(relationship));
        else cJSON_DeleteItemFromArray(names, at);
        rc = resync_save(ctx, names);
    }
    cJSON_Delete(names);
    return rc;
}

int queue_resync_mark(const struct win_ctx *ctx, const char *relationship)
{
    return resync_flag(ctx, relationship, 1);
}

int queue_resync_clear(const struct win_ctx *ctx, const char *relationship)
{
    return resync_flag(ctx, relationship, 0);
}
