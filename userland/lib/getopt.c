/*
 * libutil: util_getopt(), POSIX option parsing (util.h).  newlib 3.3's
 * getopt() takes a lone "-" for an option and then reads past the end of
 * its option string, so the utilities use this one.
 */
#include <string.h>
#include "util.h"

char *util_optarg;
int util_optind = 1;
int util_optopt;
static int next_char; /* inside argv[util_optind], for grouped options */

int util_getopt(int argc, char *const argv[], const char *opts,
		const char *usage)
{
	const char *arg, *spec;
	int c;

	util_optarg = NULL;
	if (next_char == 0) {
		if (util_optind >= argc)
			return -1;
		arg = argv[util_optind];
		if (arg[0] != '-' || arg[1] == '\0')
			return -1; /* an operand, "-" included */
		if (strcmp(arg, "--") == 0) {
			util_optind++;
			return -1;
		}
		next_char = 1;
	}
	arg = argv[util_optind];
	c = (unsigned char)arg[next_char++];
	spec = c == ':' ? NULL : strchr(opts, c);
	if (!spec) {
		util_optopt = c;
		util_usage_error(usage, "unknown option -%c", c);
	}
	if (spec[1] != ':') {
		if (arg[next_char] == '\0') {
			next_char = 0;
			util_optind++;
		}
		return c;
	}
	/* The argument: the rest of this word, or the next word. */
	if (arg[next_char] != '\0') {
		util_optarg = (char *)arg + next_char;
		util_optind++;
	} else if (util_optind + 1 < argc) {
		util_optarg = argv[util_optind + 1];
		util_optind += 2;
	} else {
		util_optopt = c;
		util_usage_error(usage, "option -%c needs an argument", c);
	}
	next_char = 0;
	return c;
}
