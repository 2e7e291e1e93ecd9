/*
 * Signals: handlers from raise, from another process and from a fault;
 * masks, pending, sigsuspend; EINTR from a sleep; SIG_IGN and the default
 * actions (end, ignore, stop and continue); what fork and exec keep; and
 * a busy loop interrupted again and again that must compute the same.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valence.h>
#include "libctest.h"

static volatile sig_atomic_t got, count;

static void on_sig(int sig)
{
	got = sig;
	count++;
}

static int catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction a = { .sa_handler = fn, .sa_flags = flags };

	sigemptyset(&a.sa_mask);
	return sigaction(sig, &a, NULL);
}

static int status_of(pid_t pid, int options)
{
	int st = -1;

	return waitpid(pid, &st, options) == pid ? st : -1;
}

static void handler_from_raise(void)
{
	volatile long keep = 0x1234567890abcdef;
	struct sigaction old;

	got = count = 0;
	REQUIRE_EQ(catch(SIGUSR1, on_sig, 0), 0);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(got, SIGUSR1); /* ran before raise returned */
	CHECK_EQ(count, 1);
	CHECK_EQ(keep, 0x1234567890abcdef);
	CHECK_EQ(sigaction(SIGUSR1, NULL, &old), 0);
	CHECK(old.sa_handler == on_sig);
	CHECK_ERR(catch(SIGKILL, on_sig, 0), EINVAL);
	CHECK_ERR(catch(SIGSTOP, on_sig, 0), EINVAL);
	CHECK_ERR(catch(0, on_sig, 0), EINVAL);
	CHECK(signal(SIGUSR1, SIG_DFL) == on_sig);
}

static void masks_and_pending(void)
{
	sigset_t set, old, pend;

	got = count = 0;
	REQUIRE_EQ(catch(SIGUSR2, on_sig, 0), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
	CHECK_EQ(raise(SIGUSR2), 0);
	CHECK_EQ(count, 0); /* blocked: pending */
	CHECK_EQ(sigpending(&pend), 0);
	CHECK(sigismember(&pend, SIGUSR2));
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	CHECK_EQ(count, 1); /* delivered as it was unblocked */
	CHECK_EQ(sigpending(&pend), 0);
	CHECK(!sigismember(&pend, SIGUSR2));
	CHECK_ERR(sigprocmask(99, &set, NULL), EINVAL);
	/* sigsuspend: wait with it unblocked, then blocked again */
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	sigemptyset(&pend);
	CHECK_ERR(sigsuspend(&pend), EINTR);
	CHECK_EQ(count, 2);
	CHECK_EQ(sigprocmask(SIG_BLOCK, NULL, &old), 0);
	CHECK(sigismember(&old, SIGUSR2)); /* the mask is back */
	CHECK_EQ(status_of(pid, 0), 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR2, SIG_DFL);
}

static void interrupts_sleep(void)
{
	struct timespec ts = { 5, 0 }, rem = { 0, 0 };
	pid_t pid;

	got = 0;
	REQUIRE_EQ(catch(SIGUSR1, on_sig, 0), 0);
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
	}
	REQUIRE(pid > 0);
	CHECK_ERR(nanosleep(&ts, &rem), EINTR);
	CHECK_EQ(got, SIGUSR1);
	CHECK(rem.tv_sec >= 3 && rem.tv_sec < 5);
	CHECK_EQ(status_of(pid, 0), 0);
	/* pause() too, with the signal from a child */
	got = 0;
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	CHECK_ERR(pause(), EINTR);
	CHECK_EQ(got, SIGUSR1);
	CHECK_EQ(status_of(pid, 0), 0);
	signal(SIGUSR1, SIG_DFL);
}

/* A read waiting in a server (a pipe with no data) ends with EINTR. */
static void interrupts_a_read(void)
{
	char c;
	int p[2];
	pid_t pid;

	got = 0;
	REQUIRE_EQ(pipe(p), 0);
	REQUIRE_EQ(catch(SIGUSR1, on_sig, 0), 0);
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
	}
	REQUIRE(pid > 0);
	CHECK_ERR(read(p[0], &c, 1), EINTR);
	CHECK_EQ(got, SIGUSR1);
	CHECK_EQ(status_of(pid, 0), 0);
	CHECK_EQ(write(p[1], "z", 1), 1); /* the pipe still works */
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'z');
	close(p[0]);
	close(p[1]);
	signal(SIGUSR1, SIG_DFL);
}

