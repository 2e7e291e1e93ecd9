/*
 * The byte ring of a pipe (ring.h).  Chunks are allocated when a byte is
 * first written into them and freed by ring_trim once they hold none; an
 * empty ring keeps one chunk, moved to the front, so that a pipe used for
 * small messages allocates nothing after its first write.
 */
#include <errno.h>
#include <stdlib.h>
#include "ring.h"

void ring_init(struct ring *r)
{
	for (unsigned c = 0; c < RING_CHUNKS; c++)
		r->chunk[c] = NULL;
	r->head = 0;
	r->len = 0;
}

void ring_free(struct ring *r)
{
	for (unsigned c = 0; c < RING_CHUNKS; c++) {
		free(r->chunk[c]);
		r->chunk[c] = NULL;
	}
	r->head = 0;
	r->len = 0;
}

unsigned ring_chunks_held(const struct ring *r)
{
	unsigned n = 0;

	for (unsigned c = 0; c < RING_CHUNKS; c++)
		n += r->chunk[c] != NULL;
	return n;
}

/* Whether chunk c holds a byte of the ring's live range. */
static int chunk_live(const struct ring *r, unsigned c)
{
	uint32_t lo = c * RING_CHUNK, hi = lo + RING_CHUNK;
	uint32_t end = r->head + r->len; /* may pass RING_CAPACITY: wraps */

	if (r->len == 0)
		return 0;
	if (lo < end && hi > r->head)
		return 1;
	return end > RING_CAPACITY && lo < end - RING_CAPACITY;
}

/*
 * Frees the chunks that hold no byte.  An empty ring starts again at
 * offset 0 and keeps one chunk there, if it had any.
 */
static void ring_trim(struct ring *r)
{
	uint8_t *keep = NULL;

	if (r->len == 0) {
		for (unsigned c = 0; c < RING_CHUNKS; c++) {
			if (!keep)
				keep = r->chunk[c];
			else
				free(r->chunk[c]);
			r->chunk[c] = NULL;
		}
		r->chunk[0] = keep;
		r->head = 0;
		return;
	}
	for (unsigned c = 0; c < RING_CHUNKS; c++) {
		if (r->chunk[c] && !chunk_live(r, c)) {
			free(r->chunk[c]);
			r->chunk[c] = NULL;
		}
	}
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

long ring_put(struct ring *r, size_t n, ring_copy_fn copy, void *ctx,
	      uint64_t off)
{
	size_t done = 0;
	long err = 0;

	while (done < n && r->len < RING_CAPACITY) {
		uint32_t pos = (r->head + r->len) % RING_CAPACITY;
		unsigned c = pos / RING_CHUNK;
		uint32_t in = pos % RING_CHUNK;
		size_t k = min_size(n - done, RING_CHUNK - in);
		long got;

		k = min_size(k, RING_CAPACITY - r->len);
		if (!r->chunk[c]) {
			r->chunk[c] = malloc(RING_CHUNK);
			if (!r->chunk[c]) {
				err = -ENOMEM;
				break;
			}
		}
		got = copy(ctx, off + done, r->chunk[c] + in, k);
		if (got < 0) {
			err = got;
			break;
		}
		r->len += (uint32_t)got;
		done += (size_t)got;
		if ((size_t)got < k)
			break;
	}
	if (done == 0) {
		ring_trim(r); /* a chunk allocated for nothing */
		return err;
	}
	return (long)done;
}

long ring_get(struct ring *r, size_t n, ring_copy_fn copy, void *ctx,
	      uint64_t off)
{
	size_t done = 0;
	long err = 0;

	while (done < n && r->len > 0) {
		unsigned c = r->head / RING_CHUNK;
		uint32_t in = r->head % RING_CHUNK;
		size_t k = min_size(n - done, RING_CHUNK - in);
		long got;

		k = min_size(k, r->len);
		got = copy(ctx, off + done, r->chunk[c] + in, k);
		if (got < 0) {
			err = got;
			break;
		}
		r->head = (r->head + (uint32_t)got) % RING_CAPACITY;
		r->len -= (uint32_t)got;
		done += (size_t)got;
		if ((size_t)got < k)
			break;
	}
	ring_trim(r);
	return done ? (long)done : err;
}
