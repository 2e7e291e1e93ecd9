/*
 * ls: lists directories (their entries, read with opendir/readdir) and
 * files, sorted by name (byte order, the C locale).  The files named on
 * the command line come first, then each directory, under a "NAME:" line
 * when there are several operands.
 *
 * One name a line when standard output is not a terminal (or -1), else
 * in columns (-C forces them; the width is $COLUMNS or 80).  -l shows the
 * mode, links, owner and group (numbers: there is no user database yet),
 * size, modification time (UTC; "Mon dd HH:MM" within six months of now,
 * else "Mon dd  YYYY") and, for a symbolic link, its target, after a
 * "total" line of 1 KiB blocks.  -a shows the names that start with '.',
 * -A the same but "." and "..", -d lists a directory as itself, -F marks
 * the types (/ directory, * executable, @ link, | fifo), -r reverses.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "ls [-1aACdFlr] [FILE...]\n"
			    "  -1  one name a line\n"
			    "  -a  all names, also those starting with '.'\n"
			    "  -A  the same, without . and ..\n"
			    "  -C  in columns\n"
			    "  -d  list directories themselves\n"
			    "  -F  mark types: / * @ |\n"
			    "  -l  long: mode, links, owner, size, time\n"
			    "  -r  reverse the order\n";

struct options {
	int all, almost_all, columns, dirs_as_files, classify, longform;
	int reverse;
};

struct entry {
	char *name; /* as shown */
	char *path; /* to stat and readlink */
	struct stat st;
	int have_stat;
};

static struct options opt;
static int status;

static int compare_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return opt.reverse ? -r : r;
}

static char type_mark(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return '/';
	if (S_ISLNK(st->st_mode))
		return '@';
	if (S_ISFIFO(st->st_mode))
		return '|';
	if (S_ISREG(st->st_mode) && (st->st_mode & 0111))
		return '*';
	return 0;
}

static int digits(unsigned long long v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

static void format_date(time_t t, char *out, size_t size)
{
	const time_t half_year = (365 * 24 * 3600) / 2;
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		snprintf(out, size, "%12lld", (long long)t);
		return;
	}
	if (t > now - half_year && t <= now + 3600)
		strftime(out, size, "%b %e %H:%M", &tm);
	else
		strftime(out, size, "%b %e  %Y", &tm);
}

static void print_long(const struct entry *e, const int *w)
{
	char mode[11], date[32], target[1024];
	const struct stat *st = &e->st;
	long n;

	util_format_mode(st->st_mode, mode);
	format_date(st->st_mtime, date, sizeof(date));
	printf("%s %*lu %*lu %*lu %*lld %s %s", mode, w[0],
	       (unsigned long)st->st_nlink, w[1], (unsigned long)st->st_uid,
	       w[2], (unsigned long)st->st_gid, w[3], (long long)st->st_size,
	       date, e->name);
	if (S_ISLNK(st->st_mode)) {
		n = readlink(e->path, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	} else if (opt.classify && type_mark(st)) {
		putchar(type_mark(st));
	}
	putchar('\n');
}

static void print_columns(const struct entry *v, size_t n)
{
	const char *env = getenv("COLUMNS");
	size_t width = 80, colw = 0, cols, rows;

	if (env && atoi(env) > 0)
		width = (size_t)atoi(env);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i].name) + (opt.classify ? 1 : 0);

		colw = len > colw ? len : colw;
	}
	colw += 2;
	cols = width / colw ? width / colw : 1;
	rows = (n + cols - 1) / cols;
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < cols; c++) {
			size_t i = c * rows + r;
			char mark = opt.classify ? type_mark(&v[i].st) : 0;
			int len;

			if (i >= n)
				break;
			len = printf("%s", v[i].name);
			if (mark)
				len += printf("%c", mark);
			if (c + 1 < cols && i + rows < n)
				printf("%*s", (int)colw - len, "");
		}
		putchar('\n');
	}
}

