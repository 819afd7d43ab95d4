/* --apply: the leases go to a running kea-dhcp4 with the hook, as
 * win-client-info-vq-create bulk requests over its unix socket or REST
 * (kea-ctrl-agent, or Kea 3.0's HTTP socket; http://user:password@host:port/).
 * Each lease's outcome (created, or the Windows code and text) is a report
 * item; nothing already there is overwritten. */
#ifndef IMPORT_APPLY_H
#define IMPORT_APPLY_H

#include <stdint.h>

#include "import.h"
#include "client_record.h"

struct import_apply;

struct import_apply *import_apply_open(struct import_ctx *ctx, const char *target, char *err,
                                       size_t err_len);
void import_apply_add(struct import_apply *a, const char *source, const struct xnode *lease,
                      const struct win_client_record *rec, int declined, int expired, int64_t expire,
                      int infinite, const char *why, enum report_status status);
/* Sends what is pending; -1 with err when the server cannot be reached or
 * answers something else than a bulk answer. */
int import_apply_flush(struct import_apply *a, char *err, size_t err_len);
void import_apply_close(struct import_apply *a);
size_t import_apply_created(const struct import_apply *a);

#endif
