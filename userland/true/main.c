/*
 * true: does nothing, successfully.  Every argument is ignored except a
 * lone -h, which prints the usage.
 */
#include <string.h>
#include "util.h"

int main(int argc, char **argv)
{
	util_prog = "true";
	if (argc == 2 && strcmp(argv[1], "-h") == 0)
		util_usage("true\n  exits with status 0\n", 0);
	return 0;
}
