/*
 * Many pipes: the caps (EMFILE for one process, ENFILE for all), many
 * pipes with data at once, and 1,000 made and closed leaving nothing
 * behind.
 */
#include <sys/wait.h>
#include "pipetest.h"

static int mine[PER_PROC][2];

/* Makes pipes into mine[] until pipe() fails; the count made. */
static int make_until_refused(int *err)
{
	int n = 0;

	while (n < PER_PROC && pipe(mine[n]) == 0)
		n++;
	*err = errno;
	if (n == PER_PROC && pipe(mine[0]) == 0) { /* one too many */
		n++;
		*err = 0;
	}
	return n;
}

static void close_mine(int n)
{
	for (int i = 0; i < n && i < PER_PROC; i++) {
		close(mine[i][0]);
		close(mine[i][1]);
	}
}

/* Starts a hog child; *report gets the read end of its report. */
static int start_hog(int hold, int *report)
{
	int r[2], proc;

	if (pipe(r) < 0)
		return -1;
	proc = child_start("hog", NULL, hold, r[1]);
	close(r[1]);
	*report = r[0];
	return proc;
}

/* The hog's "COUNT ERRNO" line. */
static void hog_report(int fd, int *count, int *err)
{
	char line[32];
	long n = read(fd, line, sizeof(line) - 1);

	*count = *err = -1;
	if (n > 0) {
		line[n] = '\0';
		sscanf(line, "%d %d", count, err);
	}
}

static void caps(void)
{
	int hold[2], rep1 = -1, rep2 = -1, hog1, hog2, n, err, count, e2;

	REQUIRE_EQ(pipe(hold), 0); /* the hogs live until it closes */
	hog1 = start_hog(hold[0], &rep1);
	REQUIRE_OK(hog1);
	hog_report(rep1, &count, &err);
	CHECK_EQ(count, PER_PROC);
	CHECK_EQ(err, EMFILE);
	/* this process has 2 (hold, the report): 62 more are allowed */
	n = make_until_refused(&err);
	CHECK_EQ(n, PER_PROC - 2);
	CHECK_EQ(err, EMFILE);
	/* 64 + 64 = every pipe there is: another process gets ENFILE */
	close(mine[0][0]);
	close(mine[0][1]);
	hog2 = start_hog(hold[0], &rep2);
	CHECK_OK(hog2);
	if (hog2 >= 0) {
		hog_report(rep2, &count, &e2);
		CHECK_EQ(count, 0);
		CHECK_EQ(e2, ENFILE);
	}
	/* the hogs end when hold's write end closes, freeing their pipes */
	close(hold[1]);
	CHECK_EQ(child_wait(hog1), WAIT_EXITED(0));
	if (hog2 >= 0)
		CHECK_EQ(child_wait(hog2), WAIT_EXITED(0));
	close(hold[0]);
	close(rep1);
	if (rep2 >= 0)
		close(rep2);
	close_mine(n);
	/* they are free again */
	n = make_until_refused(&err);
	CHECK_EQ(n, PER_PROC);
	close_mine(n);
}

/* 40 pipes with data in all of them at once. */
static void many_at_once(void)
{
	char buf[32];
	int n = 40;

	for (int i = 0; i < n; i++) {
		REQUIRE_EQ(pipe(mine[i]), 0);
		snprintf(buf, sizeof(buf), "pipe %d", i);
		CHECK_EQ(write(mine[i][1], buf, strlen(buf)),
			 (ssize_t)strlen(buf));
	}
	for (int i = n - 1; i >= 0; i--) {
		char want[32];
		ssize_t len;

		snprintf(want, sizeof(want), "pipe %d", i);
		len = read(mine[i][0], buf, sizeof(buf));
		CHECK_EQ(len, (ssize_t)strlen(want));
		CHECK(len > 0 && memcmp(buf, want, (size_t)len) == 0);
	}
	close_mine(n);
}

