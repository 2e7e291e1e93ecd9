/*
 * The scheduler: fixed priorities (higher first), round robin within a
 * priority, a one-shot timer for time slices and deadlines, and an idle
 * thread that halts.  The kernel is not preemptible: a switch happens only
 * when a thread blocks, yields, exits, or on the way back to user mode.
 */
#include "arch.h"
#include "cpu.h"
#include "irq.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"

#define LEVELS	   (PRIO_MAX + 1)
#define QUANTUM_NS 10000000UL /* 10 ms */

struct thread *current;
static struct thread *idle_thread;
static struct {
	struct thread *head, *tail;
} runq[LEVELS];
uint32_t sched_ready_mask; /* bit per level with ready threads */
static struct thread
	*timers; /* blocked threads with a deadline, soonest first */
static struct thread *zombies; /* dead threads whose stacks can go */
static uint64_t quantum_end;
static uint64_t armed_for; /* absolute ns the timer is set for, 0 = off */
static bool need_resched;
bool sched_timer_dirty; /* what update_timer looks at changed */

void sched_make_ready(struct thread *t)
{
	t->state = THREAD_READY;
	t->rq_next = NULL;
	if (runq[t->prio].tail)
		runq[t->prio].tail->rq_next = t;
	else
		runq[t->prio].head = t;
	runq[t->prio].tail = t;
	sched_ready_mask |= 1U << t->prio;
	sched_timer_dirty = true;
	if (current && t->prio > current->prio)
		need_resched = true;
}

static struct thread *runq_pop(void)
{
	unsigned level;
	struct thread *t;

	if (!sched_ready_mask)
		return NULL;
	level = 31 - (unsigned)__builtin_clz(sched_ready_mask);
	t = runq[level].head;
	runq[level].head = t->rq_next;
	if (!runq[level].head) {
		runq[level].tail = NULL;
		sched_ready_mask &= ~(1U << level);
		sched_timer_dirty = true;
	}
	t->rq_next = NULL;
	return t;
}

/* Takes a ready thread off its run queue (when it is killed). */
void sched_unready(struct thread *t)
{
	struct thread **pp = &runq[t->prio].head, *prev = NULL;

	for (; *pp; prev = *pp, pp = &(*pp)->rq_next) {
		if (*pp != t)
			continue;
		*pp = t->rq_next;
		if (runq[t->prio].tail == t)
			runq[t->prio].tail = prev;
		if (!runq[t->prio].head)
			sched_ready_mask &= ~(1U << t->prio);
		sched_timer_dirty = true;
		t->rq_next = NULL;
		return;
	}
}

/* ---- deadlines ---- */

uint64_t deadline_after(uint64_t timeout_ns)
{
	uint64_t now;

	if (timeout_ns == IPC_FOREVER)
		return 0;
	now = arch_clock_ns();
	return now + timeout_ns < now ? 0 : MAX(now + timeout_ns, 1UL);
}

static void timer_insert(struct thread *t)
{
	struct thread **pp = &timers;

	while (*pp && (*pp)->deadline <= t->deadline)
		pp = &(*pp)->timer_next;
	t->timer_next = *pp;
	*pp = t;
	sched_timer_dirty = true;
}

static void timer_remove(struct thread *t)
{
	for (struct thread **pp = &timers; *pp; pp = &(*pp)->timer_next) {
		if (*pp == t) {
			*pp = t->timer_next;
			sched_timer_dirty = true;
			t->timer_next = NULL;
			return;
		}
	}
}

/* Sets the one-shot timer for the next deadline or the end of the slice. */
void sched_rearm_timer(void)
{
	uint64_t want, now;

	sched_timer_dirty = false;
	want = timers ? timers->deadline : 0;
	if (current && current != idle_thread &&
	    (sched_ready_mask >> current->prio))
		want = want ? MIN(want, quantum_end) : quantum_end;
	if (want == armed_for)
		return;
	armed_for = want;
	if (!want) {
		arch_timer_cancel();
		return;
	}
	now = arch_clock_ns();
	arch_timer_arm(want > now ? want - now : 1);
}

/* The same, only when something it looks at changed (the common case). */
static inline void update_timer(void)
{
	if (sched_timer_dirty)
		sched_rearm_timer();
}

void timer_interrupt(void)
{
	uint64_t now = arch_clock_ns();

	armed_for = 0;
	sched_timer_dirty = true;
	while (timers && timers->deadline <= now)
		sched_wake(timers, -ETIMEDOUT);
	if (current && current != idle_thread && now >= quantum_end &&
	    (sched_ready_mask >> current->prio))
		need_resched = true;
	update_timer();
}

/* ---- blocking and waking ---- */

/* Marks the current thread blocked on `kind` until `deadline`. */
static void block_current(enum wait_kind kind, uint64_t deadline)
{
	struct thread *t = current;

	t->state = THREAD_BLOCKED;
	t->wait = kind;
	t->deadline = deadline;
	t->wake_result = 0;
	if (deadline)
		timer_insert(t);
}

long sched_block(enum wait_kind kind, uint64_t deadline)
{
	block_current(kind, deadline);
	schedule();
	return current->wake_result;
}

