/*
 * Job control: the signal characters (^C, ^\, ^Z) reach the foreground
 * group only, a background reader gets SIGTTIN and a background writer
 * with TOSTOP SIGTTOU (and both go on once in the foreground),
 * tcsetpgrp's rules, output stopped by ^S, and the end of a session
 * leader hanging up its foreground group.  Children are forked; each is
 * put in a group of its own, as a shell does with a job.
 */
#include "ttytest.h"

static char buf[256];

/* Forks a child in a process group of its own running fn(); the
   foreground group becomes it when `fg`.  Its pid, or -1. */
static pid_t start_job(int (*fn)(void), bool fg)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(fn());
	}
	if (pid < 0)
		return -1;
	setpgid(pid, pid); /* both sides: no race with the child */
	if (fg && tcsetpgrp(tty, pid) != 0)
		return -1;
	return pid;
}

/* What read_job must read: its exit status is 0 when it does. */
static char want[64];

static int read_job(void)
{
	char line[64];
	ssize_t n = read(tty, line, sizeof(line) - 1);

	if (n < 0)
		return 10 + (errno & 0x3f);
	line[n] = '\0';
	return strcmp(line, want) == 0 ? 0 : 1;
}

/* ^C (VINTR): SIGINT to the foreground job, parked in a read; the test,
   in another group, goes on.  ^\ (VQUIT): SIGQUIT. */
static void interrupt_and_quit(void)
{
	static const struct {
		const char *input;
		int sig;
	} keys[] = { { "ctrl-c", SIGINT }, { "ctrl-backslash", SIGQUIT } };

	strcpy(want, "never\n");
	for (size_t i = 0; i < 2; i++) {
		pid_t pid = start_job(read_job, true);
		int st = -1;

		REQUIRE(pid > 0);
		ask(keys[i].input);
		CHECK_EQ(wait_child(pid, &st, 10000), pid);
		CHECK(WIFSIGNALED(st));
		CHECK_EQ(WTERMSIG(st), keys[i].sig);
		if (wait_child(pid, &st, 0) == 0) { /* still there */
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
		}
		CHECK_EQ(tcsetpgrp(tty, getpgrp()), 0);
	}
	/* The server is fine after a reader died parked in it. */
	CHECK_EQ(tcgetpgrp(tty), getpgrp());
}

/* ^Z (VSUSP): the job stops (its parked read stays); continued in the
   foreground, it reads its line. */
static void suspend(void)
{
	pid_t pid;
	int st = -1;

	strcpy(want, "after-stop\n");
	pid = start_job(read_job, true);
	REQUIRE(pid > 0);
	ask("ctrl-z");
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGTSTP);
	/* A shell takes the terminal back, then gives it to the job
	   again and continues it ("fg"). */
	CHECK_EQ(tcsetpgrp(tty, getpgrp()), 0);
	CHECK_EQ(tcsetpgrp(tty, pid), 0);
	CHECK_EQ(kill(pid, SIGCONT), 0);
	ask("after-stop");
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
}

static void on_ttin(int sig)
{
}

/* A background job that catches SIGTTIN: its read ends with EINTR. */
static int ttin_caught_job(void)
{
	char c;

	signal(SIGTTIN, on_ttin);
	if (read(tty, &c, 1) != -1)
		return 1;
	return errno == EINTR ? 0 : 2;
}

/* A read in the background: SIGTTIN stops the job; in the foreground
   and continued, the same read gets the line. */
static void background_read(void)
{
	pid_t pid;
	int st = -1;

	strcpy(want, "fg-read\n");
	pid = start_job(read_job, false);
	REQUIRE(pid > 0);
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGTTIN);
	CHECK_EQ(tcsetpgrp(tty, pid), 0);
	CHECK_EQ(kill(pid, SIGCONT), 0);
	ask("fg-read");
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	CHECK_EQ(tcsetpgrp(tty, getpgrp()), 0);
	/* With a handler the read ends (EINTR), as on Linux. */
	pid = start_job(ttin_caught_job, false);
	REQUIRE(pid > 0);
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
}

