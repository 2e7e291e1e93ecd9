/*
 * The tools about the system and the environment: true, false, test and
 * [, env, pwd, sleep, uname, date, clear, free, uptime, dmesg.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valence.h>
#include "utiltest.h"

static void true_false(void)
{
	struct result r;

	RUN(&r, NULL, "true");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, NULL, "true", "--anything", "x");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, NULL, "false");
	CHECK_OK_OUT(&r, 1, "");
	RUN(&r, NULL, "false", "x");
	CHECK_OK_OUT(&r, 1, "");
	RUN(&r, NULL, "true", "-h");
	CHECK_HELP(&r, "true");
	RUN(&r, NULL, "false", "-h");
	CHECK_EQ(r.status, 1);
	CHECK_OUT_HAS(&r, "usage: false");
}

/* The status of test with these arguments (and of [ ... ]). */
#define TEST_IS(want, ...)                                                     \
	do {                                                                   \
		struct result _r;                                              \
		RUN(&_r, NULL, "test", __VA_ARGS__);                           \
		CHECK_RUN(&_r, want, "", "");                                  \
		RUN(&_r, NULL, "[", __VA_ARGS__, "]");                         \
		CHECK_RUN(&_r, want, "", "");                                  \
	} while (0)

static void test_strings_and_numbers(void)
{
	struct result r;

	RUN(&r, NULL, "test");
	CHECK_RUN(&r, 1, "", "");
	RUN(&r, NULL, "[", "]");
	CHECK_RUN(&r, 1, "", "");
	TEST_IS(1, "");
	TEST_IS(0, "x");
	TEST_IS(0, "-n"); /* one argument: a non-empty string */
	TEST_IS(0, "!");
	TEST_IS(1, "-n", "");
	TEST_IS(0, "-n", "x");
	TEST_IS(0, "-z", "");
	TEST_IS(1, "-z", "x");
	TEST_IS(0, "a", "=", "a");
	TEST_IS(1, "a", "=", "b");
	TEST_IS(0, "a", "!=", "b");
	TEST_IS(1, "a", "!=", "a");
	TEST_IS(0, "5", "-eq", "5");
	TEST_IS(1, "5", "-ne", "5");
	TEST_IS(1, "5", "-lt", "3");
	TEST_IS(0, "-3", "-lt", "2");
	TEST_IS(0, "10", "-ge", "10");
	TEST_IS(0, "10", "-le", "11");
	TEST_IS(1, "10", "-gt", "11");
	TEST_IS(0, " 7 ", "-eq", "7");
	TEST_IS(0, "-9223372036854775808", "-lt", "9223372036854775807");
	TEST_IS(0, "!", "a", "=", "b");
	TEST_IS(1, "!", "-z", "");
	TEST_IS(1, "a", "=", "a", "-a", "b", "=", "c");
	TEST_IS(0, "a", "=", "a", "-o", "b", "=", "c");
	TEST_IS(0, "(", "a", "=", "b", ")", "-o", "x");
	TEST_IS(0, "(", "x", ")");
	TEST_IS(1, "", "-a", "x");
	TEST_IS(0, "", "-o", "x");
	/* -a binds tighter than -o: 1 or (1 and 0). */
	TEST_IS(0, "1", "-eq", "1", "-o", "1", "-eq", "1", "-a", "1", "-eq",
		"0");
	TEST_IS(0, "1", "-eq", "1", "-a", "2", "-eq", "2", "-a", "!", "3",
		"-eq", "4");
}

static void test_files(void)
{
	struct stat st;
	int x;

	TEST_IS(0, "-e", HELLO_PATH);
	TEST_IS(0, "-f", HELLO_PATH);
	TEST_IS(1, "-d", HELLO_PATH);
	TEST_IS(0, "-d", "/test");
	TEST_IS(1, "-f", "/test");
	TEST_IS(0, "-s", HELLO_PATH);
	TEST_IS(1, "-s", "/test/empty");
	TEST_IS(0, "-e", "/test/empty");
	TEST_IS(0, "-r", HELLO_PATH);
	TEST_IS(1, "-e", "/nonexistent");
	TEST_IS(1, "-r", "/nonexistent");
	TEST_IS(1, "-w", "/nonexistent");
	TEST_IS(0, "!", "-e", "/nonexistent");
	TEST_IS(1, "-c", HELLO_PATH);
	TEST_IS(1, "-p", HELLO_PATH);
	TEST_IS(1, "-h", HELLO_PATH);
	TEST_IS(1, "-L", HELLO_PATH);
	TEST_IS(0, "-d", "initfs:/bin");
	/* -x as the file's mode says (the archive's files are 0444). */
	REQUIRE(stat("/bin/cat", &st) == 0);
	x = (st.st_mode & S_IXUSR) ? 0 : 1;
	TEST_IS(x, "-x", "/bin/cat");
}

