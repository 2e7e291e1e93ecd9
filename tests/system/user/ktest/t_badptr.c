/*
 * Tests that every system call taking a pointer refuses bad ones with
 * -EFAULT: kernel addresses (text, image, direct map), the null page,
 * unmapped user memory, non-canonical and wrapping addresses, a range
 * that runs off the end of a mapping, and (for what the kernel writes)
 * read-only memory, which must stay untouched.  A failed copy must not
 * lose the call or the event it was about.
 */
#include "ktest.h"

#define NBAD_MAX	12
#define EDGE_VA		0x0000650000000000ull	/* the page after is never mapped */

/* Which pointers a list holds. */
#define BAD_OUT		1	/* also read-only memory (the kernel writes) */
#define BAD_ALIGNED	2	/* only 4-byte aligned ones (futexes) */

static uint64_t bad[NBAD_MAX];
static int nbad;
static uint8_t *edge_page;	/* a page followed by an unmapped one */
static uint8_t *ro_page;	/* read-only, all zero */

static void add(uint64_t p, int flags)
{
	if ((flags & BAD_ALIGNED) && (p & 3))
		return;
	bad[nbad++] = p;
}

/*
 * The pointers to try.  docs/abi.md: every call checks all its arguments
 * first, and a pointer outside the user half, to unmapped memory, or (for
 * what the kernel writes) to read-only memory is -EFAULT.
 */
static int bad_list(int flags)
{
	nbad = 0;
	add(0x8, flags);
	add(UNMAPPED_USER, flags);
	add(EDGE_VA + PAGE - 2, flags);		/* runs off its mapping */
	if (flags & BAD_OUT)
		add((uint64_t)ro_page, flags);
	add(KERNEL_TEXT, flags);
	add(KERNEL_IMAGE, flags);
	add(DIRECT_MAP, flags);
	add(DIRECT_MAP + 0x100000, flags);
	add(NONCANONICAL, flags);
	add(NONCANONICAL - 2, flags);		/* runs over the top */
	add(0xfffffffffffffff0ull, flags);	/* wraps around */
	return nbad;
}

static bool setup(void)
{
	handle_t m;
	long va;

	edge_page = ro_page = NULL;
	m = sys_mem_create(PAGE, 0);
	if (m >= 0) {
		va = sys_vm_map(m, EDGE_VA, 0, PAGE, VM_READ | VM_WRITE);
		edge_page = va < 0 ? NULL : (uint8_t *)va;
		sys_handle_close(m);
	}
	/* no NUL: a string there runs off the end too */
	if (edge_page)
		memset(edge_page, 'x', PAGE);
	m = sys_mem_create(PAGE, 0);
	if (m >= 0) {
		va = sys_vm_map(m, 0, 0, PAGE, VM_READ);
		ro_page = va < 0 ? NULL : (uint8_t *)va;
		sys_handle_close(m);
	}
	return edge_page && ro_page;
}

static void teardown(void)
{
	bool clean = true;

	if (ro_page) {
		for (int i = 0; i < (int)PAGE; i++)
			clean &= ro_page[i] == 0;
		CHECK(clean);		/* nothing written to read-only */
		kt_unmap(ro_page, PAGE);
	}
	if (edge_page)
		kt_unmap(edge_page, PAGE);
	edge_page = ro_page = NULL;
}

static void expect_efault(long got, const char *call, uint64_t ptr,
			  int line)
{
	if (got == -EFAULT)
		return;
	kt_fail(__FILE__, line, call, got);
	printf("ktest:   (%s with pointer 0x%llx: want -EFAULT)\n", call,
	       (unsigned long long)ptr);
}

#define EXPECT_EFAULT(expr, p) expect_efault((long)(expr), #expr, (p), \
					     __LINE__)
#define P(p) ((void *)(uintptr_t)(p))

static void test_simple_calls(void)
{
	REQUIRE(setup());
	for (int i = 0, n = bad_list(0); i < n; i++)
		EXPECT_EFAULT(sys_debug_log(P(bad[i]), 16), bad[i]);
	for (int i = 0, n = bad_list(BAD_OUT); i < n; i++) {
		EXPECT_EFAULT(sys_handle_info(H_BOOTFS, P(bad[i])), bad[i]);
		EXPECT_EFAULT(sys_sys_stats(P(bad[i])), bad[i]);
	}
	teardown();
}

