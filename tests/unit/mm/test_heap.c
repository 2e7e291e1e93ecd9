/*
 * Unit tests for the kernel heap (kernel/mm/heap.c) on top of the real
 * frame allocator (kernel/mm/pmm.c).
 *
 * Each test gets a fresh 4 MiB arena at physical 1 MiB with kernel_pmm
 * covering all of it.  The heap's own state (the partial slab lists and
 * the bytes-in-use counter) is static and outlives a test, so every test
 * frees everything it allocates and ends with check_all_returned().
 *
 * Covered: size classes and large objects (alignment, usable size,
 * contents kept, no overlap), reuse, slab capacity, frames going back to
 * the pmm, heap_bytes_in_use, double free, interior and foreign pointers,
 * damaged slab/large headers, write-after-free via heap_check, exhaustion,
 * kzalloc.
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

#define ARENA_BASE	0x100000UL
#define ARENA_FRAMES	1024
#define HDR		64		/* slab and large header size */
#define SLAB_CAP(sz)	((PAGE_SIZE - HDR) / (sz))

/* Slab header layout (heap.c: struct slab), used to damage it on purpose. */
#define SLAB_MAGIC_OFF	0		/* uint32_t */
#define SLAB_OBJSZ_OFF	4		/* uint16_t */
#define SLAB_CAP_OFF	6		/* uint16_t */
#define SLAB_USED_OFF	8		/* uint16_t */
/* Large header layout (heap.c: struct large). */
#define LARGE_MAGIC_OFF	0		/* uint32_t */
#define LARGE_PAGES_OFF	4		/* uint32_t */

static uint64_t kbitmap[ARENA_FRAMES / 64];
static size_t start_free, start_bytes;
static void *ptrs[4096];

static int setup(void **state)
{
	test_arena_create(ARENA_BASE, ARENA_FRAMES);
	pmm_init(&kernel_pmm, kbitmap, ARENA_BASE, ARENA_FRAMES);
	pmm_release_range(&kernel_pmm, ARENA_BASE,
			  ARENA_BASE + ARENA_FRAMES * PAGE_SIZE);
	start_free = kernel_pmm.free_frames;
	start_bytes = heap_bytes_in_use();
	test_panic_count = 0;
	return 0;
}

static int teardown(void **state)
{
	/*
	 * If a failed test left objects behind, the heap's static lists may
	 * still point into the arena: keep it alive rather than turn the
	 * failure into a use-after-free in the next test.
	 */
	if (heap_bytes_in_use() == start_bytes)
		test_arena_destroy();
	return 0;
}

static void check_all_returned(void)
{
	assert_int_equal(heap_bytes_in_use(), start_bytes);
	assert_int_equal(kernel_pmm.free_frames, start_free);
	assert_int_equal(heap_check(), 0);
	assert_int_equal(test_panic_count, 0);
}

static uint8_t *page_of(const void *p)
{
	return (uint8_t *)((uintptr_t)p & ~(PAGE_SIZE - 1));
}

static uint64_t pa_of(const void *p)
{
	return virt_to_phys(p);
}

/* Usable size the heap should report for a request of `n` bytes. */
static size_t expect_size(size_t n)
{
	size_t c = 16;

	if (n > 1024)
		return (n + HDR + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE - HDR;
	while (c < n)
		c *= 2;
	return c;
}

/* What heap_bytes_in_use grows by for a request of `n` bytes. */
static size_t expect_charge(size_t n)
{
	return n > 1024 ? expect_size(n) + HDR : expect_size(n);
}

static uint8_t pattern(size_t obj, size_t byte)
{
	return (uint8_t)(obj * 31 + byte * 7 + 1);
}

static void fill(void *p, size_t n, size_t obj)
{
	for (size_t b = 0; b < n; b++)
		((uint8_t *)p)[b] = pattern(obj, b);
}

static void verify(const void *p, size_t n, size_t obj)
{
	for (size_t b = 0; b < n; b++)
		if (((const uint8_t *)p)[b] != pattern(obj, b))
			fail_msg("object %zu byte %zu changed", obj, b);
}

static void assert_disjoint(void *const *p, const size_t *len, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			uintptr_t a = (uintptr_t)p[i], b = (uintptr_t)p[j];

			if (a < b + len[j] && b < a + len[i])
				fail_msg("objects %zu and %zu overlap", i, j);
		}
}

