/*
 * The rand: generator (see rng.h for the construction).
 */
#include "rng.h"

/* Output and absorption use different nonces: they never share a block. */
static const uint8_t OUTPUT_NONCE[CHACHA20_NONCE_SIZE] = { 0 };
static const uint8_t MIX_NONCE[CHACHA20_NONCE_SIZE] = { 'v', 'a', 'l', 'e',
							'n', 'c', 'e', ' ',
							'm', 'i', 'x', 0 };

static void wipe(void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((volatile uint8_t *)p)[i] = 0;
}

void rng_init(struct rng *r)
{
	wipe(r, sizeof(*r));
}

void rng_mix(struct rng *r, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t block[CHACHA20_BLOCK_SIZE];

	while (len) {
		size_t n = len < CHACHA20_KEY_SIZE ? len : CHACHA20_KEY_SIZE;

		for (size_t i = 0; i < n; i++)
			r->key[i] ^= p[i];
		/* The length as the counter: "ab" and "ab\0" differ. */
		chacha20_block(r->key, (uint32_t)n, MIX_NONCE, block);
		for (size_t i = 0; i < CHACHA20_KEY_SIZE; i++)
			r->key[i] = block[i];
		p += n;
		len -= n;
	}
	wipe(block, sizeof(block));
}

void rng_reseed(struct rng *r, const void *seed, size_t len, uint64_t now_ns)
{
	rng_mix(r, seed, len);
	r->seeded = true;
	r->since_reseed = 0;
	r->last_reseed_ns = now_ns;
	r->reseeds++;
}

bool rng_reseed_due(const struct rng *r, uint64_t now_ns)
{
	return !r->seeded || r->since_reseed >= RNG_RESEED_BYTES ||
	       now_ns - r->last_reseed_ns >= RNG_RESEED_NS;
}

/* Replaces the key with block 0 of its own output stream. */
static void rekey(struct rng *r)
{
	uint8_t block[CHACHA20_BLOCK_SIZE];

	chacha20_block(r->key, 0, OUTPUT_NONCE, block);
	for (size_t i = 0; i < CHACHA20_KEY_SIZE; i++)
		r->key[i] = block[i];
	wipe(block, sizeof(block));
}

void rng_generate(struct rng *r, void *out, size_t len)
{
	uint8_t *p = out;

	while (len) {
		size_t n = len < RNG_REKEY_BYTES ? len : RNG_REKEY_BYTES;

		for (size_t i = 0; i < n; i++)
			p[i] = 0;
		chacha20_xor(r->key, 1, OUTPUT_NONCE, p, p, n);
		rekey(r);
		r->since_reseed += n;
		p += n;
		len -= n;
	}
}
