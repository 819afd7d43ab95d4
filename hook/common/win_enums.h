/* The Windows enumerations the commands accept by name or number, and the
 * names they answer with. */
#ifndef WIN_ENUMS_H
#define WIN_ENUMS_H

#include <stddef.h>
#include <stdint.h>

struct win_enum_name {
    const char *name;
    int value;
};

struct win_enum {
    const char *what;                     /* for messages */
    const struct win_enum_name *names;    /* NULL-name terminated */
    int (*number_valid)(long value);      /* which numbers are accepted */
    /* Names only Windows PowerShell writes (Export-DhcpServer), or NULL. */
    const struct win_enum_name *powershell_names;
};

extern const struct win_enum WIN_ENUM_CLIENT_TYPE;
extern const struct win_enum WIN_ENUM_ADDRESS_STATE;
extern const struct win_enum WIN_ENUM_QUARANTINE_STATUS;
extern const struct win_enum WIN_ENUM_SEARCH_TYPE;
extern const struct win_enum WIN_ENUM_FO_MODE;
extern const struct win_enum WIN_ENUM_FO_SERVER_TYPE;
extern const struct win_enum WIN_ENUM_FSM_STATE;
extern const struct win_enum WIN_ENUM_FO_FLAG;

enum { WIN_CLIENT_TYPE_UNSPECIFIED = 0, WIN_CLIENT_TYPE_DHCP = 1, WIN_CLIENT_TYPE_BOOTP = 2,
       WIN_CLIENT_TYPE_BOTH = 3, WIN_CLIENT_TYPE_RESERVATION_FLAG = 4,
       WIN_CLIENT_TYPE_NONE = 100 };
enum { WIN_ADDRESS_STATE_OFFERED = 0, WIN_ADDRESS_STATE_ACTIVE = 1,
       WIN_ADDRESS_STATE_DECLINED = 2, WIN_ADDRESS_STATE_DOOM = 3,
       WIN_ADDRESS_STATE_MASK = 0x03 };
enum { WIN_SEARCH_IP = 0, WIN_SEARCH_HARDWARE = 1, WIN_SEARCH_NAME = 2 };
enum { WIN_FO_LOAD_BALANCE = 0, WIN_FO_HOT_STANDBY = 1 };
enum { WIN_FO_PRIMARY = 0, WIN_FO_SECONDARY = 1 };
enum { WIN_FSM_NO_STATE = 0, WIN_FSM_INIT, WIN_FSM_STARTUP, WIN_FSM_NORMAL,
       WIN_FSM_COMMUNICATION_INT, WIN_FSM_PARTNER_DOWN, WIN_FSM_POTENTIAL_CONFLICT,
       WIN_FSM_CONFLICT_DONE, WIN_FSM_RESOLUTION_INT, WIN_FSM_RECOVER, WIN_FSM_RECOVER_WAIT,
       WIN_FSM_RECOVER_DONE, WIN_FSM_PAUSED, WIN_FSM_SHUTDOWN };
/* DhcpV4FailoverSetRelationship flags. */
enum { WIN_FO_FLAG_MCLT = 0x01, WIN_FO_FLAG_SAFEPERIOD = 0x02, WIN_FO_FLAG_CHANGESTATE = 0x04,
       WIN_FO_FLAG_PERCENTAGE = 0x08, WIN_FO_FLAG_MODE = 0x10, WIN_FO_FLAG_PREVSTATE = 0x20,
       WIN_FO_FLAG_SHAREDSECRET = 0x40, WIN_FO_FLAGS_ALL = 0x7F };

/* Case-insensitive name lookup; -1 when unknown. */
int win_enum_from_name(const struct win_enum *e, const char *name);
/* A name as Windows PowerShell writes it (Export-DhcpServer,
 * Get-DhcpServerv4Lease): one of ours without its hyphens, in any case
 * ("BootP", "DropPacket"), or one of the enumeration's PowerShell-only names
 * (quarantine "FullAccess", "InProbation"); -1 when unknown. */
int win_enum_from_powershell(const struct win_enum *e, const char *name);
/* The name of value, or NULL when it has none. */
const char *win_enum_to_name(const struct win_enum *e, int value);

/* Names of the DNS / DHCID bits (2-7) of an address-state byte: writes up to
 * max names into out and returns how many. */
size_t win_address_state_flag_names(uint8_t state, const char **out, size_t max);

#endif
