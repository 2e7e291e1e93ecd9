/*
 * Unit tests for synchronous IPC (kernel/ipc/ipc.c and its fastpath,
 * kernel/ipc/fastpath.c), run off-target together with the real handle
 * tables (kernel/object/handle.c).
 *
 * How blocking works here.  Every kernel thread that may block runs its
 * one system call on a fiber of its own (ucontext, annotated for ASan).
 * The scheduler doubles below mirror kernel/sched/sched.c: sched_block()
 * marks the thread blocked and switches back to the test's main context;
 * sched_wake() and sched_make_ready() put a thread on a FIFO run queue;
 * sched_wake_off_queue()/sched_block_to() do what the fastpath expects
 * (the woken thread runs next).  The syscall fastpath's own switch
 * (sched_block_switch, inline in proc.h) runs as it is, with the CPU
 * parts stubbed (tests/unit/arch/cpu_switch.h); its two ways out,
 * arch_syscall_return() and sched_resume(), are doubles that run the
 * other thread next and park the blocked one, which on resuming goes
 * back to its body with longjmp, as the kernel resumes it afresh.  The test, on
 * the main stack, is the scheduler: run() resumes ready fibers until none is
 * left, step() just one.  Non-blocking steps (a server's recv with timeout 0, a
 * reply, a close) are made straight from the test with `current` set by as(). A
 * killed thread (kill_thread, which mirrors thread_kill) is simply never
 * resumed.  Timeouts fire only when the test calls expire().
 *
 * Other doubles: kmalloc/kzalloc/kfree are calloc/free with a live count
 * (every test ends with no heap and no object left: finish()); kobj_* count
 * references and dispatch to port_destroy/conn_destroy/port_last_handle/
 * conn_last_handle like object.c, and free the tests' plain "payload"
 * objects; copy_from_user/copy_to_user/uvm_transfer are memcpy on host
 * pointers and fail with -EFAULT below 4 KiB and inside fault_page, which
 * stands for an unmapped user page.
 *
 * Every test runs twice: with sched_may_run_now() false (the ordinary
 * path of ipc.c) and true (the fastpath); set_fast() sets the ready mask
 * the inline sched_may_run_now() reads so that it answers that.
 *
 * Tests named test_bug_* demonstrate kernel bugs and fail until they are
 * fixed (see the comment above each).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define HAVE_ASAN 1
#else
#define HAVE_ASAN 0
#endif

#include "cpu.h"
#include "ipc.h"
#include "mm.h"
#include "proc.h"
#include "syscall.h"
#include "vm.h"
#include "stubs.h"

#define U(p)	    ((uint64_t)(uintptr_t)(p))
#define KERNEL_ADDR 0xffff800000000000ull
#define BADGE1	    0xb1b1b1b1b1ull
#define BADGE2	    0xb2ull

/* ---- harness errors (may happen on a fiber, reported on the main stack) ----
 */

static bool in_child; /* inside a fork()ed scenario */
static int harness_errors;
static char harness_msg[256];
struct fiber;
static struct fiber *running; /* NULL: the main context */

static void harness_error(const char *fmt, ...)
{
	va_list ap;

	if (harness_errors++)
		return;
	va_start(ap, fmt);
	vsnprintf(harness_msg, sizeof(harness_msg), fmt, ap);
	va_end(ap);
	if (in_child) {
		fprintf(stderr, "harness: %s\n", harness_msg);
		_exit(4);
	}
	if (!running)
		fail_msg("%s", harness_msg);
}

#define require(c)                                                             \
	do {                                                                   \
		if (!(c))                                                      \
			harness_error("%s:%d: %s", __FILE__, __LINE__, #c);    \
	} while (0)

static void check_harness(void)
{
	if (harness_errors)
		fail_msg("harness: %s", harness_msg);
}

/* ---- heap doubles ---- */

static long heap_live;
static int fail_alloc_in = -1; /* the n-th next allocation fails (0 = next) */

static bool alloc_fails(void)
{
	return fail_alloc_in >= 0 && fail_alloc_in-- == 0;
}

void *kmalloc(size_t size)
{
	void *p;

	if (alloc_fails())
		return NULL;
	p = malloc(size ? size : 1);
	if (p)
		heap_live++;
	return p;
}

void *kzalloc(size_t size)
{
	void *p;

	if (alloc_fails())
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p)
		heap_live++;
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	heap_live--;
	free(p);
}

/* ---- kobj doubles: real counting, dispatch like object.c ---- */

static long kobj_live;
static int payload_last_handles, payload_destroyed;

void kobj_init(struct kobj *o, enum obj_type type)
{
	static uint64_t next_id = 1;

	o->type = type;
	o->refs = 1;
	o->handles = 0;
	o->id = next_id++;
	kobj_live++;
}

void kobj_get(struct kobj *o)
{
	if (o->refs == 0)
		harness_error("kobj_get on object %lu with no references",
			      (unsigned long)o->id);
	o->refs++;
}

void kobj_put(struct kobj *o)
{
	if (o->refs == 0) {
		harness_error("kobj_put on object %lu with no references",
			      (unsigned long)o->id);
		return;
	}
	if (--o->refs)
		return;
	kobj_live--;
	switch (o->type) {
	case OBJ_PORT:
		port_destroy((struct port *)o);
		break;
	case OBJ_CONN:
		conn_destroy((struct conn *)o);
		break;
	default:
		payload_destroyed++;
		kfree(o);
		break;
	}
}

void kobj_last_handle(struct kobj *o)
{
	switch (o->type) {
	case OBJ_PORT:
		port_last_handle((struct port *)o);
		break;
	case OBJ_CONN:
		conn_last_handle((struct conn *)o);
		break;
	default:
		payload_last_handles++;
		break;
	}
}

uint64_t kobj_live_count(void)
{
	return (uint64_t)kobj_live;
}

/* ---- user memory doubles ---- */

static uint8_t fault_page[4096]; /* "user memory that is not mapped" */

struct transfer {
	struct process *other;
	uint64_t theirs, mine, n;
	bool to_other;
};
static struct transfer last_transfer;
static int transfers;

/* A range of "user memory" unmapped since (set by a test), or empty. */
static uint64_t gone_at, gone_len;

static bool overlaps(uint64_t a, size_t n, uint64_t at, uint64_t len)
{
	return a < at + len && a + n > at;
}

static bool user_bad(uint64_t a, size_t n)
{
	if (!n)
		return false;
	if (!user_range_ok(a, n) || a < 4096)
		return true;
	return overlaps(a, n, U(fault_page), sizeof(fault_page)) ||
	       overlaps(a, n, gone_at, gone_len);
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	if (user_bad(usrc, n))
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)usrc, n);
	return 0;
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
	if (user_bad(udst, n))
		return -EFAULT;
	memcpy((void *)(uintptr_t)udst, src, n);
	return 0;
}

/*
 * The up-front check before a wait.  fault_page passes it, as memory that
 * is unmapped only later, while the caller waits: that is how the tests
 * reach the delivery-fault paths.
 */
int check_user(uint64_t addr, size_t len, bool write)
{
	return len && (!user_range_ok(addr, len) || addr < 4096) ? -EFAULT : 0;
}

int uvm_transfer(struct process *other, uint64_t theirs, uint64_t mine,
		 size_t n, bool to_other)
{
	transfers++;
	last_transfer = (struct transfer){ other, theirs, mine, n, to_other };
	if (user_bad(theirs, n) || user_bad(mine, n))
		return -EFAULT;
	if (to_other)
		memmove((void *)(uintptr_t)theirs, (void *)(uintptr_t)mine, n);
	else
		memmove((void *)(uintptr_t)mine, (void *)(uintptr_t)theirs, n);
	return 0;
}

/* ---- fibers ---- */

#define FIBER_STACK (256 * 1024)
#define MAX_FIBERS  256

struct fiber {
	struct thread *t;
	ucontext_t ctx;
	char *stack;
	void (*body)(struct fiber *);
	bool started, done, killed;
	/* The system call the fiber makes and what it got back. */
	uint64_t h, rid, status, timeout;
	struct ipc_msg msg; /* call: request, then reply */
	bool with_msg;	    /* reply_recv: pass msg */
	struct ipc_buffers bufs;
	bool with_bufs;
	struct ipc_received rcv;
	uint64_t rcv_at; /* recv, reply_recv: where to receive, 0: rcv */
	long ret;
	jmp_buf resume; /* where a thread the fastpath blocked goes on */
	bool direct;	/* ...its system call finished by the other side */
	long direct_ret;
};

static struct fiber *fibers[MAX_FIBERS];
static int nfibers;
static struct fiber *starting;
static ucontext_t main_ctx;
static const void *main_stack_bottom;
static size_t main_stack_size;

static void switch_begin(void **fake, const void *bottom, size_t size)
{
#if HAVE_ASAN
	__sanitizer_start_switch_fiber(fake, bottom, size);
#else
	(void)fake, (void)bottom, (void)size;
#endif
}

static void switch_end(void *fake, const void **bottom, size_t *size)
{
#if HAVE_ASAN
	__sanitizer_finish_switch_fiber(fake, bottom, size);
#else
	(void)fake, (void)bottom, (void)size;
#endif
}

/* From a fiber back to the main context. */
static void leave_fiber(struct fiber *f, bool dying)
{
	void *fake = NULL;

	switch_begin(dying ? NULL : &fake, main_stack_bottom, main_stack_size);
	swapcontext(&f->ctx, &main_ctx);
	switch_end(fake, &main_stack_bottom, &main_stack_size);
}

static void fiber_entry(void)
{
	struct fiber *f = starting;

	switch_end(NULL, &main_stack_bottom, &main_stack_size);
	f->body(f);
	f->done = true;
	leave_fiber(f, true);
}

static struct fiber *fiber_of(const struct thread *t)
{
	for (int i = 0; i < nfibers; i++)
		if (fibers[i]->t == t && !fibers[i]->done && !fibers[i]->killed)
			return fibers[i];
	return NULL;
}

/* ---- scheduler doubles (mirroring kernel/sched/sched.c) ---- */

struct thread *current;
static struct thread *rq_head, *rq_tail;
static bool fast_ok; /* what sched_may_run_now answers */
uint32_t sched_ready_mask;
bool sched_timer_dirty;
static int timer_rearms;
static bool group_fast; /* the group's setting */
static int blocks, fast_sends, fast_recv_blocks, direct_returns;
static uint64_t fake_now = 1000000;

static bool on_runq(const struct thread *t)
{
	for (struct thread *x = rq_head; x; x = x->rq_next)
		if (x == t)
			return true;
	return false;
}

