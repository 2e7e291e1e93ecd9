/*
 * Copying and removing files and whole trees, for cp, mv and rm (util.h).
 * Errors are reported as they happen ("prog: path: reason") and the
 * walk goes on with the next file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

#define COPY_BLOCK 8192

/* The names in directory `path` but "." and "..", as a malloc'd array of
   malloc'd strings (*n of them); NULL with errno on failure. */
static char **read_names(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	char **v = NULL, **nv;
	size_t cap = 0;
	struct dirent *de;

	*n = 0;
	if (!d)
		return NULL;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto fail_nomem;
			v = nv;
		}
		v[*n] = strdup(de->d_name);
		if (!v[*n])
			goto fail_nomem;
		(*n)++;
		errno = 0;
	}
	if (errno)
		goto fail;
	closedir(d);
	if (!v)
		v = calloc(1, sizeof(*v));
	return v;
fail_nomem:
	errno = ENOMEM;
fail:
	for (size_t i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	closedir(d);
	return NULL;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Copies the bytes of regular file src to dst (created with `mode`). */
static int copy_file(const char *src, const char *dst, mode_t mode, int force)
{
	static char buf[COPY_BLOCK];
	int in = open(src, O_RDONLY), out;
	ssize_t n;

	if (in < 0) {
		util_warn("%s", src);
		return 1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (out < 0 && force && errno != ENOENT && unlink(dst) == 0)
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (out < 0) {
		util_warn("%s", dst);
		close(in);
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (util_write_all(out, buf, (size_t)n) < 0) {
			util_warn("%s", dst);
			break;
		}
	}
	if (n < 0)
		util_warn("%s", src);
	close(in);
	if (close(out) < 0 && n == 0) {
		util_warn("%s", dst);
		return 1;
	}
	return n != 0;
}

static int copy_link(const char *src, const char *dst)
{
	char target[1024];
	long n = readlink(src, target, sizeof(target) - 1);

	if (n < 0) {
		util_warn("%s", src);
		return 1;
	}
	target[n] = '\0';
	if (symlink(target, dst) < 0) {
		util_warn("%s", dst);
		return 1;
	}
	return 0;
}

/* Whether `inner` is `outer` or a path below it (by their names). */
static int is_inside(const char *outer, const char *inner)
{
	size_t n = strlen(outer);

	while (n > 1 && outer[n - 1] == '/')
		n--;
	return strncmp(outer, inner, n) == 0 &&
	       (inner[n] == '\0' || inner[n] == '/');
}

/*
 * The directory a recursive copy is making, so that a copy into itself
 * ("cp -r . sub") stops there instead of going on until the names are
 * too long.
 */
static struct {
	dev_t dev;
	ino_t ino;
	int depth;
} made;

static int copy_dir(const char *src, const char *dst, const struct stat *st,
		    int force)
{
	struct stat dst_st, child_st;
	size_t n;
	char **names;
	int status = 0;

	if (is_inside(src, dst)) {
		util_warnx("%s: cannot copy a directory into itself (%s)", src,
			   dst);
		return 1;
	}
	if (mkdir(dst, (st->st_mode & 07777) | 0700) < 0 &&
	    !(errno == EEXIST && stat(dst, &dst_st) == 0 &&
	      S_ISDIR(dst_st.st_mode))) {
		util_warn("%s", dst);
		return 1;
	}
	if (made.depth == 0 && stat(dst, &dst_st) == 0) {
		made.dev = dst_st.st_dev;
		made.ino = dst_st.st_ino;
	}
	names = read_names(src, &n);
	if (!names) {
		util_warn("%s", src);
		return 1;
	}
	made.depth++;
	for (size_t i = 0; i < n; i++) {
		char *s = util_path_join(src, names[i]);
		char *d = util_path_join(dst, names[i]);

		if (!s || !d) {
			util_warn("%s", src);
			status = 1;
		} else if (lstat(s, &child_st) == 0 &&
			   child_st.st_dev == made.dev &&
			   child_st.st_ino == made.ino) {
			util_warnx("%s: cannot copy a directory into itself "
				   "(%s)",
				   src, s);
			status = 1;
		} else {
			status |= util_copy(s, d, 1, force);
		}
		free(s);
		free(d);
	}
	made.depth--;
	free_names(names, n);
	return status;
}

int util_copy(const char *src, const char *dst, int recursive, int force)
{
	struct stat st, dst_st;
	int r = recursive ? lstat(src, &st) : stat(src, &st);

	if (r < 0) {
		util_warn("%s", src);
		return 1;
	}
	if (stat(dst, &dst_st) == 0 && dst_st.st_dev == st.st_dev &&
	    dst_st.st_ino == st.st_ino && !S_ISLNK(st.st_mode)) {
		util_warnx("%s and %s are the same file", src, dst);
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive) {
			util_warnx("%s: is a directory (not copied without "
				   "-r)",
				   src);
			return 1;
		}
		return copy_dir(src, dst, &st, force);
	}
	if (S_ISLNK(st.st_mode))
		return copy_link(src, dst);
	return copy_file(src, dst, st.st_mode & 0777, force);
}

int util_remove(const char *path, int recursive, int quiet_missing)
{
	struct stat st;
	size_t n;
	char **names;
	int status = 0;

	if (lstat(path, &st) < 0) {
		if (quiet_missing && errno == ENOENT)
			return 0;
		util_warn("%s", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) == 0)
			return 0;
		util_warn("%s", path);
		return 1;
	}
	if (!recursive) {
		errno = EISDIR;
		util_warn("%s", path);
		return 1;
	}
	/* The names first: removing while reading would move the cursor. */
	names = read_names(path, &n);
	if (!names) {
		util_warn("%s", path);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char *child = util_path_join(path, names[i]);

		if (!child) {
			util_warn("%s", path);
			status = 1;
			continue;
		}
		status |= util_remove(child, 1, quiet_missing);
		free(child);
	}
	free_names(names, n);
	if (status == 0 && rmdir(path) < 0) {
		util_warn("%s", path);
		status = 1;
	}
	return status;
}
