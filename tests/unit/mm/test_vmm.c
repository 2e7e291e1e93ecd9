/*
 * Unit tests for the page-table helpers (kernel/mm/vmm.c) on top of the
 * real frame allocator (kernel/mm/pmm.c).
 *
 * Each test gets a fresh arena (1024 frames at physical 1 MiB) with
 * kernel_pmm over it and an empty PML4 from frame_alloc_zeroed().  Page
 * tables are inspected directly through phys_to_virt().  The physical
 * addresses being mapped are never touched, so they lie outside the arena.
 *
 * Covered: vmm_map / vmm_translate (offsets, flags, table allocation, U
 * bit on intermediate tables only in the user half), -EEXIST, -EINVAL
 * (alignment, canonical form, pa width), vmm_unmap (old pa, TLB flush,
 * -ENOENT), vmm_protect, 2 MiB pages and their conflicts with 4 KiB ones,
 * PTE_NX, -ENOMEM when the frame pool is empty, vmm_is_canonical.
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
#define MiB		(1UL << 20)
#define GiB		(1UL << 30)

#define USER_VA		0x400000UL
#define KERNEL_VA	0xffff800000200000UL
#define PA		0x12345000UL		/* outside the arena */
#define TABLE_FLAGS	(PTE_P | PTE_W)

static uint64_t kbitmap[ARENA_FRAMES / 64];
static uint64_t pml4;

static int setup(void **state)
{
	test_arena_create(ARENA_BASE, ARENA_FRAMES);
	pmm_init(&kernel_pmm, kbitmap, ARENA_BASE, ARENA_FRAMES);
	pmm_release_range(&kernel_pmm, ARENA_BASE,
			  ARENA_BASE + ARENA_FRAMES * PAGE_SIZE);
	pml4 = frame_alloc_zeroed();
	assert_int_not_equal(pml4, 0);
	test_tlb_flushes = 0;
	test_panic_count = 0;
	return 0;
}

static int teardown(void **state)
{
	test_arena_destroy();
	return 0;
}