/* Makes, uses and closes `rounds` pipes; false if pipe() failed. */
static bool cycle(int rounds)
{
	char c;
	int p[2];

	for (int i = 0; i < rounds; i++) {
		if (pipe(p) < 0) {
			CHECK_EQ(i, -errno); /* which round, which error */
			return false;
		}
		if (i % 2)
			CHECK_EQ(write(p[1], "x", 1), 1);
		if (i % 3 == 0) {
			close(p[1]);
			CHECK_EQ(read(p[0], &c, 1), i % 2);
			close(p[0]);
		} else {
			close(p[0]);
			close(p[1]);
		}
	}
	return true;
}

/*
 * 1,000 pipes made, used and closed: no kernel object is left over.  A
 * first 100 let the server's heap (memory objects, for the pipes'
 * chunks) reach the size this takes.
 */
static void thousand_cycles(void)
{
	struct sys_stats s0;
	uint64_t now;

	REQUIRE(cycle(100));
	REQUIRE_EQ(sys_sys_stats(&s0), 0);
	s0.objects = objects_settled(s0.objects);
	REQUIRE(cycle(1000));
	now = objects_settled(s0.objects);
	if (now != s0.objects)
		printf("  objects: %llu before, %llu after\n",
		       (unsigned long long)s0.objects, (unsigned long long)now);
	CHECK_EQ(now, s0.objects);
}

/* With no room in the handle table for the ends, pipe() says EMFILE,
   and the pipe the server made is freed. */
static void full_handle_table(void)
{
	static int spare[HANDLE_MAX];
	struct sys_stats s0;
	int n = 0, p[2];

	REQUIRE_EQ(sys_sys_stats(&s0), 0);
	while (n < HANDLE_MAX && (spare[n] = dup(0)) >= 0)
		n++;
	CHECK_EQ(errno, EMFILE);
	CHECK_ERR(pipe(p), EMFILE); /* no room for the reply's handles */
	close(spare[--n]);
	CHECK_ERR(pipe(p), EMFILE); /* room for one end only */
	while (n > 0)
		close(spare[--n]);
	CHECK_EQ(objects_settled(s0.objects), s0.objects);
	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "ok", 2), 2);
	close(p[0]);
	close(p[1]);
}

/* One ns: call with `name` as the send buffer; its status. */
static long ns_call(uint32_t op, const char *name, handle_t *out)
{
	struct ipc_buffers b = { .send = name, .send_len = strlen(name) };
	struct ipc_msg m;
	long r;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = op == NS_WAIT ? 5000 * MS : 0;
	r = sys_ipc_call(PROC_H_NS, &m, &b);
	if (r >= 0 && m.nhandles && out)
		*out = m.handles[0];
	return r;
}

/*
 * The server killed (NS_SVC_KILL, as a crash would): the ends it served
 * say EPIPE; init restarts it and pipe() finds the new one by itself.
 */
static void server_restart(void)
{
	handle_t root = HANDLE_INVALID;
	char c = 0;
	int p[2], q[2];

	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "a", 1), 1);
	CHECK_EQ(ns_call(NS_SVC_KILL, "pipe", NULL), 0);
	CHECK_ERR(read(p[0], &c, 1), EPIPE);
	CHECK_ERR(write(p[1], "b", 1), EPIPE);
	close(p[0]);
	close(p[1]);
	CHECK_EQ(ns_call(NS_WAIT, "pipe", &root), 0); /* it is back */
	if (root >= 0)
		sys_handle_close(root);
	REQUIRE_EQ(pipe(q), 0); /* libc looks the root up again */
	CHECK_EQ(write(q[1], "c", 1), 1);
	CHECK_EQ(read(q[0], &c, 1), 1);
	CHECK_EQ(c, 'c');
	close(q[0]);
	close(q[1]);
}

const struct test life_tests[] = {
	{ "caps: EMFILE for a process, ENFILE for all", caps },
	{ "40 pipes with data at once", many_at_once },
	{ "1,000 pipes made and closed leave nothing behind", thousand_cycles },
	{ "pipe() with a full handle table: EMFILE, no leak",
	  full_handle_table },
	{ "the server killed: EPIPE, then a new one", server_restart },
	{ NULL, NULL },
};
