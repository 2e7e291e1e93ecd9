/*
 * shtest: the shell's system test.  Each case runs bin/sh with a script
 * (sh -c SCRIPT, or the arguments it gives), standard input from a file,
 * standard output and error into files on tmpfs, in a fresh directory of
 * its own, and compares what came out, byte for byte, and the status.
 */
#ifndef SHTEST_H
#define SHTEST_H

#define CASE_ARGS_MAX  8
#define CASE_FILES_MAX 3

/* flags */
#define NEEDS_UTILS 1 /* skipped until bin/seq, grep and wc exist */

struct case_file {
	const char *path; /* relative to the case's directory */
	const char *text;
	unsigned mode;
};

struct sh_case {
	const char *name;
	const char *script;		 /* sh -c SCRIPT [args...] */
	const char *args[CASE_ARGS_MAX]; /* after the script, or all of
					    sh's arguments when no script */
	const char *input;		 /* standard input; NULL: empty */
	/* What must come out; "@D" stands for the case's directory.
	   err NULL: nothing on standard error. */
	const char *out, *err;
	int status;
	unsigned flags;
	struct case_file files[CASE_FILES_MAX];
};

extern const struct sh_case sh_cases[];

#endif