static int write_job(void)
{
	static const char msg[] = "ttytest-bg: written from the background\n";

	return write(tty, msg, sizeof(msg) - 1) == sizeof(msg) - 1 ? 0 : 1;
}

/* A background write goes out; with TOSTOP it stops the job with
   SIGTTOU until the job is in the foreground. */
static void background_write(void)
{
	pid_t pid;
	int st = -1;

	pid = start_job(write_job, false);
	REQUIRE(pid > 0);
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	REQUIRE_EQ(set_lflag(0, TOSTOP), 0);
	pid = start_job(write_job, false);
	REQUIRE(pid > 0);
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGTTOU);
	CHECK_EQ(tcsetpgrp(tty, pid), 0);
	CHECK_EQ(kill(pid, SIGCONT), 0);
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The foreground (us) writes with TOSTOP as ever. */
	CHECK_EQ(tcsetpgrp(tty, getpgrp()), 0);
	CHECK_EQ(write(tty, "ttytest-fg: tostop\n", 19), 19);
}

static int pause_job(void)
{
	for (;;)
		pause();
	return 0;
}

/* A child in another session asks: ENOTTY for tcgetpgrp and
   tcsetpgrp. */
static int other_session_job(void)
{
	if (setsid() < 0)
		return 2;
	if (tcgetpgrp(tty) != -1 || errno != ENOTTY)
		return 3;
	if (tcsetpgrp(tty, getpid()) != -1 || errno != ENOTTY)
		return 4;
	return 0;
}

static void tcsetpgrp_rules(void)
{
	pid_t pid, other;
	int st = -1;

	CHECK_ERR(tcsetpgrp(tty, 0), EINVAL);
	CHECK_ERR(tcsetpgrp(tty, -5), EINVAL);
	CHECK_ERR(tcsetpgrp(tty, 1), EPERM);	  /* init's group */
	CHECK_ERR(tcsetpgrp(tty, 999999), EPERM); /* no such group */
	/* A group in another session. */
	other = fork();
	REQUIRE(other >= 0);
	if (other == 0) {
		setsid();
		pause_job();
	}
	for (int i = 0; i < 500 && getsid(other) != other; i++)
		sys_sleep(10 * MS);
	CHECK_EQ(getsid(other), other);
	CHECK_ERR(tcsetpgrp(tty, other), EPERM);
	kill(other, SIGKILL);
	CHECK_EQ(waitpid(other, &st, 0), other);
	/* Our own groups are fine; the foreground is what was set. */
	pid = start_job(pause_job, false);
	REQUIRE(pid > 0);
	CHECK_EQ(tcsetpgrp(tty, pid), 0);
	CHECK_EQ(tcgetpgrp(tty), pid);
	CHECK_EQ(ioctl(tty, TIOCGPGRP, &st), 0);
	CHECK_EQ(st, pid);
	st = getpgrp();
	CHECK_EQ(ioctl(tty, TIOCSPGRP, &st), 0);
	CHECK_EQ(tcgetpgrp(tty), getpgrp());
	kill(pid, SIGKILL);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	/* From another session: not its terminal. */
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0)
		_exit(other_session_job());
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
}

static volatile int interrupts;

static void on_int(int sig)
{
	interrupts++;
}

/* A read that a caught signal may interrupt: read again after EINTR. */
static long read_after_eintr(void)
{
	long n = read_str(buf, sizeof(buf));

	if (n < 0 && errno == EINTR)
		n = read_str(buf, sizeof(buf));
	return n;
}

/* ^C in our own group: caught (and a read waiting for the line ends with
   EINTR); the line typed before it is dropped, or kept with NOFLSH. */
static void interrupt_flushes(void)
{
	REQUIRE(signal(SIGINT, on_int) != SIG_ERR);
	interrupts = 0;
	ask("intr-flush"); /* "lost" ^C "ok" Enter */
	CHECK_EQ(read_after_eintr(), 3);
	CHECK(strcmp(buf, "ok\n") == 0);
	CHECK_EQ(interrupts, 1);
	REQUIRE_EQ(set_lflag(0, NOFLSH), 0);
	ask("intr-noflsh"); /* "kept" ^C Enter */
	CHECK_EQ(read_after_eintr(), 5);
	CHECK(strcmp(buf, "kept\n") == 0);
	CHECK_EQ(interrupts, 2);
	signal(SIGINT, SIG_DFL);
}

