/*
 * The bytes of regular files (tmpfs.h).  A file is a map of TMPFS_BLOCK
 * blocks, blocks[i] holding bytes [i * BLOCK, (i + 1) * BLOCK); a NULL
 * entry, or one past the map's end, is a hole and reads as zeros.  Only
 * blocks that were written take memory, so a file made by seeking far
 * and writing a byte costs one block (and its map).
 *
 * Invariant: every byte of an allocated block at or past the file's size
 * is zero.  A write that grows the file, or a truncate that extends it,
 * then shows zeros there without having to clear anything.
 */
#include <stdlib.h>
#include <string.h>
#include "tmpfs.h"

#define BLOCK TMPFS_BLOCK

static const uint8_t zero_block[BLOCK];

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The block holding byte pos, or NULL for a hole. */
static uint8_t *block_at(const struct node *n, uint64_t index)
{
	return index < n->u.file.cap ? n->u.file.blocks[index] : NULL;
}

/*
 * Makes the map hold at least `need` entries: doubled when that is
 * enough, exactly `need` when the doubling does not fit.  0 or -ENOSPC.
 */
static int map_grow(struct node *n, uint64_t need)
{
	uint64_t cap = n->u.file.cap, want = cap * 2;
	uint8_t **map;

	if (need <= cap)
		return 0;
	if (need > SIZE_MAX / sizeof(*map))
		return -ENOSPC;
	if (want < need || !tree_charge((want - cap) * sizeof(*map))) {
		want = need;
		if (!tree_charge((want - cap) * sizeof(*map)))
			return -ENOSPC;
	}
	map = realloc(n->u.file.blocks, want * sizeof(*map));
	if (!map) {
		tree_uncharge((want - cap) * sizeof(*map));
		return -ENOSPC;
	}
	memset(map + cap, 0, (want - cap) * sizeof(*map));
	n->u.file.blocks = map;
	n->u.file.cap = want;
	return 0;
}

/* Frees the blocks from index `from` on and shrinks the map to them. */
static void blocks_cut(struct node *n, uint64_t from)
{
	uint64_t cap = n->u.file.cap;
	uint8_t **map;

	for (uint64_t i = from; i < cap; i++) {
		if (n->u.file.blocks[i]) {
			free(n->u.file.blocks[i]);
			n->u.file.blocks[i] = NULL;
			n->u.file.count--;
			tree_uncharge(BLOCK);
		}
	}
	if (from >= cap)
		return;
	if (from == 0) {
		free(n->u.file.blocks);
		n->u.file.blocks = NULL;
		n->u.file.cap = 0;
		tree_uncharge(cap * sizeof(*map));
		return;
	}
	map = realloc(n->u.file.blocks, from * sizeof(*map));
	if (!map)
		return; /* keeps the larger map, and its charge */
	n->u.file.blocks = map;
	n->u.file.cap = from;
	tree_uncharge((cap - from) * sizeof(*map));
}

/* Zeroes the bytes of allocated blocks in [from, to). */
static void zero_range(struct node *n, uint64_t from, uint64_t to)
{
	while (from < to) {
		uint64_t off = from % BLOCK;
		uint64_t len = min_u64(BLOCK - off, to - from);
		uint8_t *b = block_at(n, from / BLOCK);

		if (b)
			memset(b + off, 0, len);
		from += len;
	}
}

long data_read(struct node *n, uint64_t pos, uint64_t len, data_copy_out out,
	       void *ctx)
{
	uint64_t done = 0;

	if (pos >= n->size)
		return 0;
	len = min_u64(len, n->size - pos);
	while (done < len) {
		uint64_t at = pos + done, off = at % BLOCK;
		uint64_t chunk = min_u64(BLOCK - off, len - done);
		const uint8_t *b = block_at(n, at / BLOCK);
		long r = out(ctx, done, b ? b + off : zero_block, chunk);

		if (r < 0)
			return done ? (long)done : r;
		done += (uint64_t)r;
		if ((uint64_t)r < chunk)
			break;
	}
	return (long)done;
}

/* Allocates block `index` for a write of `chunk` bytes into it. */
static uint8_t *block_new(struct node *n, uint64_t index, uint64_t chunk)
{
	uint8_t *b;

	if (!tree_charge(BLOCK))
		return NULL;
	/* A block the write fills need not be cleared first. */
	b = chunk == BLOCK ? malloc(BLOCK) : calloc(1, BLOCK);
	if (!b) {
		tree_uncharge(BLOCK);
		return NULL;
	}
	n->u.file.blocks[index] = b;
	n->u.file.count++;
	return b;
}

long data_write(struct node *n, uint64_t pos, uint64_t len, data_copy_in in,
		void *ctx)
{
	uint64_t done = 0, end;
	long err = 0;
	int r;

	if (len == 0)
		return 0;
	if (pos >= TMPFS_FILE_MAX)
		return -EFBIG;
	len = min_u64(len, TMPFS_FILE_MAX - pos);
	r = map_grow(n, (pos + len - 1) / BLOCK + 1);
	if (r)
		return r;
	while (done < len) {
		uint64_t at = pos + done, off = at % BLOCK;
		uint64_t chunk = min_u64(BLOCK - off, len - done);
		uint8_t *b = block_at(n, at / BLOCK);
		bool fresh = false;
		long got;

		if (!b) {
			b = block_new(n, at / BLOCK, chunk);
			if (!b) {
				err = -ENOSPC;
				break;
			}
			fresh = true;
		}
		got = in(ctx, done, b + off, chunk);
		if (got < 0)
			err = got;
		got = got < 0 ? 0 : got;
		if (fresh && chunk == BLOCK && (uint64_t)got < chunk)
			memset(b + got, 0, BLOCK - (uint64_t)got);
		done += (uint64_t)got;
		if ((uint64_t)got < chunk)
			break;
	}
	end = pos + done;
	if (done && end > n->size)
		n->size = end;
	if (done < len) {
		/* Put the invariant back: what the failed copy may have left
		   past the end goes, and blocks wholly past it too. */
		zero_range(n, n->size, pos + len);
		blocks_cut(n, (n->size + BLOCK - 1) / BLOCK);
	}
	return done ? (long)done : err;
}

int data_truncate(struct node *n, uint64_t size)
{
	if (size > TMPFS_FILE_MAX)
		return -EFBIG;
	if (size < n->size) {
		uint64_t keep = (size + BLOCK - 1) / BLOCK;

		blocks_cut(n, keep);
		if (size % BLOCK)
			zero_range(n, size, keep * BLOCK);
	}
	n->size = size;
	return 0;
}

void data_free(struct node *n)
{
	blocks_cut(n, 0);
	n->size = 0;
}
