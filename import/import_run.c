/* The run: pass 1 (the tree), the mapping, pass 2 (the leases), then the
 * files, each written under a temporary name and renamed at the end so a
 * failed run leaves DIR as it was. */
#include "import_run.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_io.h"
#include "import.h"
#include "import_apply.h"
#include "kea_config.h"
#include "map_leases.h"
#include "sha256.h"
#include "value_formats.h"

#ifndef WIN_IMPORT_VERSION
#define WIN_IMPORT_VERSION "0"
#endif

static void say(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

struct outputs {
    char config[PATH_MAX], leases[PATH_MAX], report[PATH_MAX], spool[PATH_MAX];
    char config_tmp[FILE_PATH_MAX], leases_tmp[FILE_PATH_MAX], report_tmp[FILE_PATH_MAX];
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

static cJSON *report_head(const struct import_options *o, struct import_ctx *ctx, const char *sha)
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

static void ctx_free(struct import_ctx *ctx, cJSON *config)
{
    cJSON_Delete(config);
    export_tree_free(&ctx->tree);
    free(ctx->defs);
    free(ctx->scopes);
}

/* Reads the export's tree, checks it is one, and opens the output directory
 * and the report's spool: IMPORT_OK, else what import_run answers, with err
 * set and ctx freed. */
static int open_run(const struct import_options *o, struct import_ctx *ctx,
                    struct outputs *paths, char sha[65], char *err, size_t err_len)
{
    char why[512] = "";
    if (export_tree_read(o->export_path, &ctx->tree, why, sizeof why) < 0) {
        say(err, err_len, "%s: %s", o->export_path, why);
        return access(o->export_path, R_OK) == 0 ? IMPORT_NOT_AN_EXPORT : IMPORT_FAILED;
    }
    int rc = IMPORT_FAILED;
    if (!xn_child(ctx->tree.root, "MajorVersion") ||
        (!xn_child(ctx->tree.root, "IPv4") && !xn_child(ctx->tree.root, "IPv6"))) {
        say(err, err_len, "%s: not an Export-DhcpServer file: <DHCPServer> has no "
            "MajorVersion, IPv4 or IPv6", o->export_path);
        rc = IMPORT_NOT_AN_EXPORT;
    } else if (sha256_file_hex(o->export_path, sha) < 0) {
        say(err, err_len, "cannot read %s", o->export_path);
    } else if (make_directories(o->out) < 0) {
        say(err, err_len, "cannot create %s: %s", o->out, strerror(errno));
    } else {
        output_paths(paths, o->out);
        if (report_open(&ctx->report, paths->spool) == 0) return IMPORT_OK;
        say(err, err_len, "cannot write in %s: %s", o->out, strerror(errno));
    }
    ctx_free(ctx, NULL);
    return rc;
}

/* Writes the configuration, closes the lease file and writes the report under
 * their temporary names, then renames all three over the outputs: 0, or -1
 * with why set. */
static int write_outputs(const struct import_options *o, struct import_ctx *ctx,
                         const cJSON *config, FILE **csv, const struct outputs *paths,
                         const char *sha, char *why, size_t why_len)
{
    char *text = cJSON_Print(config);
    if (!text || write_text(paths->config_tmp, text) < 0) {
        free(text);
        return say(why, why_len, "cannot write %s", paths->config_tmp), -1;
    }
    free(text);
    if (*csv) {
        int bad = fclose(*csv) != 0;
        *csv = NULL;
        if (bad) return say(why, why_len, "cannot write %s", paths->leases_tmp), -1;
    }
    cJSON *head = report_head(o, ctx, sha);
    int written = report_write(&ctx->report, head, paths->report_tmp);
    cJSON_Delete(head);
    if (written < 0) return say(why, why_len, "cannot write %s", paths->report_tmp), -1;
    if (rename(paths->config_tmp, paths->config) < 0 ||
        (!o->apply && rename(paths->leases_tmp, paths->leases) < 0) ||
        rename(paths->report_tmp, paths->report) < 0)
        return say(why, why_len, "cannot write in %s: %s", o->out, strerror(errno)), -1;
    return 0;
}

static void print_summary(const struct import_options *o, const struct import_ctx *ctx,
                          const struct import_apply *apply, const struct outputs *paths,
                          FILE *summary)
{
    report_print_summary(&ctx->report, summary);
    if (apply)
        fprintf(summary, "applied: %zu records created on %s\n", import_apply_created(apply),
                o->apply);
    fprintf(summary, "wrote: %s%s%s\nreport: %s\n", paths->config, o->apply ? "" : ", ",
            o->apply ? "" : paths->leases, paths->report);
}

int import_run(const struct import_options *o, FILE *summary, char *err, size_t err_len)
{
    struct import_ctx ctx;
    struct outputs paths;
    char why[512] = "", sha[65];
    FILE *csv = NULL;
    struct import_apply *apply = NULL;

    memset(&ctx, 0, sizeof ctx);
    ctx.release = o->release;
    ctx.now = o->now;
    ctx.skip_expired = o->skip_expired;
    int rc = open_run(o, &ctx, &paths, sha, err, err_len);
    if (rc != IMPORT_OK) return rc;
    rc = IMPORT_FAILED;
    cJSON *config = kea_config_begin(&ctx);
    report_replacements(&ctx);
    map_server(&ctx);
    if (map_scopes(&ctx) < 0) {
        say(why, sizeof why, "out of memory");
        goto failed;
    }
    if (o->apply) {
        if (!(apply = import_apply_open(&ctx, o->apply, why, sizeof why))) goto failed;
    } else if (!(csv = fopen(paths.leases_tmp, "w"))) {
        say(why, sizeof why, "cannot write %s: %s", paths.leases_tmp, strerror(errno));
        goto failed;
    }
    struct lease_pass pass = {&ctx, csv, apply, NULL, 0, 0, 0};
    if (lease_pass_run(&pass, o->export_path, why, sizeof why) < 0) goto failed;
    map_classes_report(&ctx);
    map_not_in_export(&ctx);
    uint64_t attempts = 0;
    iv_uint(xn_text(xn_child(ctx.tree.root, "IPv4"), "ConflictDetectionAttempts"), 5, &attempts);
    kea_config_finish(&ctx, (unsigned)attempts);
    if (write_outputs(o, &ctx, config, &csv, &paths, sha, why, sizeof why) < 0) goto failed;
    if (summary) print_summary(o, &ctx, apply, &paths, summary);
    rc = IMPORT_OK;
    goto cleanup;
failed:
    say(err, err_len, "%s", why);
    /* A file the second pass found malformed is still not an export. */
    if (strstr(why, "XML") || strstr(why, "export")) rc = IMPORT_NOT_AN_EXPORT;
cleanup:
    if (csv) fclose(csv);
    report_close(&ctx.report);
    remove_temporaries(&paths);
    import_apply_close(apply);
    ctx_free(&ctx, config);
    return rc;
}
