/*
 * ktest helpers: the boot archive and the ktest-child image, spawning and
 * reaping children, threads on stacks of their own, mapped memory, and an
 * in-process echo server.  The runner (main.c) uses the tracking done here
 * to clean up after a test that failed half-way.
 */
#include <stdarg.h>
#include "ktest.h"
#include "tar.h"

#define MAX_CHILDREN	64
#define MAX_THREADS	256
#define ARGS_MAX	512

const void *kt_bootfs;
uint64_t kt_bootfs_size;
const void *kt_child_image;
uint64_t kt_child_image_len;

static handle_t children[MAX_CHILDREN];
static int nchildren;
static struct kt_thread *threads[MAX_THREADS];

/* ---- the boot archive ---- */

int kt_init(void)
{
	struct tar_entry e;
	int err;
	long va = vm_map_whole(H_BOOTFS, VM_READ, &kt_bootfs_size);

	if (va < 0)
		return (int)va;
	kt_bootfs = (const void *)va;
	err = tar_find(kt_bootfs, kt_bootfs_size, "bin/" KT_CHILD, &e);
	if (err)
		return err;
	kt_child_image = e.data;
	kt_child_image_len = e.size;
	return 0;
}

/* ---- children ---- */

static void track(handle_t h)
{
	if (nchildren < MAX_CHILDREN)
		children[nchildren++] = h;
}

void kt_forget(handle_t proc)
{
	for (int i = 0; i < nchildren; i++) {
		if (children[i] == proc) {
			children[i] = children[--nchildren];
			return;
		}
	}
}

/* Appends s and its NUL to block; returns the new length (0: no room). */
static size_t add_arg(char *block, size_t len, const char *s)
{
	size_t n = strlen(s) + 1;

	if (len + n > ARGS_MAX)
		return 0;
	memcpy(block + len, s, n);
	return len + n;
}

static handle_t spawn_v(const handle_t *hs, uint32_t n, uint32_t prio,
			const char *mode, va_list ap)
{
	char block[ARGS_MAX];
	struct spawn_args a;
	const char *s;
	size_t len;
	handle_t h;

	len = add_arg(block, 0, KT_CHILD);
	len = add_arg(block, len, mode);
	while (len && (s = va_arg(ap, const char *)))
		len = add_arg(block, len, s);
	if (!len)
		return -E2BIG;
	memset(&a, 0, sizeof(a));
	a.image = kt_child_image;
	a.image_len = kt_child_image_len;
	a.handles = hs;
	a.nhandles = n;
	a.priority = prio;
	a.args = block;
	a.args_len = len;
	a.name = KT_CHILD;
	h = sys_proc_spawn(&a);
	if (h >= 0)
		track(h);
	return h;
}

handle_t kt_spawn(const handle_t *hs, uint32_t n, const char *mode, ...)
{
	va_list ap;
	handle_t h;

	va_start(ap, mode);
	h = spawn_v(hs, n, 0, mode, ap);
	va_end(ap);
	return h;
}

handle_t kt_spawn_prio(const handle_t *hs, uint32_t n, uint32_t prio,
		       const char *mode, ...)
{
	va_list ap;
	handle_t h;

	va_start(ap, mode);
	h = spawn_v(hs, n, prio, mode, ap);
	va_end(ap);
	return h;
}

int kt_wait(handle_t proc, uint64_t timeout_ns)
{
	int status = -1;
	int err = sys_proc_wait(proc, &status, timeout_ns);

	if (err < 0)
		return err;
	kt_forget(proc);
	sys_handle_close(proc);
	return status;
}

int kt_run(const char *mode, ...)
{
	va_list ap;
	handle_t h;
	int status;

	va_start(ap, mode);
	h = spawn_v(NULL, 0, 0, mode, ap);
	va_end(ap);
	if (h < 0)
		return h;
	status = kt_wait(h, 10 * SEC);
	if (status < 0) {
		sys_proc_kill(h, SIG_KILL);
		kt_wait(h, 5 * SEC);
	}
	return status;
}

