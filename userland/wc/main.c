/*
 * wc: counts the lines, words and bytes of each file (or of standard
 * input) and prints them in that order, then the name; with more than
 * one file, a "total" line.  -l, -w and -c (and -m, the same as -c: there
 * are no multi-byte characters) pick the counts to print.
 *
 * The columns are as wide as the largest count printed, one space apart,
 * so a single count of standard input is just the number.  A word is a
 * run of characters other than white space (isspace in the C locale).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include "util.h"

static const char usage[] = "wc [-clmw] [FILE...]\n"
			    "  -l  lines\n"
			    "  -w  words\n"
			    "  -c  bytes\n"
			    "  -m  characters (bytes: there are no multi-byte "
			    "characters)\n";

enum {
	LINES,
	WORDS,
	BYTES,
	NCOUNTS
};

struct result {
	unsigned long long n[NCOUNTS];
	const char *name; /* NULL: standard input without a name */
	int failed;
};

static int count(FILE *f, struct result *r)
{
	char buf[4096];
	int in_word = 0;
	size_t got;

	while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
		r->n[BYTES] += got;
		for (size_t i = 0; i < got; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c == '\n')
				r->n[LINES]++;
			if (isspace(c)) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				r->n[WORDS]++;
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

static int digits(unsigned long long v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

static void print(const struct result *r, const int *show, int width)
{
	int first = 1;

	for (int k = 0; k < NCOUNTS; k++) {
		if (!show[k])
			continue;
		printf("%s%*llu", first ? "" : " ", width, r->n[k]);
		first = 0;
	}
	if (r->name)
		printf(" %s", r->name);
	putchar('\n');
}

int main(int argc, char **argv)
{
	int show[NCOUNTS] = { 0 }, any = 0, status = 0, width = 1, c, nres;
	struct result *res, total = { .name = "total" };

	util_prog = "wc";
	while ((c = util_getopt(argc, argv, "chlmw", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		show[c == 'l' ? LINES : c == 'w' ? WORDS : BYTES] = 1;
		any = 1;
	}
	if (!any)
		show[LINES] = show[WORDS] = show[BYTES] = 1;
	nres = argc - util_optind;
	res = calloc((size_t)(nres ? nres : 1), sizeof(*res));
	if (!res)
		util_die("out of memory");
	for (int i = 0; i < (nres ? nres : 1); i++) {
		const char *path = nres ? argv[util_optind + i] : "-";
		FILE *f = util_fopen_in(path);

		res[i].name = nres ? path : NULL;
		if (!f || count(f, &res[i]) < 0) {
			util_warn("%s", path);
			res[i].failed = 1;
			status = 1;
		}
		util_fclose_in(f);
		for (int k = 0; k < NCOUNTS; k++)
			total.n[k] += res[i].n[k];
	}
	for (int k = 0; k < NCOUNTS; k++) {
		if (show[k] && digits(total.n[k]) > width)
			width = digits(total.n[k]);
	}
	for (int i = 0; i < (nres ? nres : 1); i++) {
		if (!res[i].failed)
			print(&res[i], show, width);
	}
	if (nres > 1)
		print(&total, show, width);
	return util_finish(status);
}
