/*
 * tmpfstest: the system test of the tmpfs server, run inside Valence as
 * a service (tests/system/tmpfs_cases.py, initfs/etc/services.tmpfs),
 * through the POSIX calls of libc and, in t_proto.c, the raw protocol.
 * Each t_*.c file adds tests to the table in main.c; each test works in
 * a directory of its own under /t, which the runner removes after it.
 */
#ifndef TMPFSTEST_H
#define TMPFSTEST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

#define HELLO_PATH "/test/hello.txt"
#define HELLO_TEXT "Hello from the boot archive.\n"
#define SELF_PATH  "/bin/tmpfstest"

/* The directory every test works in (made empty before each test). */
#define T "/t"

struct test {
	const char *name;
	void (*fn)(void);
};

extern const struct test file_tests[], dir_tests[], link_tests[],
	attr_tests[], limit_tests[], proto_tests[];

/* ---- util.c ---- */

/* The file system's statistics: FS_STAT on the root of file: (size:
   bytes in use, blocks: the cap / 512, nlink: nodes, rdev: open files). */
int fs_stats(struct vstat *st);
uint64_t fs_used(void);
uint64_t fs_cap(void);
uint32_t fs_open_files(void);

/* Writes n bytes of s to a new file at path (mode 0644): 0 or -1. */
int put_file(const char *path, const void *s, size_t n);

/* Reads the file at path into buf (at most size bytes): bytes or -1. */
long get_file(const char *path, void *buf, size_t size);

/* Reads n bytes at offset off of fd (lseek, then read): bytes or -1. */
long read_at(int fd, void *buf, size_t n, long off);

/* Removes path and everything under it (without following links). */
int remove_tree(const char *path);

/* Byte i of the test pattern `seed`. */
static inline uint8_t pattern(uint32_t seed, uint64_t i)
{
	uint64_t x = (i + seed) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)(x >> 56);
}

/* A small PRNG (xorshift64*), for the fuzz and stress tests. */
uint64_t rnd(uint64_t *state);

/* Runs this program as `tmpfstest child ARGS...`: the process handle
   (for vwait, sys_proc_kill), or -1. */
int spawn_child(char *const args[]);

/* The child side: argv[1] is "child", argv[2] what to do. */
int child_main(int argc, char **argv);

/* Waits up to timeout_ms for fs_open_files() to be `want`: its value. */
uint32_t wait_open_files(uint32_t want, int timeout_ms);

#endif
