/* Client records on a failover pair over the fake host: what goes to the
 * partner, what its answers do here, the durable queue, and the receiving
 * side's checks (signature, freshness, replay, role). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fake_host.h"
#include "fake_partner.h"
#include "replica_nonces.h"
#include "replica_wire.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-client-info-vq-create"
#define SECRET "pair-secret"

/* What the fake partner got and will answer. */
static char last_body[1 << 20];
static int partner_status = WIN_HOST_OK;
static int partner_code;
static char partner_text[128];
static int bodies;
static int aborts; /* requests that carried an abort */
static int partner_delay_ms; /* how long the partner takes to answer */
static int forge_reply;
static int refuse_all; /* the whole request refused, unsigned, as a hook's refusal comes */
static const char *holder;

/* Refuses every op with partner_code when set. */
static int refuse_with_partner_code(const cJSON *op, const char **text, char *holder_out,
                                    size_t size)
{
    (void)op;
    *text = partner_text;
    if (partner_code == ERROR_DHCP_CLIENT_EXISTS) snprintf(holder_out, size, "%s", holder);
    return partner_code;
}

/* Answers one result per op, as kea-ctrl-agent relays the hook's answer. */
static int partner(const char *body, char **answer, char *err)
{
    snprintf(last_body, sizeof last_body, "%s", body);
    bodies++;
    if (partner_delay_ms) {
        struct timespec t = {0, partner_delay_ms * 1000000L};
        nanosleep(&t, NULL);
    }
    aborts += strstr(body, "\\\"op\\\":\\\"abort\\\"") != NULL;
    if (refuse_all) {
        *answer = strdup("[{\"result\":1,\"text\":\"replica refused\",\"arguments\":"
                         "{\"error-code\":87,\"error-name\":\"ERROR_INVALID_PARAMETER\"}}]");
        return WIN_HOST_OK;
    }
    if (partner_status != WIN_HOST_OK) {
        snprintf(err, WIN_HOST_ERR_LEN, "no answer within 500 ms");
        return partner_status;
    }
    /* Signed as the partner signs it, unless the test forges it. */
    *answer = fake_partner_answer(body, forge_reply ? "forged" : SECRET,
                                  refuse_with_partner_code);
    return WIN_HOST_OK;
}

static void relationship(const char *server_type)
{
    char text[512];
    if (fake_pair_relationship(server_type, SECRET,
                               "\"basic-auth-user\":\"peer\",\"basic-auth-password\":\"peer-pw\"",
                               text, sizeof text) != 0)
        fail_msg("relationship: %s", text);
}

static int setup(void **state)
{
    (void)state;
    fake_pair_host();
    relationship("primary");
    fake.ha_state = "load-balancing";
    fake.partner = partner;
    partner_status = WIN_HOST_OK;
    partner_code = 0;
    bodies = 0;
    aborts = 0;
    partner_delay_ms = 0;
    forge_reply = 0;
    refuse_all = 0;
    holder = "[\"192.0.2.10\",\"02:00:00:00:00:99\",null,1,3600,0]";
    last_body[0] = '\0';
    return 0;
}

static const cJSON *partner_of(const cJSON *answer)
{
    return cJSON_GetObjectItem(answer_args(answer), "partner");
}

static void create_is_applied_on_the_partner(void **state)
{
    (void)state;
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\","
                            "\"client-comment\":\"r\\u00e9seau\"}");
    assert_int_equal(answer_code(a), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(partner_of(a), "replicated")));
    assert_non_null(fake_find_lease("192.0.2.10"));
    /* The partner's control endpoint, as Kea HA reaches it. */
    assert_string_equal(fake.partner_url, "http://192.0.2.2:8000/|peer|peer-pw");
    assert_null(strstr(last_body, SECRET));
    /* The payload is ASCII (the comment travels escaped) and signed. */
    assert_non_null(strstr(last_body, "\"command\":\"win-client-replica\""));
    assert_non_null(strstr(last_body, "r\\\\u00e9seau"));
    for (const char *p = last_body; *p; p++) assert_true((unsigned char)*p < 0x80);
    assert_non_null(strstr(last_body, "\"hmac\":\""));
    cJSON_Delete(a);
}

