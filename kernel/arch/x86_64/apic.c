/*
 * Interrupt controllers: the local APIC and the IOAPIC(s) the MADT lists,
 * or, without them, the legacy 8259 pair.  The 8259s are always remapped
 * to VEC_IRQ_BASE and masked first, so they cannot raise stray vectors.
 */
#include "intr.h"
#include "log.h"
#include "mm.h"
#include "vm.h"
#include "x86.h"

#define PIC1_CMD	  0x20
#define PIC1_DATA	  0x21
#define PIC2_CMD	  0xa0
#define PIC2_DATA	  0xa1
#define PIC_ICW1_INIT	  0x11 /* edge, cascaded, ICW4 follows */
#define PIC_ICW4_8086	  0x01
#define PIC_OCW3_READ_ISR 0x0b
#define PIC_EOI		  0x20
#define PIC_LINES	  16
#define PIC_PER_CHIP	  8
#define PIC_CASCADE	  2 /* master input the slave is wired to */
#define PIC_ALL_MASKED	  0xff
#define PIC_SPURIOUS	  7 /* lines of the 8259s' spurious IRQs */
#define PIC_SPURIOUS2	  15

#define MSR_APIC_BASE	 0x1b
#define APIC_BASE_X2APIC (1UL << 10)
#define APIC_BASE_ENABLE (1UL << 11)
#define CPUID1_EDX_APIC	 (1U << 9)

#define LAPIC_ID	     0x20
#define LAPIC_ID_SHIFT	     24
#define LAPIC_VERSION	     0x30
#define VERSION_MAX_ENTRY(v) (((v) >> 16) & 0xff) /* LAPIC, IOAPIC */
#define LVT_PERF_MIN_MAX     4 /* exists from this max LVT entry on */
#define LVT_THERMAL_MIN_MAX  5
#define LAPIC_TPR	     0x80
#define LAPIC_EOI	     0xb0
#define LAPIC_SVR	     0xf0
#define LAPIC_ICR_LOW	     0x300
#define LAPIC_ICR_HIGH	     0x310
#define LAPIC_LVT_THERMAL    0x330
#define LAPIC_LVT_PERF	     0x340
#define LAPIC_LVT_LINT0	     0x350
#define LAPIC_LVT_ERROR	     0x370
#define LVT_EXTINT	     (7U << 8)
#define SVR_ENABLE	     (1U << 8)
#define ICR_TO_SELF	     (1U << 18)
#define MSI_ADDRESS_BASE     0xfee00000UL
#define MSI_DEST_SHIFT	     12

#define IOAPIC_REGSEL	0
#define IOAPIC_WINDOW	4 /* in 32-bit words */
#define IOAPIC_VERSION	1
#define IOAPIC_RTE(pin) (0x10 + 2 * (pin)) /* +1: destination */
#define RTE_ACTIVE_LOW	(1U << 13)
#define RTE_LEVEL	(1U << 15)
#define RTE_MASKED	(1U << 16)

#define INTI_POLARITY(f) ((f)&3) /* MPS INTI; 0: bus default */
#define INTI_TRIGGER(f)	 (((f) >> 2) & 3)
#define INTI_HIGH	 1
#define INTI_LOW	 3
#define INTI_EDGE	 1
#define INTI_LEVEL	 3

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	unsigned pins;
};

struct line {
	struct ioapic *ioapic; /* NULL: the line cannot be used */
	unsigned pin;
	uint32_t rte; /* vector, polarity, trigger */
	bool routed;
	bool masked; /* logically; see lazy() */
	bool pending;
};

bool lapic_in_use;
static volatile uint32_t *lapic;
static uint32_t lapic_id;
static struct ioapic ioapics[MAX_IOAPICS];
static unsigned ioapic_count;
static struct line lines[IRQ_LINES];

uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / sizeof(*lapic)];
}

void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / sizeof(*lapic)] = v;
}

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
	io->regs[IOAPIC_REGSEL] = reg;
	return io->regs[IOAPIC_WINDOW];
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOAPIC_REGSEL] = reg;
	io->regs[IOAPIC_WINDOW] = v;
}

static void pic_init(void)
{
	outb(PIC1_CMD, PIC_ICW1_INIT);
	outb(PIC2_CMD, PIC_ICW1_INIT);
	outb(PIC1_DATA, VEC_IRQ_BASE);
	outb(PIC2_DATA, VEC_IRQ_BASE + PIC_PER_CHIP);
	outb(PIC1_DATA, 1 << PIC_CASCADE);
	outb(PIC2_DATA, PIC_CASCADE);
	outb(PIC1_DATA, PIC_ICW4_8086);
	outb(PIC2_DATA, PIC_ICW4_8086);
	outb(PIC1_DATA, PIC_ALL_MASKED);
	outb(PIC2_DATA, PIC_ALL_MASKED);
}

