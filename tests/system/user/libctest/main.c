/*
 * libctest: runs every test in the tables of the t_*.c files, prints
 * "pass: NAME" or "FAIL: NAME" with each failed check, then
 * "libctest: N passed, M failed", and leaves QEMU through the
 * isa-debug-exit port its services line grants (handle 4).  Run as
 * `libctest child ...` it is the child that t_proc.c starts.
 */
#include <stdint.h>
#include <valence.h>
#include "libctest.h"

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
	stdio_tests, string_tests, stdlib_tests,
	malloc_tests, errno_tests, proc_tests, unix_tests, signal_tests,
};

static void qemu_exit(int pass)
{
	uint32_t v = pass ? 16 : 17; /* QEMU exits with 2v + 1: 33 or 35 */

	if (valence_initial_handles <= H_EXIT_PORT)
		return; /* not granted: an ordinary run */
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(QEMU_EXIT_PORT));
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_main(argc, argv);
	printf("libctest: starting (pid %d)\n", (int)valence_pid);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct test *t = groups[g]; t->name; t++) {
			failures = 0;
			t->fn();
			printf("%s: %s\n", failures ? "FAIL" : "pass", t->name);
			if (failures)
				failed++;
			else
				passed++;
		}
	}
	printf("libctest: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	qemu_exit(failed == 0);
	return failed ? 1 : 0;
}