static void partner_refusal_undoes_the_create(void **state)
{
    (void)state;
    partner_code = ERROR_DHCP_CLIENT_EXISTS;
    snprintf(partner_text, sizeof partner_text, "client 192.0.2.10 already has a lease record");
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_CLIENT_EXISTS);
    assert_non_null(strstr(answer_text(a), "on the partner"));
    assert_null(fake_find_lease("192.0.2.10"));
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 0);
    cJSON_Delete(a);
}

static void unreachable_partner_queues_durably(void **state)
{
    (void)state;
    fake.partner = NULL; /* connection refused */
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(partner_of(a), "replicated")));
    assert_int_equal(cJSON_GetObjectItem(partner_of(a), "queued")->valueint, 1);
    assert_non_null(fake_find_lease("192.0.2.10"));
    cJSON_Delete(a);
    /* A later change waits behind it without asking the partner. */
    fake.partner = partner;
    a = call(CREATE, "{\"client-ip-address\":\"192.0.2.11\","
                     "\"client-hardware-address\":\"02:00:00:00:00:02\"}");
    assert_int_equal(answer_code(a), 0);
    assert_int_equal(bodies, 0);
    assert_int_equal(cJSON_GetObjectItem(partner_of(a), "queued")->valueint, 2);
    cJSON_Delete(a);
    a = call("win-failover-relationship-get", "{\"relationship-name\":\"pair\"}");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a), "relationship"),
                                         "unreplicated-changes")->valueint, 2);
    cJSON_Delete(a);
    /* The tick sends both, in order, in one request. */
    win_cmds_tick();
    assert_int_equal(bodies, 1);
    assert_true(strstr(last_body, "192.0.2.10") < strstr(last_body, "192.0.2.11"));
    a = call("win-failover-relationship-get", "{\"relationship-name\":\"pair\"}");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a), "relationship"),
                                         "unreplicated-changes")->valueint, 0);
    cJSON_Delete(a);
}

static void syncing_refuses_and_changes_nothing(void **state)
{
    (void)state;
    fake.ha_state = "syncing";
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_FO_SCOPE_SYNC_IN_PROGRESS);
    assert_null(fake_find_lease("192.0.2.10"));
    assert_int_equal(bodies, 0);
    cJSON_Delete(a);
}

/* Kea's HA state unreadable is no "HA not running" (which sends the change
 * on): the pair's record change is refused naming the lookup. */
static void a_failed_ha_state_read_refuses_and_changes_nothing(void **state)
{
    (void)state;
    fake.ha_state = "load-balancing";
    fake.fail_ha_state = 1;
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_JET_ERROR);
    assert_non_null(strstr(answer_text(a), "HA state lookup failed: status-get failed"));
    assert_null(fake_find_lease("192.0.2.10"));
    assert_int_equal(bodies, 0);
    cJSON_Delete(a);
}

/* A bulk goes to the partner REPL_CHUNK (128) changes a request: 128 in one,
 * 250 in two. */
