/*
 * libutil: what the utilities in userland/ share.  A utility names itself
 * once (util_prog), then reports with util_warn() and friends in the
 * usual form, "prog: path: No such file or directory" on stderr, and
 * exits with the usual statuses: 0 success, 1 failure, 2 a usage error.
 *
 * Options are parsed with util_getopt(), POSIX style: options come before
 * the operands, "--" ends them, a lone "-" is an operand (newlib 3.3's
 * getopt reads past its option string on a lone "-", so it is not used).
 */
#ifndef USERLAND_UTIL_H
#define USERLAND_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#define EXIT_USAGE 2

/* The program's name in messages; set it first thing in main. */
extern const char *util_prog;

/* ---- messages ---- */

/* "prog: <formatted>" and a newline on stderr. */
void util_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog: <formatted>: strerror(errno)" and a newline on stderr. */
void util_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* util_warn(), then exit(1). */
__attribute__((noreturn)) void util_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Prints "usage: " and `text` (the synopsis and the options, one per
 * line, ending with a newline): on stdout with exit status 0 when `status`
 * is 0 (the -h option), else on stderr.  Exits with `status`.
 */
__attribute__((noreturn)) void util_usage(const char *text, int status);

/* "prog: <formatted>" on stderr, then the usage on stderr and exit 2. */
__attribute__((noreturn)) void util_usage_error(const char *text,
						const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- options ---- */

/* What util_getopt() found: the option's argument, the next argv index,
   the option character it did not know. */
extern char *util_optarg;
extern int util_optind;
extern int util_optopt;

/*
 * The next option of argv, as POSIX getopt() with a ':' after each letter
 * that takes an argument: returns the letter, or -1 at the first operand
 * (or after "--", which it skips).  An unknown letter, or a missing
 * argument, is reported (util_usage_error with `usage`) and exits 2.
 * Start with util_optind = 1 (its initial value).
 */
int util_getopt(int argc, char *const argv[], const char *opts,
		const char *usage);

/* ---- numbers ---- */

/*
 * Parses all of `s` as a decimal integer (an optional sign, then digits)
 * in [min, max].  Returns 0, or -1 when it is not one (errno EINVAL) or
 * is out of range (ERANGE).
 */
int util_parse_long(const char *s, long long min, long long max,
		    long long *out);

/* ---- input and output ---- */

/*
 * Opens `path` for reading as a stdio stream; "-" is standard input.
 * Returns NULL with errno set (and reports nothing).
 */
FILE *util_fopen_in(const char *path);

/* Closes what util_fopen_in() opened (never stdin). */
void util_fclose_in(FILE *f);

/*
 * Reads one line (up to and including '\n', or to the end of the input)
 * into *buf, which grows as needed (*cap is its size; both may start as
 * NULL and 0).  Lines may hold NUL bytes: the length is returned, and the
 * line is NUL-terminated besides.  Returns 0 at the end of the input and
 * -1 on a read error or when memory runs out (errno set).
 */
long util_read_line(FILE *f, char **buf, size_t *cap);

/*
 * Reads all of `f` into a malloc'd buffer (*len its length; it is also
 * NUL-terminated).  Returns it, or NULL with errno set.
 */
char *util_read_all(FILE *f, size_t *len);

/* write() all of buf to fd, retrying short writes.  0 or -1 (errno). */
int util_write_all(int fd, const void *buf, size_t len);

/*
 * Flushes stdout and reports a failure ("prog: write error: ...").  To
 * be the last thing main does: returns `status`, or 1 when the output
 * could not be written.  (A write to a closed pipe raises SIGPIPE in
 * libc, which ends the program before it gets here, unless ignored.)
 */
int util_finish(int status);

/* For a failed write (errno set): reports "prog: write error: ..." and
   exits 1. */
__attribute__((noreturn)) void util_write_failed(void);

/* ---- paths ---- */

/* The last component of `path` (after the last '/' or scheme ':'), with
   trailing slashes ignored; written into out (size bytes). */
void util_basename(const char *path, char *out, size_t size);

/*
 * Joins dir and name with one '/' into a malloc'd string.  Returns NULL
 * when memory runs out (errno ENOMEM).
 */
char *util_path_join(const char *dir, const char *name);

/* ---- formatting ---- */

/* "drwxr-xr-x" and the like: 10 characters and a NUL into out. */
void util_format_mode(mode_t mode, char out[11]);

/* "regular file", "directory" ... for stat. */
const char *util_file_type(mode_t mode);

/* A time as "1970-01-01 00:00:00" (UTC: there are no time zones yet). */
void util_format_time(time_t t, char *out, size_t size);

/* ---- trees (tree.c, in UTIL_TREE_SRCS): for cp, mv and rm ---- */

/*
 * Copies src to dst: a file's bytes (into a new file with the same
 * permission bits, or over an existing one; with `force`, one that cannot
 * be opened is removed first), and with `recursive` a directory and all
 * below it, symbolic links as links.  Without `recursive` a symbolic link
 * is followed and a directory is an error.  Reports each failure; returns
 * 0, or 1 when something was not copied.
 */
int util_copy(const char *src, const char *dst, int recursive, int force);

/*
 * Removes `path`; with `recursive` a directory and all below it (else a
 * directory is EISDIR).  A missing path is no error with
 * `quiet_missing`.  Reports each failure; returns 0 or 1.
 */
int util_remove(const char *path, int recursive, int quiet_missing);

#endif
