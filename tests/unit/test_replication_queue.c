/* The durable queue of changes for an absent partner, over the fake host:
 * a torn last line (a crash mid-append) and a failed append never merge with
 * the next line, an unreadable line is set aside in a side file and logged,
 * the count is kept rather than read again, and past max-unreplicated-changes
 * the relationship needs a resync, which win-failover-relationship-resync
 * does from a lease page walk. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_host.h"
#include "fake_partner.h"
#include "replica_wire.h"
#include "file_io.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-client-info-vq-create"
#define RESYNC "win-failover-relationship-resync"

/* What the fake partner got (fake_partner_held_ip: an address another
 * client holds there; a create of it not forced is refused with its holder). */
static char bodies_text[1 << 20];
static int bodies;
static int partner_delay_ms; /* how long the partner takes to answer */

static int partner(const char *body, char **answer, char *err)
{
    (void)err;
    size_t used = strlen(bodies_text);
    snprintf(bodies_text + used, sizeof bodies_text - used, "%s\n", body);
    bodies++;
    if (partner_delay_ms) {
        struct timespec t = {0, partner_delay_ms * 1000000L};
        nanosleep(&t, NULL);
    }
    *answer = fake_partner_answer(body, "pair-secret", fake_partner_refuse_held_ip);
    return WIN_HOST_OK;
}

static int setup(void **state)
{
    (void)state;
    fake_pair_host();
    char text[512];
    if (fake_pair_relationship("primary", "pair-secret", "", text, sizeof text) != 0)
        fail_msg("relationship: %s", text);
    fake.partner = partner;
    fake.ha_state = "partner-down"; /* the partner is away: changes are queued */
    bodies = 0;
    bodies_text[0] = '\0';
    fake_partner_held_ip = NULL;
    partner_delay_ms = 0;
    return 0;
}

static void state_path(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", fake_state_directory(), name);
}

static char *state_text(const char *name)
{
    char path[512];
    state_path(name, path, sizeof path);
    return file_read_all(path, NULL);
}

static void create(const char *ip, int last_octet_of_hw, int expect_code)
{
    char args[256];
    snprintf(args, sizeof args, "{\"client-ip-address\":\"%s\",\"client-hardware-address\":"
             "\"02:00:00:00:%02x:%02x\"}", ip, last_octet_of_hw >> 8, last_octet_of_hw & 0xff);
    cJSON *a = call(CREATE, args);
    if (answer_code(a) != expect_code)
        fail_msg("create %s: %d %s", ip, answer_code(a), answer_text(a));
    cJSON_Delete(a);
}

static const cJSON *relationship_member(cJSON *answer, const char *name)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(answer_args(answer), "relationship"), name);
}

static int unreplicated(void)
{
    cJSON *a = call("win-failover-relationship-get", "{\"relationship-name\":\"pair\"}");
    int n = relationship_member(a, "unreplicated-changes")->valueint;
    cJSON_Delete(a);
    return n;
}

static int resync_needed(void)
{
    cJSON *a = call("win-failover-relationship-get", "{\"relationship-name\":\"pair\"}");
    const cJSON *flag = relationship_member(a, "resync-needed");
    assert_true(cJSON_IsBool(flag));
    int needed = cJSON_IsTrue(flag);
    cJSON_Delete(a);
    return needed;
}

/* Every line of the queue whole JSON, ending in a newline; how many. */
static int whole_lines(void)
{
    char *text = state_text("win-replication-queue.jsonl");
    if (!text) return 0;
    size_t len = strlen(text);
    assert_true(len == 0 || text[len - 1] == '\n');
    int n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), n++) {
        cJSON *j = cJSON_Parse(line);
        if (!j) fail_msg("queue line %d is not JSON: %.200s", n, line);
        cJSON_Delete(j);
    }
    free(text);
    return n;
}

/* Cuts the queue file's last cut bytes (a crash mid-append). */
static void cut_queue(size_t cut)
{
    char path[512];
    struct stat info;
    state_path("win-replication-queue.jsonl", path, sizeof path);
    assert_int_equal(stat(path, &info), 0);
    assert_int_equal(truncate(path, info.st_size - (off_t)cut), 0);
}

