/* The seam between the Windows rules (hook/) and Kea (shim/).
 *
 * hook/ never includes a Kea header: everything it needs from the server is
 * reached through this table of function pointers. The shim fills it with
 * Kea's LeaseMgr, CfgMgr, HostMgr and StatsMgr; the unit tests fill it with a
 * fake in-memory host. Addresses are IPv4 in host byte order. */
#ifndef WIN_HOST_H
#define WIN_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "win_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

#define WIN_HWADDR_MAX 20         /* Kea HWAddr::MAX_HWADDR_LEN */
#define WIN_CLIENT_ID_MAX 128     /* Kea ClientId::MAX_CLIENT_ID_LEN */
#define WIN_CLIENT_ID_MIN 2       /* Kea ClientId::MIN_CLIENT_ID_LEN */
#define WIN_HOST_ERR_LEN 256
#define WIN_INFINITE_LFT 0xFFFFFFFFu /* Kea Lease::INFINITY_LFT */

/* Kea lease states (Lease::STATE_*). Whether a lease is one its client
 * released is the host's to say (lease_released): the releases mark it
 * differently. */
enum win_kea_state {
    WIN_KEA_STATE_DEFAULT = 0,
    WIN_KEA_STATE_DECLINED = 1,
    WIN_KEA_STATE_EXPIRED_RECLAIMED = 2,
    WIN_KEA_STATE_RELEASED = 3 /* Kea 3.0 */
};

/* What the Kea release the host runs can do, for the translation. */
struct win_kea_facts {
    const char *release;        /* "2.2", "2.6", "3.0": named in what operators read */
    unsigned ha_relationships;  /* HA relationships one server runs (1; 2.6+: several) */
};

/* Kea HA's state of one relationship (this server's "state" in status-get),
 * classified once, by the host. */
enum win_ha_phase {
    WIN_HA_NOT_RUNNING = 0, /* HA is not loaded, or runs no relationship by that name */
    WIN_HA_SERVING,         /* load-balancing, hot-standby: serving with the partner */
    WIN_HA_COMMUNICATION_RECOVERY,
    WIN_HA_PARTNER_DOWN,
    WIN_HA_PARTNER_IN_MAINTENANCE,
    WIN_HA_IN_MAINTENANCE,
    WIN_HA_WAITING,
    WIN_HA_SYNCING,
    WIN_HA_READY,
    WIN_HA_TERMINATED,
    WIN_HA_OTHER            /* backup, passive-backup, a state this list does not know */
};

#define WIN_HA_STATE_NAME_MAX 40

struct win_ha_state {
    enum win_ha_phase phase;
    int partner_interrupted; /* communication with the partner is lost */
    char name[WIN_HA_STATE_NAME_MAX]; /* Kea's name of the state, or "not-running" */
};

/* Kea HA's administrator takeover: start serves every client (the partner
 * treated as in maintenance), cancel returns to the pair's normal state. */
enum win_ha_takeover { WIN_HA_TAKEOVER_START, WIN_HA_TAKEOVER_CANCEL };

/* Kea HA's timing parameters, in milliseconds. */
struct win_ha_timing_limits {
    uint32_t delay_max;                  /* the largest delay HA accepts */
    uint32_t max_response_delay_default; /* HA's max-response-delay when none is given */
};

/* Kea HA's parameters of one relationship, as the running configuration
 * has them: only what hook/ reads (the mode, this server's name, the
 * peers' roles, names and URLs). */
enum win_ha_mode {
    WIN_HA_MODE_NONE = 0,      /* no mode given */
    WIN_HA_MODE_LOAD_BALANCING,
    WIN_HA_MODE_HOT_STANDBY,
    WIN_HA_MODE_OTHER          /* passive-backup, or a mode this list does not know */
};

enum win_ha_role {
    WIN_HA_ROLE_PRIMARY,
    WIN_HA_ROLE_SECONDARY,
    WIN_HA_ROLE_STANDBY,
    WIN_HA_ROLE_BACKUP,
    WIN_HA_ROLE_OTHER
};

#define WIN_HA_TEXT_MAX 1024 /* bytes of a name or URL, with its NUL */
#define WIN_HA_PEERS_MAX 8   /* peers kept (in order): the pair and a few backups */

struct win_ha_peer {
    enum win_ha_role role;
    char name[WIN_HA_TEXT_MAX];
    int has_url;
    char url[WIN_HA_TEXT_MAX];
};

