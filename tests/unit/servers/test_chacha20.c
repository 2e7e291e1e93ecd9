/*
 * Unit tests for ChaCha20 (servers/misc/chacha20.c) against the test
 * vectors of RFC 8439: the quarter round (2.1.1, 2.2.1), the block
 * function (2.3.2, and A.1 #4 and #5), and the cipher (2.4.2, and A.2 #1
 * and #3), plus properties the generator of rand: relies on.
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

#include "chacha20.h"

/* Decodes hex digits (spaces and colons ignored) into out; returns bytes. */
static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int half = -1;

	for (; *s; s++) {
		int v = 0;

		if (*s == ' ' || *s == ':' || *s == '\n')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			fail_msg("bad hex digit '%c'", *s);
		if (half < 0) {
			half = v;
			continue;
		}
		assert_true(n < max);
		out[n++] = (uint8_t)(half << 4 | v);
		half = -1;
	}
	assert_int_equal(half, -1);
	return n;
}

static void key_0_to_31(uint8_t key[CHACHA20_KEY_SIZE])
{
	for (int i = 0; i < CHACHA20_KEY_SIZE; i++)
		key[i] = (uint8_t)i;
}

/* 2.1.1: one quarter round on four words. */
static void test_quarter_round(void **state)
{
	uint32_t s[16] = { 0 };

	s[0] = 0x11111111;
	s[1] = 0x01020304;
	s[2] = 0x9b8d6f43;
	s[3] = 0x01234567;
	chacha20_quarter_round(s, 0, 1, 2, 3);
	assert_int_equal(s[0], 0xea2a92f4);
	assert_int_equal(s[1], 0xcb1cf8ce);
	assert_int_equal(s[2], 0x4581472e);
	assert_int_equal(s[3], 0x5881c4bb);
	for (int i = 4; i < 16; i++)
		assert_int_equal(s[i], 0);
}

/* 2.2.1: QUARTERROUND(2, 7, 8, 13) changes only those four words. */
static void test_quarter_round_on_state(void **state)
{
	uint32_t s[16] = {
		0x879531e0, 0xc5ecf37d, 0x516461b1, 0xc9a62f8a,
		0x44c20ef3, 0x3390af7f, 0xd9fc690b, 0x2a5f714c,
		0x53372767, 0xb00a5631, 0x974c541a, 0x359e9963,
		0x5c971061, 0x3d631689, 0x2098d9d6, 0x91dbd320,
	};
	const uint32_t want[16] = {
		0x879531e0, 0xc5ecf37d, 0xbdb886dc, 0xc9a62f8a,
		0x44c20ef3, 0x3390af7f, 0xd9fc690b, 0xcfacafd2,
		0xe46bea80, 0xb00a5631, 0x974c541a, 0x359e9963,
		0x5c971061, 0xccc07c79, 0x2098d9d6, 0x91dbd320,
	};

	chacha20_quarter_round(s, 2, 7, 8, 13);
	assert_memory_equal(s, want, sizeof(want));
}

/* 2.3.2: the block function, key 00..1f, counter 1. */
static void test_block(void **state)
{
	uint8_t key[CHACHA20_KEY_SIZE], nonce[CHACHA20_NONCE_SIZE], want[64];
	uint8_t out[CHACHA20_BLOCK_SIZE];

	key_0_to_31(key);
	unhex("00:00:00:09:00:00:00:4a:00:00:00:00", nonce, sizeof(nonce));
	unhex("10 f1 e7 e4 d1 3b 59 15 50 0f dd 1f a3 20 71 c4"
	      "c7 d1 f4 c7 33 c0 68 03 04 22 aa 9a c3 d4 6c 4e"
	      "d2 82 64 46 07 9f aa 09 14 c2 d7 05 d9 8b 02 a2"
	      "b5 12 9c d1 de 16 4e b9 cb d0 83 e8 a2 50 3c 4e",
	      want, sizeof(want));
	chacha20_block(key, 1, nonce, out);
	assert_memory_equal(out, want, sizeof(want));
}

