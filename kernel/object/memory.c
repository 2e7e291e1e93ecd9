/*
 * Memory objects: anonymous zeroed memory (frames taken when the object is
 * made), or a physical range for MMIO and framebuffers, which may never
 * cover RAM the kernel hands out.
 */
#include "boot.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "vm.h"

#define MAX_RAM_RANGES BOOT_MAX_MMAP
#define MAX_FORBIDDEN  16
#define PHYS_LIMIT     (1UL << 46)

static struct {
	uint64_t start, end;
} ram[MAX_RAM_RANGES];
static unsigned ram_count;
static struct {
	uint64_t start, end;
} forbidden[MAX_FORBIDDEN];
static unsigned forbidden_count;

void mem_forbid_range(uint64_t start, uint64_t end)
{
	if (forbidden_count == MAX_FORBIDDEN)
		panic("memory: too many ranges closed to physical objects");
	forbidden[forbidden_count].start = start;
	forbidden[forbidden_count].end = end;
	forbidden_count++;
}

void mem_set_ram_ranges(const struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->mmap_count && ram_count < MAX_RAM_RANGES;
	     i++) {
		if (bi->mmap[i].type != BOOT_MEM_USABLE)
			continue;
		ram[ram_count].start = bi->mmap[i].base;
		ram[ram_count].end = bi->mmap[i].base + bi->mmap[i].length;
		ram_count++;
	}
}

/*
 * True when [start, end) touches RAM that the frame allocator manages, or
 * a range the kernel keeps for itself (the interrupt controllers).
 */
static bool mem_overlaps_ram(uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < ram_count; i++)
		if (start < ram[i].end && ram[i].start < end)
			return true;
	for (unsigned i = 0; i < forbidden_count; i++)
		if (start < forbidden[i].end && forbidden[i].start < end)
			return true;
	return false;
}

struct mem_obj *mem_create_anon(uint64_t size, int *err)
{
	struct mem_obj *m;
	uint64_t pages;

	if (!size || size > MEM_MAX_SIZE) {
		*err = -EINVAL;
		return NULL;
	}
	pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	if (pages > kernel_pmm.free_frames) {
		*err = -ENOMEM;
		return NULL;
	}
	m = kzalloc(sizeof(*m));
	if (m)
		m->frames = kzalloc(pages * sizeof(uint64_t));
	if (!m || !m->frames) {
		kfree(m);
		*err = -ENOMEM;
		return NULL;
	}
	kobj_init(&m->obj, OBJ_MEMORY);
	m->size = pages * PAGE_SIZE;
	for (uint64_t i = 0; i < pages; i++) {
		m->frames[i] = frame_alloc_zeroed();
		if (!m->frames[i]) {
			kobj_put(&m->obj);
			*err = -ENOMEM;
			return NULL;
		}
	}
	return m;
}

struct mem_obj *mem_create_phys_root(void)
{
	struct mem_obj *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	kobj_init(&m->obj, OBJ_MEMORY);
	m->physical = true;
	m->root = true;
	m->size = PHYS_LIMIT;
	m->cache = MEM_CACHE_UC;
	return m;
}

struct mem_obj *mem_create_kernel_range(uint64_t phys, uint64_t size,
					uint32_t cache)
{
	struct mem_obj *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	kobj_init(&m->obj, OBJ_MEMORY);
	m->physical = true;
	m->phys = ALIGN_DOWN(phys, PAGE_SIZE);
	m->size = ALIGN_UP(phys + size, PAGE_SIZE) - m->phys;
	m->cache = cache;
	return m;
}

/*
 * A physical sub-range of `parent` (which must be physical).  Returns the
 * object or NULL with *err: -EINVAL (range, cache mode), -EPERM (covers
 * RAM), -ENOMEM.
 */
struct mem_obj *mem_create_phys(struct mem_obj *parent, uint64_t offset,
				uint64_t size, uint32_t cache, int *err)
{
	struct mem_obj *m;
	uint64_t start = parent->phys + offset;

	if (!parent->physical || !size || !IS_ALIGNED(offset, PAGE_SIZE) ||
	    !IS_ALIGNED(size, PAGE_SIZE) || offset > parent->size ||
	    size > parent->size - offset || cache > MEM_CACHE_WC) {
		*err = -EINVAL;
		return NULL;
	}
	if (mem_overlaps_ram(start, start + size)) {
		*err = -EPERM;
		return NULL;
	}
	m = kzalloc(sizeof(*m));
	if (!m) {
		*err = -ENOMEM;
		return NULL;
	}
	kobj_init(&m->obj, OBJ_MEMORY);
	m->physical = true;
	m->phys = start;
	m->size = size;
	m->cache = cache;
	return m;
}

uint64_t mem_frame(const struct mem_obj *m, uint64_t offset)
{
	if (m->physical)
		return m->phys + ALIGN_DOWN(offset, PAGE_SIZE);
	return m->frames[offset / PAGE_SIZE];
}

void mem_destroy(struct mem_obj *m)
{
	if (m->frames) {
		for (uint64_t i = 0; i < m->size / PAGE_SIZE; i++)
			if (m->frames[i])
				frame_put(m->frames[i]); /* shared after fork */
		kfree(m->frames);
	}
	kfree(m);
}
