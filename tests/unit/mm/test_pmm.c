/*
 * Unit tests for the physical frame allocator (kernel/mm/pmm.c).
 *
 * The tests drive a private struct pmm over a host bitmap: the allocator
 * never touches the frames, so no "physical memory" is needed.  Only
 * frame_alloc_zeroed() (which clears the frame through phys_to_virt) uses
 * the fake arena from stubs.c, through the global kernel_pmm.
 *
 * Covered: pmm_init, release (rounds inwards, never frees frame 0),
 * reserve (rounds outwards), pmm_alloc until exhaustion, free_frames
 * accounting, pmm_free rejecting double/misaligned/outside frees without
 * side effects, pmm_alloc_contig alignment / fragmentation / coalescing,
 * search-hint wraparound, pools whose size is not a multiple of 64,
 * pmm_in_use, and the frame_alloc* wrappers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mm.h"
#include "stubs.h"

#define BASE	  0x100000UL		/* pool base used by most tests */
#define MAX_POOL  4096			/* frames */
#define WORDS	  (MAX_POOL / 64)
#define GUARD	  0x5a5a5a5a5a5a5a5aUL	/* bitmap words the pmm must not touch */
#define MiB	  (1UL << 20)

/* The bitmap, plus guard words after it to catch writes past its end. */
static uint64_t bitmap[WORDS + 4];
static struct pmm p;

static uint64_t fa(size_t i)
{
	return BASE + i * PAGE_SIZE;
}

/* Fresh pool over [base, base + n frames), optionally all released. */
static void pool(uint64_t base, size_t n, bool release)
{
	size_t used_words = (n + 63) / 64;

	assert_true(n <= MAX_POOL);
	/* Start from "all free" garbage so pmm_init must really set the bits. */
	memset(bitmap, 0, sizeof(bitmap));
	for (size_t w = used_words; w < WORDS + 4; w++)
		bitmap[w] = GUARD;
	pmm_init(&p, bitmap, base, n);
	if (release)
		pmm_release_range(&p, base, base + n * PAGE_SIZE);
}

static bool bit(size_t i)
{
	return bitmap[i / 64] & (1UL << (i % 64));
}

/*
 * Invariants: free_frames equals the number of clear bits below nframes,
 * the tail bits of the last word stay set, and nothing past it is touched.
 */
static void check_consistent(void)
{
	size_t words = (p.nframes + 63) / 64, nfree = 0;

	for (size_t i = 0; i < p.nframes; i++)
		nfree += !bit(i);
	assert_int_equal(nfree, p.free_frames);
	for (size_t i = p.nframes; i < words * 64; i++)
		assert_true(bit(i));
	for (size_t w = words; w < WORDS + 4; w++)
		assert_int_equal(bitmap[w], GUARD);
}

/* Allocates everything that is left; returns how many frames that was. */
static size_t drain(void)
{
	size_t n = 0;

	while (pmm_alloc(&p))
		n++;
	return n;
}

/* ---- init / release / reserve ---- */

static void test_init_all_used(void **state)
{
	pool(BASE, 200, false);
	assert_ptr_equal(p.bitmap, bitmap);
	assert_int_equal(p.base, BASE);
	assert_int_equal(p.nframes, 200);
	assert_int_equal(p.free_frames, 0);
	for (size_t i = 0; i < 200; i++)
		assert_true(pmm_in_use(&p, fa(i)));
	assert_int_equal(pmm_alloc(&p), 0);
	assert_int_equal(pmm_alloc_contig(&p, 1, PAGE_SIZE), 0);
	check_consistent();
}

