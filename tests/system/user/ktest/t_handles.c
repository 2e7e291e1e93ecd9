/*
 * Tests of handles: handle_info, handle_dup and handle_close with good
 * arguments; -EBADF for invalid, closed and wrongly typed handles on every
 * call that takes one; -EPERM for every missing right; the lowest-free
 * numbering and the per-process limit.
 */
#include "ktest.h"

static const handle_t invalid[] = { -1, -2, HANDLE_MAX, HANDLE_MAX + 1,
				    99999, 0x7fffffff, (handle_t)0x80000000 };

#define NINVALID	(sizeof(invalid) / sizeof(invalid[0]))

static int info(handle_t h, struct handle_info *i)
{
	memset(i, 0xa5, sizeof(*i));
	return sys_handle_info(h, i);
}

static void test_initial_handles(void)
{
	struct handle_info i;

	CHECK_EQ(valence_initial_handles, 4);
	REQUIRE_EQ(info(H_BOOTFS, &i), 0);
	CHECK_EQ(i.type, OBJ_MEMORY);
	CHECK_EQ(i.rights & (RIGHT_READ | RIGHT_MAP), RIGHT_READ | RIGHT_MAP);
	CHECK_EQ(i.rights & RIGHT_WRITE, 0);
	CHECK(i.size > 0);
	CHECK_EQ(i.size, kt_bootfs_size);
	CHECK(i.object_id != 0);
	REQUIRE_EQ(info(H_IRQ_ROOT, &i), 0);
	CHECK_EQ(i.type, OBJ_IRQ);
	CHECK(i.rights & RIGHT_MANAGE);
	CHECK_EQ(i.size, 0);
	REQUIRE_EQ(info(H_IOPORT_ROOT, &i), 0);
	CHECK_EQ(i.type, OBJ_IOPORT);
	CHECK(i.rights & RIGHT_MANAGE);
	CHECK_EQ(i.size, 0);
	REQUIRE_EQ(info(H_PHYS_ROOT, &i), 0);
	CHECK_EQ(i.type, OBJ_MEMORY);
	CHECK_EQ(i.rights & (RIGHT_MANAGE | RIGHT_MAP), RIGHT_MANAGE);
}

#define ANY_PID (~0ull) /* expect_info: a process's pid, not ours */

/* Checks type and rights (docs/abi.md's table) of h; returns its id. */
static uint64_t expect_info(handle_t h, uint32_t type, uint32_t rights,
			    uint64_t size)
{
	struct handle_info i;

	if (info(h, &i) != 0) {
		CHECK_EQ(info(h, &i), 0);
		return 0;
	}
	CHECK_EQ(i.type, type);
	CHECK_EQ(i.rights, rights);
	if (size == ANY_PID)
		CHECK(i.pid != 0 && i.pid != valence_pid);
	else
		CHECK_EQ(i.size, size);
	CHECK(i.object_id != 0);
	return i.object_id;
}

static void nothing(void *arg)
{
}

#define NTYPES 8

