/* kea-win-import: a Windows Export-DhcpServer file becomes a Kea server.
 *
 *   kea-win-import [--kea 2.2|2.6|3.0] [--now ISO-8601] [--apply SOCKET-OR-URL]
 *                  [--skip-expired] --out DIR EXPORT.xml
 *
 * Writes DIR/kea-dhcp4.conf, DIR/leases4.csv (not with --apply) and
 * DIR/import-report.json (import_run.c). Exit 0 (the report says what was
 * not mapped), 2 for a file that is not an export, 1 for anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "import_run.h"
#include "value_formats.h"

#ifndef WIN_IMPORT_DEFAULT_KEA
#define WIN_IMPORT_DEFAULT_KEA "2.2"
#endif

struct options {
    const char *kea, *now, *apply, *out, *export_path;
    int skip_expired;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: kea-win-import [--kea 2.2|2.6|3.0] [--now ISO-8601] "
               "[--apply SOCKET-OR-URL] [--skip-expired] --out DIR EXPORT.xml\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->kea = WIN_IMPORT_DEFAULT_KEA;
    for (int i = 1; i < argc; i++) {
        const char **value = strcmp(argv[i], "--kea") == 0     ? &o->kea
                             : strcmp(argv[i], "--now") == 0   ? &o->now
                             : strcmp(argv[i], "--apply") == 0 ? &o->apply
                             : strcmp(argv[i], "--out") == 0   ? &o->out : NULL;
        if (value) {
            if (++i == argc) {
                fprintf(stderr, "kea-win-import: %s needs a value\n", argv[i - 1]);
                return -1;
            }
            *value = argv[i];
        } else if (strcmp(argv[i], "--skip-expired") == 0) {
            o->skip_expired = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "kea-win-import: unknown option %s\n", argv[i]);
            return -1;
        } else if (o->export_path) {
            fprintf(stderr, "kea-win-import: one export at a time\n");
            return -1;
        } else {
            o->export_path = argv[i];
        }
    }
    if (!o->out || !o->export_path) {
        usage(stderr);
        return -1;
    }
    return 0;
}

static int parse_now(const char *text, int64_t *now)
{
    char *end;
    int infinite = 0;
    if (!text) {
        *now = (int64_t)time(NULL);
        return 0;
    }
    long long v = strtoll(text, &end, 10);
    if (*text && !*end && v > 0) {
        *now = v;
        return 0;
    }
    return win_datetime_parse(text, now, &infinite) == 0 && !infinite ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct options a;
    struct import_options o;
    char err[1024] = "";
    if (parse_args(argc, argv, &a) < 0) return IMPORT_FAILED;
    memset(&o, 0, sizeof o);
    o.apply = a.apply, o.out = a.out, o.export_path = a.export_path;
    o.skip_expired = a.skip_expired;
    if (!(o.release = kea_release_parse(a.kea))) {
        fprintf(stderr, "kea-win-import: --kea must be 2.2, 2.6 or 3.0, not '%s'\n", a.kea);
        return IMPORT_FAILED;
    }
    if (parse_now(a.now, &o.now) < 0) {
        fprintf(stderr, "kea-win-import: --now must be ISO-8601 UTC (2026-12-01T00:00:00Z) or "
                        "seconds since 1970\n");
        return IMPORT_FAILED;
    }
    int rc = import_run(&o, stdout, err, sizeof err);
    if (rc != IMPORT_OK) fprintf(stderr, "kea-win-import: %s\n", err);
    return rc;
}
