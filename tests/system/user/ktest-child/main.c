/*
 * ktest-child: the helper process of the user-space kernel suite (ktest).
 * argv[1] picks what it does: an IPC server or client for ktest, a process
 * that exits, sleeps or spins, or one that does something forbidden (an
 * I/O instruction, a kernel address, a read-only page) and must be killed
 * by the kernel for it.  ../ktest/proto.h lists the modes.
 */
#include <stdbool.h>
#include <valence.h>
#include "proto.h"

#define PAGE		4096
#define MAX_PARK	256

static uint64_t parse_num(const char *s)
{
	uint64_t v = 0;
	int base = 10;

	if (!s)
		return 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	return v;
}

/* ---- the server ---- */

static uint8_t buf[KT_BUF];

static uint64_t byte_sum(const uint8_t *p, long n)
{
	uint64_t s = 0;

	for (long i = 0; i < n; i++)
		s += p[i];
	return s;
}

static long op_read(const struct ipc_received *r, struct ipc_msg *out)
{
	uint64_t len = r->msg.w[1] > KT_BUF ? KT_BUF : r->msg.w[1];
	long n = sys_ipc_read(r->rid, r->msg.w[0], buf, len);

	if (n > 0) {
		out->w[0] = byte_sum(buf, n);
		memcpy(&out->w[1], buf, n < 8 ? (size_t)n : 8);
	}
	return n;
}

static long op_write(const struct ipc_received *r)
{
	uint64_t len = r->msg.w[1] > KT_BUF ? KT_BUF : r->msg.w[1];

	memset(buf, (int)r->msg.w[2], len);
	return sys_ipc_write(r->rid, r->msg.w[0], buf, len);
}

static long op_reverse(const struct ipc_received *r)
{
	static uint8_t rev[KT_BUF];
	long n = sys_ipc_read(r->rid, 0, buf, KT_BUF);

	if (n < 0)
		return n;
	for (long i = 0; i < n; i++)
		rev[i] = buf[n - 1 - i];
	return sys_ipc_write(r->rid, 0, rev, (size_t)n);
}

static long op_sum(const struct ipc_received *r, struct ipc_msg *out)
{
	uint64_t off = 0, sum = 0;
	long n;

	while ((n = sys_ipc_read(r->rid, off, buf, KT_BUF)) > 0) {
		sum += byte_sum(buf, n);
		off += (uint64_t)n;
	}
	out->w[0] = sum;
	return n < 0 ? n : (long)off;
}

static long op_signal(const struct ipc_received *r, struct ipc_msg *out)
{
	struct handle_info info;
	handle_t h = r->msg.handles[0];
	long err;

	out->w[1] = r->msg.nhandles;
	if (r->msg.nhandles != 1)
		return -EINVAL;
	if (sys_handle_info(h, &info) == 0)
		out->w[0] = info.type;
	err = sys_notify_signal(h, r->msg.w[0]);
	sys_handle_close(h);
	return err;
}

static long op_give(const struct ipc_received *r, struct ipc_msg *out)
{
	handle_t n = sys_notify_create();

	if (n < 0)
		return n;
	sys_notify_signal(n, r->msg.w[0]);
	out->nhandles = 1;
	out->handles[0] = n;
	return 0;
}

/* Answers one call; returns the status and fills *out. */
static long serve(const struct ipc_received *r, struct ipc_msg *out)
{
	memset(out, 0, sizeof(*out));
	switch (r->msg.op) {
	case KT_OP_ECHO:
		memcpy(out->w, r->msg.w, sizeof(out->w));
		return KT_ECHO_STATUS;
	case KT_OP_WHO:
		out->w[0] = r->badge;
		out->w[1] = r->pid;
		out->w[2] = r->uid;
		out->w[3] = r->gid;
		out->w[4] = r->send_len;
		out->w[5] = r->recv_len;
		return 0;
	case KT_OP_READ:
		return op_read(r, out);
	case KT_OP_WRITE:
		return op_write(r);
	case KT_OP_REVERSE:
		return op_reverse(r);
	case KT_OP_SUM:
		return op_sum(r, out);
	case KT_OP_SIGNAL:
		return op_signal(r, out);
	case KT_OP_GIVE:
		return op_give(r, out);
	default:
		return -ENOSYS;
	}
}

