/* The hook's statistics in the host's StatsMgr (docs/statistics.md): every
 * command's answers by result; per failover relationship the changes
 * waiting for the partner (a gauge kept with the queue, set again after
 * statistic-reset), the replicas sent, applied and refused, the conflicts
 * resolved (once each); a deleted relationship's statistics removed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fake_host.h"
#include "fake_partner.h"
#include "replica_nonces.h"
#include "replica_wire.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-client-info-vq-create"
#define SECRET "pair-secret"
#define REL(stat) "win-cmds.relationship[pair]." stat
#define ANSWERS(command, result) "win-cmds.command[" command "].answers-result-" #result

static const char *const relationship_stats[] = {
    REL("unreplicated-changes"), REL("replicas-sent"), REL("replicas-applied"),
    REL("replicas-refused"), REL("conflicts-resolved")};

/* The partner applies every op, but a create of fake_partner_held_ip not
 * forced, which it refuses naming its holder (another client). */
static int partner(const char *body, char **answer, char *err)
{
    (void)err;
    *answer = fake_partner_answer(body, SECRET, fake_partner_refuse_held_ip);
    return WIN_HOST_OK;
}

static void run(const char *command, const char *args, int expect_result)
{
    cJSON *a = call(command, args);
    if (answer_result(a) != expect_result)
        fail_msg("%s: result %d, %s", command, answer_result(a), answer_text(a));
    cJSON_Delete(a);
}

static void relationship(const char *server_type)
{
    char text[512];
    if (fake_pair_relationship(server_type, SECRET, "", text, sizeof text) != 0)
        fail_msg("relationship: %s", text);
}

static void create(const char *ip, const char *hw)
{
    char args[256];
    snprintf(args, sizeof args, "{\"client-ip-address\":\"%s\",\"client-hardware-address\":"
             "\"%s\"}", ip, hw);
    run(CREATE, args, 0);
}

static int setup(void **state)
{
    (void)state;
    fake_pair_host();
    relationship("primary");
    fake.partner = partner;
    fake.ha_state = "load-balancing";
    fake_partner_held_ip = NULL;
    return 0;
}

/* A replica the primary signs (this server is its secondary), with ops. */
static void replica_from_the_primary(const char *ops)
{
    run("win-failover-relationship-delete", "{\"relationship-name\":\"pair\"}", 0);
    relationship("secondary");
    char *args = fake_primary_replica(SECRET, ops);
    run("win-client-replica", args, 0);
    free(args);
}

static void every_command_counts_its_answers_by_result(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    /* Registered at load, at 0, for every command and result. */
    size_t n = 0;
    for (const char *command; (command = win_cmds_command_name(n)); n++)
        for (int result = 0; result < 4; result++) {
            char name[160];
            snprintf(name, sizeof name, "win-cmds.command[%s].answers-result-%d", command,
                     result);
            assert_true(fake_stat_present(name));
            assert_int_equal(fake_stat(name), 0);
        }
    create("192.0.2.10", "02:00:00:00:00:01");
    run(CREATE, "{\"client-ip-address\":\"192.0.2.300\",\"client-hardware-address\":"
                "\"02:00:00:00:00:02\"}", 1);
    run("win-client-info-vq-get", "{\"client-ip-address\":\"192.0.2.11\"}", 3);
    assert_int_equal(fake_stat(ANSWERS(CREATE, 0)), 1);
    assert_int_equal(fake_stat(ANSWERS(CREATE, 1)), 1);
    assert_int_equal(fake_stat(ANSWERS(CREATE, 3)), 0);
    assert_int_equal(fake_stat(ANSWERS("win-client-info-vq-get", 3)), 1);
    assert_int_equal(fake_stat(ANSWERS("win-client-info-vq-get", 0)), 0);
    /* Arguments that are not JSON are an answer of the command too. */
    win_cmds_free(win_cmds_handle(CREATE, "{\"client-ip-address\":", NULL));
    assert_int_equal(fake_stat(ANSWERS(CREATE, 1)), 2);
    /* A name that is no command of the hook makes no statistic. */
    win_cmds_free(win_cmds_handle("win-no-such-command", NULL, NULL));
    assert_false(fake_stat_present(ANSWERS("win-no-such-command", 1)));
}