static void test_info_of_each_type(void)
{
	static struct kt_thread t;
	handle_t h[NTYPES];
	uint64_t ids[NTYPES];

	h[0] = sys_port_create();
	REQUIRE_OK(h[0]);
	h[1] = sys_conn_create(h[0], 7);
	h[2] = sys_notify_create();
	h[3] = sys_mem_create(3 * PAGE, 0);
	h[4] = kt_spawn(NULL, 0, "exit", "0", NULL);
	h[5] = sys_ioport_create(H_IOPORT_ROOT, 0x80, 1);
	h[6] = sys_irq_bind(H_IRQ_ROOT, 3, h[2], 0);
	h[7] = kt_thread_start(&t, nothing, NULL) == 0 ? t.handle : -1;
	for (int i = 1; i < NTYPES; i++)
		CHECK_OK(h[i]);
	ids[0] = expect_info(h[0], OBJ_PORT, RIGHT_READ | RIGHT_MANAGE |
					     RIGHT_DUP | RIGHT_TRANSFER, 0);
	ids[1] = expect_info(h[1], OBJ_CONN,
			     RIGHT_WRITE | RIGHT_DUP | RIGHT_TRANSFER, 0);
	ids[2] = expect_info(h[2], OBJ_NOTIFY, RIGHT_READ | RIGHT_WRITE |
					       RIGHT_DUP | RIGHT_TRANSFER, 0);
	ids[3] = expect_info(h[3], OBJ_MEMORY,
			     RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC | RIGHT_MAP |
				     RIGHT_DUP | RIGHT_TRANSFER, 3 * PAGE);
	ids[4] = expect_info(h[4], OBJ_PROCESS, RIGHT_READ | RIGHT_MANAGE |
						RIGHT_DUP | RIGHT_TRANSFER, ANY_PID);
	ids[5] = expect_info(h[5], OBJ_IOPORT,
			     RIGHT_MANAGE | RIGHT_DUP | RIGHT_TRANSFER, 0);
	ids[6] = expect_info(h[6], OBJ_IRQ,
			     RIGHT_WRITE | RIGHT_DUP | RIGHT_TRANSFER, 0);
	ids[7] = expect_info(h[7], OBJ_THREAD,
			     RIGHT_READ | RIGHT_MANAGE | RIGHT_DUP, 0);
	for (int a = 0; a < NTYPES; a++)
		for (int b = a + 1; b < NTYPES; b++)
			CHECK(ids[a] != ids[b]);
	if (h[7] >= 0)
		CHECK_EQ(kt_thread_join(&t, 5 * SEC), 0);
	if (h[4] >= 0)
		CHECK_EQ(kt_wait(h[4], 5 * SEC), WAIT_EXITED(0));
	for (int i = 6; i >= 0; i--)
		if (i != 4)
			sys_handle_close(h[i]);
}

static void test_dup(void)
{
	struct handle_info a, b;
	handle_t n = sys_notify_create(), d, r, w;
	uint64_t bits = 0;

	REQUIRE_OK(n);
	REQUIRE_EQ(info(n, &a), 0);
	d = sys_handle_dup(n, RIGHTS_SAME);
	REQUIRE_OK(d);
	CHECK(d != n);
	REQUIRE_EQ(info(d, &b), 0);
	CHECK_EQ(b.type, a.type);
	CHECK_EQ(b.rights, a.rights);
	CHECK_EQ(b.object_id, a.object_id);

	/* a subset, exactly */
	r = sys_handle_dup(n, RIGHT_READ | RIGHT_DUP);
	CHECK_OK(r);
	CHECK_EQ(info(r, &b), 0);
	CHECK_EQ(b.rights, RIGHT_READ | RIGHT_DUP);
	CHECK_EQ(b.object_id, a.object_id);
	w = sys_handle_dup(n, RIGHT_WRITE);
	CHECK_OK(w);
	CHECK_EQ(info(w, &b), 0);
	CHECK_EQ(b.rights, RIGHT_WRITE);

	/* more rights than the handle has, or no RIGHT_DUP */
	CHECK_EQ(sys_handle_dup(r, RIGHT_READ | RIGHT_WRITE), -EPERM);
	CHECK_EQ(sys_handle_dup(r, RIGHT_READ | RIGHT_MANAGE), -EPERM);
	CHECK_EQ(sys_handle_dup(w, RIGHT_WRITE), -EPERM);
	CHECK_EQ(sys_handle_dup(w, RIGHTS_SAME), -EPERM);

	/* the object lives on through the others */
	CHECK_EQ(sys_handle_close(n), 0);
	CHECK_EQ(sys_handle_close(d), 0);
	CHECK_EQ(sys_notify_signal(w, 0x10), 0);
	CHECK_EQ(sys_notify_wait(r, 0, &bits), 0);
	CHECK_EQ(bits, 0x10);
	CHECK_EQ(sys_handle_close(w), 0);
	CHECK_EQ(sys_handle_close(r), 0);
}

