/*
 * Tests of proc_fork and proc_exec: the child's copy of memory is its own
 * (copy on write, both ways, also when the kernel is the one writing),
 * shared memory stays shared, handles are copied at the same numbers,
 * exec replaces the program and keeps pid and handles, bad images leave
 * the caller intact, and nothing leaks over many forks.
 *
 * A forked child runs on in the test's own code; it must end with
 * sys_proc_exit and reports through its exit status.
 */
#include "ktest.h"

#define BIG (64u << 10)

static volatile uint64_t data_word = 1; /* .data */
static uint8_t big[BIG];		/* .bss, several pages */
static struct handle_info info_out;	/* written by the kernel */

/* Forks; in the child runs fn and exits with its result (never returns
   there).  Returns the child's handle in the parent. */
static handle_t fork_run(int (*fn)(void))
{
	handle_t h = sys_proc_fork();

	if (h == 0)
		sys_proc_exit(fn());
	return h;
}

static int wait_status(handle_t h)
{
	int st = -1;

	if (h < 0)
		return h;
	if (sys_proc_wait(h, &st, 10 * SEC) < 0)
		st = -1;
	sys_handle_close(h);
	return st;
}

static int child_reads_and_writes(void)
{
	volatile uint8_t local = 0x5a;
	int bad = 0;

	bad |= data_word != 1;
	bad |= big[0] != 0x11 || big[BIG - 1] != 0x22;
	bad |= local != 0x5a;
	data_word = 2; /* each a copy-on-write fault */
	memset(big, 0x33, BIG);
	local = 0;
	sys_sleep(20 * MS); /* the parent writes meanwhile */
	bad |= data_word != 2 || big[100] != 0x33 || local != 0;
	return bad ? 1 : 42;
}

static void test_fork_copies(void)
{
	handle_t h;
	struct handle_info info;

	data_word = 1;
	big[0] = 0x11;
	big[BIG - 1] = 0x22;
	h = fork_run(child_reads_and_writes);
	REQUIRE_OK(h);
	CHECK_EQ(sys_handle_info(h, &info), 0);
	CHECK_EQ(info.type, OBJ_PROCESS);
	CHECK(info.pid != 0 && info.pid != valence_pid);
	big[100] = 0x44; /* must not reach the child */
	CHECK_EQ(wait_status(h), WAIT_EXITED(42));
	CHECK_EQ(data_word, 1);
	CHECK_EQ(big[0], 0x11);
	CHECK_EQ(big[1], 0);
	CHECK_EQ(big[100], 0x44);
}

/* The kernel writes into a copy-on-write page of the child. */
static int child_kernel_writes(void)
{
	return sys_handle_info(0, &info_out) == 0 && info_out.type != 0 ? 43
									 : 1;
}

static void test_fork_kernel_writes(void)
{
	handle_t h;

	memset(&info_out, 0, sizeof(info_out));
	h = fork_run(child_kernel_writes);
	CHECK_EQ(wait_status(h), WAIT_EXITED(43));
	CHECK_EQ(info_out.type, 0); /* the parent's copy is untouched */
}

/* A server in the parent writes into the child's copy-on-write buffer. */
static handle_t conn_for_child;

static int child_receives(void)
{
	struct ipc_buffers b = { NULL, 0, big, 16 };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = 7;
	if (sys_ipc_call(conn_for_child, &m, &b) != 5)
		return 1;
	return memcmp(big, "hello", 5) == 0 ? 44 : 2;
}

static void test_fork_ipc_write(void)
{
	handle_t port = sys_port_create(), h;
	struct ipc_received r;

	REQUIRE_OK(port);
	conn_for_child = sys_conn_create(port, 9);
	REQUIRE_OK(conn_for_child);
	memset(big, 0, 16);
	h = fork_run(child_receives);
	REQUIRE_OK(h);
	if (sys_ipc_recv(port, &r, 10 * SEC) == 0) {
		CHECK_EQ(r.badge, 9); /* the copied handle is the same conn */
		CHECK_EQ(sys_ipc_write(r.rid, 0, "hello", 5), 5);
		CHECK_EQ(sys_ipc_reply(r.rid, 5, NULL), 0);
	}
	CHECK_EQ(wait_status(h), WAIT_EXITED(44));
	CHECK_EQ(big[0], 0); /* our own copy */
	sys_handle_close(conn_for_child);
	sys_handle_close(port);
}

/* Memory whose handle is kept is shared, as MAP_SHARED. */
static volatile uint32_t *shm;

static int child_writes_shared(void)
{
	*shm = 0xfeed;
	return 45;
}

static void test_fork_shared_memory(void)
{
	handle_t mem;
	handle_t h;

	shm = kt_map(PAGE, VM_READ | VM_WRITE, &mem);
	REQUIRE(shm != NULL);
	*shm = 1;
	h = fork_run(child_writes_shared);
	CHECK_EQ(wait_status(h), WAIT_EXITED(45));
	CHECK_EQ(*shm, 0xfeed);
	kt_unmap((void *)shm, PAGE);
	sys_handle_close(mem);
}