int kt_reap_all(void)
{
	int n = nchildren;

	while (nchildren) {
		handle_t h = children[0];

		sys_proc_kill(h, SIG_KILL);
		sys_proc_wait(h, NULL, 5 * SEC);
		sys_handle_close(h);
		kt_forget(h);
	}
	return n;
}

/* ---- threads ---- */

int kt_wait_word(volatile uint32_t *word, uint32_t value,
		 uint64_t timeout_ns)
{
	uint64_t end = kt_now() + timeout_ns;

	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == value) {
		uint64_t now = kt_now();

		if (now >= end)
			return -ETIMEDOUT;
		sys_futex_wait((const uint32_t *)word, value, end - now);
	}
	return 0;
}

/*
 * The end of every ktest thread: mark it done, wake the joiner, exit.
 * Written without touching the stack, which the joiner may unmap or
 * reuse as soon as `done` is set.
 */
static __attribute__((noreturn)) void thread_finish(volatile uint32_t *done)
{
	__asm__ volatile("movl $1, (%%rdi)\n\t"
			 "movl %[wake], %%eax\n\t"
			 "movl $0x7fffffff, %%esi\n\t"
			 "syscall\n\t"
			 "movl %[exit], %%eax\n\t"
			 "xorl %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2"
			 :
			 : "D"(done), [wake] "i"(SYS_futex_wake),
			   [exit] "i"(SYS_thread_exit)
			 : "rax", "rsi", "rcx", "r11", "memory");
	__builtin_unreachable();
}

static void thread_entry(uint64_t arg)
{
	struct kt_thread *t = (struct kt_thread *)arg;

	t->fn(t->arg);
	thread_finish(&t->done);
}

static void track_thread(struct kt_thread *t)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		if (!threads[i]) {
			threads[i] = t;
			t->tracked = true;
			return;
		}
	}
}

static void untrack_thread(struct kt_thread *t)
{
	for (int i = 0; i < MAX_THREADS && t->tracked; i++) {
		if (threads[i] == t) {
			threads[i] = NULL;
			t->tracked = false;
		}
	}
}

static int start(struct kt_thread *t, uint64_t top)
{
	t->done = 0;
	t->handle = sys_thread_create(thread_entry, top, (uint64_t)t);
	if (t->handle < 0)
		return t->handle;
	track_thread(t);
	return 0;
}

int kt_thread_start_on(struct kt_thread *t, void (*fn)(void *), void *arg,
		       uint64_t stack, uint64_t size)
{
	t->fn = fn;
	t->arg = arg;
	t->stack = 0;
	t->stack_size = 0;
	return start(t, stack + size);
}

int kt_thread_start(struct kt_thread *t, void (*fn)(void *), void *arg)
{
	void *stack = kt_map(KT_STACK, VM_READ | VM_WRITE, NULL);
	int err;

	if (!stack)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	t->stack = (uint64_t)stack;
	t->stack_size = KT_STACK;
	err = start(t, t->stack + KT_STACK);
	if (err) {
		kt_unmap(stack, KT_STACK);
		t->stack = 0;
	}
	return err;
}

int kt_thread_join(struct kt_thread *t, uint64_t timeout_ns)
{
	if (kt_wait_word(&t->done, 0, timeout_ns) < 0)
		return -ETIMEDOUT;
	untrack_thread(t);
	sys_handle_close(t->handle);
	t->handle = HANDLE_INVALID;
	if (t->stack) {
		kt_unmap((void *)t->stack, t->stack_size);
		t->stack = 0;
	}
	return 0;
}

int kt_join_all(uint64_t timeout_ns)
{
	uint64_t end = kt_now() + timeout_ns;
	int stuck = 0;

	for (int i = 0; i < MAX_THREADS; i++) {
		uint64_t now = kt_now();

		if (threads[i] &&
		    kt_thread_join(threads[i], now < end ? end - now : 0) < 0)
			stuck++;
	}
	return stuck;
}

