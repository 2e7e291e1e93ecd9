/*
 * libutil: messages, usage and the end of a program (util.h).  Every
 * utility links this file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

const char *util_prog = "?";

/* ---- messages ---- */

static void vwarn(int with_errno, const char *fmt, va_list ap)
{
	int e = errno;

	fflush(stdout); /* keep the order of what both streams say */
	fprintf(stderr, "%s: ", util_prog);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
	errno = e;
}

void util_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, fmt, ap);
	va_end(ap);
}

void util_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(1, fmt, ap);
	va_end(ap);
}

void util_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(1, fmt, ap);
	va_end(ap);
	exit(1);
}

void util_usage(const char *text, int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "usage: %s", text);
	if (status == 0)
		exit(util_finish(0));
	exit(status);
}

void util_usage_error(const char *text, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, fmt, ap);
	va_end(ap);
	util_usage(text, EXIT_USAGE);
}

void util_write_failed(void)
{
	/* On EPIPE libc has raised SIGPIPE, which ends the program unless
	   it is ignored or handled: then this is an error like the others. */
	util_warn("write error");
	exit(1);
}

int util_finish(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == 0)
			errno = EIO;
		util_write_failed();
	}
	return status;
}
