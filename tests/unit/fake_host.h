/* An in-memory host for the unit tests: subnets, leases, reservations and
 * statistics in arrays, with switches to make the backend fail. It behaves as
 * Kea does where hook/ depends on it: one lease per address, hostnames kept in
 * lower case, lookups by hw-address / client-id / hostname across subnets. */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <cjson/cJSON.h>

#include "win_host.h"

#define FAKE_MAX 512

struct fake_host {
    int64_t now;
    struct win_subnet subnets[FAKE_MAX];
    size_t subnet_count;
    struct win_lease leases[FAKE_MAX];
    size_t lease_count;
    struct { uint32_t subnet_id, addr; struct win_reservation r; } reservations[FAKE_MAX];
    size_t reservation_count;
    struct { uint32_t subnet_id, first, last; } pools[FAKE_MAX];
    size_t pool_count;
    struct fake_stat { char name[128]; int64_t value; } stats[FAKE_MAX];
    size_t stat_count;
    int stat_sets;         /* stat_set calls (a gauge set) */
    int pool_statistics;   /* pool_statistics_id answers (Kea 2.6+): pool P = index in pools */
    int fail_backend;      /* every lease operation answers WIN_HOST_ERROR */
    int fail_subnets;      /* subnet_find answers WIN_HOST_ERROR */
    int fail_reservations; /* reservation_find answers WIN_HOST_ERROR (host backend down) */
    int add_says_exists;   /* lease_add answers WIN_HOST_EXISTS (a lost race) */
    int update_says_gone;  /* lease_update answers WIN_HOST_NOT_FOUND (deleted meanwhile) */
    int page_calls;        /* leases_page calls made */
    int lock_busy;         /* address_lock answers WIN_HOST_BUSY (another thread holds it) */
    int fail_lock;         /* address_lock answers WIN_HOST_ERROR */
    int fail_pools;        /* subnet_pools answers WIN_HOST_ERROR */
    int fail_pool_statistics; /* pool_statistics_id answers WIN_HOST_ERROR */
    int fail_ha_parameters;   /* ha_parameters answers WIN_HOST_ERROR */
    int fail_ha_state;        /* ha_state answers WIN_HOST_ERROR */
    int ha_state_delay_ms;    /* how long reading HA's state takes */
    int locks_held;        /* balance of lock/unlock calls */
    int log_lines;
    char log_text[16384];     /* the lines logged since the reset, "ID text\n" each */
    int log_off;              /* log_enabled answers 0 (Kea's level is above INFO) */
    /* HA as the fake Kea runs it: ha_state NULL = the HA hook is not loaded. */
    const char *ha_state;
    int partner_interrupted;
    char commands_run[512];   /* every Kea command the host ran (ha_parameters: its
                                 name), space separated */
    int refuse_commands;      /* ha_takeover: HA refuses */
    char config_path[256];    /* the "-c" file; "" = unknown */
    /* Kea being configured (win_cmds_configured runs) and the names the hook
     * gave the subnets then, by index in subnets ("" = none). */
    int configuring;
    char ha_server_names[FAKE_MAX][64];
    struct win_kea_facts facts;  /* Kea 2.2's unless a test sets another release */
    const char *lease_backend;   /* lease_backend's answer; NULL = "memfile" */
    const char *missing_library; /* hook_library_check refuses this file name */
    int reloads;              /* schedule_reload calls */
    /* config_check (kea-dhcp4 -t): calls made; a reason = it refuses every
     * file; the hook runs first on the checked file's path. */
    int config_checks;
    const char *config_check_refuses;
    void (*config_check_hook)(const char *path);
    /* The failover partner: NULL = connection refused; otherwise it answers
     * body as partner_wait does (WIN_HOST_OK with a malloc'd *answer). */
    int (*partner)(const char *body, char **answer, char *err);
    char partner_url[512];    /* the last call's "url|user|password" */
    unsigned partner_wait_ms; /* the last call's wait */
    char partner_tls[3200];   /* its TLS material "ca|cert|key", or "none" */
};

