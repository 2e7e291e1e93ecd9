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

/* ---- interrupts and time (arch/x86_64/acpi.c, apic.c, timer.c) ---- */

/* Lines 0..23: ISA IRQs 0-15 (through any ACPI override), then GSIs 16-23. */
#define IRQ_LINES     56 /* 0..23 ISA IRQs and GSIs, 24..55 MSI vectors */
#define IRQ_MSI_FIRST 24 /* the same as IRQ_LINE_* in valence/abi.h */

/*
 * After vmm_init: finds the MADT (ACPI), enables the LAPIC and masks every
 * IOAPIC input, or falls back to the 8259 PICs.  All lines start masked.
 */
struct boot_info;
void arch_irq_init(const struct boot_info *bi);

/*
 * After arch_irq_init: calibrates the TSC and the LAPIC timer against the
 * PIT and logs "timer: TSC x MHz, LAPIC timer y MHz".
 */
void arch_timer_init(void);

/* Monotonic nanoseconds since arch_timer_init. */
uint64_t arch_clock_ns(void);

/*
 * One-shot: timer_interrupt() runs once, about `ns` from now and never
 * earlier by arch_clock_ns() (at least a few microseconds; beyond what the
 * hardware counts in one go it is re-armed quietly).  Replaces any earlier
 * arming; after arch_timer_cancel() it does not run.
 */
void arch_timer_arm(uint64_t ns);
void arch_timer_cancel(void);

/*
 * Routes `line` (the first time) and unmasks it.  Returns 0, -EINVAL for a
 * line that does not exist here, -EBUSY for the PIT's line when the PIT is
 * the timer.  A line is masked again each time it fires.
 */
int arch_irq_unmask(unsigned line);
void arch_irq_mask(unsigned line);

/*
 * The message a PCI device must write to raise MSI line `line`
 * (IRQ_MSI_FIRST..IRQ_LINES-1): the address and data to program into its
 * MSI capability.  Returns 0, or -EINVAL (not an MSI line, or no LAPIC).
 * MSI lines are masked in software; one that fires while masked is
 * delivered at the next arch_irq_unmask().
 */
int arch_msi_message(unsigned line, uint64_t *address, uint32_t *data);

/* Sends this CPU interrupt `vector` (LAPIC only; the MSI self-test). */
void arch_send_self_ipi(uint8_t vector);

void arch_irq_enable(void);  /* sti */
void arch_irq_disable(void); /* cli */
/* sti; hlt; cli as one idle step: returns after an interrupt was handled. */
void arch_wait_for_interrupt(void);

#endif
