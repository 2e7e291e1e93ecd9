/*
 * touch: makes each file that does not exist (empty, mode 0666 less the
 * umask), and sets the access and modification times of each that does
 * to now (utimes).  -c: do not make files.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "touch [-c] FILE...\n"
			    "  -c  do not create files\n";

static int touch(const char *path, int create)
{
	struct stat st;
	int fd;

	if (stat(path, &st) == 0) {
		if (utimes(path, NULL) == 0)
			return 0;
		util_warn("%s", path);
		return 1;
	}
	if (errno != ENOENT) {
		util_warn("%s", path);
		return 1;
	}
	if (!create)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT, 0666);
	if (fd < 0 || close(fd) < 0) {
		util_warn("%s", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int create = 1, status = 0, c;

	util_prog = "touch";
	while ((c = util_getopt(argc, argv, "ch", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		create = 0;
	}
	if (util_optind == argc)
		util_usage_error(usage, "missing operand");
	for (int i = util_optind; i < argc; i++)
		status |= touch(argv[i], create);
	return status;
}
