/*
 * Tests of synchronous IPC between ktest and a ktest-child `server`:
 * words and opcode echoed, the badge and pid stamped by the kernel, lent
 * buffers read and written by the server within their bounds, handles
 * moved with calls and replies; and, against an in-process server, the
 * argument checks of ipc_call, ipc_recv, ipc_reply, ipc_reply_recv,
 * ipc_read and ipc_write.
 */
#include "ktest.h"

#define BADGE_A		0xfedcba9876543210ull
#define BADGE_B		0x1ull

/* ---- a server child ---- */

struct server {
	handle_t proc;
	handle_t conn[2];
};

/* Starts `server` with nconn connections (badges BADGE_A, BADGE_B). */
static int server_start(struct server *s, int nconn)
{
	char closes[2] = { (char)('0' + nconn), 0 };
	const uint64_t badges[2] = { BADGE_A, BADGE_B };
	handle_t port = sys_port_create();

	s->proc = s->conn[0] = s->conn[1] = HANDLE_INVALID;
	if (port < 0)
		return port;
	for (int i = 0; i < nconn; i++)
		s->conn[i] = sys_conn_create(port, badges[i]);
	s->proc = kt_spawn(&port, 1, "server", closes, NULL);
	sys_handle_close(port);
	if (s->proc < 0 || s->conn[0] < 0)
		return s->proc < 0 ? s->proc : s->conn[0];
	return 0;
}

/* Closes the connections: the server sees CLOSE for each and exits 0. */
static int server_stop(struct server *s)
{
	for (int i = 0; i < 2; i++)
		if (s->conn[i] >= 0)
			sys_handle_close(s->conn[i]);
	return kt_wait(s->proc, 10 * SEC);
}

static long call(handle_t conn, struct ipc_msg *m, uint32_t op,
		 const struct ipc_buffers *b, uint64_t w0, uint64_t w1,
		 uint64_t w2)
{
	memset(m, 0, sizeof(*m));
	m->op = op;
	m->w[0] = w0;
	m->w[1] = w1;
	m->w[2] = w2;
	return sys_ipc_call(conn, m, b);
}

static uint64_t sum_bytes(const uint8_t *p, uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++)
		s += p[i];
	return s;
}

static void test_echo(void)
{
	struct server s;
	struct ipc_msg m;
	uint64_t t0;
	int bad = 0;

	REQUIRE_EQ(server_start(&s, 1), 0);
	memset(&m, 0, sizeof(m));
	m.op = KT_OP_ECHO;
	for (int i = 0; i < IPC_WORDS; i++)
		m.w[i] = 0x0101010101010101ull * (uint64_t)(i + 1) + 0x80;
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), KT_ECHO_STATUS);
	for (int i = 0; i < IPC_WORDS; i++)
		CHECK_EQ(m.w[i], 0x0101010101010101ull * (uint64_t)(i + 1) +
					 0x80);
	CHECK_EQ(m.nhandles, 0);

	t0 = kt_now();
	for (uint64_t i = 0; i < 1000; i++) {
		memset(&m, 0, sizeof(m));
		m.op = KT_OP_ECHO;
		m.w[0] = i;
		m.w[5] = ~i;
		if (sys_ipc_call(s.conn[0], &m, NULL) != KT_ECHO_STATUS ||
		    m.w[0] != i || m.w[5] != ~i)
			bad++;
	}
	CHECK_EQ(bad, 0);
	printf("ktest: (1000 IPC round trips to another process: %u us)\n",
	       (unsigned)((kt_now() - t0) / 1000));
	/* an opcode the server does not know */
	CHECK_EQ(call(s.conn[0], &m, 999, NULL, 0, 0, 0), -ENOSYS);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
}

static void test_badge_and_pid(void)
{
	struct ipc_buffers b;
	static uint8_t sbuf[123], rbuf[45];
	struct server s;
	struct ipc_msg m;
	uint32_t me = kt_self_pid();
	handle_t d;

	CHECK(me != 0);
	REQUIRE_EQ(server_start(&s, 2), 0);
	CHECK_OK(s.conn[1]);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WHO, NULL, 0, 0, 0), 0);
	CHECK_EQ(m.w[0], BADGE_A);
	CHECK_EQ(m.w[1], me);
	CHECK_EQ(m.w[4], 0);
	CHECK_EQ(m.w[5], 0);
	CHECK_EQ(call(s.conn[1], &m, KT_OP_WHO, NULL, 0, 0, 0), 0);
	CHECK_EQ(m.w[0], BADGE_B);
	CHECK_EQ(m.w[1], me);
	/* a dup carries the same badge */
	d = sys_handle_dup(s.conn[1], RIGHTS_SAME);
	CHECK_OK(d);
	b.send = sbuf;
	b.send_len = sizeof(sbuf);
	b.recv = rbuf;
	b.recv_len = sizeof(rbuf);
	CHECK_EQ(call(d, &m, KT_OP_WHO, &b, 0, 0, 0), 0);
	CHECK_EQ(m.w[0], BADGE_B);
	CHECK_EQ(m.w[4], sizeof(sbuf));
	CHECK_EQ(m.w[5], sizeof(rbuf));
	sys_handle_close(d);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
}

