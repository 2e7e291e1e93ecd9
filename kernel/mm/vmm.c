/*
 * Four-level x86_64 page tables.  Tables are reached through the direct
 * map (phys_to_virt) and allocated zeroed from the frame pool, so this file
 * runs unchanged in the host unit tests.
 */
#include "arch.h"
#include "lib.h"
#include "mm.h"

#define LEVELS	4
#define ENTRIES 512

static unsigned index_at(uint64_t va, int level)
{
	/* level 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT */
	return (va >> (PAGE_SHIFT + 9 * level)) & (ENTRIES - 1);
}

static uint64_t *table(uint64_t phys)
{
	return phys_to_virt(phys & PTE_ADDR_MASK);
}

bool vmm_is_canonical(uint64_t va)
{
	uint64_t top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

static bool is_user(uint64_t va)
{
	return va < (1UL << 47);
}

/*
 * Returns the entry for `va` at `level`, creating the tables above it when
 * `create` is set.  NULL when a table is missing (and not created), when a
 * large page is in the way, or when out of memory (*err says which).
 */
static uint64_t *walk(uint64_t pml4, uint64_t va, int level, bool create,
		      int *err)
{
	uint64_t *t = table(pml4);

	for (int l = LEVELS - 1; l > level; l--) {
		uint64_t *e = &t[index_at(va, l)];

		if (!(*e & PTE_P)) {
			uint64_t pa;

			if (!create) {
				*err = -ENOENT;
				return NULL;
			}
			pa = frame_alloc_zeroed();
			if (!pa) {
				*err = -ENOMEM;
				return NULL;
			}
			/* Leaf entries decide the rights; tables allow all. */
			*e = pa | PTE_P | PTE_W | (is_user(va) ? PTE_U : 0);
		} else if (*e & PTE_PS) {
			*err = create ? -EEXIST : -EINVAL;
			return NULL;
		}
		t = table(*e);
	}
	return &t[index_at(va, level)];
}

static uint64_t clean_flags(uint64_t flags)
{
	flags = (flags & PTE_FLAGS_MASK) | PTE_P;
	if (!arch_has_nx())
		flags &= ~PTE_NX;
	return flags;
}

static int map_at(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags,
		  int level, uint64_t align)
{
	uint64_t *e;
	int err = 0;

	if (!IS_ALIGNED(va, align) || !IS_ALIGNED(pa, align) ||
	    !vmm_is_canonical(va) || (pa & ~PTE_ADDR_MASK))
		return -EINVAL;
	e = walk(pml4, va, level, true, &err);
	if (!e)
		return err;
	if (*e & PTE_P)
		return -EEXIST;
	*e = pa | clean_flags(flags) | (level ? PTE_PS : 0);
	return 0;
}

int vmm_map(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags)
{
	return map_at(pml4, va, pa, flags & ~PTE_PS, 0, PAGE_SIZE);
}

int vmm_map_large(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags)
{
	return map_at(pml4, va, pa, flags, 1, LARGE_PAGE_SIZE);
}

/* The present leaf for `va`, 4 KiB or 2 MiB, with its level in *level. */
static uint64_t *find_leaf(uint64_t pml4, uint64_t va, int *level)
{
	uint64_t *e;
	int err = 0;

	if (!vmm_is_canonical(va))
		return NULL;
	e = walk(pml4, va, 1, false, &err);
	if (!e || !(*e & PTE_P))
		return NULL;
	if (*e & PTE_PS) {
		*level = 1;
		return e;
	}
	e = &table(*e)[index_at(va, 0)];
	*level = 0;
	return (*e & PTE_P) ? e : NULL;
}

int vmm_unmap(uint64_t pml4, uint64_t va, uint64_t *pa)
{
	int level;
	uint64_t *e = find_leaf(pml4, ALIGN_DOWN(va, PAGE_SIZE), &level);

	if (!e)
		return -ENOENT;
	if (level)
		return -EINVAL;
	if (pa)
		*pa = *e & PTE_ADDR_MASK;
	*e = 0;
	arch_tlb_flush_page(ALIGN_DOWN(va, PAGE_SIZE));
	return 0;
}

int vmm_translate(uint64_t pml4, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	int level;
	uint64_t *e = find_leaf(pml4, va, &level);
	uint64_t size = level ? LARGE_PAGE_SIZE : PAGE_SIZE;

	if (!e)
		return -ENOENT;
	if (pa)
		*pa = (*e & PTE_ADDR_MASK & ~(size - 1)) + (va & (size - 1));
	if (flags)
		*flags = *e & PTE_FLAGS_MASK;
	return 0;
}

int vmm_protect(uint64_t pml4, uint64_t va, uint64_t flags)
{
	int level;
	uint64_t *e = find_leaf(pml4, ALIGN_DOWN(va, PAGE_SIZE), &level);

	if (!e || level)
		return -ENOENT;
	*e = (*e & PTE_ADDR_MASK) | clean_flags(flags & ~PTE_PS);
	arch_tlb_flush_page(ALIGN_DOWN(va, PAGE_SIZE));
	return 0;
}
