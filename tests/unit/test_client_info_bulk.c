/* win-client-info-vq-create's bulk form: independent items, one result per
 * item, the audit lines, and the list handed over by the host an item at a
 * time (win_cmds_handle_items). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-client-info-vq-create"

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    return 0;
}

/* Runs a bulk create, checks its Windows code (result 1 unless 0); returns
 * the answer. */
static cJSON *bulk(const char *args, int code)
{
    cJSON *answer = call(CREATE, args);
    if (answer_code(answer) != code || answer_result(answer) != (code != 0))
        fail_msg("%s -> %d: %s", args, answer_code(answer), answer_text(answer));
    return answer;
}

static void bulk_items_are_independent(void **state)
{
    (void)state;
    fake_add_lease("192.0.2.12", 1, "00:aa:aa:aa:aa:aa", NULL, NULL, NULL);
    cJSON *a = bulk("{\"clients\":["
                    "{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":\"00:11:22:33:44:01\"},"
                    "{\"client-ip-address\":\"192.0.2.12\",\"client-hardware-address\":\"00:11:22:33:44:02\"},"
                    "{\"client-hardware-address\":\"00:11:22:33:44:03\"},"
                    "\"not a record\","
                    "{\"client-ip-address\":\"203.0.113.5\",\"client-hardware-address\":\"00:11:22:33:44:04\"},"
                    "{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":\"00:11:22:33:44:05\"}]}",
                    ERROR_DHCP_CLIENT_EXISTS);
    const cJSON *args = answer_args(a);
    assert_int_equal(cJSON_GetObjectItem(args, "created")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(args, "failed")->valueint, 4);
    const cJSON *items = cJSON_GetObjectItem(args, "clients");
    assert_int_equal(cJSON_GetArraySize(items), 6);
    const int codes[] = {0, ERROR_DHCP_CLIENT_EXISTS, ERROR_INVALID_PARAMETER,
                         ERROR_INVALID_PARAMETER, ERROR_DHCP_SUBNET_NOT_PRESENT, 0};
    for (int i = 0; i < 6; i++) {
        const cJSON *item = cJSON_GetArrayItem(items, i);
        assert_int_equal(cJSON_GetObjectItem(item, "error-code")->valueint, codes[i]);
        assert_non_null(cJSON_GetObjectItem(item, "error-name"));
        assert_non_null(cJSON_GetObjectItem(item, "text"));
    }
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "client-ip-address")
                            ->valuestring, "192.0.2.10");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 2),
                                                 "client-ip-address")));
    cJSON_Delete(a);
    assert_int_equal(fake.lease_count, 3);
    assert_int_equal(fake_stat("subnet[1].assigned-addresses"), 2);
}

/* An item source as a host hands one over: items of an array, each valid
 * until the next; the item at unreadable comes as NULL (out of memory). */
struct array_source {
    const cJSON *next;
    int index, unreadable;
};

static const cJSON *next_item(void *source)
{
    struct array_source *from = source;
    const cJSON *item = from->next;
    if (item) from->next = item->next;
    return from->index++ == from->unreadable ? NULL : item;
}

static cJSON *create_from(const char *args, const char *items_json, int unreadable)
{
    cJSON *list = cJSON_Parse(items_json);
    cJSON *rest = args ? cJSON_Parse(args) : NULL;
    struct array_source source = {list->child, 0, unreadable};
    struct win_items items = {(size_t)cJSON_GetArraySize(list), next_item, &source};
    char *text = win_cmds_handle_items(CREATE, rest, &items, NULL);
    cJSON *answer = cJSON_Parse(text);
    win_cmds_free(text);
    cJSON_Delete(rest);
    cJSON_Delete(list);
    return answer;
}