static void test_release_rounds_inwards(void **state)
{
	pool(BASE, 64, false);

	/* [frame 0 + 0x800, frame 3 + 0x10): only frames 1 and 2 are whole. */
	pmm_release_range(&p, fa(0) + 0x800, fa(3) + 0x10);
	assert_int_equal(p.free_frames, 2);
	assert_true(pmm_in_use(&p, fa(0)));
	assert_false(pmm_in_use(&p, fa(1)));
	assert_false(pmm_in_use(&p, fa(2)));
	assert_true(pmm_in_use(&p, fa(3)));

	/* Less than one whole frame: nothing. */
	pmm_release_range(&p, fa(5), fa(5) + PAGE_SIZE - 1);
	pmm_release_range(&p, fa(5) + 1, fa(6) + 1);
	assert_true(pmm_in_use(&p, fa(5)));
	assert_int_equal(p.free_frames, 2);

	/* Empty and inverted ranges: nothing. */
	pmm_release_range(&p, fa(8), fa(8));
	pmm_release_range(&p, fa(9), fa(8));
	assert_int_equal(p.free_frames, 2);

	/* Releasing free frames again does not count them twice. */
	pmm_release_range(&p, fa(1), fa(3));
	assert_int_equal(p.free_frames, 2);

	/* Ranges reaching outside the pool are clipped to it. */
	pmm_release_range(&p, fa(60), fa(1000));
	assert_int_equal(p.free_frames, 6);
	pmm_release_range(&p, 0, fa(10));
	assert_int_equal(p.free_frames, 6 + 8);	/* 0, 3..9 were still used */
	check_consistent();

	/* Entirely outside: nothing. */
	pool(BASE, 64, false);
	pmm_release_range(&p, 0, BASE);
	pmm_release_range(&p, fa(64), fa(128));
	assert_int_equal(p.free_frames, 0);
	check_consistent();
}

static void test_reserve_rounds_outwards(void **state)
{
	pool(BASE, 64, true);
	assert_int_equal(p.free_frames, 64);

	/* Touches frames 3, 4 and 5. */
	pmm_reserve_range(&p, fa(3) + 0x10, fa(5) + 1);
	assert_int_equal(p.free_frames, 61);
	assert_false(pmm_in_use(&p, fa(2)));
	assert_true(pmm_in_use(&p, fa(3)));
	assert_true(pmm_in_use(&p, fa(4)));
	assert_true(pmm_in_use(&p, fa(5)));
	assert_false(pmm_in_use(&p, fa(6)));

	/* Exactly one frame. */
	pmm_reserve_range(&p, fa(10), fa(11));
	assert_int_equal(p.free_frames, 60);
	assert_false(pmm_in_use(&p, fa(9)));
	assert_true(pmm_in_use(&p, fa(10)));
	assert_false(pmm_in_use(&p, fa(11)));

	/* A single byte reserves its frame. */
	pmm_reserve_range(&p, fa(20) + 0xfff, fa(20) + 0x1000);
	assert_int_equal(p.free_frames, 59);
	assert_true(pmm_in_use(&p, fa(20)));
	assert_false(pmm_in_use(&p, fa(21)));

	/* Reserving used frames again does not count them twice. */
	pmm_reserve_range(&p, fa(3), fa(6));
	assert_int_equal(p.free_frames, 59);

	/* Inverted: nothing. */
	pmm_reserve_range(&p, fa(40), fa(30));
	assert_int_equal(p.free_frames, 59);

	/* Clipped at both ends of the pool. */
	pmm_reserve_range(&p, 0, BASE + 1);
	assert_true(pmm_in_use(&p, fa(0)));
	assert_false(pmm_in_use(&p, fa(1)));
	pmm_reserve_range(&p, fa(62), fa(100));
	assert_true(pmm_in_use(&p, fa(62)));
	assert_true(pmm_in_use(&p, fa(63)));
	assert_int_equal(p.free_frames, 56);
	check_consistent();

	/* Release after reserve frees exactly the frames again. */
	pmm_release_range(&p, fa(3), fa(6));
	assert_int_equal(p.free_frames, 59);
	check_consistent();
}