static void primary_timeout_is_not_reachable(void **state)
{
    (void)state;
    partner_status = WIN_HOST_BUSY;
    partner_delay_ms = 200; /* the whole wait, as a partner that does not answer costs */
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_SERVER_NOT_REACHABLE);
    assert_null(fake_find_lease("192.0.2.10"));
    /* An abort follows in case the request still arrives; it is no change of a record. */
    assert_int_equal(cJSON_GetObjectItem(partner_of(a), "queued")->valueint, 0);
    cJSON_Delete(a);
    /* The next change within 5 s waits for no one: it is queued, not sent
     * (with Kea multi-threading on, a DHCP packet that arrived during the
     * timed-out wait is served only after the next command too). */
    a = call(CREATE, "{\"client-ip-address\":\"192.0.2.11\","
                     "\"client-hardware-address\":\"02:00:00:00:00:02\"}");
    assert_int_equal(answer_code(a), 0);
    assert_int_equal(bodies, 1);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(partner_of(a), "replicated")));
    assert_int_equal(cJSON_GetObjectItem(partner_of(a), "queued")->valueint, 1);
    assert_non_null(strstr(cJSON_GetObjectItem(partner_of(a), "text")->valuestring,
                           "left a request unanswered for 200 ms"));
    assert_non_null(fake_find_lease("192.0.2.11"));
    cJSON_Delete(a);
    partner_status = WIN_HOST_OK;
    partner_delay_ms = 0;
    win_cmds_tick();
    assert_int_equal(aborts, 1);
    assert_non_null(strstr(last_body, "192.0.2.11"));
}

/* A bulk waits for the partner once: after its first chunk timed out, the
 * rest is queued behind the abort, not sent. */
static void bulk_waits_for_a_silent_partner_once(void **state)
{
    (void)state;
    partner_status = WIN_HOST_BUSY;
    char *args = fake_bulk_create_args(1, 250);
    cJSON *a = call(CREATE, args);
    free(args);
    assert_int_equal(answer_code(a), ERROR_DHCP_SERVER_NOT_REACHABLE);
    assert_int_equal(bodies, 1);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "failed")->valueint, 128);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "created")->valueint, 122);
    assert_null(fake_find_lease("192.0.2.1"));
    assert_non_null(fake_find_lease("192.0.2.250"));
    assert_int_equal(cJSON_GetObjectItem(partner_of(a), "queued")->valueint, 122);
    cJSON_Delete(a);
}

/* A command's requests all end within its 200 ms: a partner that answers,
 * but slowly, gets the first chunk of a bulk, and the rest is queued. */
static void bulk_waits_for_a_slow_partner_no_longer_than_its_bound(void **state)
{
    (void)state;
    partner_delay_ms = 210;
    char *args = fake_bulk_create_args(1, 250);
    cJSON *a = call(CREATE, args);
    free(args);
    assert_int_equal(answer_code(a), 0);
    assert_int_equal(bodies, 1);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "created")->valueint, 250);
    assert_int_equal(cJSON_GetObjectItem(partner_of(a), "queued")->valueint, 122);
    assert_non_null(strstr(cJSON_GetObjectItem(partner_of(a), "text")->valuestring,
                           "reached its bound (200 ms from its first change"));
    cJSON_Delete(a);
}

/* The bound counts from the command's start, not its first request: what
 * the command did before (here a slow read of Kea HA's state) held
 * kea-dhcp4 too. */
static void the_bound_counts_from_the_commands_start(void **state)
{
    (void)state;
    fake.ha_state_delay_ms = 150;
    partner_delay_ms = 60;
    char *args = fake_bulk_create_args(1, 250);
    cJSON *a = call(CREATE, args);
    free(args);
    assert_int_equal(answer_code(a), 0);
    assert_int_equal(bodies, 1);
    assert_int_equal(cJSON_GetObjectItem(partner_of(a), "queued")->valueint, 122);
    cJSON_Delete(a);
}

static void secondary_gives_way_to_the_primary(void **state)
{
    (void)state;
    cJSON_Delete(call("win-failover-relationship-delete", "{\"relationship-name\":\"pair\"}"));
    relationship("secondary");
    partner_status = WIN_HOST_BUSY;
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_CLIENT_EXISTS);
    assert_non_null(strstr(answer_text(a), "primary's change wins"));
    assert_null(fake_find_lease("192.0.2.10"));
    cJSON_Delete(a);
}

