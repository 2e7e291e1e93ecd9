/*
 * Threads, processes and the scheduler (kernel/object/thread.c,
 * kernel/object/process.c, kernel/sched/sched.c).
 *
 * The kernel is not preemptible: interrupts are off whenever the CPU is in
 * the kernel, except in the idle loop.  A thread that must wait calls
 * sched_block(), which runs another thread and returns when someone calls
 * sched_wake() on it (or its deadline passes).
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "cpu.h"
#include "object.h"

struct process;
struct port;
struct trap_frame;

enum thread_state {
	THREAD_READY, /* on a run queue */
	THREAD_RUNNING,
	THREAD_BLOCKED,
	THREAD_DEAD, /* waiting to be reaped */
};

/* What a blocked thread waits on, so that kill and timeouts can undo it. */
enum wait_kind {
	WAIT_NONE,
	WAIT_SLEEP,
	WAIT_QUEUE, /* on a struct wait_queue */
	WAIT_REPLY, /* in ipc_call, for the server's reply */
};

struct thread;

/* A FIFO of blocked threads. */
struct wait_queue {
	struct thread *head, *tail;
};

/* A call in flight (caller side) and the reply it gets. */
struct ipc_call_state {
	struct ipc_msg msg;		  /* the request, then the reply */
	struct handle moved[IPC_HANDLES]; /* handles travelling with it */
	struct ipc_buffers bufs;
	uint64_t badge;
	struct port *port;	 /* holds a reference while the call lasts */
	struct thread *receiver; /* handed to this receiver, not yet taken */
	struct process *server;	 /* whose reply table holds it */
	uint32_t reply_slot;
	bool replied; /* msg and moved[] now hold the reply */
};

struct thread {
	struct kobj obj;
	struct process *proc;
	enum thread_state state;
	uint8_t prio;
	bool kernel_only; /* the idle thread */
	uint64_t ksp;	  /* saved by arch_switch */
	uint64_t kstack_top;
	struct trap_frame *uframe; /* user registers, at the stack top */

	struct thread *rq_next;	  /* run queue */
	struct thread *proc_next; /* the process's thread list */

	enum wait_kind wait;
	struct wait_queue *queue; /* for WAIT_QUEUE */
	struct thread *wq_next, *wq_prev;
	uint64_t deadline; /* 0 = none; else clock ns */
	struct thread *timer_next;
	long wake_result; /* what sched_block returns */

	/* An object this blocked thread waits on, kept alive by a reference
	 * that thread_kill drops if the thread never wakes. */
	struct kobj *held;

	/* IPC: set by a sender that handed itself to this receiver. */
	struct thread *partner;
	/*
	 * Set while the thread is blocked by the syscall fastpath (its kernel
	 * context dropped): the user address its result goes to, the reply
	 * message of ipc_call or the received record of ipc_reply_recv, so
	 * that the other side's fastpath can finish its system call.  0
	 * otherwise.
	 */
	uint64_t fast_out;
	struct ipc_call_state call;
	uint64_t futex_addr;
	uint64_t sig_mask;	 /* signals this thread blocks */
	uint64_t sig_saved_mask; /* its mask before PC_SIGSUSPEND */
	bool sig_suspended;

	uint8_t fpu[512] __attribute__((aligned(16)));
};

struct vm_area;
struct reply_slot;

struct process {
	struct kobj obj;
	uint32_t pid, uid, gid;
	char name[32];
	uint64_t pml4;
	uint16_t pcid;	 /* 0 when the CPU has no PCIDs */
	bool pcid_fresh; /* its TLB tag must be flushed on first use */
	struct handle_table handles;
	struct thread *threads;
	uint32_t nthreads;
	uint8_t prio;	    /* of new threads, and the most it can grant */
	uint32_t nproc_max; /* it may not create a process beyond this many */
	bool exiting;
	bool exited;
	int status; /* wait status once exited */
	struct wait_queue exit_waiters;
	struct vm_area *areas;	    /* sorted by address */
	struct reply_slot *replies; /* calls this process received */
	uint32_t reply_capacity;
	uint32_t reply_seq;
	uint8_t *io_bitmap;	   /* NULL: no I/O ports */
	struct process *list_next; /* every process not yet destroyed */

	/* Unix relations (sys_proc.c).  A process on its parent's children
	   list stays there until destroyed; its children go to init when
	   it exits, so `parent` never dangles. */
	struct process *parent;
	struct process *children, *sibling;
	uint32_t pgid, sid;
	bool reaped;			 /* an exit reported by a wait */
	struct wait_queue child_waiters; /* threads waiting for a child */