struct win_ha_parameters {
    enum win_ha_mode mode;
    char this_server_name[WIN_HA_TEXT_MAX]; /* "" when none is given */
    struct win_ha_peer peers[WIN_HA_PEERS_MAX]; /* those with a role and a name */
    size_t peer_count;
};

enum win_host_status {
    WIN_HOST_OK = 0,
    WIN_HOST_NOT_FOUND, /* no such lease */
    WIN_HOST_EXISTS,    /* the backend already holds a lease for the address */
    WIN_HOST_BUSY,      /* another thread holds the address lock */
    WIN_HOST_ERROR,     /* the backend failed; message in err */
    WIN_HOST_UNREACHABLE /* partner_call: the request never reached the partner */
};

struct win_subnet {
    uint32_t id;
    uint32_t prefix;     /* network address */
    uint8_t prefix_len;
    uint32_t valid_lft;  /* the subnet's default valid lifetime, seconds */
};

/* One Kea lease, in the shape of Kea's Lease4. */
struct win_lease {
    uint32_t addr;
    uint32_t subnet_id;
    uint8_t hwaddr[WIN_HWADDR_MAX];
    uint8_t hwaddr_len;
    uint8_t client_id[WIN_CLIENT_ID_MAX];
    uint8_t client_id_len;
    int64_t cltt;        /* seconds since 1970 */
    uint32_t valid_lft;  /* WIN_INFINITE_LFT = never expires */
    uint8_t state;       /* enum win_kea_state */
    char *hostname;      /* malloc'd, may be NULL */
    struct cJSON *user_context; /* owned JSON map, may be NULL */
};

struct win_lease_list {
    struct win_lease *items;
    size_t count;
    size_t capacity;
};

enum win_identifier_type {
    WIN_IDENT_HWADDR,
    WIN_IDENT_CLIENT_ID,
    WIN_IDENT_OTHER     /* circuit-id, flex-id, duid: never a Windows client */
};

struct win_reservation {
    enum win_identifier_type type;
    uint8_t id[255];
    size_t id_len;
    char type_name[16]; /* Kea's identifier name, for messages */
};

/* The TLS material of an https exchange with the partner, as Kea's TLS
 * client takes it: the CA file (or directory) the partner's certificate must
 * chain to, and the certificate and key this side presents. */
struct win_tls {
    const char *trust_anchor;
    const char *cert_file;
    const char *key_file;
};

/* The longest a configuration check (config_check) may take. */
#define WIN_CONFIG_CHECK_MAX_MS 10000