static void test_close(void)
{
	struct handle_info i;
	handle_t n = sys_notify_create();

	REQUIRE_OK(n);
	CHECK_EQ(sys_handle_close(n), 0);
	CHECK_EQ(sys_handle_close(n), -EBADF);
	CHECK_EQ(sys_handle_info(n, &i), -EBADF);
	for (size_t k = 0; k < NINVALID; k++)
		CHECK_EQ(sys_handle_close(invalid[k]), -EBADF);
}

static void test_lowest_free(void)
{
	handle_t a = sys_notify_create(), b = sys_notify_create();
	handle_t c = sys_notify_create(), d, e;

	REQUIRE_OK(a);
	REQUIRE_OK(b);
	REQUIRE_OK(c);
	CHECK(a < b && b < c);
	CHECK_EQ(sys_handle_close(b), 0);
	d = sys_notify_create();
	CHECK_EQ(d, b);
	CHECK_EQ(sys_handle_close(a), 0);
	e = sys_handle_dup(c, RIGHTS_SAME);
	CHECK_EQ(e, a);
	sys_handle_close(c);
	sys_handle_close(d);
	sys_handle_close(e);
}

/* Every call that takes a handle, given `h`: all must say -EBADF. */
static void expect_ebadf(handle_t h, handle_t notify)
{
	struct ipc_received r;
	struct handle_info i;
	struct ipc_msg m;
	uint64_t bits;
	int status;

	memset(&m, 0, sizeof(m));
	CHECK_EQ(sys_handle_close(h), -EBADF);
	CHECK_EQ(sys_handle_dup(h, RIGHTS_SAME), -EBADF);
	CHECK_EQ(sys_handle_info(h, &i), -EBADF);
	CHECK_EQ(sys_conn_create(h, 0), -EBADF);
	CHECK_EQ(sys_ipc_call(h, &m, NULL), -EBADF);
	CHECK_EQ(sys_ipc_recv(h, &r, 0), -EBADF);
	CHECK_EQ(sys_ipc_reply_recv(0, 0, NULL, h, &r, 0), -EBADF);
	CHECK_EQ(sys_notify_signal(h, 1), -EBADF);
	CHECK_EQ(sys_notify_wait(h, 0, &bits), -EBADF);
	CHECK_EQ(sys_mem_create_phys(h, 0, PAGE, MEM_CACHE_WB), -EBADF);
	CHECK_EQ(sys_vm_map(h, 0, 0, PAGE, VM_READ), -EBADF);
	CHECK_EQ(sys_proc_wait(h, &status, 0), -EBADF);
	CHECK_EQ(sys_proc_kill(h, SIG_KILL), -EBADF);
	CHECK_EQ(sys_irq_bind(h, 4, notify, 0), -EBADF);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, 4, h, 0), -EBADF);
	CHECK_EQ(sys_irq_ack(h), -EBADF);
	CHECK_EQ(sys_ioport_create(h, 0x80, 1), -EBADF);
}

static void test_invalid_handles(void)
{
	handle_t n = sys_notify_create(), port = sys_port_create();
	handle_t closed = sys_notify_create();

	REQUIRE_OK(n);
	REQUIRE_OK(port);
	REQUIRE_OK(closed);
	REQUIRE_EQ(sys_handle_close(closed), 0);
	for (size_t k = 0; k < NINVALID; k++)
		expect_ebadf(invalid[k], n);
	expect_ebadf(closed, n);
	sys_handle_close(n);
	sys_handle_close(port);
}