static void set_and_delete_carry_the_record(void **state)
{
    (void)state;
    cJSON_Delete(call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                              "\"client-hardware-address\":\"02:00:00:00:00:01\"}"));
    cJSON *a = call("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.10\","
                                              "\"client-hardware-address\":\"02:00:00:00:00:01\","
                                              "\"client-comment\":\"set\"}");
    assert_int_equal(answer_code(a), 0);
    assert_non_null(strstr(last_body, "\\\"op\\\":\\\"set\\\""));
    assert_non_null(strstr(last_body, "\\\"pre\\\""));
    cJSON_Delete(a);
    /* Refused there: the set is undone here. */
    partner_code = ERROR_DHCP_CLIENT_EXISTS;
    a = call("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.10\","
                                       "\"client-hardware-address\":\"02:00:00:00:00:01\","
                                       "\"client-comment\":\"refused\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_CLIENT_EXISTS);
    assert_non_null(strstr(fake_context_text(fake_find_lease("192.0.2.10")), "\"set\""));
    cJSON_Delete(a);
    partner_code = 0;
    a = call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.10\"}");
    assert_int_equal(answer_code(a), 0);
    assert_non_null(strstr(last_body, "\\\"op\\\":\\\"delete\\\""));
    assert_null(fake_find_lease("192.0.2.10"));
    cJSON_Delete(a);
    /* A delete the partner cannot take comes back. */
    cJSON_Delete(call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                              "\"client-hardware-address\":\"02:00:00:00:00:01\"}"));
    partner_status = WIN_HOST_ERROR;
    a = call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.10\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_SERVER_NOT_REACHABLE);
    assert_non_null(fake_find_lease("192.0.2.10"));
    cJSON_Delete(a);
}

static void bulk_goes_in_chunks(void **state)
{
    (void)state;
    partner_code = 0;
    char *args = fake_bulk_create_args(1, 128);
    cJSON *a = call(CREATE, args);
    assert_int_equal(answer_code(a), 0);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "created")->valueint, 128);
    assert_int_equal(bodies, 1);
    cJSON_Delete(a);
    free(args);
    setup(NULL);
    args = fake_bulk_create_args(1, 250);
    a = call(CREATE, args);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "created")->valueint, 250);
    assert_int_equal(bodies, 2);
    cJSON_Delete(a);
    free(args);
}

/* A queued create that meets another client on the partner when it is
 * finally sent: the primary's record wins on both servers, and the log has
 * both records. */
static void queued_conflict_goes_the_primarys_way(void **state)
{
    (void)state;
    fake.partner = NULL;
    cJSON_Delete(call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                              "\"client-hardware-address\":\"02:00:00:00:00:01\"}"));
    fake.partner = partner;
    partner_code = ERROR_DHCP_CLIENT_EXISTS;
    snprintf(partner_text, sizeof partner_text, "client 192.0.2.10 already has a lease record");
    win_cmds_tick();
    /* This server is the primary: its record is written over the partner's. */
    assert_int_equal(bodies, 2);
    assert_non_null(strstr(last_body, "\\\"force\\\":true"));
    assert_int_equal(fake_find_lease("192.0.2.10")->hwaddr[5], 0x01);
    const char *line = fake_logged(WIN_CMDS_CONFLICT_PRIMARY_WRITTEN);
    assert_non_null(line);
    assert_non_null(strstr(line, "conflict on 192.0.2.10"));
    assert_non_null(strstr(line, "02:00:00:00:00:99"));

    /* The secondary takes the primary's record instead. */
    setup(NULL);
    cJSON_Delete(call("win-failover-relationship-delete", "{\"relationship-name\":\"pair\"}"));
    relationship("secondary");
    fake.partner = NULL;
    cJSON_Delete(call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                              "\"client-hardware-address\":\"02:00:00:00:00:01\"}"));
    fake.partner = partner;
    partner_code = ERROR_DHCP_CLIENT_EXISTS;
    win_cmds_tick();
    assert_int_equal(bodies, 1);
    const struct win_lease *l = fake_find_lease("192.0.2.10");
    assert_non_null(l);
    assert_int_equal(l->hwaddr[5], 0x99);
    line = fake_logged(WIN_CMDS_CONFLICT_PRIMARY_TAKEN);
    assert_non_null(line);
    assert_non_null(strstr(line, "conflict on 192.0.2.10"));
}

