/*
 * Unit tests for the generator of rand: (servers/misc/rng.c): its output
 * is the ChaCha20 keystream of its key, the key is replaced after every
 * request (fast key erasure), seeds and written bytes change the state
 * (and their length counts), and the reseed schedule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rng.h"

static const uint8_t ZERO_NONCE[CHACHA20_NONCE_SIZE];

static void seeded(struct rng *r, const char *seed)
{
	rng_init(r);
	rng_reseed(r, seed, strlen(seed), 1000);
}

static void test_init(void **state)
{
	struct rng r;

	memset(&r, 0x5a, sizeof(r));
	rng_init(&r);
	for (size_t i = 0; i < sizeof(r.key); i++)
		assert_int_equal(r.key[i], 0);
	assert_false(r.seeded);
	assert_true(rng_reseed_due(&r, 0));
}

/* Output is the keystream of the key from block 1; block 0 is the next key. */
static void test_output_is_keystream(void **state)
{
	struct rng r;
	uint8_t key[CHACHA20_KEY_SIZE], block0[64], want[200], got[200];

	seeded(&r, "seed");
	memcpy(key, r.key, sizeof(key));
	memset(want, 0, sizeof(want));
	chacha20_xor(key, 1, ZERO_NONCE, want, want, sizeof(want));
	rng_generate(&r, got, sizeof(got));
	assert_memory_equal(got, want, sizeof(want));
	chacha20_block(key, 0, ZERO_NONCE, block0);
	assert_memory_equal(r.key, block0, CHACHA20_KEY_SIZE);
	assert_int_equal(r.since_reseed, sizeof(got));
}

/* Two requests never give the same bytes, and a copy replays them. */
static void test_requests_differ(void **state)
{
	struct rng r, copy;
	uint8_t a[64], b[64], c[64];

	seeded(&r, "seed");
	copy = r;
	rng_generate(&r, a, sizeof(a));
	rng_generate(&r, b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	rng_generate(&copy, c, sizeof(c));
	assert_memory_equal(a, c, sizeof(a));
}

/* A long request changes keys every RNG_REKEY_BYTES. */
static void test_long_request_rekeys(void **state)
{
	size_t len = RNG_REKEY_BYTES + 100;
	uint8_t *got = malloc(len), *want = calloc(1, len);
	uint8_t key[CHACHA20_KEY_SIZE], block0[64];
	struct rng r;

	assert_non_null(got);
	assert_non_null(want);
	seeded(&r, "long");
	memcpy(key, r.key, sizeof(key));
	chacha20_xor(key, 1, ZERO_NONCE, want, want, RNG_REKEY_BYTES);
	chacha20_block(key, 0, ZERO_NONCE, block0);
	chacha20_xor(block0, 1, ZERO_NONCE, want + RNG_REKEY_BYTES,
		     want + RNG_REKEY_BYTES, 100);
	rng_generate(&r, got, len);
	assert_memory_equal(got, want, len);
	assert_int_equal(r.since_reseed, len);
	free(got);
	free(want);
}

/* Different seeds, different streams; the same seed, the same stream. */
static void test_seed_matters(void **state)
{
	struct rng a, b, c;
	uint8_t x[32], y[32], z[32];

	seeded(&a, "one");
	seeded(&b, "two");
	seeded(&c, "one");
	rng_generate(&a, x, sizeof(x));
	rng_generate(&b, y, sizeof(y));
	rng_generate(&c, z, sizeof(z));
	assert_memory_not_equal(x, y, sizeof(x));
	assert_memory_equal(x, z, sizeof(x));
}

/* Mixing changes the key; length, content and order all count. */
static void test_mix(void **state)
{
	struct rng base, a, b, c, d;
	uint8_t key[CHACHA20_KEY_SIZE];

	seeded(&base, "base");
	a = b = c = d = base;
	rng_mix(&a, "ab", 2);
	assert_memory_not_equal(a.key, base.key, sizeof(key));
	rng_mix(&b, "ab\0", 3);
	assert_memory_not_equal(a.key, b.key, sizeof(key));
	rng_mix(&c, "ab", 2);
	assert_memory_equal(a.key, c.key, sizeof(key));
	/* 40 bytes are two pieces; the second one counts too. */
	a = b = base;
	rng_mix(&a, "0123456789012345678901234567890123456789", 40);
	rng_mix(&b, "0123456789012345678901234567890123456788", 40);
	assert_memory_not_equal(a.key, b.key, sizeof(key));
	/* Order: x then y is not y then x. */
	a = b = base;
	rng_mix(&a, "x", 1);
	rng_mix(&a, "y", 1);
	rng_mix(&b, "y", 1);
	rng_mix(&b, "x", 1);
	assert_memory_not_equal(a.key, b.key, sizeof(key));
	/* Nothing to mix changes nothing. */
	d = base;
	rng_mix(&d, NULL, 0);
	assert_memory_equal(d.key, base.key, sizeof(key));
	/* Mixing never leaves an all-zero key from a seeded one. */
	memset(key, 0, sizeof(key));
	assert_memory_not_equal(a.key, key, sizeof(key));
}

/* The reseed schedule: by time and by bytes. */
static void test_reseed_schedule(void **state)
{
	struct rng r;
	uint8_t buf[4096];

	rng_init(&r);
	assert_true(rng_reseed_due(&r, 5));
	rng_reseed(&r, "s", 1, 5000);
	assert_true(r.seeded);
	assert_int_equal(r.reseeds, 1);
	assert_false(rng_reseed_due(&r, 5000));
	assert_false(rng_reseed_due(&r, 5000 + RNG_RESEED_NS - 1));
	assert_true(rng_reseed_due(&r, 5000 + RNG_RESEED_NS));
	for (size_t n = 0; n + sizeof(buf) < RNG_RESEED_BYTES; n += sizeof(buf))
		rng_generate(&r, buf, sizeof(buf));
	assert_false(rng_reseed_due(&r, 6000));
	rng_generate(&r, buf, sizeof(buf));
	assert_true(rng_reseed_due(&r, 6000));
	rng_reseed(&r, "t", 1, 7000);
	assert_int_equal(r.reseeds, 2);
	assert_int_equal(r.since_reseed, 0);
	assert_false(rng_reseed_due(&r, 7000));
}

/* A reseed keeps what the state had: the same seed twice is not a reset. */
static void test_reseed_accumulates(void **state)
{
	struct rng a, b;

	seeded(&a, "first");
	seeded(&b, "other");
	rng_reseed(&a, "same", 4, 2000);
	rng_reseed(&b, "same", 4, 2000);
	assert_memory_not_equal(a.key, b.key, sizeof(a.key));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_output_is_keystream),
		cmocka_unit_test(test_requests_differ),
		cmocka_unit_test(test_long_request_rekeys),
		cmocka_unit_test(test_seed_matters),
		cmocka_unit_test(test_mix),
		cmocka_unit_test(test_reseed_schedule),
		cmocka_unit_test(test_reseed_accumulates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