	/* Signals (object/signal.c); bit 1 << sig. */
	uint64_t sig_pending, sig_caught, sig_ignored;
	uint64_t sig_entry;	   /* where caught signals enter */
	int stop_sig;		   /* stopped by it; 0: running */
	bool stop_report;	   /* a stop not yet reported to a wait */
	struct wait_queue stopped; /* its threads, parked while stopped */
};

/* ---- scheduler (sched/sched.c) ---- */

extern struct thread *current;

void sched_init(void);
/* Puts a new or woken thread on its run queue. */
void sched_make_ready(struct thread *t);
/*
 * Blocks the current thread (state and wait kind already set by the
 * caller) until sched_wake() or the deadline (clock ns, 0 = none).
 * Returns the wake result; -ETIMEDOUT when the deadline passed.
 */
long sched_block(enum wait_kind kind, uint64_t deadline);
/* Wakes a blocked thread with `result`; no-op if it is not blocked. */
void sched_wake(struct thread *t, long result);
/* Takes a ready thread off its run queue; undoes a blocked one's wait. */
void sched_unready(struct thread *t);
void sched_cancel_wait(struct thread *t);
/* Queues a dead thread for thread_reap once we are off its stack. */
void sched_add_zombie(struct thread *t);
/* Runs another thread of the same or higher priority, if any. */
void sched_yield(void);
/* Picks the next thread and switches to it (the current one stays as set). */
void schedule(void);
/* Switches straight to `t` (IPC fastpath), which must be ready to run. */
void sched_switch_to(struct thread *t);
/*
 * The IPC fastpath's three steps.  sched_may_run_now: `t` may run at once
 * without overtaking a more urgent thread.  sched_wake_off_queue: wakes a
 * blocked thread but keeps it off the run queue; the caller must then
 * switch to it with sched_block_to or queue it with sched_make_ready.
 * sched_block_to: blocks the current thread and switches to `next`.
 */
extern uint32_t sched_ready_mask; /* a bit per priority with ready threads */

static inline bool sched_may_run_now(const struct thread *t)
{
	return !((uint64_t)sched_ready_mask >> (t->prio + 1)) &&
	       t->prio >= current->prio;
}
void sched_wake_off_queue(struct thread *t, long result);
long sched_block_to(enum wait_kind kind, uint64_t deadline,
		    struct thread *next);
/*
 * The syscall fastpath's switch (ipc/fastpath.c).  sched_block_switch
 * blocks the current thread (no deadline) without keeping its kernel
 * context, and makes `next` (blocked in a system call and taken off
 * every queue by the caller) the current thread: FPU state, address
 * space, kernel stack and I/O bitmap are `next`'s on return, though the
 * caller still runs on the old thread's kernel stack.  The caller then
 * either finishes `next`'s system call and leaves to user mode on its
 * frame, or calls sched_resume, which resumes `next`'s saved kernel
 * context.  The blocked thread, when woken later, finishes its system
 * call afresh from its user frame: see syscall_resume (arch).
 */
static inline void sched_block_switch(enum wait_kind kind, struct thread *next);
__noreturn void sched_resume(void);
/* Called on the way back to user mode: reap the dead, preempt if due. */
void sched_return_to_user(void);
/* Enters the first thread; never returns. */
__noreturn void sched_start(void);

/* Deadline helpers: ns from now to an absolute deadline (0 stays 0). */
uint64_t deadline_after(uint64_t timeout_ns);

void wait_queue_push(struct wait_queue *q, struct thread *t);
void wait_queue_push_front(struct wait_queue *q, struct thread *t);
void wait_queue_remove(struct wait_queue *q, struct thread *t);
struct thread *wait_queue_pop(struct wait_queue *q);
/* Wakes every thread on q with `result`. */
void wait_queue_wake_all(struct wait_queue *q, long result);
/* Blocks the current thread on `q`.  Returns the wake result. */
long wait_on(struct wait_queue *q, uint64_t deadline);
/*
 * A system call that may block on an object's queue keeps the object alive
 * from hold_object() to drop_held(), through current->held, which
 * thread_kill drops if the thread dies blocked.
 */
void hold_object(struct kobj *o);
void drop_held(void);

/* ---- threads (object/thread.c) ---- */

/*
 * Creates a thread of `p` that will enter user mode at `rip` with `rsp`
 * and rdi/rsi/rdx/r8/r9 = args[0..4].  Returns it (one reference, for the
 * caller) or NULL when out of memory.  It is not yet runnable.
 */
struct thread *thread_create(struct process *p, uint64_t rip, uint64_t rsp,
			     const uint64_t args[5]);
