#include "import_report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *STATUS[] = {"mapped", "partial", "not-mapped", "dropped"};
static const char *KIND[] = {"scope", "exclusion", "reservation", "option-value",
                             "option-definition", "class", "policy", "filter", "lease", "other"};
/* Summary keys, in the order they are printed. */
static const char *SUMMARY[] = {"scopes", "exclusions", "reservations", "option-values",
                                "option-definitions", "classes", "policies", "filters",
                                "leases", "other"};

/* What a mapped item's reason says when the mapping has nothing more
 * particular to say: how that kind of thing was carried over. */
static const char *MAPPED_HOW[] = {
    "carried over as a subnet4 of the same range and lifetime, its range less the exclusions "
    "as pools",
    "left out of the scope's pools",
    "carried over as a host reservation of the same address and identifier",
    "carried over as option-data of the same code and value at the same level",
    "carried over as an option-def of the same code and type",
    "carried over as a client class matching the same clients",
    "carried over as a client class with the policy's conditions and options",
    "carried over into the class DROP",
    "carried over as a lease of the same address, client, expiry and Windows fields",
    "carried over as it is"};
/* And any other status, should a mapping give no reason (none does). */
static const char *STATUS_WHY[] = {NULL, "in Kea, but it behaves differently there",
                                   "kept only in the report", "intentionally not carried"};

void report_open(struct import_report *r, FILE *spool)
{
    memset(r, 0, sizeof *r);
    r->spool = spool;
}

void report_close(struct import_report *r)
{
    if (r->spool) fclose(r->spool);
    r->spool = NULL;
}

void report_item(struct import_report *r, enum report_kind kind, const char *kind_name,
                 enum report_status status, const char *source, const char *kea,
                 const char *reason_fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, reason_fmt);
    vsnprintf(reason, sizeof reason, reason_fmt, ap);
    va_end(ap);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "source", source);
    cJSON_AddStringToObject(item, "kind", kind_name ? kind_name : KIND[kind]);
    cJSON_AddStringToObject(item, "status", STATUS[status]);
    /* Every item has all five fields: kea is null when nothing went to Kea. */
    if (kea) cJSON_AddStringToObject(item, "kea", kea);
    else cJSON_AddNullToObject(item, "kea");
    cJSON_AddStringToObject(item, "reason", reason[0] ? reason
                                            : status == REPORT_MAPPED ? MAPPED_HOW[kind]
                                                                      : STATUS_WHY[status]);
    char *text = cJSON_PrintUnformatted(item);
    cJSON_Delete(item);
    if (!text || !r->spool || fprintf(r->spool, "%s\t\t%s", r->items ? ",\n" : "", text) < 0) r->failed = 1;
    free(text);
    r->items++;
    r->by_status[status]++;
    r->by_kind[kind]++;
}

int report_write(struct import_report *r, cJSON *head, FILE *out)
{
    cJSON *summary = cJSON_AddObjectToObject(head, "summary");
    for (int k = 0; k < RK_KIND_COUNT; k++)
        cJSON_AddNumberToObject(summary, SUMMARY[k], (double)r->by_kind[k]);
    for (int s = 0; s < REPORT_STATUS_COUNT; s++)
        cJSON_AddNumberToObject(summary, STATUS[s], (double)r->by_status[s]);
    char *text = cJSON_Print(head);
    int rc = -1;
    if (!text || r->failed) goto done;
    size_t len = strlen(text);
    while (len && text[len - 1] == '\n') len--;
    if (len && text[len - 1] == '}') len--;   /* the head's closing brace: items follow */
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\t')) len--;
    if (fwrite(text, 1, len, out) != len || fputs(",\n\t\"items\": [\n", out) < 0) goto done;
    char buf[65536];
    size_t n;
    if (fflush(r->spool) != 0) goto done;
    rewind(r->spool);
    while ((n = fread(buf, 1, sizeof buf, r->spool)) > 0)
        if (fwrite(buf, 1, n, out) != n) goto done;
    if (fputs("\n\t]\n}\n", out) < 0) goto done;
    rc = 0;
done:
    free(text);
    return rc;
}

void report_print_summary(const struct import_report *r, FILE *out)
{
    fprintf(out, "imported:");
    for (int k = 0; k < RK_OTHER; k++)
        fprintf(out, " %zu %s%s", r->by_kind[k], SUMMARY[k], k + 1 < RK_OTHER ? "," : "\n");
    fprintf(out, "report: %zu items: %zu mapped, %zu partial, %zu not-mapped, %zu dropped\n",
            r->items, r->by_status[REPORT_MAPPED], r->by_status[REPORT_PARTIAL],
            r->by_status[REPORT_NOT_MAPPED], r->by_status[REPORT_DROPPED]);
}
