/*
 * serialtest: the system test of the serial driver (drivers/serial,
 * serial:) and the log server (servers/log, log:), started by init from
 * etc/services.serial (tests/system/serial_cases.py).  Some tests need
 * input on COM1: they print "serialtest: waiting for input N" once their
 * reads are parked, and the harness types the case's text for N.
 *
 * This header holds the small test framework (CHECK* record a failure and
 * go on, REQUIRE* also return; check.h) and the helpers the test files
 * share.
 */
#ifndef SERIALTEST_H
#define SERIALTEST_H

#include <stdbool.h>
#include <valence.h>
#include <valence/proto.h>

#define MS  1000000ull
#define SEC 1000000000ull

/* Handles serialtest starts with (its services line). */
#define H_QEMU_EXIT 4 /* ioport=0xf4-0xf7 */

/* The servers' limits (docs/drivers.md, docs/servers.md). */
#define SERIAL_RING_SIZE  4096
#define SERIAL_FILES_MAX  64
#define SERIAL_PARKED_MAX 64
#define LOG_FILES_MAX	  64

/* Input the harness sends for "waiting for input 4" and "5": this
   pattern, this many bytes. */
#define PATTERN_FITS 4000
#define PATTERN_OVER 5000
#define PATTERN(i)   ((char)('A' + (i) % 26))

struct st_case {
	const char *name;
	void (*fn)(void);
};

extern const struct st_case st_serial_cases[], st_log_cases[],
	st_restart_cases[];

/* ---- checks ---- */

void st_fail(const char *file, int line, const char *expr, long long got);

#define CHECK_FAIL st_fail
#include "../check.h"

/* ---- the schemes' roots (main.c) ---- */

extern handle_t st_serial; /* serial:'s root */
extern handle_t st_log;	   /* log:'s root */

/* NS_WAIT for `scheme`: its root, or -errno. */
handle_t st_lookup(const char *scheme);

/* Prints "serialtest: waiting for input N", the harness's cue. */
void st_prompt(int n);

/* ---- the file protocol (util.c) ---- */

/* fs_open's error when FS_OPEN succeeded without one VS_IFCHR handle. */
#define ST_EBADREPLY 4095

/* A call with words w0, w1 and buffers b; closes handles a reply moves. */
long fs_call(handle_t h, uint32_t op, uint64_t w0, uint64_t w1,
	     const struct ipc_buffers *b);
/* FS_OPEN of path[0, len) on root: the file's handle or -errno. */
handle_t fs_open_len(handle_t root, const void *path, size_t len,
		     uint64_t flags);
handle_t fs_open(handle_t root, const char *path, uint64_t flags);
long fs_read(handle_t f, void *buf, size_t len);
long fs_write(handle_t f, const void *buf, size_t len);
long fs_seek(handle_t f, int64_t offset, int whence);
long fs_stat(handle_t f, struct vstat *st);

/* Whether s[0, n) contains the NUL-terminated `what`. */
bool contains(const char *s, size_t n, const char *what);

/*
 * A read in a thread of its own, for reads that park: st_read_start
 * begins FS_READ of len bytes (at most READER_BUF) on f; st_read_wait
 * waits up to timeout for it and returns its status, or -ETIMEDOUT (the
 * read goes on; wait again, or close the file to end it).
 */
#define READER_BUF 128
struct reader {
	handle_t file;
	size_t len;
	char buf[READER_BUF];
	long result;
	uint32_t done; /* futex word: 1 once result is set */
	int slot;      /* its thread's stack */
};

int st_read_start(struct reader *r, handle_t f, size_t len);
long st_read_wait(struct reader *r, uint64_t timeout);

/* Whether the read has not returned yet, `settle` after starting it. */
bool st_read_parked(struct reader *r, uint64_t settle);

#endif