static int mode_server(int closes_wanted)
{
	static struct ipc_received r;
	struct ipc_msg out;
	uint64_t rid = 0;
	long status = 0;
	int closes = 0, err;

	for (;;) {
		if (rid)
			err = sys_ipc_reply_recv(rid, status, &out, 0, &r,
						 IPC_FOREVER);
		else
			err = sys_ipc_recv(0, &r, IPC_FOREVER);
		rid = 0;
		if (err < 0) {
			printf("ktest-child: server: recv failed: %d\n", err);
			return 100;
		}
		if (r.msg.op == IPC_OP_CLOSE) {
			if (++closes >= closes_wanted)
				return 0;
			continue;
		}
		if (r.msg.op == KT_OP_QUIT) {
			sys_ipc_reply(r.rid, 0, NULL);
			return (int)r.msg.w[0];
		}
		status = serve(&r, &out);
		rid = r.rid;
	}
}

/* Holds n calls, then answers them newest first. */
static int mode_park(int n)
{
	static uint64_t rids[MAX_PARK], words[MAX_PARK], badges[MAX_PARK];
	struct ipc_received r;
	struct ipc_msg out;
	int held = 0, bad = 0;

	if (n > MAX_PARK)
		return 2;
	while (held < n) {
		if (sys_ipc_recv(0, &r, IPC_FOREVER) < 0)
			return 3;
		if (r.msg.op != KT_OP_PARK)
			continue;
		rids[held] = r.rid;
		words[held] = r.msg.w[0];
		badges[held] = r.badge;
		held++;
	}
	for (int i = n - 1; i >= 0; i--) {
		memset(&out, 0, sizeof(out));
		out.w[0] = words[i] * 3 + 1;
		out.w[1] = (uint64_t)held;
		out.w[2] = badges[i];
		if (sys_ipc_reply(rids[i], (long)(words[i] + KT_PARK_BASE),
				  &out) < 0)
			bad++;
	}
	return bad ? 4 : 0;
}

/* Receives n calls and exits without answering any. */
static int mode_die(int n)
{
	struct ipc_received r;

	for (int i = 0; i < n;)
		if (sys_ipc_recv(0, &r, IPC_FOREVER) < 0)
			return 3;
		else if (r.msg.op != IPC_OP_CLOSE)
			i++;
	return 0;
}

/* ---- clients ---- */

static long hello_call(handle_t conn, struct ipc_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->op = KT_OP_HELLO;
	for (int i = 0; i < IPC_WORDS; i++)
		m->w[i] = (uint64_t)i + 1;
	return sys_ipc_call(conn, m, NULL);
}

static int mode_client(void)
{
	struct ipc_msg m;
	long st = hello_call(0, &m);

	if (st == KT_HELLO_STATUS && m.w[0] == KT_HELLO_WORD)
		return 42;
	return st < 0 ? 6 : 7;
}

static uint8_t thread_stack[16384] __attribute__((aligned(16)));

static void caller_thread(uint64_t arg)
{
	struct ipc_msg m;

	hello_call(0, &m);
	sys_thread_exit(0);
}

static int mode_crash_in_call(void)
{
	uint64_t bits;
	handle_t t = sys_thread_create(caller_thread,
				       (uint64_t)(thread_stack +
						  sizeof(thread_stack)), 0);

	if (t < 0)
		return 2;
	sys_notify_wait(1, IPC_FOREVER, &bits);
	*(volatile int *)0 = 1;
	return 3;
}

/* ---- processes ---- */

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int mode_args(int argc, char **argv)
{
	const char *want[] = KT_ARGS_EXPECTED;

	if (argc != KT_ARGS_COUNT)
		return 2;
	for (int i = 0; i < KT_ARGS_COUNT; i++)
		if (!streq(argv[i], want[i]))
			return 3 + i;
	return 0;
}

static int mode_handles(int argc, char **argv)
{
	struct handle_info info;
	int n = argc - 2;

	if (valence_initial_handles != (uint32_t)n)
		return 2;
	for (int i = 0; i < n; i++) {
		if (sys_handle_info(i, &info) < 0)
			return 3;
		if (info.type != parse_num(argv[2 + i]))
			return 4;
	}
	/* Nothing beyond them. */
	if (sys_handle_info(n, &info) != -EBADF)
		return 5;
	return 0;
}

/* ---- forbidden things ---- */