static void test_wrong_types(void)
{
	handle_t n = sys_notify_create(), port = sys_port_create(), conn;
	handle_t mem = sys_mem_create(PAGE, 0);
	struct ipc_received r;
	struct ipc_msg m;
	uint64_t bits;
	int status;

	REQUIRE_OK(n);
	REQUIRE_OK(port);
	REQUIRE_OK(mem);
	conn = sys_conn_create(port, 1);
	REQUIRE_OK(conn);
	memset(&m, 0, sizeof(m));
	CHECK_EQ(sys_conn_create(n, 0), -EBADF);
	CHECK_EQ(sys_conn_create(conn, 0), -EBADF);
	CHECK_EQ(sys_ipc_call(port, &m, NULL), -EBADF);
	CHECK_EQ(sys_ipc_call(n, &m, NULL), -EBADF);
	CHECK_EQ(sys_ipc_recv(conn, &r, 0), -EBADF);
	CHECK_EQ(sys_ipc_recv(n, &r, 0), -EBADF);
	CHECK_EQ(sys_ipc_reply_recv(0, 0, NULL, conn, &r, 0), -EBADF);
	CHECK_EQ(sys_notify_signal(port, 1), -EBADF);
	CHECK_EQ(sys_notify_signal(mem, 1), -EBADF);
	CHECK_EQ(sys_notify_wait(mem, 0, &bits), -EBADF);
	CHECK_EQ(sys_notify_wait(conn, 0, &bits), -EBADF);
	CHECK_EQ(sys_vm_map(n, 0, 0, PAGE, VM_READ), -EBADF);
	CHECK_EQ(sys_vm_map(port, 0, 0, PAGE, VM_READ), -EBADF);
	CHECK_EQ(sys_proc_wait(n, &status, 0), -EBADF);
	CHECK_EQ(sys_proc_wait(mem, &status, 0), -EBADF);
	CHECK_EQ(sys_proc_kill(n, SIG_KILL), -EBADF);
	CHECK_EQ(sys_proc_kill(port, SIG_KILL), -EBADF);
	CHECK_EQ(sys_irq_bind(n, 4, n, 0), -EBADF);
	CHECK_EQ(sys_irq_bind(H_IOPORT_ROOT, 4, n, 0), -EBADF);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, 4, port, 0), -EBADF);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, 4, mem, 0), -EBADF);
	CHECK_EQ(sys_irq_ack(n), -EBADF);
	CHECK_EQ(sys_ioport_create(n, 0x80, 1), -EBADF);
	CHECK_EQ(sys_ioport_create(H_IRQ_ROOT, 0x80, 1), -EBADF);
	CHECK_EQ(sys_mem_create_phys(n, 0, PAGE, MEM_CACHE_WB), -EBADF);
	CHECK_EQ(sys_mem_create_phys(H_IRQ_ROOT, 0, PAGE, MEM_CACHE_WB),
		 -EBADF);
	sys_handle_close(conn);
	sys_handle_close(mem);
	sys_handle_close(port);
	sys_handle_close(n);
}

/* A thread handle is not a process handle. */
static void test_thread_handle_type(void)
{
	static struct kt_thread t;
	struct handle_info i;
	int status;

	REQUIRE_EQ(kt_thread_start(&t, nothing, NULL), 0);
	CHECK_EQ(info(t.handle, &i), 0);
	CHECK_EQ(i.type, OBJ_THREAD);
	CHECK_EQ(sys_proc_wait(t.handle, &status, 0), -EBADF);
	CHECK_EQ(sys_proc_kill(t.handle, SIG_KILL), -EBADF);
	CHECK_EQ(sys_notify_signal(t.handle, 1), -EBADF);
	CHECK_EQ(kt_thread_join(&t, 5 * SEC), 0);
}

