/*
 * The Unix process calls: fork, execve, waitpid, kill, getppid, process
 * groups and sessions, dup2 and close-on-exec.  A forked child runs on in
 * the test's code and must leave with _exit; it reports through its exit
 * status, or through memory shared on purpose (a memory object whose
 * handle stays open is shared across fork).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valence.h>
#include "libctest.h"

static int counter = 10; /* .data: copied, not shared */

/* Waits for pid; its wait status, or -1. */
static int status_of(pid_t pid)
{
	int st = -1;

	return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void fork_and_wait(void)
{
	pid_t parent = getpid(), pid;
	int st;

	pid = fork();
	if (pid == 0) {
		int ok = getppid() == parent && getpid() != parent &&
			 counter == 10;

		counter = 99; /* the parent's copy stays 10 */
		_exit(ok ? 7 : 1);
	}
	REQUIRE(pid > 0);
	CHECK(pid != parent);
	st = status_of(pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 7);
	CHECK_EQ(counter, 10);
	CHECK_ERR(waitpid(pid, &st, 0), ECHILD); /* reaped already */
	CHECK_ERR(wait(&st), ECHILD);		 /* no children left */
}

static void wait_nohang_and_any(void)
{
	pid_t a, b, got;
	int st = 0, seen = 0;

	a = fork();
	if (a == 0) {
		usleep(100000);
		_exit(3);
	}
	b = fork();
	if (b == 0)
		_exit(4);
	REQUIRE(a > 0 && b > 0);
	CHECK_EQ(waitpid(a, &st, WNOHANG), 0); /* still sleeping */
	CHECK_EQ(status_of(b), 4 << 8);	       /* that one, by pid */
	got = wait(&st);		       /* any: only a is left */
	CHECK_EQ(got, a);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	for (int i = 0; i < 3; i++) { /* three more, reaped in any order */
		pid_t p = fork();

		if (p == 0)
			_exit(10 + i);
		REQUIRE(p > 0);
	}
	while ((got = wait(&st)) > 0)
		seen |= 1 << (WEXITSTATUS(st) - 10);
	CHECK_EQ(seen, 7);
	CHECK_EQ(errno, ECHILD);
	CHECK_ERR(waitpid(-1, &st, 0x100), EINVAL);
}

static void kill_and_signals(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		for (;;)
			usleep(10000);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(kill(pid, 0), 0); /* exists */
	CHECK_EQ(kill(pid, SIGTERM), 0);
	st = status_of(pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGTERM);
	CHECK_ERR(kill(pid, SIGTERM), ESRCH); /* gone */
	CHECK_ERR(kill(99999, 0), ESRCH);
	CHECK_EQ(kill(1, SIGKILL), 0); /* init takes no signals: still here */
	CHECK_EQ(kill(1, SIGTERM), 0);
	CHECK_EQ(kill(1, 0), 0);
	CHECK_ERR(kill(getpid(), 99), EINVAL);
	CHECK_EQ(kill(getpid(), 0), 0);
}

/* A word of memory that stays shared with children. */
static volatile uint32_t *shared_word(void)
{
	handle_t m = sys_mem_create(4096, 0);
	long va = m < 0 ? m : sys_vm_map(m, 0, 0, 4096, VM_READ | VM_WRITE);

	return va < 0 ? NULL : (volatile uint32_t *)va; /* handle kept */
}

static void orphans_go_to_init(void)
{
	volatile uint32_t *w = shared_word();
	pid_t pid;

	REQUIRE(w != NULL);
	*w = 0;
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) { /* the grandchild outlives its parent */
			for (int i = 0; i < 200 && getppid() != 1; i++)
				usleep(5000);
			*w = (uint32_t)getppid();
			_exit(0);
		}
		_exit(0);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 0);
	for (int i = 0; i < 400 && *w == 0; i++)
		usleep(5000);
	CHECK_EQ(*w, 1); /* re-parented to init */
}

