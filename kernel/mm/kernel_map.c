/*
 * The kernel half of every address space: the direct map of physical
 * memory, the kernel image mapped section by section with its own rights
 * (W^X), and the kernel stack area.  vmm_init() builds it and switches
 * away from the early boot tables.
 */
#include "arch.h"
#include "boot.h"
#include "lib.h"
#include "log.h"
#include "mm.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];

uint64_t kernel_pml4;

void *phys_to_virt(uint64_t phys)
{
	return (void *)(phys + DIRECT_MAP_BASE);
}

uint64_t virt_to_phys(const void *virt)
{
	uint64_t va = (uint64_t)virt;

	if (va >= KERNEL_VMA)
		return va - KERNEL_VMA;
	return va - DIRECT_MAP_BASE;
}

static void map_or_panic(uint64_t va, uint64_t pa, uint64_t flags)
{
	int err = vmm_map(kernel_pml4, va, pa, flags);

	if (err)
		panic("vmm: cannot map 0x%lx -> 0x%lx (%d)", va, pa, err);
}

/* Maps [start, end) of physical memory into the direct map, write-back. */
static void direct_map_range(uint64_t start, uint64_t end)
{
	uint64_t flags = PTE_W | PTE_G | PTE_NX;
	uint64_t pa = ALIGN_DOWN(start, PAGE_SIZE);

	end = ALIGN_UP(end, PAGE_SIZE);
	while (pa < end) {
		uint64_t va = DIRECT_MAP_BASE + pa;
		int err;

		if (IS_ALIGNED(pa, LARGE_PAGE_SIZE) &&
		    end - pa >= LARGE_PAGE_SIZE) {
			err = vmm_map_large(kernel_pml4, va, pa, flags);
			if (err == 0) {
				pa += LARGE_PAGE_SIZE;
				continue;
			}
			if (err != -EEXIST)
				panic("vmm: direct map failed at 0x%lx", pa);
			/* Partly mapped already: fill in page by page. */
		}
		/* Regions may share a large page already mapped: skip it. */
		if (vmm_translate(kernel_pml4, va, NULL, NULL) != 0)
			map_or_panic(va, pa, flags);
		pa += PAGE_SIZE;
	}
}

static void map_image_section(char *start, char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
		if (!is_static_stack_guard(va))
			map_or_panic(va, va - KERNEL_VMA, flags | PTE_G);
}

void vmm_init(const struct boot_info *bi)
{
	uint64_t *pml4;

	kernel_pml4 = frame_alloc_zeroed();
	if (!kernel_pml4)
		panic("vmm: out of memory for the kernel page tables");

	direct_map_range(0, 0x100000);
	for (unsigned i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_region *m = &bi->mmap[i];

		if (m->type == BOOT_MEM_USABLE ||
		    m->type == BOOT_MEM_ACPI_RECLAIMABLE ||
		    m->type == BOOT_MEM_ACPI_NVS)
			direct_map_range(m->base, m->base + m->length);
	}
	direct_map_range(bi->info_phys, bi->info_phys + bi->info_size);

	map_image_section(__text_start, __text_end, 0);
	map_image_section(__rodata_start, __rodata_end, PTE_NX);
	map_image_section(__data_start, __data_end, PTE_W | PTE_NX);

	/*
	 * Give the stack area its top-level table now, so that every address
	 * space, which copies the kernel half of the PML4, shares it.
	 */
	pml4 = phys_to_virt(kernel_pml4);
	if (!pml4[(KSTACK_BASE >> 39) & 511]) {
		uint64_t pa = frame_alloc_zeroed();

		if (!pa)
			panic("vmm: out of memory for the kernel page tables");
		pml4[(KSTACK_BASE >> 39) & 511] = pa | PTE_P | PTE_W;
	}
	arch_load_pml4(kernel_pml4);
}

void *vmm_map_device(uint64_t phys, uint64_t size, uint64_t cache_flags)
{
	uint64_t start = ALIGN_DOWN(phys, PAGE_SIZE);
	uint64_t end = ALIGN_UP(phys + size, PAGE_SIZE);

	if (end < start || end > (1UL << 46))
		return NULL;
	for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
		uint64_t va = DIRECT_MAP_BASE + pa;

		if (vmm_translate(kernel_pml4, va, NULL, NULL) == 0)
			continue;
		if (vmm_map(kernel_pml4, va, pa,
			    PTE_W | PTE_G | PTE_NX | cache_flags))
			return NULL;
	}
	return phys_to_virt(phys);
}