static void test_frame_zero_never_handed_out(void **state)
{
	uint64_t a;

	pool(0, 64, false);
	pmm_release_range(&p, 0, PAGE_SIZE);
	assert_int_equal(p.free_frames, 0);
	pmm_release_range(&p, 0, 64 * PAGE_SIZE);
	assert_int_equal(p.free_frames, 63);
	assert_true(pmm_in_use(&p, 0));
	assert_false(pmm_in_use(&p, PAGE_SIZE));

	/* A contiguous run cannot include frame 0 either. */
	assert_int_equal(pmm_alloc_contig(&p, 64, PAGE_SIZE), 0);
	a = pmm_alloc_contig(&p, 63, PAGE_SIZE);
	assert_int_equal(a, PAGE_SIZE);
	assert_int_equal(pmm_free(&p, a, 63), 0);

	for (size_t i = 0; i < 63; i++) {
		a = pmm_alloc(&p);
		assert_int_not_equal(a, 0);
		assert_int_equal(a, (i + 1) * PAGE_SIZE);
	}
	assert_int_equal(pmm_alloc(&p), 0);
	assert_int_equal(p.free_frames, 0);
	check_consistent();
}

/* ---- single frames ---- */

static void test_alloc_until_exhausted(void **state)
{
	enum { N = 300 };	/* not a multiple of 64 */
	static bool seen[N];
	uint64_t a;

	memset(seen, 0, sizeof(seen));
	pool(BASE, N, true);
	assert_int_equal(p.free_frames, N);
	for (size_t k = 0; k < N; k++) {
		size_t i;

		a = pmm_alloc(&p);
		assert_int_not_equal(a, 0);
		assert_true(a % PAGE_SIZE == 0);
		assert_true(a >= BASE && a < fa(N));
		i = (a - BASE) / PAGE_SIZE;
		assert_false(seen[i]);
		seen[i] = true;
		assert_true(pmm_in_use(&p, a));
		assert_int_equal(p.free_frames, N - k - 1);
	}
	assert_int_equal(pmm_alloc(&p), 0);
	assert_int_equal(pmm_alloc(&p), 0);
	assert_int_equal(p.free_frames, 0);
	check_consistent();

	/* Everything back, then everything out again. */
	for (size_t i = 0; i < N; i++)
		assert_int_equal(pmm_free(&p, fa(i), 1), 0);
	assert_int_equal(p.free_frames, N);
	check_consistent();
	assert_int_equal(drain(), N);
	check_consistent();
}

static void test_double_free(void **state)
{
	uint64_t snap[WORDS + 4], a, b, x;
	size_t nfree;

	pool(BASE, 128, true);
	a = pmm_alloc(&p);
	b = pmm_alloc(&p);
	assert_int_not_equal(a, b);
	assert_int_equal(pmm_free(&p, a, 1), 0);
	assert_false(pmm_in_use(&p, a));
	assert_int_equal(p.free_frames, 127);

	memcpy(snap, bitmap, sizeof(snap));
	nfree = p.free_frames;
	assert_int_equal(pmm_free(&p, a, 1), -EINVAL);
	assert_int_equal(p.free_frames, nfree);
	assert_memory_equal(snap, bitmap, sizeof(snap));
	assert_true(pmm_in_use(&p, b));

	/* A run with one free frame in the middle is refused as a whole. */
	x = pmm_alloc_contig(&p, 3, PAGE_SIZE);
	assert_int_not_equal(x, 0);
	assert_int_equal(pmm_free(&p, x + PAGE_SIZE, 1), 0);
	memcpy(snap, bitmap, sizeof(snap));
	nfree = p.free_frames;
	assert_int_equal(pmm_free(&p, x, 3), -EINVAL);
	assert_int_equal(p.free_frames, nfree);
	assert_memory_equal(snap, bitmap, sizeof(snap));
	assert_true(pmm_in_use(&p, x));
	assert_true(pmm_in_use(&p, x + 2 * PAGE_SIZE));

	/* The frames that were in use can still be freed one by one. */
	assert_int_equal(pmm_free(&p, x, 1), 0);
	assert_int_equal(pmm_free(&p, x + 2 * PAGE_SIZE, 1), 0);
	assert_int_equal(pmm_free(&p, b, 1), 0);
	assert_int_equal(p.free_frames, 128);
	check_consistent();
}

