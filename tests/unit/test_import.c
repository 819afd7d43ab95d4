/* kea-win-import's own pieces: the export's value formats, the release
 * tables, and the reader's character filter at every chunk boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "export_xml.h"
#include "file_sha256.h"
#include "import.h"
#include "kea_target.h"
#include "value_formats.h"

static void timespans_in_every_form(void **state)
{
    (void)state;
    uint32_t s;
    int inf;
    assert_int_equal(iv_timespan("8.00:00:00", &s, &inf), 0);
    assert_int_equal(s, 691200);
    assert_false(inf);
    assert_int_equal(iv_timespan("00:30:00", &s, &inf), 0);
    assert_int_equal(s, 1800);
    assert_int_equal(iv_timespan(" 1.02:03:04.5000000 ", &s, &inf), 0);
    assert_int_equal(s, 93784);
    assert_int_equal(iv_timespan("10675199.02:48:05.4775807", &s, &inf), 0);   /* unlimited */
    assert_true(inf);
    assert_int_equal(s, 4294967295u);
    assert_int_equal(iv_timespan("49710.06:28:15", &s, &inf), 0);   /* 2^32-1 s */
    assert_true(inf);
    assert_int_equal(iv_timespan("49710.06:28:14", &s, &inf), 0);
    assert_false(inf);
    assert_int_equal(s, 4294967294u);
    const char *bad[] = {"", "8", "8.00:00", "-1.00:00:00", "1.24:00:00", "00:60:00",
                         "00:00:60", "1.00:00:00.", "x.00:00:00", "00:00:00x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(iv_timespan(bad[i], &s, &inf), -1);
}

static void numbers_booleans_names(void **state)
{
    (void)state;
    uint64_t n;
    int b;
    assert_int_equal(iv_uint("0x40", 255, &n), 0);
    assert_int_equal(n, 64);
    assert_int_equal(iv_uint("691200", 0xffffffffu, &n), 0);
    assert_int_equal(iv_uint("256", 255, &n), -1);
    assert_int_equal(iv_uint("-1", 255, &n), -1);
    assert_int_equal(iv_uint("0x", 255, &n), -1);
    assert_int_equal(iv_bool("True", &b), 0);
    assert_true(b);
    assert_int_equal(iv_bool("0", &b), 0);
    assert_false(b);
    assert_int_equal(iv_bool("yes", &b), -1);
    assert_true(win_is_dns_name("heimdall.test.gravity.beryju.io"));
    assert_true(win_is_dns_name("a-1"));
    assert_false(win_is_dns_name("wiz_dfbfbb"));
    assert_false(win_is_dns_name("Printer 2nd floor"));
    assert_false(win_is_dns_name("-a.example"));
    assert_false(win_is_dns_name("a..b"));
    assert_false(win_is_dns_name(""));
    char label[70];
    memset(label, 'a', 64);
    label[64] = 0;
    assert_false(win_is_dns_name(label));
    char slug[64];
    iv_slug("Microsoft Disable Netbios Option ", slug, sizeof slug);
    assert_string_equal(slug, "microsoft-disable-netbios-option");
    iv_slug("__", slug, sizeof slug);
    assert_string_equal(slug, "x");
    assert_int_equal(iv_option_type("DWordDWord"), WT_DWORDDWORD);
    assert_int_equal(iv_option_type("Float"), WT_UNKNOWN);
}

static void the_releases_define_their_own_options(void **state)
{
    (void)state;
    assert_null(kea_std_option(KEA_22, 121));
    assert_string_equal(kea_std_option(KEA_26, 121)->name, "classless-static-route");
    assert_string_equal(kea_std_option(KEA_22, 60)->name, "vendor-class-identifier");
    assert_string_equal(kea_std_option(KEA_30, 119)->name, "domain-search");
    assert_null(kea_std_option(KEA_26, 122));
    assert_non_null(kea_std_option(KEA_30, 122));
    assert_null(kea_std_option(KEA_30, 252));
    assert_int_equal(kea_std_option(KEA_22, 2)->type, KT_INT32);
    assert_int_equal(kea_release_parse("2.6.3"), KEA_26);
    assert_int_equal(kea_release_parse("2.4"), 0);
    assert_null(strstr(kea_lease_header(KEA_22), "pool_id"));
    assert_non_null(strstr(kea_lease_header(KEA_30), "pool_id"));
}