void sched_make_ready(struct thread *t)
{
	if (on_runq(t))
		harness_error("thread made ready twice");
	t->state = THREAD_READY;
	t->rq_next = NULL;
	if (rq_tail)
		rq_tail->rq_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static void rq_push_front(struct thread *t)
{
	t->rq_next = rq_head;
	rq_head = t;
	if (!rq_tail)
		rq_tail = t;
}

static void rq_remove(struct thread *t)
{
	struct thread **pp = &rq_head, *prev = NULL;

	for (; *pp; prev = *pp, pp = &(*pp)->rq_next) {
		if (*pp != t)
			continue;
		*pp = t->rq_next;
		if (rq_tail == t)
			rq_tail = prev;
		t->rq_next = NULL;
		return;
	}
}

static struct thread *rq_pop(void)
{
	struct thread *t = rq_head;

	if (t)
		rq_remove(t);
	return t;
}

uint64_t deadline_after(uint64_t timeout_ns)
{
	if (timeout_ns == IPC_FOREVER)
		return 0;
	return fake_now + timeout_ns < fake_now ? 0 : fake_now + timeout_ns;
}

static void block_current(enum wait_kind kind, uint64_t deadline)
{
	struct thread *t = current;

	t->state = THREAD_BLOCKED;
	t->wait = kind;
	t->deadline = deadline;
	t->wake_result = 0;
	blocks++;
}

static long switch_away(struct thread *t)
{
	struct fiber *f = fiber_of(t);

	if (!f || f != running) {
		/* A test step on the main stack must never block. */
		harness_error("thread blocked outside a fiber");
		return -EINTR;
	}
	leave_fiber(f, false);
	/* Resumed by run(), which set current = t. */
	return t->wake_result;
}

long sched_block(enum wait_kind kind, uint64_t deadline)
{
	struct thread *t = current;

	block_current(kind, deadline);
	return switch_away(t);
}

void sched_wake(struct thread *t, long result)
{
	if (t->state != THREAD_BLOCKED)
		return;
	t->deadline = 0;
	if (t->wait == WAIT_QUEUE && t->queue)
		wait_queue_remove(t->queue, t);
	t->wait = WAIT_NONE;
	t->wake_result = result;
	sched_make_ready(t);
}

/* sched_may_run_now() answers `on`: a more urgent thread is ready, or not. */
static void set_fast(bool on)
{
	fast_ok = on;
	sched_ready_mask = on ? 0 : ~0u;
}

void sched_rearm_timer(void)
{
	sched_timer_dirty = false;
	timer_rearms++;
}

void process_update_io(struct process *p)
{
	p->handles.io_changed = false;
}

void sched_wake_off_queue(struct thread *t, long result)
{
	t->deadline = 0;
	if (t->wait == WAIT_QUEUE && t->queue)
		wait_queue_remove(t->queue, t);
	t->wait = WAIT_NONE;
	t->wake_result = result;
	t->state = THREAD_READY;
}

long sched_block_to(enum wait_kind kind, uint64_t deadline, struct thread *next)
{
	struct thread *t = current;

	if (next->state != THREAD_READY || on_runq(next))
		harness_error(
			"sched_block_to: next thread is not ready off queue");
	if (kind == WAIT_REPLY)
		fast_sends++;
	else
		fast_recv_blocks++;
	block_current(kind, deadline);
	rq_push_front(next);
	return switch_away(t);
}

/*
 * The syscall fastpath took a call: the running fiber's thread is blocked
 * (sched_block_switch) and `current` runs next, which its fiber does once
 * this one is parked.  The kernel drops the blocked thread's kernel
 * context and later either finishes its system call from the other side
 * (`direct`) or resumes it afresh (syscall_resume); here the fiber, once
 * resumed, jumps back to its body, which takes the direct result or calls
 * the matching _done function.
 */
static __attribute__((noreturn)) void fast_leave(bool direct, long result)
{
	struct fiber *f = running, *nf = fiber_of(current);
	struct thread *next = current;

	if (!f || !nf || f->t == next || f->t->state != THREAD_BLOCKED ||
	    next->state != THREAD_RUNNING || next->wait != WAIT_NONE ||
	    next->queue || next->deadline || on_runq(next) || next->fast_out)
		harness_error("fastpath switch: bad thread states");
	if (!f)
		abort();
	if (f->t->wait == WAIT_REPLY)
		fast_sends++;
	else
		fast_recv_blocks++;
	if (nf) {
		nf->direct = direct;
		nf->direct_ret = result;
	}
	direct_returns += direct;
	f->direct = false;
	next->state = THREAD_READY;
	rq_push_front(next);
	current = f->t;
	switch_away(f->t);
	longjmp(f->resume, 1);
}

/* The other thread leaves to user mode with its system call finished. */
void arch_syscall_return(uint64_t kstack_top, long result)
{
	if (kstack_top != current->kstack_top)
		harness_error("arch_syscall_return: not the current thread");
	fast_leave(true, result);
}

/* The other thread goes on in its kernel context. */
void sched_resume(void)
{
	fast_leave(false, 0);
}

/* wait_queue_*, hold_object, drop_held: the real ones, kernel/sched/waitq.c. */

/* ---- running fibers ---- */

static void enter_fiber(struct fiber *f)
{
	void *fake = NULL;

	running = f;
	switch_begin(&fake, f->stack, FIBER_STACK);
	swapcontext(&main_ctx, &f->ctx);
	switch_end(fake, NULL, NULL);
	running = NULL;
}

/* Runs the first ready thread until it blocks or ends.  False: none. */
static bool step(void)
{
	struct thread *saved = current, *t = rq_pop();
	struct fiber *f;

	if (!t)
		return false;
	f = fiber_of(t);
	require(f);
	if (!f)
		return false;
	current = t;
	t->state = THREAD_RUNNING;
	if (!f->started) {
		f->started = true;
		getcontext(&f->ctx);
		f->ctx.uc_stack.ss_sp = f->stack;
		f->ctx.uc_stack.ss_size = FIBER_STACK;
		f->ctx.uc_link = NULL;
		makecontext(&f->ctx, fiber_entry, 0);
		starting = f;
	}
	enter_fiber(f);
	current = saved;
	if (!in_child)
		check_harness();
	return true;
}

static void run(void)
{
	while (step())
		;
}

/* The timer: every blocked thread with a deadline times out. */
static void expire(void)
{
	for (int i = 0; i < nfibers; i++) {
		struct thread *t = fibers[i]->t;

		if (!fibers[i]->done && !fibers[i]->killed &&
		    t->state == THREAD_BLOCKED && t->deadline)
			sched_wake(t, -ETIMEDOUT);
	}
	run();
}

static struct fiber *spawn(struct thread *t, void (*body)(struct fiber *))
{
	struct fiber *f;

	require(!fiber_of(t));
	require(nfibers < MAX_FIBERS);
	f = calloc(1, sizeof(*f));
	require(f);
	f->t = t;
	f->body = body;
	f->stack = malloc(FIBER_STACK);
	require(f->stack);
	fibers[nfibers++] = f;
	sched_make_ready(t);
	return f;
}

/* As syscall_invoke does: the syscall fastpath first, then the call. */
static int syscall_fastpaths;

static void body_call(struct fiber *f)
{
	uint64_t bufs = f->with_bufs ? U(&f->bufs) : 0;

	if (setjmp(f->resume)) {
		syscall_fastpaths++;
		f->ret = f->direct ? f->direct_ret
				   : ipc_fastpath_call_done(U(&f->msg));
		return;
	}
	if (ipc_fastpath_call(f->h, U(&f->msg), bufs))
		harness_error("ipc_fastpath_call returned after taking the "
			      "call");
	f->ret = sys_ipc_call(f->h, U(&f->msg), bufs);
}

static uint64_t rcv_of(const struct fiber *f)
{
	return f->rcv_at ? f->rcv_at : U(&f->rcv);
}

static void body_recv(struct fiber *f)
{
	f->ret = sys_ipc_recv(f->h, rcv_of(f), f->timeout);
}

static void body_reply_recv(struct fiber *f)
{
	uint64_t msg = f->with_msg ? U(&f->msg) : 0;

	if (setjmp(f->resume)) {
		syscall_fastpaths++;
		f->ret = f->direct ? f->direct_ret
				   : ipc_fastpath_recv_done(rcv_of(f),
							    f->timeout);
		return;
	}
	if (ipc_fastpath_reply_recv(f->rid, f->status, msg, f->h, rcv_of(f),
				    f->timeout))
		harness_error("ipc_fastpath_reply_recv returned after taking "
			      "the call");
	f->ret = sys_ipc_reply_recv(f->rid, f->status, msg, f->h, rcv_of(f),
				    f->timeout);
}

static struct fiber *spawn_call(struct thread *t, handle_t conn,
				const struct ipc_msg *m,
				const struct ipc_buffers *b)
{
	struct fiber *f = spawn(t, body_call);

	f->h = (uint64_t)conn;
	if (m)
		f->msg = *m;
	if (b) {
		f->bufs = *b;
		f->with_bufs = true;
	}
	return f;
}

static struct fiber *spawn_recv(struct thread *t, handle_t port,
				uint64_t timeout)
{
	struct fiber *f = spawn(t, body_recv);

	f->h = (uint64_t)port;
	f->timeout = timeout;
	memset(&f->rcv, 0xee, sizeof(f->rcv));
	return f;
}

static struct fiber *spawn_reply_recv(struct thread *t, uint64_t rid,
				      long status, const struct ipc_msg *m,
				      handle_t port, uint64_t timeout)
{
	struct fiber *f = spawn(t, body_reply_recv);

	f->rid = rid;
	f->status = (uint64_t)status;
	if (m) {
		f->msg = *m;
		f->with_msg = true;
	}
	f->h = (uint64_t)port;
	f->timeout = timeout;
	return f;
}

/* A call made and run until it blocks (or fails). */
static struct fiber *call_async(struct thread *t, handle_t conn,
				const struct ipc_msg *m,
				const struct ipc_buffers *b)
{
	struct fiber *f = spawn_call(t, conn, m, b);

	run();
	return f;
}

/* ---- processes, threads, objects ---- */

#define MAX_PROCS   8
#define MAX_THREADS 160
static struct process *procs[MAX_PROCS];
static int nprocs;
static struct thread *threads[MAX_THREADS];
static int nthreads;

static struct process *new_proc(uint32_t pid, uint32_t uid, uint32_t gid)
{
	struct process *p = calloc(1, sizeof(*p));

	require(p && nprocs < MAX_PROCS);
	p->obj.type = OBJ_PROCESS;
	p->obj.refs = 1;
	p->pid = pid;
	p->uid = uid;
	p->gid = gid;
	p->prio = PRIO_APP;
	handle_table_init(&p->handles);
	procs[nprocs++] = p;
	return p;
}

static struct thread *new_thread(struct process *p)
{
	size_t sz = (sizeof(struct thread) + 63) & ~(size_t)63;
	struct thread *t = aligned_alloc(64, sz);

	require(t && nthreads < MAX_THREADS);
	memset(t, 0, sz);
	t->obj.type = OBJ_THREAD;
	t->obj.refs = 1;
	t->proc = p;
	t->prio = p->prio;
	t->state = THREAD_RUNNING;
	t->kstack_top = 0x10000 * (uint64_t)(nthreads + 1); /* a token */
	threads[nthreads++] = t;
	return t;
}

static void as(struct thread *t)
{
	current = t;
}

static struct kobj *obj_of(struct process *p, handle_t h)
{
	struct kobj *o = NULL;

	if (handle_get(&p->handles, h, OBJ_NONE, 0, &o))
		return NULL;
	return o;
}

static uint32_t rights_of(struct process *p, handle_t h)
{
	require(h >= 0 && (uint32_t)h < p->handles.capacity &&
		p->handles.slots[h].obj);
	return p->handles.slots[h].rights;
}

/* Moves handle `h` of `from` into `to`; returns its number there. */
static handle_t give(struct process *from, handle_t h, struct process *to)
{
	struct handle hd;
	int n;

	require(handle_detach(&from->handles, h, &hd) == 0);
	n = handle_install_moved(&to->handles, &hd);
	require(n >= 0);
	return n;
}

/* A plain object (any type but port/conn) with one handle in `p`. */
static handle_t new_payload(struct process *p, enum obj_type type,
			    uint32_t rights, struct kobj **out)
{
	struct kobj *o = kzalloc(sizeof(*o));
	int h;

	require(o);
	kobj_init(o, type);
	h = handle_install(&p->handles, o, rights);
	require(h >= 0);
	kobj_put(o);
	if (out)
		*out = o;
	return h;
}

static struct ipc_msg mk_msg(uint32_t op, uint64_t base)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = op;
	for (int i = 0; i < IPC_WORDS; i++)
		m.w[i] = base + (uint64_t)i;
	return m;
}

static uint32_t rid_slot(uint64_t rid)
{
	return (uint32_t)rid;
}

static uint32_t rid_seq(uint64_t rid)
{
	return (uint32_t)(rid >> 32);
}

/* ---- the fixture: server S (port), client C (connection) ---- */

static struct process *S, *C;
static struct thread *st, *st2, *cx; /* cx: a client thread for direct calls */
static struct thread *ct[4];	     /* client threads for calls that block */
static handle_t port_h, conn_h;	     /* port_h in S, conn_h in C */
static struct port *port;
static bool finished;

/* A new connection to the port with `badge`, moved into C. */
static handle_t make_conn(uint64_t badge)
{
	struct thread *saved = current;
	long h;

	as(st);
	h = sys_conn_create((uint64_t)port_h, badge);
	require(h >= 0);
	current = saved;
	return give(S, (handle_t)h, C);
}

static int setup(void **state)
{
	long h;

	in_child = false;
	harness_errors = 0;
	heap_live = 0;
	fail_alloc_in = -1;
	kobj_live = 0;
	payload_last_handles = payload_destroyed = 0;
	transfers = 0;
	memset(&last_transfer, 0, sizeof(last_transfer));
	nfibers = nprocs = nthreads = 0;
	rq_head = rq_tail = NULL;
	running = NULL;
	set_fast(group_fast);
	sched_timer_dirty = false;
	blocks = fast_sends = fast_recv_blocks = syscall_fastpaths = 0;
	direct_returns = 0;
	gone_at = gone_len = 0;
	timer_rearms = test_space_switches = 0;
	fake_now = 1000000;
	finished = false;
	test_panic_count = 0;

	S = new_proc(10, 100, 200);
	C = new_proc(20, 1000, 1001);
	st = new_thread(S);
	st2 = new_thread(S);
	cx = new_thread(C);
	for (int i = 0; i < 4; i++)
		ct[i] = new_thread(C);

	as(st);
	h = sys_port_create();
	assert_true(h >= 0);
	port_h = (handle_t)h;
	port = (struct port *)obj_of(S, port_h);
	assert_non_null(port);
	conn_h = make_conn(BADGE1);
	as(NULL);
	return 0;
}

/* Every fiber has ended; tear everything down; nothing may be left. */
static void finish(void)
{
	for (int i = 0; i < nfibers; i++)
		if (!fibers[i]->done && !fibers[i]->killed)
			fail_msg("fiber %d (thread state %d) has not ended", i,
				 fibers[i]->t->state);
	assert_null(rq_head);
	for (int i = 0; i < nprocs; i++)
		handle_table_destroy(&procs[i]->handles);
	for (int i = 0; i < nprocs; i++) {
		ipc_server_gone(procs[i]);
		kfree(procs[i]->replies);
		procs[i]->replies = NULL;
		procs[i]->reply_capacity = 0;
	}
	run();
	finished = true;
	check_harness();
	assert_int_equal(kobj_live, 0);
	assert_int_equal(heap_live, 0);
	assert_int_equal(test_panic_count, 0);
}

static void kill_thread(struct thread *t);

static int teardown(void **state)
{
	if (!finished && !harness_errors) {
		/* A failed test: end its threads and objects the kernel's way.
		 */
		for (int i = 0; i < nfibers; i++)
			if (!fibers[i]->done && !fibers[i]->killed)
				kill_thread(fibers[i]->t);
		rq_head = rq_tail = NULL;
		for (int i = 0; i < nprocs; i++)
			handle_table_destroy(&procs[i]->handles);
		for (int i = 0; i < nprocs; i++) {
			ipc_server_gone(procs[i]);
			kfree(procs[i]->replies);
		}
		rq_head = rq_tail = NULL;
	}
	for (int i = 0; i < nfibers; i++) {
#if HAVE_ASAN
		ASAN_UNPOISON_MEMORY_REGION(fibers[i]->stack, FIBER_STACK);
#endif
		free(fibers[i]->stack);
		free(fibers[i]);
	}
	nfibers = 0;
	for (int i = 0; i < nthreads; i++)
		free(threads[i]);
	for (int i = 0; i < nprocs; i++)
		free(procs[i]);
	nthreads = nprocs = 0;
	current = NULL;
	return 0;
}

