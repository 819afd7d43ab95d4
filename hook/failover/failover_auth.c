#include "failover_auth.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_fields.h"

#define AUTH_USER_CHARS 255

/* Reads the password file as Kea HA does (its whole content, as it is). */
static int read_password_file(const char *path, char *out, char *why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, WIN_TEXT_MAX, "basic-auth-password-file '%.300s' cannot be read by "
                 "kea-dhcp4: %m", path);
        return -1;
    }
    ssize_t n = read(fd, out, FO_TEXT_MAX);
    close(fd);
    if (n < 0 || n >= FO_TEXT_MAX) {
        snprintf(why, WIN_TEXT_MAX, "basic-auth-password-file '%.300s' %s", path,
                 n < 0 ? "cannot be read" : "is longer than a password");
        return -1;
    }
    out[n] = '\0';
    return 0;
}

/* The fields as given, then Kea HA's rules on them. */
static int decode_given(const cJSON *args, int stored, struct fo_relationship *rel,
                        struct win_status *st)
{
    int user, file, literal;
    if ((user = jf_text_copy(args, "basic-auth-user", rel->auth_user, sizeof rel->auth_user,
                             st)) < 0 ||
        (file = jf_text_copy(args, "basic-auth-password-file", rel->auth_password_file,
                             sizeof rel->auth_password_file, st)) < 0 ||
        (literal = jf_text_copy(args, "basic-auth-password", rel->auth_password,
                                sizeof rel->auth_password, st)) < 0)
        return -1;
    if (stored) return user;
    if (user && strlen(rel->auth_user) > AUTH_USER_CHARS)
        return win_fail(st, ERROR_INVALID_PARAMETER, "basic-auth-user is longer than %d bytes",
                        AUTH_USER_CHARS);
    if (user && strchr(rel->auth_user, ':'))
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "basic-auth-user may not contain ':' (HTTP basic auth); nothing changed");
    if (file && literal)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "basic-auth-password and basic-auth-password-file: give one of them "
                        "(Kea HA takes only one); nothing changed");
    if ((file || literal) && !user)
        return win_fail(st, ERROR_INVALID_PARAMETER,
                        "basic-auth-user is missing: a password goes with a user; nothing "
                        "changed");
    if (file) {
        char password[FO_TEXT_MAX], why[WIN_TEXT_MAX];
        if (rel->auth_password_file[0] != '/')
            return win_fail(st, ERROR_INVALID_PARAMETER,
                            "basic-auth-password-file '%.300s' must be an absolute path; "
                            "nothing changed", rel->auth_password_file);
        if (read_password_file(rel->auth_password_file, password, why) < 0)
            return win_fail(st, ERROR_INVALID_PARAMETER, "%s; nothing changed", why);
        memset(password, 0, sizeof password);
    }
    return user;
}

int fo_decode_auth(const cJSON *args, int stored, struct fo_relationship *rel,
                   struct win_status *st)
{
    int given = decode_given(args, stored, rel, st);
    if (given < 0) return -1;
    rel->legacy_secret_auth = 0;
    if (stored) {
        /* A state file written before credentials existed has neither these
         * fields nor the flag: its partners authenticate with the secret. */
        const cJSON *flag = cJSON_GetObjectItemCaseSensitive(args, "legacy-secret-auth");
        if (flag) rel->legacy_secret_auth = cJSON_IsTrue(flag);
        else rel->legacy_secret_auth = !given && rel->has_secret && rel->shared_secret[0];
    }
    return 0;
}

int fo_decode_auth_set(const cJSON *args, struct fo_relationship *rel, struct win_status *st)
{
    if (!cJSON_GetObjectItemCaseSensitive(args, "basic-auth-user") &&
        !cJSON_GetObjectItemCaseSensitive(args, "basic-auth-password-file") &&
        !cJSON_GetObjectItemCaseSensitive(args, "basic-auth-password"))
        return 0;
    struct fo_relationship next = *rel;
    next.auth_user[0] = next.auth_password_file[0] = next.auth_password[0] = '\0';
    if (decode_given(args, 0, &next, st) < 0) return -1;
    next.legacy_secret_auth = 0;
    *rel = next;
    return 1;
}

void fo_encode_auth_stored(const struct fo_relationship *rel, cJSON *obj)
{
    if (rel->auth_user[0]) cJSON_AddStringToObject(obj, "basic-auth-user", rel->auth_user);
    if (rel->auth_password_file[0])
        cJSON_AddStringToObject(obj, "basic-auth-password-file", rel->auth_password_file);
    if (rel->auth_password[0])
        cJSON_AddStringToObject(obj, "basic-auth-password", rel->auth_password);
    cJSON_AddBoolToObject(obj, "legacy-secret-auth", rel->legacy_secret_auth);
}

void fo_encode_auth_answer(const struct fo_relationship *rel, cJSON *obj)
{
    if (rel->auth_user[0]) cJSON_AddStringToObject(obj, "basic-auth-user", rel->auth_user);
    if (rel->auth_password_file[0])
        cJSON_AddStringToObject(obj, "basic-auth-password-file", rel->auth_password_file);
    if (rel->legacy_secret_auth) cJSON_AddBoolToObject(obj, "legacy-secret-auth", 1);
}

int fo_auth_credentials(const struct fo_relationship *rel, char *user, char *password, char *why)
{
    user[0] = password[0] = '\0';
    if (rel->legacy_secret_auth) {
        snprintf(user, FO_TEXT_MAX, "%s", FO_LEGACY_USER);
        snprintf(password, FO_TEXT_MAX, "%s", rel->shared_secret);
        return 1;
    }
    if (!rel->auth_user[0]) return 0;
    snprintf(user, FO_TEXT_MAX, "%s", rel->auth_user);
    if (rel->auth_password_file[0])
        return read_password_file(rel->auth_password_file, password, why) < 0 ? -1 : 1;
    snprintf(password, FO_TEXT_MAX, "%s", rel->auth_password);
    return 1;
}

void fo_auth_ha_peer(const struct fo_relationship *rel, cJSON *peer)
{
    if (rel->legacy_secret_auth) {
        cJSON_AddStringToObject(peer, "basic-auth-user", FO_LEGACY_USER);
        cJSON_AddStringToObject(peer, "basic-auth-password", rel->shared_secret);
        return;
    }
    if (!rel->auth_user[0]) return;
    cJSON_AddStringToObject(peer, "basic-auth-user", rel->auth_user);
    /* Every release (2.2.0, 2.6.3, 3.0.4) takes a password file for a peer. */
    if (rel->auth_password_file[0])
        cJSON_AddStringToObject(peer, "basic-auth-password-file", rel->auth_password_file);
    else if (rel->auth_password[0])
        cJSON_AddStringToObject(peer, "basic-auth-password", rel->auth_password);
}

const char *fo_auth_effect(const struct fo_relationship *rel)
{
    if (rel->legacy_secret_auth)
        return "legacy: the partners' control endpoints take the user " FO_LEGACY_USER
               " with the shared secret as its password (a relationship stored before "
               "basic-auth-user existed); give basic-auth-user and basic-auth-password-file "
               "with win-failover-relationship-set to stop sending the secret";
    if (!rel->auth_user[0]) return "none: no credentials are sent to the partner's endpoint";
    if (rel->auth_password_file[0])
        return "basic-auth-user with basic-auth-password-file: Kea HA reads the file, and so "
               "does the replication channel; the password is in no file of this hook";
    return "basic-auth-user with a literal basic-auth-password: written as it is into the HA "
           "entry in the state directory (mode 0600); basic-auth-password-file keeps it out";
}