/* ^S stops output: a write waits (O_NONBLOCK: EAGAIN) until ^Q. */
static void stop_output(void)
{
	pid_t pid;
	int st = -1;

	REQUIRE_EQ(set_raw(1, 0), 0);
	REQUIRE_EQ(set_iflag(0, IXON), 0);
	ask("ctrl-s"); /* ^S, then "s" to know it has come */
	CHECK(wait_readable(1, 5000));
	CHECK_EQ(read(tty, buf, 10), 1);
	pid = start_job(write_job, true);
	REQUIRE(pid > 0);
	CHECK_EQ(wait_child(pid, &st, 300), 0); /* it waits */
	CHECK_EQ(fcntl(tty, F_SETFL, O_NONBLOCK), 0);
	CHECK_ERR(write(tty, "x", 1), EAGAIN);
	CHECK_EQ(fcntl(tty, F_SETFL, 0), 0);
	ask("ctrl-q");
	CHECK_EQ(wait_child(pid, &st, 10000), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
}

const struct test job_tests[] = {
	{ "^C and ^\\: SIGINT and SIGQUIT to the foreground job",
	  interrupt_and_quit },
	{ "^Z stops the job; continued, its read goes on", suspend },
	{ "a background read: SIGTTIN, then the read in the foreground; "
	  "EINTR with a handler",
	  background_read },
	{ "background writes: allowed, or SIGTTOU with TOSTOP",
	  background_write },
	{ "tcsetpgrp: groups of our session only", tcsetpgrp_rules },
	{ "^C caught by the foreground; input flushed unless NOFLSH",
	  interrupt_flushes },
	{ "^S stops output until ^Q", stop_output },
	{ NULL, NULL },
};

/* ---- the first test: hang-up ---- */

static void on_hup(int sig)
{
	volatile int *sh = shared_page();

	sh[1] = 1;
}

/*
 * Child A leads a new session with tty:0 as its terminal and a
 * foreground job B; A ends.  The server notices (it checks the leader
 * every second) and sends B SIGHUP (B catches it and says so in the
 * shared page).  Meanwhile tty:0 is not ours: TIOCSCTTY says EPERM and
 * tcgetpgrp ENOTTY.
 */
void job_hangup(void)
{
	volatile int *sh = shared_page();
	uint64_t end;
	pid_t a;
	int st = -1;

	REQUIRE(sh);
	sh[0] = sh[1] = sh[2] = 0;
	a = fork();
	REQUIRE(a >= 0);
	if (a == 0) {
		pid_t b;

		if (setsid() < 0 || ioctl(tty, TIOCSCTTY, 0) != 0)
			_exit(1);
		b = fork();
		if (b == 0) {
			signal(SIGHUP, on_hup);
			setpgid(0, 0);
			sh[0] = getpid();
			for (;;)
				pause();
		}
		if (b < 0)
			_exit(2);
		setpgid(b, b);
		if (tcsetpgrp(tty, b) != 0)
			_exit(3);
		while (!sh[0] || !sh[2]) /* B is ready, the test has looked */
			sys_sleep(10 * MS);
		_exit(0);
	}
	for (end = now_ms() + 5000; !sh[0] && now_ms() < end;)
		sys_sleep(10 * MS);
	CHECK(sh[0] != 0);
	CHECK_ERR(ioctl(tty, TIOCSCTTY, 0), EPERM); /* A's terminal now */
	CHECK_ERR(tcgetpgrp(tty), ENOTTY);
	sh[2] = 1;
	CHECK_EQ(waitpid(a, &st, 0), a);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (end = now_ms() + 5000; !sh[1] && now_ms() < end;)
		sys_sleep(10 * MS);
	CHECK_EQ(sh[1], 1);
	if (sh[0] > 0)
		kill(sh[0], SIGKILL); /* B is init's child now */
}
