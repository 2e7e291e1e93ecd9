/*
 * Waiting: reads parked until another thread or process writes or
 * closes, a full pipe holding its writer, small writes kept whole
 * between two writers, a pipeline of real programs, and callers killed
 * while parked.
 */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "pipetest.h"

struct job {
	int fd;
	const char *data;
	size_t len;
	uint64_t delay_ms;
	volatile long result;
	volatile int err;	 /* errno after a failed call */
	volatile uint64_t at_ms; /* when the call returned */
};

/* After job->delay_ms, one write of job->data; the result in job. */
static void delayed_write(void *arg)
{
	struct job *j = arg;

	sys_sleep(j->delay_ms * MS);
	j->result = write(j->fd, j->data, j->len);
	j->err = j->result < 0 ? errno : 0;
	j->at_ms = now_ms();
}

static void delayed_close(void *arg)
{
	struct job *j = arg;

	sys_sleep(j->delay_ms * MS);
	j->result = close(j->fd);
}

static void read_waits_for_thread(void)
{
	struct job j = { .data = "ping", .len = 4, .delay_ms = 50 };
	struct thread t;
	char buf[16];
	uint64_t t0;
	int p[2];

	REQUIRE_EQ(pipe(p), 0);
	j.fd = p[1];
	t0 = now_ms();
	REQUIRE_EQ(thread_start(&t, delayed_write, &j), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 4); /* parked, then answered */
	CHECK(now_ms() - t0 >= 40);
	CHECK(memcmp(buf, "ping", 4) == 0);
	CHECK_EQ(thread_join(&t, 5000 * MS), 0);
	CHECK_EQ(j.result, 4);
	/* and the end of the data when the writer closes meanwhile */
	j.delay_ms = 30;
	REQUIRE_EQ(thread_start(&t, delayed_close, &j), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	CHECK_EQ(thread_join(&t, 5000 * MS), 0);
	CHECK_EQ(j.result, 0);
	close(p[0]);
}

static void read_waits_for_child(void)
{
	char buf[64];
	int p[2], proc;
	uint64_t t0;

	REQUIRE_EQ(pipe(p), 0);
	t0 = now_ms();
	proc = child_start("write", "from the child", -1, p[1]);
	CHECK_EQ(close(p[1]), 0); /* the child holds the only write end */
	REQUIRE_OK(proc);
	CHECK_EQ(read_full(p[0], buf, sizeof(buf)), 14);
	CHECK(memcmp(buf, "from the child", 14) == 0);
	CHECK(now_ms() - t0 >= 40);
	CHECK_EQ(child_wait(proc), 0);
	close(p[0]);
}

/* hello's standard output through a pipe: a real pipeline. */
static void pipeline_of_hello(void)
{
	static char out[4096];
	char *argv[] = { "hello", NULL };
	int p[2], fds[3], proc, status = -1;
	long n;

	REQUIRE_EQ(pipe(p), 0);
	fds[0] = 0;
	fds[1] = p[1];
	fds[2] = 2;
	proc = vspawn_with("/bin/hello", argv, NULL, fds);
	close(p[1]);
	REQUIRE_OK(proc);
	n = read_full(p[0], out, sizeof(out) - 1);
	CHECK(n > 0);
	out[n < 0 ? 0 : n] = '\0';
	CHECK(strstr(out, "hello from hello, a newlib program") != NULL);
	CHECK(strstr(out, "Welcome to Valence.") != NULL); /* its motd */
	CHECK_OK(vwait(proc, &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p[0]);
}

/* A write of PIPE_CAP + 1000 bytes waits until the reader drains. */
static void full_pipe_holds_writer(void)
{
	static char big[PIPE_CAP + 1000], got[PIPE_CAP + 1000];
	struct job j = { .data = big, .len = sizeof(big) };
	struct thread t;
	struct stat st;
	int p[2];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 251);
	REQUIRE_EQ(pipe(p), 0);
	j.fd = p[1];
	j.result = -2;
	REQUIRE_EQ(thread_start(&t, delayed_write, &j), 0);
	sys_sleep(100 * MS);
	CHECK_EQ(j.result, -2); /* still waiting for room */
	CHECK_EQ(fstat(p[0], &st), 0);
	CHECK_EQ(st.st_size, PIPE_CAP);
	CHECK_EQ(read_full(p[0], got, sizeof(got)), sizeof(got));
	CHECK(memcmp(big, got, sizeof(big)) == 0);
	CHECK_EQ(thread_join(&t, 5000 * MS), 0);
	CHECK_EQ(j.result, sizeof(big));
	/* a write much larger than the pipe */
	{
		static char huge[200 * 1024], back[200 * 1024];

		for (size_t i = 0; i < sizeof(huge); i++)
			huge[i] = (char)(i % 253);
		j = (struct job){ .fd = p[1],
				  .data = huge,
				  .len = sizeof(huge) };
		REQUIRE_EQ(thread_start(&t, delayed_write, &j), 0);
		/* in odd-sized pieces */
		for (size_t done = 0; done < sizeof(back);) {
			size_t want = sizeof(back) - done < 3001
					      ? sizeof(back) - done
					      : 3001;
			ssize_t n = read(p[0], back + done, want);

			if (n <= 0) {
				CHECK(n > 0);
				break;
			}
			done += (size_t)n;
		}
		CHECK(memcmp(huge, back, sizeof(huge)) == 0);
		CHECK_EQ(thread_join(&t, 5000 * MS), 0);
		CHECK_EQ(j.result, sizeof(huge));
	}
	close(p[0]);
	close(p[1]);
}

#define RECORDS 200 /* per writer */

struct writer {
	int fd;
	char id;
	volatile int written;
};

/* RECORDS records of ATOMIC_MAX bytes: id, then the record number. */
static void record_writer(void *arg)
{
	static char rec[2][ATOMIC_MAX];
	struct writer *w = arg;
	char *r = rec[w->id - 'A'];

	for (int i = 0; i < RECORDS; i++) {
		memset(r, w->id, ATOMIC_MAX);
		memcpy(r + 1, &i, sizeof(i));
		if (write(w->fd, r, ATOMIC_MAX) != ATOMIC_MAX)
			return;
		w->written++;
	}
}

static void small_writes_whole(void)
{
	static char rec[ATOMIC_MAX];
	struct writer a = { .id = 'A' }, b = { .id = 'B' };
	struct thread ta, tb;
	int next[2] = { 0, 0 }, bad = 0, p[2];
	size_t got = 0;

	REQUIRE_EQ(pipe(p), 0);
	a.fd = b.fd = p[1];
	REQUIRE_EQ(thread_start(&ta, record_writer, &a), 0);
	REQUIRE_EQ(thread_start(&tb, record_writer, &b), 0);
	for (int r = 0; r < 2 * RECORDS; r++) {
		int seq;

		/* reads of odd sizes, put back together record by record */
		got = 0;
		while (got < ATOMIC_MAX) {
			size_t want = ATOMIC_MAX - got < 1500 ? ATOMIC_MAX - got
							      : 1500;
			ssize_t n = read(p[0], rec + got, want);

			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got != ATOMIC_MAX || (rec[0] != 'A' && rec[0] != 'B')) {
			bad++;
			break;
		}
		memcpy(&seq, rec + 1, sizeof(seq));
		for (size_t i = 1 + sizeof(seq); i < ATOMIC_MAX; i++)
			if (rec[i] != rec[0])
				bad++;
		if (seq != next[rec[0] - 'A']++)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(next[0], RECORDS);
	CHECK_EQ(next[1], RECORDS);
	CHECK_EQ(thread_join(&ta, 5000 * MS), 0);
	CHECK_EQ(thread_join(&tb, 5000 * MS), 0);
	CHECK_EQ(a.written, RECORDS);
	CHECK_EQ(b.written, RECORDS);
	close(p[0]);
	close(p[1]);
}

/* A reader killed while parked takes no data and breaks nothing. */
static void killed_reader(void)
{
	char buf[8];
	int p[2], proc, status = -1;

	REQUIRE_EQ(pipe(p), 0);
	proc = child_start("read", NULL, p[0], -1);
	REQUIRE_OK(proc);
	sys_sleep(100 * MS); /* it is parked in read() by now */
	CHECK_EQ(sys_proc_kill(proc, SIG_KILL), 0);
	CHECK_OK(vwait(proc, &status));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK_EQ(write(p[1], "abc", 3), 3);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3); /* all still here */
	CHECK(memcmp(buf, "abc", 3) == 0);
	/* a reader that sees data goes on as usual */
	proc = child_start("read", NULL, p[0], -1);
	REQUIRE_OK(proc);
	CHECK_EQ(write(p[1], "hello", 5), 5);
	CHECK_OK(vwait(proc, &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	close(p[0]);
	close(p[1]);
}

/* A writer killed while waiting for room: what it wrote stays, then the
   end of the data. */
static void killed_writer(void)
{
	static char buf[PIPE_CAP + 4096];
	int p[2], proc, status = -1;

	REQUIRE_EQ(pipe(p), 0);
	proc = child_start("flood", "100000", -1, p[1]);
	close(p[1]);
	REQUIRE_OK(proc);
	sys_sleep(100 * MS);
	CHECK_EQ(sys_proc_kill(proc, SIG_KILL), 0);
	CHECK_OK(vwait(proc, &status));
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(read_full(p[0], buf, sizeof(buf)), PIPE_CAP);
	CHECK(buf[0] == 'f' && buf[PIPE_CAP - 1] == 'f');
	close(p[0]);
}

/* A writer whose reader dies while the writer waits gets EPIPE. */
static void writer_sees_reader_die(void)
{
	static char big[PIPE_CAP + 100];
	struct job j = { .data = big, .len = sizeof(big) };
	struct thread t;
	int p[2], proc;

	REQUIRE_EQ(pipe(p), 0);
	proc = child_start("read", NULL, p[0], -1);
	close(p[0]); /* the child holds the only read end */
	REQUIRE_OK(proc);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(child_wait(proc), WAIT_EXITED(1)); /* read 1 byte, ended */
	/* no reader left */
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	close(p[1]);
	/* now a writer parked on a full pipe when the reader goes */
	REQUIRE_EQ(pipe(p), 0);
	j.fd = p[1];
	j.result = -2;
	REQUIRE_EQ(thread_start(&t, delayed_write, &j), 0);
	sys_sleep(50 * MS);
	CHECK_EQ(j.result, -2);
	close(p[0]);
	CHECK_EQ(thread_join(&t, 5000 * MS), 0);
	CHECK_EQ(j.result, PIPE_CAP); /* what went in before */
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	close(p[1]);
	/* a small write waiting on a full pipe: none of it went in */
	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], big, PIPE_CAP), PIPE_CAP);
	j = (struct job){ .fd = p[1], .data = big, .len = 100, .result = -2 };
	REQUIRE_EQ(thread_start(&t, delayed_write, &j), 0);
	sys_sleep(50 * MS);
	CHECK_EQ(j.result, -2);
	close(p[0]);
	CHECK_EQ(thread_join(&t, 5000 * MS), 0);
	CHECK_EQ(j.result, -1);
	CHECK_EQ(j.err, EPIPE);
	close(p[1]);
}

const struct test block_tests[] = {
	{ "a parked read is answered by another thread",
	  read_waits_for_thread },
	{ "a parked read is answered by a child process",
	  read_waits_for_child },
	{ "a pipeline: hello's output through a pipe", pipeline_of_hello },
	{ "a full pipe holds the writer until drained",
	  full_pipe_holds_writer },
	{ "writes of PIPE_BUF bytes from two writers stay whole",
	  small_writes_whole },
	{ "a reader killed while parked", killed_reader },
	{ "a writer killed while parked", killed_writer },
	{ "EPIPE when the reader goes, also for a parked writer",
	  writer_sees_reader_die },
	{ NULL, NULL },
};