struct win_host {
    void *ctx;
    int64_t (*now)(void *ctx);
    const struct win_kea_facts *(*kea_facts)(void *ctx);
    /* The directory Kea keeps its state files in (its lease files): the hook
     * keeps its own in its subdirectory win-cmds unless the hook parameters
     * name another. */
    const char *(*data_directory)(void *ctx);
    /* 1 when lease is one its client released, as this release keeps such
     * a lease (not a live record, not counted as assigned), else 0. */
    int (*lease_released)(void *ctx, const struct win_lease *lease);
    /* The kind of lease database Kea runs: "memfile", "mysql", "postgresql"
     * ("" when none is open). */
    const char *(*lease_backend)(void *ctx);
    /* The HA state of the relationship in which this server is named
     * server_name (NULL: the server's only relationship): WIN_HOST_OK with
     * *out filled (WIN_HA_NOT_RUNNING when HA runs no such relationship), or
     * WIN_HOST_ERROR with err and *out as not running (Kea's state could not
     * be read: not the same as HA not running). */
    int (*ha_state)(void *ctx, const char *server_name, struct win_ha_state *out, char *err);
    /* Runs Kea HA's takeover: WIN_HOST_OK with HA's answer text in text
     * (size bytes), or WIN_HOST_ERROR with why in err (HA refused, or the
     * command could not run). */
    int (*ha_takeover)(void *ctx, enum win_ha_takeover what, char *text, size_t size,
                       char *err);
    const struct win_ha_timing_limits *(*ha_timing_limits)(void *ctx);
    /* The HA parameters Kea runs for the relationship in which this server
     * is named server_name (NULL: the first one): WIN_HOST_OK with *out
     * filled, WIN_HOST_NOT_FOUND (HA is not configured, or names no such
     * server), or WIN_HOST_ERROR with err (the configuration could not be
     * read: not the same as none). */
    int (*ha_parameters)(void *ctx, const char *server_name, struct win_ha_parameters *out,
                         char *err);
    /* WIN_HOST_OK with *out filled when a configured subnet's prefix holds
     * addr, WIN_HOST_NOT_FOUND, or WIN_HOST_ERROR with err (Kea's
     * configuration could not be read: not the same as no subnet). */
    int (*subnet_find)(void *ctx, uint32_t addr, struct win_subnet *out, char *err);
    /* Every subnet of the configuration Kea runs (from win_cmds_configured:
     * of the one it is being configured with), in no particular order: up to
     * max written and *count the number there are; WIN_HOST_OK, or
     * WIN_HOST_ERROR with err. */
    int (*subnets)(void *ctx, struct win_subnet *out, size_t max, size_t *count, char *err);
    /* Sets user-context "ha-server-name" of the subnet to name, in memory
     * only, on the configuration Kea is being configured with (from
     * win_cmds_configured only; the file is not changed): WIN_HOST_OK,
     * WIN_HOST_NOT_FOUND, or WIN_HOST_ERROR with err. */
    int (*subnet_set_ha_server_name)(void *ctx, uint32_t subnet_id, const char *name,
                                     char *err);
    /* WIN_HOST_OK with *out filled (caller frees with win_lease_clear),
     * WIN_HOST_NOT_FOUND, or WIN_HOST_ERROR with err. */
    int (*lease_get)(void *ctx, uint32_t addr, struct win_lease *out, char *err);
    /* Append every lease with this hardware address / client id / hostname. */
    int (*leases_by_hwaddr)(void *ctx, const uint8_t *hw, size_t len,
                            struct win_lease_list *out, char *err);
    int (*leases_by_client_id)(void *ctx, const uint8_t *id, size_t len,
                               struct win_lease_list *out, char *err);
    int (*leases_by_hostname)(void *ctx, const char *hostname,
                              struct win_lease_list *out, char *err);
    /* Insert; WIN_HOST_EXISTS when a row for the address exists. */
    int (*lease_add)(void *ctx, const struct win_lease *lease, char *err);
    /* Replace the row for lease->addr; WIN_HOST_NOT_FOUND when it is gone. */
    int (*lease_update)(void *ctx, const struct win_lease *lease, char *err);
    /* Remove the row for addr; WIN_HOST_NOT_FOUND when there is none. */
    int (*lease_delete)(void *ctx, uint32_t addr, char *err);
    /* Append up to limit leases with addresses above after, in ascending
     * address order (Kea's lease4-get-page): cost independent of position. */
    int (*leases_page)(void *ctx, uint32_t after, size_t limit, struct win_lease_list *out,
                       char *err);
    /* The subnet's address pools as [first, last] ranges: up to max of them
     * written and *count the number the subnet has (0 for no such subnet):
     * WIN_HOST_OK, or WIN_HOST_ERROR with err. */
    int (*subnet_pools)(void *ctx, uint32_t subnet_id, uint32_t *first, uint32_t *last,
                        size_t max, size_t *count, char *err);
    /* WIN_HOST_OK with *out filled when a host reservation in the subnet
     * names addr, WIN_HOST_NOT_FOUND, or WIN_HOST_ERROR with err (the host
     * backend failed: not the same as no reservation). */
    int (*reservation_find)(void *ctx, uint32_t subnet_id, uint32_t addr,
                            struct win_reservation *out, char *err);
    /* Takes Kea's per-address allocation lock (multi-threading): WIN_HOST_OK
     * (held: release with address_unlock), WIN_HOST_BUSY (another thread
     * holds it), or WIN_HOST_ERROR with err (not held). */
    int (*address_lock)(void *ctx, uint32_t addr, char *err);
    void (*address_unlock)(void *ctx, uint32_t addr);
    /* Kea's StatsMgr: stat_add adds delta (a missing statistic is made with
     * it, so 0 registers one and keeps a value it has); stat_set sets a gauge;
     * stat_remove deletes one (win_stats.h names the hook's own). */
    void (*stat_add)(void *ctx, const char *name, int64_t delta);
    void (*stat_set)(void *ctx, const char *name, int64_t value);
    void (*stat_remove)(void *ctx, const char *name);
    /* WIN_HOST_OK and *id set when Kea keeps statistics per pool (2.6+:
     * lease4-add moves subnet[N].pool[P].*) and addr lies in one of the
     * subnet's pools; WIN_HOST_NOT_FOUND otherwise; WIN_HOST_ERROR with err
     * when the configuration could not be read. */
    int (*pool_statistics_id)(void *ctx, uint32_t subnet_id, uint32_t addr, uint64_t *id,
                              char *err);
    /* The directory of Kea's own hook libraries (libdhcp_ha.so): what a new
     * hooks-libraries entry for one of them names. */
    const char *(*kea_hooks_directory)(void *ctx);
    /* 0 when kea-dhcp4 would load a hooks-libraries entry naming library (the
     * file is where Kea looks, in a directory the release allows); -1 with
     * the reason in err (WIN_HOST_ERR_LEN) otherwise. */
    int (*hook_library_check)(void *ctx, const char *library, char *err);
    /* Has the running Kea release check the configuration file at path as a
     * start or reload would read it (kea-dhcp4 -t), within
     * WIN_CONFIG_CHECK_MAX_MS: 0, or -1 with the reason (the check's error
     * line) in err (WIN_HOST_ERR_LEN). */
    int (*config_check)(void *ctx, const char *path, char *err);
    /* The configuration file kea-dhcp4 was started with (-c), or NULL. */
    const char *(*config_file)(void *ctx);
    /* Has Kea reload its configuration file once the running command has
     * answered (never from inside the handler: that crashes kea-dhcp4). */
    void (*schedule_reload)(void *ctx);
    /* An HTTP exchange with the failover partner's control endpoint, with
     * Kea's HTTP client, in three steps so that work can go on meanwhile:
     * partner_send POSTs body (a Kea command, JSON text) to url with basic
     * auth (user empty: none), over TLS with tls for an https url (NULL:
     * none), and returns a handle (NULL with err when it could not start); partner_poll lets it progress without waiting;
     * partner_wait waits for it, at most timeout_ms after the send, and
     * frees the handle: WIN_HOST_OK with *answer (malloc'd response body);
     * WIN_HOST_UNREACHABLE when it never arrived (connection refused, a
     * failed TLS handshake);
     * WIN_HOST_BUSY when no answer came in time (it may still arrive and be
     * acted on); WIN_HOST_ERROR otherwise. err (WIN_HOST_ERR_LEN) says why. */
    void *(*partner_send)(void *ctx, const char *url, const struct win_tls *tls,
                          const char *user, const char *password, const char *body,
                          unsigned timeout_ms, char *err);
    void (*partner_poll)(void *ctx, void *handle);
    int (*partner_wait)(void *ctx, void *handle, char **answer, char *err);
    /* HMAC-SHA256 of data under key (Kea's cryptolink). */
    void (*hmac_sha256)(void *ctx, const void *key, size_t key_len, const void *data,
                        size_t len, uint8_t out[32]);
    /* Logs message id (win_messages.def) with its arguments' texts, at the
     * id's severity: hook/ calls it through WIN_LOG. */
    void (*log)(void *ctx, enum win_message id, const char *const *args, size_t count);
    /* Whether log() at this level would write anything: a line costs more to
     * format than a bulk item costs to create. */
    int (*log_enabled)(void *ctx, enum win_log_level level);
};

/* partner_send and partner_wait in one: as partner_wait answers. */
int win_partner_call(const struct win_host *host, const char *url, const struct win_tls *tls,
                     const char *user, const char *password, const char *body,
                     unsigned timeout_ms, char **answer, char *err);

void win_lease_clear(struct win_lease *lease);
void win_lease_move(struct win_lease *dst, struct win_lease *src);
/* Appends a copy of the fixed fields and takes ownership of the strings. */
int win_lease_list_push(struct win_lease_list *list, struct win_lease *lease);
void win_lease_list_free(struct win_lease_list *list);

/* A command's list argument handed over an item at a time, so that a bulk of
 * 100,000 records never exists twice (as the host's parsed request and as a
 * cJSON copy of it). next gives the items in order, each valid until the next
 * call; NULL for an item the host could not convert (out of memory). */
struct win_items {
    size_t count;
    const struct cJSON *(*next)(void *source);
    void *source;
};

#ifdef __cplusplus
}
#endif

#endif