static void test_free_bad_ranges(void **state)
{
	enum { N = 60 };	/* the last bitmap word has 4 tail bits */
	uint64_t snap[WORDS + 4];
	size_t nfree;
	static const struct {
		uint64_t phys;
		size_t count;
	} bad[] = {
		{ BASE + 8, 1 },		/* misaligned */
		{ BASE + 0x800, 1 },
		{ BASE + PAGE_SIZE - 1, 1 },
		{ BASE - PAGE_SIZE, 1 },	/* below the pool */
		{ 0, 1 },
		{ BASE - PAGE_SIZE, 2 },	/* straddles the start */
		{ BASE + N * PAGE_SIZE, 1 },	/* at the top (a tail bit) */
		{ BASE + 64 * PAGE_SIZE, 1 },	/* past the bitmap word */
		{ BASE + 100 * PAGE_SIZE, 1 },	/* above */
		{ BASE + (N - 1) * PAGE_SIZE, 2 }, /* straddles the top */
		{ BASE + (N - 2) * PAGE_SIZE, 4 },
		{ BASE, N + 1 },		/* longer than the pool */
		{ BASE, 0 },			/* nothing */
		{ BASE, SIZE_MAX },		/* count overflow */
		{ BASE + PAGE_SIZE, SIZE_MAX },
		{ UINT64_MAX & ~(PAGE_SIZE - 1), 1 },
	};

	pool(BASE, N, true);
	assert_int_equal(drain(), N);	/* everything in use */
	memcpy(snap, bitmap, sizeof(snap));
	nfree = p.free_frames;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(pmm_free(&p, bad[i].phys, bad[i].count),
				 -EINVAL);
		assert_int_equal(p.free_frames, nfree);
		assert_memory_equal(snap, bitmap, sizeof(snap));
	}

	/* The whole pool in one go is fine. */
	assert_int_equal(pmm_free(&p, BASE, N), 0);
	assert_int_equal(p.free_frames, N);
	check_consistent();
}

/* ---- contiguous runs ---- */

static void test_contig_alignment(void **state)
{
	uint64_t a;

	/* 8 MiB starting at 1 MiB: 2 MiB boundaries at 2, 4, 6, 8 MiB. */
	pool(BASE, 2048, true);

	a = pmm_alloc_contig(&p, 4, 2 * MiB);
	assert_int_equal(a, 2 * MiB);
	for (size_t i = 0; i < 4; i++)
		assert_true(pmm_in_use(&p, a + i * PAGE_SIZE));
	assert_false(pmm_in_use(&p, a + 4 * PAGE_SIZE));
	assert_false(pmm_in_use(&p, a - PAGE_SIZE));
	assert_int_equal(p.free_frames, 2048 - 4);

	/* 2 MiB is taken (partly): the next aligned run starts at 4 MiB. */
	assert_int_equal(pmm_alloc_contig(&p, 512, 2 * MiB), 4 * MiB);
	assert_int_equal(pmm_alloc_contig(&p, 512, 2 * MiB), 6 * MiB);
	/* 8 MiB + 2 MiB is past the top (9 MiB). */
	assert_int_equal(pmm_alloc_contig(&p, 512, 2 * MiB), 0);
	assert_int_equal(pmm_alloc_contig(&p, 256, 2 * MiB), 8 * MiB);
	assert_int_equal(pmm_alloc_contig(&p, 1, 2 * MiB), 0);
	assert_int_equal(p.free_frames, 2048 - 4 - 512 - 512 - 256);
	check_consistent();

	/* Smaller alignments. */
	pool(BASE, 64, true);
	assert_int_equal(pmm_alloc(&p), BASE);
	a = pmm_alloc_contig(&p, 1, 2 * PAGE_SIZE);
	assert_int_equal(a, BASE + 2 * PAGE_SIZE);
	a = pmm_alloc_contig(&p, 3, 4 * PAGE_SIZE);
	assert_int_equal(a, BASE + 4 * PAGE_SIZE);
	/* Frames 0, 2, 4-6 are used: the first free pair is 7-8. */
	a = pmm_alloc_contig(&p, 2, PAGE_SIZE);
	assert_int_equal(a, BASE + 7 * PAGE_SIZE);
	check_consistent();
}