static void test_errors(void)
{
	struct result r;

	RUN(&r, NULL, "test", "abc", "-eq", "1");
	CHECK_RUN(&r, 2, "", "test: abc: integer expected\n");
	RUN(&r, NULL, "test", "1", "-lt", "");
	CHECK_RUN(&r, 2, "", "test: : integer expected\n");
	RUN(&r, NULL, "test", "1", "-eq");
	CHECK_RUN(&r, 2, "", "test: 1: unary operator expected\n");
	RUN(&r, NULL, "test", "a", "b", "c");
	CHECK_RUN(&r, 2, "", "test: b: binary operator expected\n");
	RUN(&r, NULL, "test", "(", "a", "=", "a", "-a", "b");
	CHECK_RUN(&r, 2, "", "test: ')' expected\n");
	RUN(&r, NULL, "test", "a", "=", "a", "b", "c");
	CHECK_RUN(&r, 2, "", "test: b: unexpected argument\n");
	RUN(&r, NULL, "[", "a", "=", "a");
	CHECK_RUN(&r, 2, "", "[: missing ']'\n");
	RUN(&r, NULL, "test", "--help");
	CHECK_HELP(&r, "test");
	RUN(&r, NULL, "[", "--help");
	CHECK_HELP(&r, "test");
}

static void env_prints_and_runs(void)
{
	char *env[] = { "A=1", "B=two words", NULL };
	struct run_opts o = { .envp = env };
	struct result r;

	RUN_OPTS(&r, &o, "env");
	CHECK_OK_OUT(&r, 0, "A=1\nB=two words\n");
	RUN_OPTS(&r, &o, "env", "-u", "A");
	CHECK_OK_OUT(&r, 0, "B=two words\n");
	RUN_OPTS(&r, &o, "env", "-i");
	CHECK_OK_OUT(&r, 0, "");
	RUN_OPTS(&r, &o, "env", "-i", "X=y", "Z=");
	CHECK_OK_OUT(&r, 0, "X=y\nZ=\n");
	RUN_OPTS(&r, &o, "env", "A=3");
	CHECK_OK_OUT(&r, 0, "A=3\nB=two words\n");
	/* A command: started as a child with the changed environment, its
	   output on the same standard output. */
	RUN_OPTS(&r, &o, "env", "-i", "FOO=bar", "/bin/env");
	CHECK_OK_OUT(&r, 0, "FOO=bar\n");
	RUN_OPTS(&r, &o, "env", "-i", "PATH=/bin", "echo", "hi", "there");
	CHECK_OK_OUT(&r, 0, "hi there\n");
	RUN_OPTS(&r, &o, "env", "-i", "false");
	CHECK_OK_OUT(&r, 1, "");
	RUN_OPTS(&r, &o, "env", "PATH=/test:/bin", "cat", "/test/empty");
	CHECK_OK_OUT(&r, 0, "");
	RUN_OPTS(&r, &o, "env", "grep", "x", "/nonexistent");
	CHECK_RUN(&r, 2, "", "grep: /nonexistent: No such file or directory\n");
	RUN_OPTS(&r, &o, "env", "no-such-command");
	CHECK_RUN(&r, 127, "",
		  "env: no-such-command: No such file or directory\n");
	RUN_OPTS(&r, &o, "env", HELLO_PATH);
	CHECK_RUN(&r, 126, "", "env: " HELLO_PATH ": Exec format error\n");
	RUN_OPTS(&r, &o, "env", "=x");
	CHECK_USAGE(&r, "env", "cannot set '=x'");
	RUN_OPTS(&r, &o, "env", "-u", "A=1");
	CHECK_USAGE(&r, "env", "cannot unset 'A=1'");
}

static void pwd_prints(void)
{
	struct result r;

	RUN(&r, NULL, "pwd");
	CHECK_OK_OUT(&r, 0, "/\n");
	RUN(&r, NULL, "pwd", "-P");
	CHECK_OK_OUT(&r, 0, "/\n");
	RUN(&r, NULL, "pwd", "x");
	CHECK_USAGE(&r, "pwd", "too many arguments");
	/* A child starts in its parent's working directory. */
	REQUIRE(chdir("/test/a") == 0);
	RUN(&r, NULL, "pwd");
	CHECK_OK_OUT(&r, 0, "/test/a\n");
	RUN(&r, NULL, "ls");
	CHECK_OK_OUT(&r, 0, "b\n");
	RUN(&r, NULL, "wc", "-c", "b/deep.txt", "../hello.txt");
	CHECK_OK_OUT(&r, 0, " 5 b/deep.txt\n29 ../hello.txt\n34 total\n");
	CHECK_EQ(chdir("/"), 0);
}

