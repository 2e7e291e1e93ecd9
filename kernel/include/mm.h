/*
 * Memory management: physical frames (mm/pmm.c), page tables (mm/vmm.c),
 * the kernel heap (mm/heap.c) and guarded kernel stacks (mm/kstack.c).
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include "types.h"

/* Virtual layout of the kernel half. */
#define DIRECT_MAP_BASE 0xffff800000000000UL /* all of physical memory */
#define KSTACK_BASE	0xffffff0000000000UL /* kernel stacks with guards */
#define KERNEL_VMA	0xffffffff80000000UL /* the kernel image */

/* ---- physical frames: a bitmap, one bit per 4 KiB frame (1 = in use) ---- */

struct pmm {
	uint64_t *bitmap;
	uint64_t base; /* physical address of frame 0 of the bitmap */
	size_t nframes;
	size_t free_frames;
	size_t hint; /* where the next search starts */
};

/* Sets up `pmm` over [base, base + nframes * 4 KiB) with every frame in use. */
void pmm_init(struct pmm *pmm, uint64_t *bitmap, uint64_t base, size_t nframes);

/*
 * Marks the whole frames inside [start, end) free (rounds inwards).  The
 * frame at physical 0 stays in use, so that 0 can mean "no frame".
 */
void pmm_release_range(struct pmm *pmm, uint64_t start, uint64_t end);

/* Marks every frame touching [start, end) in use (rounds outwards). */
void pmm_reserve_range(struct pmm *pmm, uint64_t start, uint64_t end);

/* Returns the physical address of a free frame, now in use, or 0 if none. */
uint64_t pmm_alloc(struct pmm *pmm);

/*
 * Allocates `count` physically contiguous frames whose first frame is
 * aligned to `align` bytes (a power of two, at least 4 KiB).  Returns the
 * address or 0 when no such run is free.
 */
uint64_t pmm_alloc_contig(struct pmm *pmm, size_t count, uint64_t align);

/*
 * Returns `count` frames starting at `phys` to the pool.  Returns 0, or
 * -EINVAL if the range is misaligned, outside the pool, or contains a
 * frame that is already free (double free); nothing is freed then.
 */
int pmm_free(struct pmm *pmm, uint64_t phys, size_t count);

/* True when the frame holding `phys` is in use. */
bool pmm_in_use(const struct pmm *pmm, uint64_t phys);

/* The kernel's frame pool and its panicking wrappers. */
extern struct pmm kernel_pmm;
uint64_t frame_alloc(void);	   /* 0 when out of memory */
uint64_t frame_alloc_zeroed(void); /* 0 when out of memory */
void frame_free(uint64_t phys);	   /* panics on a double free */

/* The direct map: kernel view of physical memory. */
void *phys_to_virt(uint64_t phys);
uint64_t virt_to_phys(const void *virt);

/* Sets up kernel_pmm from the boot memory map (mm/pmm_boot.c). */
struct boot_info;
void pmm_boot_init(const struct boot_info *bi);

/* ---- page tables ---- */

#define PTE_P	       (1UL << 0)
#define PTE_W	       (1UL << 1)
#define PTE_U	       (1UL << 2)
#define PTE_PWT	       (1UL << 3)
#define PTE_PCD	       (1UL << 4)
#define PTE_A	       (1UL << 5)
#define PTE_D	       (1UL << 6)
#define PTE_PS	       (1UL << 7)
#define PTE_G	       (1UL << 8)
#define PTE_NX	       (1UL << 63)
#define PTE_ADDR_MASK  0x000ffffffffff000UL
#define PTE_FLAGS_MASK (~PTE_ADDR_MASK)

/* True when `va` is canonical (bits 63..47 all equal). */
bool vmm_is_canonical(uint64_t va);

/*
 * Maps the 4 KiB page at `va` to `pa` with `flags` (PTE_P is implied) in
 * the tree rooted at physical `pml4`, allocating zeroed table frames as
 * needed.  Returns 0, -EINVAL (misaligned or non-canonical), -EEXIST
 * (already mapped, also by a large page) or -ENOMEM.
 */
int vmm_map(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags);

/* The same for one 2 MiB page; `va` and `pa` must be 2 MiB aligned. */
int vmm_map_large(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags);

/*
 * Removes the 4 KiB mapping at `va` and flushes it from the TLB.  Returns
 * 0 and the old frame in *pa, or -ENOENT if nothing is mapped there
 * (-EINVAL if `va` is inside a 2 MiB page).
 */
int vmm_unmap(uint64_t pml4, uint64_t va, uint64_t *pa);

/*
 * Looks `va` up.  Returns 0 with the physical address of that byte in *pa
 * and the leaf entry's flags in *flags (either may be NULL), or -ENOENT.
 */
int vmm_translate(uint64_t pml4, uint64_t va, uint64_t *pa, uint64_t *flags);

/* Changes the flags of the 4 KiB mapping at `va`.  Returns 0 or -ENOENT. */
int vmm_protect(uint64_t pml4, uint64_t va, uint64_t flags);

/* The kernel's own page tables (set up by vmm_init). */
extern uint64_t kernel_pml4;
void vmm_init(const struct boot_info *bi);

/*
 * Maps `size` bytes of device memory at `phys` into the direct map with
 * the given cache flags (PTE_PCD/PTE_PWT) and returns its kernel address,
 * or NULL.  Used for the framebuffer and, later, MMIO.
 */
void *vmm_map_device(uint64_t phys, uint64_t size, uint64_t cache_flags);

/* ---- kernel heap: size classes up to 1 KiB, whole pages above ---- */

void *kmalloc(size_t size); /* 16-byte aligned; NULL on failure */
void *kzalloc(size_t size);
void kfree(void *p); /* panics on corruption or double free */

/*
 * Frees `p` if it is a live heap object.  Returns 0, or -EINVAL when `p`
 * is not one (a double free, a pointer into the middle of an object, or a
 * damaged header); the heap is left untouched then.
 */
int heap_free_checked(void *p);

/* Bytes currently handed out by kmalloc (rounded to their size class). */
size_t heap_bytes_in_use(void);

/* Returns the usable size of a live object, or 0 if `p` is not one. */
size_t heap_object_size(const void *p);

/*
 * Checks every slab that has free room: header intact and every free
 * object still holding its poison (no write after free).  0 or -EINVAL.
 */
int heap_check(void);

/* ---- kernel stacks: KSTACK_SIZE bytes with an unmapped guard page below ----
 */

#define KSTACK_SIZE (16 * 1024UL)

/*
 * Stacks that exist before the allocator does: the boot stack and the
 * three exception (IST) stacks, in .bss, each above a guard page that
 * vmm_init() leaves unmapped.
 */
#define STATIC_STACK_BOOT 0
#define STATIC_STACKS	  4
struct guarded_stack {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[KSTACK_SIZE];
} __attribute__((aligned(4096)));
extern struct guarded_stack static_stacks[STATIC_STACKS];
uint64_t static_stack_top(unsigned i);
bool is_static_stack_guard(uint64_t va);

/* Returns the top of a fresh stack, or 0 when out of memory or slots. */
uint64_t kstack_alloc(void);
/* Frees a stack given its top. */
void kstack_free(uint64_t top);

#endif
