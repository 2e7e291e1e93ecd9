/*
 * date: prints the date and time, or with +FORMAT formatted by
 * strftime().  There is no wall clock yet (no RTC driver): the time is
 * gettimeofday(), which counts from boot, so the date is 1 January 1970
 * plus the time since boot.  Always UTC (-u is accepted).  -r FILE shows
 * the file's modification time instead.  The date cannot be set.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include "util.h"

static const char usage[] = "date [-u] [-r FILE] [+FORMAT]\n"
			    "  -u       UTC (always so)\n"
			    "  -r FILE  the modification time of FILE\n"
			    "  +FORMAT  as strftime(3), default "
			    "'+%a %b %e %H:%M:%S UTC %Y'\n";

int main(int argc, char **argv)
{
	const char *format = "%a %b %e %H:%M:%S UTC %Y", *file = NULL;
	char out[1024];
	struct timeval tv;
	struct tm tm;
	time_t t;
	int c;

	util_prog = "date";
	while ((c = util_getopt(argc, argv, "hr:u", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		if (c == 'r')
			file = util_optarg;
	}
	if (util_optind < argc) {
		if (argv[util_optind][0] != '+')
			util_usage_error(usage, "cannot set the date");
		if (util_optind + 1 < argc)
			util_usage_error(usage, "extra operand '%s'",
					 argv[util_optind + 1]);
		format = argv[util_optind] + 1;
	}
	if (file) {
		struct stat st;

		if (stat(file, &st) < 0)
			util_die("%s", file);
		t = st.st_mtime;
	} else {
		if (gettimeofday(&tv, NULL) < 0)
			util_die("gettimeofday");
		t = tv.tv_sec;
	}
	if (!gmtime_r(&t, &tm))
		util_die("the time %lld", (long long)t);
	out[0] = '\0';
	if (strftime(out, sizeof(out), format, &tm) == 0 && *format)
		util_usage_error(usage, "format too long");
	puts(out);
	return util_finish(0);
}