static void test_notify_wait_bits(void)
{
	handle_t n = sys_notify_create();
	uint64_t bits = 0;

	REQUIRE_OK(n);
	REQUIRE(setup());
	/* nothing pending: checked first all the same */
	for (int i = 0, k = bad_list(BAD_OUT); i < k; i++)
		EXPECT_EFAULT(sys_notify_wait(n, 0, P(bad[i])), bad[i]);
	CHECK_EQ(sys_notify_signal(n, 0x8), 0);
	for (int i = 0, k = bad_list(BAD_OUT); i < k; i++)
		EXPECT_EFAULT(sys_notify_wait(n, 0, P(bad[i])), bad[i]);
	/* nothing pending, a timeout: still the pointer is refused */
	CHECK_EQ(sys_notify_wait(n, 0, &bits), 0);
	CHECK_EQ(bits, 0x8);
	EXPECT_EFAULT(sys_notify_wait(n, MS, P(KERNEL_TEXT)), KERNEL_TEXT);
	teardown();
	sys_handle_close(n);
}

static void test_proc_wait_status(void)
{
	handle_t sleeper = kt_spawn(NULL, 0, "sleep", NULL);
	handle_t done = kt_spawn(NULL, 0, "exit", "0", NULL);

	REQUIRE_OK(sleeper);
	REQUIRE_OK(done);
	REQUIRE(setup());
	CHECK(sys_proc_wait(done, NULL, 10 * SEC) >= 0);
	/* arguments are checked first, even when nothing would be written */
	for (int i = 0, n = bad_list(BAD_OUT); i < n; i++) {
		EXPECT_EFAULT(sys_proc_wait(sleeper, P(bad[i]), 0), bad[i]);
		EXPECT_EFAULT(sys_proc_wait(done, P(bad[i]), 0), bad[i]);
	}
	teardown();
	CHECK_EQ(sys_proc_kill(sleeper, SIG_KILL), 0);
	CHECK_EQ(kt_wait(sleeper, 10 * SEC), WAIT_SIGNALED(SIG_KILL));
	CHECK_EQ(kt_wait(done, 10 * SEC), WAIT_EXITED(0));
}

static void test_ipc_call_pointers(void)
{
	static struct kt_echo e;
	struct ipc_msg m, *ro_msg;
	struct ipc_buffers b;

	REQUIRE(setup());
	REQUIRE_EQ(kt_echo_start(&e, 4), 0);
	memset(&m, 0, sizeof(m));
	m.op = 1;
	for (int i = 0, n = bad_list(0); i < n; i++) {
		EXPECT_EFAULT(sys_ipc_call(e.conn, P(bad[i]), NULL), bad[i]);
		EXPECT_EFAULT(sys_ipc_call(e.conn, &m, P(bad[i])), bad[i]);
		/*
		 * Lent buffers outside the user half are refused at once
		 * (unmapped user memory only fails when the server copies,
		 * see t_ipc.c).
		 */
		if (bad[i] < NONCANONICAL - 16)
			continue;
		memset(&b, 0, sizeof(b));
		b.send = P(bad[i]);
		b.send_len = 16;
		EXPECT_EFAULT(sys_ipc_call(e.conn, &m, &b), bad[i]);
		memset(&b, 0, sizeof(b));
		b.recv = P(bad[i]);
		b.recv_len = 16;
		EXPECT_EFAULT(sys_ipc_call(e.conn, &m, &b), bad[i]);
	}
	/* the reply cannot be written to read-only memory */
	ro_msg = (struct ipc_msg *)ro_page;
	EXPECT_EFAULT(sys_ipc_call(e.conn, ro_msg, NULL), (uint64_t)ro_page);
	/* still serving */
	m.op = 6;
	CHECK_EQ(sys_ipc_call(e.conn, &m, NULL), 6);
	kt_echo_stop(&e);
	teardown();
}

static struct {
	handle_t conn;
	long status;
	uint8_t send[16], recv[16];
} caller;

static void caller_thread(void *arg)
{
	struct ipc_buffers b = { caller.send, 16, caller.recv, 16 };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = 55;
	caller.status = sys_ipc_call(caller.conn, &m, &b);
}

