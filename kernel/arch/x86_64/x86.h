/* x86_64 helpers shared by the files in kernel/arch/x86_64/ only. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include "types.h"

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2b
#define SEL_TSS	  0x30

#define IST_DOUBLE_FAULT  1
#define IST_NMI		  2
#define IST_MACHINE_CHECK 3

#define MSR_EFER 0xc0000080
#define MSR_PAT	 0x00000277
#define EFER_NXE (1UL << 11)

#define CR0_WP	  (1UL << 16)
#define CR4_PGE	  (1UL << 7)
#define CR4_UMIP  (1UL << 11)
#define CR4_SMEP  (1UL << 20)
#define CR4_SMAP  (1UL << 21)
#define CR4_PCIDE (1UL << 17)

/* Registers as isr.asm saves them; the CPU's part is at the end. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* gdt.c: sets up the GDT and TSS; ist_top[i] is the top of IST stack i. */
void gdt_init(const uint64_t ist_top[4]);
/* user.c: true when a fault in a user copy was turned into -EFAULT. */
bool arch_fixup_user_access(struct trap_frame *f);
/* idt.c */
void idt_init(void);
/* trap.c: called by isr.asm for every vector. */
void trap_dispatch(struct trap_frame *f);

#endif
