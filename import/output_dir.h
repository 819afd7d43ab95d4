/* The output directory: every file the importer makes in DIR is created
 * relative to DIR's descriptor with O_CREAT|O_EXCL|O_NOFOLLOW (mode 0600), so
 * nothing planted in DIR (a symbolic link, a file) is ever followed or
 * written through; the outputs are renamed into place at the end, 0640,
 * and only over regular files or nothing. */
#ifndef OUTPUT_DIR_H
#define OUTPUT_DIR_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

enum output_file { OUT_CONFIG, OUT_LEASES, OUT_REPORT, OUT_COUNT };

struct output_dir {
    int fd;                        /* DIR, or -1 */
    const char *path;              /* DIR as given */
    volatile sig_atomic_t created[OUT_COUNT]; /* the temporary is ours: removed on failure */
};

/* The outputs' names and their temporaries' (for messages and tests). */
const char *output_name(enum output_file f);
const char *output_temporary_name(enum output_file f);

/* mkdir -p DIR (0750) and opens it: 0, or -1 with a sentence in err. */
int output_dir_open(struct output_dir *d, const char *path, char *err, size_t err_len);

/* The temporary of f, created exclusively, as a stream for writing: NULL
 * with a sentence in err (naming a planted link or a leftover). */
FILE *output_temporary(struct output_dir *d, enum output_file f, char *err, size_t err_len);

/* A scratch file only the importer sees: created exclusively under name,
 * then unlinked at once (read and written through the stream only). */
FILE *output_scratch(struct output_dir *d, const char *name, char *err, size_t err_len);

/* Closes a temporary's stream after syncing it, mode 0640: 0, or -1. */
int output_close(FILE *f);

/* Checks that no output is anything but a regular file or absent, then
 * renames the temporaries of the files in want (OUT_COUNT entries, 1 = yes)
 * over them and syncs DIR: 0, or -1 with a sentence in err. */
int output_commit(struct output_dir *d, const int want[OUT_COUNT], char *err, size_t err_len);

/* Removes the temporaries this run created and closes DIR. */
void output_dir_close(struct output_dir *d);

#endif