static void bulk_items_handed_over_one_at_a_time(void **state)
{
    (void)state;
    static const char items[] = "[{\"client-ip-address\":\"192.0.2.10\",\"client-hardware-address\":"
                                "\"00:11:22:33:44:01\"},{\"client-ip-address\":\"192.0.2.10\","
                                "\"client-hardware-address\":\"00:11:22:33:44:02\"},"
                                "{\"client-ip-address\":\"192.0.2.11\",\"client-hardware-address\":"
                                "\"00:11:22:33:44:03\"}]";
    /* The same rules and the same answer as the list in the arguments. */
    cJSON *streamed = create_from(NULL, items, -1);
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    char args[512];
    snprintf(args, sizeof args, "{\"clients\":%s}", items);
    cJSON *whole = call(CREATE, args);
    assert_true(cJSON_Compare(streamed, whole, 1));
    assert_int_equal(answer_code(whole), ERROR_DHCP_CLIENT_EXISTS);
    assert_int_equal(cJSON_GetObjectItem(answer_args(whole), "created")->valueint, 2);
    cJSON_Delete(streamed);
    cJSON_Delete(whole);

    /* An item the host could not convert fails alone. */
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    cJSON *a = create_from(NULL, items, 0);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(answer_args(a), "clients"), 0);
    assert_int_equal(cJSON_GetObjectItem(first, "error-code")->valueint, ERROR_DHCP_JET_ERROR);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(first, "client-ip-address")));
    assert_non_null(strstr(cJSON_GetObjectItem(first, "text")->valuestring, "could not be read"));
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "created")->valueint, 2);
    cJSON_Delete(a);
    assert_int_equal(fake.lease_count, 2);

    /* Other members beside the list, or an empty list: 87, nothing read. */
    a = create_from("{\"client-name\":\"x\"}", items, -1);
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "only \"clients\""));
    cJSON_Delete(a);
    a = create_from(NULL, "[]", -1);
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    cJSON_Delete(a);
    assert_int_equal(fake.lease_count, 2);
}

static void bulk_success_and_bad_shapes(void **state)
{
    (void)state;
    cJSON *a = bulk("{\"clients\":[{\"client-ip-address\":\"192.0.2.10\","
                    "\"client-hardware-address\":\"00:11:22:33:44:01\"},"
                    "{\"client-ip-address\":\"192.0.2.11\","
                    "\"client-hardware-address\":\"00:11:22:33:44:02\"}]}", 0);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "created")->valueint, 2);
    /* An item names its address; the audit line has the whole sentence. */
    const cJSON *second = cJSON_GetArrayItem(cJSON_GetObjectItem(answer_args(a), "clients"), 1);
    assert_string_equal(cJSON_GetObjectItem(second, "text")->valuestring, "created");
    assert_string_equal(cJSON_GetObjectItem(second, "error-name")->valuestring, "ERROR_SUCCESS");
    assert_non_null(strstr(fake.log_text, "WIN_CMDS_CLIENT_ITEM_CREATED win-client-info-vq-create "
                                          "item: client 192.0.2.11 created in subnet "
                                          "192.0.2.0/24 (ERROR_SUCCESS)\n"));
    assert_non_null(fake_logged(WIN_CMDS_CLIENTS_BULK_CREATED));
    cJSON_Delete(a);
    /* With the audit level off the items are the same and nothing is logged. */
    fake.log_off = 1;
    int lines = fake.log_lines;
    a = bulk("{\"clients\":[{\"client-ip-address\":\"192.0.2.12\","
             "\"client-hardware-address\":\"00:11:22:33:44:03\"}]}", 0);
    second = cJSON_GetArrayItem(cJSON_GetObjectItem(answer_args(a), "clients"), 0);
    assert_string_equal(cJSON_GetObjectItem(second, "text")->valuestring, "created");
    assert_int_equal(fake.log_lines, lines);
    cJSON_Delete(a);
    fake.log_off = 0;
    cJSON_Delete(bulk("{\"clients\":[]}", ERROR_INVALID_PARAMETER));
    cJSON_Delete(bulk("{\"clients\":{}}", ERROR_INVALID_PARAMETER));
    a = bulk("{\"clients\":[],\"client-ip-address\":\"192.0.2.13\"}", ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "only \"clients\""));
    cJSON_Delete(a);
    /* Same address twice in one batch: the second is a duplicate. */
    a = bulk("{\"clients\":[{\"client-ip-address\":\"192.0.2.20\","
             "\"client-hardware-address\":\"00:11:22:33:44:21\"},"
             "{\"client-ip-address\":\"192.0.2.20\","
             "\"client-hardware-address\":\"00:11:22:33:44:22\"}]}",
             ERROR_DHCP_CLIENT_EXISTS);
    cJSON_Delete(a);
    assert_int_equal(fake.lease_count, 4);
}