static void test_missing_rights(void)
{
	handle_t n = sys_notify_create(), port = sys_port_create(), conn;
	handle_t nr, nw, pr, pm, cn, proc, pread, pkill;
	handle_t all[10];
	struct ipc_received r;
	struct ipc_msg m;
	uint64_t bits;
	int status;

	REQUIRE_OK(n);
	REQUIRE_OK(port);
	conn = sys_conn_create(port, 1);
	REQUIRE_OK(conn);
	memset(&m, 0, sizeof(m));

	nr = sys_handle_dup(n, RIGHT_READ);
	nw = sys_handle_dup(n, RIGHT_WRITE);
	CHECK_EQ(sys_notify_signal(nr, 1), -EPERM);
	CHECK_EQ(sys_notify_wait(nw, 0, &bits), -EPERM);
	CHECK_EQ(sys_notify_signal(nw, 1), 0);
	CHECK_EQ(sys_notify_wait(nr, 0, &bits), 0);

	pr = sys_handle_dup(port, RIGHT_READ);
	pm = sys_handle_dup(port, RIGHT_MANAGE);
	CHECK_EQ(sys_conn_create(pr, 5), -EPERM);
	CHECK_EQ(sys_ipc_recv(pm, &r, 0), -EPERM);
	CHECK_EQ(sys_ipc_reply_recv(0, 0, NULL, pm, &r, 0), -EPERM);
	CHECK_EQ(sys_ipc_recv(pr, &r, 0), -ETIMEDOUT);

	cn = sys_handle_dup(conn, RIGHT_DUP | RIGHT_TRANSFER);
	CHECK_EQ(sys_ipc_call(cn, &m, NULL), -EPERM);

	proc = kt_spawn(NULL, 0, "sleep", NULL);
	REQUIRE_OK(proc);
	pread = sys_handle_dup(proc, RIGHT_READ | RIGHT_DUP);
	pkill = sys_handle_dup(proc, RIGHT_MANAGE | RIGHT_DUP);
	CHECK_EQ(sys_proc_kill(pread, SIG_KILL), -EPERM);
	CHECK_EQ(sys_proc_wait(pkill, &status, 0), -EPERM);
	CHECK_EQ(sys_proc_wait(pread, &status, 0), -ETIMEDOUT);
	CHECK_EQ(sys_proc_kill(proc, SIG_KILL), 0);
	CHECK_EQ(kt_wait(proc, 5 * SEC), WAIT_SIGNALED(SIG_KILL));

	/* the boot archive is read-only for us */
	CHECK_EQ(sys_vm_map(H_BOOTFS, 0, 0, PAGE, VM_READ | VM_WRITE), -EPERM);
	CHECK_EQ(sys_vm_map(H_BOOTFS, 0, 0, PAGE, VM_READ | VM_EXEC), -EPERM);

	all[0] = n, all[1] = nr, all[2] = nw, all[3] = pr, all[4] = pm;
	all[5] = cn, all[6] = pread, all[7] = conn, all[8] = port;
	all[9] = pkill;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		sys_handle_close(all[i]);
}

static void test_handle_limit(void)
{
	static handle_t hs[HANDLE_MAX + 1];
	int n = 0, err = 0;

	while (n <= HANDLE_MAX) {
		handle_t h = sys_notify_create();

		if (h < 0) {
			err = h;
			break;
		}
		CHECK(h < HANDLE_MAX);
		hs[n++] = h;
	}
	CHECK_EQ(err, -EMFILE);
	CHECK(n < HANDLE_MAX);
	CHECK(n > HANDLE_MAX - 32);
	if (n)
		CHECK_EQ(sys_handle_dup(hs[0], RIGHTS_SAME), -EMFILE);
	while (n)
		CHECK_EQ(sys_handle_close(hs[--n]), 0);
	hs[0] = sys_notify_create();
	CHECK_OK(hs[0]);
	sys_handle_close(hs[0]);
}

const struct kt_case kt_handle_cases[] = {
	{ "initial handles", test_initial_handles, 0 },
	{ "handle_info of each object type", test_info_of_each_type, 0 },
	{ "handle_dup", test_dup, 0 },
	{ "handle_close", test_close, 0 },
	{ "handles are numbered lowest free first", test_lowest_free, 0 },
	{ "invalid handles give EBADF", test_invalid_handles, 0 },
	{ "wrong handle types give EBADF", test_wrong_types, 0 },
	{ "thread handles are not processes", test_thread_handle_type, 0 },
	{ "missing rights give EPERM", test_missing_rights, 0 },
	{ "handle table limit gives EMFILE", test_handle_limit, 0 },
	{ NULL, NULL, 0 },
};
