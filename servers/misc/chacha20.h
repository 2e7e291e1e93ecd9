/*
 * ChaCha20 (RFC 8439, section 2): the quarter round, the block function
 * and the stream cipher built on it.  Pure C over <stdint.h> and
 * <stddef.h>, so that misc (the rand: generator) and the host unit test
 * (tests/unit/servers/test_chacha20.c, the RFC's test vectors) share it.
 * Nothing here allocates, and every function works on any byte alignment.
 */
#ifndef SERVERS_MISC_CHACHA20_H
#define SERVERS_MISC_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_SIZE   32 /* bytes: 256 bits */
#define CHACHA20_NONCE_SIZE 12 /* bytes: 96 bits */
#define CHACHA20_BLOCK_SIZE 64 /* bytes of keystream per block */

/*
 * The quarter round on words a, b, c, d (each 0..15) of a 16-word state
 * (RFC 8439, 2.1 and 2.2).  Indices outside 0..15 are a caller bug.
 */
void chacha20_quarter_round(uint32_t state[16], unsigned a, unsigned b,
			    unsigned c, unsigned d);

/*
 * The block function (RFC 8439, 2.3): 64 bytes of keystream for `key`,
 * block `counter` and `nonce`, written to out.
 */
void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE],
		    uint8_t out[CHACHA20_BLOCK_SIZE]);

/*
 * The cipher (RFC 8439, 2.4): out[i] = in[i] ^ keystream[i] for i < len,
 * the keystream starting at block `counter`.  in and out may be the same
 * buffer.  The caller keeps len below 2^32 blocks from counter (the
 * counter wraps silently otherwise).
 */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in,
		  uint8_t *out, size_t len);

#endif
