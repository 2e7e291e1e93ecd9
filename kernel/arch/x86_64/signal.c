/*
 * The machine side of signals: a struct sig_frame (abi.h) with the
 * interrupted registers and FPU state pushed on the user stack, and taken
 * back, checked, by PC_SIGRETURN.
 */
#include "cpu.h"
#include "lib.h"
#include "proc.h"
#include "x86.h"

#define RED_ZONE    128	    /* the System V ABI's, below rsp */
#define USER_RFLAGS 0xcd5UL /* CF PF AF ZF SF DF OF: what user code sets */
#define MXCSR_AT    24	    /* in the FXSAVE area */
#define MXCSR_OK    0xffbfu /* no reserved bits (nor DAZ) */

_Static_assert(sizeof(((struct sig_frame *)0)->regs) ==
		       sizeof(struct trap_frame),
	       "sig_frame.regs is a trap frame");

int arch_signal_push(struct thread *t, int sig, uint64_t entry, uint64_t mask)
{
	struct trap_frame *f = t->uframe;
	uint64_t sp = (f->rsp - RED_ZONE - sizeof(struct sig_frame)) & ~15UL;
	struct sig_frame sf;

	if (f->rsp < RED_ZONE + sizeof(sf) + PAGE_SIZE)
		return -EFAULT;
	sf.signo = (uint64_t)sig;
	sf.mask = mask;
	memcpy(sf.regs, f, sizeof(*f));
	arch_fpu_save(t->fpu); /* the thread's live state */
	memcpy(sf.fpu, t->fpu, sizeof(sf.fpu));
	if (copy_to_user(sp, &sf, sizeof(sf)))
		return -EFAULT;
	f->rip = entry; /* entry(sig, frame), as if called */
	f->rdi = (uint64_t)sig;
	f->rsi = sp;
	f->rsp = sp - 8;
	f->rflags &= ~(1UL << 10); /* DF clear, as the ABI wants */
	return 0;
}

int arch_signal_return(struct thread *t, uint64_t uframe, uint64_t *mask,
		       long *rax)
{
	struct trap_frame *f = t->uframe;
	struct sig_frame sf;

	if (copy_from_user(&sf, uframe, sizeof(sf)))
		return -EFAULT;
	memcpy(f, sf.regs, sizeof(*f));
	f->cs = SEL_UCODE;
	f->ss = SEL_UDATA;
	f->rflags = (f->rflags & USER_RFLAGS) | (1UL << 9) | (1UL << 1);
	f->vector = 0; /* not SYSCALL_MARK: leave through IRETQ, rcx intact */
	f->error = 0;
	memcpy(t->fpu, sf.fpu, sizeof(sf.fpu));
	*(uint32_t *)(t->fpu + MXCSR_AT) &= MXCSR_OK;
	arch_fpu_restore(t->fpu);
	*mask = sf.mask;
	*rax = (long)f->rax;
	return 0;
}
