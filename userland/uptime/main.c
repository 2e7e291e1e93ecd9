/*
 * uptime: how long the system has been up (the kernel's monotonic clock,
 * sys_clock_get), and how many processes and threads are alive
 * (sys_stats).  There is no load average yet.  -s prints only the
 * seconds since boot, with a fraction.
 */
#include <stdint.h>
#include <stdio.h>
#include <valence.h>
#include "util.h"

static const char usage[] = "uptime [-s]\n"
			    "  -s  only the seconds since boot\n";

int main(int argc, char **argv)
{
	uint64_t ns = sys_clock_get(), s = ns / 1000000000;
	struct sys_stats st;
	int seconds = 0, c;

	util_prog = "uptime";
	while ((c = util_getopt(argc, argv, "hs", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		seconds = 1;
	}
	if (util_optind < argc)
		util_usage_error(usage, "extra operand '%s'",
				 argv[util_optind]);
	if (seconds) {
		printf("%llu.%02llu\n", (unsigned long long)s,
		       (unsigned long long)(ns % 1000000000 / 10000000));
		return util_finish(0);
	}
	printf("up ");
	if (s >= 86400)
		printf("%llu day%s, ", (unsigned long long)(s / 86400),
		       s / 86400 == 1 ? "" : "s");
	printf("%llu:%02llu:%02llu", (unsigned long long)(s % 86400 / 3600),
	       (unsigned long long)(s % 3600 / 60),
	       (unsigned long long)(s % 60));
	if (sys_sys_stats(&st) == 0)
		printf(", %llu processes, %llu threads",
		       (unsigned long long)st.processes,
		       (unsigned long long)st.threads);
	putchar('\n');
	return util_finish(0);
}