static void torn_last_line_is_set_aside_at_restart(void **state)
{
    (void)state;
    create("192.0.2.10", 1, 0);
    create("192.0.2.11", 2, 0);
    cut_queue(20);
    fake.log_text[0] = '\0';
    fake_restart(NULL);
    /* Found when the queue is opened again, before anything is appended. */
    const char *line = fake_logged(WIN_CMDS_QUEUE_LINE_SET_ASIDE);
    assert_non_null(line);
    assert_non_null(strstr(line, "win-replication-queue.rejected"));
    assert_non_null(strstr(line, "192.0.2.11"));
    char *aside = state_text("win-replication-queue.rejected");
    assert_non_null(aside);
    assert_non_null(strstr(aside, "192.0.2.11"));
    free(aside);
    assert_int_equal(unreplicated(), 1);
    create("192.0.2.12", 3, 0);
    assert_int_equal(whole_lines(), 2);
    assert_int_equal(unreplicated(), 2);
    fake.ha_state = "load-balancing";
    win_cmds_tick();
    assert_int_equal(bodies, 1);
    assert_non_null(strstr(bodies_text, "192.0.2.10"));
    assert_non_null(strstr(bodies_text, "192.0.2.12"));
    assert_int_equal(unreplicated(), 0);
}

static void torn_last_line_never_merges_with_the_next_append(void **state)
{
    (void)state;
    create("192.0.2.10", 1, 0);
    create("192.0.2.11", 2, 0);
    cut_queue(7);
    fake.log_text[0] = '\0';
    create("192.0.2.12", 3, 0);
    assert_int_equal(whole_lines(), 2);
    char *aside = state_text("win-replication-queue.rejected");
    assert_non_null(aside);
    assert_non_null(strstr(aside, "192.0.2.11"));
    assert_null(strstr(aside, "192.0.2.12"));
    free(aside);
    const char *line = fake_logged(WIN_CMDS_QUEUE_LINE_SET_ASIDE);
    assert_non_null(line);
    assert_non_null(strstr(line, "192.0.2.11"));
    assert_int_equal(unreplicated(), 2);
}

/* A write cut short (here by the file size limit) is cut back: the change is
 * refused with nothing changed, and the next one is a line of its own. */
static void failed_append_is_cut_back(void **state)
{
    (void)state;
    create("192.0.2.10", 1, 0);
    char path[512];
    struct stat info;
    state_path("win-replication-queue.jsonl", path, sizeof path);
    assert_int_equal(stat(path, &info), 0);
    struct rlimit was, small;
    getrlimit(RLIMIT_FSIZE, &was);
    small = was;
    small.rlim_cur = (rlim_t)info.st_size + 25;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.11\","
                            "\"client-hardware-address\":\"02:00:00:00:00:02\"}");
    setrlimit(RLIMIT_FSIZE, &was);
    assert_int_equal(answer_code(a), ERROR_DHCP_JET_ERROR);
    assert_null(fake_find_lease("192.0.2.11"));
    cJSON_Delete(a);
    struct stat after;
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_size, info.st_size);
    create("192.0.2.12", 3, 0);
    assert_int_equal(whole_lines(), 2);
    assert_int_equal(unreplicated(), 2);
}

static void unreadable_line_is_set_aside_and_logged(void **state)
{
    (void)state;
    create("192.0.2.10", 1, 0);
    create("192.0.2.11", 2, 0);
    char *text = state_text("win-replication-queue.jsonl");
    char *second = strchr(text, '\n') + 1;
    char path[512];
    state_path("win-replication-queue.jsonl", path, sizeof path);
    FILE *f = fopen(path, "w");
    fprintf(f, "%.*s{\"relationship\":\"pair\",\"op\":{\"op\":\"create\",not json\n%s",
            (int)(second - text), text, second);
    fclose(f);
    free(text);
    fake.log_text[0] = '\0';
    fake_restart(NULL);
    const char *line = fake_logged(WIN_CMDS_QUEUE_LINE_SET_ASIDE);
    assert_non_null(line);
    assert_non_null(strstr(line, "not json"));
    char *aside = state_text("win-replication-queue.rejected");
    assert_non_null(aside);
    assert_non_null(strstr(aside, "not json"));
    free(aside);
    assert_int_equal(whole_lines(), 2);
    assert_int_equal(unreplicated(), 2);
    fake.ha_state = "load-balancing";
    win_cmds_tick();
    assert_non_null(strstr(bodies_text, "192.0.2.10"));
    assert_non_null(strstr(bodies_text, "192.0.2.11"));
    assert_int_equal(unreplicated(), 0);
}

/* The count is kept, not read again on every change: a long queue does not
 * make each change of an outage slower (90,000 lines, under the default
 * bound of 100,000, read once). */
static void count_is_kept_not_read_again(void **state)
{
    (void)state;
    create("192.0.2.10", 1, 0);
    char *text = state_text("win-replication-queue.jsonl");
    char path[512];
    state_path("win-replication-queue.jsonl", path, sizeof path);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 90000; i++) fputs(text, f);
    fclose(f);
    free(text);
    fake_restart(NULL);
    assert_int_equal(unreplicated(), 90000);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 230; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "192.0.2.%d", 20 + i);
        create(ip, 100 + i, 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (seconds > 3.0) fail_msg("230 changes behind 90,000 queued took %.2f s", seconds);
    assert_int_equal(unreplicated(), 90230);
    fake_restart(NULL);
    assert_int_equal(unreplicated(), 90230);
}