static int lapic_init(uint64_t phys)
{
	uint32_t r[4];
	uint64_t base;
	unsigned max_lvt;

	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_APIC) || !phys)
		return -ENODEV;
	/* x2APIC mode can only be left through the disabled state. */
	base = rdmsr(MSR_APIC_BASE);
	if (base & APIC_BASE_X2APIC)
		wrmsr(MSR_APIC_BASE,
		      base & ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE));
	wrmsr(MSR_APIC_BASE, (base & ~APIC_BASE_X2APIC) | APIC_BASE_ENABLE);
	lapic = vmm_map_device(phys, PAGE_SIZE, PTE_PCD | PTE_PWT);
	mem_forbid_range(phys, phys + PAGE_SIZE);
	if (!lapic)
		return -ENOMEM;
	lapic_id = lapic_read(LAPIC_ID) >> LAPIC_ID_SHIFT;
	max_lvt = VERSION_MAX_ENTRY(lapic_read(LAPIC_VERSION));
	/* Whatever the firmware left running stops here; LINT1 stays NMI. */
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	if (max_lvt >= LVT_PERF_MIN_MAX)
		lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	if (max_lvt >= LVT_THERMAL_MIN_MAX)
		lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	return 0;
}

static void ioapic_add(uint64_t phys, uint32_t gsi_base)
{
	struct ioapic *io = &ioapics[ioapic_count];

	io->regs = vmm_map_device(phys, PAGE_SIZE, PTE_PCD | PTE_PWT);
	mem_forbid_range(phys, phys + PAGE_SIZE);
	if (!io->regs) {
		klog("apic: cannot map the IOAPIC at 0x%lx\n", phys);
		return;
	}
	io->gsi_base = gsi_base;
	io->pins = VERSION_MAX_ENTRY(ioapic_read(io, IOAPIC_VERSION)) + 1;
	for (unsigned pin = 0; pin < io->pins; pin++)
		ioapic_write(io, IOAPIC_RTE(pin), RTE_MASKED);
	ioapic_count++;
	klog("apic: IOAPIC at 0x%lx, GSIs %u-%u\n", phys, gsi_base,
	     gsi_base + io->pins - 1);
}

/* Line `line` is wired to `gsi`; `inti` holds MPS INTI flags (0: default). */
static void line_setup(unsigned line, uint32_t gsi, uint16_t inti)
{
	struct line *l = &lines[line];
	unsigned polarity = INTI_POLARITY(inti), trigger = INTI_TRIGGER(inti);
	bool isa = line < ISA_IRQS; /* ISA: high, edge; PCI: low, level */

	l->rte = VEC_IRQ_BASE + line;
	if (polarity == INTI_LOW || (polarity != INTI_HIGH && !isa))
		l->rte |= RTE_ACTIVE_LOW;
	if (trigger == INTI_LEVEL || (trigger != INTI_EDGE && !isa))
		l->rte |= RTE_LEVEL;
	for (unsigned i = 0; i < ioapic_count; i++) {
		if (gsi >= ioapics[i].gsi_base &&
		    gsi - ioapics[i].gsi_base < ioapics[i].pins) {
			l->ioapic = &ioapics[i];
			l->pin = gsi - ioapics[i].gsi_base;
		}
	}
}

/*
 * Lines 0..15 are ISA IRQs, moved by any override; the others are GSIs.
 * A GSI that an override gives to another ISA IRQ is not usable as a line
 * of its own (on QEMU, IRQ 0 takes GSI 2).
 */
static void lines_setup(const struct madt_info *m)
{
	for (unsigned line = 0; line < IRQ_MSI_FIRST; line++) {
		bool moved = line < ISA_IRQS && m->isa_overridden[line];
		bool taken = false;

		for (unsigned i = 0; i < ISA_IRQS && !moved; i++)
			taken |= m->isa_overridden[i] && m->isa_gsi[i] == line;
		if (moved)
			line_setup(line, m->isa_gsi[line], m->isa_flags[line]);
		else if (!taken)
			line_setup(line, line, 0);
	}
}

void arch_irq_init(const struct boot_info *bi)
{
	struct madt_info m;

	pic_init();
	if (acpi_find_madt(bi, &m) == 0 && m.ioapic_count &&
	    lapic_init(m.lapic_phys) == 0) {
		for (unsigned i = 0; i < m.ioapic_count; i++)
			ioapic_add(m.ioapic[i].phys, m.ioapic[i].gsi_base);
	}
	if (ioapic_count) {
		lapic_in_use = true;
		lines_setup(&m);
		/* MSI lines: no pin to mask, so always masked in software. */
		for (unsigned l = IRQ_MSI_FIRST; l < IRQ_LINES; l++) {
			lines[l].routed = true;
			lines[l].rte = VEC_IRQ_BASE + l; /* edge */
		}
		klog("apic: LAPIC %u at 0x%lx\n", lapic_id, m.lapic_phys);
		return;
	}
	/* The 8259s reach the CPU through LINT0 when the LAPIC is on. */
	if (lapic)
		lapic_write(LAPIC_LVT_LINT0, LVT_EXTINT);
	/* The slave's lines reach the CPU through the master's input 2. */
	outb(PIC1_DATA, PIC_ALL_MASKED & ~(1 << PIC_CASCADE));
	klog("apic: no MADT with an IOAPIC; using the 8259 PICs\n");
}

