/*
 * hexdump: shows the bytes of the files (one stream, one after the
 * other) or of standard input in the canonical form of "hexdump -C": the
 * offset, 16 bytes in hex in two groups of 8, and the same bytes as
 * text between bars ('.' for what is not printable ASCII), then the
 * offset at the end.  A run of lines identical to the one before is
 * shown as one "*" (-v shows them all).  -s skips bytes first (by reading
 * them), -n stops after so many.  -C is accepted: it is the only format.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static const char usage[] = "hexdump [-Cv] [-n LENGTH] [-s SKIP] [FILE...]\n"
			    "  -C         canonical hex and text (the only "
			    "format)\n"
			    "  -n LENGTH  show at most LENGTH bytes\n"
			    "  -s SKIP    skip SKIP bytes first\n"
			    "  -v         show repeated lines too\n";

#define WIDTH	  16
#define COUNT_MAX 0x7fffffffffffffffll

struct input {
	char **paths;
	int npaths, next;
	FILE *f;
	int status;
};

/* The next byte of the stream of all the files, or EOF. */
static int next_byte(struct input *in)
{
	int c;

	for (;;) {
		if (in->f) {
			c = getc(in->f);
			if (c != EOF)
				return c;
			if (ferror(in->f)) {
				util_warn("%s",
					  in->next > 0 ? in->paths[in->next - 1]
						       : "standard input");
				in->status = 1;
			}
			util_fclose_in(in->f);
			in->f = NULL;
		}
		if (in->next >= in->npaths)
			return EOF;
		in->f = util_fopen_in(in->paths[in->next++]);
		if (!in->f) {
			util_warn("%s", in->paths[in->next - 1]);
			in->status = 1;
		}
	}
}

static void print_line(unsigned long long offset, const unsigned char *b, int n)
{
	printf("%08llx", offset);
	for (int i = 0; i < WIDTH; i++) {
		if (i % 8 == 0)
			putchar(' ');
		if (i < n)
			printf(" %02x", b[i]);
		else
			fputs("   ", stdout);
	}
	fputs("  |", stdout);
	for (int i = 0; i < n; i++)
		putchar(isprint(b[i]) && b[i] < 0x80 ? b[i] : '.');
	puts("|");
	if (ferror(stdout))
		util_write_failed();
}

static long long parse_count(const char *s)
{
	long long v;

	if (util_parse_long(s, 0, COUNT_MAX, &v) < 0)
		util_usage_error(usage, "invalid count '%s'", s);
	return v;
}

int main(int argc, char **argv)
{
	static char *stdin_only[] = { "-" };
	unsigned char line[WIDTH], prev[WIDTH];
	unsigned long long offset = 0;
	long long skip = 0, length = -1;
	int all = 0, have_prev = 0, starred = 0, n, c;
	struct input in = { 0 };

	util_prog = "hexdump";
	while ((c = util_getopt(argc, argv, "Chn:s:v", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		if (c == 'n')
			length = parse_count(util_optarg);
		if (c == 's')
			skip = parse_count(util_optarg);
		all |= c == 'v';
	}
	in.paths = util_optind < argc ? argv + util_optind : stdin_only;
	in.npaths = util_optind < argc ? argc - util_optind : 1;
	for (; skip > 0 && next_byte(&in) != EOF; skip--)
		offset++;
	for (;;) {
		for (n = 0; n < WIDTH && length != 0; n++, length--) {
			c = next_byte(&in);
			if (c == EOF)
				break;
			line[n] = (unsigned char)c;
		}
		if (n == 0)
			break;
		if (!all && have_prev && n == WIDTH &&
		    memcmp(line, prev, WIDTH) == 0) {
			if (!starred)
				puts("*");
			starred = 1;
		} else {
			print_line(offset, line, n);
			starred = 0;
		}
		memcpy(prev, line, (size_t)n);
		have_prev = n == WIDTH;
		offset += (unsigned long long)n;
		if (n < WIDTH)
			break;
	}
	if (offset > 0)
		printf("%08llx\n", offset);
	return util_finish(in.status);
}
