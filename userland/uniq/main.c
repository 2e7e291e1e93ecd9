/*
 * uniq: copies its input (a file, or standard input) to its output (a
 * file, or standard output), writing one line for each run of identical
 * adjacent lines.  -c puts the run's length before each line, -d prints
 * only the lines that repeat, -u only those that do not.  A last line
 * without a newline compares and prints as if it had one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static const char usage[] = "uniq [-cdu] [INPUT [OUTPUT]]\n"
			    "  -c  put the number of repeats before each "
			    "line\n"
			    "  -d  only the lines that repeat\n"
			    "  -u  only the lines that do not repeat\n";

struct options {
	int count, repeated, unique;
};

static void emit(FILE *out, const char *line, size_t len, unsigned long n,
		 const struct options *o)
{
	if ((o->repeated && n < 2) || (o->unique && n > 1))
		return;
	if (o->count)
		fprintf(out, "%7lu ", n);
	fwrite(line, 1, len, out);
	fputc('\n', out);
	if (ferror(out))
		util_write_failed();
}

/* Strips the '\n'; returns the length. */
static size_t chomp(char *line, long n)
{
	size_t len = (size_t)n;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	return len;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	char *prev = NULL, *cur = NULL, *swap;
	size_t prev_cap = 0, cur_cap = 0, prev_len = 0, cur_len, cap_swap;
	unsigned long run = 0;
	const char *in_path = "-";
	FILE *in, *out = stdout;
	long n;
	int c;

	util_prog = "uniq";
	while ((c = util_getopt(argc, argv, "cdhu", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		o.count |= c == 'c';
		o.repeated |= c == 'd';
		o.unique |= c == 'u';
	}
	if (argc - util_optind > 2)
		util_usage_error(usage, "too many arguments");
	if (util_optind < argc)
		in_path = argv[util_optind];
	in = util_fopen_in(in_path);
	if (!in)
		util_die("%s", in_path);
	if (util_optind + 1 < argc && strcmp(argv[util_optind + 1], "-")) {
		out = fopen(argv[util_optind + 1], "w");
		if (!out)
			util_die("%s", argv[util_optind + 1]);
	}
	while ((n = util_read_line(in, &cur, &cur_cap)) > 0) {
		cur_len = chomp(cur, n);
		if (run > 0 && cur_len == prev_len &&
		    memcmp(cur, prev, cur_len) == 0) {
			run++;
			continue;
		}
		if (run > 0)
			emit(out, prev, prev_len, run, &o);
		swap = prev;
		prev = cur;
		cur = swap;
		cap_swap = prev_cap;
		prev_cap = cur_cap;
		cur_cap = cap_swap;
		prev_len = cur_len;
		run = 1;
	}
	if (n < 0)
		util_die("%s", in_path);
	if (run > 0)
		emit(out, prev, prev_len, run, &o);
	util_fclose_in(in);
	if (out != stdout && fclose(out) == EOF)
		util_die("%s", argv[util_optind + 1]);
	return util_finish(0);
}
