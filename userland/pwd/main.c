/*
 * pwd: prints the working directory.  There are no symbolic links in the
 * working directory yet, so -L and -P (logical or physical) are the same.
 */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "pwd [-LP]\n"
			    "  -L, -P  accepted; the same until there are "
			    "symbolic links\n";

int main(int argc, char **argv)
{
	char buf[PATH_MAX];
	int c;

	util_prog = "pwd";
	while ((c = util_getopt(argc, argv, "hLP", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
	}
	if (util_optind < argc)
		util_usage_error(usage, "too many arguments");
	if (!getcwd(buf, sizeof(buf)))
		util_die("cannot get the working directory");
	puts(buf);
	return util_finish(0);
}
