/*
 * yes: writes its arguments, separated by spaces (or "y"), and a newline,
 * over and over until the output fails; a closed pipe ends it as SIGPIPE
 * would.  -h alone prints the usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

#define BATCH 4096

static const char usage[] = "yes [STRING...]\n"
			    "  repeats the strings (default: y) forever\n";

int main(int argc, char **argv)
{
	size_t len = 0, n, total;
	char *line, *buf;

	util_prog = "yes";
	if (argc == 2 && strcmp(argv[1], "-h") == 0)
		util_usage(usage, 0);
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (argc < 2)
		len = 2;
	line = malloc(len + 1);
	if (!line)
		util_die("out of memory");
	if (argc < 2)
		strcpy(line, "y\n");
	for (int i = 1, at = 0; i < argc; i++) {
		n = strlen(argv[i]);
		memcpy(line + at, argv[i], n);
		at += (int)n;
		line[at++] = i + 1 < argc ? ' ' : '\n';
	}
	/* Whole lines, as many as fit in a batch (at least one). */
	n = BATCH / len ? BATCH / len : 1;
	total = n * len;
	buf = malloc(total);
	if (!buf)
		util_die("out of memory");
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * len, line, len);
	for (;;) {
		if (util_write_all(1, buf, total) < 0)
			util_write_failed();
	}
}