static void sleep_waits(void)
{
	struct result r;
	uint64_t t0 = sys_clock_get(), dt;

	RUN(&r, NULL, "sleep", "0.3");
	dt = sys_clock_get() - t0;
	CHECK_OK_OUT(&r, 0, "");
	CHECK(dt >= 300000000ull);
	t0 = sys_clock_get();
	RUN(&r, NULL, "sleep", "0.1s", "0.1", "0");
	dt = sys_clock_get() - t0;
	CHECK_OK_OUT(&r, 0, "");
	CHECK(dt >= 200000000ull);
	RUN(&r, NULL, "sleep");
	CHECK_USAGE(&r, "sleep", "missing operand");
	RUN(&r, NULL, "sleep", "1x");
	CHECK_USAGE(&r, "sleep", "invalid time interval '1x'");
	RUN(&r, NULL, "sleep", "-1");
	CHECK_USAGE(&r, "sleep", "unknown option -1");
}

static void uname_fields(void)
{
	struct result r;
	char release[64], all[256];

	RUN(&r, NULL, "uname");
	CHECK_OK_OUT(&r, 0, "Valence\n");
	RUN(&r, NULL, "uname", "-s");
	CHECK_OK_OUT(&r, 0, "Valence\n");
	RUN(&r, NULL, "uname", "-m");
	CHECK_OK_OUT(&r, 0, "x86_64\n");
	RUN(&r, NULL, "uname", "-n");
	CHECK_OK_OUT(&r, 0, "valence\n");
	RUN(&r, NULL, "uname", "-r");
	CHECK_EQ(r.status, 0);
	REQUIRE(r.out_len > 1 && r.out_len < sizeof(release));
	CHECK(memchr(r.out, ' ', r.out_len) == NULL);
	CHECK_EQ(r.out[r.out_len - 1], '\n');
	memcpy(release, r.out, r.out_len - 1);
	release[r.out_len - 1] = '\0';
	printf("  uname -r: %s\n", release);
	snprintf(all, sizeof(all), "Valence valence %s Valence %s x86_64\n",
		 release, release);
	RUN(&r, NULL, "uname", "-a");
	CHECK_OK_OUT(&r, 0, all);
	snprintf(all, sizeof(all), "Valence %s x86_64\n", release);
	RUN(&r, NULL, "uname", "-msr");
	CHECK_OK_OUT(&r, 0, all);
	RUN(&r, NULL, "uname", "-x");
	CHECK_USAGE(&r, "uname", "unknown option -x");
	RUN(&r, NULL, "uname", "foo");
	CHECK_USAGE(&r, "uname", "extra operand 'foo'");
}

/* The default format of date for time t. */
static void date_text(time_t t, char *out, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%a %b %e %H:%M:%S UTC %Y\n", &tm);
}

static void date_prints(void)
{
	struct result r;
	char a[64], b[64];
	time_t before, after;
	unsigned long long got;

	/* The time is gettimeofday()'s, as this program sees it. */
	before = time(NULL);
	RUN(&r, NULL, "date", "+%s");
	after = time(NULL);
	CHECK_EQ(r.status, 0);
	got = strtoull(r.out, NULL, 10);
	CHECK(got >= (unsigned long long)before &&
	      got <= (unsigned long long)after);
	before = time(NULL);
	RUN(&r, NULL, "date");
	after = time(NULL);
	date_text(before, a, sizeof(a));
	date_text(after, b, sizeof(b));
	CHECK_EQ(r.status, 0);
	CHECK((r.out_len == strlen(a) && memcmp(r.out, a, r.out_len) == 0) ||
	      (r.out_len == strlen(b) && memcmp(r.out, b, r.out_len) == 0));
	RUN(&r, NULL, "date", "-u", "+%Y-%m-%d %%");
	strftime(a, sizeof(a), "%Y-%m-%d %%\n", gmtime(&after));
	CHECK_OK_OUT(&r, 0, a);
	RUN(&r, NULL, "date", "-r", HELLO_PATH, "+%s %F %T");
	CHECK_OK_OUT(&r, 0, "0 1970-01-01 00:00:00\n");
	RUN(&r, NULL, "date", "+");
	CHECK_OK_OUT(&r, 0, "\n");
	RUN(&r, NULL, "date", "-r", "/nonexistent");
	CHECK_RUN(&r, 1, "",
		  "date: /nonexistent: No such file or "
		  "directory\n");
	RUN(&r, NULL, "date", "0101");
	CHECK_USAGE(&r, "date", "cannot set the date");
}

