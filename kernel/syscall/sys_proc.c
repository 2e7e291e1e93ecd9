/*
 * proc_ctl: the Unix relations between processes that fork, exec and
 * proc_wait do not cover, kept in the kernel because every one of them is
 * a lookup in its process list: parent, process group, session, signals
 * by pid or group, and waiting for any child (docs/abi.md, "Unix
 * processes"), and the signal operations of object/signal.c.  One system
 * call for all of them keeps the syscall budget.
 */
#include "lib.h"
#include "proc.h"
#include "syscall.h"
#include "vm.h"

/* The process `pid` names for the caller: itself for 0. */
static struct process *target(uint64_t pid)
{
	return pid ? process_find((uint32_t)pid) : current->proc;
}

/* Whether selector `sel` (see abi.h) picks process p. */
static bool selects(int64_t sel, const struct process *p)
{
	if (sel > 0)
		return p->pid == (uint64_t)sel;
	if (sel == 0)
		return p->pgid == current->proc->pgid;
	return sel == -1 || p->pgid == (uint64_t)-sel;
}

static long kill(int64_t sel, uint64_t sig)
{
	struct process *me = current->proc, *p;
	bool found = false, allowed = false, self = false;

	if (sig > SIG_MAX)
		return -EINVAL;
	/* A process that ends here stays on the list (until destroyed, which
	   its own threads' references put off), with list_next kept right. */
	for (p = process_list; p; p = p->list_next) {
		if (p->exiting || !selects(sel, p) ||
		    (sel == -1 && (p == me || p == init_process)))
			continue;
		found = true;
		if (me->uid != 0 && me->uid != p->uid)
			continue;
		allowed = true;
		if (p == me)
			self = true; /* last: it does not return */
		else
			signal_post(p, (int)sig);
	}
	if (self)
		signal_post(me, (int)sig);
	return allowed ? 0 : found ? -EPERM : -ESRCH;
}

/* PC_WAIT: a child `sel` picks that ended (or stopped, with UNTRACED):
   its pid; 0 with NOHANG; -ECHILD for none. */
static long wait_child(int64_t sel, uint64_t flags, uint64_t ustatus)
{
	struct process *me = current->proc;
	long err = 0;

	if (flags & ~(uint64_t)(PC_WAIT_NOHANG | PC_WAIT_UNTRACED))
		return -EINVAL;
	if (ustatus && check_user(ustatus, sizeof(int), true))
		return -EFAULT;
	while (!err) {
		bool any = false;

		for (struct process *c = me->children; c; c = c->sibling) {
			bool stop = (flags & PC_WAIT_UNTRACED) &&
				    c->stop_report && c->stop_sig;
			int st = stop ? 0x7f | c->stop_sig << 8 : c->status;

			if (!selects(sel, c) || c->reaped)
				continue;
			any = true;
			if (!stop && !c->exited)
				continue;
			if (ustatus && copy_to_user(ustatus, &st, sizeof(int)))
				return -EFAULT;
			c->stop_report &= !stop; /* each stop is told once */
			c->reaped = !stop;
			return c->pid;
		}
		if (!any)
			return -ECHILD;
		if (flags & PC_WAIT_NOHANG)
			return 0;
		err = wait_on(&me->child_waiters, 0);
	}
	return err;
}

static long set_pgid(uint64_t pid, uint64_t pgid)
{
	struct process *me = current->proc, *p = target(pid), *q;

	if (!p || (p != me && p->parent != me))
		return -ESRCH;
	if (p->sid != me->sid || p->sid == p->pid)
		return -EPERM; /* another session, or a session leader */
	if (pgid > UINT32_MAX)
		return -EINVAL;
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid) { /* joining a group: it must be in our session */
		for (q = process_list; q; q = q->list_next)
			if (!q->exiting && q->pgid == pgid && q->sid == me->sid)
				break;
		if (!q)
			return -EPERM;
	}
	p->pgid = (uint32_t)pgid;
	return 0;
}

/* PC_PROCINFO: the process with the smallest pid >= pid. */
static long proc_info(uint64_t pid, uint64_t uinfo)
{
	struct process *p, *best = NULL;
	struct proc_info i;

	for (p = process_list; p; p = p->list_next)
		if (p->pid >= pid && (!best || p->pid < best->pid))
			best = p;
	if (!best)
		return -ESRCH;
	i = (struct proc_info){
		.pid = best->pid,
		.pgid = best->pgid,
		.uid = best->uid,
		.nthreads = best->nthreads,
		.ppid = best->parent ? best->parent->pid : 0,
		.state = best->exited	  ? 'Z'
			 : best->stop_sig ? 'T'
					  : 'S',
	};
	for (struct thread *t = best->threads; t; t = t->proc_next)
		if (t->state != THREAD_BLOCKED && i.state == 'S')
			i.state = 'R';
	for (struct vm_area *a = best->areas; a; a = a->next)
		i.pages += (a->end - a->start) / PAGE_SIZE;
	memcpy(i.name, best->name, sizeof(i.name));
	return copy_to_user(uinfo, &i, sizeof(i)) ? -EFAULT : (long)best->pid;
}

long sys_proc_ctl(uint64_t op, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	struct process *me = current->proc, *p;

	(void)d;
	switch (op) {
	case PC_GETPID:
		return me->pid;
	case PC_GETUID:
		return me->uid | (long)me->gid << 32;
	case PC_SETUID: /* only uid 0 may become another user, for good */
		if (me->uid != 0 || a > UINT32_MAX || b > UINT32_MAX)
			return me->uid ? -EPERM : -EINVAL;
		me->uid = (uint32_t)a;
		me->gid = (uint32_t)b;
		return 0;
	case PC_GETPPID:
		return me->parent ? me->parent->pid : 0;
	case PC_GETPGID:
	case PC_GETSID:
		p = target(a);
		if (!p)
			return -ESRCH;
		return op == PC_GETPGID ? p->pgid : p->sid;
	case PC_SETPGID:
		return set_pgid(a, b);
	case PC_SETSID:
		if (me->pgid == me->pid)
			return -EPERM; /* already leads a group */
		me->sid = me->pgid = me->pid;
		return me->sid;
	case PC_NPROC: /* it may lower its limit, not raise it */
		me->nproc_max =
			(uint32_t)MIN(a ? a : UINT32_MAX, me->nproc_max);
		return me->nproc_max;
	case PC_PROCINFO:
		return proc_info(a, c);
	case PC_KILL:
		return kill((int64_t)a, b);
	case PC_WAIT:
		return wait_child((int64_t)a, b, c);
	case PC_SIGACTION:
	case PC_SIGMASK:
	case PC_SIGRETURN:
	case PC_SIGSUSPEND:
	case PC_SIGPENDING:
		return signal_ctl(op, a, b, c);
	}
	return -EINVAL;
}
