/*
 * dmesg: prints the kernel log, which the log server serves as log:
 * (drivers/serial, servers/log): "cat log:" with a name of its own.  The
 * program's services line must let it see log:.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "dmesg\n"
			    "  prints the kernel log (log:)\n";

#define LOG_PATH "log:"

int main(int argc, char **argv)
{
	static char buf[4096];
	ssize_t n;
	int c, fd;

	util_prog = "dmesg";
	while ((c = util_getopt(argc, argv, "h", usage)) != -1)
		util_usage(usage, 0);
	if (util_optind < argc)
		util_usage_error(usage, "extra operand '%s'",
				 argv[util_optind]);
	fd = open(LOG_PATH, O_RDONLY);
	if (fd < 0)
		util_die("%s", LOG_PATH);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (util_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
			util_write_failed();
	}
	if (n < 0)
		util_die("%s", LOG_PATH);
	close(fd);
	return 0;
}