/* The request a sender makes, handed to this server as the partner. */
static void receiving_side_checks_the_signature(void **state)
{
    (void)state;
    cJSON_Delete(call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                              "\"client-hardware-address\":\"02:00:00:00:00:01\"}"));
    cJSON *command = cJSON_Parse(last_body);
    char *args = cJSON_PrintUnformatted(cJSON_GetObjectItem(command, "arguments"));
    /* This server becomes the secondary, without the record. */
    cJSON_Delete(call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.10\"}"));
    cJSON_Delete(call("win-failover-relationship-delete", "{\"relationship-name\":\"pair\"}"));
    relationship("secondary");
    cJSON *a = call("win-client-replica", args);
    assert_int_equal(answer_result(a), 0);
    assert_non_null(fake_find_lease("192.0.2.10"));
    cJSON_Delete(a);
    a = call("win-client-replica", args);
    assert_int_equal(answer_code(a), ERROR_ACCESS_DENIED);
    assert_non_null(strstr(answer_text(a), "seen before"));
    cJSON_Delete(a);
    /* Nonces are forgotten at a reload or restart: the sequence mark in the
     * state directory still refuses it. */
    replica_nonces_reset();
    a = call("win-client-replica", args);
    assert_int_equal(answer_code(a), ERROR_ACCESS_DENIED);
    assert_non_null(strstr(answer_text(a), "sequence number"));
    cJSON_Delete(a);
    /* A changed payload no longer matches its hmac. */
    char *tampered = strdup(args), *at = strstr(tampered, "192.0.2.10");
    at[8] = '2';
    a = call("win-client-replica", tampered);
    assert_int_equal(answer_code(a), ERROR_ACCESS_DENIED);
    assert_non_null(strstr(answer_text(a), "hmac"));
    assert_null(fake_find_lease("192.0.2.12"));
    cJSON_Delete(a);
    free(tampered);
    free(args);
    cJSON_Delete(command);
}

/* A replica the primary signs right (this server is the secondary), with ops. */
static cJSON *signed_replica(const char *ops)
{
    cJSON_Delete(call("win-failover-relationship-delete", "{\"relationship-name\":\"pair\"}"));
    relationship("secondary");
    char *args = fake_primary_replica(SECRET, ops);
    cJSON *a = call("win-client-replica", args);
    free(args);
    return a;
}

/* The first refusal's text in the signed reply of a replica answer. */
static const char *refusal(const cJSON *a, char *out, size_t size)
{
    cJSON *reply = cJSON_Parse(cJSON_GetObjectItem(answer_args(a), "reply")->valuestring);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(reply, "refused"), 0);
    snprintf(out, size, "%s", first ? cJSON_GetObjectItem(first, "text")->valuestring : "");
    cJSON_Delete(reply);
    return out;
}