/* Tiny deterministic generator, so failures reproduce. */
static uint32_t rng_state;
static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* ---- sizes, alignment, contents ---- */

static void test_sizes(void **state)
{
	static const size_t sizes[] = { 0,   1,	   15,	 16,   17,   31,
					32,  33,   63,	 64,   65,   100,
					127, 128,  129,	 255,  256,  257,
					511, 512,  513,	 1000, 1023, 1024,
					1025, 2000, 4000, 4032, 4033, 4096,
					8128, 8129, 10000 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	size_t len[N], charge = 0;

	for (size_t i = 0; i < N; i++) {
		ptrs[i] = kmalloc(sizes[i]);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
		len[i] = heap_object_size(ptrs[i]);
		assert_true(len[i] >= sizes[i]);
		assert_int_equal(len[i], expect_size(sizes[i]));
		charge += expect_charge(sizes[i]);
		assert_int_equal(heap_bytes_in_use(), start_bytes + charge);
		fill(ptrs[i], len[i], i);
	}
	assert_disjoint(ptrs, len, N);
	for (size_t i = 0; i < N; i++)
		verify(ptrs[i], len[i], i);
	assert_int_equal(heap_check(), 0);

	/* Free in an order unrelated to allocation, checking the rest. */
	for (size_t k = 0; k < N; k++) {
		size_t i = (k * 7) % N;	/* N is not a multiple of 7 */

		assert_int_equal(heap_free_checked(ptrs[i]), 0);
		ptrs[i] = NULL;
		for (size_t j = 0; j < N; j++)
			if (ptrs[j])
				verify(ptrs[j], len[j], j);
	}
	check_all_returned();
}

static void test_large_boundaries(void **state)
{
	/* One page holds 4032 bytes after the header. */
	void *a = kmalloc(4032), *b = kmalloc(4033), *c = kmalloc(1025);

	assert_int_equal((uintptr_t)a % PAGE_SIZE, HDR);
	assert_int_equal((uintptr_t)b % PAGE_SIZE, HDR);
	assert_int_equal((uintptr_t)c % PAGE_SIZE, HDR);
	assert_int_equal(heap_object_size(a), PAGE_SIZE - HDR);
	assert_int_equal(heap_object_size(b), 2 * PAGE_SIZE - HDR);
	assert_int_equal(heap_object_size(c), PAGE_SIZE - HDR);
	assert_int_equal(kernel_pmm.free_frames, start_free - 4);
	assert_int_equal(heap_bytes_in_use(), start_bytes + 4 * PAGE_SIZE);

	/* The whole run of frames is in use. */
	assert_true(pmm_in_use(&kernel_pmm, pa_of(b) - HDR));
	assert_true(pmm_in_use(&kernel_pmm, pa_of(b) - HDR + PAGE_SIZE));
	kfree(b);
	assert_false(pmm_in_use(&kernel_pmm, pa_of(b) - HDR));
	assert_false(pmm_in_use(&kernel_pmm, pa_of(b) - HDR + PAGE_SIZE));
	b = kmalloc(4033);
	fill(b, heap_object_size(b), 1);
	verify(b, heap_object_size(b), 1);

	kfree(a);
	kfree(b);
	kfree(c);
	check_all_returned();
}

static void test_random_mix(void **state)
{
	enum { N = 500 };	/* about 330 one-page objects */
	static size_t req[N], len[N];
	size_t live = 0;

	rng_state = 12345;
	for (size_t i = 0; i < N; i++) {
		req[i] = rng() % 3000;
		ptrs[i] = kmalloc(req[i]);
		assert_non_null(ptrs[i]);
		len[i] = heap_object_size(ptrs[i]);
		assert_int_equal(len[i], expect_size(req[i]));
		fill(ptrs[i], len[i], i);
	}
	/* Free about half, then check the others and the free objects. */
	for (size_t i = 0; i < N; i++)
		if (rng() % 2) {
			kfree(ptrs[i]);
			ptrs[i] = NULL;
		}
	assert_int_equal(heap_check(), 0);
	for (size_t i = 0; i < N; i++)
		if (ptrs[i]) {
			verify(ptrs[i], len[i], i);
			live++;
		}
	assert_true(live > 0 && live < N);
	/* Refill the holes with small objects and check again. */
	for (size_t i = 0; i < N; i++)
		if (!ptrs[i]) {
			req[i] = rng() % 1025;
			ptrs[i] = kmalloc(req[i]);
			assert_non_null(ptrs[i]);
			len[i] = heap_object_size(ptrs[i]);
			fill(ptrs[i], len[i], i + N);
		} else {
			/* re-tag the survivors so verify() below knows them */
			fill(ptrs[i], len[i], i + N);
		}
	for (size_t i = 0; i < N; i++)
		verify(ptrs[i], len[i], i + N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(heap_free_checked(ptrs[i]), 0);
	check_all_returned();
}

/* ---- reuse and slabs ---- */

static void test_free_and_reuse(void **state)
{
	void *keep = kmalloc(64), *a = kmalloc(64), *b;
	uint8_t *page = page_of(keep);

	assert_ptr_equal(page_of(a), page);
	assert_int_equal(heap_bytes_in_use(), start_bytes + 128);
	assert_int_equal(kernel_pmm.free_frames, start_free - 1);

	kfree(a);
	assert_int_equal(heap_bytes_in_use(), start_bytes + 64);
	assert_int_equal(heap_object_size(a), 0);
	b = kmalloc(50);	/* same class */
	assert_ptr_equal(b, a);
	assert_int_equal(kernel_pmm.free_frames, start_free - 1);

	/* The slab's frame goes back when its last object does. */
	kfree(b);
	assert_true(pmm_in_use(&kernel_pmm, pa_of(page)));
	kfree(keep);
	assert_false(pmm_in_use(&kernel_pmm, pa_of(page)));
	check_all_returned();

	/* Large objects give their frames straight back. */
	a = kmalloc(3 * PAGE_SIZE);
	assert_int_equal(kernel_pmm.free_frames, start_free - 4);
	kfree(a);
	check_all_returned();
}

static void test_slab_capacity(void **state)
{
	static const size_t classes[] = { 16, 32, 64, 128, 256, 512, 1024 };

	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		size_t sz = classes[c], cap = SLAB_CAP(sz);
		uint8_t *page;
		void *extra, *again;

		for (size_t i = 0; i < cap; i++) {
			ptrs[i] = kmalloc(sz);
			assert_non_null(ptrs[i]);
			assert_int_equal(heap_object_size(ptrs[i]), sz);
		}
		page = page_of(ptrs[0]);
		for (size_t i = 0; i < cap; i++) {
			assert_ptr_equal(page_of(ptrs[i]), page);
			assert_true((uint8_t *)ptrs[i] >= page + HDR);
			assert_true((uint8_t *)ptrs[i] + sz <= page + PAGE_SIZE);
		}
		assert_int_equal(kernel_pmm.free_frames, start_free - 1);

		/* The slab is full: the next object opens a new one. */
		extra = kmalloc(sz);
		assert_non_null(extra);
		assert_ptr_not_equal(page_of(extra), page);
		assert_int_equal(kernel_pmm.free_frames, start_free - 2);

		/* A full slab that gets an object back is used again. */
		kfree(ptrs[cap / 2]);
		kfree(extra);		/* its slab is empty now: freed */
		assert_int_equal(kernel_pmm.free_frames, start_free - 1);
		again = kmalloc(sz);
		assert_ptr_equal(again, ptrs[cap / 2]);
		assert_int_equal(kernel_pmm.free_frames, start_free - 1);
		ptrs[cap / 2] = again;

		for (size_t i = 0; i < cap; i++)
			assert_int_equal(heap_free_checked(ptrs[i]), 0);
		check_all_returned();
	}
}

static void test_bytes_in_use(void **state)
{
	void *a = kmalloc(1), *b = kmalloc(17), *c = kmalloc(4033);

	assert_int_equal(heap_bytes_in_use(), start_bytes + 16 + 32 + 8192);
	kfree(b);
	assert_int_equal(heap_bytes_in_use(), start_bytes + 16 + 8192);
	kfree(c);
	assert_int_equal(heap_bytes_in_use(), start_bytes + 16);
	kfree(a);
	kfree(NULL);
	check_all_returned();
}

/* ---- frees that must be refused ---- */

static void test_double_free(void **state)
{
	void *a = kmalloc(32), *b = kmalloc(32), *l = kmalloc(2000);
	size_t bytes;

	assert_int_equal(heap_free_checked(a), 0);
	bytes = heap_bytes_in_use();
	assert_int_equal(heap_free_checked(a), -EINVAL);
	assert_int_equal(heap_bytes_in_use(), bytes);
	assert_int_equal(heap_object_size(b), 32);
	assert_int_equal(heap_check(), 0);

	/* The last object of a slab: its page is gone by the second free. */
	assert_int_equal(heap_free_checked(b), 0);
	assert_int_equal(heap_free_checked(b), -EINVAL);

	assert_int_equal(heap_free_checked(l), 0);
	assert_int_equal(heap_free_checked(l), -EINVAL);
	check_all_returned();
}

static void test_interior_pointers(void **state)
{
	uint8_t *a = kmalloc(64), *l = kmalloc(6000);
	uint8_t *page = page_of(a);
	size_t bytes = heap_bytes_in_use();
	uint8_t *bad[] = {
		a + 1, a + 8, a + 15,		/* misaligned */
		a + 16, a + 32, a + 48,		/* aligned, inside the object */
		a + 64,				/* the next, free, slot */
		page, page + 16, page + 48,	/* the slab header */
		page + PAGE_SIZE - 16,		/* inside the last slot */
		l + 16, l + 4096 - HDR,		/* inside the large object */
		l + PAGE_SIZE, l + 4992,	/* its second page */
		l - HDR, l - 16,		/* its header */
	};

	memset(l, 0, 6000);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(heap_free_checked(bad[i]), -EINVAL);
		assert_int_equal(heap_bytes_in_use(), bytes);
		/* (large objects: see test_large_interior_object_size) */
		if (page_of(bad[i]) == page)
			assert_int_equal(heap_object_size(bad[i]), 0);
	}
	assert_int_equal(heap_object_size(a), 64);
	assert_int_equal(heap_object_size(l), 2 * PAGE_SIZE - HDR);
	assert_int_equal(heap_check(), 0);
	kfree(a);
	kfree(l);
	check_all_returned();
}