/* Mirrors thread_kill (kernel/object/thread.c): undo the wait, cancel IPC. */
static void kill_thread(struct thread *t)
{
	struct fiber *f = fiber_of(t);

	switch (t->state) {
	case THREAD_DEAD:
		return;
	case THREAD_READY:
		rq_remove(t);
		break;
	case THREAD_BLOCKED:
		t->deadline = 0;
		if (t->wait == WAIT_QUEUE && t->queue)
			wait_queue_remove(t->queue, t);
		t->wait = WAIT_NONE;
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
	if (f)
		f->killed = true;
}

static void check_rcv_is_call(const struct ipc_received *r,
			      const struct ipc_msg *m, uint64_t badge,
			      const struct process *from)
{
	assert_int_equal(r->msg.op, m->op);
	for (int i = 0; i < IPC_WORDS; i++)
		assert_int_equal(r->msg.w[i], m->w[i]);
	assert_int_equal(r->msg.nhandles, m->nhandles);
	assert_int_equal(r->badge, badge);
	assert_int_equal(r->pid, from->pid);
	assert_int_equal(r->uid, from->uid);
	assert_int_equal(r->gid, from->gid);
	assert_int_not_equal(r->rid, 0);
}

/* ======================================================================= */
/* recv                                                                     */
/* ======================================================================= */

static void test_recv_timeout_zero_on_empty_port(void **state)
{
	struct ipc_received r;
	uint32_t refs = port->obj.refs;

	memset(&r, 0xee, sizeof(r));
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ETIMEDOUT);
	assert_int_equal(blocks, 0);
	assert_null(port->receivers.head);
	assert_null(st->held);
	assert_int_equal(port->obj.refs, refs);
	/* Nothing was written. */
	assert_int_equal(r.msg.op, 0xeeeeeeee);
	finish();
}

static void test_recv_argument_errors(void **state)
{
	struct ipc_received r;
	long h;
	handle_t no_read, my_conn;

	as(st);
	/* A port handle without RIGHT_READ. */
	assert_true(handle_install(&S->handles, &port->obj, RIGHT_MANAGE) >= 0);
	no_read = (handle_t)S->handles.used - 1;
	assert_ptr_equal(obj_of(S, no_read), &port->obj);
	h = sys_conn_create((uint64_t)port_h, 5);
	assert_true(h >= 0);
	my_conn = (handle_t)h;

	assert_int_equal(sys_ipc_recv((uint64_t)-1, U(&r), 0), -EBADF);
	assert_int_equal(sys_ipc_recv(999, U(&r), 0), -EBADF);
	assert_int_equal(sys_ipc_recv((uint64_t)my_conn, U(&r), 0), -EBADF);
	assert_int_equal(sys_ipc_recv((uint64_t)no_read, U(&r), 0), -EPERM);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, KERNEL_ADDR, 0),
			 -EFAULT);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, USER_SPACE_TOP - 64, 0),
			 -EFAULT);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, UINT64_MAX - 8, 0),
			 -EFAULT);
	/* The same for reply_recv, before any reply is attempted. */
	assert_int_equal(
		sys_ipc_reply_recv(0, 0, 0, (uint64_t)no_read, U(&r), 0),
		-EPERM);
	assert_int_equal(
		sys_ipc_reply_recv(0, 0, 0, (uint64_t)port_h, KERNEL_ADDR, 0),
		-EFAULT);
	/* A client thread has no port under that number. */
	as(cx);
	assert_int_equal(sys_ipc_recv((uint64_t)conn_h, U(&r), 0), -EBADF);
	assert_int_equal(blocks, 0);
	finish();
}

static void test_recv_timeout_blocks_then_expires(void **state)
{
	uint32_t refs = port->obj.refs;
	struct fiber *f = spawn_recv(st, port_h, 5000);

	run();
	assert_false(f->done);
	assert_int_equal(st->state, THREAD_BLOCKED);
	assert_int_equal(st->wait, WAIT_QUEUE);
	assert_int_equal(st->deadline, fake_now + 5000);
	assert_ptr_equal(port->receivers.head, st);
	assert_ptr_equal(st->held, &port->obj);
	assert_int_equal(port->obj.refs, refs + 1);

	expire();
	assert_true(f->done);
	assert_int_equal(f->ret, -ETIMEDOUT);
	assert_null(port->receivers.head);
	assert_null(st->held);
	assert_int_equal(port->obj.refs, refs);
	finish();
}

static void test_recv_forever_has_no_deadline(void **state)
{
	struct fiber *f = spawn_recv(st, port_h, IPC_FOREVER);
	struct ipc_msg m = mk_msg(3, 30);
	struct fiber *c;

	run();
	assert_false(f->done);
	assert_int_equal(st->deadline, 0);
	expire(); /* no deadline: stays blocked */
	assert_false(f->done);
	c = call_async(ct[0], conn_h, &m, NULL);
	assert_true(f->done);
	assert_int_equal(f->ret, 0);
	check_rcv_is_call(&f->rcv, &m, BADGE1, C);
	as(st);
	assert_int_equal(sys_ipc_reply(f->rcv.rid, 0, 0), 0);
	run();
	assert_true(c->done);
	finish();
}

/* ======================================================================= */
/* call, deliver, reply                                                     */
/* ======================================================================= */

static void test_call_queued_then_delivered(void **state)
{
	char sendbuf[10] = "123456789", recvbuf[20];
	struct ipc_buffers b = { sendbuf, sizeof(sendbuf), recvbuf,
				 sizeof(recvbuf) };
	struct ipc_msg m = mk_msg(7, 100), rep = mk_msg(0x1234, 500);
	uint32_t refs = port->obj.refs;
	struct ipc_received r;
	struct fiber *f;

	f = call_async(ct[0], conn_h, &m, &b);
	assert_false(f->done);
	assert_int_equal(ct[0]->state, THREAD_BLOCKED);
	assert_int_equal(ct[0]->wait, WAIT_REPLY);
	assert_ptr_equal(port->senders.head, ct[0]);
	assert_ptr_equal(port->senders.tail, ct[0]);
	assert_ptr_equal(ct[0]->call.port, port);
	assert_int_equal(port->obj.refs, refs + 1);
	assert_int_equal(fast_sends, 0); /* nobody was receiving */

	memset(&r, 0xee, sizeof(r));
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	check_rcv_is_call(&r, &m, BADGE1, C);
	assert_int_equal(r.send_len, sizeof(sendbuf));
	assert_int_equal(r.recv_len, sizeof(recvbuf));
	assert_int_equal(r.reserved, 0);
	assert_int_equal(rid_slot(r.rid), 1);
	assert_int_not_equal(rid_seq(r.rid), 0);
	assert_null(port->senders.head);
	assert_ptr_equal(S->replies[0].caller, ct[0]);
	assert_ptr_equal(ct[0]->call.server, S);
	assert_int_equal(ct[0]->state, THREAD_BLOCKED);

	assert_int_equal(sys_ipc_reply(r.rid, 42, U(&rep)), 0);
	assert_null(S->replies[0].caller);
	run();
	assert_true(f->done);
	assert_int_equal(f->ret, 42);
	assert_int_equal(f->msg.op, 0x1234);
	for (int i = 0; i < IPC_WORDS; i++)
		assert_int_equal(f->msg.w[i], 500 + i);
	assert_int_equal(f->msg.nhandles, 0);
	assert_null(ct[0]->call.port);
	assert_null(ct[0]->call.server);
	assert_int_equal(port->obj.refs, refs);

	/* The reply id is spent. */
	as(st);
	assert_int_equal(sys_ipc_reply(r.rid, 1, 0), -ESRCH);
	assert_int_equal(sys_ipc_reply(0, 1, 0), -EINVAL);
	assert_int_equal(sys_ipc_read(r.rid, 0, U(recvbuf), 1), -ESRCH);
	finish();
}

static void test_reply_status_and_null_message(void **state)
{
	struct ipc_msg m = mk_msg(1, 11);
	struct ipc_received r;
	struct fiber *f;

	/* A negative status and no message: the caller's msg is zeroed. */
	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(sys_ipc_reply(r.rid, (uint64_t)-77L, 0), 0);
	run();
	assert_int_equal(f->ret, -77);
	assert_int_equal(f->msg.op, 0);
	for (int i = 0; i < IPC_WORDS; i++)
		assert_int_equal(f->msg.w[i], 0);

	/* A reply message that cannot be read: -EFAULT, the call waits on. */
	f = call_async(ct[1], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(sys_ipc_reply(r.rid, 0, 8), -EFAULT);
	assert_int_equal(sys_ipc_reply(r.rid, 0, U(fault_page)), -EFAULT);
	assert_false(f->done);
	assert_int_equal(sys_ipc_reply(r.rid, 5, 0), 0);
	run();
	assert_int_equal(f->ret, 5);
	finish();
}

static void test_handover_to_waiting_receiver(void **state)
{
	struct ipc_msg m = mk_msg(9, 900);
	struct fiber *fs, *fc;

	fs = spawn_recv(st, port_h, IPC_FOREVER);
	assert_true(step());
	assert_int_equal(st->state, THREAD_BLOCKED);
	assert_ptr_equal(port->receivers.head, st);

	fc = spawn_call(ct[0], conn_h, &m, NULL);
	assert_true(step());
	/* The call went to the receiver, not the queue. */
	assert_false(fc->done);
	assert_int_equal(ct[0]->state, THREAD_BLOCKED);
	assert_int_equal(st->state, THREAD_READY);
	assert_ptr_equal(st->partner, ct[0]);
	assert_ptr_equal(ct[0]->call.receiver, st);
	assert_null(port->senders.head);
	assert_null(port->receivers.head);
	assert_null(ct[0]->queue);
	assert_int_equal(fast_sends, fast_ok ? 1 : 0);
	assert_ptr_equal(rq_head, st); /* runs next */

	run();
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	check_rcv_is_call(&fs->rcv, &m, BADGE1, C);
	assert_null(st->partner);
	assert_null(ct[0]->call.receiver);
	assert_ptr_equal(ct[0]->call.server, S);
	assert_null(st->held);

	as(st);
	assert_int_equal(sys_ipc_reply(fs->rcv.rid, 9, 0), 0);
	run();
	assert_true(fc->done);
	assert_int_equal(fc->ret, 9);
	/* Register-only, a receiver waiting: the syscall fastpath took it. */
	assert_int_equal(syscall_fastpaths, fast_ok ? 1 : 0);
	finish();
}

static void test_calls_are_fifo(void **state)
{
	struct ipc_msg m[3];
	struct fiber *f[3];
	struct ipc_received r;

	for (int i = 0; i < 3; i++) {
		m[i] = mk_msg(50 + i, 10 * i);
		f[i] = call_async(ct[i], conn_h, &m[i], NULL);
	}
	as(st);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
		assert_int_equal(r.msg.op, 50 + i);
		assert_int_equal(sys_ipc_reply(r.rid, (uint64_t)i, 0), 0);
	}
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ETIMEDOUT);
	run();
	for (int i = 0; i < 3; i++)
		assert_int_equal(f[i]->ret, i);
	finish();
}

static void test_reply_ids(void **state)
{
	struct ipc_msg m[4];
	struct fiber *f[4];
	uint64_t rid[4];
	struct ipc_received r;

	for (int i = 0; i < 3; i++) {
		m[i] = mk_msg((uint32_t)i, 0);
		f[i] = call_async(ct[i], conn_h, &m[i], NULL);
	}
	as(st);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
		assert_int_equal(r.msg.op, (uint32_t)i);
		rid[i] = r.rid;
		assert_int_equal(rid_slot(rid[i]), i + 1);
		assert_int_not_equal(rid_seq(rid[i]), 0);
		for (int j = 0; j < i; j++) {
			assert_int_not_equal(rid[i], rid[j]);
			assert_true(rid_seq(rid[i]) > rid_seq(rid[j]));
		}
	}

	/* Answer the middle one; its slot is reused with a new sequence. */
	assert_int_equal(sys_ipc_reply(rid[1], 101, 0), 0);
	assert_int_equal(sys_ipc_reply(rid[1], 101, 0), -ESRCH);
	m[3] = mk_msg(3, 0);
	f[3] = call_async(ct[3], conn_h, &m[3], NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	rid[3] = r.rid;
	assert_int_equal(rid_slot(rid[3]), 2);
	assert_int_not_equal(rid[3], rid[1]);
	assert_true(rid_seq(rid[3]) > rid_seq(rid[2]));
	/* The stale id does not reach the slot's new caller. */
	assert_int_equal(sys_ipc_reply(rid[1], 666, 0), -ESRCH);
	assert_ptr_equal(S->replies[1].caller, ct[3]);
	assert_false(f[3]->done);

	/* Forged ids. */
	assert_int_equal(
		sys_ipc_reply((rid[0] & 0xffffffffu) |
				      ((uint64_t)(rid_seq(rid[0]) + 100) << 32),
			      0, 0),
		-ESRCH);
	assert_int_equal(sys_ipc_reply((uint64_t)rid_seq(rid[0]) << 32, 0, 0),
			 -ESRCH);
	assert_int_equal(
		sys_ipc_reply(((uint64_t)rid_seq(rid[0]) << 32) | 17, 0, 0),
		-ESRCH);
	assert_int_equal(
		sys_ipc_reply(((uint64_t)rid_seq(rid[0]) << 32) | 0xffffffffu,
			      0, 0),
		-ESRCH);
	assert_int_equal(sys_ipc_reply(UINT64_MAX, 0, 0), -ESRCH);
	/* Another process cannot use the server's ids. */
	as(cx);
	assert_int_equal(sys_ipc_reply(rid[0], 0, 0), -ESRCH);
	assert_int_equal(sys_ipc_read(rid[0], 0, U(&r), 8), -ESRCH);
	assert_int_equal(sys_ipc_write(rid[0], 0, U(&r), 8), -ESRCH);
	for (int i = 0; i < 4; i++)
		if (i != 1)
			assert_false(f[i]->done);

	as(st);
	assert_int_equal(sys_ipc_reply(rid[0], 100, 0), 0);
	assert_int_equal(sys_ipc_reply(rid[2], 102, 0), 0);
	assert_int_equal(sys_ipc_reply(rid[3], 103, 0), 0);
	run();
	for (int i = 0; i < 4; i++) {
		assert_true(f[i]->done);
		assert_int_equal(f[i]->ret, 100 + i);
	}
	finish();
}

