/*
 * clear: clears the terminal with ANSI escapes: cursor home (ESC [ H),
 * erase the screen (ESC [ 2 J) and the scroll-back (ESC [ 3 J).
 */
#include <stdio.h>
#include "util.h"

static const char usage[] = "clear\n"
			    "  clears the screen (ANSI/VT100 escapes)\n";

int main(int argc, char **argv)
{
	int c;

	util_prog = "clear";
	while ((c = util_getopt(argc, argv, "h", usage)) != -1)
		util_usage(usage, 0);
	if (util_optind < argc)
		util_usage_error(usage, "too many arguments");
	fputs("\033[H\033[2J\033[3J", stdout);
	return util_finish(0);
}