static void test_foreign_pointers(void **state)
{
	uint64_t zeroed = frame_alloc_zeroed(), dirty = frame_alloc();
	uint64_t unused = ARENA_BASE + (ARENA_FRAMES - 1) * PAGE_SIZE;
	uint8_t *z = phys_to_virt(zeroed), *d = phys_to_virt(dirty);
	uint8_t *stale = phys_to_virt(unused), *live;

	/* In use by someone else: no heap header there. */
	assert_int_equal(heap_free_checked(z), -EINVAL);
	assert_int_equal(heap_free_checked(z + HDR), -EINVAL);
	assert_int_equal(heap_free_checked(d + HDR), -EINVAL);	/* 0xa5 fill */
	assert_int_equal(heap_object_size(z + HDR), 0);
	/* A free frame. */
	assert_false(pmm_in_use(&kernel_pmm, unused));
	assert_int_equal(heap_free_checked(stale + HDR), -EINVAL);
	assert_int_equal(heap_free_checked(NULL), -EINVAL);
	assert_int_equal(heap_object_size(NULL), 0);

	/*
	 * A free frame that still looks exactly like a live slab (a copy
	 * of one): the frame is not in use, so nothing in it is an object.
	 */
	live = kmalloc(32);
	memcpy(stale, page_of(live), PAGE_SIZE);
	assert_int_equal(heap_free_checked(stale + (live - page_of(live))),
			 -EINVAL);
	assert_int_equal(heap_object_size(stale + (live - page_of(live))), 0);
	assert_false(pmm_in_use(&kernel_pmm, unused));
	kfree(live);

	/* Neither frame was touched or freed. */
	assert_true(pmm_in_use(&kernel_pmm, zeroed));
	assert_true(pmm_in_use(&kernel_pmm, dirty));
	for (size_t i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(z[i], 0);
	frame_free(zeroed);
	frame_free(dirty);
	check_all_returned();
}

static void poke16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void test_damaged_slab_header(void **state)
{
	uint8_t *a = kmalloc(128), *b = kmalloc(128);
	uint8_t *page = page_of(a), saved[HDR];
	size_t bytes = heap_bytes_in_use();
	struct {
		size_t off;
		uint16_t val;	/* written little-endian as 16 bits */
	} damage[] = {
		{ SLAB_MAGIC_OFF, 0x51ab ^ 0x0100 },	/* magic */
		{ SLAB_MAGIC_OFF + 2, 0 },
		{ SLAB_OBJSZ_OFF, 48 },			/* not a power of 2 */
		{ SLAB_OBJSZ_OFF, 8 },			/* too small */
		{ SLAB_OBJSZ_OFF, 2048 },		/* too big */
		{ SLAB_OBJSZ_OFF, 0 },
		{ SLAB_CAP_OFF, SLAB_CAP(128) + 1 },	/* wrong capacity */
		{ SLAB_CAP_OFF, 0 },
		{ SLAB_USED_OFF, SLAB_CAP(128) + 1 },	/* used > capacity */
	};

	assert_ptr_equal(page_of(b), page);
	memcpy(saved, page, HDR);
	for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		poke16(page + damage[i].off, damage[i].val);
		assert_memory_not_equal(saved, page, HDR);
		assert_int_equal(heap_free_checked(a), -EINVAL);
		assert_int_equal(heap_object_size(a), 0);
		assert_int_equal(heap_check(), -EINVAL); /* on a partial list */
		assert_int_equal(heap_bytes_in_use(), bytes);
		memcpy(page, saved, HDR);
		assert_int_equal(heap_check(), 0);
		assert_int_equal(heap_object_size(a), 128);
	}
	kfree(a);
	kfree(b);
	check_all_returned();
}