static void test_reply_seq_wraps_past_zero(void **state)
{
	struct ipc_msg m = mk_msg(1, 1);
	struct ipc_received r;
	struct fiber *f;

	S->reply_seq = UINT32_MAX;
	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(rid_seq(r.rid), 1); /* never 0 */
	assert_int_equal(sys_ipc_reply(r.rid, 4, 0), 0);
	run();
	assert_int_equal(f->ret, 4);
	finish();
}

/* ======================================================================= */
/* handles moved with calls and replies                                     */
/* ======================================================================= */

static void test_call_moves_handles(void **state)
{
	struct kobj *a, *b;
	handle_t ha = new_payload(C, OBJ_MEMORY,
				  RIGHT_READ | RIGHT_MAP | RIGHT_TRANSFER, &a);
	handle_t hb = new_payload(C, OBJ_IOPORT, RIGHT_TRANSFER, &b);
	struct ipc_msg m = mk_msg(2, 20);
	struct ipc_received r;
	uint32_t c_used = C->handles.used, s_used = S->handles.used;
	struct fiber *f;

	C->handles.io_changed = S->handles.io_changed = false;
	m.nhandles = 2;
	m.handles[0] = hb;
	m.handles[1] = ha;
	m.handles[2] = 1234; /* beyond nhandles: ignored */
	f = call_async(ct[0], conn_h, &m, NULL);

	/* In flight: out of the caller's table, still counted as handles. */
	assert_false(f->done);
	assert_null(obj_of(C, ha));
	assert_null(obj_of(C, hb));
	assert_int_equal(C->handles.used, c_used - 2);
	assert_true(C->handles.io_changed);
	assert_int_equal(a->handles, 1);
	assert_int_equal(a->refs, 1);
	assert_int_equal(payload_last_handles, 0);

	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.nhandles, 2);
	assert_ptr_equal(obj_of(S, r.msg.handles[0]), b);
	assert_ptr_equal(obj_of(S, r.msg.handles[1]), a);
	assert_int_equal(rights_of(S, r.msg.handles[0]), RIGHT_TRANSFER);
	assert_int_equal(rights_of(S, r.msg.handles[1]),
			 RIGHT_READ | RIGHT_MAP | RIGHT_TRANSFER);
	assert_int_not_equal(r.msg.handles[0], r.msg.handles[1]);
	assert_int_equal(S->handles.used, s_used + 2);
	assert_true(S->handles.io_changed);
	assert_null(obj_of(C, ha));
	assert_int_equal(a->handles, 1);
	assert_int_equal(a->refs, 1);
	assert_int_equal(b->handles, 1);

	assert_int_equal(sys_ipc_reply(r.rid, 0, 0), 0);
	run();
	assert_int_equal(f->ret, 0);
	assert_int_equal(f->msg.nhandles, 0);
	/* The server still holds them. */
	assert_ptr_equal(obj_of(S, r.msg.handles[1]), a);
	assert_int_equal(payload_destroyed, 0);
	assert_int_equal(payload_last_handles, 0);
	finish();
	assert_int_equal(payload_destroyed, 2);
}

static void test_call_handle_errors_move_nothing(void **state)
{
	struct kobj *a, *n;
	handle_t ha =
		new_payload(C, OBJ_MEMORY, RIGHT_READ | RIGHT_TRANSFER, &a);
	handle_t hn = new_payload(C, OBJ_MEMORY, RIGHT_READ | RIGHT_WRITE, &n);
	handle_t hc = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, NULL);
	static const struct {
		uint32_t n;
		handle_t hs[4];
		long err;
	} cases[] = {
		{ 2, { 0, 1 }, -EPERM }, /* patched below */
		{ 2, { 0, 0 }, -EINVAL },	{ 2, { 0, 2 }, -EBADF },
		{ 3, { 0, 3, -1 }, -EBADF },	{ 2, { 0, 999 }, -EBADF },
		{ 4, { 0, 3, 0, 3 }, -EINVAL }, { 5, { 0, 3 }, -EINVAL },
		{ UINT32_MAX, { 0 }, -EINVAL },
	};
	handle_t hconn2 = make_conn(BADGE2);
	handle_t map[4];
	uint32_t used;

	as(cx);
	assert_int_equal(handle_close(&C->handles, hc), 0);
	map[0] = ha;
	map[1] = hn;
	map[2] = hc;
	map[3] = hconn2; /* has TRANSFER */
	used = C->handles.used;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ipc_msg m = mk_msg(1, 0);

		m.nhandles = cases[i].n;
		for (int j = 0; j < 4; j++) {
			handle_t x = cases[i].hs[j];

			m.handles[j] = x >= 0 && x < 4 ? map[x] : x;
		}
		assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), 0),
				 cases[i].err);
		/* Nothing moved. */
		assert_int_equal(C->handles.used, used);
		assert_ptr_equal(obj_of(C, ha), a);
		assert_ptr_equal(obj_of(C, hn), n);
		assert_int_equal(rights_of(C, ha), RIGHT_READ | RIGHT_TRANSFER);
		assert_non_null(obj_of(C, hconn2));
		assert_int_equal(a->handles, 1);
		assert_int_equal(a->refs, 1);
		assert_null(port->senders.head);
		assert_null(cx->call.port);
	}
	assert_int_equal(blocks, 0);
	assert_null(port->closes);
	finish();
}

static void test_call_moves_four_handles(void **state)
{
	struct kobj *o[IPC_HANDLES];
	handle_t h[IPC_HANDLES];
	struct ipc_msg m = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *f;

	for (int i = 0; i < IPC_HANDLES; i++)
		h[i] = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &o[i]);
	/* Five is one too many, even with four good handles listed. */
	m.nhandles = IPC_HANDLES + 1;
	for (int i = 0; i < IPC_HANDLES; i++)
		m.handles[i] = h[i];
	as(cx);
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), 0), -EINVAL);
	for (int i = 0; i < IPC_HANDLES; i++)
		assert_ptr_equal(obj_of(C, h[i]), o[i]);

	m.nhandles = IPC_HANDLES;
	f = call_async(ct[0], conn_h, &m, NULL);
	for (int i = 0; i < IPC_HANDLES; i++)
		assert_null(obj_of(C, h[i]));
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.nhandles, IPC_HANDLES);
	for (int i = 0; i < IPC_HANDLES; i++)
		assert_ptr_equal(obj_of(S, r.msg.handles[i]), o[i]);
	/* And all four back with the reply. */
	struct ipc_msg rep = mk_msg(0, 0);

	rep.nhandles = IPC_HANDLES;
	for (int i = 0; i < IPC_HANDLES; i++)
		rep.handles[i] = r.msg.handles[IPC_HANDLES - 1 - i];
	assert_int_equal(sys_ipc_reply(r.rid, 0, U(&rep)), 0);
	run();
	assert_int_equal(f->ret, 0);
	assert_int_equal(f->msg.nhandles, IPC_HANDLES);
	for (int i = 0; i < IPC_HANDLES; i++) {
		assert_ptr_equal(obj_of(C, f->msg.handles[i]),
				 o[IPC_HANDLES - 1 - i]);
		assert_int_equal(o[i]->handles, 1);
	}
	finish();
}

static void test_reply_moves_handles(void **state)
{
	struct kobj *x, *y;
	handle_t hx =
		new_payload(S, OBJ_NOTIFY, RIGHT_READ | RIGHT_TRANSFER, &x);
	handle_t hy = new_payload(S, OBJ_MEMORY, RIGHT_READ, &y);
	struct ipc_msg m = mk_msg(4, 0), rep = mk_msg(0, 70);
	struct ipc_received r;
	struct fiber *f;
	handle_t got;

	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);

	/* Refused replies leave everything in place, the call parked. */
	rep.nhandles = 1;
	rep.handles[0] = hy;
	assert_int_equal(sys_ipc_reply(r.rid, 1, U(&rep)), -EPERM);
	rep.nhandles = 2;
	rep.handles[0] = hx;
	rep.handles[1] = hx;
	assert_int_equal(sys_ipc_reply(r.rid, 1, U(&rep)), -EINVAL);
	rep.handles[1] = 77;
	assert_int_equal(sys_ipc_reply(r.rid, 1, U(&rep)), -EBADF);
	rep.nhandles = 5;
	assert_int_equal(sys_ipc_reply(r.rid, 1, U(&rep)), -EINVAL);
	assert_ptr_equal(obj_of(S, hx), x);
	assert_ptr_equal(obj_of(S, hy), y);
	assert_ptr_equal(S->replies[0].caller, ct[0]);
	assert_false(f->done);

	rep.nhandles = 1;
	rep.handles[0] = hx;
	assert_int_equal(sys_ipc_reply(r.rid, 3, U(&rep)), 0);
	assert_null(obj_of(S, hx));
	assert_int_equal(x->handles, 1);
	run();
	assert_int_equal(f->ret, 3);
	assert_int_equal(f->msg.nhandles, 1);
	got = f->msg.handles[0];
	assert_ptr_equal(obj_of(C, got), x);
	assert_int_equal(rights_of(C, got), RIGHT_READ | RIGHT_TRANSFER);
	assert_int_equal(f->msg.w[0], 70);
	assert_int_equal(x->handles, 1);
	assert_int_equal(x->refs, 1);
	assert_int_equal(payload_last_handles, 0);
	finish();
}

static void test_handles_round_trip(void **state)
{
	/* A handle sent with a call and sent back with the reply. */
	struct kobj *a;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	struct ipc_msg m = mk_msg(1, 0), rep = mk_msg(0, 0);
	struct ipc_received r;
	struct fiber *f;

	m.nhandles = 1;
	m.handles[0] = ha;
	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	rep.nhandles = 1;
	rep.handles[0] = r.msg.handles[0];
	assert_int_equal(sys_ipc_reply(r.rid, 0, U(&rep)), 0);
	run();
	assert_int_equal(f->msg.nhandles, 1);
	assert_ptr_equal(obj_of(C, f->msg.handles[0]), a);
	assert_int_equal(a->handles, 1);
	assert_int_equal(a->refs, 1);
	assert_int_equal(payload_last_handles, 0);
	finish();
}

/* ======================================================================= */
/* argument checks of ipc_call                                              */
/* ======================================================================= */

static void test_client_may_not_send_kernel_ops(void **state)
{
	static const uint32_t ops[] = { IPC_OP_KERNEL, IPC_OP_CLOSE,
					IPC_OP_KERNEL + 77, UINT32_MAX };
	struct ipc_msg m;
	struct ipc_received r;
	struct fiber *f;

	as(cx);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		m = mk_msg(ops[i], 0);
		assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), 0),
				 -EINVAL);
	}
	assert_null(port->senders.head);
	assert_int_equal(blocks, 0);

	/* The largest client opcode goes through. */
	m = mk_msg(IPC_OP_KERNEL - 1, 0);
	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, IPC_OP_KERNEL - 1);
	assert_int_equal(sys_ipc_reply(r.rid, 0, 0), 0);
	run();
	assert_true(f->done);
	finish();
}

static void test_call_argument_errors(void **state)
{
	struct ipc_msg m = mk_msg(1, 0);
	struct ipc_buffers b;
	char buf[16];
	struct kobj *a;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	handle_t hportc, hconn_nowrite;
	struct conn *conn = (struct conn *)obj_of(C, conn_h);

	/* Handles of the wrong kind or without RIGHT_WRITE. */
	hportc = handle_install(&C->handles, &port->obj, RIGHTS_ALL);
	hconn_nowrite = handle_install(&C->handles, &conn->obj,
				       RIGHT_TRANSFER | RIGHT_DUP);
	assert_true(hportc >= 0 && hconn_nowrite >= 0);

	as(cx);
	assert_int_equal(sys_ipc_call((uint64_t)-1, U(&m), 0), -EBADF);
	assert_int_equal(sys_ipc_call(500, U(&m), 0), -EBADF);
	assert_int_equal(sys_ipc_call((uint64_t)ha, U(&m), 0), -EBADF);
	assert_int_equal(sys_ipc_call((uint64_t)hportc, U(&m), 0), -EBADF);
	assert_int_equal(sys_ipc_call((uint64_t)hconn_nowrite, U(&m), 0),
			 -EPERM);

	/* The message. */
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, 8, 0), -EFAULT);
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(fault_page), 0),
			 -EFAULT);
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, KERNEL_ADDR, 0),
			 -EFAULT);

	/* The lent buffers, checked before any handle moves. */
	m.nhandles = 1;
	m.handles[0] = ha;
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), 8), -EFAULT);
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), KERNEL_ADDR),
			 -EFAULT);
	b = (struct ipc_buffers){ buf, IPC_BUF_MAX + 1ull, NULL, 0 };
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), U(&b)), -EINVAL);
	b = (struct ipc_buffers){ NULL, 0, buf, IPC_BUF_MAX + 1ull };
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), U(&b)), -EINVAL);
	b = (struct ipc_buffers){ buf, UINT64_MAX, buf, UINT64_MAX };
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), U(&b)), -EINVAL);
	b = (struct ipc_buffers){ (void *)(uintptr_t)KERNEL_ADDR, 1, NULL, 0 };
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), U(&b)), -EFAULT);
	b = (struct ipc_buffers){ NULL, 0,
				  (void *)(uintptr_t)(USER_SPACE_TOP - 4096),
				  8192 };
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), U(&b)), -EFAULT);
	b = (struct ipc_buffers){ (void *)(uintptr_t)(UINT64_MAX - 10), 100,
				  NULL, 0 };
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m), U(&b)), -EFAULT);

	assert_ptr_equal(obj_of(C, ha), a);
	assert_null(port->senders.head);
	assert_int_equal(blocks, 0);

	/* Exactly IPC_BUF_MAX is allowed (the memory is never touched). */
	struct ipc_received r;
	struct fiber *f;

	b = (struct ipc_buffers){ (void *)0x10000000, IPC_BUF_MAX,
				  (void *)0x20000000, IPC_BUF_MAX };
	f = call_async(ct[0], conn_h, &m, &b);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.send_len, IPC_BUF_MAX);
	assert_int_equal(r.recv_len, IPC_BUF_MAX);
	assert_int_equal(r.msg.nhandles, 1);
	assert_int_equal(sys_ipc_reply(r.rid, 0, 0), 0);
	run();
	assert_true(f->done);
	finish();
}

