/* The lease pass: each exported IPv4 lease becomes a row of the release's
 * memfile lease file, or a record of a win-client-info-vq-create bulk
 * request (--apply), with the Windows fields the hook keeps. */
#ifndef MAP_LEASES_H
#define MAP_LEASES_H

#include <stdio.h>

#include "import.h"

struct import_apply;

struct lease_pass {
    struct import_ctx *ctx;
    FILE *csv;                     /* NULL with --apply */
    struct import_apply *apply;    /* NULL without --apply */
    uint32_t *seen;                /* open-addressing set of imported addresses */
    size_t seen_cap, seen_count;
    int failed;
};

int lease_pass_run(struct lease_pass *pass, const char *export_path, char *err,
                   size_t err_len);

#endif