static void test_buffer_read(void)
{
	static uint8_t data[300];
	struct ipc_buffers b = { data, sizeof(data), NULL, 0 };
	struct server s;
	struct ipc_msg m;
	uint64_t first8;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	memcpy(&first8, data, 8);
	REQUIRE_EQ(server_start(&s, 1), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 0, 1000, 0), 300);
	CHECK_EQ(m.w[0], sum_bytes(data, 300));
	CHECK_EQ(m.w[1], first8);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 250, 100, 0), 50);
	CHECK_EQ(m.w[0], sum_bytes(data + 250, 50));
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 10, 5, 0), 5);
	CHECK_EQ(m.w[0], sum_bytes(data + 10, 5));
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 300, 10, 0), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 1ull << 40, 10, 0), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, ~0ull, 10, 0), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 0, 0, 0), 0);
	/* nothing lent, nothing to read */
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, NULL, 0, 100, 0), 0);
	b.send_len = 0;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 0, 100, 0), 0);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
}

static void test_buffer_write(void)
{
	static uint8_t out[256];
	struct ipc_buffers b = { NULL, 0, out, 200 };
	struct server s;
	struct ipc_msg m;
	bool ok = true;

	memset(out, 0xee, sizeof(out));
	REQUIRE_EQ(server_start(&s, 1), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 0, 50, 0x11), 50);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 150, 100, 0x22), 50);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 200, 10, 0x33), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 1ull << 40, 10, 0x33),
		 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, ~0ull, 10, 0x33), 0);
	for (int i = 0; i < 256; i++) {
		uint8_t want = i < 50 ? 0x11 : i < 150 ? 0xee :
			       i < 200 ? 0x22 : 0xee;

		if (out[i] != want && ok) {
			CHECK_EQ(out[i], want);
			ok = false;
		}
	}
	/* nothing lent, nothing written */
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, NULL, 0, 10, 0x44), 0);
	b.recv_len = 0;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 0, 10, 0x44), 0);
	CHECK_EQ(out[0], 0x11);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
}

static void test_buffer_both_ways(void)
{
	static char in[100], out[100];
	struct ipc_buffers b = { in, sizeof(in), out, sizeof(out) };
	struct server s;
	struct ipc_msg m;
	int bad = 0;

	for (int i = 0; i < 100; i++)
		in[i] = (char)('A' + i % 26);
	REQUIRE_EQ(server_start(&s, 1), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_REVERSE, &b, 0, 0, 0), 100);
	for (int i = 0; i < 100; i++)
		bad += out[i] != in[99 - i];
	CHECK_EQ(bad, 0);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
}

static void test_buffer_large(void)
{
	const uint64_t size = 1ull << 20;
	uint8_t *p = kt_map(size + PAGE, VM_READ | VM_WRITE, NULL);
	struct ipc_buffers b;
	struct server s;
	struct ipc_msg m;

	REQUIRE(p != NULL);
	for (uint64_t i = 0; i < size + PAGE; i++)
		p[i] = (uint8_t)(i ^ (i >> 8));
	REQUIRE_EQ(server_start(&s, 1), 0);
	/* three pages from the middle of one: crosses page boundaries */
	memset(&b, 0, sizeof(b));
	b.send = p + 100;
	b.send_len = 3 * PAGE;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_SUM, &b, 0, 0, 0), 3 * PAGE);
	CHECK_EQ(m.w[0], sum_bytes(p + 100, 3 * PAGE));
	b.send = p + 1;
	b.send_len = size;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_SUM, &b, 0, 0, 0), size);
	CHECK_EQ(m.w[0], sum_bytes(p + 1, size));
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
	kt_unmap(p, size + PAGE);
}