static void test_contig_bad_args(void **state)
{
	pool(BASE, 64, true);
	assert_int_equal(pmm_alloc_contig(&p, 0, PAGE_SIZE), 0);
	assert_int_equal(pmm_alloc_contig(&p, 1, 0), 0);
	assert_int_equal(pmm_alloc_contig(&p, 1, 2048), 0);
	assert_int_equal(pmm_alloc_contig(&p, 1, 3 * PAGE_SIZE), 0);
	assert_int_equal(pmm_alloc_contig(&p, 1, PAGE_SIZE + 1), 0);
	assert_int_equal(pmm_alloc_contig(&p, 65, PAGE_SIZE), 0);
	assert_int_equal(pmm_alloc_contig(&p, SIZE_MAX, PAGE_SIZE), 0);
	assert_int_equal(p.free_frames, 64);
	check_consistent();

	/* The whole pool is one run; one more frame is not. */
	assert_int_equal(pmm_alloc_contig(&p, 64, PAGE_SIZE), BASE);
	assert_int_equal(p.free_frames, 0);
	assert_int_equal(pmm_free(&p, BASE, 64), 0);
	check_consistent();
}

static void test_contig_fragmentation(void **state)
{
	enum { N = 128 };
	uint64_t a;

	pool(BASE, N, true);
	assert_int_equal(drain(), N);
	/* Free every other frame: 64 frames free, no two adjacent. */
	for (size_t i = 0; i < N; i += 2)
		assert_int_equal(pmm_free(&p, fa(i), 1), 0);
	assert_int_equal(p.free_frames, N / 2);
	assert_int_equal(pmm_alloc_contig(&p, 2, PAGE_SIZE), 0);
	assert_int_equal(pmm_alloc_contig(&p, 32, PAGE_SIZE), 0);
	assert_int_equal(p.free_frames, N / 2);
	check_consistent();

	/* Single frames are still there. */
	a = pmm_alloc_contig(&p, 1, PAGE_SIZE);
	assert_int_equal(a, fa(0));
	a = pmm_alloc(&p);
	assert_int_not_equal(a, 0);
	assert_int_equal((a - BASE) / PAGE_SIZE % 2, 0);
	assert_int_equal(pmm_free(&p, fa(0), 1), 0);
	assert_int_equal(pmm_free(&p, a, 1), 0);

	/* Coalescing: freeing frame 11 joins 10, 11 and 12. */
	assert_int_equal(pmm_free(&p, fa(11), 1), 0);
	assert_int_equal(pmm_alloc_contig(&p, 4, PAGE_SIZE), 0);
	assert_int_equal(pmm_alloc_contig(&p, 3, PAGE_SIZE), fa(10));
	assert_true(pmm_in_use(&p, fa(10)));
	assert_true(pmm_in_use(&p, fa(11)));
	assert_true(pmm_in_use(&p, fa(12)));

	/* Freeing the odd frames 41..79 gives one run, frames 40..80. */
	for (size_t i = 41; i < 80; i += 2)
		assert_int_equal(pmm_free(&p, fa(i), 1), 0);
	assert_int_equal(pmm_alloc_contig(&p, 42, PAGE_SIZE), 0);
	assert_int_equal(pmm_alloc_contig(&p, 41, PAGE_SIZE), fa(40));
	assert_int_equal(pmm_free(&p, fa(40), 41), 0);
	/* ... and an aligned one inside it. */
	assert_int_equal(pmm_alloc_contig(&p, 16, 16 * PAGE_SIZE),
			 fa(48));	/* BASE is 256-frame aligned */
	check_consistent();

	/* The rest still comes out frame by frame. */
	drain();
	assert_int_equal(p.free_frames, 0);
	check_consistent();
}

