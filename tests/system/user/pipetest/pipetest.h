/*
 * pipetest: the system test of the pipe server and of libc's pipe, dup
 * and fcntl, run inside Valence as a service (tests/system/pipe_cases.py,
 * initfs/etc/services.pipe).  Each t_*.c file adds tests to the table in
 * main.c; the checks are tests/system/user's check.h, the output is
 * newlib's stdio.  Run as `pipetest child MODE ...` it is the child
 * process some tests need (child.c).
 */
#ifndef PIPETEST_H
#define PIPETEST_H

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valence.h>

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

#define SELF_PATH  "/bin/pipetest"
#define MS	   1000000ull  /* ns */
#define PIPE_CAP   (64 * 1024) /* the server's capacity per pipe */
#define ATOMIC_MAX 4096	       /* writes up to this size are whole */
#define PER_PROC   64	       /* pipes one process may have */
#define ALL_PIPES  128	       /* pipes the server holds at most */

struct test {
	const char *name;
	void (*fn)(void);
};

extern const struct test data_tests[], block_tests[], fd_tests[], fork_tests[],
	life_tests[];

/* ---- util.c ---- */

/* A thread of this process running fn(arg) on a stack of its own. */
struct thread {
	volatile uint32_t done; /* set when fn has returned */
	handle_t handle;
	void (*fn)(void *);
	void *arg;
	int slot;
};

/* Starts t running fn(arg); 0 or -errno.  At most 4 at once. */
int thread_start(struct thread *t, void (*fn)(void *), void *arg);

/* Waits up to timeout_ns for t to end; 0 or -ETIMEDOUT. */
int thread_join(struct thread *t, uint64_t timeout_ns);

/*
 * Starts `pipetest child MODE ARG` with fds[0..2] as its standard input,
 * output and error (-1: this process's own).  Returns the process handle
 * or -1 with errno.
 */
int child_start(const char *mode, const char *arg, int in, int out);

/* Waits for a child; its wait status, or -1. */
int child_wait(int proc);

/* Reads from fd until `len` bytes or the end; the count, or -1. */
long read_full(int fd, void *buf, size_t len);

/* Milliseconds on the monotonic clock. */
uint64_t now_ms(void);

/* Kernel objects alive once the numbers settle (the server's CLOSEs). */
uint64_t objects_settled(uint64_t want);

/* ---- child.c ---- */

int child_main(int argc, char **argv);

#endif
