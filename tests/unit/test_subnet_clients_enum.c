/* win-subnet-clients-v4-enum / -vq-enum: order, paging, resume handles,
 * and the Windows codes at each end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_errors.h"

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_add_subnet(2, "198.51.100.0", 24, 3600);
    fake_add_subnet(3, "203.0.113.0", 24, 3600);
    /* Out of order on purpose; 7 in subnet 1, 3 in subnet 2, none in 3. */
    const char *ips[] = {"192.0.2.70", "198.51.100.2", "192.0.2.5", "192.0.2.200",
                         "198.51.100.1", "192.0.2.6", "192.0.2.254", "198.51.100.3",
                         "192.0.2.1", "192.0.2.100"};
    for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
        char hw[32];
        snprintf(hw, sizeof hw, "02:00:00:00:00:%02zx", i);
        fake_add_lease(ips[i], ips[i][0] == '1' && ips[i][1] == '9' && ips[i][2] == '2' ? 1 : 2,
                       hw, NULL, NULL, NULL);
    }
    return 0;
}

static cJSON *page(const char *command, const char *args, int code, int result)
{
    cJSON *a = call(command, args);
    if (answer_code(a) != code || answer_result(a) != result)
        fail_msg("%s -> %d/%d: %s", args, answer_code(a), answer_result(a), answer_text(a));
    return a;
}

/* The addresses of a page, comma separated. */
static void addresses(const cJSON *answer, char *out, size_t size)
{
    out[0] = '\0';
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(answer_args(answer), "clients"))
    {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", n ? "," : "",
                 cJSON_GetObjectItem(item, "client-ip-address")->valuestring);
    }
}

static void one_subnet_page_by_page(void **state)
{
    (void)state;
    char seen[512];
    cJSON *a = page("win-subnet-clients-v4-enum",
                    "{\"subnet-address\":\"192.0.2.0\",\"preferred-maximum\":3}",
                    ERROR_MORE_DATA, 0);
    addresses(a, seen, sizeof seen);
    assert_string_equal(seen, "192.0.2.1,192.0.2.5,192.0.2.6");
    const cJSON *args = answer_args(a);
    assert_string_equal(cJSON_GetObjectItem(args, "resume-handle")->valuestring, "192.0.2.6");
    assert_int_equal(cJSON_GetObjectItem(args, "clients-read")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(args, "clients-total")->valueint, 0x7FFFFFFF);
    cJSON_Delete(a);
    a = page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"192.0.2.0\","
             "\"preferred-maximum\":3,\"resume-handle\":\"192.0.2.6\"}", ERROR_MORE_DATA, 0);
    addresses(a, seen, sizeof seen);
    assert_string_equal(seen, "192.0.2.70,192.0.2.100,192.0.2.200");
    cJSON_Delete(a);
    /* The Windows DWORD form of 192.0.2.200 as the handle. */
    a = page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"192.0.2.0\","
             "\"preferred-maximum\":3,\"resume-handle\":3221226184}", 0, 0);
    addresses(a, seen, sizeof seen);
    assert_string_equal(seen, "192.0.2.254");
    args = answer_args(a);
    assert_int_equal(cJSON_GetObjectItem(args, "resume-handle")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(args, "clients-total")->valueint, 1);
    cJSON_Delete(a);
}

static void a_page_that_ends_exactly_has_no_more(void **state)
{
    (void)state;
    cJSON *a = page("win-subnet-clients-vq-enum",
                    "{\"subnet-address\":\"198.51.100.0\",\"preferred-maximum\":3}", 0, 0);
    char seen[512];
    addresses(a, seen, sizeof seen);
    assert_string_equal(seen, "198.51.100.1,198.51.100.2,198.51.100.3");
    assert_non_null(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(answer_args(a), "clients"), 0), "address-state"));
    cJSON_Delete(a);
}

