/*
 * ln: makes a link named LINK (or, for a directory, DIR/<the target's
 * last name>; with no LINK, that name in the working directory) to
 * TARGET: a hard link, or with -s a symbolic link holding TARGET as it
 * is written.  -f removes an existing LINK first.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "ln [-fs] TARGET [LINK]\n"
			    "       ln [-fs] TARGET... DIR\n"
			    "  -f  remove an existing LINK first\n"
			    "  -s  make a symbolic link\n";

static int symbolic, force;

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int make_link(const char *target, const char *link_path)
{
	struct stat st;
	int r;

	if (force && lstat(link_path, &st) == 0 && !S_ISDIR(st.st_mode) &&
	    unlink(link_path) < 0) {
		util_warn("%s", link_path);
		return 1;
	}
	r = symbolic ? symlink(target, link_path) : link(target, link_path);
	if (r < 0) {
		util_warn("%s", link_path);
		return 1;
	}
	return 0;
}

/* Makes the link to `target` inside directory `dir`. */
static int link_into(const char *target, const char *dir)
{
	char name[256], *path;
	int status;

	util_basename(target, name, sizeof(name));
	path = util_path_join(dir, name);
	if (!path)
		util_die("%s", target);
	status = make_link(target, path);
	free(path);
	return status;
}

int main(int argc, char **argv)
{
	int status = 0, c, n;
	const char *last;

	util_prog = "ln";
	while ((c = util_getopt(argc, argv, "fhs", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		force |= c == 'f';
		symbolic |= c == 's';
	}
	n = argc - util_optind;
	if (n < 1)
		util_usage_error(usage, "missing operand");
	if (n == 1)
		return link_into(argv[util_optind], ".");
	last = argv[argc - 1];
	if (n == 2 && !is_dir(last))
		return make_link(argv[util_optind], last);
	if (!is_dir(last)) {
		errno = ENOTDIR;
		util_die("%s", last);
	}
	for (int i = util_optind; i < argc - 1; i++)
		status |= link_into(argv[i], last);
	return status;
}
