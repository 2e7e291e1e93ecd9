/*
 * Signals (docs/abi.md, "Signals").  A signal is posted to a process:
 * SIGKILL ends it at once; one that is ignored goes; one with its default
 * action and no thread blocking it acts at once (ends the process, stops
 * it, or nothing); the others wait in the process's pending set until a
 * thread that does not block them returns to user mode, which then runs
 * the handler (arch: a struct sig_frame on its stack) or the default
 * action.  Posting a caught signal wakes a thread sleeping in a wait a
 * signal may end, which returns -EINTR.
 */
#include "ipc.h"
#include "lib.h"
#include "proc.h"

#define BIT(sig) (1ULL << (sig))
#define STOPS	 (BIT(SIG_STOP) | BIT(SIG_TSTP) | BIT(SIG_TTIN) | BIT(SIG_TTOU))
#define ALL	 (BIT(SIG_MAX + 1) - 2) /* signals 1..SIG_MAX */
#define DEFAULT_IGNORED                                                        \
	(BIT(SIG_URG) | BIT(SIG_CHLD) | BIT(SIG_WINCH) | BIT(SIG_CONT))

static struct wait_queue suspended; /* threads in PC_SIGSUSPEND */

/* Stops p; its threads park as they next return to user mode. */
static void stop(struct process *p, int sig)
{
	p->stop_sig = sig;
	p->stop_report = true;
	if (p->parent) {
		signal_post(p->parent, SIG_CHLD);
		wait_queue_wake_all(&p->parent->child_waiters, 0);
	}
}

/* The default action of sig (not ignored by default) on p. */
static void act(struct process *p, int sig)
{
	if (BIT(sig) & STOPS)
		stop(p, sig);
	else
		process_exit(p, WAIT_SIGNALED(sig));
}

/* True when every thread of p blocks sig. */
static bool all_block(struct process *p, int sig)
{
	for (struct thread *t = p->threads; t; t = t->proc_next)
		if (!(t->sig_mask & BIT(sig)))
			return false;
	return p->threads != NULL;
}

/* Wakes (-EINTR) a thread of p that does not block sig, if it sleeps. */
static void interrupt(struct process *p, int sig)
{
	for (struct thread *t = p->threads; t; t = t->proc_next) {
		if (t->sig_mask & BIT(sig))
			continue;
		if (t->state != THREAD_BLOCKED || t->fast_out)
			return;
		if (t->wait == WAIT_REPLY && t->call.port)
			ipc_interrupt_call(t);
		else if (t->wait == WAIT_SLEEP ||
			 (t->wait == WAIT_QUEUE && !t->partner))
			sched_wake(t, -EINTR);
		return;
	}
}

void signal_post(struct process *p, int sig)
{
	uint64_t bit = BIT(sig);

	/* init takes no signals (its end would be the system's).  SIGKILL
	   is never caught, ignored or blocked: it acts below, at once. */
	if (sig <= 0 || sig > SIG_MAX || p->exiting || p == init_process)
		return;
	if (sig == SIG_CONT) { /* continues, whatever else it does */
		p->sig_pending &= ~STOPS;
		p->stop_sig = 0;
		wait_queue_wake_all(&p->stopped, 0);
	} else if (bit & STOPS) {
		p->sig_pending &= ~BIT(SIG_CONT);
	}
	if ((p->sig_ignored & bit) ||
	    (!(p->sig_caught & bit) && (bit & DEFAULT_IGNORED)))
		return;
	if (!(p->sig_caught & bit) && !all_block(p, sig)) {
		act(p, sig);
		return;
	}
	p->sig_pending |= bit;
	if (p->sig_caught & bit)
		interrupt(p, sig);
}

bool signal_fault(int sig)
{
	if (!(current->proc->sig_caught & BIT(sig)) ||
	    (current->sig_mask & BIT(sig)))
		return false;
	current->proc->sig_pending |= BIT(sig); /* delivered on the way out */
	return true;
}

