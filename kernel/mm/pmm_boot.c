/*
 * Sets up the kernel's frame pool from the multiboot2 memory map: every
 * usable region is free except the low 1 MiB, the kernel image, the boot
 * information, the modules and the bitmap itself.
 */
#include "boot.h"
#include "lib.h"
#include "log.h"
#include "mm.h"

extern char __kernel_phys_start[], __kernel_phys_end[];

#define LOW_MEMORY    0x100000UL
#define EARLY_MAP_END 0x100000000UL /* boot.asm maps 4 GiB */

struct range {
	uint64_t start, end;
};

static unsigned reserved_ranges(const struct boot_info *bi, struct range *r)
{
	unsigned n = 0;

	r[n++] = (struct range){ 0, LOW_MEMORY };
	r[n++] = (struct range){ (uint64_t)__kernel_phys_start,
				 (uint64_t)__kernel_phys_end };
	r[n++] = (struct range){ bi->info_phys, bi->info_phys + bi->info_size };
	for (unsigned i = 0; i < bi->module_count; i++)
		r[n++] = (struct range){ bi->modules[i].start,
					 bi->modules[i].end };
	return n;
}

static bool overlaps(const struct range *r, unsigned n, uint64_t start,
		     uint64_t end)
{
	for (unsigned i = 0; i < n; i++)
		if (start < r[i].end && r[i].start < end)
			return true;
	return false;
}

/* Finds room for `bytes` in usable memory below 4 GiB, clear of `r`. */
static uint64_t find_bitmap_home(const struct boot_info *bi,
				 const struct range *r, unsigned n,
				 uint64_t bytes)
{
	for (unsigned i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_region *m = &bi->mmap[i];
		uint64_t pos = ALIGN_UP(m->base, PAGE_SIZE);
		uint64_t end = MIN(m->base + m->length, EARLY_MAP_END);

		if (m->type != BOOT_MEM_USABLE)
			continue;
		for (; pos + bytes <= end; pos += PAGE_SIZE)
			if (!overlaps(r, n, pos, pos + bytes))
				return pos;
	}
	return 0;
}

void pmm_boot_init(const struct boot_info *bi)
{
	struct range r[3 + BOOT_MAX_MODULES];
	unsigned n = reserved_ranges(bi, r);
	uint64_t top = 0, bytes, bitmap;

	for (unsigned i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == BOOT_MEM_USABLE)
			top = MAX(top, bi->mmap[i].base + bi->mmap[i].length);
	if (!top)
		panic("pmm: the memory map has no usable memory");
	top = ALIGN_DOWN(top, PAGE_SIZE);
	bytes = ALIGN_UP(ALIGN_UP(top / PAGE_SIZE, 64) / 8, PAGE_SIZE);
	bitmap = find_bitmap_home(bi, r, n, bytes);
	if (!bitmap)
		panic("pmm: no room below 4 GiB for a %lu byte frame bitmap",
		      bytes);

	pmm_init(&kernel_pmm, phys_to_virt(bitmap), 0, top / PAGE_SIZE);
	for (unsigned i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == BOOT_MEM_USABLE)
			pmm_release_range(&kernel_pmm, bi->mmap[i].base,
					  bi->mmap[i].base +
						  bi->mmap[i].length);
	for (unsigned i = 0; i < n; i++)
		pmm_reserve_range(&kernel_pmm, r[i].start, r[i].end);
	pmm_reserve_range(&kernel_pmm, bitmap, bitmap + bytes);
}