extern struct fake_host fake;

/* The host failures a record's create, set and delete refuse on, nothing
 * changed: each one's switch, and what the refusal's text names. */
struct fake_failure {
    int *fail;
    const char *text;
};
#define FAKE_CHANGE_FAILURES 4
extern const struct fake_failure fake_change_failures[FAKE_CHANGE_FAILURES];

/* The host table the fake fills (for code that takes a win_ctx directly). */
const struct win_host *fake_host_table(void);

/* Empties the fake, configures hook/ over it (params: JSON text or NULL). */
void fake_reset(const char *params);
void fake_add_subnet(uint32_t id, const char *prefix, uint8_t len, uint32_t valid_lft);
/* The lease's user-context as JSON text (valid until the next call). */
const char *fake_context_text(const struct win_lease *lease);
/* A lease as Kea would hold it; hw / client_id as hex text or NULL. */
struct win_lease *fake_add_lease(const char *ip, uint32_t subnet_id, const char *hw,
                                 const char *client_id, const char *hostname,
                                 const char *user_context);
void fake_add_pool(uint32_t subnet_id, const char *first, const char *last);
void fake_add_reservation(uint32_t subnet_id, const char *ip, enum win_identifier_type type,
                          const char *id);
struct win_lease *fake_find_lease(const char *ip);
int64_t fake_stat(const char *name);     /* 0 when there is none */
int fake_stat_present(const char *name); /* 1 when the host holds it */

/* A fresh temporary directory that is the state directory and holds the -c
 * file: config_json with the include of the state directory's HA fragment
 * added as the last of its hooks-libraries, and the fragment with no
 * relationship; the hook is reconfigured to use them. */
void fake_use_files(const char *config_json);
/* The hook configured again over the same files, as after a restart of
 * kea-dhcp4 (its memory gone), with extra_params (NULL: none; else members
 * of the parameters map, e.g. "\"max-unreplicated-changes\":2"). */
void fake_restart(const char *extra_params);
/* The state directory fake_use_files made. */
const char *fake_state_directory(void);
/* The same with config_json as it is (no include added). */
void fake_use_files_as_is(const char *config_json);
/* The configuration as Kea reads it: the -c file with the include replaced
 * by the fragment's text, comments blanked (caller frees). */
char *fake_config_text(void);

/* The -c file's bytes, as the operator wrote them (caller frees). */
char *fake_operator_text(void);
/* The state directory's HA fragment (caller frees; NULL: none). */
char *fake_fragment_text(void);
/* Kea (re)configured: win_cmds_configured names the subnets. */
void fake_configure_kea(void);
/* The ha-server-name the hook set on the subnet at the last configuration
 * ("" = none). */
const char *fake_ha_server_name(uint32_t subnet_id);

/* Runs one command through win_cmds_handle; the caller frees the answer. */
cJSON *call(const char *command, const char *args_json);
/* A bulk create's arguments: n records, 192.0.2.<first + i> for
 * 02:00:00:00:01:<first + i> (caller frees). */
char *fake_bulk_create_args(int first, int n);
int answer_code(const cJSON *answer);     /* arguments.error-code */
int answer_result(const cJSON *answer);   /* result */
const char *answer_text(const cJSON *answer);
const cJSON *answer_args(const cJSON *answer);
const char *record_string(const cJSON *answer, const char *field); /* arguments.client.field */

/* The first line logged with id since the reset (its ID, a space, its text),
 * or NULL. */
const char *fake_logged(enum win_message id);

/* The host table's HA calls (fake_ha.c). */
int fake_host_ha_state(void *ctx, const char *server_name, struct win_ha_state *out,
                       char *err);
int fake_host_ha_takeover(void *ctx, enum win_ha_takeover what, char *text, size_t size,
                          char *err);
int fake_host_ha_parameters(void *ctx, const char *server_name,
                            struct win_ha_parameters *out, char *err);
const struct win_ha_timing_limits *fake_host_ha_timing_limits(void *ctx);

#endif
