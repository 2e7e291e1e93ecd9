/*
 * grep: prints the lines of the files (or of standard input) that match
 * a basic regular expression (bre.h says which parts of POSIX BREs are
 * covered).  Several patterns (several -e, or one holding newlines) match
 * a line when any of them does.
 *
 * Status: 0 when a line was selected, 1 when none was, 2 on an error (a
 * bad pattern, a file that cannot be read), as POSIX says; with -q a
 * selected line makes it 0 even after an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bre.h"
#include "util.h"

static const char usage[] = "grep [-cFilnqsvx] [-e PATTERN]... [PATTERN] "
			    "[FILE...]\n"
			    "  -c  print only a count of the selected lines\n"
			    "  -e  PATTERN (may be repeated)\n"
			    "  -F  the patterns are fixed strings\n"
			    "  -i  ignore the case of letters\n"
			    "  -l  print only the names of files with a "
			    "selected line\n"
			    "  -n  number the lines\n"
			    "  -q  print nothing; the status says\n"
			    "  -s  no messages about unreadable files\n"
			    "  -v  select the lines that do not match\n"
			    "  -x  the pattern must match the whole line\n";

struct options {
	int count, files_only, number, quiet, silent, invert;
	int multiple; /* more than one file: names before lines */
};

static struct bre *patterns;
static int npatterns;

/* Adds each line of `text` as a pattern; exits 2 on a bad one. */
static void add_patterns(const char *text, int flags)
{
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct bre *n = realloc(patterns, (size_t)(npatterns + 1) *
							  sizeof(*patterns));
		char err[128];

		if (!n)
			util_die("out of memory");
		patterns = n;
		if (bre_compile(&patterns[npatterns], p, len, flags, err,
				sizeof(err)) < 0) {
			util_warnx("%s", err);
			exit(2);
		}
		npatterns++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

static int selected(const char *line, size_t len, int invert)
{
	for (int i = 0; i < npatterns; i++) {
		if (bre_match(&patterns[i], line, len))
			return !invert;
	}
	return invert;
}

/* Reads f; returns how many lines were selected, or -1 on a read error. */
static long grep_file(FILE *f, const char *name, const struct options *o)
{
	static char *line;
	static size_t cap;
	unsigned long lineno = 0;
	long n, count = 0;

	while ((n = util_read_line(f, &line, &cap)) > 0) {
		size_t len = (size_t)n;

		lineno++;
		if (line[len - 1] == '\n')
			len--;
		if (!selected(line, len, o->invert))
			continue;
		count++;
		if (o->quiet || o->files_only)
			return count; /* no need to read further */
		if (o->count)
			continue;
		if (o->multiple)
			printf("%s:", name);
		if (o->number)
			printf("%lu:", lineno);
		fwrite(line, 1, len, stdout);
		putchar('\n');
		if (ferror(stdout))
			util_write_failed();
	}
	return n < 0 ? -1 : count;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int flags = 0, have_pattern = 0, status = 1, error = 0, c, nfiles;
	const char **texts = calloc((size_t)argc + 1, sizeof(char *));
	int ntexts = 0;

	util_prog = "grep";
	if (!texts)
		util_die("out of memory");
	while ((c = util_getopt(argc, argv, "ce:Fhilnqsvx", usage)) != -1) {
		switch (c) {
		case 'c':
			o.count = 1;
			break;
		case 'e':
			texts[ntexts++] = util_optarg;
			have_pattern = 1;
			break;
		case 'F':
			flags |= BRE_LITERAL;
			break;
		case 'h':
			util_usage(usage, 0);
		case 'i':
			flags |= BRE_ICASE;
			break;
		case 'l':
			o.files_only = 1;
			break;
		case 'n':
			o.number = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 's':
			o.silent = 1;
			break;
		case 'v':
			o.invert = 1;
			break;
		case 'x':
			flags |= BRE_WHOLE;
			break;
		}
	}
	if (!have_pattern) {
		if (util_optind >= argc)
			util_usage_error(usage, "no pattern");
		texts[ntexts++] = argv[util_optind++];
	}
	for (int i = 0; i < ntexts; i++)
		add_patterns(texts[i], flags);
	nfiles = argc - util_optind;
	o.multiple = nfiles > 1;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? argv[util_optind + i] : "-";
		const char *name =
			strcmp(path, "-") ? path : "(standard input)";
		FILE *f = util_fopen_in(path);
		long count;

		if (!f) {
			if (!o.silent)
				util_warn("%s", path);
			error = 1;
			continue;
		}
		count = grep_file(f, name, &o);
		util_fclose_in(f);
		if (count < 0) {
			if (!o.silent)
				util_warn("%s", path);
			error = 1;
			continue;
		}
		if (count > 0)
			status = 0;
		if (o.quiet && count > 0)
			return 0;
		if (o.files_only && count > 0)
			printf("%s\n", name);
		else if (o.count && !o.files_only && o.multiple)
			printf("%s:%ld\n", name, count);
		else if (o.count && !o.files_only)
			printf("%ld\n", count);
	}
	if (error && !(o.quiet && status == 0))
		status = 2;
	return util_finish(status);
}
