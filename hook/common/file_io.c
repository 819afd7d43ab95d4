#include "file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *read_stream(FILE *f, size_t *len);

char *file_read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    return f ? read_stream(f, len) : NULL;
}

char *state_file_read(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return NULL;
    }
    return read_stream(f, len);
}

/* Reads f to its end and closes it. */
static char *read_stream(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        errno = failed ? EIO : ENOMEM;
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static int sync_directory_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy) return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int file_write_atomic(const char *path, const char *data, size_t len, char *err,
                      size_t err_len)
{
    size_t tmp_len = strlen(path) + 16;
    char *tmp = malloc(tmp_len);
    if (!tmp) return snprintf(err, err_len, "out of memory"), -1;
    snprintf(tmp, tmp_len, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, err_len, "cannot create a file in the directory of %s: %s", path,
                 strerror(errno));
        free(tmp);
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        done += (size_t)w;
    }
    int ok = done == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    sync_directory_of(path);
    return 0;
}

int file_replace(const char *from, const char *to, char *err, size_t err_len)
{
    if (rename(from, to) != 0) {
        snprintf(err, err_len, "cannot replace %s: %s", to, strerror(errno));
        return -1;
    }
    sync_directory_of(to);
    return 0;
}

void json_strip_comments(char *text)
{
    char *p = text;
    while (*p) {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1]) p++;
            if (*p) p++;
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            while (*p && *p != '\n') *p++ = ' ';
        } else if (p[0] == '/' && p[1] == '*') {
            while (*p && !(p[0] == '*' && p[1] == '/')) {
                if (*p != '\n') *p = ' ';
                p++;
            }
            if (*p) p[0] = p[1] = ' ', p += 2;
        } else {
            p++;
        }
    }
}

void state_file_path(const char *state_directory, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", state_directory, name);
}

int state_directory_ensure(const char *dir, char *err, size_t err_len)
{
    struct stat sb;
    if (mkdir(dir, 0750) == 0 || (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return 0;
    snprintf(err, err_len, "the state directory %s is missing and cannot be created: %s", dir,
             strerror(errno == EEXIST ? ENOTDIR : errno));
    return -1;
}
