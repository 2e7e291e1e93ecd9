#include <signal.h>
/*
 * pipetest: runs every test in the tables of the t_*.c files, prints
 * "pass: NAME" or "FAIL: NAME" with each failed check, then
 * "pipetest: N passed, M failed", and leaves QEMU through the
 * isa-debug-exit port its services line grants (handle 4).  A test that
 * leaves a handle open (or closes one it did not open) fails.
 */
#include "pipetest.h"

#define QEMU_EXIT_PORT 0xf4
#define H_EXIT_PORT    4 /* after stdin, stdout, stderr and ns: */

static int failures; /* of the running test */

void fail(const char *file, int line, const char *expr, long long got)
{
	printf("  %s:%d: %s (got %lld, errno %d)\n", file, line, expr, got,
	       errno);
	failures++;
}

static const struct test *const groups[] = {
	data_tests, block_tests, fd_tests, fork_tests, life_tests,
};

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

/*
 * Looks up pipe:, file: and null: once, so that the roots libc caches for the
 * process's life do not count as handles a test left open.
 */
static int warm_up(void)
{
	int fds[2], fd;

	if (pipe(fds) < 0) {
		printf("pipetest: pipe() failed: %s\n", strerror(errno));
		return -1;
	}
	close(fds[0]);
	close(fds[1]);
	for (int i = 0; i < 2; i++) {
		const char *path = i ? "null:" : SELF_PATH;

		fd = open(path, O_RDONLY);
		if (fd < 0) {
			printf("pipetest: cannot open %s: %s\n", path,
			       strerror(errno));
			return -1;
		}
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_main(argc, argv);
	printf("pipetest: starting (pid %d)\n", (int)valence_pid);
	/* The EPIPE tests want the error, not the default SIGPIPE ending. */
	signal(SIGPIPE, SIG_IGN);
	if (warm_up() < 0) {
		qemu_exit(0);
		return 1;
	}
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct test *t = groups[g]; t->name; t++) {
			failures = 0;
			snapshot();
			t->fn();
			check_handles();
			printf("%s: %s\n", failures ? "FAIL" : "pass", t->name);
			if (failures)
				failed++;
			else
				passed++;
		}
	}
	printf("pipetest: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	qemu_exit(failed == 0);
	return failed ? 1 : 0;
}
