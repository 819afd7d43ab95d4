#include "failover_tls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_fields.h"

static const char *const path_fields[] = {"trust-anchor", "cert-file", "key-file"};

int fo_has_tls(const struct fo_relationship *rel)
{
    return rel->trust_anchor[0] != '\0';
}

/* Whether this process can read the file (or, for the trust anchor, the
 * directory of CA certificates) at path now: Kea loads it at every reload. */
static int check_readable(const char *field, const char *path, struct win_status *st)
{
    struct stat sb;
    if (path[0] != '/')
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s '%.300s' must be an absolute path: kea-dhcp4 reads it from its "
                        "own working directory at every reload; nothing changed", field, path);
    int dir_ok = strcmp(field, "trust-anchor") == 0;
    /* O_NONBLOCK: a FIFO named here must not hold the command. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0 || fstat(fd, &sb) < 0) {
        int err = errno;
        if (fd >= 0) close(fd);
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s '%.300s' cannot be read by kea-dhcp4: %s; nothing changed", field,
                        path, strerror(err));
    }
    close(fd);
    if (!S_ISREG(sb.st_mode) && !(dir_ok && S_ISDIR(sb.st_mode)))
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "%s '%.300s' is not a file%s; nothing changed", field, path,
                        dir_ok ? " or a directory of CA certificates" : "");
    return 0;
}

int fo_decode_tls(const cJSON *args, int stored, struct fo_relationship *rel,
                  struct win_status *st)
{
    char *paths[] = {rel->trust_anchor, rel->cert_file, rel->key_file};
    int given[3], count = 0;
    for (int i = 0; i < 3; i++) {
        if ((given[i] = jf_text_copy(args, path_fields[i], paths[i], FO_TEXT_MAX, st)) < 0)
            return -1;
        count += given[i];
    }
    rel->require_client_certs = 1; /* Kea HA's default */
    int has_require = jf_bool(args, "require-client-certs", &rel->require_client_certs, st);
    if (has_require < 0) return -1;
    if (stored) return 0;
    if (count != 0 && count != 3)
        for (int i = 0; i < 3; i++)
            if (!given[i])
                return win_fail(st, ERROR_INVALID_PARAMETER,
                                "%s is missing: Kea HA takes trust-anchor, cert-file and "
                                "key-file together or none of them; nothing changed",
                                path_fields[i]);
    if (count == 0 && has_require == 1)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "require-client-certs is given without TLS material (trust-anchor, "
                        "cert-file, key-file); nothing changed");
    for (int i = 0; i < count; i++)
        if (check_readable(path_fields[i], paths[i], st) < 0) return -1;
    return 0;
}

void fo_encode_tls(const struct fo_relationship *rel, cJSON *obj)
{
    if (!fo_has_tls(rel)) return;
    cJSON_AddStringToObject(obj, "trust-anchor", rel->trust_anchor);
    cJSON_AddStringToObject(obj, "cert-file", rel->cert_file);
    cJSON_AddStringToObject(obj, "key-file", rel->key_file);
    cJSON_AddBoolToObject(obj, "require-client-certs", rel->require_client_certs);
}

const struct win_tls *fo_tls_of(const struct fo_relationship *rel, struct win_tls *out)
{
    if (!fo_has_tls(rel)) return NULL;
    out->trust_anchor = rel->trust_anchor;
    out->cert_file = rel->cert_file;
    out->key_file = rel->key_file;
    return out;
}
