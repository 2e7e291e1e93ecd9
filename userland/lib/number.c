/* libutil: numbers (util.h). */
#include <errno.h>
#include <stdlib.h>
#include "util.h"

int util_parse_long(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s ||
	    !(s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9'))) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}
