/*
 * Everything generic kernel code may ask of the CPU.  Implemented only in
 * kernel/arch/x86_64/; the host unit tests provide small stubs.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include "types.h"

/* COM1: set up early; writes are dropped when no UART answers. */
void arch_serial_init(void);
void arch_serial_write(const char *s, size_t n);

/*
 * Probes CPUID and turns on what the kernel uses: NX (EFER.NXE), write
 * protection, global pages, SMEP, SMAP, UMIP.  Must run before vmm_init.
 */
void arch_cpu_init(void);

/* Loads the GDT, TSS and IDT; needs nothing else, so it runs first. */
void arch_trap_init(void);

/* Space-separated list of the CPU features in use ("nx smep smap ..."). */
const char *arch_cpu_features(void);

/* True when the CPU has NX (without it PTE_NX must stay clear). */
bool arch_has_nx(void);

/* Switches to the page tables rooted at physical `pml4`. */
void arch_load_pml4(uint64_t pml4);
/* Drops one page from this CPU's TLB. */
void arch_tlb_flush_page(uint64_t va);

/* Walks the frame-pointer chain from the caller, printing each frame. */
void arch_backtrace(uint64_t rbp, uint64_t rip);
uint64_t arch_frame_pointer(void);

/* Stops this CPU for good with interrupts off. */
__noreturn void arch_halt(void);

/*
 * Leaves QEMU through the isa-debug-exit device (port 0xf4): QEMU exits
 * with status (code << 1) | 1.  Halts when the device is absent.
 */
__noreturn void arch_qemu_exit(uint8_t code);

#endif
