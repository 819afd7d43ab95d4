/* A Windows client record (DHCP_CLIENT_INFO_V4 / _VQ) as a request carries it,
 * and its storage in a Kea lease: Kea's columns plus user-context "windows". */
#ifndef CLIENT_RECORD_H
#define CLIENT_RECORD_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "value_formats.h"
#include "win_context.h"
#include "win_host.h"
#include "win_status.h"

/* Windows limits applied to text fields (see README "Decisions"). */
#define WIN_CLIENT_NAME_MAX 255    /* a DNS name */
#define WIN_CLIENT_COMMENT_MAX 127 /* DHCP_CLIENT_INFO_PB: 128 with the NUL */

/* DHCP_CLIENT_INFO_V4 carries the common fields; _VQ adds address state and
 * the quarantine (NAP) fields. */
enum client_record_form { CLIENT_RECORD_V4, CLIENT_RECORD_VQ };

struct win_owner_host {
    int has_ip;
    uint32_t ip;
    const char *netbios_name; /* NULL = absent */
    const char *host_name;
};

/* Strings point into the request's cJSON tree. has_* say what was given. */
struct win_client_record {
    int has_ip, has_mask, has_id, has_name, has_comment, has_expires, has_owner,
        has_client_type, has_address_state, has_quarantine_status, has_probation_ends,
        has_quarantine_capable;
    uint32_t ip, mask;
    uint8_t id[WIN_IDENTIFIER_MAX];
    size_t id_len;
    const char *name, *comment;
    int64_t expires;
    int expires_infinite;
    struct win_owner_host owner;
    int client_type, address_state, quarantine_status;
    int64_t probation_ends;
    int probation_infinite;
    int quarantine_capable;
};

/* Decodes a create/set record of the given form; checks the fields' forms
 * only (the order of the rules lives with each command). Fails with 87 naming
 * the field, also for a VQ-only field in a V4 record. */
int client_record_decode(const cJSON *obj, enum client_record_form form,
                         struct win_client_record *rec, struct win_status *st);

#endif