static bool line_valid(unsigned line)
{
	if (line >= IRQ_LINES)
		return false;
	if (line >= IRQ_MSI_FIRST)
		return lapic_in_use;
	if (lapic_in_use)
		return lines[line].ioapic != NULL;
	return line < PIC_LINES && line != PIC_CASCADE;
}

static void hw_mask(unsigned line, bool masked)
{
	struct line *l = &lines[line];

	if (lapic_in_use) {
		ioapic_write(l->ioapic, IOAPIC_RTE(l->pin) + 1,
			     lapic_id << LAPIC_ID_SHIFT);
		ioapic_write(l->ioapic, IOAPIC_RTE(l->pin),
			     l->rte | (masked ? RTE_MASKED : 0));
	} else {
		uint16_t port = line < PIC_PER_CHIP ? PIC1_DATA : PIC2_DATA;
		uint8_t bit = 1 << (line % PIC_PER_CHIP);

		outb(port, masked ? inb(port) | bit : inb(port) & ~bit);
	}
}

/*
 * An IOAPIC drops an edge that arrives while its pin is masked, so an
 * edge-triggered line, once routed, stays open in hardware: masking it
 * is only logical, and an edge that comes meanwhile is replayed (as a
 * self-IPI) when the line is unmasked.
 */
static bool lazy(unsigned line)
{
	return lapic_in_use && lines[line].routed &&
	       !(lines[line].rte & RTE_LEVEL);
}

/* Masks `line` until arch_irq_unmask(); ignores a bad line. */
void arch_irq_mask(unsigned line)
{
	if (!line_valid(line) || VEC_IRQ_BASE + line == timer_vector)
		return;
	lines[line].masked = true;
	if (!lazy(line))
		hw_mask(line, true);
}

/*
 * Routes `line` to this CPU (the first time) and unmasks it.  Returns 0,
 * -EINVAL for a line that does not exist, -EBUSY for the PIT's line when
 * the PIT is the kernel's timer.
 */
int arch_irq_unmask(unsigned line)
{
	struct line *l;

	if (!line_valid(line))
		return -EINVAL;
	if (VEC_IRQ_BASE + line == timer_vector)
		return -EBUSY;
	l = &lines[line];
	l->masked = false;
	if (!lazy(line)) {
		hw_mask(line, false);
		l->routed = true;
	} else if (l->pending) {
		l->pending = false;
		lapic_write(LAPIC_ICR_HIGH, 0);
		lapic_write(LAPIC_ICR_LOW, ICR_TO_SELF | (VEC_IRQ_BASE + line));
	}
	return 0;
}

bool irq_line_take(unsigned line)
{
	if (!line_valid(line))
		return false;
	if (lines[line].masked) {
		lines[line].pending = true;
		return false;
	}
	arch_irq_mask(line);
	return true;
}

void intr_eoi(unsigned vector)
{
	if (lapic_in_use) {
		lapic_write(LAPIC_EOI, 0);
		return;
	}
	if (vector < VEC_IRQ_BASE || vector >= VEC_IRQ_BASE + PIC_LINES)
		return;
	if (vector >= VEC_IRQ_BASE + PIC_PER_CHIP)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

/*
 * Besides the LAPIC's spurious vector, an 8259 raises IRQ 7 (or 15) with
 * no bit in service when a request goes away before it is acknowledged;
 * for 15 the master still saw its cascade input and wants its EOI.
 */
bool intr_spurious(unsigned vector)
{
	unsigned line = vector - VEC_IRQ_BASE;
	uint16_t cmd = line < PIC_PER_CHIP ? PIC1_CMD : PIC2_CMD;

	if (vector == VEC_SPURIOUS)
		return true;
	if (lapic_in_use || (line != PIC_SPURIOUS && line != PIC_SPURIOUS2))
		return false;
	outb(cmd, PIC_OCW3_READ_ISR);
	if (inb(cmd) & (1 << (line % PIC_PER_CHIP)))
		return false;
	if (line == PIC_SPURIOUS2)
		outb(PIC1_CMD, PIC_EOI);
	return true;
}

void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
	/* sti holds interrupts off for one more instruction: none is missed. */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

int arch_msi_message(unsigned line, uint64_t *address, uint32_t *data)
{
	if (line < IRQ_MSI_FIRST || !line_valid(line))
		return -EINVAL;
	/* Fixed delivery, edge, to this CPU's LAPIC. */
	*address = MSI_ADDRESS_BASE | ((uint64_t)lapic_id << MSI_DEST_SHIFT);
	*data = VEC_IRQ_BASE + line;
	return 0;
}

void arch_send_self_ipi(uint8_t vector)
{
	lapic_write(LAPIC_ICR_HIGH, 0);
	lapic_write(LAPIC_ICR_LOW, ICR_TO_SELF | vector);
}
