/*
 * tmpfstest: runs every test in the tables of the t_*.c files, each in
 * an empty directory /t, prints "pass: NAME" or "FAIL: NAME" with each
 * failed check, then "tmpfstest: N passed, M failed", and leaves QEMU
 * through the isa-debug-exit port its services line grants (handle 4).
 * Run as `tmpfstest child ...` it is the child that some tests start.
 *
 * After all the tests, the file system must be back where it started:
 * the same bytes in use, the same nodes, no open file left.
 */
#include <unistd.h>
#include "tmpfstest.h"

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
	file_tests, dir_tests, link_tests, attr_tests, limit_tests,
	proto_tests,
};

static void qemu_exit(int pass)
{
	uint32_t v = pass ? 16 : 17; /* QEMU exits with 2v + 1: 33 or 35 */

	if (valence_initial_handles <= H_EXIT_PORT)
		return; /* not granted: an ordinary run */
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(QEMU_EXIT_PORT));
}

/* Runs one test in a fresh /t; a test that cannot clean up fails. */
static int run(const struct test *t)
{
	failures = 0;
	if (mkdir(T, 0755) < 0) {
		printf("  cannot make " T ": errno %d\n", errno);
		failures++;
	} else {
		t->fn();
		umask(022);
		chdir("/");
		if (remove_tree(T) < 0) {
			printf("  cannot remove " T ": errno %d\n", errno);
			failures++;
		}
	}
	printf("%s: %s\n", failures ? "FAIL" : "pass", t->name);
	return failures == 0;
}

/* The final check: nothing left behind by the whole suite. */
static int nothing_left(const struct vstat *before)
{
	struct vstat after;

	failures = 0;
	if (fs_stats(&after) < 0) {
		printf("FAIL: FS_STAT on the root\n");
		return 0;
	}
	CHECK_EQ(after.size, before->size);
	CHECK_EQ(after.nlink, before->nlink);
	CHECK_EQ(wait_open_files(before->rdev, 2000), before->rdev);
	printf("%s: the file system is as it was (%llu bytes, %u nodes)\n",
	       failures ? "FAIL" : "pass", (unsigned long long)after.size,
	       after.nlink);
	return failures == 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	struct vstat start;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_main(argc, argv);
	printf("tmpfstest: starting (pid %d)\n", (int)valence_pid);
	if (fs_stats(&start) < 0) {
		printf("tmpfstest: FS_STAT on file:'s root failed\n");
		start.size = 0;
	}
	printf("tmpfstest: %llu of %llu bytes in use, %u nodes\n",
	       (unsigned long long)start.size,
	       (unsigned long long)start.blocks * 512, start.nlink);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct test *t = groups[g]; t->name; t++) {
			if (run(t))
				passed++;
			else
				failed++;
		}
	}
	if (nothing_left(&start))
		passed++;
	else
		failed++;
	printf("tmpfstest: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	qemu_exit(failed == 0);
	return failed ? 1 : 0;
}