/* Past max-unreplicated-changes the queue stops growing; the changes still
 * apply here, the relationship says a resync is needed (across restarts),
 * and the resync carries every record to the partner and clears the flag. */
static void bound_then_resync(void **state)
{
    (void)state;
    fake_restart("\"max-unreplicated-changes\":2");
    assert_false(resync_needed());
    create("192.0.2.10", 1, 0);
    create("192.0.2.11", 2, 0);
    fake.log_text[0] = '\0';
    cJSON *a = call(CREATE, "{\"client-ip-address\":\"192.0.2.12\","
                            "\"client-hardware-address\":\"02:00:00:00:00:03\"}");
    assert_int_equal(answer_code(a), 0);
    assert_non_null(fake_find_lease("192.0.2.12"));
    const cJSON *partner_said = cJSON_GetObjectItem(answer_args(a), "partner");
    assert_non_null(strstr(cJSON_GetObjectItem(partner_said, "text")->valuestring,
                           "win-failover-relationship-resync"));
    cJSON_Delete(a);
    assert_int_equal(unreplicated(), 2);
    assert_int_equal(whole_lines(), 2);
    assert_true(resync_needed());
    const char *line = fake_logged(WIN_CMDS_QUEUE_BOUND_REACHED);
    assert_non_null(line);
    assert_non_null(strstr(line, "2 changes wait for the partner and max-unreplicated-changes is 2"));
    a = call("win-failover-relationship-enum", "{}");
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(answer_args(a), "relationships"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(first, "resync-needed")));
    cJSON_Delete(a);
    fake_restart("\"max-unreplicated-changes\":2");
    assert_true(resync_needed());
    /* The partner back: the queue drains, the flag stays until the resync. */
    fake.ha_state = "load-balancing";
    win_cmds_tick();
    assert_int_equal(unreplicated(), 0);
    assert_true(resync_needed());
    assert_null(strstr(bodies_text, "192.0.2.12"));
    bodies_text[0] = '\0';
    fake_partner_held_ip = "192.0.2.11";
    a = call(RESYNC, "{\"relationship-name\":\"pair\"}");
    assert_int_equal(answer_code(a), 0);
    assert_int_equal(answer_result(a), 0);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "sent")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "applied")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "overridden")->valueint, 1);
    cJSON_Delete(a);
    assert_non_null(strstr(bodies_text, "192.0.2.12"));
    /* The conflict went the primary's way: its record sent again, forced. */
    assert_non_null(strstr(bodies_text, "\\\"force\\\":true"));
    assert_false(resync_needed());
    assert_int_equal(unreplicated(), 0);
    fake_restart("\"max-unreplicated-changes\":2");
    assert_false(resync_needed());
}

static void resync_refusals(void **state)
{
    (void)state;
    cJSON *a = call(RESYNC, "{\"relationship-name\":\"nope\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST);
    assert_int_equal(answer_result(a), 3);
    cJSON_Delete(a);
    a = call(RESYNC, "{}");
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "relationship-name"));
    cJSON_Delete(a);
    /* The partner away: nothing can be sent. */
    a = call(RESYNC, "{\"relationship-name\":\"pair\"}");
    assert_int_equal(answer_code(a), ERROR_DHCP_FO_STATE_NOT_NORMAL);
    assert_int_equal(bodies, 0);
    cJSON_Delete(a);
}

static void bound_parameter_is_checked(void **state)
{
    (void)state;
    char err[256];
    char params[512];
    snprintf(params, sizeof params, "{\"state-directory\":\"%s\",\"max-unreplicated-changes\":0}",
             fake_state_directory());
    assert_int_not_equal(win_cmds_configure(fake_host_table(), params, err, sizeof err), 0);
    assert_non_null(strstr(err, "max-unreplicated-changes"));
    snprintf(params, sizeof params,
             "{\"state-directory\":\"%s\",\"max-unreplicated-changes\":\"many\"}",
             fake_state_directory());
    assert_int_not_equal(win_cmds_configure(fake_host_table(), params, err, sizeof err), 0);
    assert_non_null(strstr(err, "max-unreplicated-changes"));
    fake_restart(NULL);
}

