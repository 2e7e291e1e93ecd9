/*
 * libctest: the C library's test suite, run inside Valence as a service
 * (tests/system/libc_cases.py, initfs/etc/services.libc).  Each t_*.c file
 * adds tests to the table in main.c; the checks are tests/system/user's
 * check.h, the output is newlib's stdio.
 */
#ifndef LIBCTEST_H
#define LIBCTEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fail(const char *file, int line, const char *expr, long long got);
#define CHECK_FAIL fail
#include "../check.h"

/* Checks that `call` returns -1 with errno `e`. */
#define CHECK_ERR(call, e)                                                     \
	do {                                                                   \
		errno = 0;                                                     \
		long long _r = (long long)(call);                              \
		CHECK_EQ(_r, -1);                                              \
		CHECK_EQ(errno, e);                                            \
	} while (0)

/* Checks that `call` returns NULL with errno `e`. */
#define CHECK_NULL_ERR(call, e)                                                \
	do {                                                                   \
		errno = 0;                                                     \
		CHECK((call) == NULL);                                         \
		CHECK_EQ(errno, e);                                            \
	} while (0)

/* The file the stdio tests read: "line 001\n" .. "line 100\n". */
#define LINES_PATH  "/test/libc/lines.txt"
#define LINES_COUNT 100
#define LINE_LEN    9
#define HELLO_PATH  "/test/hello.txt"
#define HELLO_TEXT  "Hello from the boot archive.\n"
#define SELF_PATH   "/bin/libctest"

struct test {
	const char *name;
	void (*fn)(void);
};

extern const struct test stdio_tests[], string_tests[], stdlib_tests[],
	malloc_tests[], errno_tests[], proc_tests[], unix_tests[],
	signal_tests[];

/* Runs this program again as `libctest child ARGS...` and waits: the
   child's wait status, or -1 when it could not be started. */
int run_child(char *const args[], char *const envp[]);

/* The child side: argv[1] is "child", argv[2] what to do. */
int child_main(int argc, char **argv);

#endif