/* A list of n records from 192.0.2.10 on, as a bulk create's arguments. */
static char *records(int n)
{
    cJSON *clients = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        char ip[16], mac[18];
        snprintf(ip, sizeof ip, "192.0.2.%d", 10 + i);
        snprintf(mac, sizeof mac, "00:11:22:33:45:%02x", i);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "client-ip-address", ip);
        cJSON_AddStringToObject(r, "client-hardware-address", mac);
        cJSON_AddItemToArray(clients, r);
    }
    cJSON *args = cJSON_CreateObject();
    cJSON_AddItemToObject(args, "clients", clients);
    char *text = cJSON_PrintUnformatted(args);
    cJSON_Delete(args);
    return text;
}

/* max-records-per-request: a list over it is refused whole with 87 naming
 * the cap and the field, in the arguments or handed over an item at a time;
 * one at the cap is created. */
static void bulk_over_the_cap_is_refused_whole(void **state)
{
    (void)state;
    fake_reset("{\"max-records-per-request\":3}");
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    char *four = records(4);
    cJSON *a = bulk(four, ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "max-records-per-request (3)"));
    assert_non_null(strstr(answer_text(a), "clients holds 4 records"));
    assert_non_null(strstr(answer_text(a), "nothing changed"));
    cJSON_Delete(a);
    const char *list = strchr(four, '[');
    char *items = strndup(list, strlen(list) - 1);
    a = create_from(NULL, items, -1);
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "max-records-per-request"));
    cJSON_Delete(a);
    free(items);
    free(four);
    assert_int_equal(fake.lease_count, 0);
    char *three = records(3);
    a = bulk(three, 0);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "created")->valueint, 3);
    cJSON_Delete(a);
    free(three);
    assert_int_equal(fake.lease_count, 3);
    /* The default lets a list of 500 through and refuses 501. */
    fake_reset(NULL);
    fake_add_subnet(1, "10.0.0.0", 8, 3600);
    cJSON *big = cJSON_CreateArray();
    for (int i = 0; i < 501; i++) {
        char ip[16];
        snprintf(ip, sizeof ip, "10.0.%d.%d", i / 200, 1 + i % 200);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "client-ip-address", ip);
        cJSON_AddStringToObject(r, "client-hardware-address", "00:11:22:33:44:55");
        cJSON_AddItemToArray(big, r);
    }
    cJSON *args = cJSON_CreateObject();
    cJSON_AddItemToObject(args, "clients", big);
    char *text = cJSON_PrintUnformatted(args);
    a = bulk(text, ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "max-records-per-request (500)"));
    cJSON_Delete(a);
    free(text);
    cJSON_DeleteItemFromArray(big, 500);
    text = cJSON_PrintUnformatted(args);
    a = call(CREATE, text);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(answer_args(a), "clients")), 500);
    cJSON_Delete(a);
    free(text);
    cJSON_Delete(args);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(bulk_items_are_independent, setup),
        cmocka_unit_test_setup(bulk_success_and_bad_shapes, setup),
        cmocka_unit_test_setup(bulk_items_handed_over_one_at_a_time, setup),
        cmocka_unit_test_setup(bulk_over_the_cap_is_refused_whole, setup),
    };
    return cmocka_run_group_tests_name("client_info_bulk", tests, NULL, NULL);
}
