/* kea-win-import: a Windows Export-DhcpServer file becomes a Kea server.
 *
 *   kea-win-import [--kea 2.2|2.6|3.0] [--now ISO-8601] [--apply SOCKET-OR-URL]
 *                  [--skip-expired] --out DIR EXPORT.xml
 *
 * Writes DIR/kea-dhcp4.conf, DIR/leases4.csv (not with --apply) and
 * DIR/import-report.json, each through a temporary file renamed at the end,
 * so a failed run leaves DIR as it was. Exit 0 (the report says what was not
 * mapped), 2 for a file that is not an export, 1 for anything else. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import.h"
#include "import_apply.h"
#include "kea_config.h"
#include "map_leases.h"
#include "sha256.h"
#include "value_formats.h"

#ifndef WIN_IMPORT_DEFAULT_KEA
#define WIN_IMPORT_DEFAULT_KEA "2.2"
#endif
#ifndef WIN_IMPORT_VERSION
#define WIN_IMPORT_VERSION "0"
#endif

#define EXIT_NOT_AN_EXPORT 2

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

struct outputs {
    char config[4096], leases[4096], report[4096], spool[4096];
    char config_tmp[4200], leases_tmp[4200], report_tmp[4200];
};

static void output_paths(struct outputs *p, const char *dir)
{
    snprintf(p->config, sizeof p->config, "%s/kea-dhcp4.conf", dir);
    snprintf(p->leases, sizeof p->leases, "%s/leases4.csv", dir);
    snprintf(p->report, sizeof p->report, "%s/import-report.json", dir);
    snprintf(p->spool, sizeof p->spool, "%s/.import-report.items", dir);
    snprintf(p->config_tmp, sizeof p->config_tmp, "%s.tmp", p->config);
    snprintf(p->leases_tmp, sizeof p->leases_tmp, "%s.tmp", p->leases);
    snprintf(p->report_tmp, sizeof p->report_tmp, "%s.tmp", p->report);
}

static void remove_temporaries(const struct outputs *p)
{
    unlink(p->config_tmp);
    unlink(p->leases_tmp);
    unlink(p->report_tmp);
    unlink(p->spool);
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int bad = fputs(text, f) < 0 || fputc('\n', f) < 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

static cJSON *report_head(const struct options *o, struct import_ctx *ctx, const char *sha)
{
    cJSON *head = cJSON_CreateObject();
    char now[WIN_DATETIME_TEXT];
    const char *base = strrchr(o->export_path, '/');
    cJSON_AddStringToObject(head, "tool", "kea-win-import " WIN_IMPORT_VERSION);
    cJSON *src = cJSON_AddObjectToObject(head, "source");
    cJSON_AddStringToObject(src, "file", base ? base + 1 : o->export_path);
    cJSON_AddStringToObject(src, "sha256", sha);
    const char *major = xn_text(ctx->tree.root, "MajorVersion");
    const char *minor = xn_text(ctx->tree.root, "MinorVersion");
    if (major) cJSON_AddStringToObject(src, "major-version", major);
    if (minor) cJSON_AddStringToObject(src, "minor-version", minor);
    cJSON_AddBoolToObject(src, "exported-with-leases", ctx->tree.has_v4_leases_element);
    cJSON_AddNumberToObject(src, "characters-replaced", (double)ctx->tree.replaced_count);
    cJSON *target = cJSON_AddObjectToObject(head, "target");
    cJSON_AddStringToObject(target, "kea", kea_release_name(ctx->release));
    win_datetime_format(ctx->now, now);
    cJSON_AddStringToObject(target, "now", now);
    if (o->apply) cJSON_AddStringToObject(target, "apply", "win-client-info-vq-create");
    return head;
}

static void report_replacements(struct import_ctx *ctx)
{
    for (size_t i = 0; i < ctx->tree.replaced_count; i++) {
        char src[48];
        snprintf(src, sizeof src, "line %d", ctx->tree.replaced[i].line);
        report_item(&ctx->report, RK_OTHER, "character", REPORT_PARTIAL, src, NULL,
                    "U+%04X is not allowed in XML 1.0 (Windows writes it unchecked): replaced "
                    "by '?'", ctx->tree.replaced[i].code);
    }
}

int main(int argc, char **argv)
{
    struct options o;
    struct import_ctx ctx;
    struct outputs paths;
    char err[512] = "", sha[65];
    int rc = 1;
    FILE *csv = NULL;
    cJSON *config = NULL;
    struct import_apply *apply = NULL;

    if (parse_args(argc, argv, &o) < 0) return 1;
    memset(&ctx, 0, sizeof ctx);
    ctx.skip_expired = o.skip_expired;
    if (!(ctx.release = kea_release_parse(o.kea))) {
        fprintf(stderr, "kea-win-import: --kea must be 2.2, 2.6 or 3.0, not '%s'\n", o.kea);
        return 1;
    }
    if (parse_now(o.now, &ctx.now) < 0) {
        fprintf(stderr, "kea-win-import: --now must be ISO-8601 UTC (2026-12-01T00:00:00Z) or "
                        "seconds since 1970\n");
        return 1;
    }
    if (export_tree_read(o.export_path, &ctx.tree, err, sizeof err) < 0) {
        fprintf(stderr, "kea-win-import: %s: %s\n", o.export_path, err);
        return access(o.export_path, R_OK) == 0 ? EXIT_NOT_AN_EXPORT : 1;
    }
    if (!xn_child(ctx.tree.root, "MajorVersion") ||
        (!xn_child(ctx.tree.root, "IPv4") && !xn_child(ctx.tree.root, "IPv6"))) {
        fprintf(stderr, "kea-win-import: %s: not an Export-DhcpServer file: <DHCPServer> has "
                        "no MajorVersion, IPv4 or IPv6\n", o.export_path);
        export_tree_free(&ctx.tree);
        return EXIT_NOT_AN_EXPORT;
    }
    if (sha256_file_hex(o.export_path, sha) < 0) {
        fprintf(stderr, "kea-win-import: cannot read %s\n", o.export_path);
        goto done;
    }
    if (mkdir(o.out, 0750) < 0 && errno != EEXIST) {
        fprintf(stderr, "kea-win-import: cannot create %s: %s\n", o.out, strerror(errno));
        goto done;
    }
    output_paths(&paths, o.out);
    if (report_open(&ctx.report, paths.spool) < 0) {
        fprintf(stderr, "kea-win-import: cannot write in %s: %s\n", o.out, strerror(errno));
        goto done;
    }
    config = kea_config_begin(&ctx);
    report_replacements(&ctx);
    map_server(&ctx);
    if (map_scopes(&ctx) < 0) goto oom;
    if (o.apply) {
        if (!(apply = import_apply_open(&ctx, o.apply, err, sizeof err))) goto failed;
    } else if (!(csv = fopen(paths.leases_tmp, "w"))) {
        snprintf(err, sizeof err, "cannot write %s: %s", paths.leases_tmp, strerror(errno));
        goto failed;
    }
    struct lease_pass pass = {&ctx, csv, apply, NULL, 0, 0, 0};
    if (lease_pass_run(&pass, o.export_path, err, sizeof err) < 0) goto failed;
    map_server_finish(&ctx);
    map_not_in_export(&ctx);
    uint64_t attempts = 0;
    iv_uint(xn_text(xn_child(ctx.tree.root, "IPv4"), "ConflictDetectionAttempts"), 5, &attempts);
    kea_config_finish(&ctx, (unsigned)attempts);
    char *text = cJSON_Print(config);
    if (!text || write_text(paths.config_tmp, text) < 0) {
        free(text);
        snprintf(err, sizeof err, "cannot write %s", paths.config_tmp);
        goto failed;
    }
    free(text);
    if (csv && fclose(csv) != 0) {
        csv = NULL;
        snprintf(err, sizeof err, "cannot write %s", paths.leases_tmp);
        goto failed;
    }
    csv = NULL;
    cJSON *head = report_head(&o, &ctx, sha);
    int written = report_write(&ctx.report, head, paths.report_tmp);
    cJSON_Delete(head);
    if (written < 0) {
        snprintf(err, sizeof err, "cannot write %s", paths.report_tmp);
        goto failed;
    }
    if (rename(paths.config_tmp, paths.config) < 0 ||
        (!o.apply && rename(paths.leases_tmp, paths.leases) < 0) ||
        rename(paths.report_tmp, paths.report) < 0) {
        snprintf(err, sizeof err, "cannot write in %s: %s", o.out, strerror(errno));
        goto failed;
    }
    report_print_summary(&ctx.report, stdout);
    if (apply) printf("applied: %zu records created on %s\n", import_apply_created(apply), o.apply);
    printf("wrote: %s%s%s\n", paths.config, o.apply ? "" : ", ", o.apply ? "" : paths.leases);
    printf("report: %s\n", paths.report);
    rc = 0;
    goto cleanup;
oom:
    snprintf(err, sizeof err, "out of memory");
failed:
    fprintf(stderr, "kea-win-import: %s\n", err);
    /* A file the second pass found malformed is still not an export. */
    if (strstr(err, "XML") || strstr(err, "export")) rc = EXIT_NOT_AN_EXPORT;
cleanup:
    if (csv) fclose(csv);
    report_close(&ctx.report);
    remove_temporaries(&paths);
done:
    import_apply_close(apply);
    cJSON_Delete(config);
    export_tree_free(&ctx.tree);
    free(ctx.defs);
    free(ctx.scopes);
    return rc;
}
