/*
 * uname: prints what system this is.  The release is the version the
 * kernel reports at boot ("Valence <version>"): `git describe` of the
 * tree it was built from, which the build puts in util_config.h
 * (userland/lib/lib.mk) for uname as it puts it in the kernel.  There is
 * no host name yet, so the node name is "valence".
 */
#include <stdio.h>
#include "util.h"
#include "util_config.h"

static const char usage[] = "uname [-amnrsv]\n"
			    "  -s  the system name (the default)\n"
			    "  -n  the node name\n"
			    "  -r  the release\n"
			    "  -v  the version\n"
			    "  -m  the machine\n"
			    "  -a  all of them, in that order\n";

enum {
	SYSNAME,
	NODENAME,
	RELEASE,
	VERSION,
	MACHINE,
	NFIELDS
};

static const char *const fields[NFIELDS] = {
	[SYSNAME] = "Valence",	     [NODENAME] = "valence",
	[RELEASE] = VALENCE_VERSION, [VERSION] = "Valence " VALENCE_VERSION,
	[MACHINE] = "x86_64",
};

int main(int argc, char **argv)
{
	static const char letters[] = "snrvm";
	int show[NFIELDS] = { 0 }, any = 0, first = 1, c;

	util_prog = "uname";
	while ((c = util_getopt(argc, argv, "ahmnrsv", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		for (int i = 0; i < NFIELDS; i++)
			show[i] |= c == 'a' || c == letters[i];
		any = 1;
	}
	if (util_optind < argc)
		util_usage_error(usage, "extra operand '%s'",
				 argv[util_optind]);
	if (!any)
		show[SYSNAME] = 1;
	for (int i = 0; i < NFIELDS; i++) {
		if (!show[i])
			continue;
		printf("%s%s", first ? "" : " ", fields[i]);
		first = 0;
	}
	putchar('\n');
	return util_finish(0);
}
