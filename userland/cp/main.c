/*
 * cp: copies SOURCE to DEST, or each SOURCE into the directory DIR (as
 * DIR/<its last name>).  -r (or -R) copies directories and all below
 * them, symbolic links as links; -f removes a destination that cannot be
 * opened and tries again.  The copy gets the source's permission bits;
 * owner and times are not kept (no -p yet).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util.h"

static const char usage[] = "cp [-fRr] SOURCE DEST\n"
			    "       cp [-fRr] SOURCE... DIR\n"
			    "  -f      replace destinations that cannot be "
			    "opened\n"
			    "  -r, -R  copy directories recursively\n";

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv)
{
	int recursive = 0, force = 0, status = 0, c, n;
	const char *dest;

	util_prog = "cp";
	while ((c = util_getopt(argc, argv, "fhRr", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		force |= c == 'f';
		recursive |= c == 'r' || c == 'R';
	}
	n = argc - util_optind;
	if (n < 2)
		util_usage_error(usage, n ? "missing destination"
					  : "missing operands");
	dest = argv[argc - 1];
	if (n == 2 && !is_dir(dest))
		return util_copy(argv[util_optind], dest, recursive, force);
	if (!is_dir(dest)) {
		errno = ENOTDIR;
		util_die("%s", dest);
	}
	for (int i = util_optind; i < argc - 1; i++) {
		char name[256], *target;

		util_basename(argv[i], name, sizeof(name));
		target = util_path_join(dest, name);
		if (!target)
			util_die("%s", argv[i]);
		status |= util_copy(argv[i], target, recursive, force);
		free(target);
	}
	return status;
}
