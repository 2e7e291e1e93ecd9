/*
 * Kernel stacks.  Each stack lives in its own slot of the KSTACK_BASE area;
 * the part of the slot below the stack stays unmapped, so running off the
 * bottom faults (on the double-fault stack) instead of corrupting memory.
 */
#include "lib.h"
#include "log.h"
#include "mm.h"

#define SLOT_SIZE (2 * KSTACK_SIZE) /* stack on top, guard below */
#define SLOTS	  4096

static uint64_t slot_used[SLOTS / 64];

struct guarded_stack static_stacks[STATIC_STACKS];

uint64_t static_stack_top(unsigned i)
{
	return (uint64_t)(static_stacks[i].stack + KSTACK_SIZE);
}

bool is_static_stack_guard(uint64_t va)
{
	for (unsigned i = 0; i < STATIC_STACKS; i++)
		if (va == (uint64_t)static_stacks[i].guard)
			return true;
	return false;
}

static uint64_t slot_top(unsigned i)
{
	return KSTACK_BASE + (uint64_t)(i + 1) * SLOT_SIZE;
}

static void unmap_stack(uint64_t top, uint64_t bottom)
{
	for (uint64_t va = bottom; va < top; va += PAGE_SIZE) {
		uint64_t pa;

		if (vmm_unmap(kernel_pml4, va, &pa) == 0)
			frame_free(pa);
	}
}

uint64_t kstack_alloc(void)
{
	unsigned i;
	uint64_t top;

	for (i = 0; i < SLOTS; i++)
		if (!(slot_used[i / 64] & (1UL << (i % 64))))
			break;
	if (i == SLOTS)
		return 0;
	top = slot_top(i);
	for (uint64_t va = top - KSTACK_SIZE; va < top; va += PAGE_SIZE) {
		uint64_t pa = frame_alloc_zeroed();

		if (!pa ||
		    vmm_map(kernel_pml4, va, pa, PTE_W | PTE_NX | PTE_G)) {
			if (pa)
				frame_free(pa);
			unmap_stack(va, top - KSTACK_SIZE);
			return 0;
		}
	}
	slot_used[i / 64] |= 1UL << (i % 64);
	return top;
}

void kstack_free(uint64_t top)
{
	unsigned i = (unsigned)((top - KSTACK_BASE) / SLOT_SIZE) - 1;

	if (top <= KSTACK_BASE || (top - KSTACK_BASE) % SLOT_SIZE ||
	    i >= SLOTS || !(slot_used[i / 64] & (1UL << (i % 64))))
		panic("kstack_free: 0x%lx is not a kernel stack", top);
	unmap_stack(top, top - KSTACK_SIZE);
	slot_used[i / 64] &= ~(1UL << (i % 64));
}
