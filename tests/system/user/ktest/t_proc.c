/*
 * Tests of processes: proc_spawn (arguments, handles, priority, bad
 * images and bad arguments), proc_exit codes, proc_wait (timeouts, NULL
 * status), proc_kill, distinct pids, and preemption of a spinning child
 * (kt_preempt_cases, which the runner keeps for the very end).
 */
#include "ktest.h"

static void test_exit_codes(void)
{
	CHECK_EQ(kt_run("exit", "0", NULL), WAIT_EXITED(0));
	CHECK_EQ(kt_run("exit", "7", NULL), WAIT_EXITED(7));
	CHECK_EQ(kt_run("exit", "255", NULL), WAIT_EXITED(255));
}

static void test_args(void)
{
	CHECK_EQ(kt_run("args", "alpha", "", "gamma", NULL), WAIT_EXITED(0));
	CHECK(kt_run("args", "alpha", "", NULL) != WAIT_EXITED(0));
}

static void test_handles_passed(void)
{
	handle_t hs[3], child;
	struct handle_info info;

	hs[0] = sys_notify_create();
	hs[1] = sys_port_create();
	hs[2] = sys_mem_create(PAGE, 0);
	REQUIRE_OK(hs[0]);
	REQUIRE_OK(hs[1]);
	REQUIRE_OK(hs[2]);
	child = kt_spawn(hs, 3, "handles", "5", "3", "6", NULL);
	CHECK_OK(child);
	if (child >= 0)
		CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_EXITED(0));
	/* the parent keeps its own */
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(sys_handle_info(hs[i], &info), 0);
		sys_handle_close(hs[i]);
	}
	child = kt_spawn(NULL, 0, "handles", NULL);
	CHECK_OK(child);
	if (child >= 0)
		CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_EXITED(0));
}

static void test_wait_and_kill(void)
{
	handle_t child = kt_spawn(NULL, 0, "sleep", NULL);
	int status = 12345;
	uint64_t t0;

	REQUIRE_OK(child);
	CHECK_EQ(sys_proc_wait(child, &status, 0), -ETIMEDOUT);
	t0 = kt_now();
	CHECK_EQ(sys_proc_wait(child, &status, 30 * MS), -ETIMEDOUT);
	CHECK(kt_now() - t0 >= 30 * MS);
	CHECK_EQ(status, 12345);
	CHECK_EQ(sys_proc_kill(child, SIG_KILL), 0);
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_SIGNALED(SIG_KILL));

	child = kt_spawn(NULL, 0, "sleep", NULL);
	REQUIRE_OK(child);
	CHECK_EQ(sys_proc_kill(child, 15), 0);
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_SIGNALED(15));

	/* status may be NULL */
	child = kt_spawn(NULL, 0, "exit", "3", NULL);
	REQUIRE_OK(child);
	CHECK(sys_proc_wait(child, NULL, 10 * SEC) >= 0);
	kt_forget(child);
	sys_handle_close(child);
}

static void kill_spinner(const char *how)
{
	handle_t child = kt_spawn(NULL, 0, "spin", how, NULL);
	uint64_t t0;

	REQUIRE_OK(child);
	/* it runs at our priority: we must still get the CPU back */
	t0 = kt_now();
	CHECK_EQ(sys_sleep(20 * MS), 0);
	CHECK(kt_now() - t0 < 2 * SEC);
	CHECK_EQ(sys_proc_wait(child, NULL, 0), -ETIMEDOUT);
	CHECK_EQ(sys_proc_kill(child, SIG_KILL), 0);
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_SIGNALED(SIG_KILL));
}

/* The child blocks once before it spins. */
static void test_kill_spinner_after_sleep(void)
{
	kill_spinner("after-sleep");
}

/* The child spins from its first instruction on. */
static void test_kill_spinner(void)
{
	kill_spinner(NULL);
}

static void test_lower_priority(void)
{
	handle_t child = kt_spawn_prio(NULL, 0, PRIO_MIN + 1, "exit", "4",
				       NULL);

	REQUIRE_OK(child);
	CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_EXITED(4));
}