int kt_forget_threads(void)
{
	int n = 0;

	for (int i = 0; i < MAX_THREADS; i++) {
		if (threads[i]) {
			/* Cannot be killed: forget it, leave its stack. */
			threads[i]->tracked = false;
			threads[i] = NULL;
			n++;
		}
	}
	return n;
}

/* ---- memory ---- */

void *kt_map(uint64_t size, uint32_t prot, handle_t *mem)
{
	handle_t m = sys_mem_create(size, 0);
	long va;

	if (m < 0)
		return NULL;
	va = sys_vm_map(m, 0, 0, size, prot);
	if (mem && va >= 0)
		*mem = m;
	else
		sys_handle_close(m);
	return va < 0 ? NULL : (void *)va;
}

void kt_unmap(void *p, uint64_t size)
{
	sys_vm_unmap((uint64_t)p, size);
}

/* ---- IPC helpers ---- */

static handle_t self_conn;
static volatile uint32_t self_called;

static void self_caller(void *arg)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = KT_OP_WHO;
	sys_ipc_call(self_conn, &m, NULL);
	self_called = 1;
}

uint32_t kt_self_pid(void)
{
	static uint32_t pid;
	static struct kt_thread t;
	struct ipc_received r;
	handle_t port;

	if (pid)
		return pid;
	port = sys_port_create();
	if (port < 0)
		return 0;
	self_conn = sys_conn_create(port, 1);
	if (self_conn >= 0 && kt_thread_start(&t, self_caller, NULL) == 0) {
		if (sys_ipc_recv(port, &r, 5 * SEC) == 0) {
			pid = r.pid;
			sys_ipc_reply(r.rid, 0, NULL);
		}
		kt_thread_join(&t, 5 * SEC);
	}
	sys_handle_close(self_conn);
	sys_handle_close(port);
	return pid;
}

static void echo_loop(void *arg)
{
	struct kt_echo *e = arg;
	struct ipc_received r;
	struct ipc_msg m;
	uint64_t rid = 0;
	long status = 0;
	int err;

	for (;;) {
		if (rid)
			err = sys_ipc_reply_recv(rid, status, &m, e->port, &r,
						 IPC_FOREVER);
		else
			err = sys_ipc_recv(e->port, &r, IPC_FOREVER);
		rid = 0;
		if (err < 0)
			return;
		if (r.msg.op == IPC_OP_CLOSE)
			continue;
		for (uint32_t i = 0; i < r.msg.nhandles && i < IPC_HANDLES;
		     i++)
			sys_handle_close(r.msg.handles[i]);
		if (r.msg.op == KT_OP_QUIT) {
			sys_ipc_reply(r.rid, 0, NULL);
			return;
		}
		m = r.msg;
		m.nhandles = 0;
		status = r.msg.op;
		rid = r.rid;
	}
}

int kt_echo_start(struct kt_echo *e, uint64_t badge)
{
	int err;

	e->port = sys_port_create();
	if (e->port < 0)
		return e->port;
	e->conn = sys_conn_create(e->port, badge);
	if (e->conn < 0) {
		sys_handle_close(e->port);
		return e->conn;
	}
	err = kt_thread_start(&e->thread, echo_loop, e);
	if (err) {
		sys_handle_close(e->conn);
		sys_handle_close(e->port);
	}
	return err;
}

void kt_echo_stop(struct kt_echo *e)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = KT_OP_QUIT;
	if (!e->thread.done)	/* it only ends on QUIT or a recv error */
		sys_ipc_call(e->conn, &m, NULL);
	sys_handle_close(e->conn);
	sys_handle_close(e->port);	/* wakes it if the QUIT got lost */
	kt_thread_join(&e->thread, 5 * SEC);
}
