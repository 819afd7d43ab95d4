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

int report_open(struct import_report *r, const char *spool_path);
void report_close(struct import_report *r);

/* One item. kind_name overrides the kind's name (for RK_OTHER: "setting",
 * "element", "character", "ipv6", ...). kea may be NULL. */
void report_item(struct import_report *r, enum report_kind kind, const char *kind_name,
                 enum report_status status, const char *source, const char *kea,
                 const char *reason_fmt, ...) __attribute__((format(printf, 7, 8)));

/* The whole report: head (tool, source, target: taken), the summary, then
 * the spooled items. 0, or -1. */
int report_write(struct import_report *r, cJSON *head, const char *path);

/* The summary line printed on stdout. */
void report_print_summary(const struct import_report *r, FILE *out);

#endif
