/*
 * Paths: open, stat and the calls that name a file.  A path is
 * "scheme:rest"; without a scheme it is a file: path, relative to the
 * working directory kept here (libc/path.c does the parsing).  The raw
 * calls are libvalence's scheme_open() and scheme_path_call().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <valence/path.h>
#include "posix.h"

#define FILE_PREFIX "file:"

char __cwd[PATH_MAX] = "/";
unsigned int __umask = 022;

/* The open flags servers know (O_CLOEXEC and the like are libc's). */
#define SERVER_FLAGS                                                           \
	(VO_ACCMODE | VO_APPEND | VO_CREAT | VO_TRUNC | VO_EXCL |              \
	 VO_NONBLOCK | VO_DIRECTORY | VO_NOFOLLOW)

/*
 * Whether a file path must name a directory: it ends in '/', or its last
 * component is "." or "..".  POSIX has "file/" fail with ENOTDIR, but
 * path_resolve's normal form drops the slash, so __full_path puts one
 * back for the server to see.
 */
static bool names_dir(const char *rest)
{
	size_t n = strlen(rest);
	const char *last = strrchr(rest, '/');

	if (n > 0 && rest[n - 1] == '/')
		return true;
	last = last ? last + 1 : rest;
	return !strcmp(last, ".") || !strcmp(last, "..");
}

int __full_path(const char *path, char *out, size_t size)
{
	char scheme[PATH_SCHEME_MAX + 1];
	const char *rest;
	size_t plen = sizeof(FILE_PREFIX) - 1, len;
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
	err = path_resolve(__cwd, rest, out + plen, size - plen);
	if (err || !names_dir(rest))
		return err;
	len = strlen(out);
	if (out[len - 1] == '/')
		return 0; /* the root */
	if (len + 1 >= size || len - plen + 1 >= PATH_MAX)
		return -ENAMETOOLONG;
	out[len] = '/';
	out[len + 1] = '\0';
	return 0;
}

_Static_assert(FULL_MAX == PATH_MAX + 8, "posix.h's FULL_MAX");

/* The mode creation mask: applied to open's and mkdir's modes. */
mode_t umask(mode_t mask)
{
	mode_t old = (mode_t)__umask;

	__umask = mask & 0777;
	return old;
}

int open(const char *path, int flags, ...)
{
	char full[FULL_MAX];
	mode_t mode = 0;
	va_list ap;
	handle_t fd;
	int err;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int) & ~(mode_t)__umask;
		va_end(ap);
	}
	err = __full_path(path, full, sizeof(full));
	if (err)
		return (int)__posix_ret(err);
	fd = scheme_open(full, (uint32_t)flags & SERVER_FLAGS, mode, NULL);
	if (fd < 0)
		return (int)__posix_ret(fd);
	__fd_opened(fd, flags);
	return fd;
}

/*
 * stat and lstat: FS_PATHSTAT on the scheme's root.  A server without it
 * (-ENOSYS, or -EBADF from one that wants an open file) is asked the old
 * way, open, fstat and close: it has no symbolic links for lstat to see.
 */
static int path_stat(const char *path, struct stat *st, int nofollow)
{
	char full[FULL_MAX];
	struct ipc_msg m;
	struct vstat v;
	long r;
	int err = __full_path(path, full, sizeof(full));

	if (!err && !st)
		err = -EFAULT;
	if (err)
		return (int)__posix_ret(err);
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	m.op = FS_PATHSTAT;
	m.w[0] = (uint64_t)nofollow;
	r = scheme_root_call(full, NULL, &m, &v, sizeof(v));
	if (r == -ENOSYS || r == -EBADF) {
		handle_t fd = scheme_open(full, VO_RDONLY, 0, NULL);

		if (fd < 0)
			return (int)__posix_ret(fd);
		r = file_stat(fd, &v);
		sys_handle_close(fd);
	}
	if (r < 0)
		return (int)__posix_ret(r);
	__from_vstat(st, &v);
	return 0;
}

int stat(const char *path, struct stat *st)
{
	return path_stat(path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return path_stat(path, st, 1);
}

/* One FS_* call on the scheme root of `path` (and `path2`). */
static int path_op(uint32_t op, const char *path, const char *path2,
		   uint64_t arg)
{
	char full[FULL_MAX], full2[FULL_MAX];
	int err = __full_path(path, full, sizeof(full));

	if (!err && path2)
		err = __full_path(path2, full2, sizeof(full2));
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
	return path_op(FS_MKDIR, path, NULL, mode & 07777 & ~(mode_t)__umask);
}

int rename(const char *from, const char *to)
{
	return path_op(FS_RENAME, from, to, 0);
}

/* A hard link: FS_LINK, both paths on one scheme (else EXDEV). */
int link(const char *from, const char *to)
{
	return path_op(FS_LINK, from, to, 0);
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
	size_t len;
	int err = __full_path(path, full, sizeof(full));

	if (err)
		return (int)__posix_ret(err);
	if (strncmp(full, FILE_PREFIX, sizeof(FILE_PREFIX) - 1) != 0)
		return (int)__posix_ret(-ENOTSUP); /* a cwd is a file: path */
	if (stat(full, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return (int)__posix_ret(-ENOTDIR);
	strcpy(__cwd, full + sizeof(FILE_PREFIX) - 1);
	len = strlen(__cwd);
	if (len > 1 && __cwd[len - 1] == '/')
		__cwd[len - 1] = '\0'; /* __full_path's, for the server */
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
