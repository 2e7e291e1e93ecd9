/*
 * seq: prints the numbers from FIRST (default 1) to LAST, INCR (default 1)
 * apart, one per line (-s: separated by SEP instead, with a newline at
 * the end).  -w pads them with zeros to the same width.
 *
 * Numbers are decimal and may have a fraction (0.5, -1.25): they are
 * kept as integers scaled by the most fraction digits of the arguments
 * (at most 9), so "seq 0 0.1 1" prints exactly 11 numbers.  A negative
 * number is an operand, not an option.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static const char usage[] = "seq [-w] [-s SEP] [FIRST [INCR]] LAST\n"
			    "  -s SEP  separate the numbers with SEP (default: "
			    "newline)\n"
			    "  -w      pad with zeros to the same width\n";

#define MAX_SCALE 9
#define LIMIT	  1000000000000000000ll /* |value| * 10^scale below this */

struct decimal {
	long long units; /* the value times 10^digits */
	int digits;	 /* fraction digits written */
};

static void parse(const char *s, struct decimal *d)
{
	const char *p = s;
	int negative = 0, any = 0;

	d->units = 0;
	d->digits = 0;
	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	for (; isdigit((unsigned char)*p); p++, any = 1) {
		if (d->units > LIMIT / 10)
			util_usage_error(usage, "'%s' is too large", s);
		d->units = d->units * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, any = 1) {
			if (d->digits == MAX_SCALE || d->units > LIMIT / 10)
				util_usage_error(usage,
						 "'%s' has too many "
						 "digits",
						 s);
			d->units = d->units * 10 + (*p - '0');
			d->digits++;
		}
	}
	if (!any || *p)
		util_usage_error(usage, "invalid number '%s'", s);
	if (negative)
		d->units = -d->units;
}

/* d's value times 10^scale (scale >= d->digits). */
static long long scaled(const struct decimal *d, int scale, const char *s)
{
	long long v = d->units;

	for (int i = d->digits; i < scale; i++) {
		if (v > LIMIT / 10 || v < -LIMIT / 10)
			util_usage_error(usage, "'%s' is too large", s);
		v *= 10;
	}
	return v;
}

/* Formats v (times 10^scale) into out, padded with zeros to width. */
static int format(char *out, size_t size, long long v, int scale, int width)
{
	unsigned long long mag =
		v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	unsigned long long pow = 1;
	char digits[48];
	int n, pad;

	for (int i = 0; i < scale; i++)
		pow *= 10;
	if (scale)
		n = snprintf(digits, sizeof(digits), "%llu.%0*llu", mag / pow,
			     scale, mag % pow);
	else
		n = snprintf(digits, sizeof(digits), "%llu", mag);
	pad = width - n - (v < 0);
	if (pad < 0)
		pad = 0;
	return snprintf(out, size, "%s%.*s%s", v < 0 ? "-" : "", pad,
			"000000000000000000000000000000000000000000", digits);
}

int main(int argc, char **argv)
{
	const char *sep = "\n", *ops[3];
	struct decimal d[3] = { { 1, 0 }, { 1, 0 }, { 0, 0 } };
	long long first, incr, last, count = 0;
	int i = 1, equal = 0, scale = 0, width = 0, nops;
	char buf[64];

	util_prog = "seq";
	for (; i < argc && argv[i][0] == '-' && argv[i][1] &&
	       !isdigit((unsigned char)argv[i][1]) && argv[i][1] != '.';
	     i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-h") == 0)
			util_usage(usage, 0);
		if (strcmp(argv[i], "-w") == 0) {
			equal = 1;
		} else if (strncmp(argv[i], "-s", 2) == 0) {
			sep = argv[i][2] ? argv[i] + 2 : argv[++i];
			if (!sep)
				util_usage_error(usage,
						 "option -s needs an argument");
		} else {
			util_usage_error(usage, "unknown option %s", argv[i]);
		}
	}
	nops = argc - i;
	if (nops < 1 || nops > 3)
		util_usage_error(usage,
				 nops ? "too many arguments" : "missing LAST");
	for (int k = 0; k < nops; k++)
		ops[k] = argv[i + k];
	/* 1 operand: LAST; 2: FIRST LAST; 3: FIRST INCR LAST. */
	parse(ops[nops - 1], &d[2]);
	if (nops > 1)
		parse(ops[0], &d[0]);
	if (nops == 3)
		parse(ops[1], &d[1]);
	for (int k = 0; k < 3; k++)
		scale = d[k].digits > scale ? d[k].digits : scale;
	first = scaled(&d[0], scale, ops[0]);
	incr = scaled(&d[1], scale, nops == 3 ? ops[1] : "1");
	last = scaled(&d[2], scale, ops[nops - 1]);
	if (incr == 0)
		util_usage_error(usage, "the increment must not be 0");
	if (equal) {
		int a = format(buf, sizeof(buf), first, scale, 0);
		int b = format(buf, sizeof(buf), last, scale, 0);

		width = a > b ? a : b;
	}
	for (long long v = first; incr > 0 ? v <= last : v >= last;) {
		format(buf, sizeof(buf), v, scale, width);
		printf("%s%s", count++ ? sep : "", buf);
		if (ferror(stdout))
			util_write_failed();
		if ((incr > 0 && v > LIMIT - incr) ||
		    (incr < 0 && v < -LIMIT - incr))
			break;
		v += incr;
	}
	if (count)
		putchar('\n');
	return util_finish(0);
}