static void the_queue_is_a_gauge_and_sends_are_counted(void **state)
{
    (void)state;
    for (size_t i = 0; i < 5; i++) {
        assert_true(fake_stat_present(relationship_stats[i]));
        assert_int_equal(fake_stat(relationship_stats[i]), 0);
    }
    fake.ha_state = "partner-down";
    create("192.0.2.10", "02:00:00:00:00:01");
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 1);
    create("192.0.2.11", "02:00:00:00:00:02");
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 2);
    assert_int_equal(fake_stat(REL("replicas-sent")), 0);
    /* Back: the tick sends the queue. */
    fake.ha_state = "load-balancing";
    win_cmds_tick();
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 0);
    assert_int_equal(fake_stat(REL("replicas-sent")), 2);
    /* A change sent at once. */
    create("192.0.2.12", "02:00:00:00:00:03");
    assert_int_equal(fake_stat(REL("replicas-sent")), 3);
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 0);
    /* An unreachable partner sent nothing: the change waits. */
    fake.partner = NULL;
    create("192.0.2.13", "02:00:00:00:00:04");
    assert_int_equal(fake_stat(REL("replicas-sent")), 3);
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 1);
    /* Set when the count moves only (each set is a sample): the file read
     * again after a touch, the same count, is not set again. */
    int sets = fake.stat_sets;
    char path[512];
    snprintf(path, sizeof path, "%s/win-replication-queue.jsonl", fake_state_directory());
    struct timespec later[2] = {{0, UTIME_OMIT}, {2000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    run("win-failover-relationship-get", "{\"relationship-name\":\"pair\"}", 0);
    assert_int_equal(fake.stat_sets, sets);
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 1);
    /* Deleted with the relationship, and not back when the hook loads again
     * though its change still waits in the queue. */
    run("win-failover-relationship-delete", "{\"relationship-name\":\"pair\"}", 0);
    for (size_t i = 0; i < 5; i++) assert_false(fake_stat_present(relationship_stats[i]));
    fake_restart(NULL);
    for (size_t i = 0; i < 5; i++) assert_false(fake_stat_present(relationship_stats[i]));
}

static void the_gauge_is_set_again_after_a_reset_and_a_restart(void **state)
{
    (void)state;
    fake.ha_state = "partner-down";
    create("192.0.2.10", "02:00:00:00:00:01");
    create("192.0.2.11", "02:00:00:00:00:02");
    /* statistic-reset-all: Kea zeroes every statistic, then the hook is told. */
    for (size_t i = 0; i < fake.stat_count; i++) fake.stats[i].value = 0;
    win_cmds_statistics_reset();
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 2);
    assert_int_equal(fake_stat(ANSWERS(CREATE, 0)), 0);
    /* A restart of kea-dhcp4 (its statistics gone): counted from the queue. */
    fake.stat_count = 0;
    fake_restart(NULL);
    assert_int_equal(fake_stat(REL("unreplicated-changes")), 2);
    assert_true(fake_stat_present(REL("conflicts-resolved")));
}

static void the_receiver_counts_applied_and_refused(void **state)
{
    (void)state;
    fake_add_subnet(2, "198.51.100.0", 24, 3600);
    replica_from_the_primary(
        "[{\"op\":\"create\",\"record\":[\"192.0.2.20\",\"02:00:00:00:00:05\",null,1,3600,0]},"
        "{\"op\":\"create\",\"record\":[\"198.51.100.20\",\"02:00:00:00:00:06\",null,1,3600,0]}]");
    assert_int_equal(fake_stat(REL("replicas-applied")), 1);
    assert_int_equal(fake_stat(REL("replicas-refused")), 1);
    assert_int_equal(fake_stat(REL("conflicts-resolved")), 0);
}

/* One conflict, counted once on the secondary whichever side sends first,
 * and on the primary when its forced record is written. */
static void conflicts_are_counted_once(void **state)
{
    (void)state;
    /* The primary's queued create meets another client on the partner. */
    fake.ha_state = "partner-down";
    create("192.0.2.10", "02:00:00:00:00:01");
    fake.ha_state = "load-balancing";
    fake_partner_held_ip = "192.0.2.10";
    win_cmds_tick();
    assert_int_equal(fake_stat(REL("conflicts-resolved")), 1);
    assert_int_equal(fake_stat(REL("replicas-sent")), 2); /* the create, then forced */

    /* The secondary gets the primary's forced record over another client. */
    fake_add_lease("192.0.2.30", 1, "02:00:00:00:00:06", NULL, NULL, NULL);
    replica_from_the_primary("[{\"op\":\"create\",\"force\":true,\"record\":[\"192.0.2.30\","
                             "\"02:00:00:00:00:07\",null,1,3600,0]}]");
    assert_int_equal(fake_stat(REL("conflicts-resolved")), 1);
    assert_int_equal(fake_stat(REL("replicas-applied")), 1);

    /* The secondary's own queued create, refused by the primary naming its
     * holder: replaced here, counted; the same answer again (the record
     * already the primary's) is not a second conflict. */
    fake.ha_state = "partner-down";
    create("192.0.2.40", "02:00:00:00:00:08");
    run("win-client-info-vq-set", "{\"client-ip-address\":\"192.0.2.40\",\"client-hardware-"
                                  "address\":\"02:00:00:00:00:08\",\"client-name\":\"desk\"}", 0);
    fake.ha_state = "load-balancing";
    fake_partner_held_ip = "192.0.2.40";
    win_cmds_tick();
    assert_int_equal(fake_find_lease("192.0.2.40")->hwaddr[5], 0x99);
    assert_int_equal(fake_stat(REL("conflicts-resolved")), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_command_counts_its_answers_by_result),
        cmocka_unit_test_setup(the_queue_is_a_gauge_and_sends_are_counted, setup),
        cmocka_unit_test_setup(the_gauge_is_set_again_after_a_reset_and_a_restart, setup),
        cmocka_unit_test_setup(the_receiver_counts_applied_and_refused, setup),
        cmocka_unit_test_setup(conflicts_are_counted_once, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
