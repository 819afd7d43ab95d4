/* The replay check's memory of nonces: the last REPLICA_NONCES_KEPT are
 * found, older ones are not, also when many share a hash bucket and the ring
 * turns over several times (a broken chain would loop: alarm ends the test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include "replica_nonces.h"

/* Nonce i: its first eight characters (what picks the bucket) take only 16
 * values, so every chain is long and slots are reused within one chain. */
static void nonce(unsigned i, char out[REPLICA_NONCE_CHARS + 1])
{
    snprintf(out, REPLICA_NONCE_CHARS + 1, "%08x%024x", i % 16, i);
}

static int setup(void **state)
{
    (void)state;
    replica_nonces_reset();
    alarm(60);
    return 0;
}

static void keeps_the_last_ones_and_forgets_older(void **state)
{
    (void)state;
    char n[REPLICA_NONCE_CHARS + 1];
    const unsigned total = 2 * REPLICA_NONCES_KEPT + 17;
    for (unsigned i = 0; i < total; i++) {
        nonce(i, n);
        assert_false(replica_nonce_seen(n));
        replica_nonce_keep(n);
        assert_true(replica_nonce_seen(n));
    }
    for (unsigned i = 0; i < total; i++) {
        nonce(i, n);
        if (replica_nonce_seen(n) != (i >= total - REPLICA_NONCES_KEPT))
            fail_msg("nonce %u: seen %d", i, replica_nonce_seen(n));
    }
    nonce(total, n);
    assert_false(replica_nonce_seen(n));
}

static void reset_forgets_every_nonce(void **state)
{
    (void)state;
    char n[REPLICA_NONCE_CHARS + 1];
    for (unsigned i = 0; i < 100; i++) {
        nonce(i, n);
        replica_nonce_keep(n);
    }
    replica_nonces_reset();
    for (unsigned i = 0; i < 100; i++) {
        nonce(i, n);
        assert_false(replica_nonce_seen(n));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(keeps_the_last_ones_and_forgets_older, setup),
        cmocka_unit_test_setup(reset_forgets_every_nonce, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