/* Creates the idle thread (kernel only). */
struct thread *thread_create_idle(void (*fn)(void));
/* Ends thread `t` (any state): undoes its wait, marks it dead. */
void thread_kill(struct thread *t);
/* Frees a dead thread's stack (called by the scheduler off that stack). */
void thread_reap(struct thread *t);
void thread_destroy(struct thread *t);
uint64_t thread_count(void);

/* ---- processes (object/process.c) ---- */

struct process *process_create(const char *name, struct process *parent);
/* Ends `p` with wait status `status`: kills its threads, frees its memory
 * and handles, wakes waiters.  The current thread may belong to `p`. */
void process_exit(struct process *p, int status);
void process_destroy(struct process *p);
uint64_t process_count(void);
/* Rebuilds the I/O bitmap from the process's ioport handles. */
void process_update_io(struct process *p);
/* Logs why a process dies of a fault and ends it (SIGSEGV and such). */
void process_fault(int signal, const char *what, uint64_t addr, uint64_t rip);

/*
 * Loads an ELF image from kernel memory into a new process and starts it
 * with `handles` (moved in as handles 0..n-1) and an argument block, of
 * which the first `argc` strings are argv (passed on in r8, with the pid
 * in r9; see struct spawn_args).
 * Returns the process (one reference) or an ERR_PTR-style NULL with *err.
 */
struct process *process_spawn(const void *image, size_t len, const char *name,
			      struct process *parent, struct handle *handles,
			      unsigned nhandles, const char *args,
			      size_t args_len, uint32_t argc, uint8_t prio,
			      int *err);

/* ---- signals (object/signal.c) ---- */

/* Posts sig (1..SIG_MAX) to p, with its effect as docs/abi.md says. */
void signal_post(struct process *p, int sig);
/* A fault in user mode raised sig: true when a handler will take it. */
bool signal_fault(int sig);
/* On the way to user mode, when the process has signals pending or is
   stopped: parks while stopped, runs one handler or default action. */
void signal_check(void);
/* The PC_SIG* operations of proc_ctl. */
long signal_ctl(uint64_t op, uint64_t a, uint64_t b, uint64_t c);

/* The process with `pid` that has not exited, or NULL. */
struct process *process_find(uint32_t pid);
/* The first of every process (then list_next), init (pid 1). */
extern struct process *process_list, *init_process;

/*
 * A copy of `parent` made by its current thread: copy-on-write memory,
 * every handle at the same number, and one thread that returns from the
 * same system call with 0.  Returns it (one reference) or NULL with *err.
 */
struct process *process_fork(struct process *parent, int *err);
/*
 * Replaces the calling process's program (p is current's) with the ELF
 * image, keeping its pid and handles; argv and environment as for
 * spawn.  Returns 0 (the thread then starts the new program), or an
 * error with the old program intact: -ENOEXEC, -EINVAL.  Its other
 * threads end.  Past the point of no return a failure returns
 * PROC_EXEC_LOST, and the caller must end the process (after freeing
 * what it holds: process_exit does not return).
 */
int process_exec(struct process *p, const void *image, size_t len,
		 const char *args, size_t args_len, uint32_t argc);
#define PROC_EXEC_LOST 1 /* process_exec: the old program is gone */

/* ---- the fastpath's switch (declared above), inline ---- */

extern bool sched_timer_dirty; /* the timer must be set again */
void sched_rearm_timer(void);

static inline void sched_block_switch(enum wait_kind kind, struct thread *next)
{
	struct thread *prev = current;
	struct process *p = next->proc;

	/* Both are user threads; prev runs, so it has no deadline. */
	prev->state = THREAD_BLOCKED;
	prev->wait = kind;
	prev->wake_result = 0;
	/* Nothing on this stack is needed again: prev resumes afresh. */
	prev->ksp = arch_syscall_resume_ksp();
	arch_fpu_save(prev->fpu);
	if (p != prev->proc) {
		arch_switch_space(p->pml4, p->pcid, p->pcid_fresh);
		p->pcid_fresh = false;
	}
	if (unlikely(p->handles.io_changed))
		process_update_io(p);
	arch_load_io_bitmap(p->io_bitmap);
	arch_fpu_restore(next->fpu);
	arch_set_kernel_stack(next->kstack_top);
	next->state = THREAD_RUNNING;
	current = next;
	/* The time slice is shared; a change of priority may move the timer. */
	if (next->prio != prev->prio)
		sched_timer_dirty = true;
	if (unlikely(sched_timer_dirty))
		sched_rearm_timer();
}

#endif
