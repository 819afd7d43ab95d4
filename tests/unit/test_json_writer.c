/* json_writer against cJSON's own printer: answers are written both ways
 * (records by the writer, the rest as trees), so they must agree byte for
 * byte on everything cJSON prints the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_writer.h"

static char *written(const cJSON *tree)
{
    struct json_writer w;
    jw_init(&w, 16); /* small, so that growing is exercised */
    jw_value(&w, tree);
    char *text = jw_take(&w);
    assert_non_null(text);
    return text;
}

static void assert_tree_same_as_cjson(cJSON *tree)
{
    char *expected = cJSON_PrintUnformatted(tree);
    char *actual = written(tree);
    assert_string_equal(actual, expected);
    free(expected);
    free(actual);
    cJSON_Delete(tree);
}

static void assert_same_as_cjson(const char *json)
{
    cJSON *tree = cJSON_Parse(json);
    assert_non_null(tree);
    assert_tree_same_as_cjson(tree);
}

static void trees_print_as_cjson_prints_them(void **state)
{
    (void)state;
    assert_same_as_cjson("{}");
    assert_same_as_cjson("[]");
    assert_same_as_cjson("{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false,\"e\":\"\"}");
    assert_same_as_cjson("[0,-1,4294967295,999999999999999,-999999999999999,20013]");
    assert_same_as_cjson("[[[[]]],{\"x\":{}},[{}]]");
    assert_same_as_cjson("{\"nested\":{\"deeper\":{\"deepest\":[\"a\",\"b\"]}},\"z\":1}");
}

static void strings_escape_as_cjson_escapes_them(void **state)
{
    (void)state;
    /* Quotes, backslashes, every control character, a slash, and UTF-8. */
    char raw[64];
    for (int c = 1; c < 32; c++) raw[c - 1] = (char)c;
    strcpy(raw + 31, "\"\\/ caf\xc3\xa9 \xe2\x82\xac");
    cJSON *tree = cJSON_CreateObject();
    cJSON_AddStringToObject(tree, raw, raw); /* keys escape the same way */
    assert_tree_same_as_cjson(tree);
}

static void raw_items_go_out_verbatim(void **state)
{
    (void)state;
    cJSON *tree = cJSON_CreateObject();
    cJSON_AddItemToObject(tree, "clients", cJSON_CreateRaw("[{\"k\":1},{\"k\":2}]"));
    cJSON_AddNumberToObject(tree, "n", 2);
    char *actual = written(tree);
    assert_string_equal(actual, "{\"clients\":[{\"k\":1},{\"k\":2}],\"n\":2}");
    free(actual);
    cJSON_Delete(tree);
}

static void fractions_and_non_numbers(void **state)
{
    (void)state;
    /* Past 15 digits cJSON rounds (9.00719925474099e+15); the writer does not. */
    cJSON *big = cJSON_Parse("[9007199254740992,-9007199254740992]");
    char *exact = written(big);
    assert_string_equal(exact, "[9007199254740992,-9007199254740992]");
    free(exact);
    cJSON_Delete(big);
    cJSON *tree = cJSON_CreateArray();
    cJSON_AddItemToArray(tree, cJSON_CreateNumber(0.1));
    cJSON_AddItemToArray(tree, cJSON_CreateNumber(1e300));
    cJSON_AddItemToArray(tree, cJSON_CreateNumber(0.0 / 0.0));
    char *actual = written(tree);
    cJSON *back = cJSON_Parse(actual);
    assert_non_null(back);
    assert_true(cJSON_GetArrayItem(back, 0)->valuedouble == 0.1); /* reads back exactly */
    assert_true(cJSON_GetArrayItem(back, 1)->valuedouble == 1e300);
    assert_true(cJSON_IsNull(cJSON_GetArrayItem(back, 2))); /* NaN has no JSON form */
    free(actual);
    cJSON_Delete(back);
    cJSON_Delete(tree);
}

static void writing_by_hand(void **state)
{
    (void)state;
    struct json_writer w;
    jw_init(&w, 1);
    jw_begin_object(&w);
    jw_key(&w, "list");
    jw_begin_array(&w);
    jw_int(&w, INT64_MIN);
    jw_int(&w, INT64_MAX);
    jw_bool(&w, 1);
    jw_string(&w, "x");
    jw_begin_object(&w);
    jw_end_object(&w);
    jw_end_array(&w);
    jw_key(&w, "after");
    jw_bool(&w, 0);
    jw_end_object(&w);
    char *text = jw_take(&w);
    assert_string_equal(text, "{\"list\":[-9223372036854775808,9223372036854775807,true,"
                              "\"x\",{}],\"after\":false}");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trees_print_as_cjson_prints_them),
        cmocka_unit_test(strings_escape_as_cjson_escapes_them),
        cmocka_unit_test(raw_items_go_out_verbatim),
        cmocka_unit_test(fractions_and_non_numbers),
        cmocka_unit_test(writing_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