static void test_server_side_pointers(void)
{
	static struct kt_thread t;
	handle_t port = sys_port_create();
	struct ipc_received r;

	REQUIRE_OK(port);
	REQUIRE(setup());
	caller.conn = sys_conn_create(port, 8);
	caller.status = 1;
	REQUIRE_OK(caller.conn);
	/* nothing to receive: the pointer is still checked first */
	for (int i = 0, n = bad_list(BAD_OUT); i < n; i++) {
		EXPECT_EFAULT(sys_ipc_recv(port, P(bad[i]), MS), bad[i]);
		EXPECT_EFAULT(sys_ipc_reply_recv(0, 0, NULL, port, P(bad[i]),
						 MS), bad[i]);
	}
	REQUIRE_EQ(kt_thread_start(&t, caller_thread, NULL), 0);
	sys_sleep(20 * MS);		/* the call waits in the queue */
	/* a bad output pointer does not lose the call */
	for (int i = 0, n = bad_list(BAD_OUT); i < n; i++)
		EXPECT_EFAULT(sys_ipc_recv(port, P(bad[i]), 0), bad[i]);
	REQUIRE_EQ(sys_ipc_recv(port, &r, 5 * SEC), 0);
	CHECK_EQ(r.msg.op, 55);
	for (int i = 0, n = bad_list(0); i < n; i++) {
		EXPECT_EFAULT(sys_ipc_reply(r.rid, 0, P(bad[i])), bad[i]);
		EXPECT_EFAULT(sys_ipc_read(r.rid, 0, P(bad[i]), 16), bad[i]);
		EXPECT_EFAULT(sys_ipc_write(r.rid, 0, P(bad[i]), 16), bad[i]);
	}
	EXPECT_EFAULT(sys_ipc_read(r.rid, 0, ro_page, 16), (uint64_t)ro_page);
	CHECK_EQ(t.done, 0);		/* still waiting for its reply */
	CHECK_EQ(sys_ipc_reply(r.rid, 99, NULL), 0);
	CHECK_EQ(kt_thread_join(&t, 5 * SEC), 0);
	CHECK_EQ(caller.status, 99);
	sys_handle_close(caller.conn);
	sys_handle_close(port);
	teardown();
}

static void test_futex_pointers(void)
{
	REQUIRE(setup());
	for (int i = 0, n = bad_list(BAD_ALIGNED); i < n; i++) {
		EXPECT_EFAULT(sys_futex_wait(P(bad[i]), 0, MS), bad[i]);
		EXPECT_EFAULT(sys_futex_wake(P(bad[i]), 1), bad[i]);
	}
	teardown();
}

static void spawn_expect_efault(const struct spawn_args *a, uint64_t p,
				int line)
{
	handle_t h = sys_proc_spawn(a);

	expect_efault(h, "sys_proc_spawn", p, line);
	if (h >= 0) {
		sys_proc_kill(h, SIG_KILL);
		sys_proc_wait(h, NULL, 5 * SEC);
		sys_handle_close(h);
	}
}

static void test_spawn_pointers(void)
{
	static const char args[] = KT_CHILD "\0exit\0" "0";
	handle_t hs[1] = { H_BOOTFS };
	struct spawn_args a, good;

	REQUIRE(setup());
	memset(&good, 0, sizeof(good));
	good.image = kt_child_image;
	good.image_len = kt_child_image_len;
	good.handles = hs;
	good.nhandles = 1;
	good.args = args;
	good.args_len = sizeof(args);
	good.name = KT_CHILD;
	for (int i = 0, n = bad_list(0); i < n; i++) {
		uint64_t p = bad[i];
		handle_t h = sys_proc_spawn(P(p));

		expect_efault(h, "sys_proc_spawn(args)", p, __LINE__);
		if (h >= 0)
			sys_handle_close(h);
		a = good;
		a.image = P(p);
		spawn_expect_efault(&a, p, __LINE__);
		a = good;
		a.handles = P(p);
		spawn_expect_efault(&a, p, __LINE__);
		a = good;
		a.args = P(p);
		spawn_expect_efault(&a, p, __LINE__);
		a = good;
		a.name = P(p);
		spawn_expect_efault(&a, p, __LINE__);
	}
	teardown();
}

const struct kt_case kt_badptr_cases[] = {
	{ "EFAULT: debug_log, handle_info, sys_stats", test_simple_calls, 0 },
	{ "EFAULT: notify_wait bits", test_notify_wait_bits, 0 },
	{ "EFAULT: proc_wait status", test_proc_wait_status, 0 },
	{ "EFAULT: ipc_call message and buffers", test_ipc_call_pointers, 0 },
	{ "EFAULT: ipc_recv, reply, read, write", test_server_side_pointers,
	  0 },
	{ "EFAULT: futex address", test_futex_pointers, 0 },
	{ "EFAULT: proc_spawn pointers", test_spawn_pointers, 0 },
	{ NULL, NULL, 0 },
};
