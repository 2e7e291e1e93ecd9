/*
 * mkdir: makes directories.  -p makes the missing parents too and is
 * quiet about directories that exist; -m MODE (octal) gives the mode
 * (default 0777, less what the file system's umask takes).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util.h"

static const char usage[] = "mkdir [-p] [-m MODE] DIR...\n"
			    "  -p       make parents as needed; no error if it "
			    "exists\n"
			    "  -m MODE  the new directory's mode, in octal\n";

static int make_one(const char *path, mode_t mode, int parents)
{
	struct stat st;
	int err;

	if (mkdir(path, mode) == 0)
		return 0;
	err = errno;
	/* An existing directory is fine for -p, whatever mkdir() said (a
	   read-only file system may say EROFS before EEXIST). */
	if (parents && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	errno = err;
	util_warn("%s", path);
	return 1;
}

/* mkdir -p: each prefix that ends before a '/', then the path. */
static int make_parents(const char *path, mode_t mode)
{
	char *copy = strdup(path), *p, *colon, *slash;
	int status;

	if (!copy)
		util_die("%s", path);
	/* Past a "scheme:" (a ':' before any '/') and the root. */
	colon = strchr(copy, ':');
	slash = strchr(copy, '/');
	p = colon && (!slash || colon < slash) ? colon + 1 : copy;
	while (*p == '/')
		p++;
	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		if (make_one(copy, 0777, 1) != 0) {
			free(copy);
			return 1;
		}
		*p = '/';
		while (*p == '/')
			p++;
	}
	status = make_one(path, mode, 1);
	free(copy);
	return status;
}

int main(int argc, char **argv)
{
	mode_t mode = 0777;
	int parents = 0, status = 0, c;

	util_prog = "mkdir";
	while ((c = util_getopt(argc, argv, "hm:p", usage)) != -1) {
		char *end;

		if (c == 'h')
			util_usage(usage, 0);
		if (c == 'p')
			parents = 1;
		if (c == 'm') {
			unsigned long m = strtoul(util_optarg, &end, 8);

			if (!*util_optarg || *end || m > 07777)
				util_usage_error(usage, "invalid mode '%s'",
						 util_optarg);
			mode = (mode_t)m;
		}
	}
	if (util_optind == argc)
		util_usage_error(usage, "missing operand");
	for (int i = util_optind; i < argc; i++) {
		status |= parents ? make_parents(argv[i], mode)
				  : make_one(argv[i], mode, 0);
	}
	return status;
}