static void ignore_and_defaults(void)
{
	pid_t pid;
	int st;

	CHECK(signal(SIGTERM, SIG_IGN) == SIG_DFL);
	CHECK_EQ(raise(SIGTERM), 0); /* ignored: still here */
	CHECK(signal(SIGTERM, SIG_DFL) == SIG_IGN);
	CHECK_EQ(raise(SIGCHLD), 0);  /* default: ignored */
	CHECK_EQ(raise(SIGWINCH), 0); /* default: ignored */
	pid = fork();
	if (pid == 0) {
		for (;;)
			usleep(10000);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(kill(pid, SIGSTOP), 0);
	st = status_of(pid, WUNTRACED);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGSTOP);
	CHECK_EQ(waitpid(pid, &st, WNOHANG | WUNTRACED), 0); /* once */
	CHECK_EQ(kill(pid, SIGCONT), 0);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	st = status_of(pid, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* a stopped child ends normally once continued */
	pid = fork();
	if (pid == 0) {
		raise(SIGTSTP); /* stops itself */
		_exit(12);
	}
	st = status_of(pid, WUNTRACED);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	CHECK_EQ(kill(pid, SIGCONT), 0);
	CHECK_EQ(status_of(pid, 0), 12 << 8);
}

static void on_segv(int sig)
{
	_exit(sig == SIGSEGV ? 77 : 78);
}

static void fault_handler(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile int *volatile null = NULL;

		catch(SIGSEGV, on_segv, 0);
		*null = 1;
		_exit(1);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(status_of(pid, 0), 77 << 8);
}

static void fork_and_exec_keep(void)
{
	char *term[] = { "libctest", "child", "raise", "15", NULL };
	char *usr1[] = { "libctest", "child", "raise", "30", NULL };
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) { /* ignored stays ignored across exec */
		signal(SIGTERM, SIG_IGN);
		execve(SELF_PATH, term, NULL);
		_exit(100);
	}
	CHECK_EQ(status_of(pid, 0), 0);
	pid = fork();
	if (pid == 0) { /* caught goes back to default: SIGUSR1 ends it */
		catch(SIGUSR1, on_sig, 0);
		execve(SELF_PATH, usr1, NULL);
		_exit(100);
	}
	st = status_of(pid, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
	pid = fork();
	if (pid == 0) { /* handlers are inherited by fork */
		got = 0;
		catch(SIGUSR2, on_sig, 0);
		if (fork() == 0) {
			raise(SIGUSR2);
			_exit(got == SIGUSR2 ? 0 : 1);
		}
		wait(&st);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 2);
	}
	CHECK_EQ(status_of(pid, 0), 0);
}

/* A loop whose result depends on every register it uses; signals land
   at arbitrary instructions and must leave no trace. */
static uint64_t churn(uint64_t n)
{
	uint64_t a = 1, b = 2, c = 3, d = 4;

	for (uint64_t i = 0; i < n; i++) {
		a = a * 6364136223846793005ULL + b;
		b ^= a >> 17;
		c += b * 3 + i;
		d = (d << 7 | d >> 57) ^ c;
	}
	return a ^ b ^ c ^ d;
}

static void busy_loop_interrupted(void)
{
	static volatile uint64_t n = 100000; /* not folded out of the loop */
	uint64_t want = churn(n);
	pid_t pid = fork();
	int st;

	if (pid == 0) { /* computes until 20 handlers have run */
		count = 0;
		catch(SIGUSR1, on_sig, 0);
		for (int round = 0; count < 20 && round < 20000; round++)
			if (churn(n) != want)
				_exit(1);
		_exit(count >= 20 ? 0 : 2);
	}
	REQUIRE(pid > 0);
	for (int i = 0; i < 2000; i++) {
		usleep(1000);
		if (kill(pid, SIGUSR1) < 0)
			break; /* it has ended */
	}
	st = status_of(pid, 0);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
}

const struct test signal_tests[] = {
	{ "sigaction and raise", handler_from_raise },
	{ "sigprocmask sigpending sigsuspend", masks_and_pending },
	{ "a signal interrupts sleep and pause", interrupts_sleep },
	{ "a signal interrupts a read waiting in a server", interrupts_a_read },
	{ "SIG_IGN, defaults, stop and continue", ignore_and_defaults },
	{ "a fault runs the SIGSEGV handler", fault_handler },
	{ "fork and exec keep what they should", fork_and_exec_keep },
	{ "a busy loop interrupted by signals", busy_loop_interrupted },
	{ NULL, NULL },
};