static void clear_screen(void)
{
	struct result r;

	RUN(&r, NULL, "clear");
	CHECK_OK_OUT(&r, 0, "\033[H\033[2J\033[3J");
	RUN(&r, NULL, "clear", "x");
	CHECK_USAGE(&r, "clear", "too many arguments");
}

/* The "Mem:" line of free: total, used, free. */
static int parse_free(const struct result *r, unsigned long long *v)
{
	char buf[512];
	const char *mem;

	if (r->out_len >= sizeof(buf))
		return -1;
	memcpy(buf, r->out, r->out_len);
	buf[r->out_len] = '\0';
	mem = strstr(buf, "\nMem:");
	if (!mem)
		return -1;
	return sscanf(mem + 5, "%llu %llu %llu", &v[0], &v[1], &v[2]) == 3 ? 0
									   : -1;
}

static void free_memory(void)
{
	struct sys_stats st;
	struct result r;
	unsigned long long k[3], m[3], b[3];

	REQUIRE(sys_sys_stats(&st) == 0);
	RUN(&r, NULL, "free");
	CHECK_EQ(r.status, 0);
	check_prefix(__FILE__, __LINE__, "stdout", r.out, r.out_len,
		     "                total         used         free\n");
	CHECK_OUT_HAS(&r, "processes");
	REQUIRE(parse_free(&r, k) == 0);
	CHECK_EQ(k[0], st.total_frames * 4);
	CHECK_EQ(k[0], k[1] + k[2]);
	CHECK(k[2] > 0 && k[1] > 0);
	RUN(&r, NULL, "free", "-b");
	REQUIRE(parse_free(&r, b) == 0);
	CHECK_EQ(b[0], st.total_frames * 4096);
	CHECK_EQ(b[0], b[1] + b[2]);
	RUN(&r, NULL, "free", "-m");
	REQUIRE(parse_free(&r, m) == 0);
	CHECK_EQ(m[0], st.total_frames * 4096 / (1024 * 1024));
	RUN(&r, NULL, "free", "-x");
	CHECK_USAGE(&r, "free", "unknown option -x");
}

static void uptime_prints(void)
{
	struct result r;
	unsigned long long before = sys_clock_get() / 10000000ull, after;
	unsigned long long sec = 0, hund = 0, h, m, s, procs;
	char buf[128];

	RUN(&r, NULL, "uptime", "-s");
	after = sys_clock_get() / 10000000ull;
	CHECK_EQ(r.status, 0);
	REQUIRE(r.out_len < sizeof(buf));
	memcpy(buf, r.out, r.out_len);
	buf[r.out_len] = '\0';
	REQUIRE(sscanf(buf, "%llu.%llu", &sec, &hund) == 2);
	CHECK(sec * 100 + hund >= before && sec * 100 + hund <= after);
	RUN(&r, NULL, "uptime");
	CHECK_EQ(r.status, 0);
	REQUIRE(r.out_len < sizeof(buf));
	memcpy(buf, r.out, r.out_len);
	buf[r.out_len] = '\0';
	REQUIRE(sscanf(buf, "up %llu:%llu:%llu, %llu processes", &h, &m, &s,
		       &procs) == 4);
	CHECK(m < 60 && s < 60);
	CHECK(procs >= 3); /* init, initfs, utiltest, uptime */
	RUN(&r, NULL, "uptime", "now");
	CHECK_USAGE(&r, "uptime", "extra operand 'now'");
}

/* dmesg reads log: when the log server runs (drivers/serial); without
   it, the error says why. */
static void dmesg_reads_log(void)
{
	struct result r;
	handle_t log = scheme_root("log");
	char want[128];

	RUN(&r, NULL, "dmesg");
	if (log >= 0) {
		CHECK_EQ(r.status, 0);
		CHECK_OUT_HAS(&r, "kernel: ready");
	} else {
		snprintf(want, sizeof(want), "dmesg: log:: %s\n",
			 strerror((int)-log));
		CHECK_RUN(&r, 1, "", want);
	}
	RUN(&r, NULL, "dmesg", "-c");
	CHECK_USAGE(&r, "dmesg", "unknown option -c");
}

