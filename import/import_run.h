/* One import, start to end: read the export, map it, write DIR's files (or
 * --apply), the report, the summary. main.c only reads the command line. */
#ifndef IMPORT_RUN_H
#define IMPORT_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "import_apply.h"
#include "kea_target.h"

#define IMPORT_OK 0
#define IMPORT_FAILED 1
#define IMPORT_NOT_AN_EXPORT 2

struct import_options {
    enum kea_release release;
    int64_t now;
    struct apply_target apply;   /* target NULL: write leases4.csv */
    const char *out, *export_path;
    int skip_expired;
    FILE *progress;              /* the progress line goes here (a terminal), or NULL */
};

/* IMPORT_OK, IMPORT_NOT_AN_EXPORT (nothing written) or IMPORT_FAILED, with
 * one line in err. The summary goes to summary (NULL: nowhere). */
int import_run(const struct import_options *o, FILE *summary, char *err, size_t err_len);

#endif
