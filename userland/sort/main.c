/*
 * sort: sorts the lines of all the files (or of standard input) together
 * and prints them.  Lines compare byte by byte (the C locale); -n
 * compares the numbers at their starts instead (an optional '-', digits,
 * an optional fraction; a line without one counts as 0), exactly, with
 * no limit on the digits, and lines whose numbers are equal then compare
 * byte by byte.  -r reverses the order; -u prints only the first of the
 * lines that compare equal (by number with -n), the first in the input.
 * The sort is stable.
 * A last line without a newline gets one.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static const char usage[] = "sort [-nru] [FILE...]\n"
			    "  -n  compare the numbers at the starts of the "
			    "lines\n"
			    "  -r  reverse the order\n"
			    "  -u  only the first of equal lines\n";

struct line {
	const char *s;
	size_t len; /* without the '\n' */
};

static int numeric, reverse, unique;

/* A number at the start of a line: its sign and its digits. */
struct number {
	int negative;
	const char *ip; /* integer digits, leading zeros skipped */
	size_t ilen;
	const char *fp; /* fraction digits, trailing zeros dropped */
	size_t flen;
};

static void parse_number(const struct line *l, struct number *n)
{
	const char *s = l->s, *end = l->s + l->len;

	memset(n, 0, sizeof(*n));
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s < end && *s == '-') {
		n->negative = 1;
		s++;
	}
	while (s < end && *s == '0')
		s++;
	n->ip = s;
	while (s < end && isdigit((unsigned char)*s))
		s++;
	n->ilen = (size_t)(s - n->ip);
	if (s < end && *s == '.') {
		n->fp = ++s;
		while (s < end && isdigit((unsigned char)*s))
			s++;
		n->flen = (size_t)(s - n->fp);
		while (n->flen && n->fp[n->flen - 1] == '0')
			n->flen--;
	}
	if (n->ilen == 0 && n->flen == 0)
		n->negative = 0; /* -0 is 0 */
}

/* Compares two magnitudes. */
static int compare_magnitude(const struct number *a, const struct number *b)
{
	size_t i;
	int r;

	if (a->ilen != b->ilen)
		return a->ilen < b->ilen ? -1 : 1;
	r = memcmp(a->ip, b->ip, a->ilen);
	if (r)
		return r;
	for (i = 0; i < a->flen && i < b->flen; i++) {
		if (a->fp[i] != b->fp[i])
			return a->fp[i] < b->fp[i] ? -1 : 1;
	}
	return a->flen == b->flen ? 0 : (a->flen < b->flen ? -1 : 1);
}

static int compare_numbers(const struct line *a, const struct line *b)
{
	struct number x, y;
	int r;

	parse_number(a, &x);
	parse_number(b, &y);
	if (x.negative != y.negative)
		return x.negative ? -1 : 1;
	r = compare_magnitude(&x, &y);
	return x.negative ? -r : r;
}

static int compare_bytes(const struct line *a, const struct line *b)
{
	int r = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	if (r)
		return r;
	return a->len == b->len ? 0 : (a->len < b->len ? -1 : 1);
}

/* The key comparison: what -u calls equal. */
static int compare_key(const struct line *a, const struct line *b)
{
	return numeric ? compare_numbers(a, b) : compare_bytes(a, b);
}

/* The order of the output: the key, then (for -n without -u) the bytes,
   reversed with -r.  With -u, equal keys keep the input's order, so the
   line printed is the first of them in the input. */
static int compare_order(const struct line *a, const struct line *b)
{
	int r = compare_key(a, b);

	if (r == 0 && numeric && !unique)
		r = compare_bytes(a, b);
	return reverse ? -r : r;
}

/* A stable merge sort of v[0, n), with tmp as room for n lines. */
static void merge_sort(struct line *v, struct line *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(v, tmp, mid);
	merge_sort(v + mid, tmp, n - mid);
	while (i < mid && j < n)
		tmp[k++] = compare_order(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static struct line *lines;
static size_t nlines, cap;

/* Splits buf[0, len) into lines, added to the array. */
static void add_lines(const char *buf, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i == len && start == len)
			break; /* no partial last line */
		if (nlines == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct line *n = realloc(lines, ncap * sizeof(*n));

			if (!n)
				util_die("out of memory");
			lines = n;
			cap = ncap;
		}
		lines[nlines].s = buf + start;
		lines[nlines].len = i - start;
		nlines++;
		start = i + 1;
	}
}

int main(int argc, char **argv)
{
	int status = 0, c, nfiles;
	struct line *tmp;

	util_prog = "sort";
	while ((c = util_getopt(argc, argv, "hnru", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		numeric |= c == 'n';
		reverse |= c == 'r';
		unique |= c == 'u';
	}
	nfiles = argc - util_optind;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? argv[util_optind + i] : "-";
		FILE *f = util_fopen_in(path);
		size_t len;
		char *buf = f ? util_read_all(f, &len) : NULL;

		util_fclose_in(f);
		if (!buf) {
			util_warn("%s", path);
			status = 1;
			continue;
		}
		add_lines(buf, len); /* the lines point into buf: kept */
	}
	tmp = malloc((nlines ? nlines : 1) * sizeof(*tmp));
	if (!tmp)
		util_die("out of memory");
	merge_sort(lines, tmp, nlines);
	for (size_t i = 0; i < nlines; i++) {
		if (unique && i > 0 &&
		    compare_key(&lines[i - 1], &lines[i]) == 0)
			continue;
		fwrite(lines[i].s, 1, lines[i].len, stdout);
		putchar('\n');
		if (ferror(stdout))
			util_write_failed();
	}
	return util_finish(status);
}