static void test_buffer_bad_memory(void)
{
	struct ipc_buffers b;
	struct server s;
	struct ipc_msg m;

	REQUIRE_EQ(server_start(&s, 1), 0);
	/* lent memory that is not mapped: the call or the copy fails */
	memset(&b, 0, sizeof(b));
	b.send = (const void *)UNMAPPED_USER;
	b.send_len = 64;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 0, 64, 0), -EFAULT);
	memset(&b, 0, sizeof(b));
	b.recv = (void *)UNMAPPED_USER;
	b.recv_len = 64;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 0, 64, 0x55), -EFAULT);
	/* kernel memory is never lent */
	memset(&b, 0, sizeof(b));
	b.send = (const void *)KERNEL_IMAGE;
	b.send_len = 64;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_READ, &b, 0, 64, 0), -EFAULT);
	memset(&b, 0, sizeof(b));
	b.recv = (void *)KERNEL_TEXT;
	b.recv_len = 64;
	CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 0, 64, 0x55), -EFAULT);
	/* a read-only receive buffer cannot be written */
	memset(&b, 0, sizeof(b));
	b.recv = kt_map(PAGE, VM_READ, NULL);
	b.recv_len = 64;
	CHECK(b.recv != NULL);
	if (b.recv) {
		CHECK_EQ(call(s.conn[0], &m, KT_OP_WRITE, &b, 0, 64, 0x55),
			 -EFAULT);
		CHECK_EQ(((uint8_t *)b.recv)[0], 0);
		kt_unmap(b.recv, PAGE);
	}
	/* the server is still fine */
	CHECK_EQ(call(s.conn[0], &m, KT_OP_ECHO, NULL, 1, 2, 3), KT_ECHO_STATUS);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
}

static void test_handle_to_server(void)
{
	handle_t n = sys_notify_create(), keep;
	struct handle_info info;
	struct server s;
	struct ipc_msg m;
	uint64_t bits = 0;

	REQUIRE_OK(n);
	keep = sys_handle_dup(n, RIGHTS_SAME);
	REQUIRE_OK(keep);
	REQUIRE_EQ(server_start(&s, 1), 0);
	memset(&m, 0, sizeof(m));
	m.op = KT_OP_SIGNAL;
	m.w[0] = 0x77;
	m.nhandles = 1;
	m.handles[0] = n;
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), 0);
	CHECK_EQ(m.w[0], OBJ_NOTIFY);
	CHECK_EQ(m.w[1], 1);
	CHECK_EQ(m.nhandles, 0);
	CHECK_EQ(sys_handle_info(n, &info), -EBADF);	/* it moved */
	CHECK_EQ(sys_notify_wait(keep, 5 * SEC, &bits), 0);
	CHECK_EQ(bits, 0x77);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
	sys_handle_close(keep);
}

static void test_handle_from_server(void)
{
	struct handle_info info;
	struct server s;
	struct ipc_msg m;
	uint64_t bits = 0;

	REQUIRE_EQ(server_start(&s, 1), 0);
	CHECK_EQ(call(s.conn[0], &m, KT_OP_GIVE, NULL, 0x5a, 0, 0), 0);
	REQUIRE_EQ(m.nhandles, 1);
	CHECK_EQ(sys_handle_info(m.handles[0], &info), 0);
	CHECK_EQ(info.type, OBJ_NOTIFY);
	CHECK_EQ(sys_notify_wait(m.handles[0], 0, &bits), 0);
	CHECK_EQ(bits, 0x5a);
	CHECK_EQ(sys_handle_close(m.handles[0]), 0);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
}

static void test_handle_move_errors(void)
{
	handle_t n = sys_notify_create(), nt, closed;
	struct handle_info info;
	struct server s;
	struct ipc_msg m;

	REQUIRE_OK(n);
	nt = sys_handle_dup(n, RIGHT_READ | RIGHT_WRITE | RIGHT_DUP);
	closed = sys_notify_create();
	REQUIRE_OK(nt);
	REQUIRE_OK(closed);
	sys_handle_close(closed);
	REQUIRE_EQ(server_start(&s, 1), 0);
	memset(&m, 0, sizeof(m));
	m.op = KT_OP_SIGNAL;
	m.nhandles = 1;
	m.handles[0] = nt;		/* no RIGHT_TRANSFER */
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), -EPERM);
	m.handles[0] = closed;
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), -EBADF);
	m.handles[0] = -1;
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), -EBADF);
	/* one bad handle among good ones: nothing moves */
	m.nhandles = 2;
	m.handles[0] = n;
	m.handles[1] = nt;
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), -EPERM);
	m.nhandles = 2;
	m.handles[0] = n;
	m.handles[1] = n;		/* twice the same */
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), -EINVAL);
	m.nhandles = IPC_HANDLES + 1;
	m.handles[0] = n;
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), -EINVAL);
	m.nhandles = 0xffffffffu;
	CHECK_EQ(sys_ipc_call(s.conn[0], &m, NULL), -EINVAL);
	CHECK_EQ(sys_handle_info(n, &info), 0);
	CHECK_EQ(sys_handle_info(nt, &info), 0);
	CHECK_EQ(server_stop(&s), WAIT_EXITED(0));
	sys_handle_close(n);
	sys_handle_close(nt);
}

