/*
 * chmod: changes the permission bits of files; -R also of everything
 * below the directories named (symbolic links met there are skipped).  MODE is
 * octal (755) or symbolic, a comma-separated list of clauses WHO OP PERMS: WHO
 * is any of u, g, o, a (none: all, less the umask), OP is +, - or =, PERMS any
 * of r, w, x, X (x for directories and files some x is set on), s, t, or one of
 * u, g, o (copy that class's bits): "u+x", "go-w", "a=r,u+w", "+x".
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util.h"

static const char usage[] = "chmod [-R] MODE FILE...\n"
			    "  -R    change directories recursively\n"
			    "  MODE  octal (644) or symbolic ([ugoa][+-=]"
			    "[rwxXst|ugo],...)\n";

#define ALL_BITS 07777

/* Parses an octal mode: 0 and *mode, or -1 when it is not one. */
static int parse_octal(const char *s, mode_t *mode)
{
	char *end;
	unsigned long m;

	if (!*s || strspn(s, "01234567") != strlen(s))
		return -1;
	m = strtoul(s, &end, 8);
	if (*end || m > ALL_BITS)
		return -1;
	*mode = (mode_t)m;
	return 0;
}

/* The file mode creation mask (umask() can only be read by setting). */
static mode_t current_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/* The bits of class `c` (u, g, o) of mode, copied to every class. */
static mode_t copy_class(mode_t mode, char c)
{
	unsigned bits = c == 'u'   ? (mode >> 6) & 7
			: c == 'g' ? (mode >> 3) & 7
				   : mode & 7;

	return (mode_t)(bits * 0111);
}

/*
 * Applies symbolic mode `spec` to `mode` (of a directory when is_dir).
 * Returns 0 with the new mode in *out, or -1 when spec is malformed.
 */
static int apply_symbolic(const char *spec, mode_t mode, int is_dir,
			  mode_t *out)
{
	const char *p = spec;

	for (;;) {
		mode_t who = 0, mask;

		for (; *p && strchr("ugoa", *p); p++) {
			who |= *p == 'u'   ? (S_ISUID | S_IRWXU)
			       : *p == 'g' ? (S_ISGID | S_IRWXG)
			       : *p == 'o' ? S_IRWXO
					   : ALL_BITS;
		}
		/* No WHO: every class, less what the umask takes. */
		mask = who ? who : (ALL_BITS & ~current_umask());
		if (!who)
			who = ALL_BITS;
		if (!*p || !strchr("+-=", *p))
			return -1;
		while (*p && strchr("+-=", *p)) {
			char op = *p++;
			mode_t bits = 0;

			if (*p && strchr("ugo", *p)) {
				bits = copy_class(mode, *p++);
			} else {
				for (; *p && strchr("rwxXst", *p); p++) {
					bits |= *p == 'r'   ? 0444
						: *p == 'w' ? 0222
						: *p == 'x' ? 0111
						: *p == 's'
							? (S_ISUID | S_ISGID)
						: *p == 't' ? S_ISVTX
						: (is_dir || (mode & 0111))
							? 0111
							: 0;
				}
			}
			bits &= mask;
			if (op == '+')
				mode |= bits;
			else if (op == '-')
				mode &= ~bits;
			else
				mode = (mode_t)((mode & ~who) | bits);
		}
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return -1;
	}
	*out = mode & ALL_BITS;
	return 0;
}

static const char *mode_spec;
static int recursive;

/*
 * Changes `path` (and with -R what is below it).  A symbolic link named
 * on the command line is followed (top); one met below is left alone, as
 * chmod cannot change a link's own mode and should not leave the tree.
 */
static int change(const char *path, int top)
{
	struct stat st;
	mode_t mode;
	int status = 0;

	if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
		util_warn("%s", path);
		return 1;
	}
	if (S_ISLNK(st.st_mode))
		return 0;
	if (parse_octal(mode_spec, &mode) < 0 &&
	    apply_symbolic(mode_spec, st.st_mode & ALL_BITS,
			   S_ISDIR(st.st_mode), &mode) < 0)
		util_usage_error(usage, "invalid mode '%s'", mode_spec);
	if (chmod(path, mode) < 0) {
		util_warn("%s", path);
		status = 1;
	}
	if (recursive && S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;

		if (!d) {
			util_warn("%s", path);
			return 1;
		}
		while ((de = readdir(d)) != NULL) {
			char *child;

			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			child = util_path_join(path, de->d_name);
			if (!child)
				util_die("%s", path);
			status |= change(child, 0);
			free(child);
		}
		closedir(d);
	}
	return status;
}

int main(int argc, char **argv)
{
	mode_t check;
	int status = 0, c;

	util_prog = "chmod";
	while ((c = util_getopt(argc, argv, "hR", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		recursive = 1;
	}
	if (argc - util_optind < 2)
		util_usage_error(usage, "missing operand");
	mode_spec = argv[util_optind++];
	/* A malformed mode is a usage error before any file is touched. */
	if (parse_octal(mode_spec, &check) < 0 &&
	    apply_symbolic(mode_spec, 0, 0, &check) < 0)
		util_usage_error(usage, "invalid mode '%s'", mode_spec);
	for (int i = util_optind; i < argc; i++)
		status |= change(argv[i], 1);
	return status;
}
