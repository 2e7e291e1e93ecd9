/*
 * The generator behind rand: (docs/servers.md).  Pure C over chacha20.c,
 * so that the host unit test can drive it; the seed material comes from
 * the caller (entropy.c in the server).
 *
 * The state is one ChaCha20 key.  Output is ChaCha20 keystream under that
 * key (nonce 0, blocks 1, 2, ...); after every request, and at least
 * every RNG_REKEY_BYTES, block 0 of the same keystream becomes the new
 * key ("fast key erasure"), so bytes already handed out cannot be
 * recomputed from a later state.  Seeds and bytes written to rand: are
 * absorbed 32 at a time: XOR into the key, then the key is replaced by
 * the first half of a block under a separate nonce whose counter is the
 * piece's length.
 */
#ifndef SERVERS_MISC_RNG_H
#define SERVERS_MISC_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chacha20.h"

#define RNG_REKEY_BYTES	 65536		/* most output under one key */
#define RNG_RESEED_BYTES (1u << 20)	/* reseed after this much output */
#define RNG_RESEED_NS	 60000000000ull /* or after 60 s */

struct rng {
	uint8_t key[CHACHA20_KEY_SIZE];
	bool seeded;		 /* a seed has been mixed in (rng_reseed) */
	uint64_t since_reseed;	 /* bytes generated since the last reseed */
	uint64_t last_reseed_ns; /* the caller's clock at the last reseed */
	uint64_t reseeds;	 /* how many, for logs and tests */
};

/* An unseeded generator (the key is all zeros). */
void rng_init(struct rng *r);

/* Absorbs data[0, len) into the key.  Any len, data may be NULL if 0. */
void rng_mix(struct rng *r, const void *data, size_t len);

/*
 * Absorbs fresh seed material seed[0, len), taken at time now_ns, and
 * starts a new reseed period.  The first call seeds the generator.
 */
void rng_reseed(struct rng *r, const void *seed, size_t len, uint64_t now_ns);

/* True when the generator is unseeded or a reseed period has run out
   (RNG_RESEED_BYTES generated, or RNG_RESEED_NS passed since now_ns). */
bool rng_reseed_due(const struct rng *r, uint64_t now_ns);

/*
 * Writes len random bytes to out and replaces the key.  The caller must
 * have seeded the generator (rng_reseed); an unseeded one gives the
 * fixed stream of the all-zero key.
 */
void rng_generate(struct rng *r, void *out, size_t len);

#endif
