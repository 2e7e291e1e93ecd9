/*
 * User address spaces: a PML4 whose kernel half is shared with every other
 * space, and a sorted list of areas, each mapping part of a memory object.
 */
#include "arch.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"
#include "vm.h"

#define KERNEL_HALF 256
#define MAP_BASE    0x0000100000000000UL /* where vm_map(0, ...) looks */
#define MAP_END	    (USER_STACK_TOP - USER_STACK_SIZE - (1UL << 30))

uint64_t uvm_create(void)
{
	uint64_t pml4 = frame_alloc_zeroed();
	uint64_t *dst, *src;

	if (!pml4)
		return 0;
	dst = phys_to_virt(pml4);
	src = phys_to_virt(kernel_pml4);
	memcpy(dst + KERNEL_HALF, src + KERNEL_HALF, KERNEL_HALF * 8);
	return pml4;
}

static void free_tables(uint64_t table, int level)
{
	uint64_t *t = phys_to_virt(table);
	unsigned n = level == 3 ? KERNEL_HALF : 512;

	if (level > 0)
		for (unsigned i = 0; i < n; i++)
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				free_tables(t[i] & PTE_ADDR_MASK, level - 1);
	frame_free(table);
}

static uint64_t pte_flags(const struct mem_obj *m, uint32_t prot)
{
	uint64_t f = PTE_U;

	if (prot & VM_WRITE)
		f |= PTE_W;
	if (!(prot & VM_EXEC))
		f |= PTE_NX;
	if (m->physical && m->cache == MEM_CACHE_UC)
		f |= PTE_PCD | PTE_PWT;
	else if (m->physical && m->cache == MEM_CACHE_WC)
		f |= PTE_PWT; /* PAT entry 1: write-combining */
	return f;
}

static void unmap_pages(struct process *p, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		vmm_unmap(p->pml4, va, NULL);
}

static void area_free(struct vm_area *a)
{
	kobj_put(&a->mem->obj);
	kfree(a);
}

void uvm_destroy(struct process *p)
{
	while (p->areas) {
		struct vm_area *a = p->areas;

		p->areas = a->next;
		area_free(a);
	}
	if (p->pml4) {
		free_tables(p->pml4, 3);
		p->pml4 = 0;
	}
}

int uvm_replace(struct process *p)
{
	uint64_t pml4 = uvm_create(), old = p->pml4;

	if (!pml4)
		return -ENOMEM;
	while (p->areas) {
		struct vm_area *a = p->areas;

		p->areas = a->next;
		area_free(a);
	}
	p->pml4 = pml4;
	if (current && current->proc == p)
		arch_switch_space(pml4, p->pcid, true);
	free_tables(old, 3);
	return 0;
}

static bool overlaps(struct process *p, uint64_t start, uint64_t end)
{
	for (struct vm_area *a = p->areas; a; a = a->next)
		if (start < a->end && a->start < end)
			return true;
	return false;
}

static uint64_t find_gap(struct process *p, uint64_t size)
{
	uint64_t va = MAP_BASE; /* first fit */

	for (struct vm_area *a = p->areas; a; a = a->next) {
		if (a->end <= va)
			continue;
		if (a->start >= va + size)
			break;
		va = a->end;
	}
	return va + size <= MAP_END ? va : 0;
}

static void area_insert(struct process *p, struct vm_area *n)
{
	struct vm_area **pp = &p->areas;

	while (*pp && (*pp)->start < n->start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
}

/*
 * Makes the page tables of [start, end) of area `a` match its rights:
 * present with them, or absent for prot 0 (x86 has no present page that
 * cannot be read).  Returns 0 or -ENOMEM (page tables).
 */
static int area_apply(struct process *p, struct vm_area *a, uint64_t start,
		      uint64_t end)
{
	uint64_t flags = pte_flags(a->mem, a->prot);

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t pa = mem_frame(a->mem, a->offset + (va - a->start));
		uint64_t f = flags;
		int err = 0;

		if (!a->mem->physical && frame_shared(pa))
			f &= ~PTE_W; /* copy on write (cow.c) */
		if (!a->prot)
			vmm_unmap(p->pml4, va, NULL);
		else if (vmm_translate(p->pml4, va, NULL, NULL) == 0)
			vmm_protect(p->pml4, va, f);
		else
			err = vmm_map(p->pml4, va, pa, f);
		if (err)
			return err;
	}
	return 0;
}

int uvm_reapply(struct process *p, struct vm_area *a)
{
	return area_apply(p, a, a->start, a->end);
}

struct vm_area *uvm_area_at(struct process *p, uint64_t va)
{
	for (struct vm_area *a = p->areas; a && a->start <= va; a = a->next)
		if (va < a->end)
			return a;
	return NULL;
}

