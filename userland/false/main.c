/*
 * false: does nothing, unsuccessfully: the status is always 1.  Every
 * argument is ignored except a lone -h, which prints the usage (and the
 * status is still 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

int main(int argc, char **argv)
{
	util_prog = "false";
	if (argc == 2 && strcmp(argv[1], "-h") == 0) {
		printf("usage: false\n  exits with status 1\n");
		util_finish(1);
	}
	return 1;
}
