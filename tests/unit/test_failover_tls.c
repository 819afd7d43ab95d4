/* A relationship's TLS material: checked at create as Kea HA would check it
 * at its reload (where a refusal stops kea-dhcp4), stored, returned, written
 * into the HA entry and handed to the partner channel; plain http warned of. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_host.h"
#include "win_cmds.h"
#include "win_errors.h"

#define CREATE "win-failover-relationship-create"
#define REL "\"relationship-name\":\"r1\",\"primary-server\":\"192.0.2.1\"," \
            "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"]," \
            "\"shared-secret\":\"s\",\"safe-period\":\"disabled\""
#define HTTPS_URLS "\"primary-url\":\"https://192.0.2.1:8001/\"," \
                   "\"secondary-url\":\"https://192.0.2.2:8001/\""

static const char *config =
    "{ \"Dhcp4\": {\n"
    "  \"hooks-libraries\": [ { \"library\": \"/opt/kea/hooks/libdhcp_lease_cmds.so\" } ],\n"
    "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\" } ]\n"
    "} }\n";

static char dir[64], ca[128], cert[128], key[128], state_file[512];
static char tls[1024]; /* the three fields as JSON members */

static void write_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fputs("-----BEGIN PEM-----\n", f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    fake_reset(NULL);
    fake_add_subnet(1, "192.0.2.0", 24, 3600);
    fake_use_files(config);
    snprintf(state_file, sizeof state_file, "%s", fake.config_path);
    snprintf(strrchr(state_file, '/'), 40, "/win-failover-relationships.json");
    snprintf(dir, sizeof dir, "/tmp/win-cmds-tls-XXXXXX");
    if (!mkdtemp(dir)) abort();
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(cert, sizeof cert, "%s/peer.pem", dir);
    snprintf(key, sizeof key, "%s/peer.key", dir);
    write_file(ca);
    write_file(cert);
    write_file(key);
    snprintf(tls, sizeof tls,
             "\"trust-anchor\":\"%s\",\"cert-file\":\"%s\",\"key-file\":\"%s\"", ca, cert,
             key);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(ca);
    unlink(cert);
    unlink(key);
    rmdir(dir);
    return 0;
}

static cJSON *create(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static cJSON *create(const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return call(CREATE, args);
}

/* 87 with a text naming what it must, and nothing written or reloaded. */
static void assert_refused(cJSON *answer, const char *names)
{
    if (answer_code(answer) != ERROR_INVALID_PARAMETER || !strstr(answer_text(answer), names))
        fail_msg("expected 87 naming '%s': %d %s", names, answer_code(answer),
                 answer_text(answer));
    cJSON_Delete(answer);
    assert_int_equal(access(state_file, F_OK), -1);
    assert_int_equal(fake.reloads, 0);
    assert_int_equal(fake.config_checks, 0);
}

static void bad_material_is_refused_naming_the_field(void **state)
{
    (void)state;
    char *before = fake_config_text();
    assert_refused(create("{" REL "," HTTPS_URLS ",\"trust-anchor\":\"%s\","
                          "\"cert-file\":\"%s\",\"key-file\":\"%s/gone.key\"}", ca, cert, dir),
                   "key-file '");
    assert_refused(create("{" REL "," HTTPS_URLS ",\"trust-anchor\":\"%s/none.pem\","
                          "\"cert-file\":\"%s\",\"key-file\":\"%s\"}", dir, cert, key),
                   "trust-anchor '");
    assert_refused(create("{" REL "," HTTPS_URLS ",\"trust-anchor\":\"%s\","
                          "\"cert-file\":\"%s\",\"key-file\":\"%s\"}", ca, dir, key),
                   "cert-file '");
    assert_refused(create("{" REL "," HTTPS_URLS ",\"trust-anchor\":\"%s\","
                          "\"cert-file\":\"%s\",\"key-file\":\"peer.key\"}", ca, cert),
                   "key-file 'peer.key' must be an absolute path");
    assert_refused(create("{" REL "," HTTPS_URLS ",\"trust-anchor\":\"%s\","
                          "\"key-file\":\"%s\"}", ca, key),
                   "cert-file is missing");
    assert_refused(create("{" REL "," HTTPS_URLS ",\"trust-anchor\":\"%s\","
                          "\"cert-file\":\"%s\",\"key-file\":7}", ca, cert), "key-file");
    assert_refused(create("{" REL ",\"require-client-certs\":false}"), "require-client-certs");
    assert_refused(create("{" REL "," HTTPS_URLS ",%s,\"require-client-certs\":\"no\"}", tls),
                   "require-client-certs");
    /* With TLS material both peers are https; without, neither. */
    assert_refused(create("{" REL ",\"primary-url\":\"https://192.0.2.1:8001/\","
                          "\"secondary-url\":\"http://192.0.2.2:8000/\",%s}", tls),
                   "secondary-url 'http://192.0.2.2:8000/' uses http, but the relationship "
                   "has TLS material");
    assert_refused(create("{" REL ",\"primary-url\":\"https://192.0.2.1:8001/\",%s}", tls),
                   "secondary-url is missing");
    assert_refused(create("{" REL "," HTTPS_URLS "}"), "uses https, but TLS is not configured");
    char *after = fake_config_text();
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static const cJSON *field(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item) fail_msg("no %s", name);
    return item;
}

static int warned_unencrypted(const cJSON *answer)
{
    const cJSON *w;
    cJSON_ArrayForEach(w, field(answer_args(answer), "warnings"))
    if (strstr(w->valuestring, "traffic is unencrypted")) return 1;
    return 0;
}

static void material_is_stored_returned_and_in_the_ha_entry(void **state)
{
    (void)state;
    cJSON *a = create("{" REL "," HTTPS_URLS ",%s,\"require-client-certs\":false}", tls);
    assert_int_equal(answer_code(a), 0);
    const cJSON *rel = field(answer_args(a), "relationship");
    assert_string_equal(field(rel, "trust-anchor")->valuestring, ca);
    assert_string_equal(field(rel, "cert-file")->valuestring, cert);
    assert_string_equal(field(rel, "key-file")->valuestring, key);
    assert_true(cJSON_IsFalse(field(rel, "require-client-certs")));
    /* Relationship-level TLS in the HA entry (2.2, 2.6 and 3.0 take it there). */
    const cJSON *ha = field(field(answer_args(a), "kea-effect"), "high-availability");
    assert_string_equal(field(ha, "trust-anchor")->valuestring, ca);
    assert_string_equal(field(ha, "cert-file")->valuestring, cert);
    assert_string_equal(field(ha, "key-file")->valuestring, key);
    assert_true(cJSON_IsFalse(field(ha, "require-client-certs")));
    assert_string_equal(field(cJSON_GetArrayItem(field(ha, "peers"), 1), "url")->valuestring,
                        "https://192.0.2.2:8001/");
    assert_false(warned_unencrypted(a));
    assert_null(fake_logged(WIN_CMDS_RELATIONSHIP_UNENCRYPTED));
    cJSON_Delete(a);
    /* Stored: get reads them back from the state file; enum lists them. */
    a = call("win-failover-relationship-get", "{\"relationship-name\":\"r1\"}");
    rel = field(answer_args(a), "relationship");
    assert_string_equal(field(rel, "key-file")->valuestring, key);
    assert_true(cJSON_IsFalse(field(rel, "require-client-certs")));
    cJSON_Delete(a);
    a = call("win-failover-relationship-enum", "{}");
    rel = cJSON_GetArrayItem(field(answer_args(a), "relationships"), 0);
    assert_string_equal(field(rel, "trust-anchor")->valuestring, ca);
    cJSON_Delete(a);
    /* Create-only, as Windows' set has no flag for them. */
    a = call("win-failover-relationship-set",
             "{\"relationship-name\":\"r1\",\"flags\":[\"mclt\"],\"mclt\":60,"
             "\"cert-file\":\"/etc/other.pem\"}");
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "cert-file"));
    cJSON_Delete(a);
}