void signal_check(void)
{
	struct thread *t = current;
	struct process *p = t->proc;
	uint64_t ready, mask;
	int sig;

	for (;;) {
		while (p->stop_sig && !p->exiting && t->state == THREAD_RUNNING)
			wait_on(&p->stopped, 0);
		ready = p->sig_pending & ~t->sig_mask;
		if (!ready || p->exiting) {
			if (t->sig_suspended) /* nothing ran: sigsuspend ends */
				t->sig_mask = t->sig_saved_mask;
			t->sig_suspended = false;
			return;
		}
		sig = __builtin_ctzll(ready);
		p->sig_pending &= ~BIT(sig);
		if (p->sig_ignored & BIT(sig))
			continue;
		if (!(p->sig_caught & BIT(sig))) { /* made default meanwhile */
			if (!(BIT(sig) & DEFAULT_IGNORED))
				act(p, sig);
			continue;
		}
		mask = t->sig_suspended ? t->sig_saved_mask : t->sig_mask;
		t->sig_suspended = false;
		if (arch_signal_push(t, sig, p->sig_entry, mask)) {
			process_fault(SIG_SEGV, "no room for a signal frame",
				      (uint64_t)sig, 0);
			return;
		}
		t->sig_mask = mask | BIT(sig); /* blocked while it runs */
		return;
	}
}

long signal_ctl(uint64_t op, uint64_t a, uint64_t b, uint64_t c)
{
	struct thread *t = current;
	struct process *p = t->proc;
	uint64_t old, bit = BIT(a & 63);
	long rax;

	switch (op) {
	case PC_SIGACTION:
		if (a == 0 || a > SIG_MAX || a == SIG_KILL || a == SIG_STOP ||
		    c >= USER_MAP_TOP || b > PC_SIG_CATCH ||
		    (b == PC_SIG_CATCH && !c && !p->sig_entry))
			return -EINVAL;
		old = p->sig_caught & bit    ? PC_SIG_CATCH
		      : p->sig_ignored & bit ? PC_SIG_IGNORE
					     : PC_SIG_DEFAULT;
		p->sig_caught &= ~bit;
		p->sig_ignored &= ~bit;
		if (b == PC_SIG_CATCH)
			p->sig_caught |= bit;
		if (b == PC_SIG_IGNORE ||
		    (b == PC_SIG_DEFAULT && (bit & DEFAULT_IGNORED)))
			p->sig_pending &= ~bit;
		if (b == PC_SIG_IGNORE)
			p->sig_ignored |= bit;
		if (c)
			p->sig_entry = c;
		return (long)old;
	case PC_SIGMASK:
		old = t->sig_mask;
		b &= ALL & ~(BIT(SIG_KILL) | BIT(SIG_STOP));
		if (a == PC_SIG_SETMASK)
			t->sig_mask = b;
		else if (a == PC_SIG_BLOCK)
			t->sig_mask |= b;
		else if (a == PC_SIG_UNBLOCK)
			t->sig_mask &= ~b;
		else
			return -EINVAL;
		return (long)old;
	case PC_SIGRETURN:
		if (arch_signal_return(t, a, &old, &rax))
			process_fault(SIG_SEGV, "bad signal frame", a, 0);
		t->sig_mask = old & ALL & ~(BIT(SIG_KILL) | BIT(SIG_STOP));
		return rax;
	case PC_SIGSUSPEND:
		t->sig_saved_mask = t->sig_mask;
		t->sig_suspended = true;
		t->sig_mask = b & ALL & ~(BIT(SIG_KILL) | BIT(SIG_STOP));
		while (!(p->sig_pending & ~t->sig_mask))
			if (wait_on(&suspended, 0) == -EINTR)
				break;
		return -EINTR;
	case PC_SIGPENDING:
		return (long)p->sig_pending;
	}
	return -EINVAL;
}
