/*
 * GDT and TSS.  The selector order suits SYSCALL/SYSRET: kernel code,
 * kernel data, then (from the STAR base 0x18) user data and user code.
 */
#include "cpu.h"
#include "lib.h"
#include "x86.h"

/*
 * The TSS and the I/O permission bitmap after it (cpu_switch.h): a set
 * bit denies the port, and iomap_base points past the limit when the
 * running process may use no ports at all.
 */
_Static_assert(sizeof(struct tss_hw) == 104, "TSS layout");

struct tss_block tss_block;
#define tss	   tss_block.tss
#define IOMAP_NONE (sizeof(tss_block))
static const uint8_t *loaded_bitmap;	  /* the bitmap copied into the TSS */
const uint8_t *tss_io_bitmap = NO_BITMAP; /* the one it grants now */

static uint64_t gdt[8] = {
	0,
	0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0,		    /* 0x18 (32-bit user code: unused) */
	0x00cff2000000ffff, /* 0x20 user data, DPL 3 */
	0x00affa000000ffff, /* 0x28 user code, 64-bit, DPL 3 */
	0,
	0, /* 0x30 TSS (two slots) */
};

void gdt_init(const uint64_t ist_top[4])
{
	uint64_t base = (uint64_t)&tss_block, limit = sizeof(tss_block) - 1;
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };

	for (int i = 1; i < 4; i++)
		tss.ist[i - 1] = ist_top[i];
	tss.iomap_base = IOMAP_NONE;
	tss_block.io_bitmap[IO_BITMAP_BYTES] = 0xff;

	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "i"(SEL_KCODE), "r"(SEL_KDATA),
			   "r"(SEL_TSS)
			 : "rax", "memory");
}

void arch_io_bitmap_changed(void)
{
	loaded_bitmap = NULL;
	tss_io_bitmap = NO_BITMAP;
}

void arch_set_io_bitmap(const uint8_t *bitmap)
{
	tss_io_bitmap = bitmap;
	if (!bitmap) {
		tss.iomap_base = IOMAP_NONE; /* the copy stays for next time */
		return;
	}
	if (bitmap != loaded_bitmap) {
		memcpy(tss_block.io_bitmap, bitmap, IO_BITMAP_BYTES);
		loaded_bitmap = bitmap;
	}
	tss.iomap_base = sizeof(struct tss_hw);
}