/* `in P close`: first drops the grant (handle 0). */
static int mode_in(uint16_t port, const char *then)
{
	uint8_t v;

	if (streq(then, "close") && sys_handle_close(0) < 0)
		return 2;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return 0;
}

/* A page mapped with no rights at all must not be readable. */
static int mode_none_read(void)
{
	handle_t m = sys_mem_create(PAGE, 0);
	long va = m < 0 ? -1 : sys_vm_map(m, 0, 0, PAGE, 0);
	volatile uint8_t v;

	if (va < 0)
		return 2;
	v = *(volatile uint8_t *)va;	/* must fault */
	(void)v;
	return 0;
}

static volatile uint16_t io_thread_port;

static void io_thread(uint64_t arg)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "d"(io_thread_port));
	sys_thread_exit(0);
}

/*
 * A thread made while the process held an I/O grant (handle 0) first runs
 * after the grant has left in a call that blocks (to our own port, which
 * nobody serves): its `in` must fault, which ends the process.  (Bug: a
 * switch between threads of one process kept the old I/O bitmap; then the
 * `in` works and the call blocks forever.)
 */
static int mode_in_thread_after_close(uint16_t port)
{
	handle_t m = sys_mem_create(4 * PAGE, 0);
	long va = m < 0 ? -1 : sys_vm_map(m, 0, 0, 4 * PAGE, VM_READ | VM_WRITE);
	handle_t p = sys_port_create(), c = p < 0 ? p : sys_conn_create(p, 1);
	struct ipc_msg msg = { .op = 1, .nhandles = 1, .handles = { 0 } };

	if (va < 0 || c < 0)
		return 2;
	io_thread_port = port;
	if (sys_thread_create(io_thread, (uint64_t)va + 4 * PAGE, 0) < 0)
		return 3;
	sys_ipc_call(c, &msg, NULL);	/* blocks; the thread runs */
	return 4;
}

static int mode_out(uint16_t port)
{
	__asm__ volatile("outb %0, %1" : : "a"((uint8_t)0), "Nd"(port));
	return 0;
}

static int mode_peek(uint64_t addr)
{
	volatile uint8_t *p = (volatile uint8_t *)addr;
	uint8_t v = *p;

	(void)v;
	return 0;
}

static int mode_poke(uint64_t addr)
{
	*(volatile uint8_t *)addr = 0x5a;
	return 0;
}

static int mode_jump(uint64_t addr)
{
	((void (*)(void))addr)();
	return 0;
}

static int mode_div0(void)
{
	uint32_t lo = 1, hi = 0, d = 0;

	__asm__ volatile("divl %2" : "+a"(lo), "+d"(hi) : "r"(d));
	return 0;
}

static void *map_page(uint32_t prot)
{
	handle_t m = sys_mem_create(PAGE, 0);
	long va;

	if (m < 0)
		return NULL;
	va = sys_vm_map(m, 0, 0, PAGE, prot);
	sys_handle_close(m);
	return va < 0 ? NULL : (void *)va;
}

static int mode_nx(void)
{
	uint8_t *p = map_page(VM_READ | VM_WRITE);

	if (!p)
		return 2;
	p[0] = 0xc3;	/* ret */
	((void (*)(void))p)();
	return 0;
}

static volatile int depth_limit = 1 << 30;	/* far beyond the stack */

static int recurse(int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth > depth_limit)
		return 0;
	return recurse(depth + 1) + pad[0];
}

static int mode_kstack(void)
{
	__asm__ volatile("movq $0xffffffff80000000, %%rsp\n\t"
			 "syscall\n\t"
			 "ud2"
			 :
			 : "a"((long)SYS_proc_exit), "D"((long)KT_KSTACK_CODE)
			 : "memory");
	return 2;
}

static int mode_protect(void)
{
	volatile uint8_t *p = map_page(VM_READ | VM_WRITE);

	if (!p)
		return 2;
	p[0] = 1;
	if (sys_vm_protect((uint64_t)p, PAGE, VM_READ) < 0)
		return 3;
	if (p[0] != 1)
		return 4;
	p[0] = 2;
	return 0;
}

static int mode_unmap(void)
{
	volatile uint8_t *p = map_page(VM_READ | VM_WRITE);

	if (!p)
		return 2;
	p[0] = 1;
	if (sys_vm_unmap((uint64_t)p, PAGE) < 0)
		return 3;
	return p[0] == 1 ? 0 : 4;
}

