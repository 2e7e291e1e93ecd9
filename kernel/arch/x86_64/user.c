/*
 * User mode: SYSCALL/SYSRET set-up, the per-CPU block that syscall.asm
 * reaches through GS, kernel stacks in the TSS, FPU state, address-space
 * switches with PCIDs, and checked user-memory copies.
 */
#include "arch.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "ipc.h"
#include "proc.h"
#include <valence/syscall.h>
#include "x86.h"

#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_SFMASK	   0xc0000084
#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE	   (1UL << 0)
#define RFLAGS_IF	   (1UL << 9)
#define RFLAGS_TF	   (1UL << 8)
#define RFLAGS_DF	   (1UL << 10)
#define RFLAGS_AC	   (1UL << 18)
#define RFLAGS_NT	   (1UL << 14)
#define RFLAGS_USER	   (RFLAGS_IF | (1UL << 1))
#define CR0_MP		   (1UL << 1)
#define CR0_EM		   (1UL << 2)
#define CR0_TS		   (1UL << 3)
#define CR4_OSFXSR	   (1UL << 9)
#define CR4_OSXMMEXCPT	   (1UL << 10)
#define SYSCALL_MARK	   0x100

_Static_assert(offsetof(struct cpu_local, kernel_rsp) == 8, "syscall.asm");
_Static_assert(offsetof(struct cpu_local, user_rsp) == 16, "syscall.asm");

struct cpu_local cpu0;
bool cpu_pcid;

extern void syscall_entry(void);
extern void trap_return(void);
extern void thread_enter_kernel(void);
extern char usercopy_start[], usercopy_end[], usercopy_fault[];
extern bool usercopy_smap; /* usercopy.asm: the CPU has SMAP */
long syscall_invoke(uint64_t nr, const uint64_t args[6]);
void sched_return_to_user(void);

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

void arch_user_init(void)
{
	uint64_t cr0;

	cpu0.self = (uint64_t)&cpu0;
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSRET to user: CS = 0x18 + 16, SS = 0x18 + 8, both with RPL 3. */
	wrmsr(MSR_STAR,
	      ((uint64_t)(0x18 | 3) << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* NT too: IRETQ with it set faults in ring 0. */
	wrmsr(MSR_SFMASK,
	      RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);

	/* SSE for user code: the kernel itself never touches the FPU. */
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 | CR0_MP) & ~(CR0_EM | CR0_TS);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	__asm__ volatile("mov %0, %%cr4"
			 :
			 : "r"(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT));

	usercopy_smap = read_cr4() & CR4_SMAP;
	cpu_pcid = read_cr4() & CR4_PCIDE;
}

void arch_user_frame_reset(struct trap_frame *f, uint64_t rip, uint64_t rsp,
			   const uint64_t args[5])
{
	memset(f, 0, sizeof(*f));
	f->rip = rip;
	f->cs = SEL_UCODE;
	f->rflags = RFLAGS_USER;
	f->rsp = rsp;
	f->ss = SEL_UDATA;
	f->rdi = args[0];
	f->rsi = args[1];
	f->rdx = args[2];
	f->r8 = args[3]; /* not rcx: sysret takes rip from there */
	f->r9 = args[4];
	f->vector = SYSCALL_MARK;
}

void arch_user_frame_fork(struct trap_frame *child,
			  const struct trap_frame *parent)
{
	*child = *parent;
	child->rax = 0; /* fork() returns 0 in the child */
}

uint64_t arch_stack_init_user(uint64_t kstack_top, uint64_t rip, uint64_t rsp,
			      const uint64_t args[5], struct trap_frame **frame)
{
	struct trap_frame *f = (struct trap_frame *)(kstack_top - sizeof(*f));
	uint64_t *sp = (uint64_t *)f;

	arch_user_frame_reset(f, rip, rsp, args);
	*frame = f;
	/* What arch_switch pops: return address, then six saved registers. */
	*--sp = (uint64_t)trap_return;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	return (uint64_t)sp;
}

uint64_t arch_stack_init_kernel(uint64_t kstack_top, void (*fn)(void))
{
	uint64_t *sp = (uint64_t *)(kstack_top - 16);

	*--sp = (uint64_t)thread_enter_kernel;
	*--sp = 0;	      /* rbx */
	*--sp = 0;	      /* rbp */
	*--sp = (uint64_t)fn; /* r12 */
	*--sp = 0;	      /* r13 */
	*--sp = 0;	      /* r14 */
	*--sp = 0;	      /* r15 */
	return (uint64_t)sp;
}

void arch_fpu_init_state(uint8_t *area)
{
	memset(area, 0, FPU_STATE_SIZE);
	area[0] = 0x7f; /* FCW: all x87 exceptions masked */
	area[1] = 0x03;
	area[24] = 0x80; /* MXCSR 0x1f80: all SSE exceptions masked */
	area[25] = 0x1f;
}

bool arch_fixup_user_access(struct trap_frame *f)
{
	if (f->vector != 14 || f->rip < (uint64_t)usercopy_start ||
	    f->rip >= (uint64_t)usercopy_end)
		return false;
	f->rip = (uint64_t)usercopy_fault;
	f->rflags &= ~RFLAGS_AC;
	return true;
}

static bool canonical_user(uint64_t va)
{
	return va < USER_SPACE_TOP;
}

/*
 * The way back to user mode of every system call.  Returns 1 when the
 * frame can go back with SYSRET (user code segment, canonical user rip),
 * 0 to use IRETQ.
 */
static uint64_t syscall_leave(struct trap_frame *f)
{
	sched_return_to_user();
	/*
	 * Neither SYSRET nor IRETQ may return to a non-canonical rip: both
	 * fault in ring 0 on some CPUs.  No mapping allows it; be sure.
	 */
	if (!canonical_user(f->rip))
		process_fault(SIG_SEGV, "return to a bad address", f->rip,
			      f->rip);
	/* A frame a signal return restored goes back whole, with IRETQ. */
	return f->cs == SEL_UCODE && f->ss == SEL_UDATA &&
	       f->vector == SYSCALL_MARK;
}

/* Called by syscall.asm for every system call but the fastpath's. */
uint64_t syscall_dispatch(struct trap_frame *f)
{
	uint64_t args[6] = { f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9 };

	f->rax = (uint64_t)syscall_invoke(f->rax, args);
	return syscall_leave(f);
}

/* syscall.asm knows these numbers. */
_Static_assert(SYS_ipc_call == 6 && SYS_ipc_reply_recv == 9,
	       "syscall.asm fastpath numbers");
_Static_assert(offsetof(struct trap_frame, rax) == 14 * 8, "syscall.asm");

/*
 * A thread that the syscall fastpath blocked was woken by the ordinary
 * path and runs again: its system call, still named in f->rax, ends here.
 */
uint64_t syscall_resume(struct trap_frame *f)
{
	if (f->rax == SYS_ipc_call)
		f->rax = (uint64_t)ipc_fastpath_call_done(f->rsi);
	else
		f->rax = (uint64_t)ipc_fastpath_recv_done(f->r8, f->r9);
	return syscall_leave(f);
}
