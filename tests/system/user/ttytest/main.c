/*
 * ttytest: runs every test in the tables of the t_*.c files, prints
 * "pass: NAME" or "FAIL: NAME" with each failed check, then
 * "ttytest: N passed, M failed", and leaves QEMU through the
 * isa-debug-exit port its services line grants (handle 4).
 *
 * It starts a session of its own (setsid) and opens tty:0.  The first
 * tests run while another session holds the terminal; then ttytest makes
 * tty:0 its controlling terminal, and the rest run with ttytest's group
 * in the foreground.  After each test the terminal is put back (settings,
 * foreground group, flags); a test that leaves a handle open (or closes
 * one it did not open) fails.
 */
#include "ttytest.h"

#define QEMU_EXIT_PORT 0xf4
#define H_EXIT_PORT    4 /* after stdin, stdout, stderr and ns: */

int tty = -1;
struct termios defaults;

static int failures; /* of the running test */
static int passed, failed;

void fail(const char *file, int line, const char *expr, long long got)
{
	printf("  %s:%d: %s (got %lld, errno %d)\n", file, line, expr, got,
	       errno);
	failures++;
}

static void qemu_exit(int pass)
{
	uint32_t v = pass ? 16 : 17; /* QEMU exits with 2v + 1: 33 or 35 */

	if (valence_initial_handles <= H_EXIT_PORT)
		return; /* not granted: an ordinary run */
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(QEMU_EXIT_PORT));
}

static uint8_t open_before[HANDLE_MAX / 8];

static bool handle_open(int h)
{
	struct handle_info info;

	return sys_handle_info(h, &info) == 0;
}

static void snapshot(void)
{
	memset(open_before, 0, sizeof(open_before));
	for (int h = 0; h < HANDLE_MAX; h++)
		if (handle_open(h))
			open_before[h / 8] |= (uint8_t)(1u << (h % 8));
}

/* Fails the test for every handle opened or closed since snapshot(). */
static void check_handles(void)
{
	for (int h = 0; h < HANDLE_MAX; h++) {
		bool was = open_before[h / 8] & (1u << (h % 8));

		if (was != handle_open(h)) {
			printf("  handle %d %s by the test\n", h,
			       was ? "closed" : "left open");
			failures++;
		}
	}
}

static void run(const struct test *tests)
{
	for (const struct test *t = tests; t->name; t++) {
		failures = 0;
		snapshot();
		t->fn();
		tty_reset();
		check_handles();
		printf("%s: %s\n", failures ? "FAIL" : "pass", t->name);
		if (failures)
			failed++;
		else
			passed++;
	}
}

/* tty:0 becomes the controlling terminal of our session. */
static void take_terminal(void)
{
	int st = -1;
	pid_t pid;

	CHECK_EQ(ioctl(tty, TIOCSCTTY, 0), 0);
	CHECK_EQ(ioctl(tty, TIOCSCTTY, 0), 0); /* ours already: fine */
	CHECK_EQ(tcgetpgrp(tty), getpgrp());
	CHECK_EQ(getpgrp(), getpid());
	/* Not a session leader: EPERM. */
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0)
		_exit(ioctl(tty, TIOCSCTTY, 0) == -1 && errno == EPERM ? 0 : 1);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The leader of another session, while ours holds it: EPERM. */
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		if (setsid() < 0)
			_exit(2);
		_exit(ioctl(tty, TIOCSCTTY, 0) == -1 && errno == EPERM ? 0 : 1);
	}
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static const struct test first_tests[] = {
	{ "the session leader's end hangs up its foreground group",
	  job_hangup },
	{ "TIOCSCTTY: tty:0 becomes our controlling terminal", take_terminal },
	{ NULL, NULL },
};

static const struct test *const groups[] = {
	first_tests, proto_tests, canon_tests, raw_tests, job_tests, life_tests,
};

/* setsid, open tty:0, the shared page: what every test needs. */
static int set_up(void)
{
	if (setsid() < 0) {
		printf("ttytest: setsid failed: %s\n", strerror(errno));
		return -1;
	}
	tty = open("tty:0", O_RDWR);
	if (tty < 0) {
		printf("ttytest: cannot open tty:0: %s\n", strerror(errno));
		return -1;
	}
	if (tcgetattr(tty, &defaults) < 0) {
		printf("ttytest: tcgetattr: %s\n", strerror(errno));
		return -1;
	}
	if (!shared_page()) {
		printf("ttytest: no shared page\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "stdio") == 0)
		return stdio_main();
	printf("ttytest: starting (pid %d)\n", (int)getpid());
	if (set_up() < 0) {
		qemu_exit(0);
		return 1;
	}
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		run(groups[g]);
	printf("ttytest: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	qemu_exit(failed == 0);
	return failed ? 1 : 0;
}
