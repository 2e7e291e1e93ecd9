/*
 * Tests of the IPC life cycle: IPC_OP_CLOSE reaches the server when a
 * client closes its connection, exits, crashes or is killed mid-call (and
 * replying to the stale call then gives -ESRCH); a server that parks 100
 * calls from 100 client threads and answers them later, newest first;
 * clients blocked on a server that dies or is killed get -EPIPE, and so
 * do later calls.
 */
#include "ktest.h"

#define BADGE	0xc105ec105eull

/* Receives with a timeout; fails the test on error. */
static bool recv_ok(handle_t port, struct ipc_received *r, uint64_t timeout)
{
	int err = sys_ipc_recv(port, r, timeout);

	CHECK_EQ(err, 0);
	return err == 0;
}

static void expect_close(handle_t port, uint64_t badge)
{
	struct ipc_received r;

	if (!recv_ok(port, &r, 5 * SEC))
		return;
	CHECK_EQ(r.msg.op, IPC_OP_CLOSE);
	CHECK_EQ(r.badge, badge);
	CHECK_EQ(r.rid, 0);
	CHECK_EQ(r.msg.nhandles, 0);
}

static void test_close_on_handle_close(void)
{
	handle_t port = sys_port_create(), c, d;
	struct ipc_received r;

	REQUIRE_OK(port);
	c = sys_conn_create(port, 77);
	REQUIRE_OK(c);
	CHECK_EQ(sys_ipc_recv(port, &r, 0), -ETIMEDOUT);
	CHECK_EQ(sys_handle_close(c), 0);
	expect_close(port, 77);
	CHECK_EQ(sys_ipc_recv(port, &r, 0), -ETIMEDOUT);	/* only once */

	/* only the last handle counts */
	c = sys_conn_create(port, 78);
	REQUIRE_OK(c);
	d = sys_handle_dup(c, RIGHTS_SAME);
	REQUIRE_OK(d);
	CHECK_EQ(sys_handle_close(c), 0);
	CHECK_EQ(sys_ipc_recv(port, &r, 0), -ETIMEDOUT);
	CHECK_EQ(sys_handle_close(d), 0);
	expect_close(port, 78);

	/* two connections, two CLOSEs, each with its badge, in order */
	c = sys_conn_create(port, 1);
	d = sys_conn_create(port, 2);
	CHECK_OK(c);
	CHECK_OK(d);
	sys_handle_close(c);
	sys_handle_close(d);
	expect_close(port, 1);
	expect_close(port, 2);
	sys_handle_close(port);
}

/* A client child: one call, answered by us, then it exits. */
static void test_close_on_exit(void)
{
	handle_t port = sys_port_create(), conn, child;
	struct ipc_received r;
	struct ipc_msg m;
	uint32_t me = kt_self_pid();

	REQUIRE_OK(port);
	conn = sys_conn_create(port, BADGE);
	REQUIRE_OK(conn);
	child = kt_spawn(&conn, 1, "client", NULL);
	sys_handle_close(conn);
	REQUIRE_OK(child);
	if (recv_ok(port, &r, 10 * SEC)) {
		CHECK_EQ(r.msg.op, KT_OP_HELLO);
		CHECK_EQ(r.badge, BADGE);
		CHECK(r.rid != 0);
		CHECK(r.pid != 0);
		CHECK(r.pid != me);
		for (int i = 0; i < IPC_WORDS; i++)
			CHECK_EQ(r.msg.w[i], i + 1);
		memset(&m, 0, sizeof(m));
		m.w[0] = KT_HELLO_WORD;
		CHECK_EQ(sys_ipc_reply(r.rid, KT_HELLO_STATUS, &m), 0);
	}
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_EXITED(42));
	expect_close(port, BADGE);
	sys_handle_close(port);
}

/* The call is received, then the caller's process dies of a fault. */
static void test_close_on_crash(void)
{
	handle_t port = sys_port_create(), n, conn, child, hs[2];
	struct ipc_received r;
	uint64_t rid = 0;
	uint8_t buf[4];

	REQUIRE_OK(port);
	n = sys_notify_create();
	conn = sys_conn_create(port, BADGE + 1);
	REQUIRE_OK(n);
	REQUIRE_OK(conn);
	hs[0] = conn;
	hs[1] = n;
	child = kt_spawn(hs, 2, "crash-in-call", NULL);
	sys_handle_close(conn);
	REQUIRE_OK(child);
	if (recv_ok(port, &r, 10 * SEC)) {
		CHECK_EQ(r.msg.op, KT_OP_HELLO);
		CHECK_EQ(r.badge, BADGE + 1);
		rid = r.rid;
	}
	CHECK_EQ(sys_notify_signal(n, 1), 0);	/* now crash */
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_SIGNALED(SIG_SEGV));
	expect_close(port, BADGE + 1);
	CHECK_EQ(sys_ipc_reply(rid, 0, NULL), -ESRCH);
	CHECK_EQ(sys_ipc_write(rid, 0, buf, sizeof(buf)), -ESRCH);
	CHECK_EQ(sys_ipc_recv(port, &r, 0), -ETIMEDOUT);
	sys_handle_close(n);
	sys_handle_close(port);
}

