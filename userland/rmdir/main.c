/*
 * rmdir: removes empty directories.  -p removes each parent named in the
 * path too, as it becomes empty ("rmdir -p a/b/c": a/b/c, a/b, a).
 */
#include <string.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "rmdir [-p] DIR...\n"
			    "  -p  remove the parents named too\n";

static int remove_one(char *path, int parents)
{
	for (;;) {
		char *slash;
		size_t n;

		if (rmdir(path) < 0) {
			util_warn("%s", path);
			return 1;
		}
		if (!parents)
			return 0;
		n = strlen(path);
		while (n > 0 && path[n - 1] == '/')
			path[--n] = '\0';
		slash = strrchr(path, '/');
		if (!slash)
			return 0;
		while (slash > path && slash[-1] == '/')
			slash--;
		if (slash == path || slash[-1] == ':')
			return 0; /* the root is not removed */
		*slash = '\0';
	}
}

int main(int argc, char **argv)
{
	int parents = 0, status = 0, c;

	util_prog = "rmdir";
	while ((c = util_getopt(argc, argv, "hp", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		parents = 1;
	}
	if (util_optind == argc)
		util_usage_error(usage, "missing operand");
	for (int i = util_optind; i < argc; i++)
		status |= remove_one(argv[i], parents);
	return status;
}
