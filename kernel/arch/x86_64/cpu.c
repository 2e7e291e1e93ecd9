/* CPU feature discovery and control registers. */
#include "arch.h"
#include "lib.h"
#include "x86.h"

#define PAT_WC	       0x01
#define QEMU_EXIT_PORT 0xf4

static bool has_nx;
static char features[96];

static void add_feature(const char *name)
{
	size_t len = strlen(features);

	ksnprintf(features + len, sizeof(features) - len, "%s%s",
		  len ? " " : "", name);
}

static void write_cr4_bits(uint64_t bits)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= bits;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

void arch_cpu_init(void)
{
	uint32_t r[4], max;
	uint64_t cr0, cr4 = 0;

	cpuid(0, 0, r);
	max = r[0];
	cpuid(0x80000001, 0, r);
	if (r[3] & (1U << 20)) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		has_nx = true;
		add_feature("nx");
	}
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_WP));
	add_feature("wp");

	cpuid(1, 0, r);
	if (r[2] & (1U << 17)) {
		/* PCIDE needs CR3's low 12 bits clear: they are. */
		cr4 |= CR4_PCIDE;
		add_feature("pcid");
	}
	if (r[3] & (1U << 13)) {
		cr4 |= CR4_PGE;
		add_feature("pge");
	}
	if (r[3] & (1U << 16)) {
		/* PAT entry 1 (PWT alone) becomes write-combining. */
		uint64_t pat = rdmsr(MSR_PAT);

		wrmsr(MSR_PAT,
		      (pat & ~(0xffUL << 8)) | ((uint64_t)PAT_WC << 8));
		add_feature("pat");
	}
	if (max >= 7) {
		cpuid(7, 0, r);
		if (r[1] & (1U << 7)) {
			cr4 |= CR4_SMEP;
			add_feature("smep");
		}
		if (r[1] & (1U << 20)) {
			cr4 |= CR4_SMAP;
			add_feature("smap");
		}
		if (r[2] & (1U << 2)) {
			cr4 |= CR4_UMIP;
			add_feature("umip");
		}
	}
	write_cr4_bits(cr4);
}

const char *arch_cpu_features(void)
{
	return features;
}

bool arch_has_pcid(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return cr4 & CR4_PCIDE;
}

bool arch_has_nx(void)
{
	return has_nx;
}

void arch_load_pml4(uint64_t pml4)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4) : "memory");
}

void arch_tlb_flush_page(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

uint64_t arch_frame_pointer(void)
{
	return (uint64_t)__builtin_frame_address(0);
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_qemu_exit(uint8_t code)
{
	__asm__ volatile("outl %0, %1"
			 :
			 : "a"((uint32_t)code), "Nd"((uint16_t)QEMU_EXIT_PORT));
	arch_halt();
}