/* Prints a sorted list of entries (stat'ed when the format needs it). */
static void print_entries(struct entry *v, size_t n, int with_total)
{
	int w[4] = { 1, 1, 1, 1 };
	unsigned long long blocks = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), compare_entries);
	if (opt.longform) {
		for (size_t i = 0; i < n; i++) {
			const struct stat *st = &v[i].st;
			int d[4] = { digits(st->st_nlink), digits(st->st_uid),
				     digits(st->st_gid),
				     digits((unsigned long long)st->st_size) };

			for (int k = 0; k < 4; k++)
				w[k] = d[k] > w[k] ? d[k] : w[k];
			blocks += (unsigned long long)st->st_blocks;
		}
		if (with_total)
			printf("total %llu\n", (blocks + 1) / 2);
		for (size_t i = 0; i < n; i++)
			print_long(&v[i], w);
	} else if (opt.columns) {
		print_columns(v, n);
	} else {
		for (size_t i = 0; i < n; i++) {
			char mark = opt.classify ? type_mark(&v[i].st) : 0;

			printf(mark ? "%s%c\n" : "%s\n", v[i].name, mark);
		}
	}
	if (ferror(stdout))
		util_write_failed();
}

static void free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
}

static int wanted(const char *name)
{
	if (name[0] != '.')
		return 1;
	if (opt.all)
		return 1;
	return opt.almost_all && strcmp(name, ".") && strcmp(name, "..");
}

/* Lists the entries of directory `path`. */
static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (!d) {
		util_warn("%s", path);
		status = 1;
		return;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		struct entry *e;

		if (!wanted(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			e = realloc(v, cap * sizeof(*v));
			if (!e)
				util_die("out of memory");
			v = e;
		}
		e = &v[n];
		memset(e, 0, sizeof(*e));
		e->name = strdup(de->d_name);
		e->path = util_path_join(path, de->d_name);
		if (!e->name || !e->path)
			util_die("out of memory");
		n++;
		if ((opt.longform || opt.classify) &&
		    lstat(e->path, &e->st) < 0) {
			util_warn("%s", e->path);
			status = 1;
		}
		errno = 0; /* what readdir() says at the end is what counts */
	}
	if (errno) {
		util_warn("%s", path);
		status = 1;
	}
	closedir(d);
	print_entries(v, n, 1);
	free_entries(v, n);
}

int main(int argc, char **argv)
{
	static char *dot[] = { "." };
	struct entry *files, *dirs;
	size_t nfiles = 0, ndirs = 0;
	int c, noperands;
	char **ops;

	util_prog = "ls";
	opt.columns = isatty(STDOUT_FILENO);
	while ((c = util_getopt(argc, argv, "1aACdFhlr", usage)) != -1) {
		switch (c) {
		case '1':
			opt.columns = 0;
			break;
		case 'a':
			opt.all = 1;
			break;
		case 'A':
			opt.almost_all = 1;
			break;
		case 'C':
			opt.columns = 1;
			break;
		case 'd':
			opt.dirs_as_files = 1;
			break;
		case 'F':
			opt.classify = 1;
			break;
		case 'h':
			util_usage(usage, 0);
		case 'l':
			opt.longform = 1;
			break;
		case 'r':
			opt.reverse = 1;
			break;
		}
	}
	if (opt.longform)
		opt.columns = 0;
	noperands = argc - util_optind;
	ops = noperands ? argv + util_optind : dot;
	if (noperands == 0)
		noperands = 1;
	files = calloc((size_t)noperands, sizeof(*files));
	dirs = calloc((size_t)noperands, sizeof(*dirs));
	if (!files || !dirs)
		util_die("out of memory");
	for (int i = 0; i < noperands; i++) {
		struct entry e = { 0 };
		struct stat target;

		if (lstat(ops[i], &e.st) < 0) {
			util_warn("%s", ops[i]);
			status = 1;
			continue;
		}
		e.name = strdup(ops[i]);
		e.path = strdup(ops[i]);
		if (!e.name || !e.path)
			util_die("out of memory");
		/* A link named on the command line to a directory is listed
		   as the directory, unless -l or -d ask about the link. */
		if (S_ISLNK(e.st.st_mode) && !opt.longform &&
		    !opt.dirs_as_files && stat(ops[i], &target) == 0 &&
		    S_ISDIR(target.st_mode))
			e.st = target;
		if (S_ISDIR(e.st.st_mode) && !opt.dirs_as_files)
			dirs[ndirs++] = e;
		else
			files[nfiles++] = e;
	}
	if (nfiles)
		print_entries(files, nfiles, 0);
	if (ndirs > 1)
		qsort(dirs, ndirs, sizeof(*dirs), compare_entries);
	for (size_t i = 0; i < ndirs; i++) {
		if (noperands > 1)
			printf("%s%s:\n", nfiles || i ? "\n" : "",
			       dirs[i].name);
		list_dir(dirs[i].path);
	}
	free_entries(files, nfiles);
	free_entries(dirs, ndirs);
	return util_finish(status);
}
