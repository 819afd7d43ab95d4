/* The run: pass 1 (the tree), the mapping, pass 2 (the leases), then the
 * files, each written under a temporary name in DIR (output_dir.c) and
 * renamed at the end, so a failed run leaves DIR as it was. */
#include "import_run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export_schema.h"
#include "file_sha256.h"
#include "import.h"
#include "import_apply.h"
#include "kea_config.h"
#include "map_leases.h"
#include "output_dir.h"
#include "progress.h"
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
    if (o->apply.target) cJSON_AddStringToObject(target, "apply", "win-client-info-vq-create");
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
                    struct output_dir *dir, char sha[65], char *err, size_t err_len)
{
    char why[512] = "";
    dir->fd = -1;
    if (export_tree_read(o->export_path, &ctx->tree, why, sizeof why) < 0) {
        say(err, err_len, "%s: %s", o->export_path, why);
        return access(o->export_path, R_OK) == 0 ? IMPORT_NOT_AN_EXPORT : IMPORT_FAILED;
    }
    int rc = IMPORT_FAILED;
    FILE *spool;
    if (!xn_child(ctx->tree.root, "MajorVersion") ||
        (!xn_child(ctx->tree.root, "IPv4") && !xn_child(ctx->tree.root, "IPv6"))) {
        say(err, err_len, "%s: not an Export-DhcpServer file: <DHCPServer> has no "
            "MajorVersion, IPv4 or IPv6", o->export_path);
        rc = IMPORT_NOT_AN_EXPORT;
    } else if (file_sha256_hex(o->export_path, sha) < 0) {
        say(err, err_len, "cannot read %s", o->export_path);
    } else if (output_dir_open(dir, o->out, err, err_len) == 0) {
        if ((spool = output_scratch(dir, ".import-report.items", err, err_len))) {
            report_open(&ctx->report, spool);
            return IMPORT_OK;
        }
        output_dir_close(dir);
    }
    ctx_free(ctx, NULL);
    return rc;
}

/* Writes the configuration, closes the lease file and writes the report under
 * their temporary names, then renames them over the outputs: 0, or -1 with
 * why set. */
static int write_outputs(const struct import_options *o, struct import_ctx *ctx,
                         const cJSON *config, FILE **csv, struct output_dir *dir,
                         const char *sha, char *why, size_t why_len)
{
    char *text = cJSON_Print(config);
    FILE *f = text ? output_temporary(dir, OUT_CONFIG, why, why_len) : NULL;
    if (!f) return free(text), text ? -1 : (say(why, why_len, "out of memory"), -1);
    int bad = fputs(text, f) < 0 || fputc('\n', f) < 0;
    free(text);
    if (output_close(f) < 0 || bad)
        return say(why, why_len, "cannot write %s/%s", o->out, output_name(OUT_CONFIG)), -1;
    if (*csv) {
        bad = output_close(*csv) < 0;
        *csv = NULL;
        if (bad) return say(why, why_len, "cannot write %s/%s", o->out, output_name(OUT_LEASES)), -1;
    }
    if (!(f = output_temporary(dir, OUT_REPORT, why, why_len))) return -1;
    cJSON *head = report_head(o, ctx, sha);
    bad = report_write(&ctx->report, head, f) < 0;
    cJSON_Delete(head);
    if (output_close(f) < 0 || bad)
        return say(why, why_len, "cannot write %s/%s", o->out, output_name(OUT_REPORT)), -1;
    const int want[OUT_COUNT] = {1, !o->apply.target, 1};
    return output_commit(dir, want, why, why_len);
}

static void print_summary(const struct import_options *o, const struct import_ctx *ctx,
                          const struct import_apply *apply, FILE *summary)
{
    report_print_summary(&ctx->report, summary);
    if (apply)
        fprintf(summary, "applied: %zu records created on %s\n", import_apply_created(apply),
                import_apply_where(apply));
    fprintf(summary, "wrote: %s/%s", o->out, output_name(OUT_CONFIG));
    if (!o->apply.target) fprintf(summary, ", %s/%s", o->out, output_name(OUT_LEASES));
    fprintf(summary, "\nreport: %s/%s\n", o->out, output_name(OUT_REPORT));
}

int import_run(const struct import_options *o, FILE *summary, char *err, size_t err_len)
{
    struct import_ctx ctx;
    struct output_dir dir;
    struct progress progress;
    char why[512] = "", sha[65];
    FILE *csv = NULL;
    struct import_apply *apply = NULL;

    memset(&ctx, 0, sizeof ctx);
    ctx.release = o->release;
    ctx.now = o->now;
    ctx.skip_expired = o->skip_expired;
    int rc = open_run(o, &ctx, &dir, sha, err, err_len);
    if (rc != IMPORT_OK) return rc;
    rc = IMPORT_FAILED;
    cJSON *config = kea_config_begin(&ctx);
    report_replacements(&ctx);
    export_schema_report_unknown(&ctx);
    map_server(&ctx);
    if (map_scopes(&ctx) < 0) {
        say(why, sizeof why, "out of memory");
        goto failed;
    }
    if (o->progress) {
        progress_start(&progress, o->progress, o->apply.target ? "sent" : "converted",
                       ctx.tree.v4_leases);
        ctx.progress = &progress;
    }
    if (o->apply.target) {
        if (!(apply = import_apply_open(&ctx, &o->apply, why, sizeof why))) goto failed;
    } else if (!(csv = output_temporary(&dir, OUT_LEASES, why, sizeof why))) {
        goto failed;
    }
    struct lease_pass pass = {&ctx, csv, apply, NULL, 0, 0, 0};
    if (lease_pass_run(&pass, o->export_path, why, sizeof why) < 0) goto failed;
    progress_end(ctx.progress);
    map_classes_report(&ctx);
    map_not_in_export(&ctx);
    uint64_t attempts = 0;
    iv_uint(xn_text(xn_child(ctx.tree.root, "IPv4"), "ConflictDetectionAttempts"), 5, &attempts);
    kea_config_finish(&ctx, (unsigned)attempts);
    if (write_outputs(o, &ctx, config, &csv, &dir, sha, why, sizeof why) < 0) goto failed;
    if (summary) print_summary(o, &ctx, apply, summary);
    rc = IMPORT_OK;
    goto cleanup;
failed:
    progress_end(ctx.progress);
    say(err, err_len, "%s", why);
    /* A file the second pass found malformed is still not an export. */
    if (strstr(why, "XML") || strstr(why, "export")) rc = IMPORT_NOT_AN_EXPORT;
cleanup:
    if (csv) fclose(csv);
    report_close(&ctx.report);
    output_dir_close(&dir);
    import_apply_close(apply);
    ctx_free(&ctx, config);
    return rc;
}