static void every_subnet_and_defaults(void **state)
{
    (void)state;
    cJSON *a = page("win-subnet-clients-v4-enum", "{}", 0, 0);
    char seen[512];
    addresses(a, seen, sizeof seen);
    assert_string_equal(seen, "192.0.2.1,192.0.2.5,192.0.2.6,192.0.2.70,192.0.2.100,"
                              "192.0.2.200,192.0.2.254,198.51.100.1,198.51.100.2,198.51.100.3");
    cJSON_Delete(a);
    a = page("win-subnet-clients-v4-enum", NULL, 0, 0);
    cJSON_Delete(a);
    /* Each page is one lease page, whatever its position. */
    fake.page_calls = 0;
    a = page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"0.0.0.0\",\"resume-handle\":"
             "\"192.0.2.254\",\"preferred-maximum\":2}", ERROR_MORE_DATA, 0);
    addresses(a, seen, sizeof seen);
    assert_string_equal(seen, "198.51.100.1,198.51.100.2");
    assert_int_equal(fake.page_calls, 1);
    cJSON_Delete(a);
}

static void empty_ends_and_bad_handles(void **state)
{
    (void)state;
    cJSON_Delete(page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"203.0.113.0\"}",
                      ERROR_NO_MORE_ITEMS, 3));
    cJSON_Delete(page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"10.1.0.0\"}",
                      ERROR_DHCP_SUBNET_NOT_PRESENT, 1));
    cJSON_Delete(page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"192.0.2.5\"}",
                      ERROR_DHCP_SUBNET_NOT_PRESENT, 1));
    /* A handle that matches no record, or lies outside the subnet. */
    cJSON_Delete(page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"192.0.2.0\","
                      "\"resume-handle\":\"192.0.2.7\"}", ERROR_DHCP_JET_ERROR, 1));
    cJSON_Delete(page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"192.0.2.0\","
                      "\"resume-handle\":\"198.51.100.1\"}", ERROR_DHCP_JET_ERROR, 1));
    /* The last record as the handle: nothing more. */
    cJSON_Delete(page("win-subnet-clients-v4-enum", "{\"subnet-address\":\"192.0.2.0\","
                      "\"resume-handle\":\"192.0.2.254\"}", ERROR_NO_MORE_ITEMS, 3));
    const char *bad[] = {"{\"resume-handle\":\"x\"}", "{\"resume-handle\":-1}",
                         "{\"preferred-maximum\":\"10\"}", "{\"subnet-address\":5}",
                         "{\"subnet\":\"192.0.2.0\"}", "[]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cJSON_Delete(page("win-subnet-clients-v4-enum", bad[i], ERROR_INVALID_PARAMETER, 1));
}

static void preferred_maximum_is_clamped(void **state)
{
    (void)state;
    cJSON *a = page("win-subnet-clients-v4-enum", "{\"preferred-maximum\":0}",
                    ERROR_MORE_DATA, 0);
    assert_int_equal(cJSON_GetObjectItem(answer_args(a), "clients-read")->valueint, 1);
    cJSON_Delete(a);
    cJSON_Delete(page("win-subnet-clients-v4-enum", "{\"preferred-maximum\":4294967295}", 0, 0));
}

static void nothing_at_all(void **state)
{
    (void)state;
    fake_reset(NULL);
    cJSON_Delete(page("win-subnet-clients-vq-enum", "{}", ERROR_NO_MORE_ITEMS, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(one_subnet_page_by_page, setup),
        cmocka_unit_test_setup(a_page_that_ends_exactly_has_no_more, setup),
        cmocka_unit_test_setup(every_subnet_and_defaults, setup),
        cmocka_unit_test_setup(empty_ends_and_bad_handles, setup),
        cmocka_unit_test_setup(preferred_maximum_is_clamped, setup),
        cmocka_unit_test_setup(nothing_at_all, setup),
    };
    return cmocka_run_group_tests_name("subnet_clients_enum", tests, NULL, NULL);
}
