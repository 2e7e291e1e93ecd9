/*
 * ChaCha20, written from RFC 8439 section 2 (see chacha20.h).  The state
 * is 16 little-endian 32-bit words: four constants, the key, the block
 * counter and the nonce.  Twenty rounds, alternately on the columns and
 * the diagonals of the 4x4 matrix, then the input is added back in.
 */
#include "chacha20.h"

/* "expand 32-byte k" as four little-endian words. */
static const uint32_t CONSTANTS[4] = { 0x61707865, 0x3320646e, 0x79622d32,
				       0x6b206574 };

static uint32_t rotl32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t load32_le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void store32_le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void chacha20_quarter_round(uint32_t s[16], unsigned a, unsigned b, unsigned c,
			    unsigned d)
{
	s[a] += s[b];
	s[d] = rotl32(s[d] ^ s[a], 16);
	s[c] += s[d];
	s[b] = rotl32(s[b] ^ s[c], 12);
	s[a] += s[b];
	s[d] = rotl32(s[d] ^ s[a], 8);
	s[c] += s[d];
	s[b] = rotl32(s[b] ^ s[c], 7);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE],
		    uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint32_t input[16], s[16];

	for (int i = 0; i < 4; i++)
		input[i] = CONSTANTS[i];
	for (int i = 0; i < 8; i++)
		input[4 + i] = load32_le(key + 4 * i);
	input[12] = counter;
	for (int i = 0; i < 3; i++)
		input[13 + i] = load32_le(nonce + 4 * i);
	for (int i = 0; i < 16; i++)
		s[i] = input[i];
	for (int round = 0; round < 10; round++) {
		chacha20_quarter_round(s, 0, 4, 8, 12); /* columns */
		chacha20_quarter_round(s, 1, 5, 9, 13);
		chacha20_quarter_round(s, 2, 6, 10, 14);
		chacha20_quarter_round(s, 3, 7, 11, 15);
		chacha20_quarter_round(s, 0, 5, 10, 15); /* diagonals */
		chacha20_quarter_round(s, 1, 6, 11, 12);
		chacha20_quarter_round(s, 2, 7, 8, 13);
		chacha20_quarter_round(s, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		store32_le(out + 4 * i, s[i] + input[i]);
	/* The key was in these; do not leave it on the stack. */
	for (int i = 0; i < 16; i++) {
		((volatile uint32_t *)s)[i] = 0;
		((volatile uint32_t *)input)[i] = 0;
	}
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in,
		  uint8_t *out, size_t len)
{
	uint8_t block[CHACHA20_BLOCK_SIZE];

	while (len) {
		size_t n = len < sizeof(block) ? len : sizeof(block);

		chacha20_block(key, counter++, nonce, block);
		for (size_t i = 0; i < n; i++)
			out[i] = in[i] ^ block[i];
		in += n;
		out += n;
		len -= n;
	}
	for (size_t i = 0; i < sizeof(block); i++)
		((volatile uint8_t *)block)[i] = 0;
}