static void test_damaged_large_header(void **state)
{
	uint8_t *l = kmalloc(5000), *h = l - HDR, saved[HDR];
	size_t bytes = heap_bytes_in_use();
	uint32_t v;

	memcpy(saved, h, HDR);
	/* Magic changed: no longer recognised. */
	h[LARGE_MAGIC_OFF] ^= 0x40;
	assert_int_equal(heap_free_checked(l), -EINVAL);
	assert_int_equal(heap_object_size(l), 0);
	assert_int_equal(heap_bytes_in_use(), bytes);
	memcpy(h, saved, HDR);

	/* A page count of 0 is refused. */
	v = 0;
	memcpy(h + LARGE_PAGES_OFF, &v, sizeof(v));
	assert_int_equal(heap_free_checked(l), -EINVAL);
	assert_int_equal(heap_bytes_in_use(), bytes);
	memcpy(h, saved, HDR);

	assert_int_equal(heap_object_size(l), 2 * PAGE_SIZE - HDR);
	kfree(l);
	check_all_returned();
}

/* ---- write after free ---- */

static void test_write_after_free(void **state)
{
	uint8_t *a = kmalloc(32), *b = kmalloc(32), *c = kmalloc(32), old;

	/* Writing all over live objects is fine. */
	memset(a, 0, 32);
	memset(c, 0xff, 32);
	assert_int_equal(heap_check(), 0);

	kfree(a);
	assert_int_equal(heap_check(), 0);
	old = a[5];
	a[5] = (uint8_t)(old + 1);
	assert_int_equal(heap_check(), -EINVAL);
	a[5] = old;
	assert_int_equal(heap_check(), 0);

	/* The last byte of a freed object and a never-used slot. */
	old = a[31];
	a[31] ^= 1;
	assert_int_equal(heap_check(), -EINVAL);
	a[31] = old;
	old = c[32 + 3];	/* the slot after c has never been handed out */
	c[32 + 3] ^= 0x80;
	assert_int_equal(heap_check(), -EINVAL);
	c[32 + 3] = old;
	assert_int_equal(heap_check(), 0);

	kfree(b);
	kfree(c);
	check_all_returned();
}