/* ======================================================================= */
/* CLOSE notices                                                            */
/* ======================================================================= */

static void test_close_notice_queued_and_delivered(void **state)
{
	struct conn *c1 = (struct conn *)obj_of(C, conn_h);
	handle_t dup, conn2 = make_conn(BADGE2);
	struct ipc_received r;

	dup = handle_install(&C->handles, &c1->obj, RIGHT_WRITE);
	assert_true(dup >= 0);

	/* Not the last handle: no notice. */
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	assert_null(port->closes);
	/* The last handles of two connections: two notices, in order. */
	assert_int_equal(handle_close(&C->handles, dup), 0);
	assert_int_equal(handle_close(&C->handles, conn2), 0);
	assert_non_null(port->closes);

	as(st);
	memset(&r, 0xee, sizeof(r));
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, IPC_OP_CLOSE);
	assert_int_equal(r.badge, BADGE1);
	assert_int_equal(r.rid, 0);
	assert_int_equal(r.msg.nhandles, 0);
	for (int i = 0; i < IPC_WORDS; i++)
		assert_int_equal(r.msg.w[i], 0);
	assert_int_equal(r.pid, 0);
	assert_int_equal(r.uid, 0);
	assert_int_equal(r.gid, 0);
	assert_int_equal(r.send_len, 0);
	assert_int_equal(r.recv_len, 0);

	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, IPC_OP_CLOSE);
	assert_int_equal(r.badge, BADGE2);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ETIMEDOUT);
	assert_null(port->closes);
	assert_null(port->closes_tail);
	/* A reply with rid 0 is refused. */
	assert_int_equal(sys_ipc_reply(r.rid, 0, 0), -EINVAL);
	finish();
}

static void test_close_notice_wakes_receiver(void **state)
{
	struct fiber *fs = spawn_recv(st, port_h, IPC_FOREVER);

	run();
	assert_false(fs->done);
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	assert_int_equal(st->state, THREAD_READY);
	run();
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	assert_int_equal(fs->rcv.msg.op, IPC_OP_CLOSE);
	assert_int_equal(fs->rcv.badge, BADGE1);
	assert_int_equal(fs->rcv.rid, 0);
	finish();
}

static void test_close_notice_copy_fault_keeps_it(void **state)
{
	struct ipc_received r;

	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(fault_page), 0),
			 -EFAULT);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, IPC_OP_CLOSE);
	assert_int_equal(r.badge, BADGE1);
	finish();
}

static void test_close_notice_out_of_memory_is_dropped(void **state)
{
	struct ipc_received r;

	as(cx);
	fail_alloc_in = 0;
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	fail_alloc_in = -1;
	assert_null(port->closes);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ETIMEDOUT);
	finish();
}

static void test_no_close_notice_for_dead_port(void **state)
{
	as(st);
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	assert_true(port->dead);
	assert_int_equal(kobj_live, 2); /* the connection keeps it */
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	assert_int_equal(kobj_live, 0); /* both gone, no notice leaked */
	finish();
}

static void test_port_close_frees_pending_notices(void **state)
{
	handle_t conn2 = make_conn(BADGE2);

	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	assert_int_equal(handle_close(&C->handles, conn2), 0);
	assert_non_null(port->closes);
	as(st);
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	/* Port, connections and notices: all gone. */
	assert_int_equal(kobj_live, 0);
	assert_int_equal(heap_live, 2); /* the two handle arrays */
	finish();
}

/* ======================================================================= */
/* ports, servers and threads that go away                                  */
/* ======================================================================= */

static void test_port_close_fails_callers(void **state)
{
	struct kobj *a;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	struct ipc_msg m0 = mk_msg(1, 0), m1 = mk_msg(2, 0), m2 = mk_msg(3, 0);
	struct fiber *f0, *f1;

	m0.nhandles = 1;
	m0.handles[0] = ha;
	f0 = call_async(ct[0], conn_h, &m0, NULL);
	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_ptr_equal(port->senders.head, ct[0]);

	as(st);
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	assert_true(port->dead);
	assert_null(port->senders.head);
	run();
	assert_true(f0->done);
	assert_true(f1->done);
	assert_int_equal(f0->ret, -EPIPE);
	assert_int_equal(f1->ret, -EPIPE);
	/* The failed call dropped the handle it carried. */
	assert_int_equal(payload_destroyed, 1);
	assert_null(ct[0]->call.port);

	/* New calls fail at once. */
	as(cx);
	assert_int_equal(sys_ipc_call((uint64_t)conn_h, U(&m2), 0), -EPIPE);
	assert_int_equal(blocks, 2);
	finish();
}

static void test_port_close_wakes_receivers_with_ebadf(void **state)
{
	struct fiber *f = spawn_recv(st, port_h, IPC_FOREVER);

	run();
	as(st2);
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	run();
	assert_true(f->done);
	assert_int_equal(f->ret, -EBADF);
	assert_null(st->held);
	/* Then the connection goes, and with it the port. */
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	assert_int_equal(kobj_live, 0);
	finish();
}

static void test_receiver_keeps_port_alive(void **state)
{
	/* Port closed, then the connection: only the receiver holds it. */
	struct fiber *f = spawn_recv(st, port_h, IPC_FOREVER);

	run();
	as(st2);
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	assert_int_equal(kobj_live, 1);
	assert_int_equal(port->obj.refs, 1);
	run();
	assert_true(f->done);
	assert_int_equal(f->ret, -EBADF);
	assert_int_equal(kobj_live, 0);
	finish();
}

static void test_woken_receiver_sees_port_closed(void **state)
{
	/*
	 * Woken by a CLOSE notice, but the port's last handle goes before
	 * the receiver runs (the notice with it); a second connection
	 * keeps the port alive.  The receiver must not wait on a dead port.
	 */
	handle_t conn2 = make_conn(BADGE2);
	struct fiber *f = spawn_recv(st, port_h, IPC_FOREVER);

	run();
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);
	assert_int_equal(st->state, THREAD_READY);
	as(st2);
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	assert_null(port->closes);
	run();
	assert_true(f->done);
	assert_int_equal(f->ret, -EBADF);
	assert_null(port->receivers.head);
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn2), 0);
	finish();
}

static void test_server_gone_fails_parked_calls(void **state)
{
	struct ipc_msg m = mk_msg(1, 0);
	struct fiber *f0, *f1, *f2;
	struct ipc_received r0, r1;

	f0 = call_async(ct[0], conn_h, &m, NULL);
	f1 = call_async(ct[1], conn_h, &m, NULL);
	f2 = call_async(ct[2], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r0), 0), 0);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r1), 0), 0);

	/* The two parked calls fail; the queued one is not the table's. */
	ipc_server_gone(S);
	assert_null(S->replies[0].caller);
	assert_null(S->replies[1].caller);
	run();
	assert_int_equal(f0->ret, -EPIPE);
	assert_int_equal(f1->ret, -EPIPE);
	assert_false(f2->done);
	assert_null(ct[0]->call.server);
	assert_int_equal(sys_ipc_reply(r0.rid, 0, 0), -ESRCH);

	/* The queued one goes when the port does. */
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	run();
	assert_int_equal(f2->ret, -EPIPE);
	finish();
}

static void test_cancel_parked_caller(void **state)
{
	struct kobj *a, *x;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	handle_t hx = new_payload(S, OBJ_MEMORY, RIGHT_TRANSFER, &x);
	struct ipc_msg m = mk_msg(1, 0), rep = mk_msg(0, 0);
	uint32_t refs = port->obj.refs;
	struct ipc_received r;
	struct fiber *f;
	char buf[8];

	m.nhandles = 1;
	m.handles[0] = ha;
	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_ptr_equal(obj_of(S, r.msg.handles[0]), a);

	kill_thread(ct[0]);
	assert_true(f->killed);
	assert_null(S->replies[0].caller);
	assert_null(ct[0]->call.port);
	assert_int_equal(port->obj.refs, refs);

	/* The server's answer finds nobody; its handle stays with it. */
	as(st);
	rep.nhandles = 1;
	rep.handles[0] = hx;
	assert_int_equal(sys_ipc_reply(r.rid, 0, U(&rep)), -ESRCH);
	assert_ptr_equal(obj_of(S, hx), x);
	assert_int_equal(x->handles, 1);
	assert_int_equal(sys_ipc_read(r.rid, 0, U(buf), 8), -ESRCH);
	/* What the call brought stays with the server. */
	assert_ptr_equal(obj_of(S, r.msg.handles[0]), a);
	assert_int_equal(a->handles, 1);
	assert_int_equal(payload_destroyed, 0);
	finish();
}

static void test_cancel_queued_caller_releases_handles(void **state)
{
	struct kobj *a, *b;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	handle_t hb = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &b);
	struct ipc_msg m = mk_msg(1, 0), m2 = mk_msg(2, 0);
	uint32_t refs = port->obj.refs;
	struct ipc_received r;
	struct fiber *f, *f2;

	m.nhandles = 2;
	m.handles[0] = ha;
	m.handles[1] = hb;
	f = call_async(ct[0], conn_h, &m, NULL);
	f2 = call_async(ct[1], conn_h, &m2, NULL);
	assert_int_equal(payload_destroyed, 0);

	kill_thread(ct[0]);
	assert_true(f->killed);
	assert_ptr_equal(port->senders.head, ct[1]);
	assert_int_equal(payload_last_handles, 2);
	assert_int_equal(payload_destroyed, 2);
	assert_int_equal(port->obj.refs, refs + 1); /* ct[1]'s call */

	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, 2);
	assert_int_equal(sys_ipc_reply(r.rid, 0, 0), 0);
	run();
	assert_true(f2->done);
	finish();
}

static void test_cancel_after_reply_releases_reply_handles(void **state)
{
	struct kobj *x;
	handle_t hx = new_payload(S, OBJ_MEMORY, RIGHT_TRANSFER, &x);
	struct ipc_msg m = mk_msg(1, 0), rep = mk_msg(0, 0);
	struct ipc_received r;
	struct fiber *f;

	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	rep.nhandles = 1;
	rep.handles[0] = hx;
	assert_int_equal(sys_ipc_reply(r.rid, 0, U(&rep)), 0);
	assert_int_equal(ct[0]->state, THREAD_READY);

	/* Killed before it ran: the reply's handle is dropped, not leaked. */
	kill_thread(ct[0]);
	assert_true(f->killed);
	assert_int_equal(payload_last_handles, 1);
	assert_int_equal(payload_destroyed, 1);
	assert_null(ct[0]->call.port);
	finish();
}

static void test_cancel_receiver_with_partner(void **state)
{
	struct ipc_msg m = mk_msg(6, 60);
	struct ipc_received r;
	struct fiber *fs, *fc;

	fs = spawn_recv(st, port_h, IPC_FOREVER);
	assert_true(step());
	fc = spawn_call(ct[0], conn_h, &m, NULL);
	assert_true(step());
	assert_ptr_equal(st->partner, ct[0]);

	/* The receiver dies before taking the call: it goes back in front. */
	kill_thread(st);
	assert_true(fs->killed);
	assert_null(ct[0]->call.receiver);
	assert_ptr_equal(port->senders.head, ct[0]);
	assert_int_equal(ct[0]->state, THREAD_BLOCKED);

	as(st2);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	check_rcv_is_call(&r, &m, BADGE1, C);
	assert_int_equal(sys_ipc_reply(r.rid, 8, 0), 0);
	run();
	assert_int_equal(fc->ret, 8);
	finish();
}

static void test_cancel_receiver_with_partner_dead_port(void **state)
{
	struct ipc_msg m = mk_msg(6, 60);
	struct fiber *fs, *fc;

	fs = spawn_recv(st, port_h, IPC_FOREVER);
	assert_true(step());
	fc = spawn_call(ct[0], conn_h, &m, NULL);
	assert_true(step());
	as(st2);
	assert_int_equal(handle_close(&S->handles, port_h), 0);
	kill_thread(st);
	assert_true(fs->killed);
	run();
	assert_true(fc->done);
	assert_int_equal(fc->ret, -EPIPE);
	finish();
}

static void test_cancel_caller_handed_to_receiver(void **state)
{
	struct ipc_msg m = mk_msg(6, 60), m2 = mk_msg(7, 70);
	struct fiber *fs, *fc, *fc2;

	fs = spawn_recv(st, port_h, 5000);
	assert_true(step());
	fc = spawn_call(ct[0], conn_h, &m, NULL);
	assert_true(step());
	assert_ptr_equal(st->partner, ct[0]);

	/* The caller dies before the receiver ran: the receiver waits on. */
	kill_thread(ct[0]);
	assert_true(fc->killed);
	assert_null(st->partner);
	run();
	assert_false(fs->done);
	assert_ptr_equal(port->receivers.head, st);
	fc2 = call_async(ct[1], conn_h, &m2, NULL);
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	assert_int_equal(fs->rcv.msg.op, 7);
	as(st);
	assert_int_equal(sys_ipc_reply(fs->rcv.rid, 1, 0), 0);
	run();
	assert_int_equal(fc2->ret, 1);
	finish();
}

/* ======================================================================= */
/* delivery failures                                                        */
/* ======================================================================= */