int uvm_map(struct process *p, struct mem_obj *m, uint64_t va, uint64_t offset,
	    uint64_t size, uint32_t prot, uint32_t max_prot, uint64_t *out)
{
	struct vm_area *a;
	int err;

	if (!size || !IS_ALIGNED(va | offset | size, PAGE_SIZE) ||
	    offset > m->size || size > m->size - offset ||
	    ((prot & VM_WRITE) && (prot & VM_EXEC)) || (prot & ~7u))
		return -EINVAL;
	if (prot & ~max_prot)
		return -EPERM;
	if (va == 0 && !(va = find_gap(p, size)))
		return -ENOMEM;
	if (va < PAGE_SIZE || va + size < va || va + size > USER_MAP_TOP)
		return -EINVAL;
	if (overlaps(p, va, va + size))
		return -EEXIST;
	a = kzalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->start = va;
	a->end = va + size;
	a->mem = m;
	a->offset = offset;
	a->prot = prot;
	a->max_prot = max_prot;
	err = area_apply(p, a, va, va + size);
	if (err) {
		unmap_pages(p, va, va + size);
		kfree(a);
		return err;
	}
	kobj_get(&m->obj);
	area_insert(p, a);
	*out = va;
	return 0;
}

/* Splits the area holding `va` so that an area starts exactly there. */
static int split_at(struct process *p, uint64_t va)
{
	for (struct vm_area *a = p->areas; a; a = a->next) {
		struct vm_area *b;

		if (va <= a->start || va >= a->end)
			continue;
		b = kzalloc(sizeof(*b));
		if (!b)
			return -ENOMEM;
		*b = *a;
		b->start = va;
		b->offset = a->offset + (va - a->start);
		a->end = va;
		a->next = b;
		kobj_get(&b->mem->obj);
		return 0;
	}
	return 0;
}

static int check_range(uint64_t va, uint64_t size)
{
	if (!size || !IS_ALIGNED(va | size, PAGE_SIZE) ||
	    !user_range_ok(va, size))
		return -EINVAL;
	return 0;
}

int uvm_unmap(struct process *p, uint64_t va, uint64_t size)
{
	struct vm_area **pp = &p->areas;
	int err = check_range(va, size);

	if (err || (err = split_at(p, va)) || (err = split_at(p, va + size)))
		return err;
	while (*pp) {
		struct vm_area *a = *pp;

		if (a->start >= va && a->end <= va + size) {
			unmap_pages(p, a->start, a->end);
			*pp = a->next;
			area_free(a);
		} else {
			pp = &a->next;
		}
	}
	return 0;
}

int uvm_protect(struct process *p, uint64_t va, uint64_t size, uint32_t prot)
{
	uint64_t covered = va;
	int err = check_range(va, size);

	if (err)
		return err;
	if (((prot & VM_WRITE) && (prot & VM_EXEC)) || (prot & ~7u))
		return -EINVAL;
	/* The whole range must be mapped, and the new rights allowed. */
	for (struct vm_area *a = p->areas; a && covered < va + size;
	     a = a->next) {
		if (a->end <= covered)
			continue;
		if (a->start > covered)
			return -ENOMEM;
		if (a->start < va + size && (prot & ~a->max_prot))
			return -EPERM;
		covered = a->end;
	}
	if (covered < va + size)
		return -ENOMEM;
	if ((err = split_at(p, va)) || (err = split_at(p, va + size)))
		return err;
	for (struct vm_area *a = p->areas; a && !err; a = a->next) {
		if (a->start < va || a->end > va + size)
			continue;
		a->prot = prot;
		err = area_apply(p, a, a->start, a->end);
	}
	return err;
}

/* Kernel pointer to user byte `va` of `p`, checking the page's rights. */
static uint8_t *user_byte(struct process *p, uint64_t va, bool write)
{
	uint64_t pa, flags;

	if (va >= USER_SPACE_TOP || vmm_translate(p->pml4, va, &pa, &flags) ||
	    !(flags & PTE_U))
		return NULL;
	if (write && !(flags & PTE_W)) {
		if (!uvm_cow_fault(p, va) ||
		    vmm_translate(p->pml4, va, &pa, &flags))
			return NULL;
	}
	return phys_to_virt(pa);
}

int uvm_copy_out(struct process *p, uint64_t dst, const void *src, size_t n)
{
	const uint8_t *s = src;

	while (n) {
		size_t chunk = MIN(n, PAGE_SIZE - (dst & (PAGE_SIZE - 1)));
		uint8_t *d = user_byte(p, dst, true);

		if (!d)
			return -EFAULT;
		memcpy(d, s, chunk);
		s += chunk;
		dst += chunk;
		n -= chunk;
	}
	return 0;
}

int uvm_transfer(struct process *other, uint64_t theirs, uint64_t mine,
		 size_t n, bool to_other)
{
	while (n) {
		size_t chunk = MIN(n, PAGE_SIZE - (theirs & (PAGE_SIZE - 1)));
		uint8_t *k = user_byte(other, theirs, to_other);
		int err;

		if (!k)
			return -EFAULT;
		err = to_other ? copy_from_user(k, mine, chunk)
			       : copy_to_user(mine, k, chunk);
		if (err)
			return err;
		theirs += chunk;
		mine += chunk;
		n -= chunk;
	}
	return 0;
}
