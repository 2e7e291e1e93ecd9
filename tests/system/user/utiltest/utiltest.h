/*
 * utiltest: the system test of the utilities in userland/, run inside
 * Valence as a service (tests/system/utils_cases.py,
 * initfs/etc/services.utils).
 *
 * Each utility runs as a child (vspawn_with) whose standard input, output
 * and error are connections to a port this program serves itself, in a
 * thread of its own: FS_READ gives the bytes of a prepared input, FS_WRITE
 * appends to a capture buffer for stdout or stderr, FS_STAT says FIFO (or
 * character device, for the tests of terminal behaviour).  A test then
 * checks the exact output, error output and exit status.  The t_*.c files
 * add tests to the table in main.c.
 */
#ifndef UTILTEST_H
#define UTILTEST_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fail(const char *file, int line, const char *expr, long long got);
#define CHECK_FAIL fail
#include "../check.h"

/* What a run of a utility gave. */
struct result {
	int status;	 /* the exit status; 128 + signal; -1: did not run */
	int signaled;	 /* ended by a signal (a fault) */
	const char *out; /* standard output (valid until the next run) */
	size_t out_len;
	const char *err; /* standard error */
	size_t err_len;
	int overflow; /* more output than the capture holds */
};

/* How to run it. */
struct run_opts {
	const char *input; /* standard input (NULL: empty) */
	size_t input_len;  /* (SIZE_MAX: strlen(input)) */
	size_t chunk;	   /* at most this many bytes per read (0: any) */
	int tty;	   /* stdin/out/err say "character device" */
	size_t out_limit;  /* writes past this many bytes get EPIPE (0: no
			      limit) */
	char *const *envp; /* the environment (NULL: PATH=/bin HOME=/) */
};

/*
 * Runs /bin/<argv[0]> with argv and `o` (may be NULL) and waits for it
 * (at most RUN_TIMEOUT).  Returns 0 with *r filled, or -1 (and a FAIL
 * noted) when it could not be started or did not end.
 */
int run_opts(struct result *r, const struct run_opts *o, char *const argv[]);

/*
 * Starts /bin/<argv[0]> with this program's captures as its standard
 * handles and returns at once: its process handle (*pid its pid), or -1
 * (a FAIL noted).  end_child() waits for it (killing it first if
 * kill_it) and returns its wait status, or -1 when it did not end.
 */
int start_child(char *const argv[], int *pid);
int end_child(int proc, int kill_it);

/* run_opts with only an input (a string, or NULL). */
int run_in(struct result *r, const char *input, char *const argv[]);

#define RUN(r, input, ...)  run_in(r, input, (char *[]){ __VA_ARGS__, NULL })
#define RUN_OPTS(r, o, ...) run_opts(r, o, (char *[]){ __VA_ARGS__, NULL })

/* Checks of a result.  Each notes a failure (with the text it got). */
void check_run(const char *file, int line, const struct result *r, int status,
	       const char *out, size_t out_len, const char *err);
void check_has(const char *file, int line, const char *what, const char *text,
	       size_t len, const char *part);
void check_prefix(const char *file, int line, const char *what,
		  const char *text, size_t len, const char *prefix);

/* The run ended with `status`, printed exactly `out` and nothing on
   stderr. */
#define CHECK_OK_OUT(r, status, out)                                           \
	check_run(__FILE__, __LINE__, r, status, out, strlen(out), "")
/* As CHECK_OK_OUT with `len` bytes of output. */
#define CHECK_OUT_LEN(r, status, out, len)                                     \
	check_run(__FILE__, __LINE__, r, status, out, len, "")
/* The run ended with `status`, printed exactly `out` and `err`. */
#define CHECK_RUN(r, status, out, err)                                         \
	check_run(__FILE__, __LINE__, r, status, out, strlen(out), err)
/* The run ended with `status` and said exactly `err` on stderr, whatever
   it printed on stdout. */
#define CHECK_FAILS(r, status, err)                                            \
	check_run(__FILE__, __LINE__, r, status, NULL, 0, err)
/* A usage error: status 2, nothing on stdout, "prog: <msg>\nusage: ..." */
#define CHECK_USAGE(r, prog, msg)                                              \
	do {                                                                   \
		check_run(__FILE__, __LINE__, r, 2, "", 0, NULL);              \
		check_prefix(__FILE__, __LINE__, "stderr", (r)->err,           \
			     (r)->err_len, prog ": " msg "\nusage: " prog);    \
	} while (0)
/* -h: status 0, the usage on stdout, nothing on stderr. */
#define CHECK_HELP(r, prog)                                                    \
	do {                                                                   \
		check_run(__FILE__, __LINE__, r, 0, NULL, 0, "");              \
		check_prefix(__FILE__, __LINE__, "stdout", (r)->out,           \
			     (r)->out_len, "usage: " prog);                    \
	} while (0)
#define CHECK_OUT_HAS(r, part)                                                 \
	check_has(__FILE__, __LINE__, "stdout", (r)->out, (r)->out_len, part)
#define CHECK_ERR_HAS(r, part)                                                 \
	check_has(__FILE__, __LINE__, "stderr", (r)->err, (r)->err_len, part)

/* Reads a file of the boot archive whole (NUL-terminated; *len its
   length).  NULL when it cannot (a FAIL is noted). */
char *read_file(const char *path, size_t *len);

/* The "seq 1 n" text, made here: "1\n2\n...n\n" (malloc'd). */
char *numbers(int n);

/* The directory the tests that change files may use, or NULL (they are
   then skipped). */
extern const char *writable_dir;

/* Marks the running test skipped: "skipped: NAME: why" is printed, and
   it counts neither as passed nor as failed. */
void skip(const char *why);

#define HELLO_PATH "/test/hello.txt"
#define HELLO_TEXT "Hello from the boot archive.\n"
#define LINES_PATH "/test/libc/lines.txt" /* "line 001\n" .. "line 100\n" */
#define DATA	   "/test/utils/"

struct test {
	const char *name;
	void (*fn)(void);
};

extern const struct test text_tests[], sys_tests[], file_tests[],
	change_tests[];

#endif
