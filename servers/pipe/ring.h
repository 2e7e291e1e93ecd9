/*
 * A pipe's bytes: a ring of RING_CAPACITY bytes kept in RING_CHUNKS
 * chunks of RING_CHUNK bytes, each allocated (malloc) when the first byte
 * is written into it and freed once no byte in it is held, so that an
 * empty or nearly empty pipe costs at most one chunk.  Pure C (host unit
 * test: tests/unit/servers/test_pipe_ring.c).
 *
 * Bytes move between the ring and the outside through a copy function,
 * so that the server copies straight between a chunk and a caller's lent
 * buffer (ipc_read, ipc_write): one copy, no bounce buffer.
 */
#ifndef SERVERS_PIPE_RING_H
#define SERVERS_PIPE_RING_H

#include <stddef.h>
#include <stdint.h>

#define RING_CAPACITY (64u << 10)
#define RING_CHUNK    4096u
#define RING_CHUNKS   (RING_CAPACITY / RING_CHUNK)

struct ring {
	uint8_t *chunk[RING_CHUNKS]; /* NULL: not allocated */
	uint32_t head;		     /* offset of the first byte held */
	uint32_t len;		     /* bytes held */
};

/*
 * Moves n bytes between ring memory `mem` and the outside at offset `off`
 * (the bytes already moved in this ring_put or ring_get, plus the `off`
 * given to it).  Returns the bytes moved (fewer than n ends the
 * transfer) or -errno.
 */
typedef long (*ring_copy_fn)(void *ctx, uint64_t off, uint8_t *mem, size_t n);

/* An empty ring holding no memory. */
void ring_init(struct ring *r);

/* Frees every chunk; the ring is empty after. */
void ring_free(struct ring *r);

/* Bytes that can be added now. */
static inline uint32_t ring_room(const struct ring *r)
{
	return RING_CAPACITY - r->len;
}

/*
 * Appends up to n bytes (never more than ring_room), taken with
 * copy(ctx, off + done, chunk memory, count).  Returns the bytes
 * appended, or -errno when none were: copy's error, or -ENOMEM when a
 * chunk could not be allocated.
 */
long ring_put(struct ring *r, size_t n, ring_copy_fn copy, void *ctx,
	      uint64_t off);

/*
 * Removes up to n bytes from the front, handed to copy(ctx, off + done,
 * chunk memory, count); only the bytes copy took are removed.  Returns
 * the bytes removed, or copy's -errno when none were.
 */
long ring_get(struct ring *r, size_t n, ring_copy_fn copy, void *ctx,
	      uint64_t off);

/* Chunks allocated now (for tests). */
unsigned ring_chunks_held(const struct ring *r);

#endif