static void plain_http_warns_in_the_answer_and_the_log(void **state)
{
    (void)state;
    cJSON *a = create("{" REL "}");
    assert_int_equal(answer_code(a), 0);
    assert_true(warned_unencrypted(a));
    assert_null(cJSON_GetObjectItem(field(answer_args(a), "relationship"), "trust-anchor"));
    assert_null(cJSON_GetObjectItem(field(field(answer_args(a), "kea-effect"),
                                          "high-availability"), "trust-anchor"));
    const char *line = fake_logged(WIN_CMDS_RELATIONSHIP_UNENCRYPTED);
    assert_non_null(line);
    assert_non_null(strstr(line, "failover relationship 'r1': the partners' traffic"));
    cJSON_Delete(a);
}

static void the_partner_channel_gets_the_material(void **state)
{
    (void)state;
    /* configure-partner: the create goes to the partner over https. */
    cJSON *a = create("{" REL "," HTTPS_URLS ",%s,\"configure-partner\":true}", tls);
    assert_int_equal(answer_code(a), ERROR_DHCP_SERVER_NOT_REACHABLE);
    cJSON_Delete(a);
    char want[600];
    snprintf(want, sizeof want, "%s|%s|%s", ca, cert, key);
    assert_string_equal(fake.partner_tls, want);
    assert_non_null(strstr(fake.partner_url, "https://192.0.2.2:8001/|"));
    /* It waits for the partner's own configuration check and its answer. */
    assert_true(fake.partner_wait_ms > WIN_CONFIG_CHECK_MAX_MS);
    /* A replica of a record change, too. */
    a = create("{" REL "," HTTPS_URLS ",%s}", tls);
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    fake.ha_state = "load-balancing";
    snprintf(fake.partner_tls, sizeof fake.partner_tls, "unset");
    a = call("win-client-info-vq-create", "{\"client-ip-address\":\"192.0.2.10\","
                                          "\"client-hardware-address\":\"02:00:00:00:00:01\"}");
    assert_int_equal(answer_code(a), 0);
    cJSON_Delete(a);
    assert_string_equal(fake.partner_tls, want);
    /* Without material: none, and the secret is not sent over plain http. */
    cJSON_Delete(call("win-failover-relationship-delete", "{\"relationship-name\":\"r1\"}"));
    snprintf(fake.partner_tls, sizeof fake.partner_tls, "unset");
    a = create("{" REL ",\"configure-partner\":true}");
    assert_int_equal(answer_code(a), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(answer_text(a), "shared secret over plain http"));
    cJSON_Delete(a);
    assert_string_equal(fake.partner_tls, "unset");
    a = create("{\"relationship-name\":\"r1\",\"primary-server\":\"192.0.2.1\","
               "\"secondary-server\":\"192.0.2.2\",\"scopes\":[\"192.0.2.0\"],"
               "\"configure-partner\":true}");
    assert_int_equal(answer_code(a), ERROR_DHCP_SERVER_NOT_REACHABLE);
    cJSON_Delete(a);
    assert_string_equal(fake.partner_tls, "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bad_material_is_refused_naming_the_field, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(material_is_stored_returned_and_in_the_ha_entry, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(plain_http_warns_in_the_answer_and_the_log, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_partner_channel_gets_the_material, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