/* A.1 #4: one key byte set, block counter 2. */
static void test_block_a1_4(void **state)
{
	uint8_t key[CHACHA20_KEY_SIZE] = { 0 },
		nonce[CHACHA20_NONCE_SIZE] = { 0 };
	uint8_t out[CHACHA20_BLOCK_SIZE], want[64];

	key[1] = 0xff;
	unhex("72 d5 4d fb f1 2e c4 4b 36 26 92 df 94 13 7f 32"
	      "8f ea 8d a7 39 90 26 5e c1 bb be a1 ae 9a f0 ca"
	      "13 b2 5a a2 6c b4 a6 48 cb 9b 9d 1b e6 5b 2c 09"
	      "24 a6 6c 54 d5 45 ec 1b 73 74 f4 87 2e 99 f0 96",
	      want, sizeof(want));
	chacha20_block(key, 2, nonce, out);
	assert_memory_equal(out, want, sizeof(want));
}

/* A.1 #5: zero key, nonce ending in 02, counter 0. */
static void test_block_a1_5(void **state)
{
	uint8_t key[CHACHA20_KEY_SIZE] = { 0 },
		nonce[CHACHA20_NONCE_SIZE] = { 0 };
	uint8_t out[CHACHA20_BLOCK_SIZE], want[64];

	nonce[11] = 0x02;
	unhex("c2 c6 4d 37 8c d5 36 37 4a e2 04 b9 ef 93 3f cd"
	      "1a 8b 22 88 b3 df a4 96 72 ab 76 5b 54 ee 27 c7"
	      "8a 97 0e 0e 95 5c 14 f3 a8 8e 74 1b 97 c2 86 f7"
	      "5f 8f c2 99 e8 14 83 62 fa 19 8a 39 53 1b ed 6d",
	      want, sizeof(want));
	chacha20_block(key, 0, nonce, out);
	assert_memory_equal(out, want, sizeof(want));
}

static const char SUNSCREEN[] =
	"Ladies and Gentlemen of the class of '99: If I could offer you only "
	"one tip for the future, sunscreen would be it.";

static const char SUNSCREEN_CIPHER[] =
	"6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81"
	"e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b"
	"f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57"
	"16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8"
	"07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e"
	"52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36"
	"5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42"
	"87 4d";

/* 2.4.2: 114 bytes over two blocks and a part, and back. */
static void test_cipher_sunscreen(void **state)
{
	uint8_t key[CHACHA20_KEY_SIZE], nonce[CHACHA20_NONCE_SIZE];
	uint8_t want[128], out[128], back[128];
	size_t len = sizeof(SUNSCREEN) - 1;

	assert_int_equal(len, 114);
	key_0_to_31(key);
	unhex("00:00:00:00:00:00:00:4a:00:00:00:00", nonce, sizeof(nonce));
	assert_int_equal(unhex(SUNSCREEN_CIPHER, want, sizeof(want)), len);
	chacha20_xor(key, 1, nonce, (const uint8_t *)SUNSCREEN, out, len);
	assert_memory_equal(out, want, len);
	chacha20_xor(key, 1, nonce, out, back, len);
	assert_memory_equal(back, SUNSCREEN, len);
	/* In place gives the same. */
	memcpy(back, SUNSCREEN, len);
	chacha20_xor(key, 1, nonce, back, back, len);
	assert_memory_equal(back, want, len);
}

/* A.2 #1: zero key, nonce and counter over 64 zero bytes. */
static void test_cipher_a2_1(void **state)
{
	uint8_t key[CHACHA20_KEY_SIZE] = { 0 },
		nonce[CHACHA20_NONCE_SIZE] = { 0 };
	uint8_t zeros[64] = { 0 }, out[64], want[64];

	unhex("76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28"
	      "bd d2 19 b8 a0 8d ed 1a a8 36 ef cc 8b 77 0d c7"
	      "da 41 59 7c 51 57 48 8d 77 24 e0 3f b8 d8 4a 37"
	      "6a 43 b8 f4 15 18 a1 1c c3 87 b6 69 b2 ee 65 86",
	      want, sizeof(want));
	chacha20_xor(key, 0, nonce, zeros, out, sizeof(out));
	assert_memory_equal(out, want, sizeof(want));
}

