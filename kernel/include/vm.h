/*
 * Memory objects and user address spaces (kernel/object/memory.c,
 * kernel/mm/uvm.c).
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include "object.h"

struct process;

struct mem_obj {
	struct kobj obj;
	uint64_t size;	  /* bytes, a page multiple */
	bool physical;	  /* a physical range (MMIO, framebuffer) */
	bool root;	  /* the physical root: sub-ranges derive from it */
	uint32_t cache;	  /* MEM_CACHE_* for physical ranges */
	uint64_t phys;	  /* physical base of a physical range */
	uint64_t *frames; /* anonymous: one frame per page */
};

/* One mapping of (part of) a memory object into a process. */
struct vm_area {
	uint64_t start, end;
	struct mem_obj *mem; /* holds a reference */
	uint64_t offset;     /* into mem, of `start` */
	uint32_t prot;	     /* VM_* */
	uint32_t max_prot; /* what vm_protect may grant (the handle's rights) */
	struct vm_area *next;
};

/* Anonymous zeroed memory of `size` bytes (rounded up to pages). */
struct mem_obj *mem_create_anon(uint64_t size, int *err);
/*
 * A physical sub-range of `parent` (a physical object).  NULL with *err:
 * -EINVAL (range, alignment, cache mode), -EPERM (RAM or the kernel's own
 * devices), -ENOMEM.
 */
struct mem_obj *mem_create_phys(struct mem_obj *parent, uint64_t offset,
				uint64_t size, uint32_t cache, int *err);
/*
 * A physical object over [phys, phys + size), widened to whole pages, for
 * memory the kernel itself hands out (the boot archive, the log ring):
 * no RAM check.  NULL when out of memory.
 */
struct mem_obj *mem_create_kernel_range(uint64_t phys, uint64_t size,
					uint32_t cache);
/* The root of physical ranges given to init. */
struct mem_obj *mem_create_phys_root(void);
/* The physical frame behind byte `offset` of `m`. */
uint64_t mem_frame(const struct mem_obj *m, uint64_t offset);
void mem_destroy(struct mem_obj *m);
/* Records the usable RAM ranges, which physical objects may not cover. */
struct boot_info;
void mem_set_ram_ranges(const struct boot_info *bi);
/* Closes [start, end) to physical objects (the kernel's own devices). */
void mem_forbid_range(uint64_t start, uint64_t end);

/* Address spaces: the kernel half shared, the user half private. */
uint64_t uvm_create(void); /* a PML4, or 0 */
/* Unmaps every area and frees the page tables of the user half. */
void uvm_destroy(struct process *p);
/* Gives p a new, empty user half (exec), switching to it if p is current;
   the old one is freed.  0 or -ENOMEM (the old one is kept). */
int uvm_replace(struct process *p);

/*
 * Maps [offset, offset + size) of `m` at `va` (0: the kernel picks) with
 * `prot`, which vm_protect may later change within `max_prot`.  Returns 0
 * and the address in *out, or -EINVAL (misaligned, outside the object or
 * user space, W+X), -EPERM (prot beyond max_prot), -EEXIST (overlap) or
 * -ENOMEM.
 */
int uvm_map(struct process *p, struct mem_obj *m, uint64_t va, uint64_t offset,
	    uint64_t size, uint32_t prot, uint32_t max_prot, uint64_t *out);
/* Unmaps whole pages of [va, va + size); areas are split as needed. */
int uvm_unmap(struct process *p, uint64_t va, uint64_t size);
/*
 * Changes the rights of [va, va + size), which must be fully mapped
 * (-ENOMEM otherwise, as POSIX says).  -EPERM beyond an area's max_prot.
 */
int uvm_protect(struct process *p, uint64_t va, uint64_t size, uint32_t prot);

/*
 * Copies into another process's user memory through its page tables (the
 * argument block of a new process).  Returns 0 or -EFAULT (unmapped or
 * read-only).
 */
int uvm_copy_out(struct process *p, uint64_t dst, const void *src, size_t n);
/*
 * Moves n bytes between the current process's user memory at `mine` and
 * process `other`'s at `theirs` (to_other: mine -> theirs), one copy per
 * page.  Returns 0 or -EFAULT.
 */
int uvm_transfer(struct process *other, uint64_t theirs, uint64_t mine,
		 size_t n, bool to_other);

/* The area of `p` holding `va`, or NULL. */
struct vm_area *uvm_area_at(struct process *p, uint64_t va);
/* Makes area a's page tables match its rights again (after a fork). */
int uvm_reapply(struct process *p, struct vm_area *a);

/* ---- copy on write (mm/cow.c) ---- */

/* Sets up the per-frame share counts (at boot, after the frame pool). */
void cow_init(void);
/* True when another object owns frame `pa` too. */
bool frame_shared(uint64_t pa);
/* Drops one owner of frame `pa`, freeing it with the last. */
void frame_put(uint64_t pa);
/*
 * Gives `child` (new, empty) the parent's mappings: private objects as
 * copy-on-write clones, shared ones as they are.  0 or -ENOMEM; on error
 * the caller destroys the child.
 */
int uvm_fork(struct process *parent, struct process *child);
/*
 * A write to `va` of `p` found the page read-only: if the area is
 * writable, gives the page its own frame (or its write right back, when
 * the frame is no longer shared) and returns true.
 */
bool uvm_cow_fault(struct process *p, uint64_t va);

#endif
