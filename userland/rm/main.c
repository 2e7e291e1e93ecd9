/*
 * rm: removes files; with -r (or -R) directories and all below them.
 * -f: a missing file is no error, and no operand is no error either.
 * ".", ".." and "/" are refused.
 */
#include <string.h>
#include "util.h"

static const char usage[] = "rm [-fRr] FILE...\n"
			    "  -f      ignore missing files\n"
			    "  -r, -R  remove directories and their contents\n";

/* ".", "..", or a path that ends in one of them, or the root. */
static int refused(const char *path)
{
	char name[256];
	size_t n = strlen(path);

	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0 || (n > 0 && path[n - 1] == ':'))
		return 1; /* "/" or "scheme:/" */
	util_basename(path, name, sizeof(name));
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

int main(int argc, char **argv)
{
	int recursive = 0, force = 0, status = 0, c;

	util_prog = "rm";
	while ((c = util_getopt(argc, argv, "fhRr", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		force |= c == 'f';
		recursive |= c == 'r' || c == 'R';
	}
	if (util_optind == argc && !force)
		util_usage_error(usage, "missing operand");
	for (int i = util_optind; i < argc; i++) {
		if (refused(argv[i])) {
			util_warnx("%s: refusing to remove '.', '..' or '/'",
				   argv[i]);
			status = 1;
			continue;
		}
		status |= util_remove(argv[i], recursive, force);
	}
	return status;
}
