/*
 * Signals on the kernel's (docs/abi.md, "Signals"): sigaction tells the
 * kernel a signal is caught, ignored or default; a caught one enters
 * `entry` below on the thread's stack with a struct sig_frame, which runs
 * the handler and returns through PC_SIGRETURN.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include "posix.h"

static struct sigaction actions[NSIG];

static void entry(int sig, struct sig_frame *frame)
{
	struct sigaction *a = &actions[sig];
	_sig_func_ptr handler = a->sa_handler;

	if (a->sa_mask)
		sys_proc_ctl(PC_SIGMASK, PC_SIG_BLOCK, a->sa_mask, 0, 0);
	if (a->sa_flags & SA_NODEFER)
		sys_proc_ctl(PC_SIGMASK, PC_SIG_UNBLOCK, 1ULL << sig, 0, 0);
	if (a->sa_flags & SA_RESETHAND) {
		a->sa_handler = SIG_DFL;
		sys_proc_ctl(PC_SIGACTION, (uint64_t)sig, PC_SIG_DEFAULT, 0, 0);
	}
	if (handler != SIG_DFL && handler != SIG_IGN)
		handler(sig);
	sys_proc_ctl(PC_SIGRETURN, (uint64_t)(uintptr_t)frame, 0, 0, 0);
	__builtin_trap(); /* a bad frame ends the process first */
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	uint64_t how;
	long r;

	if (sig <= 0 || sig >= NSIG)
		return (int)__posix_ret(-EINVAL);
	if (old)
		*old = actions[sig];
	if (!act)
		return 0;
	how = act->sa_handler == SIG_DFL   ? PC_SIG_DEFAULT
	      : act->sa_handler == SIG_IGN ? PC_SIG_IGNORE
					   : PC_SIG_CATCH;
	r = sys_proc_ctl(PC_SIGACTION, (uint64_t)sig, how,
			 (uint64_t)(uintptr_t)entry, 0);
	if (r < 0)
		return (int)__posix_ret(r); /* SIGKILL, SIGSTOP */
	actions[sig] = *act;
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction a = { .sa_handler = handler }, old = { 0 };

	if (sigaction(sig, &a, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int raise(int sig)
{
	return kill(getpid(), sig); /* a handler runs before this returns */
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp <= 1)
		return (int)__posix_ret(-EINVAL);
	return kill(-pgrp, sig);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	long r;

	if (!set) { /* only asks */
		r = sys_proc_ctl(PC_SIGMASK, PC_SIG_BLOCK, 0, 0, 0);
	} else {
		if (how != SIG_SETMASK && how != SIG_BLOCK &&
		    how != SIG_UNBLOCK)
			return (int)__posix_ret(-EINVAL);
		r = sys_proc_ctl(PC_SIGMASK, (uint64_t)how, *set, 0, 0);
	}
	if (r < 0)
		return (int)__posix_ret(r);
	if (old)
		*old = (sigset_t)r;
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) < 0 ? errno : 0;
}

int sigpending(sigset_t *set)
{
	long r = sys_proc_ctl(PC_SIGPENDING, 0, 0, 0, 0);

	if (r < 0)
		return (int)__posix_ret(r);
	*set = (sigset_t)r;
	return 0;
}

int sigsuspend(const sigset_t *mask)
{
	return (int)__posix_ret(sys_proc_ctl(PC_SIGSUSPEND, 0, *mask, 0, 0));
}

int pause(void)
{
	sigset_t now = 0;

	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigsuspend(&now);
}