/* The call is received, then the caller is killed. */
static void test_close_on_kill(void)
{
	handle_t port = sys_port_create(), conn, child;
	struct ipc_received r;
	uint64_t rid = 0;

	REQUIRE_OK(port);
	conn = sys_conn_create(port, BADGE + 2);
	REQUIRE_OK(conn);
	child = kt_spawn(&conn, 1, "client", NULL);
	sys_handle_close(conn);
	REQUIRE_OK(child);
	if (recv_ok(port, &r, 10 * SEC))
		rid = r.rid;
	CHECK_EQ(sys_proc_kill(child, SIG_KILL), 0);
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_SIGNALED(SIG_KILL));
	expect_close(port, BADGE + 2);
	CHECK_EQ(sys_ipc_reply(rid, 0, NULL), -ESRCH);
	sys_handle_close(port);
}

/* ---- many clients, parked ---- */

#define NCLIENTS 100

static struct client {
	handle_t conn;
	uint64_t word;
	long status;
	struct ipc_msg reply;
} clients[NCLIENTS];

static void client_thread(void *arg)
{
	struct client *c = arg;

	memset(&c->reply, 0, sizeof(c->reply));
	c->reply.op = KT_OP_PARK;
	c->reply.w[0] = c->word;
	c->status = sys_ipc_call(c->conn, &c->reply, NULL);
}

static int start_clients(struct kt_thread *t, handle_t conn, int n)
{
	for (int i = 0; i < n; i++) {
		clients[i].conn = conn;
		clients[i].word = 0x100 + (uint64_t)i * 17;
		clients[i].status = 1;
		if (kt_thread_start(&t[i], client_thread, &clients[i]) < 0)
			return i;
	}
	return n;
}

static int join_clients(struct kt_thread *t, int n, uint64_t timeout)
{
	int late = 0;

	for (int i = 0; i < n; i++)
		late += kt_thread_join(&t[i], timeout) < 0;
	return late;
}

static void test_park_100(void)
{
	static struct kt_thread t[NCLIENTS];
	handle_t port = sys_port_create(), conn, child;
	int started, wrong = 0;

	REQUIRE_OK(port);
	conn = sys_conn_create(port, BADGE + 3);
	REQUIRE_OK(conn);
	child = kt_spawn(&port, 1, "park", "100", NULL);
	sys_handle_close(port);
	REQUIRE_OK(child);
	started = start_clients(t, conn, NCLIENTS);
	CHECK_EQ(started, NCLIENTS);
	CHECK_EQ(join_clients(t, started, 60 * SEC), 0);
	for (int i = 0; i < started; i++) {
		struct client *c = &clients[i];

		if (c->status != (long)(c->word + KT_PARK_BASE) ||
		    c->reply.w[0] != c->word * 3 + 1 ||
		    c->reply.w[1] != NCLIENTS || c->reply.w[2] != BADGE + 3) {
			if (!wrong) {
				CHECK_EQ(c->status, c->word + KT_PARK_BASE);
				CHECK_EQ(c->reply.w[0], c->word * 3 + 1);
				CHECK_EQ(c->reply.w[1], NCLIENTS);
				CHECK_EQ(c->reply.w[2], BADGE + 3);
			}
			wrong++;
		}
	}
	CHECK_EQ(wrong, 0);
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_EXITED(0));
	sys_handle_close(conn);
}

/* ---- servers that go away ---- */

static int count_status(int n, long status)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += clients[i].status == status;
	return k;
}

