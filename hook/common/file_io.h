/* Whole-file reads and crash-safe writes: a write goes to a temporary file in
 * the same directory, is synced, and replaces the target by rename, so a
 * crash at any moment leaves either the old or the new content. */
#ifndef FILE_IO_H
#define FILE_IO_H

#include <stddef.h>

/* Room for a file's path: a directory of up to PATH_MAX (4096) bytes and a
 * file name in it. */
#define FILE_PATH_MAX 4200

/* The file's content, NUL-terminated (caller frees); NULL with errno set. */
char *file_read_all(const char *path, size_t *len);
/* As file_read_all for a file of the hook's state: a symbolic link there is
 * refused (ELOOP), never followed. */
char *state_file_read(const char *path, size_t *len);
/* 0 on success; -1 with a sentence in err. */
int file_write_atomic(const char *path, const char *data, size_t len, char *err,
                      size_t err_len);

/* Renames from onto to (the same directory) and syncs the directory: 0, or
 * -1 with a sentence in err. */
int file_replace(const char *from, const char *to, char *err, size_t err_len);

/* A file of the hook's state, in state_directory. */
void state_file_path(const char *state_directory, const char *name, char *out, size_t size);

/* Creates the state directory (its last component only, mode 0750) when it
 * is missing: 0 when it exists afterwards, -1 with a sentence in err. */
int state_directory_ensure(const char *dir, char *err, size_t err_len);

/* Kea configuration files may carry comments (#, //, slash-star); cJSON takes
 * none: blanks them out in place, leaving strings alone. */
void json_strip_comments(char *text);

#endif