static unsigned idx(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static uint64_t *tbl(uint64_t e)
{
	return phys_to_virt(e & PTE_ADDR_MASK);
}

/* The raw entry for `va` at `level` (3 = PML4 ... 0 = PT); must exist. */
static uint64_t entry(uint64_t va, int level)
{
	uint64_t *t = phys_to_virt(pml4);

	for (int l = 3; l > level; l--) {
		uint64_t e = t[idx(va, l)];

		assert_true(e & PTE_P);
		assert_false(e & PTE_PS);
		t = tbl(e);
	}
	return t[idx(va, level)];
}

static unsigned present_entries(uint64_t table_pa)
{
	uint64_t *t = phys_to_virt(table_pa);
	unsigned n = 0;

	for (int i = 0; i < 512; i++)
		n += (t[i] & PTE_P) != 0;
	return n;
}

static size_t free_frames(void)
{
	return kernel_pmm.free_frames;
}

/* ---- 4 KiB mappings ---- */

static void test_map_translate(void **state)
{
	uint64_t pa = 0, flags = 0;
	size_t before = free_frames();

	assert_int_equal(vmm_map(pml4, USER_VA, PA, PTE_W | PTE_U), 0);
	assert_int_equal(free_frames(), before - 3);	/* PDPT, PD, PT */

	assert_int_equal(vmm_translate(pml4, USER_VA, &pa, &flags), 0);
	assert_int_equal(pa, PA);
	assert_int_equal(flags, PTE_P | PTE_W | PTE_U);
	assert_int_equal(vmm_translate(pml4, USER_VA + 0x123, &pa, NULL), 0);
	assert_int_equal(pa, PA + 0x123);
	assert_int_equal(vmm_translate(pml4, USER_VA + 0xfff, &pa, NULL), 0);
	assert_int_equal(pa, PA + 0xfff);
	assert_int_equal(vmm_translate(pml4, USER_VA, NULL, NULL), 0);

	/* The neighbours are not mapped. */
	assert_int_equal(vmm_translate(pml4, USER_VA + PAGE_SIZE, &pa, NULL),
			 -ENOENT);
	assert_int_equal(vmm_translate(pml4, USER_VA - 1, &pa, NULL), -ENOENT);

	/* Same page table: no new frames; next PD slot: one new table. */
	assert_int_equal(vmm_map(pml4, USER_VA + PAGE_SIZE, PA + 0x7000, 0), 0);
	assert_int_equal(free_frames(), before - 3);
	assert_int_equal(vmm_translate(pml4, USER_VA + PAGE_SIZE + 8, &pa,
				       &flags), 0);
	assert_int_equal(pa, PA + 0x7008);
	assert_int_equal(flags, PTE_P);		/* PTE_P is implied */
	assert_int_equal(vmm_map(pml4, USER_VA + 2 * MiB, PA, PTE_W), 0);
	assert_int_equal(free_frames(), before - 4);
	/* Another PML4 slot: three new tables. */
	assert_int_equal(vmm_map(pml4, KERNEL_VA, PA, PTE_W), 0);
	assert_int_equal(free_frames(), before - 7);

	/* The leaf holds exactly pa | flags. */
	assert_int_equal(entry(USER_VA, 0), PA | PTE_P | PTE_W | PTE_U);
	assert_int_equal(test_panic_count, 0);
}

static void test_table_flags(void **state)
{
	uint64_t e;

	/* User half: every table entry on the way allows user access. */
	assert_int_equal(vmm_map(pml4, USER_VA, PA, PTE_W), 0);
	for (int l = 3; l >= 1; l--) {
		e = entry(USER_VA, l);
		assert_int_equal(e & PTE_FLAGS_MASK, TABLE_FLAGS | PTE_U);
		assert_true((e & PTE_ADDR_MASK) >= ARENA_BASE);
		assert_int_equal(present_entries(e & PTE_ADDR_MASK), 1);
	}
	/* ...while the leaf has only what was asked for. */
	assert_int_equal(entry(USER_VA, 0), PA | PTE_P | PTE_W);

	/* Kernel half: no PTE_U on the tables, even for a PTE_U leaf. */
	assert_int_equal(vmm_map(pml4, KERNEL_VA, PA, PTE_W | PTE_U), 0);
	for (int l = 3; l >= 1; l--) {
		e = entry(KERNEL_VA, l);
		assert_int_equal(e & PTE_FLAGS_MASK, TABLE_FLAGS);
	}
	assert_int_equal(entry(KERNEL_VA, 0), PA | PTE_P | PTE_W | PTE_U);
	assert_int_equal(present_entries(pml4), 2);
	assert_int_equal(idx(USER_VA, 3), 0);
	assert_int_equal(idx(KERNEL_VA, 3), 256);

	/* The last user page and the first kernel page. */
	assert_int_equal(vmm_map(pml4, 0x00007ffffffff000UL, PA, 0), 0);
	assert_int_equal(entry(0x00007ffffffff000UL, 3) & PTE_U, PTE_U);
	assert_int_equal(vmm_map(pml4, 0xffff800000000000UL, PA, 0), 0);
	assert_int_equal(entry(0xffff800000000000UL, 3) & PTE_U, 0);
	assert_int_equal(vmm_map(pml4, KERNEL_VMA, PA, 0), 0);
	assert_int_equal(entry(KERNEL_VMA, 3) & PTE_U, 0);
	assert_int_equal(present_entries(pml4), 4);	/* 0, 255, 256, 511 */
}

static void test_flag_bits(void **state)
{
	uint64_t pa, flags;

	/* Address bits in `flags` are dropped, the address is not changed. */
	assert_int_equal(vmm_map(pml4, USER_VA, PA, 0x7ff000UL | PTE_W), 0);
	assert_int_equal(vmm_translate(pml4, USER_VA, &pa, &flags), 0);
	assert_int_equal(pa, PA);
	assert_int_equal(flags, PTE_P | PTE_W);

	/* PTE_NX is kept (the stub CPU has NX). */
	assert_int_equal(vmm_map(pml4, USER_VA + PAGE_SIZE, PA,
				 PTE_NX | PTE_U), 0);
	assert_int_equal(vmm_translate(pml4, USER_VA + PAGE_SIZE, &pa,
				       &flags), 0);
	assert_int_equal(flags, PTE_P | PTE_U | PTE_NX);
	assert_int_equal(entry(USER_VA + PAGE_SIZE, 0),
			 PA | PTE_P | PTE_U | PTE_NX);

	/* vmm_map never makes a large page out of a 4 KiB request. */
	assert_int_equal(vmm_map(pml4, USER_VA + 2 * PAGE_SIZE, PA,
				 PTE_PS | PTE_W), 0);
	assert_int_equal(vmm_translate(pml4, USER_VA + 2 * PAGE_SIZE + 5, &pa,
				       &flags), 0);
	assert_int_equal(pa, PA + 5);
	assert_int_equal(flags, PTE_P | PTE_W);

	/* Cache and global bits pass through. */
	assert_int_equal(vmm_map(pml4, KERNEL_VA, PA,
				 PTE_W | PTE_PCD | PTE_PWT | PTE_G), 0);
	assert_int_equal(vmm_translate(pml4, KERNEL_VA, NULL, &flags), 0);
	assert_int_equal(flags, PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G);
}

static void test_map_twice(void **state)
{
	uint64_t pa, flags;

	assert_int_equal(vmm_map(pml4, USER_VA, PA, PTE_W), 0);
	assert_int_equal(vmm_map(pml4, USER_VA, PA, PTE_W), -EEXIST);
	assert_int_equal(vmm_map(pml4, USER_VA, PA + PAGE_SIZE, PTE_U), -EEXIST);
	assert_int_equal(vmm_translate(pml4, USER_VA, &pa, &flags), 0);
	assert_int_equal(pa, PA);
	assert_int_equal(flags, PTE_P | PTE_W);
}

static void test_bad_arguments(void **state)
{
	static const struct {
		uint64_t va, pa;
	} bad[] = {
		{ USER_VA + 1, PA },
		{ USER_VA + 0x800, PA },
		{ USER_VA + 0xfff, PA },
		{ USER_VA, PA + 1 },
		{ USER_VA, PA + 0x800 },
		{ 0x0000800000000000UL, PA },	/* non-canonical */
		{ 0x0000fffffffff000UL, PA },
		{ 0xffff7ffffffff000UL, PA },
		{ 0x8000000000000000UL, PA },
		{ 0x7ffffffffffff000UL, PA },
		{ USER_VA, 1UL << 52 },		/* beyond 52-bit physical */
		{ USER_VA, PTE_NX },
		{ USER_VA, 0xfff0000000000000UL },
	};
	size_t before = free_frames();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vmm_map(pml4, bad[i].va, bad[i].pa, PTE_W),
				 -EINVAL);
		assert_int_equal(vmm_map_large(pml4, ALIGN_DOWN(bad[i].va,
							     2 * MiB),
					       bad[i].pa, PTE_W), -EINVAL);
	}
	/* 4 KiB aligned is not enough for a large page. */
	assert_int_equal(vmm_map_large(pml4, GiB + PAGE_SIZE, 2 * GiB, 0),
			 -EINVAL);
	assert_int_equal(vmm_map_large(pml4, GiB, 2 * GiB + PAGE_SIZE, 0),
			 -EINVAL);
	assert_int_equal(vmm_map_large(pml4, GiB + MiB, 2 * GiB, 0), -EINVAL);
	/* Nothing was allocated or mapped. */
	assert_int_equal(free_frames(), before);
	assert_int_equal(present_entries(pml4), 0);
}