/* A.2 #3: a random key, counter 42, 127 bytes. */
static void test_cipher_a2_3(void **state)
{
	static const char text[] = "'Twas brillig, and the slithy toves\n"
				   "Did gyre and gimble in the wabe:\n"
				   "All mimsy were the borogoves,\n"
				   "And the mome raths outgrabe.";
	uint8_t key[CHACHA20_KEY_SIZE], nonce[CHACHA20_NONCE_SIZE];
	uint8_t want[128], out[128];
	size_t len = sizeof(text) - 1;

	assert_int_equal(len, 127);
	unhex("1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0"
	      "47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0",
	      key, sizeof(key));
	unhex("00 00 00 00 00 00 00 00 00 00 00 02", nonce, sizeof(nonce));
	assert_int_equal(unhex("62 e6 34 7f 95 ed 87 a4 5f fa e7 42 6f 27 a1 df"
			       "5f b6 91 10 04 4c 0d 73 11 8e ff a9 5b 01 e5 cf"
			       "16 6d 3d f2 d7 21 ca f9 b2 1e 5f b1 4c 61 68 71"
			       "fd 84 c5 4f 9d 65 b2 83 19 6c 7f e4 f6 05 53 eb"
			       "f3 9c 64 02 c4 22 34 e3 2a 35 6b 3e 76 43 12 a6"
			       "1a 55 32 05 57 16 ea d6 96 25 68 f8 7d 3f 3f 77"
			       "04 c6 a8 d1 bc d1 bf 4d 50 d6 15 4b 6d a7 31 b1"
			       "87 b5 8d fd 72 8a fa 36 75 7a 79 7a c1 88 d1",
			       want, sizeof(want)),
			 len);
	chacha20_xor(key, 42, nonce, (const uint8_t *)text, out, len);
	assert_memory_equal(out, want, len);
}

/*
 * The cipher is the block function's output, block after block, for any
 * split of the input: lengths 0..200 from every counter give the same
 * bytes as whole blocks XORed by hand, and nothing past len is written.
 */
static void test_cipher_matches_blocks(void **state)
{
	uint8_t key[CHACHA20_KEY_SIZE],
		nonce[CHACHA20_NONCE_SIZE] = { 1, 2, 3 };
	uint8_t in[256], stream[256], out[256 + 1];

	key_0_to_31(key);
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	for (int b = 0; b < 4; b++)
		chacha20_block(key, 5 + b, nonce, stream + 64 * b);
	for (size_t len = 0; len <= 200; len++) {
		memset(out, 0xa5, sizeof(out));
		chacha20_xor(key, 5, nonce, in, out, len);
		for (size_t i = 0; i < len; i++)
			assert_int_equal(out[i], in[i] ^ stream[i]);
		assert_int_equal(out[len], 0xa5);
	}
}

/* The counter is the whole of word 12: 0xffffffff is a valid block. */
static void test_block_counter_extremes(void **state)
{
	uint8_t key[CHACHA20_KEY_SIZE] = { 0 },
		nonce[CHACHA20_NONCE_SIZE] = { 0 };
	uint8_t a[64], b[64], c[64];

	chacha20_block(key, 0, nonce, a);
	chacha20_block(key, 0xffffffffu, nonce, b);
	chacha20_block(key, 0x80000000u, nonce, c);
	assert_memory_not_equal(a, b, 64);
	assert_memory_not_equal(b, c, 64);
	assert_memory_not_equal(a, c, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarter_round),
		cmocka_unit_test(test_quarter_round_on_state),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_block_a1_4),
		cmocka_unit_test(test_block_a1_5),
		cmocka_unit_test(test_cipher_sunscreen),
		cmocka_unit_test(test_cipher_a2_1),
		cmocka_unit_test(test_cipher_a2_3),
		cmocka_unit_test(test_cipher_matches_blocks),
		cmocka_unit_test(test_block_counter_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