static void groups_and_sessions(void)
{
	volatile uint32_t *w = shared_word();
	pid_t me = getpid(), a, b;
	int st;

	REQUIRE(w != NULL);
	CHECK_EQ(getpgid(0), getpgrp());
	CHECK_EQ(getsid(0), getsid(me));
	a = fork();
	if (a == 0) {
		/* A new session: leader of a new group, pgid = sid = pid. */
		pid_t s = setsid();

		_exit(s == getpid() && getpgrp() == s && getsid(0) == s &&
				      setsid() == -1 && errno == EPERM
			      ? 0
			      : 1);
	}
	REQUIRE(a > 0);
	CHECK_EQ(status_of(a), 0);
	/* Two children in a group of their own, then signalled together. */
	*w = 0;
	a = fork();
	if (a == 0) {
		setpgid(0, 0);
		(*w)++;
		for (;;)
			usleep(10000);
	}
	REQUIRE(a > 0);
	CHECK_EQ(setpgid(a, a), 0); /* the parent does it too: no race */
	b = fork();
	if (b == 0) {
		while (getpgrp() != a)
			usleep(1000);
		(*w)++;
		for (;;)
			usleep(10000);
	}
	REQUIRE(b > 0);
	CHECK_EQ(setpgid(b, a), 0);
	CHECK_EQ(getpgid(a), a);
	CHECK_EQ(getpgid(b), a);
	for (int i = 0; i < 400 && *w < 2; i++)
		usleep(5000);
	CHECK_EQ(*w, 2);
	CHECK_EQ(kill(-a, SIGINT), 0);
	st = status_of(a);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	st = status_of(b);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	CHECK_ERR(kill(-a, SIGINT), ESRCH);
	CHECK_ERR(setpgid(99999, 0), ESRCH);
	CHECK_ERR(setpgid(0, 99999), EPERM); /* no such group */
}

static void exec_runs_programs(void)
{
	char *argv[] = { "libctest", "child", "exit", "33", NULL };
	char *bad[] = { "x", NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execve(SELF_PATH, argv, NULL);
		_exit(100);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 33 << 8);
	pid = fork();
	if (pid == 0) { /* failures leave the program running */
		int ok =
			execve(HELLO_PATH, bad, NULL) == -1 && errno == ENOEXEC;

		ok &= execve("/bin/none", bad, NULL) == -1 && errno == ENOENT;
		ok &= execve("/test", bad, NULL) == -1 && errno == EISDIR;
		static char big[3000];
		char *huge[] = { "x", big, big, NULL }; /* over 4 KiB */

		memset(big, 'a', sizeof(big) - 1);
		ok &= execve(SELF_PATH, huge, NULL) == -1 && errno == E2BIG;
		_exit(ok ? 0 : 1);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 0);
	pid = fork();
	if (pid == 0) { /* the environment arrives */
		char *args[] = { "libctest", "child", "args", "a",
				 "b c",	     "",      NULL };
		char *env[] = { "LIBCTEST=yes", "EMPTY=", "PATH=/bin", NULL };

		execve(SELF_PATH, args, env);
		_exit(100);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 0);
}

/* exec passes the working directory and the umask on, invisibly. */
static void exec_keeps_cwd_and_umask(void)
{
	char *argv[] = { "libctest", "child", "inherit", NULL };
	char *env[] = { "ONLY=this", NULL };
	pid_t pid;

	REQUIRE_EQ(chdir("/test/a"), 0);
	umask(027);
	pid = fork();
	if (pid == 0) {
		execve(SELF_PATH, argv, env);
		_exit(100);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 0);
	umask(022);
	CHECK_EQ(chdir("/"), 0);
}

static void spin(uint64_t arg)
{
	(void)arg;
	for (;;)
		sys_sleep(1000000000);
}

/* exec from a process with another thread: that thread ends. */
static void exec_with_threads(void)
{
	char *argv[] = { "libctest", "child", "exit", "21", NULL };
	pid_t pid = fork();

	if (pid == 0) {
		static uint8_t stack[16384] __attribute__((aligned(16)));

		if (sys_thread_create(
			    spin, (uint64_t)(uintptr_t)(stack + sizeof(stack)),
			    0) < 0)
			_exit(1);
		execve(SELF_PATH, argv, NULL);
		_exit(2);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 21 << 8);
}