static void test_distinct_pids(void)
{
	handle_t port = sys_port_create(), conn, a, b;
	struct ipc_received r[2];
	uint32_t me = kt_self_pid();
	int pa, pb;

	CHECK_EQ(valence_pid, me); /* r9 at start is the pid IPC stamps */
	REQUIRE_OK(port);
	conn = sys_conn_create(port, 5);
	REQUIRE_OK(conn);
	a = kt_spawn(&conn, 1, "client", NULL);
	b = kt_spawn(&conn, 1, "client", NULL);
	sys_handle_close(conn);
	REQUIRE_OK(a);
	REQUIRE_OK(b);
	for (int i = 0; i < 2; i++) {
		struct ipc_msg m;

		REQUIRE_EQ(sys_ipc_recv(port, &r[i], 10 * SEC), 0);
		REQUIRE_EQ(r[i].msg.op, KT_OP_HELLO);
		memset(&m, 0, sizeof(m));
		m.w[0] = KT_HELLO_WORD;
		CHECK_EQ(sys_ipc_reply(r[i].rid, KT_HELLO_STATUS, &m), 0);
	}
	CHECK(r[0].pid != r[1].pid);
	CHECK(r[0].pid != 0 && r[1].pid != 0);
	CHECK(r[0].pid != me && r[1].pid != me);
	/* proc_wait returns the pid (the order of the calls is not known) */
	pa = sys_proc_wait(a, NULL, 10 * SEC);
	pb = sys_proc_wait(b, NULL, 10 * SEC);
	CHECK((pa == (int)r[0].pid && pb == (int)r[1].pid) ||
	      (pa == (int)r[1].pid && pb == (int)r[0].pid));
	CHECK_EQ(kt_wait(a, 10 * SEC), WAIT_EXITED(42));
	CHECK_EQ(kt_wait(b, 10 * SEC), WAIT_EXITED(42));
	sys_handle_close(port);
}

static struct spawn_args good_args(void)
{
	static const char args[] = KT_CHILD "\0exit\0" "9";
	struct spawn_args a;

	memset(&a, 0, sizeof(a));
	a.image = kt_child_image;
	a.image_len = kt_child_image_len;
	a.args = args;
	a.args_len = sizeof(args);
	a.name = KT_CHILD;
	return a;
}

/* Spawns with `a`; if that unexpectedly worked, reaps the child. */
static long try_spawn(const struct spawn_args *a)
{
	handle_t h = sys_proc_spawn(a);

	if (h >= 0) {
		sys_proc_kill(h, SIG_KILL);
		sys_proc_wait(h, NULL, 5 * SEC);
		sys_handle_close(h);
	}
	return h;
}

static void check_good_spawn(const struct spawn_args *a)
{
	handle_t h = sys_proc_spawn(a);
	int status = -1;

	CHECK_OK(h);
	if (h < 0)
		return;
	CHECK(sys_proc_wait(h, &status, 10 * SEC) >= 0);
	CHECK_EQ(status, WAIT_EXITED(9));
	sys_handle_close(h);
}

