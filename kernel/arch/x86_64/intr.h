/*
 * Interrupt hardware, shared by acpi.c, apic.c, timer.c and trap.c only.
 * Line n (arch.h, IRQ_LINES) always arrives on vector VEC_IRQ_BASE + n,
 * through the IOAPIC or, without one, through the 8259 pair.
 */
#ifndef ARCH_INTR_H
#define ARCH_INTR_H

#include "arch.h"

#define VEC_IRQ_BASE 32
#define VEC_TIMER    0xf0 /* LAPIC timer */
#define VEC_SPURIOUS 0xff /* LAPIC spurious vector: never acknowledged */

#define ISA_IRQS    16
#define MAX_IOAPICS 8

/* What acpi_find_madt() learns from the MADT. */
struct madt_info {
	uint64_t lapic_phys;
	unsigned ioapic_count;
	struct {
		uint8_t id;
		uint32_t phys;
		uint32_t gsi_base;
	} ioapic[MAX_IOAPICS];
	/* ISA overrides; MPS INTI flags: polarity bits 1:0, trigger 3:2. */
	bool isa_overridden[ISA_IRQS];
	uint32_t isa_gsi[ISA_IRQS];
	uint16_t isa_flags[ISA_IRQS];
};

/*
 * acpi.c: finds the MADT through the RSDP the boot loader passed, checking
 * every table it reads.  Returns 0, or -ENOENT when there is no usable
 * MADT (the reason is logged).
 */
struct boot_info;
int acpi_find_madt(const struct boot_info *bi, struct madt_info *out);

/* apic.c */
#define LAPIC_LVT_TIMER	    0x320
#define LAPIC_TIMER_INIT    0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3e0
#define LVT_MASKED	    (1U << 16)

extern bool lapic_in_use; /* false: 8259s and the PIT instead */
uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t v);
/* Acknowledges `vector` at whichever controller raised it. */
void intr_eoi(unsigned vector);
/* True for a spurious vector, which must be neither handled nor acked. */
bool intr_spurious(unsigned vector);
/*
 * Masks `line` after it fired.  Returns true when irq_line_interrupt()
 * should be told; false when the line was masked already (an edge kept
 * pending for arch_irq_unmask) or is not in use.
 */
bool irq_line_take(unsigned line);

/* timer.c: VEC_TIMER, or the PIT's line vector when there is no LAPIC. */
extern unsigned timer_vector;
/*
 * The timer interrupt came.  Returns true when the armed deadline has
 * passed; false for one that is stale (after a cancel) or early (the
 * hardware could not count that far, or the PIT had a tick latched): the
 * timer is then re-armed for what is left.
 */
bool timer_take(void);

#endif