/* A state file planted as a symbolic link is never followed. */
static void side_file_link_is_not_followed(void **state)
{
    (void)state;
    char target[512], link_path[512];
    state_path("elsewhere", target, sizeof target);
    state_path("win-replication-queue.rejected", link_path, sizeof link_path);
    FILE *f = fopen(target, "w");
    fputs("untouched\n", f);
    fclose(f);
    assert_int_equal(symlink(target, link_path), 0);
    create("192.0.2.10", 1, 0);
    create("192.0.2.11", 2, 0);
    cut_queue(7);
    fake.log_text[0] = '\0';
    fake_restart(NULL);
    char *text = file_read_all(target, NULL);
    assert_string_equal(text, "untouched\n");
    free(text);
    /* Not set aside, so kept out of the queue's way: logged whole instead. */
    const char *line = fake_logged(WIN_CMDS_QUEUE_LINE_DROPPED);
    assert_non_null(line);
    assert_non_null(strstr(line, "192.0.2.11"));
    create("192.0.2.12", 3, 0);
    assert_int_equal(whole_lines(), 2);
}

/* 200 records queued while the partner was away; then the pair is normal
 * again with a partner that takes 120 ms a request (of a 200 ms wait). */
static void queued_200_slow_partner(void)
{
    char *text = fake_bulk_create_args(20, 200);
    cJSON *a = call(CREATE, text);
    free(text);
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    assert_int_equal(unreplicated(), 200);
    fake.ha_state = "load-balancing";
    partner_delay_ms = 120;
}

/* The tick that sends a resync's last page: bodies_after requests sent so
 * far, and the end logged with its counts. */
static void tick_finishes_resync(int bodies_after, const char *finished)
{
    fake.log_text[0] = '\0';
    win_cmds_tick();
    assert_int_equal(bodies, bodies_after);
    const char *line = fake_logged(WIN_CMDS_RESYNC_FINISHED);
    assert_non_null(line);
    assert_non_null(strstr(line, finished));
}

/* Work with the partner outside a command holds kea-dhcp4 no longer than a
 * command may (partner-wait-ms, 200 ms by default): with a partner that
 * takes 120 ms a request, a tick sends one chunk of the queue, not all, and
 * a resync's walk sends one page on the command and the rest on ticks. */
static void tick_and_resync_go_in_slices(void **state)
{
    (void)state;
    queued_200_slow_partner();
    win_cmds_tick();
    assert_int_equal(bodies, 1);
    assert_int_equal(unreplicated(), 200 - 128);
    win_cmds_tick();
    assert_int_equal(bodies, 2);
    assert_int_equal(unreplicated(), 0);
    cJSON *a = call(RESYNC, "{\"relationship-name\":\"pair\"}");
    assert_int_equal(answer_code(a), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(answer_args(a), "in-progress")));
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "sent")->valueint, 128);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(answer_args(a), "resync-needed")));
    cJSON_Delete(a);
    assert_int_equal(bodies, 3);
    tick_finishes_resync(4, "resync of relationship pair finished: 200 records sent");
    win_cmds_tick();
    assert_int_equal(bodies, 4);
}

/* One tick holds kea-dhcp4 for one command's wait at most, whatever it has
 * to send: with both a queue backlog and a resync under way, a tick whose
 * first request took 120 ms of the 200 sends no second one. */
static void one_tick_one_wait(void **state)
{
    (void)state;
    queued_200_slow_partner();
    win_cmds_tick();                       /* the queue's first chunk */
    assert_int_equal(bodies, 1);
    cJSON *a = call(RESYNC, "{\"relationship-name\":\"pair\"}");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(answer_args(a), "in-progress")));
    cJSON_Delete(a);
    assert_int_equal(bodies, 2);           /* the rest of the queue; no page yet */
    assert_int_equal(unreplicated(), 0);
    fake.ha_state = "partner-down";
    create("192.0.2.230", 230, 0);         /* queued again while the resync waits */
    assert_int_equal(unreplicated(), 1);
    fake.ha_state = "load-balancing";
    win_cmds_tick();                       /* the queue's change; the walk waits */
    assert_int_equal(bodies, 3);
    assert_int_equal(unreplicated(), 0);
    win_cmds_tick();                       /* then the walk: a page a tick */
    assert_int_equal(bodies, 4);
    tick_finishes_resync(5, "resync of relationship pair finished: 201 records sent");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(torn_last_line_is_set_aside_at_restart, setup),
        cmocka_unit_test_setup(torn_last_line_never_merges_with_the_next_append, setup),
        cmocka_unit_test_setup(failed_append_is_cut_back, setup),
        cmocka_unit_test_setup(unreadable_line_is_set_aside_and_logged, setup),
        cmocka_unit_test_setup(count_is_kept_not_read_again, setup),
        cmocka_unit_test_setup(side_file_link_is_not_followed, setup),
        cmocka_unit_test_setup(resync_refusals, setup),
        cmocka_unit_test_setup(bound_parameter_is_checked, setup),
        /* Last: the code before the bound aborts at its configuration. */
        cmocka_unit_test_setup(bound_then_resync, setup),
        cmocka_unit_test_setup(tick_and_resync_go_in_slices, setup),
        cmocka_unit_test_setup(one_tick_one_wait, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