static void dup2_and_cloexec(void)
{
	char c = 0;
	int fd = open(HELLO_PATH, O_RDONLY), fd2;
	pid_t pid;

	REQUIRE_OK(fd);
	CHECK_EQ(dup2(fd, 40), 40);
	CHECK_EQ(read(40, &c, 1), 1); /* shares the offset */
	CHECK_EQ(c, 'H');
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, 'e');
	CHECK_EQ(dup2(40, 40), 40);
	CHECK_ERR(dup2(999, 41), EBADF);
	CHECK_ERR(dup2(fd, HANDLE_MAX), EBADF);
	close(40);
	fd2 = open(HELLO_PATH, O_RDONLY | O_CLOEXEC);
	REQUIRE_OK(fd2);
	pid = fork();
	if (pid == 0) {
		char n1[8], n2[8];
		char *argv[] = { "libctest", "child", "fds", n1, n2, NULL };

		snprintf(n1, sizeof(n1), "%d", fd);
		snprintf(n2, sizeof(n2), "%d", fd2);
		execve(SELF_PATH, argv, NULL);
		_exit(100);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 0); /* fd kept, fd2 closed by exec */
	close(fd);
	close(fd2);
}

/* Whether a child can be made and reaped now. */
static int fork_exec_ok(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(5);
	return pid > 0 && status_of(pid) == 5 << 8;
}

static void fork_exec_cycles(void)
{
	struct sys_stats before, after;
	char *argv[] = { "libctest", "child", "exit", "0", NULL };
	int bad = 0;

	REQUIRE_EQ(sys_sys_stats(&before), 0);
	for (int i = 0; i < 1000 && !bad; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execve(SELF_PATH, argv, NULL);
			_exit(100);
		}
		bad = pid < 0 || status_of(pid) != 0;
	}
	CHECK(!bad);
	REQUIRE_EQ(sys_sys_stats(&after), 0);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.processes, before.processes);
}

/* A fork bomb stops at the process limit; everything else goes on. */
static void fork_bomb_contained(void)
{
	struct sys_stats st;
	struct rlimit lim;
	pid_t pid;

	REQUIRE_EQ(getrlimit(RLIMIT_NPROC, &lim), 0);
	CHECK_EQ(lim.rlim_cur, 512);
	REQUIRE_EQ(sys_sys_stats(&st), 0);
	pid = fork();
	if (pid == 0) {
		struct rlimit low = { st.processes + 20, st.processes + 20 };

		setpgid(0, 0);
		if (setrlimit(RLIMIT_NPROC, &low) < 0)
			_exit(1);
		for (;;) { /* every child forks too, until fork says no */
			pid_t c = fork();

			if (c < 0)
				_exit(errno == EAGAIN ? 0 : 2);
		}
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 0);
	kill(-pid, SIGKILL);   /* what is left of the bomb */
	CHECK(fork_exec_ok()); /* and we can fork again */
	CHECK_ERR(setrlimit(RLIMIT_NPROC, &(struct rlimit){ 600, 600 }), EPERM);
	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
	CHECK_EQ(lim.rlim_cur, HANDLE_MAX);
}

/* A child becomes another user: ids, signals and file permissions. */
static void users(void)
{
	pid_t pid;

	CHECK_EQ(getuid(), 0);
	CHECK_EQ(getgid(), 0);
	pid = fork();
	if (pid == 0) {
		int bad = setgid(100) != 0 || setuid(1000) != 0;

		bad |= (getuid() != 1000 || geteuid() != 1000 ||
			getgid() != 100)
		       << 1;
		bad |= (setuid(0) != -1 || errno != EPERM) << 2;
		bad |= (kill(1, 0) != -1 || errno != EPERM) << 3; /* root's */
		/* tmpfs: a root-owned 0644 file can be read, not written */
		bad |= (open("/etc/motd", O_WRONLY) != -1 || errno != EACCES)
		       << 4;
		bad |= (open("/etc/motd", O_RDONLY) < 0) << 5;
		_exit(bad);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid), 0);
	CHECK_EQ(getuid(), 0); /* the parent is still root */
}

const struct test unix_tests[] = {
	{ "users: setuid, setgid, permissions", users },
	{ "a fork bomb meets the process limit", fork_bomb_contained },
	{ "fork getppid waitpid", fork_and_wait },
	{ "waitpid WNOHANG and wait for any", wait_nohang_and_any },
	{ "kill", kill_and_signals },
	{ "orphans go to init", orphans_go_to_init },
	{ "process groups and sessions", groups_and_sessions },
	{ "execve", exec_runs_programs },
	{ "dup2 and close-on-exec", dup2_and_cloexec },
	{ "exec ends the other threads", exec_with_threads },
	{ "exec keeps the cwd and umask", exec_keeps_cwd_and_umask },
	{ "1000 fork+exec+wait cycles", fork_exec_cycles },
	{ NULL, NULL },
};
