/*
 * Data through one pipe, in one thread: order, partial reads, the end of
 * the data, EPIPE, O_NONBLOCK, fstat, lseek, and calls the server must
 * refuse.
 */
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pipetest.h"

static void in_order(void)
{
	char buf[64];
	int p[2];

	REQUIRE_EQ(pipe(p), 0);
	CHECK(p[0] != p[1]);
	CHECK_EQ(write(p[1], "hello", 5), 5);
	CHECK_EQ(write(p[1], " world", 6), 6);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "hello world", 11) == 0);
	/* 300 small messages, read back in one go each 100 */
	for (int round = 0; round < 3; round++) {
		char want[400], got[400];
		int len = 0;

		for (int i = 0; i < 100; i++) {
			char m[4];

			snprintf(m, sizeof(m), "%03d", round * 100 + i);
			CHECK_EQ(write(p[1], m, 3), 3);
			memcpy(want + len, m, 3);
			len += 3;
		}
		CHECK_EQ(read_full(p[0], got, (size_t)len), len);
		CHECK(memcmp(want, got, (size_t)len) == 0);
	}
	close(p[0]);
	close(p[1]);
}

static void partial_reads(void)
{
	char buf[8];
	int p[2];

	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "0123456789", 10), 10);
	CHECK_EQ(read(p[0], buf, 4), 4);
	CHECK(memcmp(buf, "0123", 4) == 0);
	CHECK_EQ(read(p[0], buf, 4), 4);
	CHECK(memcmp(buf, "4567", 4) == 0);
	CHECK_EQ(read(p[0], buf, 8), 2); /* what is there, no more */
	CHECK(memcmp(buf, "89", 2) == 0);
	CHECK_EQ(read(p[0], buf, 0), 0);
	close(p[0]);
	close(p[1]);
}

static void end_of_data(void)
{
	char buf[8];
	int p[2];

	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "xy", 2), 2);
	CHECK_EQ(close(p[1]), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 2); /* the data first */
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
}

static void broken_pipe(void)
{
	int p[2];

	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(close(p[0]), 0);
	/* at once: the CLOSE of the read end is queued behind this write */
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	CHECK_ERR(write(p[1], "yz", 2), EPIPE);
	close(p[1]);
	/* with data left unread in it */
	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "abc", 3), 3);
	CHECK_EQ(close(p[0]), 0);
	CHECK_ERR(write(p[1], "d", 1), EPIPE);
	close(p[1]);
}

/* A writer that does not ignore SIGPIPE is ended by it. */
static void sigpipe_ends_writer(void)
{
	int p[2], st = -1;
	pid_t pid;

	REQUIRE_EQ(pipe(p), 0);
	close(p[0]);
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(0); /* not reached */
	}
	REQUIRE(pid > 0);
	close(p[1]);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGPIPE);
}

static void nonblocking(void)
{
	static char big[8192];
	char buf[16];
	long total = 0;
	ssize_t n;
	int p[2];

	REQUIRE_EQ(pipe2(p, O_NONBLOCK), 0);
	CHECK_ERR(read(p[0], buf, sizeof(buf)), EAGAIN); /* empty */
	memset(big, 'n', sizeof(big));
	while ((n = write(p[1], big, ATOMIC_MAX)) > 0)
		total += n;
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, EAGAIN); /* full */
	CHECK_EQ(total, PIPE_CAP);
	CHECK_ERR(write(p[1], "x", 1), EAGAIN);
	CHECK_EQ(read(p[0], buf, 10), 10);
	/* 10 bytes of room: a small write is whole or not at all, a big one
	   takes what fits */
	CHECK_ERR(write(p[1], big, 11), EAGAIN);
	CHECK_EQ(write(p[1], big, sizeof(big)), 10);
	CHECK_EQ(close(p[1]), 0);
	CHECK_EQ(read_full(p[0], big, sizeof(big)), sizeof(big));
	total = PIPE_CAP - sizeof(big);
	while ((n = read(p[0], big, sizeof(big))) > 0)
		total -= n;
	CHECK_EQ(n, 0); /* the end, not EAGAIN: the writer is gone */
	CHECK_EQ(total, 0);
	close(p[0]);
}