/* kill, on children of this program that sleep until a signal ends them. */
static void kill_signals(void)
{
	static const struct {
		const char *arg, *arg2;
		int sig;
	} ways[] = {
		{ NULL, NULL, SIGTERM },   { "-9", NULL, SIGKILL },
		{ "-s", "INT", SIGINT },   { "-SIGHUP", NULL, SIGHUP },
		{ "-s", "usr1", SIGUSR1 }, { "-15", "--", SIGTERM },
	};
	char *sleeper[] = { "sleep", "100", NULL };
	char pid_text[16];
	struct result r;

	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		char *argv[5] = { "kill" };
		int n = 1, pid, proc = start_child(sleeper, &pid), st;

		REQUIRE(proc >= 0);
		snprintf(pid_text, sizeof(pid_text), "%d", pid);
		if (ways[i].arg)
			argv[n++] = (char *)ways[i].arg;
		if (ways[i].arg2)
			argv[n++] = (char *)ways[i].arg2;
		argv[n++] = pid_text;
		argv[n] = NULL;
		run_opts(&r, NULL, argv);
		CHECK_RUN(&r, 0, "", "");
		st = end_child(proc, r.status != 0);
		CHECK(WIFSIGNALED(st));
		CHECK_EQ(WTERMSIG(st), ways[i].sig);
	}
	/* Signal 0 only asks whether the process is there. */
	snprintf(pid_text, sizeof(pid_text), "%d", (int)getpid());
	RUN(&r, NULL, "kill", "-0", pid_text);
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "kill", "-s", "0", "99999");
	CHECK_RUN(&r, 1, "", "kill: 99999: No such process\n");
	RUN(&r, NULL, "kill", "-l");
	CHECK_EQ(r.status, 0);
	CHECK_OUT_HAS(&r, " 9 KILL\n");
	CHECK_OUT_HAS(&r, "15 TERM\n");
	RUN(&r, NULL, "kill", "-l", "9", "143");
	CHECK_OK_OUT(&r, 0, "KILL\nTERM\n");
	RUN(&r, NULL, "kill", "-l", "99");
	CHECK_RUN(&r, 1, "", "kill: 99: unknown signal\n");
	RUN(&r, NULL, "kill");
	CHECK_USAGE(&r, "kill", "missing PID");
	RUN(&r, NULL, "kill", "-NOPE", "1");
	CHECK_USAGE(&r, "kill", "unknown signal 'NOPE'");
	RUN(&r, NULL, "kill", "-s");
	CHECK_USAGE(&r, "kill", "option -s needs an argument");
	RUN(&r, NULL, "kill", "abc");
	CHECK_USAGE(&r, "kill", "invalid pid 'abc'");
	RUN(&r, NULL, "kill", "-h");
	CHECK_HELP(&r, "kill");
}

/* ps lists this program, init, and a child stopped on purpose. */
static void ps_lists(void)
{
	char *sleeper[] = { "sleep", "100", NULL };
	char line[96];
	struct result r;
	int pid, proc = start_child(sleeper, &pid);

	REQUIRE(proc >= 0);
	kill(pid, SIGSTOP);
	RUN(&r, NULL, "ps");
	CHECK_EQ(r.status, 0);
	check_prefix(__FILE__, __LINE__, "stdout", r.out, r.out_len,
		     "  PID  PPID  PGID S THR      MEM NAME\n"
		     "    1     0     1 ");
	snprintf(line, sizeof(line), "%5d %5d ", (int)getpid(), (int)getppid());
	CHECK_OUT_HAS(&r, line); /* this program, child of init */
	CHECK_OUT_HAS(&r, " utiltest\n");
	snprintf(line, sizeof(line), "%5d %5d ", pid, (int)getpid());
	CHECK_OUT_HAS(&r, line);
	CHECK_OUT_HAS(&r, " T   1 "); /* the stopped sleep */
	CHECK_OUT_HAS(&r, " sleep\n");
	kill(pid, SIGCONT);
	end_child(proc, 1);
	RUN(&r, NULL, "ps", "-x");
	CHECK_USAGE(&r, "ps", "unknown option -x");
}

const struct test sys_tests[] = {
	{ "ps", ps_lists },
	{ "true false", true_false },
	{ "test strings and numbers", test_strings_and_numbers },
	{ "test files", test_files },
	{ "test errors", test_errors },
	{ "env", env_prints_and_runs },
	{ "pwd", pwd_prints },
	{ "sleep", sleep_waits },
	{ "uname", uname_fields },
	{ "date", date_prints },
	{ "clear", clear_screen },
	{ "free", free_memory },
	{ "uptime", uptime_prints },
	{ "dmesg", dmesg_reads_log },
	{ "kill", kill_signals },
	{ NULL, NULL },
};
