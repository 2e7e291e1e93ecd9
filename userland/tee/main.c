/*
 * tee: copies standard input to standard output and to each file, which
 * it creates or truncates (-a: appends to).  A file that cannot be opened
 * or written is reported and left out from then on; the status is then
 * 1.  -i (ignore interrupts) is accepted: there are no signals to ignore
 * yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "tee [-ai] [FILE...]\n"
			    "  -a  append to the files\n"
			    "  -i  ignore interrupts (accepted)\n";

int main(int argc, char **argv)
{
	static char buf[4096];
	int append = 0, status = 0, nfiles, c, *fds;
	ssize_t n;

	util_prog = "tee";
	while ((c = util_getopt(argc, argv, "ahi", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		append |= c == 'a';
	}
	nfiles = argc - util_optind;
	fds = calloc((size_t)nfiles + 1, sizeof(int));
	if (!fds)
		util_die("out of memory");
	for (int i = 0; i < nfiles; i++) {
		const char *path = argv[util_optind + i];

		fds[i] =
			open(path,
			     O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC),
			     0666);
		if (fds[i] < 0) {
			util_warn("%s", path);
			status = 1;
		}
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0) {
		if (util_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
			util_write_failed();
		for (int i = 0; i < nfiles; i++) {
			if (fds[i] < 0 ||
			    util_write_all(fds[i], buf, (size_t)n) == 0)
				continue;
			util_warn("%s", argv[util_optind + i]);
			close(fds[i]);
			fds[i] = -1;
			status = 1;
		}
	}
	if (n < 0) {
		util_warn("standard input");
		status = 1;
	}
	for (int i = 0; i < nfiles; i++) {
		if (fds[i] >= 0 && close(fds[i]) < 0) {
			util_warn("%s", argv[util_optind + i]);
			status = 1;
		}
	}
	return status;
}
