/*
 * Host stand-ins for kernel/arch/x86_64/include/cpu_switch.h, the inline
 * CPU side of a context switch: on the host there is no CPU state to
 * switch, so they only count what the kernel would do.
 */
#ifndef ARCH_CPU_SWITCH_H
#define ARCH_CPU_SWITCH_H

#include "cpu.h"

extern int test_space_switches; /* stubs.c */

static inline void arch_set_kernel_stack(uint64_t top)
{
	(void)top;
}

static inline void arch_switch_space(uint64_t pml4, uint16_t pcid, bool fresh)
{
	(void)pml4, (void)pcid, (void)fresh;
	test_space_switches++;
}

static inline void arch_fpu_save(uint8_t *area)
{
	(void)area;
}

static inline void arch_fpu_restore(const uint8_t *area)
{
	(void)area;
}

static inline void arch_load_io_bitmap(const uint8_t *bitmap)
{
	(void)bitmap;
}

static inline uint64_t arch_syscall_resume_ksp(void)
{
	return 0;
}

#endif
