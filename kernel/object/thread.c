/* Threads: creation, death and reaping. */
#include "arch.h"
#include "cpu.h"
#include "ipc.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"

static uint64_t live_threads;

static struct thread *thread_alloc(void)
{
	struct thread *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	if (!t->kstack_top) {
		kfree(t);
		return NULL;
	}
	kobj_init(&t->obj, OBJ_THREAD);
	live_threads++;
	return t;
}

struct thread *thread_create(struct process *p, uint64_t rip, uint64_t rsp,
			     const uint64_t args[5])
{
	struct thread *t = thread_alloc();

	if (!t)
		return NULL;
	t->ksp =
		arch_stack_init_user(t->kstack_top, rip, rsp, args, &t->uframe);
	arch_fpu_init_state(t->fpu);
	t->proc = p;
	t->prio = p->prio;
	t->state = THREAD_BLOCKED; /* until sched_make_ready */
	kobj_get(&p->obj);
	t->proc_next = p->threads;
	p->threads = t;
	p->nthreads++;
	return t;
}

struct thread *thread_create_idle(void (*fn)(void))
{
	struct thread *t = thread_alloc();

	if (!t)
		return NULL;
	t->ksp = arch_stack_init_kernel(t->kstack_top, fn);
	t->kernel_only = true;
	return t;
}

void thread_kill(struct thread *t)
{
	switch (t->state) {
	case THREAD_DEAD:
		return;
	case THREAD_READY:
		sched_unready(t);
		break;
	case THREAD_BLOCKED:
		sched_cancel_wait(t);
		break;
	case THREAD_RUNNING:
		break;
	}
	ipc_cancel_thread(t);
	if (t->held) {
		kobj_put(t->held);
		t->held = NULL;
	}
	t->state = THREAD_DEAD;
	sched_add_zombie(t);
}

void thread_reap(struct thread *t)
{
	struct process *p = t->proc;
	struct thread **pp;

	kstack_free(t->kstack_top);
	t->kstack_top = 0;
	for (pp = &p->threads; *pp; pp = &(*pp)->proc_next) {
		if (*pp == t) {
			*pp = t->proc_next;
			break;
		}
	}
	p->nthreads--;
	t->proc = NULL;
	kobj_put(&t->obj); /* the process list's reference */
	kobj_put(&p->obj); /* the thread's reference to its process */
}

void thread_destroy(struct thread *t)
{
	live_threads--;
	kfree(t);
}

uint64_t thread_count(void)
{
	return live_threads;
}
