/*
 * Pipes and the Unix process calls: an end shared across fork (the end
 * of the data comes only when every copy is closed), a shell-style
 * pipeline made with fork, dup2 and execve, and close-on-exec on pipe
 * ends.
 */
#include <sys/wait.h>
#include "pipetest.h"

static void shared_across_fork(void)
{
	char buf[32];
	int p[2], st = -1;
	pid_t pid;

	REQUIRE_EQ(pipe(p), 0);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		sys_sleep(50 * MS);
		_exit(write(p[1], "forked", 6) == 6 ? 0 : 1);
	}
	close(p[1]); /* the child's copy keeps the write end open */
	CHECK_EQ(read_full(p[0], buf, sizeof(buf)), 6); /* then the end */
	CHECK(memcmp(buf, "forked", 6) == 0);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
}

/*
 * As a shell runs `pipetest child fds A B | (this process)`: the child
 * puts the write end at 1 with dup2 and execs.  The pipe was made with
 * O_CLOEXEC, so its own descriptors close at exec (fd 1, a dup2 copy,
 * stays); a second pipe without the flag stays open.
 */
static void exec_closes_cloexec_ends(void)
{
	char buf[64], a[16], b[16];
	int p[2], q[2], st = -1;
	pid_t pid;

	REQUIRE_EQ(pipe2(p, O_CLOEXEC), 0);
	REQUIRE_EQ(pipe(q), 0);
	snprintf(a, sizeof(a), "%d", p[0]);
	snprintf(b, sizeof(b), "%d", q[0]);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "pipetest", "child", "fds", a, b, NULL };

		if (dup2(p[1], 1) != 1)
			_exit(90);
		execve(SELF_PATH, argv, NULL);
		_exit(91);
	}
	close(p[1]);
	CHECK_EQ(read_full(p[0], buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "ok\n", 3) == 0);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 2); /* p[0] closed at exec, q[0] kept */
	close(p[0]);
	close(q[0]);
	close(q[1]);
}

const struct test fork_tests[] = {
	{ "an end shared across fork", shared_across_fork },
	{ "fork, dup2, execve: close-on-exec ends close",
	  exec_closes_cloexec_ends },
	{ NULL, NULL },
};