/* ---- exhaustion and kzalloc ---- */

static void test_exhaustion(void **state)
{
	size_t n = 0, m;

	assert_null(kmalloc(SIZE_MAX));
	assert_null(kmalloc((1UL << 40) + 1));
	assert_null(kmalloc(1UL << 40));
	assert_null(kmalloc(ARENA_FRAMES * PAGE_SIZE));	/* header won't fit */
	check_all_returned();

	/* Two-page objects until the pool runs dry. */
	while ((ptrs[n] = kmalloc(8000)) != NULL)
		n++;
	assert_int_equal(n, ARENA_FRAMES / 2);
	assert_int_equal(kernel_pmm.free_frames, 0);
	assert_null(kmalloc(16));
	assert_null(kmalloc(2000));
	assert_null(kzalloc(100));
	assert_int_equal(heap_check(), 0);

	/*
	 * One object back: two adjacent frames.  Three pages do not fit, a
	 * one-page object does, and the last frame holds one slab.
	 */
	kfree(ptrs[--n]);
	assert_null(kmalloc(2 * PAGE_SIZE));	/* 3 pages with the header */
	ptrs[n] = kmalloc(4000);
	assert_non_null(ptrs[n]);
	m = n + 1;
	while (m < sizeof(ptrs) / sizeof(ptrs[0]) &&
	       (ptrs[m] = kmalloc(1024)) != NULL)
		m++;
	assert_int_equal(m - (n + 1), SLAB_CAP(1024));
	for (size_t i = 0; i < m; i++)
		kfree(ptrs[i]);
	check_all_returned();

	/* Small objects only, until the pool runs dry. */
	n = 0;
	while (n < sizeof(ptrs) / sizeof(ptrs[0]) &&
	       (ptrs[n] = kmalloc(1000)) != NULL)
		n++;
	assert_int_equal(n, ARENA_FRAMES * SLAB_CAP(1024));
	assert_int_equal(kernel_pmm.free_frames, 0);
	assert_null(kmalloc(16));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(heap_free_checked(ptrs[i]), 0);
	check_all_returned();
}

