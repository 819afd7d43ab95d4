#include "win_enums.h"

#include <ctype.h>
#include <strings.h>

static int client_type_valid(long v)
{
    /* 0-3, with CLIENT_TYPE_RESERVATION_FLAG (0x04) OR-ed in or not, and
     * CLIENT_TYPE_NONE (0x64, which already has the 0x04 bit). */
    return (v >= 0 && v <= (WIN_CLIENT_TYPE_BOTH | WIN_CLIENT_TYPE_RESERVATION_FLAG)) ||
           v == WIN_CLIENT_TYPE_NONE;
}

static int byte_valid(long v) { return v >= 0 && v <= 255; }
static int quarantine_valid(long v) { return v >= 0 && v <= 6; }
static int search_valid(long v) { return v >= 0 && v <= 2; }

static const struct win_enum_name client_type_names[] = {
    {"unspecified", WIN_CLIENT_TYPE_UNSPECIFIED}, {"dhcp", WIN_CLIENT_TYPE_DHCP},
    {"bootp", WIN_CLIENT_TYPE_BOOTP}, {"both", WIN_CLIENT_TYPE_BOTH},
    {"none", WIN_CLIENT_TYPE_NONE}, {NULL, 0}};
static const struct win_enum_name address_state_names[] = {
    {"offered", WIN_ADDRESS_STATE_OFFERED}, {"active", WIN_ADDRESS_STATE_ACTIVE},
    {"declined", WIN_ADDRESS_STATE_DECLINED}, {"doom", WIN_ADDRESS_STATE_DOOM},
    {NULL, 0}};
static const struct win_enum_name quarantine_names[] = {
    {"no-quarantine", 0}, {"restricted-access", 1}, {"drop-packet", 2},
    {"probation", 3}, {"exempt", 4}, {"default-quarantine-setting", 5},
    {"no-quarantine-info", 6}, {NULL, 0}};
/* Get-DhcpServerv4Lease's NapStatus names that are not ours without hyphens. */
static const struct win_enum_name quarantine_powershell_names[] = {
    {"FullAccess", 0}, {"InProbation", 3}, {NULL, 0}};
static const struct win_enum_name search_names[] = {
    {"ip-address", WIN_SEARCH_IP}, {"hardware-address", WIN_SEARCH_HARDWARE},
    {"name", WIN_SEARCH_NAME}, {NULL, 0}};

static int binary_valid(long v) { return v == 0 || v == 1; }
static int fsm_valid(long v) { return v >= 0 && v <= WIN_FSM_SHUTDOWN; }
static int flag_valid(long v) { return v > 0 && (v & ~(long)WIN_FO_FLAGS_ALL) == 0; }

static const struct win_enum_name fo_mode_names[] = {
    {"load-balance", WIN_FO_LOAD_BALANCE}, {"hot-standby", WIN_FO_HOT_STANDBY}, {NULL, 0}};
static const struct win_enum_name fo_server_names[] = {
    {"primary", WIN_FO_PRIMARY}, {"secondary", WIN_FO_SECONDARY}, {NULL, 0}};
static const struct win_enum_name fsm_names[] = {
    {"no-state", WIN_FSM_NO_STATE}, {"init", WIN_FSM_INIT}, {"startup", WIN_FSM_STARTUP},
    {"normal", WIN_FSM_NORMAL}, {"communication-interrupted", WIN_FSM_COMMUNICATION_INT},
    {"partner-down", WIN_FSM_PARTNER_DOWN}, {"potential-conflict", WIN_FSM_POTENTIAL_CONFLICT},
    {"conflict-done", WIN_FSM_CONFLICT_DONE}, {"resolution-interrupted", WIN_FSM_RESOLUTION_INT},
    {"recover", WIN_FSM_RECOVER}, {"recover-wait", WIN_FSM_RECOVER_WAIT},
    {"recover-done", WIN_FSM_RECOVER_DONE}, {"paused", WIN_FSM_PAUSED},
    {"shutdown", WIN_FSM_SHUTDOWN}, {NULL, 0}};
static const struct win_enum_name flag_names[] = {
    {"mclt", WIN_FO_FLAG_MCLT}, {"safe-period", WIN_FO_FLAG_SAFEPERIOD},
    {"state", WIN_FO_FLAG_CHANGESTATE}, {"percentage", WIN_FO_FLAG_PERCENTAGE},
    {"mode", WIN_FO_FLAG_MODE}, {"prev-state", WIN_FO_FLAG_PREVSTATE},
    {"shared-secret", WIN_FO_FLAG_SHAREDSECRET}, {NULL, 0}};

const struct win_enum WIN_ENUM_FO_MODE = {"mode", fo_mode_names, binary_valid, NULL};
const struct win_enum WIN_ENUM_FO_SERVER_TYPE = {"server-type", fo_server_names, binary_valid,
                                                 NULL};
const struct win_enum WIN_ENUM_FSM_STATE = {"state", fsm_names, fsm_valid, NULL};
const struct win_enum WIN_ENUM_FO_FLAG = {"flags", flag_names, flag_valid, NULL};

const struct win_enum WIN_ENUM_CLIENT_TYPE = {"client-type", client_type_names,
                                              client_type_valid, NULL};
const struct win_enum WIN_ENUM_ADDRESS_STATE = {"address-state", address_state_names,
                                                byte_valid, NULL};
const struct win_enum WIN_ENUM_QUARANTINE_STATUS = {"quarantine-status", quarantine_names,
                                                    quarantine_valid,
                                                    quarantine_powershell_names};
const struct win_enum WIN_ENUM_SEARCH_TYPE = {"search-type", search_names, search_valid,
                                              NULL};

int win_enum_from_name(const struct win_enum *e, const char *name)
{
    for (const struct win_enum_name *n = e->names; n->name; n++)
        if (strcasecmp(n->name, name) == 0) return n->value;
    return -1;
}

/* Equal but for case and hyphens. */
static int same_but_hyphens(const char *a, const char *b)
{
    for (;; a++, b++) {
        while (*a == '-') a++;
        while (*b == '-') b++;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        if (!*a) return 1;
    }
}

int win_enum_from_powershell(const struct win_enum *e, const char *name)
{
    if (!name) return -1;
    for (const struct win_enum_name *n = e->names; n->name; n++)
        if (same_but_hyphens(n->name, name)) return n->value;
    for (const struct win_enum_name *n = e->powershell_names; n && n->name; n++)
        if (strcasecmp(n->name, name) == 0) return n->value;
    return -1;
}

const char *win_enum_to_name(const struct win_enum *e, int value)
{
    for (const struct win_enum_name *n = e->names; n->name; n++)
        if (n->value == value) return n->name;
    return NULL;
}

size_t win_address_state_flag_names(uint8_t state, const char **out, size_t max)
{
    /* Bits 2-3 hold the DHCID kind (a 2-bit field), bits 4-7 DNS flags. */
    static const char *const dhcid[] = {NULL, "dhcid-no-client-id-option",
                                        "dhcid-with-client-id-option", "dhcid-with-duid"};
    static const struct { uint8_t bit; const char *name; } dns[] = {
        {0x10, "cleanup"}, {0x20, "both-rec"}, {0x40, "unregistered"}, {0x80, "deleted"}};
    size_t n = 0;
    const char *kind = dhcid[(state >> 2) & 0x3];
    if (kind && n < max) out[n++] = kind;
    for (size_t i = 0; i < sizeof dns / sizeof dns[0]; i++)
        if ((state & dns[i].bit) && n < max) out[n++] = dns[i].name;
    return n;
}
