/*
 * cat: copies files (or standard input, "-") to standard output, in
 * order.  -n numbers the output lines.  A file that cannot be read is
 * reported and skipped; the status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "cat [-nu] [FILE...]\n"
			    "  -n  number the output lines\n"
			    "  -u  unbuffered (always so)\n"
			    "  FILE '-' or none: standard input\n";

#define BLOCK 4096

/* Copies fd to standard output as it is.  0, or -1 on a read error. */
static int copy_raw(int fd)
{
	static char buf[BLOCK];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0)
			return -1;
		if (util_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
			util_write_failed();
	}
	return 0;
}

/* Copies f to standard output with line numbers; *line carries on
   across files, as does whether the next byte starts a line. */
static int copy_numbered(FILE *f, unsigned long *line, int *at_start)
{
	int c;

	while ((c = getc(f)) != EOF) {
		if (*at_start)
			printf("%6lu\t", ++*line);
		putchar(c);
		*at_start = c == '\n';
	}
	if (ferror(stdout))
		util_write_failed();
	return ferror(f) ? -1 : 0;
}

static int cat_one(const char *path, int number, unsigned long *line,
		   int *at_start)
{
	FILE *f = util_fopen_in(path);
	int r;

	if (!f) {
		util_warn("%s", path);
		return 1;
	}
	r = number ? copy_numbered(f, line, at_start) : copy_raw(fileno(f));
	if (r < 0)
		util_warn("%s", path);
	util_fclose_in(f);
	return r < 0;
}

int main(int argc, char **argv)
{
	unsigned long line = 0;
	int number = 0, at_start = 1, status = 0, c;

	util_prog = "cat";
	while ((c = util_getopt(argc, argv, "hnu", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		if (c == 'n')
			number = 1;
	}
	if (util_optind == argc)
		status |= cat_one("-", number, &line, &at_start);
	for (int i = util_optind; i < argc; i++)
		status |= cat_one(argv[i], number, &line, &at_start);
	return util_finish(status);
}
