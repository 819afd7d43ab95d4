#include "output_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTPUT_MODE 0640   /* the lease file names clients: not for everyone */

static const char *const NAMES[OUT_COUNT] = {"kea-dhcp4.conf", "leases4.csv",
                                             "import-report.json"};
static const char *const TEMPORARIES[OUT_COUNT] = {"kea-dhcp4.conf.tmp", "leases4.csv.tmp",
                                                   "import-report.json.tmp"};

/* The run in progress, for the signal handler: an interrupted run removes its
 * temporaries, so that the next one does not meet them. */
static struct output_dir *volatile active;

const char *output_name(enum output_file f)
{
    return NAMES[f];
}

const char *output_temporary_name(enum output_file f)
{
    return TEMPORARIES[f];
}

static void say(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

static void remove_temporaries(struct output_dir *d)
{
    for (int f = 0; f < OUT_COUNT; f++)
        if (d->created[f]) unlinkat(d->fd, TEMPORARIES[f], 0), d->created[f] = 0;
}

static void on_signal(int sig)
{
    struct output_dir *d = active;
    if (d)
        for (int f = 0; f < OUT_COUNT; f++)
            if (d->created[f]) unlinkat(d->fd, TEMPORARIES[f], 0);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* mkdir -p: the output directory and any parent missing. */
static int make_directories(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0750) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0750) < 0 && errno != EEXIST ? -1 : 0;
}

int output_dir_open(struct output_dir *d, const char *path, char *err, size_t err_len)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    if (make_directories(path) < 0 ||
        (d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        d->fd = -1;
        return say(err, err_len, "cannot create %s: %s", path, strerror(errno)), -1;
    }
    active = d;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    return 0;
}

/* What is at name in DIR already, for the message. */
static const char *what_is_there(int dir, const char *name)
{
    struct stat st;
    if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return "something";
    return S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISREG(st.st_mode) ? "a file"
                                                                             : "not a file";
}

static int create_exclusive(struct output_dir *d, const char *name, char *err, size_t err_len)
{
    int fd = openat(d->fd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    if (errno == EEXIST)
        say(err, err_len, "%s/%s is there already (%s): not written through; remove it "
            "(a run that was killed leaves it)", d->path, name, what_is_there(d->fd, name));
    else
        say(err, err_len, "cannot write %s/%s: %s", d->path, name, strerror(errno));
    return -1;
}

FILE *output_temporary(struct output_dir *d, enum output_file f, char *err, size_t err_len)
{
    /* A signal between the create and its mark would leave the file: the
     * interrupting signals wait until the file is marked as this run's. */
    sigset_t interrupting, before;
    sigemptyset(&interrupting);
    sigaddset(&interrupting, SIGINT);
    sigaddset(&interrupting, SIGTERM);
    sigaddset(&interrupting, SIGHUP);
    sigprocmask(SIG_BLOCK, &interrupting, &before);
    int fd = create_exclusive(d, TEMPORARIES[f], err, err_len);
    if (fd >= 0) d->created[f] = 1;
    sigprocmask(SIG_SETMASK, &before, NULL);
    if (fd < 0) return NULL;
    FILE *stream = fdopen(fd, "w");
    if (!stream) {
        close(fd);
        say(err, err_len, "out of memory");
    }
    return stream;
}

FILE *output_scratch(struct output_dir *d, const char *name, char *err, size_t err_len)
{
    int fd = create_exclusive(d, name, err, err_len);
    if (fd < 0) return NULL;
    unlinkat(d->fd, name, 0);
    FILE *stream = fdopen(fd, "w+");
    if (!stream) {
        close(fd);
        say(err, err_len, "out of memory");
    }
    return stream;
}

int output_close(FILE *f)
{
    int bad = fflush(f) != 0 || fchmod(fileno(f), OUTPUT_MODE) < 0 || fsync(fileno(f)) < 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

int output_commit(struct output_dir *d, const int want[OUT_COUNT], char *err, size_t err_len)
{
    struct stat st;
    for (int f = 0; f < OUT_COUNT; f++) {
        if (!want[f] || fstatat(d->fd, NAMES[f], &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
        if (!S_ISREG(st.st_mode))
            return say(err, err_len, "%s/%s is %s: not replaced; remove it", d->path,
                       NAMES[f], what_is_there(d->fd, NAMES[f])), -1;
    }
    for (int f = 0; f < OUT_COUNT; f++) {
        if (!want[f]) continue;
        if (renameat(d->fd, TEMPORARIES[f], d->fd, NAMES[f]) < 0)
            return say(err, err_len, "cannot write %s/%s: %s", d->path, NAMES[f],
                       strerror(errno)), -1;
        d->created[f] = 0;
    }
    fsync(d->fd);
    return 0;
}

void output_dir_close(struct output_dir *d)
{
    if (d->fd < 0) return;
    remove_temporaries(d);
    if (active == d) active = NULL;
    close(d->fd);
    d->fd = -1;
}
