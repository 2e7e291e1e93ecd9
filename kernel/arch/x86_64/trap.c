/*
 * Trap entry (from isr.asm) and the exception half of the panic report:
 * exception name, error code, CR2, registers and a symbolized stack trace.
 */
#include "arch.h"
#include "intr.h"
#include "irq.h"
#include "ksym.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"
#include "vm.h"
#include "x86.h"

#define MAX_FRAMES 32

static const char *const exception_names[32] = {
	"divide error (#DE)",
	"debug (#DB)",
	"non-maskable interrupt",
	"breakpoint (#BP)",
	"overflow (#OF)",
	"bound range (#BR)",
	"invalid opcode (#UD)",
	"device not available (#NM)",
	"double fault (#DF)",
	"coprocessor segment overrun",
	"invalid TSS (#TS)",
	"segment not present (#NP)",
	"stack fault (#SS)",
	"general protection (#GP)",
	"page fault (#PF)",
	"reserved 15",
	"x87 floating point (#MF)",
	"alignment check (#AC)",
	"machine check (#MC)",
	"SIMD floating point (#XM)",
	"virtualization (#VE)",
	"control protection (#CP)",
	"reserved 22",
	"reserved 23",
	"reserved 24",
	"reserved 25",
	"reserved 26",
	"reserved 27",
	"hypervisor injection (#HV)",
	"VMM communication (#VC)",
	"security (#SX)",
	"reserved 31",
};

/*
 * A return address may sit just past the end of a function that ends in a
 * call which never returns: look up the byte before it.
 */
static void interrupt_dispatch(struct trap_frame *f);

static void print_address(const char *label, uint64_t addr, bool ret_addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr - ret_addr, &off);

	off += ret_addr;
	if (name)
		klog("%s0x%016lx %s+0x%lx\n", label, addr, name, off);
	else
		klog("%s0x%016lx ?\n", label, addr);
}

/* True when 8 bytes at `va` can be read without faulting. */
static bool readable(uint64_t va)
{
	return IS_ALIGNED(va, 8) && va >= DIRECT_MAP_BASE &&
	       vmm_translate(read_cr3() & PTE_ADDR_MASK, va, NULL, NULL) == 0;
}

void arch_backtrace(uint64_t rbp, uint64_t rip)
{
	klog("stack trace:\n");
	if (rip)
		print_address("  ", rip, false);
	for (int i = 0;
	     i < MAX_FRAMES && rbp && readable(rbp) && readable(rbp + 8); i++) {
		uint64_t *frame = (uint64_t *)rbp;

		if (!frame[1])
			break;
		print_address("  ", frame[1], true);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

static void describe_page_fault(uint64_t err)
{
	klog("cr2 0x%016lx (%s, %s, %s mode%s)\n", read_cr2(),
	     err & 2 ? "write" : (err & 16 ? "instruction fetch" : "read"),
	     err & 1 ? "protection violation" : "page not present",
	     err & 4 ? "user" : "kernel", err & 8 ? ", reserved bit set" : "");
}

static __noreturn void exception_panic(struct trap_frame *f)
{
	if (!panic_begin())
		arch_halt();
	klog("kernel panic: %s, error code 0x%lx\n", exception_names[f->vector],
	     f->error);
	print_address("rip ", f->rip, false);
	if (f->vector == 14)
		describe_page_fault(f->error);
	klog("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx,
	     f->rcx, f->rdx);
	klog("rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", f->rsi, f->rdi,
	     f->rbp, f->rsp);
	klog("r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", f->r8, f->r9,
	     f->r10, f->r11);
	klog("r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", f->r12, f->r13,
	     f->r14, f->r15);
	klog("cs %lx ss %lx rflags %016lx cr3 %016lx\n", f->cs, f->ss,
	     f->rflags, read_cr3());
	arch_backtrace(f->rbp, f->rip);
	panic_end();
}

volatile uint64_t timer_fired;
volatile uint64_t irq_line_count[IRQ_LINES];

/*
 * A fault in user mode ends the process that caused it, with the signal
 * a Unix would send.  The kernel goes on.
 */
static void user_exception(struct trap_frame *f)
{
	uint64_t addr = f->vector == 14 ? read_cr2() : f->rip;
	int sig;

	switch (f->vector) {
	case 0:	 /* divide error */
	case 16: /* x87 */
	case 19: /* SIMD */
		sig = SIG_FPE;
		break;
	case 6: /* invalid opcode */
		sig = SIG_ILL;
		break;
	default: /* page fault, general protection, ... */
		sig = SIG_SEGV;
		break;
	}
	if (!signal_fault(sig))
		process_fault(sig, exception_names[f->vector], addr, f->rip);
}

static bool from_user(const struct trap_frame *f)
{
	return (f->cs & 3) == 3;
}

/*
 * A write to a present, read-only user page (error code P | W), by user
 * code or by the kernel copying to user memory: copy on write, if the
 * page's area is writable (kernel/mm/cow.c).
 */
static bool cow_fault(const struct trap_frame *f)
{
	return f->vector == 14 && (f->error & 3) == 3 && current &&
	       current->proc && uvm_cow_fault(current->proc, read_cr2());
}

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector == 2 || f->vector == 18)
		exception_panic(
			f); /* NMI, machine check: not the process's doing */
	if (cow_fault(f)) {
		if (from_user(f))
			sched_return_to_user();
		return;
	}
	if (f->vector < 32 && from_user(f)) {
		user_exception(f); /* returns only for a caught signal */
		sched_return_to_user();
		return;
	}
	if (f->vector < 32 && arch_fixup_user_access(f))
		return;
	interrupt_dispatch(f);
	if (from_user(f))
		sched_return_to_user();
}

static void interrupt_dispatch(struct trap_frame *f)
{
	static bool reported;
	unsigned vector = f->vector, line = vector - VEC_IRQ_BASE;

	if (vector < 32)
		exception_panic(f);
	if (intr_spurious(vector))
		return;
	if (vector == timer_vector) {
		intr_eoi(vector);
		if (timer_take()) {
			timer_fired++;
			timer_interrupt();
		}
	} else if (line < IRQ_LINES) {
		bool tell = irq_line_take(line);

		intr_eoi(vector);
		if (tell) {
			irq_line_count[line]++;
			irq_line_interrupt(line);
		}
	} else {
		intr_eoi(vector);
		if (!reported)
			klog("kernel: stray interrupt vector %u\n", vector);
		reported = true;
	}
}

void arch_trap_init(void)
{
	uint64_t ist[4] = { 0 };

	for (unsigned i = 1; i < 4; i++)
		ist[i] = static_stack_top(i);
	gdt_init(ist);
	idt_init();
	/* Mask the legacy PICs: nothing is routed yet. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}
