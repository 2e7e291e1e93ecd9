/*
 * head: prints the first lines (-n N, default 10) or bytes (-c N) of each
 * file or of standard input.  -N is the old way of writing -n N.  With
 * more than one file, each starts with a "==> NAME <==" line, and a blank
 * line separates them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static const char usage[] = "head [-n LINES | -c BYTES] [FILE...]\n"
			    "  -n N  the first N lines (default 10)\n"
			    "  -c N  the first N bytes\n"
			    "  -N    the same as -n N\n";

#define COUNT_MAX 0x7fffffffffffffffll

static int head_one(FILE *f, long long n, int bytes)
{
	int c;

	while (n > 0 && (c = getc(f)) != EOF) {
		putchar(c);
		if (bytes || c == '\n')
			n--;
	}
	if (ferror(stdout))
		util_write_failed();
	return ferror(f) ? -1 : 0;
}

static long long parse_count(const char *s)
{
	long long n;

	if (util_parse_long(s, 0, COUNT_MAX, &n) < 0)
		util_usage_error(usage, "invalid count '%s'", s);
	return n;
}

int main(int argc, char **argv)
{
	long long n = 10;
	int bytes = 0, status = 0, c, nfiles;

	util_prog = "head";
	/* -N: an old form that getopt does not know. */
	if (argc > 1 && argv[1][0] == '-' &&
	    isdigit((unsigned char)argv[1][1])) {
		n = parse_count(argv[1] + 1);
		util_optind = 2;
	}
	while ((c = util_getopt(argc, argv, "c:hn:", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		n = parse_count(util_optarg);
		bytes = c == 'c';
	}
	nfiles = argc - util_optind;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? argv[util_optind + i] : "-";
		FILE *f = util_fopen_in(path);

		if (!f) {
			util_warn("%s", path);
			status = 1;
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", i ? "\n" : "",
			       strcmp(path, "-") ? path : "standard input");
		if (head_one(f, n, bytes) < 0) {
			util_warn("%s", path);
			status = 1;
		}
		util_fclose_in(f);
	}
	return util_finish(status);
}