static char *temp_file(const char *data, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test_import_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

/* A forbidden character reference (&#x1;) and a raw one at every position
 * around the reader's 4 KiB and 64 KiB chunk edges: each is replaced once,
 * the text around it is kept, the line is right. */
static void forbidden_characters_at_every_chunk_edge(void **state)
{
    (void)state;
    const char head[] = "<DHCPServer><MajorVersion>10</MajorVersion><IPv4><Name>";
    for (size_t pad = 4000; pad < 4200; pad += 7) {
        size_t len = strlen(head) + pad + 64;
        char *doc = malloc(len);
        size_t o = (size_t)sprintf(doc, "%s", head);
        memset(doc + o, 'a', pad);
        o += pad;
        o += (size_t)sprintf(doc + o, "&#x1;b\x02" "c&#65;</Name></IPv4></DHCPServer>");
        char *path = temp_file(doc, o);
        struct export_tree tree;
        char err[300];
        assert_int_equal(export_tree_read(path, &tree, err, sizeof err), 0);
        const char *name = xn_text(xn_child(tree.root, "IPv4"), "Name");
        assert_int_equal(strlen(name), pad + 5);
        assert_string_equal(name + pad, "?b?cA");
        assert_int_equal(tree.replaced_count, 2);
        assert_int_equal(tree.replaced[0].code, 1);
        assert_int_equal(tree.replaced[1].code, 2);
        assert_int_equal(tree.replaced[0].line, 1);
        export_tree_free(&tree);
        unlink(path);
        free(doc);
    }
}

static void the_tree_keeps_everything_but_the_leases(void **state)
{
    (void)state;
    const char doc[] =
        "<?xml version=\"1.0\"?>\r\n<DHCPServer xmlns=\"http://schemas.microsoft.com/windows/DHCPServer\">"
        "<MajorVersion xmlns=\"\">10</MajorVersion><IPv4 xmlns=\"\"><Scopes><Scope>"
        "<ScopeId>10.0.0.0</ScopeId><Leases><Lease><IPAddress>10.0.0.5</IPAddress></Lease>"
        "<Lease><IPAddress>10.0.0.6</IPAddress></Lease></Leases></Scope></Scopes></IPv4>"
        "<IPv6 xmlns=\"\"><Scopes><Scope><Leases><Lease/></Leases></Scope></Scopes></IPv6>"
        "</DHCPServer>";
    char *path = temp_file(doc, sizeof doc - 1);
    struct export_tree tree;
    char err[300];
    assert_int_equal(export_tree_read(path, &tree, err, sizeof err), 0);
    const struct xnode *scope = xn_child(xn_child(xn_child(tree.root, "IPv4"), "Scopes"), "Scope");
    assert_string_equal(xn_text(scope, "ScopeId"), "10.0.0.0");
    assert_null(xn_child(xn_child(scope, "Leases"), "Lease"));
    assert_int_equal(tree.v4_leases, 2);
    assert_int_equal(tree.v6_leases, 1);
    assert_true(tree.has_v4_leases_element);
    export_tree_free(&tree);
    unlink(path);
}

/* The digest the report carries, against FIPS 180-2's known answers. */
static void sha256_known_answers(void **state)
{
    (void)state;
    static const struct { const char *data, *digest; } KAT[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"}};
    char hex[65];
    for (size_t i = 0; i < sizeof KAT / sizeof *KAT; i++) {
        char *path = temp_file(KAT[i].data, strlen(KAT[i].data));
        assert_int_equal(file_sha256_hex(path, hex), 0);
        assert_string_equal(hex, KAT[i].digest);
        unlink(path);
    }
    assert_int_equal(file_sha256_hex("/nonexistent/kea-win-import", hex), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timespans_in_every_form),
        cmocka_unit_test(numbers_booleans_names),
        cmocka_unit_test(the_releases_define_their_own_options),
        cmocka_unit_test(forbidden_characters_at_every_chunk_edge),
        cmocka_unit_test(the_tree_keeps_everything_but_the_leases),
        cmocka_unit_test(sha256_known_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