static void test_deliver_fault_requeues_in_front(void **state)
{
	struct kobj *a;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	struct ipc_msg m0 = mk_msg(1, 0), m1 = mk_msg(2, 0);
	uint32_t s_used = S->handles.used;
	struct ipc_received r;
	struct fiber *f0, *f1;

	m0.nhandles = 1;
	m0.handles[0] = ha;
	f0 = call_async(ct[0], conn_h, &m0, NULL);
	f1 = call_async(ct[1], conn_h, &m1, NULL);

	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(fault_page), 0),
			 -EFAULT);
	assert_int_equal(S->handles.used, s_used);
	assert_null(S->replies[0].caller);
	assert_null(ct[0]->call.server);
	assert_ptr_equal(port->senders.head, ct[0]);
	assert_ptr_equal(port->senders.tail, ct[1]);
	assert_int_equal(a->handles, 1);
	assert_false(f0->done);

	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, 1);
	assert_int_equal(r.msg.nhandles, 1);
	assert_ptr_equal(obj_of(S, r.msg.handles[0]), a);
	assert_int_equal(sys_ipc_reply(r.rid, 10, 0), 0);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, 2);
	assert_int_equal(sys_ipc_reply(r.rid, 11, 0), 0);
	run();
	assert_int_equal(f0->ret, 10);
	assert_int_equal(f1->ret, 11);
	finish();
}

static void test_reply_table_limit(void **state)
{
	struct kobj *a;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	struct ipc_msg m = mk_msg(1, 0);
	uint32_t s_used = S->handles.used;
	struct ipc_received r;
	struct fiber *f;

	/* 4096 calls already parked (stand-ins, never woken). */
	S->replies = kzalloc(4096 * sizeof(struct reply_slot));
	S->reply_capacity = 4096;
	for (int i = 0; i < 4096; i++) {
		S->replies[i].caller = cx;
		S->replies[i].seq = 1;
	}
	m.nhandles = 1;
	m.handles[0] = ha;
	f = call_async(ct[0], conn_h, &m, NULL);

	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ENOMEM);
	assert_int_equal(S->reply_capacity, 4096);
	assert_ptr_equal(port->senders.head, ct[0]);
	assert_int_equal(S->handles.used, s_used);
	assert_false(f->done);

	S->replies[17].caller = NULL;
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(rid_slot(r.rid), 18);
	assert_ptr_equal(obj_of(S, r.msg.handles[0]), a);
	assert_int_equal(sys_ipc_reply(r.rid, 2, 0), 0);
	run();
	assert_int_equal(f->ret, 2);
	for (int i = 0; i < 4096; i++)
		S->replies[i].caller = NULL;
	finish();
}

static void test_server_table_full_fails_the_call(void **state)
{
	struct kobj *a, *filler;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	struct ipc_msg m = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *f;

	new_payload(S, OBJ_MEMORY, 0, &filler);
	while (S->handles.used < HANDLE_MAX)
		assert_true(handle_install(&S->handles, filler, 0) >= 0);
	m.nhandles = 1;
	m.handles[0] = ha;
	f = call_async(ct[0], conn_h, &m, NULL);

	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ETIMEDOUT);
	assert_null(S->replies[0].caller);
	run();
	assert_true(f->done);
	assert_int_equal(f->ret, -EMFILE);
	/* The caller dropped what it could not send. */
	assert_int_equal(payload_destroyed, 1);
	finish();
}

static void test_server_table_one_slot_short(void **state)
{
	/* Room for one of two handles: the first is taken out again. */
	struct kobj *a, *b, *filler;
	handle_t ha = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &a);
	handle_t hb = new_payload(C, OBJ_MEMORY, RIGHT_TRANSFER, &b);
	struct ipc_msg m = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *f;
	uint32_t used;

	new_payload(S, OBJ_MEMORY, 0, &filler);
	while (S->handles.used < HANDLE_MAX - 1)
		assert_true(handle_install(&S->handles, filler, 0) >= 0);
	used = S->handles.used;
	m.nhandles = 2;
	m.handles[0] = ha;
	m.handles[1] = hb;
	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ETIMEDOUT);
	assert_int_equal(S->handles.used, used);
	for (uint32_t i = 0; i < S->handles.capacity; i++) {
		assert_ptr_not_equal(S->handles.slots[i].obj, a);
		assert_ptr_not_equal(S->handles.slots[i].obj, b);
	}
	assert_int_equal(a->handles, 1);
	assert_int_equal(b->handles, 1);
	run();
	assert_int_equal(f->ret, -EMFILE);
	assert_int_equal(payload_destroyed, 2);
	finish();
}

static void test_caller_table_one_slot_short(void **state)
{
	struct kobj *x, *y, *filler;
	handle_t hx = new_payload(S, OBJ_MEMORY, RIGHT_TRANSFER, &x);
	handle_t hy = new_payload(S, OBJ_MEMORY, RIGHT_TRANSFER, &y);
	struct ipc_msg m = mk_msg(1, 0), rep = mk_msg(0, 0);
	struct ipc_received r;
	struct fiber *f;
	uint32_t used;

	f = call_async(ct[0], conn_h, &m, NULL);
	new_payload(C, OBJ_MEMORY, 0, &filler);
	while (C->handles.used < HANDLE_MAX - 1)
		assert_true(handle_install(&C->handles, filler, 0) >= 0);
	used = C->handles.used;
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	rep.nhandles = 2;
	rep.handles[0] = hx;
	rep.handles[1] = hy;
	assert_int_equal(sys_ipc_reply(r.rid, 0, U(&rep)), 0);
	run();
	assert_int_equal(f->ret, -EMFILE);
	assert_int_equal(C->handles.used, used);
	assert_int_equal(payload_destroyed, 2);
	finish();
}

static void test_caller_table_full_drops_reply_handles(void **state)
{
	struct kobj *x, *filler;
	handle_t hx = new_payload(S, OBJ_MEMORY, RIGHT_TRANSFER, &x);
	struct ipc_msg m = mk_msg(1, 0), rep = mk_msg(0, 0);
	struct ipc_received r;
	struct fiber *f;

	f = call_async(ct[0], conn_h, &m, NULL);
	new_payload(C, OBJ_MEMORY, 0, &filler);
	while (C->handles.used < HANDLE_MAX)
		assert_true(handle_install(&C->handles, filler, 0) >= 0);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	rep.nhandles = 1;
	rep.handles[0] = hx;
	assert_int_equal(sys_ipc_reply(r.rid, 0, U(&rep)), 0);
	run();
	assert_int_equal(f->ret, -EMFILE);
	assert_int_equal(payload_destroyed, 1); /* x */
	finish();
}

/* ======================================================================= */
/* lent buffers                                                             */
/* ======================================================================= */

static void test_read_write_bounded(void **state)
{
	char src[11], dst[16], out[64];
	struct ipc_buffers b = { src, sizeof(src), dst, sizeof(dst) };
	struct ipc_msg m = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *f;
	uint64_t rid;

	memcpy(src, "hello world", 11);
	memset(dst, '.', sizeof(dst));
	f = call_async(ct[0], conn_h, &m, &b);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	rid = r.rid;

	memset(out, 0, sizeof(out));
	assert_int_equal(sys_ipc_read(rid, 0, U(out), sizeof(out)), 11);
	assert_memory_equal(out, "hello world", 11);
	assert_int_equal(out[11], 0);
	assert_ptr_equal(last_transfer.other, C);
	assert_false(last_transfer.to_other);
	assert_int_equal(last_transfer.theirs, U(src));
	memset(out, 0, sizeof(out));
	assert_int_equal(sys_ipc_read(rid, 6, U(out), 3), 3);
	assert_memory_equal(out, "wor", 3);
	assert_int_equal(last_transfer.theirs, U(src) + 6);
	assert_int_equal(sys_ipc_read(rid, 10, U(out), sizeof(out)), 1);
	assert_int_equal(out[0], 'd');
	int before = transfers;

	assert_int_equal(sys_ipc_read(rid, 11, U(out), sizeof(out)), 0);
	assert_int_equal(sys_ipc_read(rid, 1000, U(out), sizeof(out)), 0);
	assert_int_equal(sys_ipc_read(rid, UINT64_MAX, U(out), sizeof(out)), 0);
	assert_int_equal(transfers, before); /* nothing copied */
	assert_int_equal(sys_ipc_read(rid, 0, U(out), 0), 0);

	assert_int_equal(sys_ipc_write(rid, 0, U("ABCDEFGHIJKLMNOPQRSTUV"), 22),
			 16);
	assert_memory_equal(dst, "ABCDEFGHIJKLMNOP", 16);
	assert_true(last_transfer.to_other);
	assert_int_equal(last_transfer.theirs, U(dst));
	assert_int_equal(sys_ipc_write(rid, 10, U("0123456789"), 10), 6);
	assert_memory_equal(dst, "ABCDEFGHIJ012345", 16);
	assert_int_equal(sys_ipc_write(rid, 16, U("zz"), 2), 0);
	assert_int_equal(sys_ipc_write(rid, 1ull << 40, U("zz"), 2), 0);
	assert_memory_equal(dst, "ABCDEFGHIJ012345", 16);
	/* src was not written, dst not read into the server. */
	assert_memory_equal(src, "hello world", 11);

	/* Bad requests. */
	assert_int_equal(sys_ipc_read(rid, 0, U(out), IPC_BUF_MAX + 1ull),
			 -EINVAL);
	assert_int_equal(sys_ipc_write(rid, 100, U(out), IPC_BUF_MAX + 1ull),
			 -EINVAL);
	assert_int_equal(sys_ipc_read(rid, 0, KERNEL_ADDR, 4), -EFAULT);
	assert_int_equal(sys_ipc_write(rid, 0, KERNEL_ADDR, 4), -EFAULT);
	assert_int_equal(sys_ipc_read(rid, 0, 8, 4), -EFAULT);
	assert_int_equal(sys_ipc_read(0, 0, U(out), 4), -EINVAL);
	assert_int_equal(sys_ipc_write(0, 0, U(out), 4), -EINVAL);
	assert_int_equal(sys_ipc_read(rid + (1ull << 32), 0, U(out), 4),
			 -ESRCH);

	assert_int_equal(sys_ipc_reply(rid, 0, 0), 0);
	run();
	assert_true(f->done);
	assert_memory_equal(dst, "ABCDEFGHIJ012345", 16);
	as(st);
	assert_int_equal(sys_ipc_read(rid, 0, U(out), 4), -ESRCH);
	assert_int_equal(sys_ipc_write(rid, 0, U(out), 4), -ESRCH);
	finish();
}

static void test_read_write_without_buffers(void **state)
{
	struct ipc_msg m = mk_msg(1, 0);
	struct ipc_received r;
	char out[8];
	struct fiber *f;

	f = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.send_len, 0);
	assert_int_equal(r.recv_len, 0);
	assert_int_equal(sys_ipc_read(r.rid, 0, U(out), 8), 0);
	assert_int_equal(sys_ipc_write(r.rid, 0, U(out), 8), 0);
	assert_int_equal(transfers, 0);
	assert_int_equal(sys_ipc_reply(r.rid, 0, 0), 0);
	run();
	assert_true(f->done);
	finish();
}

/* ======================================================================= */
/* many calls, reply_recv                                                   */
/* ======================================================================= */

#define MANY 100

static void test_hundred_parked_calls_reverse(void **state)
{
	struct process *cp[4];
	struct thread *t[MANY];
	struct fiber *f[MANY];
	handle_t conns[4];
	uint64_t rid[MANY];
	struct ipc_received r;

	/* Four client processes, each with its own connection. */
	for (int p = 0; p < 4; p++) {
		cp[p] = new_proc(100 + p, 5000 + p, 6000 + p);
		as(st);
		long h = sys_conn_create((uint64_t)port_h, 0x1000 + p);

		assert_true(h >= 0);
		conns[p] = give(S, (handle_t)h, cp[p]);
	}
	for (int i = 0; i < MANY; i++) {
		struct ipc_msg m = mk_msg((uint32_t)i, 0);

		m.w[0] = (uint64_t)i;
		m.w[5] = ~(uint64_t)i;
		t[i] = new_thread(cp[i % 4]);
		f[i] = spawn_call(t[i], conns[i % 4], &m, NULL);
	}
	run();
	as(st);
	for (int i = 0; i < MANY; i++) {
		assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
		assert_int_equal(r.msg.op, (uint32_t)i);
		assert_int_equal(r.msg.w[0], (uint64_t)i);
		assert_int_equal(r.msg.w[5], ~(uint64_t)i);
		assert_int_equal(r.badge, 0x1000 + i % 4);
		assert_int_equal(r.pid, 100 + i % 4);
		assert_int_equal(r.uid, 5000 + i % 4);
		rid[i] = r.rid;
	}
	assert_int_equal(S->reply_capacity, 128);
	for (int i = MANY - 1; i >= 0; i--) {
		struct ipc_msg rep = mk_msg(0, 0);

		rep.w[0] = 3 * (uint64_t)i + 1;
		assert_int_equal(
			sys_ipc_reply(rid[i], 1000 + (uint64_t)i, U(&rep)), 0);
	}
	run();
	for (int i = 0; i < MANY; i++) {
		assert_true(f[i]->done);
		assert_int_equal(f[i]->ret, 1000 + i);
		assert_int_equal(f[i]->msg.w[0], 3 * (uint64_t)i + 1);
	}
	for (uint32_t i = 0; i < S->reply_capacity; i++)
		assert_null(S->replies[i].caller);
	finish();
}

static void test_reply_recv_takes_next_call(void **state)
{
	struct ipc_msg m0 = mk_msg(1, 0), m1 = mk_msg(2, 0),
		       rep = mk_msg(0, 55);
	struct ipc_received r;
	struct fiber *f0, *f1, *fs;

	f0 = call_async(ct[0], conn_h, &m0, NULL);
	f1 = call_async(ct[1], conn_h, &m1, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);

	fs = spawn_reply_recv(st, r.rid, 11, &rep, port_h, IPC_FOREVER);
	run();
	assert_true(f0->done);
	assert_int_equal(f0->ret, 11);
	assert_int_equal(f0->msg.w[0], 55);
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	check_rcv_is_call(&fs->rcv, &m1, BADGE1, C);

	as(st);
	assert_int_equal(sys_ipc_reply(fs->rcv.rid, 12, 0), 0);
	run();
	assert_int_equal(f1->ret, 12);
	finish();
}