static void test_server_dies(void)
{
	static struct kt_thread t[5];
	handle_t port = sys_port_create(), conn, child;
	struct ipc_msg m;
	uint64_t t0;
	int started;

	REQUIRE_OK(port);
	conn = sys_conn_create(port, BADGE + 4);
	REQUIRE_OK(conn);
	child = kt_spawn(&port, 1, "die", "3", NULL);
	sys_handle_close(port);	/* the child holds the only port handle */
	REQUIRE_OK(child);
	started = start_clients(t, conn, 5);
	CHECK_EQ(started, 5);
	/* three calls are taken, two wait in the queue; then it exits */
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_EXITED(0));
	CHECK_EQ(join_clients(t, started, 10 * SEC), 0);
	CHECK_EQ(count_status(started, -EPIPE), started);
	/* new calls fail at once */
	memset(&m, 0, sizeof(m));
	m.op = KT_OP_ECHO;
	t0 = kt_now();
	CHECK_EQ(sys_ipc_call(conn, &m, NULL), -EPIPE);
	CHECK(kt_now() - t0 < SEC);
	sys_handle_close(conn);
}

static void test_server_killed(void)
{
	static struct kt_thread t[3];
	handle_t port = sys_port_create(), conn, child;
	struct ipc_msg m;
	int started;

	REQUIRE_OK(port);
	conn = sys_conn_create(port, BADGE + 5);
	REQUIRE_OK(conn);
	child = kt_spawn(&port, 1, "park", "50", NULL);
	sys_handle_close(port);
	REQUIRE_OK(child);
	started = start_clients(t, conn, 3);
	CHECK_EQ(started, 3);
	sys_sleep(100 * MS);	/* let the calls be received and parked */
	CHECK_EQ(sys_proc_kill(child, SIG_KILL), 0);
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_SIGNALED(SIG_KILL));
	CHECK_EQ(join_clients(t, started, 10 * SEC), 0);
	CHECK_EQ(count_status(started, -EPIPE), started);
	memset(&m, 0, sizeof(m));
	m.op = KT_OP_ECHO;
	CHECK_EQ(sys_ipc_call(conn, &m, NULL), -EPIPE);
	sys_handle_close(conn);
}

/* In one process: the port's last handle goes away. */
static void test_port_closed(void)
{
	static struct kt_thread t[2];
	handle_t port = sys_port_create(), conn;

	REQUIRE_OK(port);
	conn = sys_conn_create(port, BADGE + 6);
	REQUIRE_OK(conn);
	REQUIRE_EQ(start_clients(t, conn, 2), 2);
	sys_sleep(50 * MS);	/* both wait in the port's queue */
	CHECK_EQ(t[0].done, 0);
	CHECK_EQ(sys_handle_close(port), 0);
	CHECK_EQ(join_clients(t, 2, 5 * SEC), 0);
	CHECK_EQ(count_status(2, -EPIPE), 2);
	/* and later calls */
	REQUIRE_EQ(start_clients(t, conn, 1), 1);
	CHECK_EQ(join_clients(t, 1, 5 * SEC), 0);
	CHECK_EQ(clients[0].status, -EPIPE);
	sys_handle_close(conn);
}

static struct {
	handle_t port;
	int result;
} receiver;

static void receiver_thread(void *arg)
{
	struct ipc_received r;

	receiver.result = sys_ipc_recv(receiver.port, &r, 10 * SEC);
}

/* A thread waiting in ipc_recv when the port's last handle is closed. */
static void test_port_closed_under_receiver(void)
{
	static struct kt_thread t;
	uint64_t t0;

	receiver.port = sys_port_create();
	receiver.result = 1;
	REQUIRE_OK(receiver.port);
	REQUIRE_EQ(kt_thread_start(&t, receiver_thread, NULL), 0);
	sys_sleep(20 * MS);
	t0 = kt_now();
	CHECK_EQ(sys_handle_close(receiver.port), 0);
	CHECK_EQ(kt_thread_join(&t, 15 * SEC), 0);
	CHECK(receiver.result < 0);
	CHECK(kt_now() - t0 < 5 * SEC);
}

const struct kt_case kt_close_cases[] = {
	{ "CLOSE when a connection's last handle is closed",
	  test_close_on_handle_close, 0 },
	{ "CLOSE when a client process exits", test_close_on_exit, 0 },
	{ "CLOSE when a client crashes mid-call; stale reply ESRCH",
	  test_close_on_crash, 0 },
	{ "CLOSE when a client is killed mid-call", test_close_on_kill, 0 },
	{ "server parks 100 calls and answers them in reverse",
	  test_park_100, 90 * SEC },
	{ "server dies: blocked and new calls get EPIPE", test_server_dies,
	  0 },
	{ "server killed: blocked and new calls get EPIPE",
	  test_server_killed, 0 },
	{ "port closed: queued and new calls get EPIPE", test_port_closed, 0 },
	{ "port closed under a waiting receiver",
	  test_port_closed_under_receiver, 30 * SEC },
	{ NULL, NULL, 0 },
};
