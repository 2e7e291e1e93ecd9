/*
 * Programs and their exit: this program run again as a child, in every
 * way a C program can end, with the wait status the parent sees; argv
 * and the environment passed on; time.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valence.h>
#include "libctest.h"

int run_child(char *const args[], char *const envp[])
{
	char *argv[8] = { "libctest", "child" };
	int n = 2, proc, status = -1;

	for (int i = 0; args[i] && n < 7; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	proc = vspawn(SELF_PATH, argv, envp);
	if (proc < 0)
		return -1;
	if (vwait(proc, &status) < 0)
		return -1;
	return status;
}

#define EXITS_WITH(code, ...)                                                  \
	do {                                                                   \
		char *_a[] = { __VA_ARGS__, NULL };                            \
		int _st = run_child(_a, NULL);                                 \
		CHECK(WIFEXITED(_st));                                         \
		CHECK_EQ(WEXITSTATUS(_st), code);                              \
	} while (0)

static void exit_codes(void)
{
	EXITS_WITH(0, "return", "0");
	EXITS_WITH(3, "return", "3");
	EXITS_WITH(7, "exit", "7");
	EXITS_WITH(255, "exit", "255");
	EXITS_WITH(1, "exit", "257"); /* only the low 8 bits */
	EXITS_WITH(9, "_exit", "9");
	EXITS_WITH(EXIT_FAILURE, "exit", "1");
}

static void atexit_and_abort(void)
{
	char *abrt[] = { "abort", NULL }, *term[] = { "raise", "15", NULL };
	int st;

	EXITS_WITH(42, "atexit");
	st = run_child(abrt, NULL);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	st = run_child(term, NULL);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	EXITS_WITH(5, "handler"); /* a signal() handler runs, and returns */
}

static void crash_is_a_signal(void)
{
	char *a[] = { "segv", NULL };
	int st = run_child(a, NULL);

	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
}

static void argv_and_environment(void)
{
	char *a[] = { "args", "a", "b c", "", NULL };
	char *env[] = { "LIBCTEST=yes", "EMPTY=", "PATH=/bin", NULL };

	CHECK_EQ(run_child(a, env), 0); /* the child checks and says 0 */
	a[0] = "noenv";
	CHECK_EQ(run_child(a, NULL), 0);
}

static void spawn_errors(void)
{
	char *argv[] = { "x", NULL };

	CHECK_ERR(vspawn("/bin/no-such-program", argv, NULL), ENOENT);
	CHECK_ERR(vspawn(HELLO_PATH, argv, NULL), ENOEXEC);
	CHECK_ERR(vspawn("/test/empty", argv, NULL), ENOEXEC);
	CHECK_ERR(vspawn("/bin", argv, NULL), EISDIR);
	CHECK_ERR(vwait(999, NULL), EBADF);
}

static void hello_runs(void)
{
	char *argv[] = { "hello", NULL };
	int proc = vspawn("/bin/hello", argv, NULL), st = -1;

	REQUIRE_OK(proc);
	CHECK_OK(vwait(proc, &st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void clocks(void)
{
	struct timeval a, b;
	struct timespec ts, t2;
	clock_t c0 = clock();

	CHECK_EQ(gettimeofday(&a, NULL), 0);
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	CHECK_EQ(usleep(20000), 0);
	CHECK_EQ(gettimeofday(&b, NULL), 0);
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &t2), 0);
	CHECK((b.tv_sec - a.tv_sec) * 1000000 + (b.tv_usec - a.tv_usec) >=
	      20000);
	CHECK((t2.tv_sec - ts.tv_sec) * 1000000000 +
		      (t2.tv_nsec - ts.tv_nsec) >=
	      20000000);
	CHECK(clock() >= c0);
	CHECK(time(NULL) >= 0);
	CHECK_ERR(clock_gettime((clockid_t)99, &ts), EINVAL);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000;
	CHECK_ERR(nanosleep(&ts, NULL), EINVAL);
	CHECK_EQ(getpid(), (pid_t)valence_pid);
	CHECK(getpid() > 1);
}

const struct test proc_tests[] = {
	{ "exit codes", exit_codes },
	{ "atexit abort raise", atexit_and_abort },
	{ "a crash is SIGSEGV", crash_is_a_signal },
	{ "argv and environment", argv_and_environment },
	{ "spawn errors", spawn_errors },
	{ "hello runs", hello_runs },
	{ "clocks", clocks },
	{ NULL, NULL },
};

/* ---- the child ---- */

static int order; /* atexit handlers run last-registered first */

static void at1(void)
{
	_exit(order == 21 ? 42 : 40 + order % 10);
}

static void at2(void)
{
	order = order * 10 + 2;
}

static void at3(void)
{
	order = order * 10 + 1;
}

static volatile int handled;

static void on_signal(int sig)
{
	handled = sig;
}

/* The args child: argv[3..] must be "a", "b c", ""; envp as given. */
static int check_args(int argc, char **argv, int want_env)
{
	extern char **environ;
	int env = 0;

	if (argc != 6 || strcmp(argv[3], "a") || strcmp(argv[4], "b c") ||
	    strcmp(argv[5], "") || argv[6] != NULL)
		return 1;
	for (char **e = environ; *e; e++)
		env++;
	if (!want_env)
		return env == 0 && getenv("LIBCTEST") == NULL ? 0 : 2;
	if (env != 3 || !getenv("LIBCTEST") || strcmp(getenv("LIBCTEST"), "yes"))
		return 3;
	if (!getenv("EMPTY") || strcmp(getenv("EMPTY"), "") != 0)
		return 4;
	return 0;
}

int child_main(int argc, char **argv)
{
	const char *what = argc > 2 ? argv[2] : "";
	int n = argc > 3 ? atoi(argv[3]) : 0;

	if (strcmp(what, "return") == 0)
		return n;
	if (strcmp(what, "exit") == 0)
		exit(n);
	if (strcmp(what, "_exit") == 0) {
		printf("not flushed");
		_exit(n);
	}
	if (strcmp(what, "atexit") == 0) {
		atexit(at1);
		atexit(at2);
		atexit(at3);
		return 0;
	}
	if (strcmp(what, "abort") == 0)
		abort();
	if (strcmp(what, "raise") == 0) {
		raise(n);
		return 0; /* the signal was ignored */
	}
	if (strcmp(what, "handler") == 0) {
		signal(SIGUSR1, on_signal);
		raise(SIGUSR1);
		return handled == SIGUSR1 ? 5 : 6;
	}
	if (strcmp(what, "segv") == 0) {
		volatile int *volatile null = NULL;

		*null = 1;
		return 99;
	}
	if (strcmp(what, "args") == 0)
		return check_args(argc, argv, 1);
	if (strcmp(what, "noenv") == 0)
		return check_args(argc, argv, 0);
	if (strcmp(what, "inherit") == 0) { /* from exec_keeps_cwd_and_umask */
		extern char **environ;
		char cwd[64];
		int bad = !getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/test/a");

		bad |= umask(0) != 027;
		bad |= !environ[0] || strcmp(environ[0], "ONLY=this") ||
		       environ[1];
		return bad;
	}
	if (strcmp(what, "fds") == 0 && argc > 4) { /* kept, closed */
		struct stat st;

		return fstat(atoi(argv[3]), &st) == 0 &&
				       fstat(atoi(argv[4]), &st) == -1 &&
				       errno == EBADF
			       ? 0
			       : 1;
	}
	printf("libctest child: unknown \"%s\"\n", what);
	return 100;
}