/* ---- against an in-process server ---- */

static void test_in_process_echo(void)
{
	static struct kt_echo e;
	struct ipc_msg m;

	REQUIRE_EQ(kt_echo_start(&e, 9), 0);
	CHECK_EQ(call(e.conn, &m, 1234, NULL, 5, 6, 7), 1234);
	CHECK_EQ(m.w[0], 5);
	CHECK_EQ(m.w[2], 7);
	kt_echo_stop(&e);
}

static void test_call_bad_args(void)
{
	static struct kt_echo e;
	static uint8_t buf[64];
	struct ipc_buffers b;
	struct ipc_msg m;

	REQUIRE_EQ(kt_echo_start(&e, 9), 0);
	/* clients cannot send kernel opcodes */
	CHECK_EQ(call(e.conn, &m, IPC_OP_CLOSE, NULL, 0, 0, 0), -EINVAL);
	CHECK_EQ(call(e.conn, &m, IPC_OP_KERNEL, NULL, 0, 0, 0), -EINVAL);
	CHECK_EQ(call(e.conn, &m, 0xffffffffu, NULL, 0, 0, 0), -EINVAL);
	/* oversize buffers */
	memset(&b, 0, sizeof(b));
	b.send = buf;
	b.send_len = IPC_BUF_MAX + 1;
	CHECK_EQ(call(e.conn, &m, 1, &b, 0, 0, 0), -EINVAL);
	b.send_len = ~0ull;
	CHECK_EQ(call(e.conn, &m, 1, &b, 0, 0, 0), -EINVAL);
	memset(&b, 0, sizeof(b));
	b.recv = buf;
	b.recv_len = IPC_BUF_MAX + 1;
	CHECK_EQ(call(e.conn, &m, 1, &b, 0, 0, 0), -EINVAL);
	b.recv_len = 1ull << 63;
	CHECK_EQ(call(e.conn, &m, 1, &b, 0, 0, 0), -EINVAL);
	/* and a good call still works */
	CHECK_EQ(call(e.conn, &m, 3, NULL, 1, 0, 0), 3);
	kt_echo_stop(&e);
}

static void test_recv_timeouts(void)
{
	handle_t port = sys_port_create();
	struct ipc_received r;
	uint64_t t0;

	REQUIRE_OK(port);
	CHECK_EQ(sys_ipc_recv(port, &r, 0), -ETIMEDOUT);
	t0 = kt_now();
	CHECK_EQ(sys_ipc_recv(port, &r, 30 * MS), -ETIMEDOUT);
	CHECK(kt_now() - t0 >= 30 * MS);
	CHECK_EQ(sys_ipc_reply_recv(0, 0, NULL, port, &r, 0), -ETIMEDOUT);
	sys_handle_close(port);
}

/* One call from a thread, held by the test in the main thread. */
static struct {
	handle_t conn;
	long status;
	struct ipc_msg msg;
	uint8_t send[32], recv[32];
} pending;

static void pending_caller(void *arg)
{
	struct ipc_buffers b = { pending.send, sizeof(pending.send),
				 pending.recv, sizeof(pending.recv) };

	memset(&pending.msg, 0, sizeof(pending.msg));
	pending.msg.op = 77;
	pending.status = sys_ipc_call(pending.conn, &pending.msg, &b);
}