static void replica_stays_in_its_scopes_and_force_needs_the_primary(void **state)
{
    (void)state;
    char text[512];
    fake_add_subnet(2, "198.51.100.0", 24, 3600);
    cJSON *a = signed_replica("[{\"op\":\"create\",\"record\":[\"198.51.100.20\","
                              "\"02:00:00:00:00:05\",null,1,3600,0]}]");
    assert_non_null(strstr(refusal(a, text, sizeof text), "outside the scopes"));
    assert_null(fake_find_lease("198.51.100.20"));
    cJSON_Delete(a);
    /* A forced create from the primary replaces another client in one update. */
    fake_add_lease("192.0.2.30", 1, "02:00:00:00:00:06", NULL, NULL, NULL);
    a = signed_replica("[{\"op\":\"create\",\"force\":true,\"record\":[\"192.0.2.30\","
                       "\"02:00:00:00:00:07\",null,1,3600,0]}]");
    assert_string_equal(refusal(a, text, sizeof text), "");
    assert_int_equal(fake_find_lease("192.0.2.30")->hwaddr[5], 0x07);
    cJSON_Delete(a);
    /* Not over a reservation of another client. */
    fake_add_reservation(1, "192.0.2.31", WIN_IDENT_HWADDR, "02:00:00:00:00:08");
    fake_add_lease("192.0.2.31", 1, "02:00:00:00:00:08", NULL, NULL, NULL);
    a = signed_replica("[{\"op\":\"create\",\"force\":true,\"record\":[\"192.0.2.31\","
                       "\"02:00:00:00:00:09\",null,1,3600,0]}]");
    assert_non_null(strstr(refusal(a, text, sizeof text), "reserved"));
    assert_int_equal(fake_find_lease("192.0.2.31")->hwaddr[5], 0x08);
    cJSON_Delete(a);
}

/* A state file written before credentials existed: the secret stays the
 * endpoint's password until a set gives credentials. */
static void old_state_file_keeps_the_secret_as_password_until_set(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s", fake.config_path);
    snprintf(strrchr(path, '/'), sizeof path - (size_t)(strrchr(path, '/') - path),
             "/win-failover-relationships.json");
    FILE *f = fopen(path, "r");
    char text[8192] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cJSON *stored = cJSON_Parse(text);
    cJSON *rel = cJSON_GetArrayItem(cJSON_GetObjectItem(stored, "relationships"), 0);
    assert_non_null(cJSON_GetObjectItem(rel, "legacy-secret-auth"));
    cJSON_DeleteItemFromObject(rel, "legacy-secret-auth");
    cJSON_DeleteItemFromObject(rel, "basic-auth-user");
    cJSON_DeleteItemFromObject(rel, "basic-auth-password");
    char *old = cJSON_PrintUnformatted(stored);
    cJSON_Delete(stored);
    f = fopen(path, "w");
    fputs(old, f);
    fclose(f);
    free(old);
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), 0);
    assert_string_equal(fake.partner_url, "http://192.0.2.2:8000/|win-failover|" SECRET);
    cJSON_Delete(a);
    a = call("win-failover-relationship-get", "{\"relationship-name\":\"pair\"}");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(a),
                                                                     "relationship"),
                                                 "legacy-secret-auth")));
    cJSON_Delete(a);
    a = call("win-failover-relationship-set", "{\"relationship-name\":\"pair\","
             "\"basic-auth-user\":\"peer\",\"basic-auth-password\":\"peer-pw\"}");
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    a = call("win-client-info-delete", "{\"client-ip-address\":\"192.0.2.10\"}");
    assert_int_equal(answer_code(a), 0);
    assert_string_equal(fake.partner_url, "http://192.0.2.2:8000/|peer|peer-pw");
    cJSON_Delete(a);
}

/* A conflict answer whose holder is at another address than the one sent
 * says nothing about it: the secondary's record stays. */
static void conflict_holder_must_be_the_address_sent(void **state)
{
    (void)state;
    cJSON_Delete(call("win-failover-relationship-delete", "{\"relationship-name\":\"pair\"}"));
    relationship("secondary");
    fake.partner = NULL;
    cJSON_Delete(call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                              "\"client-hardware-address\":\"02:00:00:00:00:01\"}"));
    fake.partner = partner;
    partner_code = ERROR_DHCP_CLIENT_EXISTS;
    holder = "[\"192.0.2.11\",\"02:00:00:00:00:99\",null,1,3600,0]";
    win_cmds_tick();
    assert_int_equal(bodies, 1);
    assert_int_equal(fake_find_lease("192.0.2.10")->hwaddr[5], 0x01);
    assert_null(fake_find_lease("192.0.2.11"));
    const char *line = fake_logged(WIN_CMDS_CONFLICT_ANSWER_IGNORED);
    assert_non_null(line);
    assert_non_null(strstr(line, "holder of 192.0.2.11 for a change of 192.0.2.10"));
}

