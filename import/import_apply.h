/* --apply: the leases go to a running kea-dhcp4 with the hook, as
 * win-client-info-vq-create bulk requests over its unix control socket, or
 * through libcurl to an http(s) URL (kea-ctrl-agent, or Kea 3.0's HTTP
 * socket). Credentials never come from the URL (argv is visible to everyone
 * in ps): a file or the environment; they are never printed. Each lease's
 * outcome (created, or the Windows code and text) is a report item; nothing
 * already there is overwritten. */
#ifndef IMPORT_APPLY_H
#define IMPORT_APPLY_H

#include <stdint.h>

#include "import.h"
#include "client_record.h"

/* Where and how --apply sends. */
struct apply_target {
    const char *target;             /* a unix socket path or an http(s) URL; NULL: no --apply */
    const char *ca_file;            /* https: the CA bundle the server's certificate must chain to */
    const char *cert_file, *key_file;   /* https: this client's certificate and key */
    const char *credentials_file;   /* "user:password" on its first line */
};

/* The environment variables credentials may come from instead. */
#define APPLY_USER_ENV "KEA_WIN_IMPORT_USER"
#define APPLY_PASSWORD_ENV "KEA_WIN_IMPORT_PASSWORD"

struct import_apply;

struct import_apply *import_apply_open(struct import_ctx *ctx, const struct apply_target *t,
                                       char *err, size_t err_len);
void import_apply_add(struct import_apply *a, const char *source, const struct xnode *lease,
                      const struct win_client_record *rec, int declined, int expired, int64_t expire,
                      int infinite, const char *why, enum report_status status);
/* Sends what is pending; -1 with err when the server cannot be reached or
 * answers something else than a bulk answer. */
int import_apply_flush(struct import_apply *a, char *err, size_t err_len);
void import_apply_close(struct import_apply *a);
size_t import_apply_created(const struct import_apply *a);
/* The target as it may be printed (never with credentials). */
const char *import_apply_where(const struct import_apply *a);

#endif