static void test_reply_errors(void)
{
	static struct kt_thread t;
	handle_t port = sys_port_create(), n;
	struct ipc_received r;
	struct ipc_msg m;
	uint8_t buf[8];

	REQUIRE_OK(port);
	pending.conn = sys_conn_create(port, 3);
	REQUIRE_OK(pending.conn);
	memset(pending.send, 's', sizeof(pending.send));
	memset(pending.recv, 0, sizeof(pending.recv));
	pending.status = 1;
	CHECK_EQ(sys_ipc_reply(0, 0, NULL), -EINVAL);
	CHECK_EQ(sys_ipc_read(0, 0, buf, 8), -EINVAL);
	CHECK_EQ(sys_ipc_write(0, 0, buf, 8), -EINVAL);
	CHECK_EQ(sys_ipc_reply(0x123456789ull, 0, NULL), -ESRCH);
	CHECK_EQ(sys_ipc_read(0x123456789ull, 0, buf, 8), -ESRCH);
	CHECK_EQ(sys_ipc_write(0x123456789ull, 0, buf, 8), -ESRCH);
	REQUIRE_EQ(kt_thread_start(&t, pending_caller, NULL), 0);
	REQUIRE_EQ(sys_ipc_recv(port, &r, 5 * SEC), 0);
	CHECK_EQ(r.msg.op, 77);
	CHECK_EQ(r.badge, 3);
	CHECK(r.rid != 0);
	CHECK_EQ(r.send_len, 32);
	CHECK_EQ(r.recv_len, 32);

	/* bad replies leave the call pending */
	memset(&m, 0, sizeof(m));
	m.nhandles = IPC_HANDLES + 1;
	CHECK_EQ(sys_ipc_reply(r.rid, 0, &m), -EINVAL);
	m.nhandles = 1;
	m.handles[0] = -1;
	CHECK_EQ(sys_ipc_reply(r.rid, 0, &m), -EBADF);
	n = sys_notify_create();
	m.handles[0] = sys_handle_dup(n, RIGHT_READ | RIGHT_WRITE);
	CHECK_EQ(sys_ipc_reply(r.rid, 0, &m), -EPERM);
	sys_handle_close(m.handles[0]);
	sys_handle_close(n);
	CHECK_EQ(sys_ipc_read(r.rid, 0, buf, IPC_BUF_MAX + 1), -EINVAL);
	CHECK_EQ(sys_ipc_write(r.rid, 0, buf, IPC_BUF_MAX + 1), -EINVAL);
	CHECK_EQ(sys_ipc_read(r.rid, 0, buf, 8), 8);
	CHECK_EQ(buf[7], 's');
	CHECK_EQ(sys_ipc_write(r.rid, 30, "xyz", 3), 2);
	CHECK_EQ(t.done, 0);

	/* a good reply, exactly once */
	memset(&m, 0, sizeof(m));
	m.w[3] = 0xabc;
	CHECK_EQ(sys_ipc_reply(r.rid, -12345, &m), 0);
	CHECK_EQ(sys_ipc_reply(r.rid, 0, &m), -ESRCH);
	CHECK_EQ(sys_ipc_reply_recv(r.rid, 0, &m, port, &r, 0), -ESRCH);
	CHECK_EQ(sys_ipc_read(r.rid, 0, buf, 8), -ESRCH);
	CHECK_EQ(sys_ipc_write(r.rid, 0, buf, 8), -ESRCH);
	REQUIRE_EQ(kt_thread_join(&t, 5 * SEC), 0);
	CHECK_EQ(pending.status, -12345);
	CHECK_EQ(pending.msg.w[3], 0xabc);
	CHECK_EQ(pending.recv[30], 'x');
	CHECK_EQ(pending.recv[31], 'y');
	sys_handle_close(pending.conn);
	sys_handle_close(port);
}

const struct kt_case kt_ipc_cases[] = {
	{ "IPC echo with a server process", test_echo, 0 },
	{ "IPC badge and pid stamped by the kernel", test_badge_and_pid, 0 },
	{ "ipc_read of a lent buffer, within bounds", test_buffer_read, 0 },
	{ "ipc_write to a lent buffer, within bounds", test_buffer_write, 0 },
	{ "lent buffers both ways in one call", test_buffer_both_ways, 0 },
	{ "lent buffers across pages, 1 MiB", test_buffer_large, 0 },
	{ "lent buffers in unmapped or kernel memory", test_buffer_bad_memory,
	  0 },
	{ "handle moved to the server", test_handle_to_server, 0 },
	{ "handle moved back in the reply", test_handle_from_server, 0 },
	{ "moving handles: errors move nothing", test_handle_move_errors, 0 },
	{ "IPC within one process", test_in_process_echo, 0 },
	{ "ipc_call bad arguments", test_call_bad_args, 0 },
	{ "ipc_recv timeouts", test_recv_timeouts, 0 },
	{ "ipc_reply, ipc_read, ipc_write errors", test_reply_errors, 0 },
	{ NULL, NULL, 0 },
};