static void test_kzalloc(void **state)
{
	static const size_t sizes[] = { 0, 1, 100, 1024, 1025, 6000 };
	uint8_t *p;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		/* Dirty the memory first, then get it back zeroed. */
		p = kmalloc(n);
		assert_non_null(p);
		memset(p, 0xff, heap_object_size(p));
		kfree(p);
		p = kzalloc(n);
		assert_non_null(p);
		for (size_t b = 0; b < n; b++)
			assert_int_equal(p[b], 0);
		assert_int_equal(heap_object_size(p), expect_size(n));
		kfree(p);
	}
	check_all_returned();
}

/* ---- a refused free must leave the heap untouched ---- */

/*
 * heap.c's heap_free_checked() takes a large object's bytes off the
 * counter and clears its magic *before* pmm_free() checks the page count.
 * With a damaged (too big) count pmm_free() fails and -EINVAL comes back,
 * but the object is already half freed: the counter is wrong and the
 * object can no longer be freed once the header is repaired.
 */
static void test_large_refused_free_keeps_state(void **state)
{
	uint8_t *l = kmalloc(5000), *h = l - HDR;
	size_t bytes = heap_bytes_in_use();
	uint32_t pages, bad = 0x7fffffff;

	memcpy(&pages, h + LARGE_PAGES_OFF, sizeof(pages));
	assert_int_equal(pages, 2);
	memcpy(h + LARGE_PAGES_OFF, &bad, sizeof(bad));
	assert_int_equal(heap_free_checked(l), -EINVAL);
	memcpy(h + LARGE_PAGES_OFF, &pages, sizeof(pages));

	assert_int_equal(heap_bytes_in_use(), bytes);
	assert_int_equal(heap_object_size(l), 2 * PAGE_SIZE - HDR);
	assert_int_equal(heap_free_checked(l), 0);
	check_all_returned();
}

/*
 * heap_object_size() must return 0 for anything but a live object's start.
 * For slab objects it checks; for large objects it only looks at the
 * header of the page and so reports the full object size for a pointer
 * into the object's first page, or for its header.
 */
static void test_large_interior_object_size(void **state)
{
	uint8_t *l = kmalloc(6000);
	size_t whole = heap_object_size(l);
	size_t inside = heap_object_size(l + 16);
	size_t end_of_page = heap_object_size(l + PAGE_SIZE - HDR - 16);
	size_t header = heap_object_size(l - HDR);

	/* Measured first and freed before asserting: no state is left. */
	assert_int_equal(heap_free_checked(l + 16), -EINVAL);
	kfree(l);
	check_all_returned();
	assert_int_equal(whole, 2 * PAGE_SIZE - HDR);
	assert_int_equal(inside, 0);
	assert_int_equal(end_of_page, 0);
	assert_int_equal(header, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sizes),
		T(test_large_boundaries),
		T(test_random_mix),
		T(test_free_and_reuse),
		T(test_slab_capacity),
		T(test_bytes_in_use),
		T(test_double_free),
		T(test_interior_pointers),
		T(test_foreign_pointers),
		T(test_damaged_slab_header),
		T(test_damaged_large_header),
		T(test_write_after_free),
		T(test_exhaustion),
		T(test_kzalloc),
		T(test_large_interior_object_size),
		T(test_large_refused_free_keeps_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
