/* Every element Export-DhcpServer writes (windows-export.md section 1.3), as
 * one table: what each element may hold. Whatever else the export holds, at
 * any depth, becomes a report item of its own (kind "unknown-element",
 * not-mapped, with its path and line), so nothing is passed over. */
#ifndef EXPORT_SCHEMA_H
#define EXPORT_SCHEMA_H

#include "import.h"

/* The tree of pass 1 (everything but the leases). */
void export_schema_report_unknown(struct import_ctx *ctx);

/* One IPv4 lease of pass 2, whose item's source is source. */
void export_schema_report_unknown_in_lease(struct import_ctx *ctx, const struct xnode *lease,
                                           const char *source);

#endif
