/*
 * free: shows how much memory the machine has and how much is free, from
 * the kernel's sys_stats (free and total 4 KiB frames), in KiB (-k, the
 * default), MiB (-m) or bytes (-b).  "used" is what is not free: the
 * kernel, its heap, and every process's memory.  A second line gives the
 * kernel heap, and the processes and threads alive.
 */
#include <stdio.h>
#include <valence.h>
#include "util.h"

static const char usage[] = "free [-b | -k | -m]\n"
			    "  -b  in bytes\n"
			    "  -k  in KiB (the default)\n"
			    "  -m  in MiB\n";

#define FRAME 4096ull

int main(int argc, char **argv)
{
	unsigned long long div = 1024, total, avail;
	struct sys_stats st;
	int c, err;

	util_prog = "free";
	while ((c = util_getopt(argc, argv, "bhkm", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		div = c == 'b' ? 1 : c == 'm' ? 1024 * 1024 : 1024;
	}
	if (util_optind < argc)
		util_usage_error(usage, "extra operand '%s'",
				 argv[util_optind]);
	err = sys_sys_stats(&st);
	if (err < 0) {
		util_warnx("sys_stats failed (%d)", err);
		return 1;
	}
	total = st.total_frames * FRAME / div;
	avail = st.free_frames * FRAME / div;
	printf("%-8s %12s %12s %12s\n", "", "total", "used", "free");
	printf("%-8s %12llu %12llu %12llu\n", "Mem:", total, total - avail,
	       avail);
	printf("Kernel heap: %llu %s, %llu processes, %llu threads\n",
	       (unsigned long long)st.heap_bytes / div,
	       div == 1	     ? "bytes"
	       : div == 1024 ? "KiB"
			     : "MiB",
	       (unsigned long long)st.processes,
	       (unsigned long long)st.threads);
	return util_finish(0);
}