static int mode_shm(void)
{
	struct handle_info info;
	char *p;
	long va;

	if (sys_handle_info(0, &info) < 0 || info.size < 2 * PAGE)
		return 2;
	va = sys_vm_map(0, 0, 0, info.size, VM_READ | VM_WRITE);
	if (va < 0)
		return 3;
	p = (char *)va;
	if (strcmp(p, KT_SHM_PING) != 0)
		return 4;
	memcpy(p + KT_SHM_PONG_OFF, KT_SHM_PONG, sizeof(KT_SHM_PONG));
	return 0;
}

/*
 * A syscall whose return address is the first non-canonical address:
 * the kernel must not return there with sysret from ring 0.  If the last
 * page cannot be mapped at all, there is nothing to test: exit 0.
 */
#define LAST_PAGE 0x00007ffffffff000ull

static int mode_sysret_edge(void)
{
	handle_t m = sys_mem_create(PAGE, 0);
	uint8_t *p;
	long va;

	if (m < 0)
		return 2;
	va = sys_vm_map(m, LAST_PAGE, 0, PAGE, VM_READ | VM_WRITE);
	if (va < 0)
		return 0;
	p = (uint8_t *)va;
	memset(p, 0x90, PAGE);		/* nop sled */
	p[PAGE - 2] = 0x0f;		/* syscall */
	p[PAGE - 1] = 0x05;
	if (sys_vm_protect(LAST_PAGE, PAGE, VM_READ | VM_EXEC) < 0)
		return 3;
	__asm__ volatile("jmp *%0" : : "r"(LAST_PAGE + PAGE - 2),
			 "a"((long)SYS_yield) : "memory");
	return 4;
}

static int run_mode(int argc, char **argv)
{
	const char *mode = argv[1], *arg = argc > 2 ? argv[2] : NULL;
	uint64_t n = parse_num(arg);

	if (streq(mode, "server"))
		return mode_server(arg ? (int)n : 1);
	if (streq(mode, "park"))
		return mode_park((int)n);
	if (streq(mode, "die"))
		return mode_die((int)n);
	if (streq(mode, "client"))
		return mode_client();
	if (streq(mode, "crash-in-call"))
		return mode_crash_in_call();
	if (streq(mode, "exit"))
		return (int)n;
	if (streq(mode, "thread-exit"))
		sys_thread_exit((int)n);
	if (streq(mode, "sleep"))
		for (;;)
			sys_sleep(1000000000ull);
	if (streq(mode, "spin")) {
		if (streq(arg, "after-sleep"))
			sys_sleep(1000000);
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	if (streq(mode, "args"))
		return mode_args(argc, argv);
	if (streq(mode, "handles"))
		return mode_handles(argc, argv);
	if (streq(mode, "in"))
		return mode_in((uint16_t)n, argc > 3 ? argv[3] : NULL);
	if (streq(mode, "out"))
		return mode_out((uint16_t)n);
	if (streq(mode, "none-read"))
		return mode_none_read();
	if (streq(mode, "in-thread-after-close"))
		return mode_in_thread_after_close((uint16_t)n);
	if (streq(mode, "cli")) {
		__asm__ volatile("cli");
		return 0;
	}
	if (streq(mode, "hlt")) {
		__asm__ volatile("hlt");
		return 0;
	}
	if (streq(mode, "peek"))
		return mode_peek(n);
	if (streq(mode, "poke"))
		return mode_poke(n);
	if (streq(mode, "jump"))
		return mode_jump(n);
	if (streq(mode, "ud"))
		__builtin_trap();
	if (streq(mode, "div0"))
		return mode_div0();
	if (streq(mode, "nx"))
		return mode_nx();
	if (streq(mode, "stack-overflow"))
		return recurse(0);
	if (streq(mode, "kstack"))
		return mode_kstack();
	if (streq(mode, "protect"))
		return mode_protect();
	if (streq(mode, "unmap"))
		return mode_unmap();
	if (streq(mode, "shm"))
		return mode_shm();
	if (streq(mode, "sysret-edge"))
		return mode_sysret_edge();
	printf("ktest-child: unknown mode '%s'\n", mode);
	return 99;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("ktest-child: no mode\n");
		return 98;
	}
	return run_mode(argc, argv);
}