/* ---- the search hint ---- */

static void test_hint_wraparound(void **state)
{
	pool(BASE, 256, true);
	assert_int_equal(drain(), 256);

	/* Low frames freed after the search reached the end are found. */
	assert_int_equal(pmm_free(&p, fa(3), 1), 0);
	assert_int_equal(pmm_free(&p, fa(5), 1), 0);
	assert_int_equal(pmm_alloc(&p), fa(3));
	assert_int_equal(pmm_alloc(&p), fa(5));
	assert_int_equal(pmm_alloc(&p), 0);

	/* Even when the hint is left pointing past them. */
	assert_int_equal(pmm_free(&p, fa(7), 1), 0);
	p.hint = 250;
	assert_int_equal(pmm_alloc(&p), fa(7));
	assert_int_equal(pmm_alloc(&p), 0);

	/* A free frame below the hint inside the hint's own word. */
	assert_int_equal(pmm_free(&p, fa(65), 1), 0);
	p.hint = 70;
	assert_int_equal(pmm_alloc(&p), fa(65));

	/* A hint at the very last frame with only frame 0 free. */
	assert_int_equal(pmm_free(&p, fa(0), 1), 0);
	p.hint = 255;
	assert_int_equal(pmm_alloc(&p), fa(0));

	/* release_range also lowers the hint. */
	pmm_release_range(&p, fa(100), fa(102));
	p.hint = 200;
	assert_int_equal(pmm_alloc(&p), fa(100));
	assert_int_equal(pmm_alloc(&p), fa(101));
	assert_int_equal(pmm_alloc(&p), 0);
	check_consistent();
}

/* ---- pools whose size is not a multiple of 64 ---- */

static void test_odd_pool_sizes(void **state)
{
	static const size_t sizes[] = { 1, 2, 63, 65, 100, 127, 129, 1000 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		uint64_t a, top = fa(n);

		pool(BASE, n, false);
		check_consistent();
		/* Releasing far past the top must not free the tail bits. */
		pmm_release_range(&p, BASE, BASE + 10000 * PAGE_SIZE);
		assert_int_equal(p.free_frames, n);
		check_consistent();
		for (size_t i = 0; i < n; i++) {
			a = pmm_alloc(&p);
			assert_true(a >= BASE && a < top);
		}
		assert_int_equal(pmm_alloc(&p), 0);
		check_consistent();

		assert_int_equal(pmm_free(&p, BASE, n), 0);
		assert_int_equal(pmm_alloc_contig(&p, n + 1, PAGE_SIZE), 0);
		assert_int_equal(pmm_alloc_contig(&p, n, PAGE_SIZE), BASE);
		assert_int_equal(pmm_free(&p, BASE, n), 0);
		/* A run that would end past the top is not handed out. */
		if (n > 1) {
			assert_int_equal(pmm_alloc(&p), BASE);
			assert_int_equal(pmm_alloc_contig(&p, n, PAGE_SIZE), 0);
			assert_int_equal(pmm_alloc_contig(&p, n - 1, PAGE_SIZE),
					 BASE + PAGE_SIZE);
		}
		check_consistent();
	}
}

static void test_in_use(void **state)
{
	pool(BASE, 100, true);
	assert_true(pmm_in_use(&p, 0));
	assert_true(pmm_in_use(&p, BASE - 1));
	assert_false(pmm_in_use(&p, BASE));
	assert_false(pmm_in_use(&p, fa(99) + PAGE_SIZE - 1));
	assert_true(pmm_in_use(&p, fa(100)));
	assert_true(pmm_in_use(&p, UINT64_MAX));

	pmm_reserve_range(&p, fa(42), fa(43));
	assert_true(pmm_in_use(&p, fa(42)));
	assert_true(pmm_in_use(&p, fa(42) + 123));	/* any byte of it */
	assert_true(pmm_in_use(&p, fa(42) + PAGE_SIZE - 1));
	assert_false(pmm_in_use(&p, fa(41) + PAGE_SIZE - 1));
	assert_false(pmm_in_use(&p, fa(43)));
	assert_int_equal(pmm_free(&p, fa(42), 1), 0);
	assert_false(pmm_in_use(&p, fa(42) + 123));
}

