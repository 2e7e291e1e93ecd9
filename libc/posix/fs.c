/*
 * Paths: open, stat and the calls that name a file.  A path is
 * "scheme:rest"; without a scheme it is a file: path, relative to the
 * working directory kept here (libc/path.c does the parsing).  The raw
 * calls are libvalence's scheme_open() and scheme_path_call().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <valence/path.h>
#include "posix.h"

#define FILE_PREFIX "file:"

char __cwd[PATH_MAX] = "/";

/* The open flags servers know (O_CLOEXEC and the like are libc's). */
#define SERVER_FLAGS                                                           \
	(VO_ACCMODE | VO_APPEND | VO_CREAT | VO_TRUNC | VO_EXCL |              \
	 VO_NONBLOCK | VO_DIRECTORY)

/*
 * Makes the full scheme path of `path` in out: a file path becomes
 * "file:" and its absolute, normal form against the working directory;
 * any other scheme's path is copied as it is.  Returns 0 or -errno.
 */
static int full_path(const char *path, char *out, size_t size)
{
	char scheme[PATH_SCHEME_MAX + 1];
	const char *rest;
	size_t plen = sizeof(FILE_PREFIX) - 1;
	int err;

	if (!path)
		return -EFAULT;
	if (!*path)
		return -ENOENT; /* POSIX: the empty path names nothing */
	err = path_split(path, scheme, sizeof(scheme), &rest);
	if (err)
		return err;
	if (strcmp(scheme, "file") != 0) {
		if (strnlen(path, size) == size)
			return -ENAMETOOLONG;
		strcpy(out, path);
		return 0;
	}
	memcpy(out, FILE_PREFIX, plen);
	if (!*rest)
		rest = "/";
	return path_resolve(__cwd, rest, out + plen, size - plen);
}

/* The size of a full path: "file:" and PATH_MAX. */
#define FULL_MAX (PATH_MAX + 8)

int open(const char *path, int flags, ...)
{
	char full[FULL_MAX];
	mode_t mode = 0;
	va_list ap;
	handle_t fd;
	int err;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	err = full_path(path, full, sizeof(full));
	if (err)
		return (int)__posix_ret(err);
	fd = scheme_open(full, (uint32_t)flags & SERVER_FLAGS, mode, NULL);
	if (fd < 0)
		return (int)__posix_ret(fd);
	__fd_opened(fd, flags);
	return fd;
}

int stat(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY), r, saved;

	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/* No symbolic links are served yet: lstat is stat. */
int lstat(const char *path, struct stat *st)
{
	return stat(path, st);
}

/* One FS_* call on the scheme root of `path` (and `path2`). */
static int path_op(uint32_t op, const char *path, const char *path2,
		   uint64_t arg)
{
	char full[FULL_MAX], full2[FULL_MAX];
	int err = full_path(path, full, sizeof(full));

	if (!err && path2)
		err = full_path(path2, full2, sizeof(full2));
	if (err)
		return (int)__posix_ret(err);
	return (int)__posix_ret(
		scheme_path_call(op, full, path2 ? full2 : NULL, arg));
}

int unlink(const char *path)
{
	return path_op(FS_UNLINK, path, NULL, 0);
}

int rmdir(const char *path)
{
	return path_op(FS_UNLINK, path, NULL, 1);
}

int mkdir(const char *path, mode_t mode)
{
	return path_op(FS_MKDIR, path, NULL, mode);
}

int rename(const char *from, const char *to)
{
	return path_op(FS_RENAME, from, to, 0);
}

/* The file protocol has no hard links (yet). */
int link(const char *from, const char *to)
{
	(void)from;
	(void)to;
	return (int)__posix_ret(-ENOSYS);
}

/* Existence, and the owner's permission bits (there are no users yet). */
int access(const char *path, int mode)
{
	struct stat st;

	if (mode & ~(R_OK | W_OK | X_OK))
		return (int)__posix_ret(-EINVAL);
	if (stat(path, &st) < 0)
		return -1;
	if (((mode & R_OK) && !(st.st_mode & S_IRUSR)) ||
	    ((mode & W_OK) && !(st.st_mode & S_IWUSR)) ||
	    ((mode & X_OK) && !(st.st_mode & S_IXUSR)))
		return (int)__posix_ret(-EACCES);
	return 0;
}

int chdir(const char *path)
{
	char full[FULL_MAX];
	struct stat st;
	int err = full_path(path, full, sizeof(full));

	if (err)
		return (int)__posix_ret(err);
	if (strncmp(full, FILE_PREFIX, sizeof(FILE_PREFIX) - 1) != 0)
		return (int)__posix_ret(-ENOTSUP); /* a cwd is a file: path */
	if (stat(full, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return (int)__posix_ret(-ENOTDIR);
	strcpy(__cwd, full + sizeof(FILE_PREFIX) - 1);
	return 0;
}

char *getcwd(char *buf, size_t size)
{
	size_t len = strlen(__cwd);

	if (!buf) /* as glibc: a buffer of `size`, or just big enough */
		buf = malloc(size ? size : len + 1);
	if (!buf) {
		__posix_ret(-ENOMEM);
		return NULL;
	}
	if (size == 0)
		size = len + 1;
	if (len >= size) {
		__posix_ret(-ERANGE);
		return NULL;
	}
	memcpy(buf, __cwd, len + 1);
	return buf;
}

POSIX_ALIAS(open);
POSIX_ALIAS(stat);
POSIX_ALIAS(unlink);
POSIX_ALIAS(link);
POSIX_ALIAS(mkdir);
