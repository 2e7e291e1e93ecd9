/*
 * sleep: waits for the sum of its operands, each a number of seconds with
 * an optional fraction (0.25) and an optional unit: s (seconds, the
 * default), m (minutes), h (hours), d (days).  The wait is the kernel's
 * sleep, to the nanosecond.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "util.h"

static const char usage[] = "sleep NUMBER[smhd]...\n"
			    "  waits NUMBER seconds (minutes, hours, days); "
			    "fractions allowed\n";

#define NS	    1000000000ull
#define MAX_SECONDS (100ull * 365 * 24 * 3600) /* a century is forever */

/* The interval `s` in nanoseconds; exits 2 when it is not one. */
static uint64_t parse_interval(const char *s)
{
	uint64_t whole = 0, frac = 0, scale = NS, unit = 1;
	const char *p = s;
	int any = 0;

	for (; isdigit((unsigned char)*p); p++, any = 1) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > MAX_SECONDS)
			whole = MAX_SECONDS;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, any = 1) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		}
	}
	if (*p && strchr("smhd", *p) && !p[1])
		unit = *p == 'm'   ? 60
		       : *p == 'h' ? 3600
		       : *p == 'd' ? 86400
				   : 1;
	else if (*p)
		any = 0;
	if (!any)
		util_usage_error(usage, "invalid time interval '%s'", s);
	if (whole * unit > MAX_SECONDS)
		return MAX_SECONDS * NS;
	return whole * unit * NS + frac * unit;
}

int main(int argc, char **argv)
{
	uint64_t total = 0;
	struct timespec ts;
	int c;

	util_prog = "sleep";
	while ((c = util_getopt(argc, argv, "h", usage)) != -1)
		util_usage(usage, 0);
	if (util_optind == argc)
		util_usage_error(usage, "missing operand");
	for (int i = util_optind; i < argc; i++) {
		total += parse_interval(argv[i]);
		if (total > MAX_SECONDS * NS)
			total = MAX_SECONDS * NS;
	}
	ts.tv_sec = (time_t)(total / NS);
	ts.tv_nsec = (long)(total % NS);
	if (nanosleep(&ts, NULL) < 0)
		util_die("cannot sleep");
	return 0;
}
