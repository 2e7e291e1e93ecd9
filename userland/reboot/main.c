/*
 * reboot and poweroff (one program, two names in the boot archive): ask
 * the power driver (drivers/power, scheme power:) to reset the machine or
 * to switch it off.  Nothing is synced first: tmpfs lives in RAM.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

int main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	const char *name = slash ? slash + 1 : argv[0];
	bool off = strcmp(name, "poweroff") == 0;
	const char *usage = off ? "poweroff [-h]\n  switches the machine off\n"
				: "reboot [-h]\n  restarts the machine\n";
	int c, fd;

	util_prog = off ? "poweroff" : "reboot";
	while ((c = util_getopt(argc, argv, "h", usage)) != -1)
		util_usage(usage, 0);
	if (util_optind < argc)
		util_usage_error(usage, "extra operand '%s'",
				 argv[util_optind]);
	fd = open("power:", O_WRONLY);
	if (fd < 0)
		util_die("power:");
	if (write(fd, util_prog, strlen(util_prog)) < 0)
		util_die("power:");
	return 1; /* the machine is still here */
}
