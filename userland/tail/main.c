/*
 * tail: prints the last lines (-n N, default 10) or bytes (-c N) of each
 * file or of standard input; with +N, everything from line (or byte) N
 * on, counting from 1.  -N is the old way of writing -n N.  Headers as in
 * head when there is more than one file.
 *
 * The input is read whole into memory; -f (follow) is not supported.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static const char usage[] = "tail [-n [+]LINES | -c [+]BYTES] [FILE...]\n"
			    "  -n N   the last N lines (default 10)\n"
			    "  -n +N  from line N on\n"
			    "  -c N   the last N bytes\n"
			    "  -c +N  from byte N on\n"
			    "  -N     the same as -n N\n";

#define COUNT_MAX 0x7fffffffffffffffll

struct count {
	unsigned long long n;
	int from_start; /* +N */
	int bytes;
};

static void parse_count(const char *s, struct count *c)
{
	long long n;

	c->from_start = s[0] == '+';
	if (util_parse_long(s + c->from_start, 0, COUNT_MAX, &n) < 0 ||
	    s[c->from_start] == '-' || s[c->from_start] == '+')
		util_usage_error(usage, "invalid count '%s'", s);
	c->n = (unsigned long long)n;
}

/* Where the output starts in buf[0, len). */
static size_t start_of(const char *buf, size_t len, const struct count *c)
{
	size_t pos;
	unsigned long long seen = 0;

	if (c->bytes) {
		if (c->from_start)
			return c->n <= 1 ? 0
					 : (c->n - 1 < len ? c->n - 1 : len);
		return c->n < len ? len - c->n : 0;
	}
	if (c->from_start) {
		for (pos = 0; pos < len && seen + 1 < c->n; pos++) {
			if (buf[pos] == '\n')
				seen++;
		}
		return pos;
	}
	if (c->n == 0)
		return len;
	/* Back from the end; a last line without '\n' counts as a line. */
	pos = len;
	if (pos > 0 && buf[pos - 1] == '\n')
		pos--;
	while (pos > 0) {
		if (buf[pos - 1] == '\n' && ++seen == c->n)
			return pos;
		pos--;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct count cnt = { .n = 10 };
	int status = 0, c, nfiles;

	util_prog = "tail";
	if (argc > 1 && argv[1][0] == '-' &&
	    isdigit((unsigned char)argv[1][1])) {
		parse_count(argv[1] + 1, &cnt);
		util_optind = 2;
	}
	while ((c = util_getopt(argc, argv, "c:hn:", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		parse_count(util_optarg, &cnt);
		cnt.bytes = c == 'c';
	}
	nfiles = argc - util_optind;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? argv[util_optind + i] : "-";
		FILE *f = util_fopen_in(path);
		size_t len, at;
		char *buf;

		if (!f) {
			util_warn("%s", path);
			status = 1;
			continue;
		}
		buf = util_read_all(f, &len);
		util_fclose_in(f);
		if (!buf) {
			util_warn("%s", path);
			status = 1;
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", i ? "\n" : "",
			       strcmp(path, "-") ? path : "standard input");
		at = start_of(buf, len, &cnt);
		if (fwrite(buf + at, 1, len - at, stdout) != len - at)
			util_write_failed();
		free(buf);
	}
	return util_finish(status);
}
