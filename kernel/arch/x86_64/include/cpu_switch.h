/*
 * The CPU side of a context switch, as inline functions: every IPC round
 * trip switches twice, and a call costs more than most of these bodies.
 * Reached through cpu.h (the kernel is built with this directory on its
 * include path); the host unit tests put stand-ins of the same name on
 * theirs (tests/unit/arch/cpu_switch.h).
 */
#ifndef ARCH_CPU_SWITCH_H
#define ARCH_CPU_SWITCH_H

#include "cpu.h"

#define CR3_NOFLUSH (1UL << 63)

/* The TSS, and the I/O permission bitmap with the 0xff byte after it. */
struct tss_hw {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct tss_block {
	struct tss_hw tss;
	uint8_t io_bitmap[IO_BITMAP_BYTES + 1];
} __packed;

/* The per-CPU block; syscall.asm knows the offsets of the first three. */
struct cpu_local {
	uint64_t self;
	uint64_t kernel_rsp;
	uint64_t user_rsp;
};

extern struct cpu_local cpu0;		    /* user.c */
extern bool cpu_pcid;			    /* user.c: PCIDs are on */
extern struct tss_block tss_block;	    /* gdt.c */
extern const uint8_t *tss_io_bitmap;	    /* gdt.c: what the TSS grants now */
#define NO_BITMAP ((const uint8_t *)1)	    /* tss_io_bitmap: unknown */
extern const uint64_t syscall_resume_ctx[]; /* syscall.asm */

/* The stack the CPU switches to on entry from user mode. */
static inline void arch_set_kernel_stack(uint64_t top)
{
	cpu0.kernel_rsp = top;
	tss_block.tss.rsp[0] = top;
}

/*
 * Selects the address space.  With PCIDs, `pcid` tags its TLB entries;
 * the old entries of that tag are dropped when `fresh` (a new or reused
 * PCID) or when `pcid` is 0, the tag shared by spaces that got none.
 */
static inline void arch_switch_space(uint64_t pml4, uint16_t pcid, bool fresh)
{
	uint64_t cr3 = pml4;

	if (cpu_pcid) {
		cr3 |= pcid & 0xfff;
		if (!fresh && pcid)
			cr3 |= CR3_NOFLUSH;
	}
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

/* FPU/SSE state: save and restore (512-byte FXSAVE areas). */
static inline void arch_fpu_save(uint8_t *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void arch_fpu_restore(const uint8_t *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

/* arch_set_io_bitmap, only when `bitmap` is not the one in force. */
static inline void arch_load_io_bitmap(const uint8_t *bitmap)
{
	if (bitmap != tss_io_bitmap)
		arch_set_io_bitmap(bitmap);
}

/*
 * A stack pointer for arch_switch/arch_jump that resumes a thread blocked
 * by sched_block_switch: it finishes its system call with syscall_resume().
 */
static inline uint64_t arch_syscall_resume_ksp(void)
{
	return (uint64_t)syscall_resume_ctx;
}

#endif