static void test_reply_recv_then_waits(void **state)
{
	struct ipc_msg m0 = mk_msg(1, 0), m1 = mk_msg(2, 0);
	struct ipc_received r;
	struct fiber *f0, *f1, *fs;

	f0 = call_async(ct[0], conn_h, &m0, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);

	/* Reply, then wait: the caller runs and the server waits. */
	fs = spawn_reply_recv(st, r.rid, 21, NULL, port_h, IPC_FOREVER);
	run();
	assert_true(f0->done);
	assert_int_equal(f0->ret, 21);
	assert_false(fs->done);
	assert_ptr_equal(port->receivers.head, st);
	assert_int_equal(fast_recv_blocks, fast_ok ? 1 : 0);

	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	check_rcv_is_call(&fs->rcv, &m1, BADGE1, C);
	as(st);
	assert_int_equal(sys_ipc_reply(fs->rcv.rid, 22, 0), 0);
	run();
	assert_int_equal(f1->ret, 22);
	finish();
}

/*
 * The round trip the syscall fastpath is for: reply_recv with a message
 * and no deadline, then a register-only call: both take the fastpath
 * (when the other side may run at once), with the same results.
 */
static void test_syscall_fastpath_round_trip(void **state)
{
	struct ipc_msg m0 = mk_msg(1, 0), m1 = mk_msg(2, 0), out = mk_msg(0, 7);
	struct ipc_received r;
	struct fiber *f0, *f1, *fs;

	f0 = call_async(ct[0], conn_h, &m0, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);

	fs = spawn_reply_recv(st, r.rid, 31, &out, port_h, IPC_FOREVER);
	run();
	assert_true(f0->done);
	assert_int_equal(f0->ret, 31);
	assert_int_equal(f0->msg.w[0], out.w[0]);
	assert_false(fs->done);
	assert_ptr_equal(port->receivers.head, st);
	assert_ptr_equal(st->held, &port->obj);

	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	check_rcv_is_call(&fs->rcv, &m1, BADGE1, C);
	assert_null(st->held);
	as(st);
	assert_int_equal(sys_ipc_reply(fs->rcv.rid, 32, 0), 0);
	run();
	assert_int_equal(f1->ret, 32);
	assert_int_equal(syscall_fastpaths, fast_ok ? 2 : 0);
	finish();
}

/*
 * Brings server thread `s` into a receive on `on` made by reply_recv (on
 * the fastpath: blocked with fast_out set), by answering a call that
 * client thread `c` made through `conn`.  Returns the server's fiber.
 */
static struct fiber *park_receiver(struct thread *s, struct thread *c,
				   handle_t on, handle_t conn)
{
	struct ipc_msg m = mk_msg(90, 0);
	struct ipc_received r;
	struct fiber *fc, *fs;

	fc = call_async(c, conn, &m, NULL);
	as(s);
	assert_int_equal(sys_ipc_recv((uint64_t)on, U(&r), 0), 0);
	fs = spawn_reply_recv(s, r.rid, 1, NULL, on, IPC_FOREVER);
	run();
	assert_true(fc->done);
	assert_int_equal(fc->ret, 1);
	assert_false(fs->done);
	assert_int_equal(s->fast_out != 0, fast_ok);
	return fs;
}

/*
 * The steady state the fastpath is for: the server waits in reply_recv,
 * each call is delivered straight into its record and each reply straight
 * into the caller's message, with no trip through the ordinary code.
 */
static void test_syscall_fastpath_steady_state(void **state)
{
	struct ipc_msg m1 = mk_msg(1, 100), m2 = mk_msg(2, 200),
		       out = mk_msg(0, 70);
	struct fiber *fs, *fs2, *f1, *f2;
	uint32_t refs = port->obj.refs;

	fs = park_receiver(st, ct[0], port_h, conn_h);
	syscall_fastpaths = direct_returns = 0;

	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	check_rcv_is_call(&fs->rcv, &m1, BADGE1, C);
	assert_int_equal(fs->rcv.send_len, 0);
	assert_int_equal(fs->rcv.recv_len, 0);
	assert_false(f1->done);
	assert_ptr_equal(ct[1]->call.server, S);
	assert_int_equal(ct[1]->fast_out != 0, fast_ok);
	assert_null(st->held);
	assert_null(st->partner);
	assert_null(port->receivers.head);

	/* Answer and wait again: the caller's call ends in the reply. */
	out.w[5] = 75;
	fs2 = spawn_reply_recv(st, fs->rcv.rid, 42, &out, port_h, IPC_FOREVER);
	run();
	assert_true(f1->done);
	assert_int_equal(f1->ret, 42);
	assert_int_equal(f1->msg.op, 0);
	assert_int_equal(f1->msg.w[0], 70);
	assert_int_equal(f1->msg.w[5], 75);
	assert_false(fs2->done);
	assert_ptr_equal(port->receivers.head, st);
	assert_ptr_equal(st->held, &port->obj);
	assert_null(ct[1]->call.port);
	assert_null(ct[1]->call.server);
	assert_int_equal(ct[1]->fast_out, 0);
	assert_int_equal(sys_ipc_reply(fs->rcv.rid, 0, 0), -ESRCH);

	f2 = call_async(ct[2], conn_h, &m2, NULL);
	assert_true(fs2->done);
	assert_int_equal(fs2->ret, 0);
	check_rcv_is_call(&fs2->rcv, &m2, BADGE1, C);
	assert_int_not_equal(fs2->rcv.rid, fs->rcv.rid);
	as(st);
	assert_int_equal(sys_ipc_reply(fs2->rcv.rid, 43, 0), 0);
	run();
	assert_int_equal(f2->ret, 43);
	assert_int_equal(port->obj.refs, refs);
	/* Resumed: fs, f1 and fs2 straight, f2 through call_done. */
	assert_int_equal(syscall_fastpaths, fast_ok ? 4 : 0);
	assert_int_equal(direct_returns, fast_ok ? 3 : 0);
	finish();
}

/*
 * A server's record became unmapped while it waited: the call goes back
 * to the head of the queue and the server's receive fails with -EFAULT,
 * as in the ordinary path; a later receive takes the call.
 */
static void test_fastpath_delivery_fault_requeues(void **state)
{
	struct ipc_msg m0 = mk_msg(1, 0), m1 = mk_msg(2, 20);
	struct ipc_received r;
	struct fiber *f0, *f1, *fs;

	f0 = call_async(ct[0], conn_h, &m0, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	fs = spawn_reply_recv(st, r.rid, 0, NULL, port_h, IPC_FOREVER);
	fs->rcv_at = U(fault_page); /* passes check_user, fails the copy */
	run();
	assert_true(f0->done);
	assert_false(fs->done);

	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_int_equal(fast_sends, fast_ok ? 1 : 0); /* tried straight */
	assert_true(fs->done);
	assert_int_equal(fs->ret, -EFAULT);
	assert_false(f1->done);
	assert_ptr_equal(port->senders.head, ct[1]);
	assert_null(ct[1]->call.server);
	assert_null(st->held);
	for (uint32_t i = 0; i < S->reply_capacity; i++)
		assert_null(S->replies[i].caller);

	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	check_rcv_is_call(&r, &m1, BADGE1, C);
	assert_int_equal(sys_ipc_reply(r.rid, 5, 0), 0);
	run();
	assert_int_equal(f1->ret, 5);
	finish();
}

/* A caller whose message became unmapped while it waited gets -EFAULT. */
static void test_fastpath_reply_fault(void **state)
{
	struct ipc_msg m1 = mk_msg(1, 0), out = mk_msg(0, 9);
	struct fiber *fs, *fs2, *f1, *f2;

	fs = park_receiver(st, ct[0], port_h, conn_h);
	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_true(fs->done);
	gone_at = U(&f1->msg);
	gone_len = sizeof(f1->msg);
	fs2 = spawn_reply_recv(st, fs->rcv.rid, 3, &out, port_h, IPC_FOREVER);
	run();
	assert_true(f1->done);
	assert_int_equal(f1->ret, -EFAULT);
	assert_null(ct[1]->call.port);
	/* The server goes on waiting, unharmed. */
	assert_false(fs2->done);
	assert_ptr_equal(port->receivers.head, st);
	gone_at = gone_len = 0;
	f2 = call_async(ct[2], conn_h, &m1, NULL);
	assert_true(fs2->done);
	assert_int_equal(fs2->ret, 0);
	as(st);
	assert_int_equal(sys_ipc_reply(fs2->rcv.rid, 4, 0), 0);
	run();
	assert_int_equal(f2->ret, 4);
	finish();
}

/*
 * A reply to a call that came through one port, made with a receive on
 * another: the call's hold on its port is dropped and the other held.
 */
static void test_fastpath_reply_recv_on_other_port(void **state)
{
	struct ipc_msg m1 = mk_msg(1, 0), m2 = mk_msg(2, 0);
	struct fiber *fs, *fs2, *f1, *f2;
	struct port *port2;
	handle_t port2_h, conn2_h;
	uint32_t refs, refs2;
	long h;

	as(st);
	h = sys_port_create();
	assert_true(h >= 0);
	port2_h = (handle_t)h;
	port2 = (struct port *)obj_of(S, port2_h);
	h = sys_conn_create((uint64_t)port2_h, BADGE2);
	assert_true(h >= 0);
	conn2_h = give(S, (handle_t)h, C);
	refs = port->obj.refs;
	refs2 = port2->obj.refs;

	fs = park_receiver(st2, ct[0], port_h, conn_h);
	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_true(fs->done);
	fs2 = spawn_reply_recv(st2, fs->rcv.rid, 6, NULL, port2_h, IPC_FOREVER);
	run();
	assert_true(f1->done);
	assert_int_equal(f1->ret, 6);
	assert_ptr_equal(port2->receivers.head, st2);
	assert_null(port->receivers.head);
	assert_ptr_equal(st2->held, &port2->obj);
	assert_int_equal(port->obj.refs, refs);
	assert_int_equal(port2->obj.refs, refs2 + 1);

	f2 = call_async(ct[2], conn2_h, &m2, NULL);
	assert_true(fs2->done);
	check_rcv_is_call(&fs2->rcv, &m2, BADGE2, C);
	as(st2);
	assert_int_equal(sys_ipc_reply(fs2->rcv.rid, 7, 0), 0);
	run();
	assert_int_equal(f2->ret, 7);
	assert_int_equal(port2->obj.refs, refs2);
	finish();
}

/* Threads the fastpath blocked die cleanly: nothing leaks or dangles. */
static void test_fastpath_blocked_threads_killed(void **state)
{
	struct ipc_msg m1 = mk_msg(1, 0), m2 = mk_msg(2, 0);
	struct ipc_received r;
	struct fiber *fs, *f1, *f2;
	uint64_t rid;

	fs = park_receiver(st, ct[0], port_h, conn_h);
	f1 = call_async(ct[1], conn_h, &m1, NULL);
	assert_true(fs->done);
	rid = fs->rcv.rid;
	/* The caller, held in the server's reply table. */
	kill_thread(ct[1]);
	assert_null(S->replies[rid_slot(rid) - 1].caller);
	as(st);
	assert_int_equal(sys_ipc_reply(rid, 0, 0), -ESRCH);
	assert_false(f1->done);

	/* The server, waiting in the fastpath's receive. */
	fs = spawn_reply_recv(st, 0, 0, NULL, port_h, IPC_FOREVER);
	run();
	assert_ptr_equal(port->receivers.head, st);
	kill_thread(st);
	assert_null(port->receivers.head);
	assert_null(st->held);
	f2 = call_async(ct[2], conn_h, &m2, NULL);
	assert_ptr_equal(port->senders.head, ct[2]);
	as(st2);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(sys_ipc_reply(r.rid, 8, 0), 0);
	run();
	assert_int_equal(f2->ret, 8);
	finish();
}

/* A CLOSE reaches a server waiting in the fastpath's receive. */
static void test_fastpath_receiver_gets_close(void **state)
{
	handle_t c2 = make_conn(BADGE2);
	struct fiber *fs;

	fs = park_receiver(st, ct[0], port_h, conn_h);
	as(cx);
	assert_int_equal(handle_close(&C->handles, c2), 0);
	run();
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	assert_int_equal(fs->rcv.msg.op, IPC_OP_CLOSE);
	assert_int_equal(fs->rcv.badge, BADGE2);
	assert_int_equal(fs->rcv.rid, 0);
	assert_null(st->held);
	assert_int_equal(st->fast_out, 0);
	finish();
}

static void test_reply_recv_waits_with_deadline(void **state)
{
	struct ipc_msg m0 = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *f0, *fs;

	f0 = call_async(ct[0], conn_h, &m0, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	fs = spawn_reply_recv(st, r.rid, 4, NULL, port_h, 7000);
	run();
	assert_int_equal(f0->ret, 4);
	assert_false(fs->done);
	assert_int_equal(st->deadline, fake_now + 7000);
	assert_ptr_equal(st->held, &port->obj);
	expire();
	assert_true(fs->done);
	assert_int_equal(fs->ret, -ETIMEDOUT);
	assert_null(st->held);
	assert_null(port->receivers.head);
	finish();
}

static void test_reply_recv_timeout_zero(void **state)
{
	struct ipc_msg m0 = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *f0;

	f0 = call_async(ct[0], conn_h, &m0, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	/* Answered, and nothing else to receive. */
	assert_int_equal(
		sys_ipc_reply_recv(r.rid, 3, 0, (uint64_t)port_h, U(&r), 0),
		-ETIMEDOUT);
	run();
	assert_int_equal(f0->ret, 3);
	finish();
}

static void test_reply_recv_errors(void **state)
{
	struct ipc_msg m0 = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *f0;
	uint64_t rid;

	f0 = call_async(ct[0], conn_h, &m0, NULL);
	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	rid = r.rid;
	/* A bad reply id: nothing received either. */
	assert_int_equal(
		sys_ipc_reply_recv(rid + 1, 0, 0, (uint64_t)port_h, U(&r), 0),
		-ESRCH);
	/* A bad port: the reply is not made. */
	assert_int_equal(sys_ipc_reply_recv(rid, 0, 0, 999, U(&r), 0), -EBADF);
	assert_ptr_equal(S->replies[0].caller, ct[0]);
	/* rid 0: only receive. */
	assert_int_equal(
		sys_ipc_reply_recv(0, 0, 0, (uint64_t)port_h, U(&r), 0),
		-ETIMEDOUT);
	assert_false(f0->done);
	assert_int_equal(sys_ipc_reply(rid, 1, 0), 0);
	run();
	assert_int_equal(f0->ret, 1);
	finish();
}

/* ======================================================================= */
/* port and connection creation                                             */
/* ======================================================================= */

static void test_port_and_conn_create(void **state)
{
	struct conn *c;
	long h, hp;
	handle_t read_only;
	long live = kobj_live;

	as(st);
	assert_int_equal(rights_of(S, port_h), RIGHT_READ | RIGHT_MANAGE |
						       RIGHT_DUP |
						       RIGHT_TRANSFER);
	assert_int_equal(port->obj.type, OBJ_PORT);
	assert_int_equal(port->obj.handles, 1);
	assert_int_equal(port->obj.refs, 2); /* handle + connection */
	c = (struct conn *)obj_of(C, conn_h);
	assert_int_equal(c->obj.type, OBJ_CONN);
	assert_ptr_equal(c->port, port);
	assert_int_equal(c->badge, BADGE1);
	assert_int_equal(rights_of(C, conn_h),
			 RIGHT_WRITE | RIGHT_DUP | RIGHT_TRANSFER);
	assert_int_equal(c->obj.refs, 1);

	read_only = handle_install(&S->handles, &port->obj, RIGHT_READ);
	assert_true(read_only >= 0);
	assert_int_equal(sys_conn_create((uint64_t)read_only, 1), -EPERM);
	assert_int_equal(sys_conn_create(999, 1), -EBADF);
	as(cx);
	assert_int_equal(sys_conn_create((uint64_t)conn_h, 1), -EBADF);
	assert_int_equal(kobj_live, live);

	/* Out of memory. */
	as(st);
	fail_alloc_in = 0;
	assert_int_equal(sys_port_create(), -ENOMEM);
	fail_alloc_in = 0;
	assert_int_equal(sys_conn_create((uint64_t)port_h, 1), -ENOMEM);
	assert_int_equal(kobj_live, live);

	/* A full table: the new object is not leaked. */
	struct kobj *filler;

	new_payload(S, OBJ_MEMORY, 0, &filler);
	live = kobj_live;
	while (S->handles.used < HANDLE_MAX)
		assert_true(handle_install(&S->handles, filler, 0) >= 0);
	hp = sys_port_create();
	assert_int_equal(hp, -EMFILE);
	h = sys_conn_create((uint64_t)port_h, 1);
	assert_int_equal(h, -EMFILE);
	assert_int_equal(kobj_live, live);
	assert_int_equal(port->obj.refs, 3); /* + read_only */
	finish();
}

/* ======================================================================= */
/* kernel bugs                                                              */
/* ======================================================================= */

/*
 * BUG (ipc.c, do_recv): a receiver that was handed a call (partner set) but
 * finds a CLOSE notice queued returns the notice and keeps the partner.  Its
 * next recv -- on any port -- delivers that call: here a call made on port A
 * comes out of a recv on port B.  (Until that next recv, the caller is on
 * no queue and no other receiver can take it.)  Needs the slow path: the
 * caller cannot switch to the receiver at once (sched_may_run_now false).
 */
static void test_bug_handed_call_survives_close_notice(void **state)
{
	struct ipc_msg m = mk_msg(5, 50);
	handle_t conn2 = make_conn(BADGE2), port_b;
	struct ipc_received r;
	struct fiber *fs, *fc;
	long h;

	set_fast(false);
	as(st);
	h = sys_port_create();
	assert_true(h >= 0);
	port_b = (handle_t)h;

	fs = spawn_recv(st, port_h, IPC_FOREVER);
	assert_true(step());
	fc = spawn_call(ct[0], conn_h, &m, NULL);
	assert_true(step());
	assert_ptr_equal(st->partner, ct[0]);
	/* Before the receiver runs, another connection is closed. */
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn2), 0);
	run();
	assert_true(fs->done);
	assert_int_equal(fs->ret, 0);
	/* Either order is fine: the call, or the notice first. */
	if (fs->rcv.msg.op != IPC_OP_CLOSE) {
		check_rcv_is_call(&fs->rcv, &m, BADGE1, C);
		as(st);
		assert_int_equal(sys_ipc_reply(fs->rcv.rid, 0, 0), 0);
	} else {
		assert_int_equal(fs->rcv.badge, BADGE2);
	}

	/* Port B has had no call at all. */
	as(st);
	memset(&r, 0, sizeof(r));
	h = sys_ipc_recv((uint64_t)port_b, U(&r), 0);
	if (h == 0 && r.badge == BADGE1)
		fail_msg("recv on port B delivered the call made on port A "
			 "(op %u, badge %#lx): the handed-over call outlived "
			 "the CLOSE notice in st->partner",
			 r.msg.op, (unsigned long)r.badge);
	assert_int_equal(h, -ETIMEDOUT);

	/* Port A has whichever of the two is left. */
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	if (fs->rcv.msg.op != IPC_OP_CLOSE) {
		assert_int_equal(r.msg.op, IPC_OP_CLOSE);
		assert_int_equal(r.badge, BADGE2);
	} else {
		check_rcv_is_call(&r, &m, BADGE1, C);
		assert_int_equal(sys_ipc_reply(r.rid, 0, 0), 0);
	}
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), -ETIMEDOUT);
	run();
	assert_true(fc->done);
	assert_int_equal(fc->ret, 0);
	finish();
}

