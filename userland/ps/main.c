/*
 * ps: lists the processes, from the kernel's PC_PROCINFO (docs/abi.md,
 * "Unix processes"): pid, parent, group, state (R running or ready, S
 * waiting, T stopped, Z ended and not yet waited for), threads, memory
 * mapped, and the program's name.  Every process is shown (there is one
 * user); -o pid,... is not there.
 */
#include <stdio.h>
#include <valence.h>
#include "util.h"

static const char usage[] =
	"ps [-h]\n"
	"  lists every process: PID PPID PGID S THR MEM(KiB) "
	"NAME\n";

int main(int argc, char **argv)
{
	struct proc_info info;
	long pid = 1;
	int c;

	util_prog = "ps";
	while ((c = util_getopt(argc, argv, "h", usage)) != -1)
		util_usage(usage, 0);
	if (util_optind < argc)
		util_usage_error(usage, "extra operand '%s'",
				 argv[util_optind]);
	printf("%5s %5s %5s %c %3s %8s %s\n", "PID", "PPID", "PGID", 'S', "THR",
	       "MEM", "NAME");
	while ((pid = sys_proc_ctl(PC_PROCINFO, (uint64_t)pid, 0,
				   (uint64_t)(uintptr_t)&info, 0)) > 0) {
		printf("%5u %5u %5u %c %3u %8llu %s\n", info.pid, info.ppid,
		       info.pgid, (char)info.state, info.nthreads,
		       (unsigned long long)info.pages * 4, info.name);
		pid++;
	}
	if (pid != -ESRCH) {
		util_warnx("cannot list the processes (%ld)", pid);
		return 1;
	}
	return util_finish(0);
}