static void forged_reply_writes_nothing(void **state)
{
    (void)state;
    forge_reply = 1;
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_not_equal(answer_code(a), 0);
    assert_null(fake_find_lease("192.0.2.10"));
    assert_non_null(strstr(answer_text(a), "not signed"));
    cJSON_Delete(a);
    /* A forged answer came at once: no wait to spare DHCP clients, so the
     * partner is not taken for silent and the next change is sent. */
    forge_reply = 0;
    a = call(CREATE, "{\"client-ip-address\":\"192.0.2.11\","
                     "\"client-hardware-address\":\"02:00:00:00:00:02\"}");
    assert_int_equal(answer_code(a), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(partner_of(a), "replicated")));
    cJSON_Delete(a);
}

/* A refusal of the whole request comes unsigned (the partner's hook refuses
 * before it knows the request is genuine), so one on the path could forge
 * it over a change the partner applied: the change is undone here and an
 * abort follows, which undoes it there if it was applied. A partner that
 * refuses the abort too gets no more of it: it applied nothing. */
static void unsigned_refusal_is_followed_by_an_abort(void **state)
{
    (void)state;
    refuse_all = 1;
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.10\","
                            "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_not_equal(answer_code(a), 0);
    assert_non_null(strstr(answer_text(a), "replica refused"));
    assert_null(fake_find_lease("192.0.2.10"));
    cJSON_Delete(a);
    win_cmds_tick();
    assert_int_equal(aborts, 1);
    win_cmds_tick();
    assert_int_equal(aborts, 1);
    refuse_all = 0;
    a = call(CREATE, "{\"client-ip-address\":\"192.0.2.11\","
                     "\"client-hardware-address\":\"02:00:00:00:00:02\"}");
    assert_int_equal(answer_code(a), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(partner_of(a), "replicated")));
    cJSON_Delete(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(create_is_applied_on_the_partner, setup),
        cmocka_unit_test_setup(partner_refusal_undoes_the_create, setup),
        cmocka_unit_test_setup(unreachable_partner_queues_durably, setup),
        cmocka_unit_test_setup(syncing_refuses_and_changes_nothing, setup),
        cmocka_unit_test_setup(a_failed_ha_state_read_refuses_and_changes_nothing, setup),
        cmocka_unit_test_setup(primary_timeout_is_not_reachable, setup),
        cmocka_unit_test_setup(secondary_gives_way_to_the_primary, setup),
        cmocka_unit_test_setup(set_and_delete_carry_the_record, setup),
        cmocka_unit_test_setup(bulk_goes_in_chunks, setup),
        cmocka_unit_test_setup(bulk_waits_for_a_silent_partner_once, setup),
        cmocka_unit_test_setup(bulk_waits_for_a_slow_partner_no_longer_than_its_bound, setup),
        cmocka_unit_test_setup(the_bound_counts_from_the_commands_start, setup),
        cmocka_unit_test_setup(queued_conflict_goes_the_primarys_way, setup),
        cmocka_unit_test_setup(receiving_side_checks_the_signature, setup),
        cmocka_unit_test_setup(replica_stays_in_its_scopes_and_force_needs_the_primary, setup),
        cmocka_unit_test_setup(forged_reply_writes_nothing, setup),
        cmocka_unit_test_setup(unsigned_refusal_is_followed_by_an_abort, setup),
        cmocka_unit_test_setup(conflict_holder_must_be_the_address_sent, setup),
        cmocka_unit_test_setup(old_state_file_keeps_the_secret_as_password_until_set, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
