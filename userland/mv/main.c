/*
 * mv: renames SOURCE to DEST, or moves each SOURCE into the directory DIR
 * (as DIR/<its last name>).  Between file systems (rename() says EXDEV)
 * it copies the tree, as cp -r would, and then removes the source.  -f
 * is accepted: mv never asks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util.h"

static const char usage[] = "mv [-f] SOURCE DEST\n"
			    "       mv [-f] SOURCE... DIR\n"
			    "  -f  do not ask (never asks)\n";

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int move(const char *src, const char *dst)
{
	struct stat st;

	if (rename(src, dst) == 0)
		return 0;
	if (errno != EXDEV) {
		util_warn("%s", src);
		return 1;
	}
	if (lstat(src, &st) < 0) {
		util_warn("%s", src);
		return 1;
	}
	if (util_copy(src, dst, 1, 0) != 0)
		return 1; /* the source stays */
	return util_remove(src, 1, 0);
}

int main(int argc, char **argv)
{
	int status = 0, c, n;
	const char *dest;

	util_prog = "mv";
	while ((c = util_getopt(argc, argv, "fh", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
	}
	n = argc - util_optind;
	if (n < 2)
		util_usage_error(usage, n ? "missing destination"
					  : "missing operands");
	dest = argv[argc - 1];
	if (n == 2 && !is_dir(dest))
		return move(argv[util_optind], dest);
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
		status |= move(argv[i], target);
		free(target);
	}
	return status;
}
