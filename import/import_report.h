/* The import report: one item per source object (scope, exclusion range,
 * reservation, option value, option definition, class, policy, filter entry,
 * lease) and per thing the export implies, each with a stable source path, a
 * status, where it went in Kea and why. Items are spooled to a file as they
 * come (a lease at a time), so memory does not grow with the export. */
#ifndef IMPORT_REPORT_H
#define IMPORT_REPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

enum report_status { REPORT_MAPPED, REPORT_PARTIAL, REPORT_NOT_MAPPED, REPORT_DROPPED,
                     REPORT_STATUS_COUNT };

/* Counted kinds, for the summary. */
enum report_kind { RK_SCOPE, RK_EXCLUSION, RK_RESERVATION, RK_OPTION_VALUE,
                   RK_OPTION_DEFINITION, RK_CLASS, RK_POLICY, RK_FILTER, RK_LEASE,
                   RK_OTHER, RK_KIND_COUNT };

struct import_report {
    FILE *spool;
    size_t items;
    size_t by_status[REPORT_STATUS_COUNT];
    size_t by_kind[RK_KIND_COUNT];
    int failed;     /* a write failed */
};

/* The items go to spool (a scratch file; the report owns it from here). */
void report_open(struct import_report *r, FILE *spool);
void report_close(struct import_report *r);

/* One item, always with source, kind, status, kea and reason. kind_name
 * overrides the kind's name (for RK_OTHER: "setting", "unknown-element",
 * "character", "ipv6", ...). kea NULL: nothing went to Kea (null). An empty
 * reason: the kind's sentence for a mapped item (how such a thing is carried
 * over), the status's otherwise. */
void report_item(struct import_report *r, enum report_kind kind, const char *kind_name,
                 enum report_status status, const char *source, const char *kea,
                 const char *reason_fmt, ...) __attribute__((format(printf, 7, 8)));

/* The whole report into out: head (tool, source, target), the summary, then
 * the spooled items. 0, or -1. */
int report_write(struct import_report *r, cJSON *head, FILE *out);

/* The summary line printed on stdout. */
void report_print_summary(const struct import_report *r, FILE *out);

#endif