static void test_spawn_bad_args(void)
{
	static handle_t many[SPAWN_MAX_HANDLES + 1];
	static char long_args[SPAWN_MAX_ARGS + 16];
	struct spawn_args a = good_args();
	handle_t n = sys_notify_create(), nt;

	REQUIRE_OK(n);
	nt = sys_handle_dup(n, RIGHT_READ | RIGHT_WRITE | RIGHT_DUP);
	REQUIRE_OK(nt);
	a.image_len = (16ull << 20) + 1;	/* over the 16 MiB limit */
	CHECK_EQ(try_spawn(&a), -EINVAL);
	a.image_len = 1ull << 40;
	CHECK_EQ(try_spawn(&a), -EINVAL);
	a.image_len = ~0ull;
	CHECK_EQ(try_spawn(&a), -EINVAL);
	a.image_len = 0;
	CHECK(try_spawn(&a) < 0);

	a = good_args();
	for (int i = 0; i <= SPAWN_MAX_HANDLES; i++)
		many[i] = n;
	a.handles = many;
	a.nhandles = SPAWN_MAX_HANDLES + 1;
	CHECK_EQ(try_spawn(&a), -EINVAL);
	a.nhandles = 0xffffffffu;
	CHECK_EQ(try_spawn(&a), -EINVAL);
	a.nhandles = 1;
	many[0] = nt;			/* no RIGHT_TRANSFER */
	CHECK_EQ(try_spawn(&a), -EPERM);
	many[0] = -1;
	CHECK_EQ(try_spawn(&a), -EBADF);
	many[0] = 9999;
	CHECK_EQ(try_spawn(&a), -EBADF);

	a = good_args();
	memset(long_args, 'a', sizeof(long_args));
	long_args[sizeof(long_args) - 1] = '\0';
	a.args = long_args;
	a.args_len = SPAWN_MAX_ARGS + 1;
	CHECK_EQ(try_spawn(&a), -EINVAL);
	a.args_len = ~0ull;
	CHECK_EQ(try_spawn(&a), -EINVAL);

	a = good_args();
	a.reserved = 1;			/* must be 0 */
	CHECK_EQ(try_spawn(&a), -EINVAL);

	a = good_args();
	a.priority = PRIO_MAX;		/* above ours */
	CHECK_EQ(try_spawn(&a), -EPERM);
	a.priority = PRIO_MAX + 1;
	CHECK(try_spawn(&a) < 0);
	a.priority = 0xffffffffu;
	CHECK(try_spawn(&a) < 0);

	/* and with everything right it works */
	a = good_args();
	check_good_spawn(&a);
	sys_handle_close(nt);
	sys_handle_close(n);
}

static void test_spawn_bad_images(void)
{
	uint64_t size = (kt_child_image_len + PAGE - 1) & ~(PAGE - 1);
	uint8_t *copy = kt_map(size, VM_READ | VM_WRITE, NULL);
	struct spawn_args a = good_args();

	REQUIRE(copy != NULL);
	/* zeros */
	a.image = copy;
	a.image_len = PAGE;
	CHECK_EQ(try_spawn(&a), -ENOEXEC);
	/* a good image, cut short */
	memcpy(copy, kt_child_image, kt_child_image_len);
	a.image_len = 64;
	CHECK_EQ(try_spawn(&a), -ENOEXEC);
	a.image_len = 16;
	CHECK_EQ(try_spawn(&a), -ENOEXEC);
	/* for another machine */
	a.image_len = kt_child_image_len;
	copy[18] = 3;			/* e_machine = EM_386 */
	CHECK_EQ(try_spawn(&a), -ENOEXEC);
	copy[18] = 62;
	/* a shared object, not an executable */
	copy[16] = 3;			/* e_type = ET_DYN */
	CHECK_EQ(try_spawn(&a), -ENOEXEC);
	copy[16] = 2;
	/* 32-bit class */
	copy[4] = 1;
	CHECK_EQ(try_spawn(&a), -ENOEXEC);
	copy[4] = 2;
	/* the repaired copy works */
	CHECK(try_spawn(&a) >= 0);
	kt_unmap(copy, size);
}

const struct kt_case kt_proc_cases[] = {
	{ "exit codes reach proc_wait", test_exit_codes, 0 },
	{ "spawn passes the arguments", test_args, 0 },
	{ "spawn passes the handles", test_handles_passed, 0 },
	{ "proc_wait timeouts and proc_kill", test_wait_and_kill, 0 },
	{ "spawn at a lower priority", test_lower_priority, 0 },
	{ "every process has its own pid", test_distinct_pids, 0 },
	{ "proc_spawn bad arguments", test_spawn_bad_args, 0 },
	{ "proc_spawn bad images give ENOEXEC", test_spawn_bad_images, 0 },
	{ NULL, NULL, 0 },
};

/*
 * Run last: a child that spins without system calls at our priority only
 * gives the CPU back if the kernel preempts it; if it does not, nothing
 * else (not even the runner's watchdog) runs again.
 */
const struct kt_case kt_preempt_cases[] = {
	{ "preempt and kill a spinning child (spins after a sleep)",
	  test_kill_spinner_after_sleep, 0 },
	{ "preempt and kill a spinning child (spins at once)",
	  test_kill_spinner, 0 },
	{ NULL, NULL, 0 },
};
