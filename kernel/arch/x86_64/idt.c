/* The IDT: all 256 vectors point at the stubs in isr.asm. */
#include "x86.h"

struct idt_entry {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry layout");

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t isr_table[256];
static struct idt_entry idt[256];

static void set_gate(int vector, uint64_t handler, uint8_t ist)
{
	idt[vector] = (struct idt_entry){
		.offset_low = handler & 0xffff,
		.selector = SEL_KCODE,
		.ist = ist,
		.type = GATE_INTERRUPT,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr = { sizeof(idt) - 1, (uint64_t)idt };

	for (int v = 0; v < 256; v++)
		set_gate(v, isr_table[v], 0);
	idt[2].ist = IST_NMI;
	idt[8].ist = IST_DOUBLE_FAULT;
	idt[18].ist = IST_MACHINE_CHECK;
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