/* ---- unmap and protect ---- */

static void test_unmap(void **state)
{
	uint64_t pa = 0;
	size_t before;

	assert_int_equal(vmm_map(pml4, USER_VA, PA, PTE_W), 0);
	assert_int_equal(vmm_map(pml4, USER_VA + PAGE_SIZE, PA + 0x3000, PTE_W),
			 0);
	test_tlb_flushes = 0;

	assert_int_equal(vmm_unmap(pml4, USER_VA, &pa), 0);
	assert_int_equal(pa, PA);
	assert_int_equal(test_tlb_flushes, 1);
	assert_int_equal(entry(USER_VA, 0), 0);
	assert_int_equal(vmm_translate(pml4, USER_VA, NULL, NULL), -ENOENT);
	/* The neighbour is still there. */
	assert_int_equal(vmm_translate(pml4, USER_VA + PAGE_SIZE + 4, &pa, NULL),
			 0);
	assert_int_equal(pa, PA + 0x3004);

	/* Nothing there any more: -ENOENT, no flush, *pa untouched. */
	pa = 0xdead;
	assert_int_equal(vmm_unmap(pml4, USER_VA, &pa), -ENOENT);
	assert_int_equal(pa, 0xdead);
	assert_int_equal(test_tlb_flushes, 1);

	/* An unaligned address unmaps its page; *pa may be NULL. */
	assert_int_equal(vmm_unmap(pml4, USER_VA + PAGE_SIZE + 0x123, NULL), 0);
	assert_int_equal(test_tlb_flushes, 2);
	assert_int_equal(vmm_translate(pml4, USER_VA + PAGE_SIZE, NULL, NULL),
			 -ENOENT);

	/* Where no tables exist at all, and non-canonical addresses. */
	assert_int_equal(vmm_unmap(pml4, KERNEL_VA, &pa), -ENOENT);
	assert_int_equal(vmm_unmap(pml4, 64 * GiB, &pa), -ENOENT);
	assert_int_equal(vmm_unmap(pml4, 0x0000800000000000UL, &pa), -ENOENT);
	assert_int_equal(test_tlb_flushes, 2);

	/* The page can be mapped again, with no new tables. */
	before = free_frames();
	assert_int_equal(vmm_map(pml4, USER_VA, PA + 0x9000, PTE_U), 0);
	assert_int_equal(free_frames(), before);
	assert_int_equal(vmm_translate(pml4, USER_VA, &pa, NULL), 0);
	assert_int_equal(pa, PA + 0x9000);
}