static void stat_and_seek(void)
{
	struct stat st, st2;
	int p[2], q[2];

	REQUIRE_EQ(pipe(p), 0);
	REQUIRE_EQ(pipe(q), 0);
	CHECK_EQ(fstat(p[0], &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(write(p[1], "12345", 5), 5);
	CHECK_EQ(fstat(p[1], &st2), 0);
	CHECK(S_ISFIFO(st2.st_mode));
	CHECK_EQ(st2.st_size, 5);	 /* the bytes in the pipe */
	CHECK_EQ(st2.st_ino, st.st_ino); /* both ends, one pipe */
	CHECK_EQ(fstat(q[0], &st2), 0);
	CHECK(st2.st_ino != st.st_ino);
	CHECK_EQ(isatty(p[0]), 0);
	CHECK_EQ(errno, ENOTTY);
	CHECK_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE);
	CHECK_ERR(lseek(p[1], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(ftruncate(p[1], 0), EINVAL);
	CHECK_ERR(fsync(p[1]), EINVAL);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* One raw call on h; the status. */
static long call(handle_t h, uint32_t op, uint64_t w0, uint64_t w1,
		 const struct ipc_buffers *b)
{
	struct ipc_msg m;
	long r;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	m.w[1] = w1;
	r = sys_ipc_call(h, &m, b);
	for (uint32_t i = 0; r >= 0 && i < m.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(m.handles[i]);
	return r;
}

static void refused_calls(void)
{
	handle_t root = scheme_root("pipe");
	struct vstat vst;
	struct ipc_buffers b;
	char buf[8];
	int p[2];

	REQUIRE_OK(root);
	REQUIRE_EQ(pipe(p), 0);
	/* the wrong direction, past libc's own check */
	CHECK_EQ(file_read(p[1], buf, sizeof(buf)), -EBADF);
	CHECK_EQ(file_write(p[0], "x", 1), -EBADF);
	CHECK_ERR(read(p[1], buf, 1), EBADF);
	CHECK_ERR(write(p[0], "x", 1), EBADF);
	/* on the root */
	CHECK_EQ(call(root, FS_READ, 0, 0, NULL), -EBADF);
	CHECK_EQ(call(root, FS_STAT, 0, 0, NULL), -EBADF);
	CHECK_EQ(call(root, FS_OPEN, 0, 0, NULL), -ENOENT);
	CHECK_EQ(call(root, FS_MKDIR, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(call(root, 0x7777, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(call(root, PIPE_CREATE, VO_APPEND, 0, NULL), -EINVAL);
	/* on an end */
	CHECK_EQ(call(p[0], PIPE_CREATE, 0, 0, NULL), -EBADF);
	CHECK_EQ(call(p[0], FS_OPEN, 0, 0, NULL), -EBADF);
	CHECK_EQ(call(p[0], FS_READDIR, 0, 0, NULL), -ENOTDIR);
	CHECK_EQ(call(p[0], 0x7777, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(call(p[0], FS_SETFL, 0x1, 0, NULL), -EINVAL);
	CHECK_EQ(call(p[0], FS_SETFL, 0, 7, NULL), -EINVAL);
	b = (struct ipc_buffers){ .recv = &vst, .recv_len = 40 };
	CHECK_EQ(call(p[0], FS_STAT, 0, 0, &b), -EINVAL); /* too short */
	/* bad buffers: nothing is lost */
	b = (struct ipc_buffers){ .send = (void *)0x1000, .send_len = 4 };
	CHECK_EQ(call(p[1], FS_WRITE, 0, 0, &b), -EFAULT);
	CHECK_EQ(write(p[1], "data", 4), 4);
	b = (struct ipc_buffers){ .recv = (void *)0x1000, .recv_len = 4 };
	CHECK_EQ(call(p[0], FS_READ, 0, 0, &b), -EFAULT);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "data", 4) == 0);
	close(p[0]);
	close(p[1]);
}

/* A handle moved with a call is closed by the server, not kept. */
static void handles_sent_are_closed(void)
{
	struct sys_stats s0;
	struct ipc_msg m;
	handle_t n;
	int p[2];

	REQUIRE_EQ(pipe(p), 0);
	REQUIRE_EQ(sys_sys_stats(&s0), 0);
	for (int i = 0; i < 20; i++) {
		n = sys_notify_create();
		REQUIRE_OK(n);
		memset(&m, 0, sizeof(m));
		m.op = FS_SEEK;
		m.nhandles = 1;
		m.handles[0] = n;
		CHECK_EQ(sys_ipc_call(p[0], &m, NULL), -ESPIPE);
	}
	CHECK_EQ(objects_settled(s0.objects), s0.objects);
	close(p[0]);
	close(p[1]);
}

const struct test data_tests[] = {
	{ "data comes out in order", in_order },
	{ "a read takes what is there", partial_reads },
	{ "the end of the data after the writer closes", end_of_data },
	{ "EPIPE after the reader closes", broken_pipe },
	{ "SIGPIPE ends a writer", sigpipe_ends_writer },
	{ "O_NONBLOCK: EAGAIN both ways, small writes whole", nonblocking },
	{ "fstat S_ISFIFO with the bytes held, lseek ESPIPE", stat_and_seek },
	{ "calls the server refuses, bad buffers", refused_calls },
	{ "handles sent with a call are closed", handles_sent_are_closed },
	{ NULL, NULL },
};