static int child_exits(void)
{
	big[0] ^= 1; /* one copy */
	return 3;
}

/* Many forks: frames and objects return to where they were. */
static void test_fork_leaks(void)
{
	struct sys_stats before, after;

	big[0] = 0;
	CHECK_EQ(wait_status(fork_run(child_exits)), WAIT_EXITED(3));
	REQUIRE_EQ(sys_sys_stats(&before), 0);
	for (int i = 0; i < 200; i++)
		if (wait_status(fork_run(child_exits)) != WAIT_EXITED(3)) {
			CHECK(!"a forked child failed");
			break;
		}
	REQUIRE_EQ(sys_sys_stats(&after), 0);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.objects, before.objects);
	CHECK_EQ(big[0], 0);
}

/* exec: a bad image fails and the program goes on; a good one runs. */
static int child_execs(void)
{
	static const char args[] = "ktest-child\0exit\0" "6";
	static const char junk[64] = "not an ELF image";

	if (sys_proc_exec(junk, sizeof(junk), args, sizeof(args), 0) !=
	    -ENOEXEC)
		return 1;
	if (sys_proc_exec(kt_child_image, kt_child_image_len, args,
			  sizeof(args) - 1, 0) != -EINVAL) /* no final NUL */
		return 2;
	if (sys_proc_exec(NULL, 100, args, sizeof(args), 0) != -EFAULT)
		return 3;
	sys_proc_exec(kt_child_image, kt_child_image_len, args, sizeof(args),
		      0);
	return 4; /* not reached */
}

static void test_exec(void)
{
	CHECK_EQ(wait_status(fork_run(child_execs)), WAIT_EXITED(6));
}

/* exec keeps the handles: ktest-child "handles" checks their types. */
static int child_execs_with_handles(void)
{
	char args[64] = "ktest-child\0handles";
	size_t len = sizeof("ktest-child\0handles");
	struct handle_info info;

	/* Keep ktest's handles 0..3 (from init), close the rest. */
	for (handle_t h = 4; h < HANDLE_MAX; h++)
		sys_handle_close(h);
	for (handle_t h = 0; h < 4; h++) {
		if (sys_handle_info(h, &info) < 0 || info.type > 9)
			return 8;
		args[len++] = (char)('0' + info.type);
		args[len++] = '\0';
	}
	sys_proc_exec(kt_child_image, kt_child_image_len, args, len, 0);
	return 9;
}

static void test_exec_keeps_handles(void)
{
	CHECK_EQ(wait_status(fork_run(child_execs_with_handles)),
		 WAIT_EXITED(0));
}

/* handle_dup to a chosen number (dup2). */
static void test_dup_to(void)
{
	handle_t n = sys_notify_create(), m = sys_notify_create();
	struct handle_info a, b;

	REQUIRE_OK(n);
	REQUIRE_OK(m);
	CHECK_EQ(sys_handle_dup_to(n, RIGHTS_SAME, 200), 200);
	CHECK_EQ(sys_handle_info(200, &a), 0);
	CHECK_EQ(sys_handle_info(n, &b), 0);
	CHECK_EQ(a.object_id, b.object_id);
	CHECK_EQ(sys_handle_dup_to(m, RIGHTS_SAME, 200), 200); /* replaces */
	CHECK_EQ(sys_handle_info(200, &a), 0);
	CHECK_EQ(sys_handle_info(m, &b), 0);
	CHECK_EQ(a.object_id, b.object_id);
	CHECK_EQ(sys_handle_dup_to(n, RIGHTS_SAME, n), n);
	CHECK_EQ(sys_handle_dup_to(n, RIGHTS_SAME, HANDLE_MAX), -EBADF);
	CHECK_EQ(sys_handle_dup_to(999, RIGHTS_SAME, 5), -EBADF);
	sys_handle_close(200);
	sys_handle_close(m);
	sys_handle_close(n);
}

const struct kt_case kt_fork_cases[] = {
	{ "fork: the child's memory is a private copy", test_fork_copies, 0 },
	{ "fork: kernel writes to copy-on-write pages",
	  test_fork_kernel_writes, 0 },
	{ "fork: ipc_write into a child's copy-on-write buffer",
	  test_fork_ipc_write, 0 },
	{ "fork: memory with a handle stays shared", test_fork_shared_memory,
	  0 },
	{ "fork: 200 forks leak nothing", test_fork_leaks, 0 },
	{ "exec: bad images fail, a good one runs", test_exec, 0 },
	{ "exec keeps handles", test_exec_keeps_handles, 0 },
	{ "handle_dup to a chosen handle (dup2)", test_dup_to, 0 },
	{ NULL, NULL, 0 },
};
