/*
 * Physical frame allocator: one bit per 4 KiB frame, 1 = in use.  The
 * bitmap never touches the frames themselves, so the same code runs on the
 * host in the unit tests.
 */
#include "lib.h"
#include "log.h"
#include "mm.h"

struct pmm kernel_pmm;

static bool bit_get(const struct pmm *pmm, size_t i)
{
	return pmm->bitmap[i / 64] & (1UL << (i % 64));
}

static void bit_set(struct pmm *pmm, size_t i)
{
	pmm->bitmap[i / 64] |= 1UL << (i % 64);
}

static void bit_clear(struct pmm *pmm, size_t i)
{
	pmm->bitmap[i / 64] &= ~(1UL << (i % 64));
}

void pmm_init(struct pmm *pmm, uint64_t *bitmap, uint64_t base, size_t nframes)
{
	pmm->bitmap = bitmap;
	pmm->base = base;
	pmm->nframes = nframes;
	pmm->free_frames = 0;
	pmm->hint = 0;
	memset(bitmap, 0xff, ALIGN_UP(nframes, 64) / 8);
}

static uint64_t pool_top(const struct pmm *pmm)
{
	return pmm->base + pmm->nframes * PAGE_SIZE;
}

/* Frame indexes [*first, *last) of [start, end), clipped to the pool. */
static bool range_to_frames(const struct pmm *pmm, uint64_t start, uint64_t end,
			    size_t *first, size_t *last)
{
	start = MAX(start, pmm->base);
	end = MIN(end, pool_top(pmm));
	if (start >= end)
		return false;
	*first = (start - pmm->base) / PAGE_SIZE;
	*last = (end - pmm->base) / PAGE_SIZE;
	return *first < *last;
}

void pmm_release_range(struct pmm *pmm, uint64_t start, uint64_t end)
{
	size_t first, last;

	/* Address 0 means "no frame": that frame is never handed out. */
	start = MAX(start, PAGE_SIZE);
	/* Clip first, so that rounding cannot wrap around. */
	end = MIN(end, pool_top(pmm));
	start = MIN(start, end);
	if (end < start ||
	    !range_to_frames(pmm, ALIGN_UP(start, PAGE_SIZE),
			     ALIGN_DOWN(end, PAGE_SIZE), &first, &last))
		return;
	for (size_t i = first; i < last; i++) {
		if (bit_get(pmm, i)) {
			bit_clear(pmm, i);
			pmm->free_frames++;
		}
	}
	pmm->hint = MIN(pmm->hint, first);
}

void pmm_reserve_range(struct pmm *pmm, uint64_t start, uint64_t end)
{
	size_t first, last;
	uint64_t e;

	if (end < start)
		return;
	end = MIN(end, pool_top(pmm));
	start = MIN(start, end);
	e = ALIGN_UP(end, PAGE_SIZE);
	if (!range_to_frames(pmm, ALIGN_DOWN(start, PAGE_SIZE), e, &first,
			     &last))
		return;
	for (size_t i = first; i < last; i++) {
		if (!bit_get(pmm, i)) {
			bit_set(pmm, i);
			pmm->free_frames--;
		}
	}
}

uint64_t pmm_alloc(struct pmm *pmm)
{
	size_t words = ALIGN_UP(pmm->nframes, 64) / 64;

	if (!pmm->free_frames)
		return 0;
	for (size_t n = 0, w = pmm->hint / 64; n <= words; n++, w++) {
		size_t i;

		if (w >= words)
			w = 0;
		if (pmm->bitmap[w] == ~0UL)
			continue;
		i = w * 64 + (size_t)__builtin_ctzl(~pmm->bitmap[w]);
		if (i >= pmm->nframes)
			continue;
		bit_set(pmm, i);
		pmm->free_frames--;
		pmm->hint = i;
		return pmm->base + i * PAGE_SIZE;
	}
	return 0;
}

uint64_t pmm_alloc_contig(struct pmm *pmm, size_t count, uint64_t align)
{
	size_t step, i, run;

	if (!count || align < PAGE_SIZE || (align & (align - 1)) ||
	    count > pmm->free_frames)
		return 0;
	step = align / PAGE_SIZE;
	/* First index whose address is aligned. */
	i = (ALIGN_UP(pmm->base, align) - pmm->base) / PAGE_SIZE;
	for (; i + count <= pmm->nframes; i += step) {
		for (run = 0; run < count && !bit_get(pmm, i + run); run++)
			;
		if (run < count)
			continue;
		for (run = 0; run < count; run++)
			bit_set(pmm, i + run);
		pmm->free_frames -= count;
		return pmm->base + i * PAGE_SIZE;
	}
	return 0;
}

int pmm_free(struct pmm *pmm, uint64_t phys, size_t count)
{
	size_t first;

	if (!IS_ALIGNED(phys, PAGE_SIZE) || phys < pmm->base || !count)
		return -EINVAL;
	first = (phys - pmm->base) / PAGE_SIZE;
	if (first >= pmm->nframes || count > pmm->nframes - first)
		return -EINVAL;
	for (size_t i = first; i < first + count; i++)
		if (!bit_get(pmm, i))
			return -EINVAL; /* double free */
	for (size_t i = first; i < first + count; i++)
		bit_clear(pmm, i);
	pmm->free_frames += count;
	if (first < pmm->hint)
		pmm->hint = first;
	return 0;
}

bool pmm_in_use(const struct pmm *pmm, uint64_t phys)
{
	size_t i;

	if (phys < pmm->base)
		return true;
	i = (phys - pmm->base) / PAGE_SIZE;
	return i >= pmm->nframes || bit_get(pmm, i);
}

uint64_t frame_alloc(void)
{
	return pmm_alloc(&kernel_pmm);
}

uint64_t frame_alloc_zeroed(void)
{
	uint64_t pa = pmm_alloc(&kernel_pmm);

	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void frame_free(uint64_t phys)
{
	if (pmm_free(&kernel_pmm, phys, 1))
		panic("frame_free: 0x%lx is not an allocated frame", phys);
}