/* ---- the kernel_pmm wrappers ---- */

static void test_frame_alloc_wrappers(void **state)
{
	static uint64_t kbitmap[1];
	uint8_t *v;
	uint64_t a, b;

	test_arena_create(BASE, 8);
	pmm_init(&kernel_pmm, kbitmap, BASE, 8);
	pmm_release_range(&kernel_pmm, BASE, BASE + 8 * PAGE_SIZE);

	a = frame_alloc_zeroed();
	assert_int_equal(a, BASE);
	v = phys_to_virt(a);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(v[i], 0);
	/* The arena starts as 0xa5: a plain frame_alloc does not clear. */
	b = frame_alloc();
	assert_int_equal(b, BASE + PAGE_SIZE);
	assert_int_equal(((uint8_t *)phys_to_virt(b))[0], 0xa5);
	assert_int_equal(kernel_pmm.free_frames, 6);

	frame_free(a);
	frame_free(b);
	assert_int_equal(kernel_pmm.free_frames, 8);

	/* Out of memory: 0, and nothing is cleared through address 0. */
	for (int i = 0; i < 8; i++)
		assert_int_not_equal(frame_alloc_zeroed(), 0);
	assert_int_equal(frame_alloc_zeroed(), 0);
	assert_int_equal(frame_alloc(), 0);
	assert_int_equal(test_panic_count, 0);
	test_arena_destroy();
}

/* ---- edges of the 64-bit address space ---- */

/*
 * A range at the very top of the address space contains no frame of a
 * pool at 0.  pmm_release_range() rounds `start` up with ALIGN_UP, which
 * wraps to 0 here, and then frees the whole pool, frame 0 included.
 */
static void test_release_near_address_space_top(void **state)
{
	pool(0, 64, false);
	pmm_release_range(&p, UINT64_MAX - 100, UINT64_MAX);
	assert_int_equal(p.free_frames, 0);
	assert_true(pmm_in_use(&p, 0));
	check_consistent();

	pool(BASE, 64, false);
	pmm_release_range(&p, 0xfffffffffffff001UL, UINT64_MAX);
	assert_int_equal(p.free_frames, 0);
	check_consistent();
}

/*
 * Reserving up to the end of the address space must reserve every frame
 * from `start` to the top of the pool.  pmm_reserve_range() sees
 * ALIGN_UP(end) wrap and returns without reserving anything.
 */
static void test_reserve_to_address_space_top(void **state)
{
	pool(BASE, 64, true);
	pmm_reserve_range(&p, fa(10), UINT64_MAX);
	assert_int_equal(p.free_frames, 10);
	assert_false(pmm_in_use(&p, fa(9)));
	assert_true(pmm_in_use(&p, fa(10)));
	assert_true(pmm_in_use(&p, fa(63)));
	check_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_all_used),
		cmocka_unit_test(test_release_rounds_inwards),
		cmocka_unit_test(test_reserve_rounds_outwards),
		cmocka_unit_test(test_frame_zero_never_handed_out),
		cmocka_unit_test(test_alloc_until_exhausted),
		cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_free_bad_ranges),
		cmocka_unit_test(test_contig_alignment),
		cmocka_unit_test(test_contig_bad_args),
		cmocka_unit_test(test_contig_fragmentation),
		cmocka_unit_test(test_hint_wraparound),
		cmocka_unit_test(test_odd_pool_sizes),
		cmocka_unit_test(test_in_use),
		cmocka_unit_test(test_frame_alloc_wrappers),
		cmocka_unit_test(test_release_near_address_space_top),
		cmocka_unit_test(test_reserve_to_address_space_top),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