static void test_protect(void **state)
{
	uint64_t pa, flags;

	assert_int_equal(vmm_map(pml4, USER_VA, PA, PTE_W | PTE_U), 0);
	test_tlb_flushes = 0;

	assert_int_equal(vmm_protect(pml4, USER_VA, PTE_U | PTE_NX), 0);
	assert_int_equal(test_tlb_flushes, 1);
	assert_int_equal(vmm_translate(pml4, USER_VA, &pa, &flags), 0);
	assert_int_equal(pa, PA);
	assert_int_equal(flags, PTE_P | PTE_U | PTE_NX);

	/* Unaligned address, address bits and PTE_PS in flags are ignored. */
	assert_int_equal(vmm_protect(pml4, USER_VA + 0x10,
				     0xabc000UL | PTE_PS | PTE_W), 0);
	assert_int_equal(test_tlb_flushes, 2);
	assert_int_equal(vmm_translate(pml4, USER_VA, &pa, &flags), 0);
	assert_int_equal(pa, PA);
	assert_int_equal(flags, PTE_P | PTE_W);
	assert_int_equal(entry(USER_VA, 0), PA | PTE_P | PTE_W);

	/* Nothing mapped: -ENOENT and no flush. */
	assert_int_equal(vmm_protect(pml4, USER_VA + PAGE_SIZE, PTE_W), -ENOENT);
	assert_int_equal(vmm_protect(pml4, KERNEL_VA, PTE_W), -ENOENT);
	assert_int_equal(vmm_protect(pml4, 0x0000800000000000UL, PTE_W),
			 -ENOENT);
	assert_int_equal(test_tlb_flushes, 2);
}

/* ---- 2 MiB pages ---- */

static void test_large_pages(void **state)
{
	const uint64_t va = GiB, pa = 2 * GiB;
	uint64_t out, flags;
	size_t before = free_frames();

	assert_int_equal(vmm_map_large(pml4, va, pa, PTE_W), 0);
	assert_int_equal(free_frames(), before - 2);	/* PDPT, PD */
	assert_int_equal(entry(va, 1), pa | PTE_P | PTE_W | PTE_PS);

	assert_int_equal(vmm_translate(pml4, va, &out, &flags), 0);
	assert_int_equal(out, pa);
	assert_int_equal(flags, PTE_P | PTE_W | PTE_PS);
	assert_int_equal(vmm_translate(pml4, va + 0x12345, &out, NULL), 0);
	assert_int_equal(out, pa + 0x12345);
	assert_int_equal(vmm_translate(pml4, va + 2 * MiB - 1, &out, NULL), 0);
	assert_int_equal(out, pa + 2 * MiB - 1);
	assert_int_equal(vmm_translate(pml4, va + 2 * MiB, &out, NULL), -ENOENT);
	assert_int_equal(vmm_translate(pml4, va - 1, &out, NULL), -ENOENT);

	/* Conflicts with the large page. */
	test_tlb_flushes = 0;
	assert_int_equal(vmm_map(pml4, va, PA, PTE_W), -EEXIST);
	assert_int_equal(vmm_map(pml4, va + 0x5000, PA, PTE_W), -EEXIST);
	assert_int_equal(vmm_map_large(pml4, va, pa, PTE_W), -EEXIST);
	assert_int_equal(vmm_unmap(pml4, va + 0x5000, &out), -EINVAL);
	assert_int_equal(vmm_unmap(pml4, va, &out), -EINVAL);
	assert_int_equal(vmm_protect(pml4, va + 0x5000, 0), -ENOENT);
	assert_int_equal(test_tlb_flushes, 0);
	assert_int_equal(free_frames(), before - 2);
	assert_int_equal(entry(va, 1), pa | PTE_P | PTE_W | PTE_PS);

	/* A large page over existing 4 KiB mappings is refused too. */
	assert_int_equal(vmm_map(pml4, va + 2 * MiB + 0x3000, PA, PTE_W), 0);
	assert_int_equal(vmm_map_large(pml4, va + 2 * MiB, pa, PTE_W), -EEXIST);
	assert_int_equal(vmm_translate(pml4, va + 2 * MiB + 0x3000, &out,
				       &flags), 0);
	assert_int_equal(out, PA);
	assert_int_equal(flags, PTE_P | PTE_W);

	/* NX on a large page, in the kernel half. */
	assert_int_equal(vmm_map_large(pml4, 0xffff800040000000UL, 4 * GiB,
				       PTE_W | PTE_NX | PTE_G), 0);
	assert_int_equal(vmm_translate(pml4, 0xffff800040000000UL + 0x1234,
				       &out, &flags), 0);
	assert_int_equal(out, 4 * GiB + 0x1234);
	assert_int_equal(flags, PTE_P | PTE_W | PTE_NX | PTE_G | PTE_PS);
	assert_int_equal(entry(0xffff800040000000UL, 2) & PTE_U, 0);
	assert_int_equal(entry(va, 2) & PTE_U, PTE_U);
}