void sched_wake(struct thread *t, long result)
{
	if (t->state != THREAD_BLOCKED)
		return;
	sched_cancel_wait(t);
	t->wake_result = result;
	sched_make_ready(t);
}

/* Undoes the generic part of a wait (timer, queue) of a thread being killed. */
void sched_cancel_wait(struct thread *t)
{
	if (t->deadline) {
		timer_remove(t);
		t->deadline = 0;
	}
	if (t->wait == WAIT_QUEUE && t->queue)
		wait_queue_remove(t->queue, t);
	t->wait = WAIT_NONE;
}

long wait_on(struct wait_queue *q, uint64_t deadline)
{
	wait_queue_push(q, current);
	return sched_block(WAIT_QUEUE, deadline);
}

/* ---- switching ---- */

void sched_add_zombie(struct thread *t)
{
	t->rq_next = zombies;
	zombies = t;
}

static void reap(void)
{
	while (zombies) {
		struct thread *t = zombies;

		zombies = t->rq_next;
		thread_reap(t);
	}
}

/*
 * Everything of a switch from `prev` to `next` but the change of stacks:
 * FPU state, address space (only between processes), I/O port grants,
 * kernel stack, and the timer when the priority changes.
 */
static inline void switch_prepare(struct thread *prev, struct thread *next)
{
	struct process *p = next->proc;

	if (prev->proc && prev->state != THREAD_DEAD)
		arch_fpu_save(prev->fpu);
	if (p) {
		if (p != prev->proc) {
			arch_switch_space(p->pml4, p->pcid, p->pcid_fresh);
			p->pcid_fresh = false;
		}
		/* Also between threads of one process: grants change. */
		if (unlikely(p->handles.io_changed))
			process_update_io(p);
		arch_load_io_bitmap(p->io_bitmap);
		arch_fpu_restore(next->fpu);
	}
	arch_set_kernel_stack(next->kstack_top);
	next->state = THREAD_RUNNING;
	current = next;
	if (next->prio != prev->prio || next->kernel_only || prev->kernel_only)
		sched_timer_dirty = true;
	/* Now, not after the switch: a new thread starts in user mode. */
	update_timer();
}

void sched_switch_to(struct thread *next)
{
	struct thread *prev = current;

	if (next == prev) {
		next->state = THREAD_RUNNING;
		return;
	}
	switch_prepare(prev, next);
	arch_switch(&prev->ksp, next->ksp);
	/* Back in `prev`, some time later. */
}

void schedule(void)
{
	struct thread *next = runq_pop();

	need_resched = false;
	if (!next) {
		if (current->state == THREAD_RUNNING)
			return;
		next = idle_thread;
	}
	/* A new time slice; direct switches (the IPC fastpath) share one. */
	quantum_end = arch_clock_ns() + QUANTUM_NS;
	sched_timer_dirty = true;
	sched_switch_to(next);
	reap();
}

/* ---- direct switches, for the IPC fastpath ---- */

void sched_wake_off_queue(struct thread *t, long result)
{
	sched_cancel_wait(t);
	t->wake_result = result;
	t->state = THREAD_READY;
}

long sched_block_to(enum wait_kind kind, uint64_t deadline, struct thread *next)
{
	block_current(kind, deadline);
	sched_switch_to(next);
	return current->wake_result;
}

void sched_resume(void)
{
	arch_jump(current->ksp);
}

void sched_yield(void)
{
	sched_make_ready(current);
	schedule();
}

void sched_return_to_user(void)
{
	/* The common case in one test: nothing to do. */
	if (likely(!zombies && !need_resched && !sched_timer_dirty &&
		   current->state == THREAD_RUNNING &&
		   !current->proc->handles.io_changed &&
		   !(current->proc->sig_pending | current->proc->stop_sig)))
		return;
	reap();
	/* An I/O port grant came or went: it takes effect before user mode. */
	if (current->proc && current->proc->handles.io_changed)
		process_update_io(current->proc);
	if (current->state != THREAD_RUNNING) {
		schedule();
	} else if (need_resched) {
		sched_make_ready(current);
		schedule();
	} else {
		update_timer(); /* a thread woken meanwhile may share our slice
				 */
	}
	if (current->proc->sig_pending | current->proc->stop_sig)
		signal_check();
}

static void idle_loop(void)
{
	for (;;) {
		reap();
		if (sched_ready_mask) {
			current->state = THREAD_READY;
			schedule();
			continue;
		}
		arch_wait_for_interrupt();
	}
}

void sched_init(void)
{
	idle_thread = thread_create_idle(idle_loop);
	if (!idle_thread)
		panic("sched: no memory for the idle thread");
	idle_thread->prio = 0;
}

void sched_start(void)
{
	static uint64_t boot_ksp; /* the boot stack is never resumed */

	current = idle_thread;
	idle_thread->state = THREAD_RUNNING;
	arch_set_kernel_stack(idle_thread->kstack_top);
	arch_switch(&boot_ksp, idle_thread->ksp);
	panic("sched: the boot stack was resumed");
}
