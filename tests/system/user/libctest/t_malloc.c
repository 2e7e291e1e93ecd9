/* malloc, calloc, realloc, free under varied sizes; sbrk underneath. */
#include <malloc.h>
#include <stdint.h>
#include <unistd.h>
#include <valence.h>
#include "libctest.h"

/* A small deterministic generator, independent of rand(). */
static uint32_t rng = 1;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return 0;
	return 1;
}

/*
 * 4000 random operations on 256 slots: allocate (1 byte to 64 KiB, mostly
 * small), grow or shrink with realloc, free; every block carries a
 * pattern that must survive everything that happens around it.
 */
static void stress(void)
{
	enum { SLOTS = 256, OPS = 4000 };
	static unsigned char *p[SLOTS];
	static size_t len[SLOTS];
	int bad = 0;

	rng = 12345;
	for (int op = 0; op < OPS && !bad; op++) {
		int i = (int)(next() % SLOTS);
		uint32_t r = next();
		size_t n = r % 8 ? 1 + r % 256 : 1 + r % 65536;

		if (p[i] && !intact(p[i], len[i], (unsigned)i)) {
			bad = 1;
			break;
		}
		if (!p[i]) {
			p[i] = malloc(n);
			len[i] = n;
		} else if (r % 3 == 0) {
			unsigned char *q = realloc(p[i], n);

			if (!q) {
				bad = 1;
				break;
			}
			p[i] = q;
			len[i] = len[i] < n ? len[i] : n;
			bad |= !intact(p[i], len[i], (unsigned)i);
			len[i] = n;
		} else {
			free(p[i]);
			p[i] = NULL;
			continue;
		}
		if (!p[i]) {
			bad = 1;
			break;
		}
		fill(p[i], len[i], (unsigned)i);
	}
	CHECK(!bad);
	for (int i = 0; i < SLOTS; i++) {
		if (p[i])
			CHECK(intact(p[i], len[i], (unsigned)i));
		free(p[i]);
		p[i] = NULL;
	}
}

/* Not a constant, so that the compiler does not refuse the call. */
static volatile size_t huge = SIZE_MAX / 2;

static void calloc_and_realloc_edges(void)
{
	unsigned char *z = calloc(1000, 4), *r;
	int zero = 1;

	REQUIRE(z != NULL);
	for (int i = 0; i < 4000; i++)
		zero &= z[i] == 0;
	CHECK(zero);
	free(z);
	r = realloc(NULL, 100); /* as malloc */
	CHECK(r != NULL);
	fill(r, 100, 3);
	r = realloc(r, 10000);
	REQUIRE(r != NULL);
	CHECK(intact(r, 100, 3));
	r = realloc(r, 10);
	REQUIRE(r != NULL);
	CHECK(intact(r, 10, 3));
	free(r);
	free(NULL); /* does nothing */
	errno = 0;
	CHECK(calloc(huge, 4) == NULL); /* overflow caught */
	CHECK_EQ(errno, ENOMEM);
}

static void large_blocks(void)
{
	size_t n = 16u << 20;
	unsigned char *big = malloc(n);

	REQUIRE(big != NULL);
	memset(big, 0xa5, n);
	CHECK(big[0] == 0xa5 && big[n / 2] == 0xa5 && big[n - 1] == 0xa5);
	free(big);
	/* More than the machine has: NULL and ENOMEM, nothing else. */
	errno = 0;
	CHECK(malloc(huge >> 22) == NULL); /* 2 TiB */
	CHECK_EQ(errno, ENOMEM);
	big = malloc(n); /* and the heap still works */
	CHECK(big != NULL);
	free(big);
}

static void alignment(void)
{
	void *p = NULL;

	for (size_t a = 16; a <= 4096; a *= 4) {
		CHECK_EQ(posix_memalign(&p, a, 100), 0);
		CHECK(((uintptr_t)p & (a - 1)) == 0);
		free(p);
	}
	CHECK_EQ(posix_memalign(&p, 3, 100), EINVAL);
	p = malloc(1);
	CHECK(((uintptr_t)p & 15) == 0); /* max_align_t */
	free(p);
}

static void break_moves(void)
{
	char *a = sbrk(0), *b;

	CHECK(a != (void *)-1);
	b = sbrk(8192);
	CHECK(b == a);
	CHECK(sbrk(0) == a + 8192);
	memset(b, 1, 8192); /* mapped, writable */
	CHECK(sbrk(-8192) == a + 8192);
	CHECK(sbrk(0) == a);
	errno = 0;
	CHECK(sbrk((intptr_t)1 << 46) == (void *)-1);
	CHECK_EQ(errno, ENOMEM);
}

/*
 * The break going up and down, by amounts that end inside a chunk of the
 * heap: the memory comes back to the system.  (sbrk used to unmap part of
 * a chunk, which kept the whole of it until the process ended: tmpfs ran
 * the machine out of memory this way.)
 */
static void break_returns_memory(void)
{
	struct sys_stats before, after;
	char *a = sbrk(0);

	REQUIRE_EQ(sys_sys_stats(&before), 0);
	/* Up 512 KiB, down all but a page: the break creeps up 100 pages. */
	for (int i = 0; i < 100; i++) {
		REQUIRE(sbrk(512 * 1024) != (void *)-1);
		memset((char *)sbrk(0) - 4096, 1, 4096);
		REQUIRE(sbrk(-(512 * 1024 - 4096)) != (void *)-1);
	}
	CHECK(sbrk(0) == a + 100 * 4096);
	REQUIRE_EQ(sys_sys_stats(&after), 0);
	/* 400 KiB are in use: a few chunks of 256 KiB at most, not the
	   hundred of 512 KiB that partial unmaps would keep. */
	CHECK(after.free_frames + 4 * 64 >= before.free_frames);
	REQUIRE(sbrk(-100 * 4096) != (void *)-1);
	CHECK(sbrk(0) == a);
}

const struct test malloc_tests[] = {
	{ "malloc realloc free stress", stress },
	{ "calloc and realloc edges", calloc_and_realloc_edges },
	{ "large blocks and ENOMEM", large_blocks },
	{ "aligned allocation", alignment },
	{ "sbrk", break_moves },
	{ "sbrk gives memory back", break_returns_memory },
	{ NULL, NULL },
};
