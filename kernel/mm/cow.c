/*
 * Copy-on-write for fork.  A forked process gets, for each memory object
 * that only its parent's own mappings hold (the stack, ELF segments, the
 * heap), a new object naming the same frames; both sides map them
 * read-only, and the first write to a page by either side copies it.
 * Objects anyone else can reach (through a handle, another process's
 * mapping, a physical range) stay shared, as POSIX's MAP_SHARED.
 *
 * A frame's extra owners are counted in `shares`, one 32-bit count per
 * frame of the pool (0.1% of memory, and no count can overflow: there are
 * fewer processes than that), set up at boot: 0 means one owner.
 */
#include "arch.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"
#include "vm.h"

static uint32_t *shares;

void cow_init(void)
{
	size_t bytes = kernel_pmm.nframes * sizeof(uint32_t);
	uint64_t pa = pmm_alloc_contig(
		&kernel_pmm, ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE, PAGE_SIZE);

	if (!pa)
		panic("cow: no memory for the frame share counts");
	shares = phys_to_virt(pa);
	memset(shares, 0, bytes);
}

static uint32_t *share_of(uint64_t pa)
{
	return &shares[(pa - kernel_pmm.base) / PAGE_SIZE];
}

bool frame_shared(uint64_t pa)
{
	return *share_of(pa) != 0;
}

void frame_put(uint64_t pa)
{
	uint32_t *s = share_of(pa);

	if (*s)
		(*s)--;
	else
		frame_free(pa);
}

/* True when every reference to `m` is one of p's mappings. */
static bool private_to(struct process *p, struct mem_obj *m)
{
	uint32_t n = 0;

	if (m->physical || m->obj.handles)
		return false;
	for (struct vm_area *a = p->areas; a; a = a->next) {
		n += a->mem == m;
		/* Mapped twice over the same pages: a write fault could
		   fix one mapping only, so the object stays shared. */
		for (struct vm_area *b = a->next; b && a->mem == m; b = b->next)
			if (b->mem == m &&
			    b->offset < a->offset + (a->end - a->start) &&
			    a->offset < b->offset + (b->end - b->start))
				return false;
	}
	return n == m->obj.refs;
}

/*
 * The child's copy of private object `m`: the same frames, each with one
 * more owner.  NULL when out of memory.
 */
static struct mem_obj *cow_clone(struct mem_obj *m)
{
	uint64_t pages = m->size / PAGE_SIZE;
	struct mem_obj *c = kzalloc(sizeof(*c));

	if (c)
		c->frames = kmalloc(pages * sizeof(uint64_t));
	if (!c || !c->frames) {
		kfree(c);
		return NULL;
	}
	kobj_init(&c->obj, OBJ_MEMORY);
	c->size = m->size;
	for (uint64_t i = 0; i < pages; i++) {
		c->frames[i] = m->frames[i];
		(*share_of(m->frames[i]))++;
	}
	return c;
}

int uvm_fork(struct process *parent, struct process *child)
{
	for (struct vm_area *a = parent->areas; a; a = a->next) {
		struct mem_obj *m = a->mem, *c = NULL;
		uint64_t va;
		int err;

		if (private_to(parent, m)) {
			/* One clone per object, however many areas map it. */
			for (struct vm_area *b = parent->areas; b != a && !c;
			     b = b->next)
				if (b->mem == m)
					c = uvm_area_at(child, b->start)->mem;
			if (c)
				kobj_get(&c->obj);
			else if (!(c = cow_clone(m)))
				return -ENOMEM;
			/* Reapplied: writable pages of shared frames become
			   read-only in the parent too. */
			err = uvm_reapply(parent, a);
		} else {
			kobj_get(&m->obj);
			c = m;
			err = 0;
		}
		if (!err)
			err = uvm_map(child, c, a->start, a->offset,
				      a->end - a->start, a->prot, a->max_prot,
				      &va);
		kobj_put(&c->obj); /* the mapping holds its own reference */
		if (err)
			return err;
	}
	return 0;
}

bool uvm_cow_fault(struct process *p, uint64_t va)
{
	struct vm_area *a = uvm_area_at(p, va);
	uint64_t page = ALIGN_DOWN(va, PAGE_SIZE), idx, old, pa, flags;
	struct mem_obj *m;

	if (!a || !(a->prot & VM_WRITE) || a->mem->physical ||
	    vmm_translate(p->pml4, page, &old, &flags))
		return false;
	if (flags & PTE_W) { /* already broken; a stale TLB entry */
		arch_tlb_flush_page(page);
		return true;
	}
	if (current->proc != p) /* its TLB tag may hold the old entry */
		p->pcid_fresh = true;
	m = a->mem;
	idx = (a->offset + (page - a->start)) / PAGE_SIZE;
	old = m->frames[idx];
	if (frame_shared(old)) {
		pa = frame_alloc();
		if (!pa)
			return false; /* no memory: the write faults */
		memcpy(phys_to_virt(pa), phys_to_virt(old), PAGE_SIZE);
		frame_put(old);
		m->frames[idx] = pa;
		vmm_unmap(p->pml4, page, NULL);
		return vmm_map(p->pml4, page, pa, flags | PTE_W) == 0;
	}
	return vmm_protect(p->pml4, page, flags | PTE_W) == 0;
}