/* ---- out of memory ---- */

static void test_out_of_memory(void **state)
{
	uint64_t frames[3], pa;

	/* Tables that already exist need no memory. */
	assert_int_equal(vmm_map(pml4, USER_VA, PA, PTE_W), 0);
	while (frame_alloc())
		;
	assert_int_equal(free_frames(), 0);
	assert_int_equal(vmm_map(pml4, USER_VA + PAGE_SIZE, PA, PTE_W), 0);

	/* New tables do. */
	assert_int_equal(vmm_map(pml4, KERNEL_VA, PA, PTE_W), -ENOMEM);
	assert_int_equal(vmm_map(pml4, USER_VA + 2 * MiB, PA, PTE_W), -ENOMEM);
	assert_int_equal(vmm_map_large(pml4, GiB, 2 * GiB, PTE_W), -ENOMEM);
	assert_int_equal(vmm_translate(pml4, KERNEL_VA, NULL, NULL), -ENOENT);

	/* One frame is not enough for three tables; three are. */
	for (int i = 0; i < 3; i++)
		frames[i] = ARENA_BASE + (ARENA_FRAMES - 1 - i) * PAGE_SIZE;
	frame_free(frames[0]);
	assert_int_equal(vmm_map(pml4, KERNEL_VA, PA, PTE_W), -ENOMEM);
	assert_int_equal(free_frames(), 0);
	frame_free(frames[1]);
	frame_free(frames[2]);
	assert_int_equal(vmm_map(pml4, KERNEL_VA, PA, PTE_W), 0);
	assert_int_equal(vmm_translate(pml4, KERNEL_VA + 1, &pa, NULL), 0);
	assert_int_equal(pa, PA + 1);
	assert_int_equal(test_panic_count, 0);
}

/* ---- canonical addresses ---- */

static void test_canonical(void **state)
{
	assert_true(vmm_is_canonical(0));
	assert_true(vmm_is_canonical(0x1000));
	assert_true(vmm_is_canonical(0x00007fffffffffffUL));
	assert_false(vmm_is_canonical(0x0000800000000000UL));
	assert_false(vmm_is_canonical(0x0000800000001000UL));
	assert_false(vmm_is_canonical(0x0000ffffffffffffUL));
	assert_false(vmm_is_canonical(0x0001000000000000UL));
	assert_false(vmm_is_canonical(0x7fffffffffffffffUL));
	assert_false(vmm_is_canonical(0x8000000000000000UL));
	assert_false(vmm_is_canonical(0xfffe800000000000UL));
	assert_false(vmm_is_canonical(0xffff7fffffffffffUL));
	assert_true(vmm_is_canonical(0xffff800000000000UL));
	assert_true(vmm_is_canonical(KERNEL_VMA));
	assert_true(vmm_is_canonical(0xffffffffffffffffUL));

	/* Lookups of non-canonical addresses find nothing. */
	assert_int_equal(vmm_translate(pml4, 0x0000800000000000UL, NULL, NULL),
			 -ENOENT);
	assert_int_equal(vmm_translate(pml4, 0xffff7ffffffff000UL, NULL, NULL),
			 -ENOENT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_map_translate),
		T(test_table_flags),
		T(test_flag_bits),
		T(test_map_twice),
		T(test_bad_arguments),
		T(test_unmap),
		T(test_protect),
		T(test_large_pages),
		T(test_out_of_memory),
		T(test_canonical),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
