/*
 * libutil: dates (util.h), a file of its own because strftime() brings
 * newlib's time-zone code, which most utilities do not need.
 */
#include <stdio.h>
#include "util.h"

void util_format_time(time_t t, char *out, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, size, "%lld", (long long)t);
}