/*
 * BUG (ipc.c, do_recv): CLOSE notices are delivered before calls already
 * queued, so a server sees IPC_OP_CLOSE for a badge and then a call with
 * that same badge.  A server that frees its per-connection state on CLOSE
 * (or reuses the badge) then serves a call for a connection it believes
 * gone.  Here: one client thread is queued in a call on a connection while
 * another thread of the same process closes the connection's only handle.
 */
static void test_bug_close_notice_overtakes_queued_call(void **state)
{
	struct ipc_msg m = mk_msg(5, 50);
	struct ipc_received r;
	struct fiber *f;

	f = call_async(ct[0], conn_h, &m, NULL);
	as(cx);
	assert_int_equal(handle_close(&C->handles, conn_h), 0);

	as(st);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	if (r.msg.op == IPC_OP_CLOSE) {
		struct ipc_received r2;

		/* Drain the call so that the test can still end cleanly. */
		assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r2), 0), 0);
		assert_int_equal(r2.badge, BADGE1);
		assert_int_equal(sys_ipc_reply(r2.rid, 0, 0), 0);
		run();
		finish();
		fail_msg("the server got CLOSE for badge %#lx before a call "
			 "queued earlier through that connection",
			 (unsigned long)r.badge);
	}
	check_rcv_is_call(&r, &m, BADGE1, C);
	assert_int_equal(sys_ipc_reply(r.rid, 0, 0), 0);
	assert_int_equal(sys_ipc_recv((uint64_t)port_h, U(&r), 0), 0);
	assert_int_equal(r.msg.op, IPC_OP_CLOSE);
	assert_int_equal(r.badge, BADGE1);
	run();
	assert_true(f->done);
	finish();
}

/*
 * BUG (ipc.c, do_recv, and ipc_fast_recv_block in fastpath.c): after a
 * blocked receive, do_recv drops the reference it held on the port and,
 * when woken with 0 (here by a CLOSE notice), loops and reads
 * port->closes.  If the port's last handle was closed meanwhile (by
 * another thread of the server, before the receiver ran) and the closed
 * connection was its last other reference, that kobj_put freed the port:
 * a use-after-free.  Run in a child process, since AddressSanitizer ends
 * the process that does it.
 */
static void uaf_scenario(void)
{
	struct fiber *f = spawn_recv(st, port_h, IPC_FOREVER);

	run();
	require(!f->done);
	as(cx);
	require(handle_close(&C->handles, conn_h) == 0); /* wakes st */
	as(st2);
	require(handle_close(&S->handles, port_h) == 0);
	run(); /* st resumes */
	require(f->done);
	if (f->ret != -EBADF) {
		fprintf(stderr, "recv returned %ld, expected -EBADF\n", f->ret);
		_exit(3);
	}
}

/* Runs `scenario` in a child process; fails if the child does not exit 0. */
static void run_in_child(void (*scenario)(void), const char *what)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		in_child = true;
		scenario();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the scenario died (%s %d): %s; see the "
			 "AddressSanitizer report above",
			 WIFEXITED(status) ? "exit" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status)
					   : WTERMSIG(status),
			 what);
}

static void test_bug_recv_uses_port_after_last_put(void **state)
{
	run_in_child(uaf_scenario, "do_recv used the port after dropping "
				   "its last reference");
	/* Nothing happened in this process: tear down normally. */
	finish();
}

/* The same through the fastpath: reply_recv blocked in ipc_fast_recv_block. */
static void uaf_fast_scenario(void)
{
	struct ipc_msg m = mk_msg(1, 0);
	struct ipc_received r;
	struct fiber *fc, *fs;

	set_fast(true);
	fc = call_async(ct[0], conn_h, &m, NULL);
	as(st);
	require(sys_ipc_recv((uint64_t)port_h, U(&r), 0) == 0);
	fs = spawn_reply_recv(st, r.rid, 0, NULL, port_h, IPC_FOREVER);
	run();
	require(fc->done && !fs->done && fast_recv_blocks == 1);
	as(cx);
	require(handle_close(&C->handles, conn_h) == 0); /* wakes st */
	as(st2);
	require(handle_close(&S->handles, port_h) == 0);
	run(); /* st resumes */
	require(fs->done);
	if (fs->ret != -EBADF) {
		fprintf(stderr, "reply_recv returned %ld, expected -EBADF\n",
			fs->ret);
		_exit(3);
	}
}

static void test_bug_fast_recv_uses_port_after_last_put(void **state)
{
	run_in_child(uaf_fast_scenario,
		     "ipc_fast_recv_block dropped the "
		     "port's last reference and do_recv used it");
	finish();
}

/* ======================================================================= */

static int setup_slow(void **state)
{
	group_fast = false;
	return setup(state);
}

static int setup_fast(void **state)
{
	group_fast = true;
	return setup(state);
}

/* Each test twice: ordinary path, then fastpath; the bug tests once. */
#define T(f)                                                                   \
	{ "slow: " #f, f, setup_slow, teardown, NULL },                        \
	{                                                                      \
		"fast: " #f, f, setup_fast, teardown, NULL                     \
	}
#define T1(f)                                                                  \
	{                                                                      \
#f, f, setup_slow, teardown, NULL                              \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_recv_timeout_zero_on_empty_port),
		T(test_recv_argument_errors),
		T(test_recv_timeout_blocks_then_expires),
		T(test_recv_forever_has_no_deadline),
		T(test_call_queued_then_delivered),
		T(test_reply_status_and_null_message),
		T(test_handover_to_waiting_receiver),
		T(test_calls_are_fifo),
		T(test_reply_ids),
		T(test_reply_seq_wraps_past_zero),
		T(test_call_moves_handles),
		T(test_call_handle_errors_move_nothing),
		T(test_call_moves_four_handles),
		T(test_reply_moves_handles),
		T(test_handles_round_trip),
		T(test_client_may_not_send_kernel_ops),
		T(test_call_argument_errors),
		T(test_close_notice_queued_and_delivered),
		T(test_close_notice_wakes_receiver),
		T(test_close_notice_copy_fault_keeps_it),
		T(test_close_notice_out_of_memory_is_dropped),
		T(test_no_close_notice_for_dead_port),
		T(test_port_close_frees_pending_notices),
		T(test_port_close_fails_callers),
		T(test_port_close_wakes_receivers_with_ebadf),
		T(test_receiver_keeps_port_alive),
		T(test_woken_receiver_sees_port_closed),
		T(test_server_gone_fails_parked_calls),
		T(test_cancel_parked_caller),
		T(test_cancel_queued_caller_releases_handles),
		T(test_cancel_after_reply_releases_reply_handles),
		T(test_cancel_receiver_with_partner),
		T(test_cancel_receiver_with_partner_dead_port),
		T(test_cancel_caller_handed_to_receiver),
		T(test_deliver_fault_requeues_in_front),
		T(test_reply_table_limit),
		T(test_server_table_full_fails_the_call),
		T(test_server_table_one_slot_short),
		T(test_caller_table_one_slot_short),
		T(test_caller_table_full_drops_reply_handles),
		T(test_read_write_bounded),
		T(test_read_write_without_buffers),
		T(test_hundred_parked_calls_reverse),
		T(test_reply_recv_takes_next_call),
		T(test_reply_recv_then_waits),
		T(test_syscall_fastpath_round_trip),
		T(test_syscall_fastpath_steady_state),
		T(test_fastpath_delivery_fault_requeues),
		T(test_fastpath_reply_fault),
		T(test_fastpath_reply_recv_on_other_port),
		T(test_fastpath_blocked_threads_killed),
		T(test_fastpath_receiver_gets_close),
		T(test_reply_recv_waits_with_deadline),
		T(test_reply_recv_timeout_zero),
		T(test_reply_recv_errors),
		T(test_port_and_conn_create),
		T1(test_bug_handed_call_survives_close_notice),
		T1(test_bug_close_notice_overtakes_queued_call),
		T1(test_bug_recv_uses_port_after_last_put),
		T1(test_bug_fast_recv_uses_port_after_last_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
