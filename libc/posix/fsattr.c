/*
 * Symbolic links and the attributes of files: symlink, readlink,
 * realpath, chmod, chown, the utime family and truncate, over the file
 * protocol's FS_SYMLINK .. FS_UTIMES (docs/abi.md).  A call naming a path
 * goes to the scheme's root with the path; one on a descriptor goes to
 * the open file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>
#include <valence/path.h>
#include "posix.h"

#define NS_PER_S  1000000000ll
#define KEEP_ID	  0xffffffffu /* FS_CHOWN: leave it */
#define LINKS_MAX 40	      /* realpath: symbolic links in one path */

/* One call on the root of the scheme of `path`: w[0..2], recv. */
static long root_op(uint32_t op, const char *path, const char *before,
		    const uint64_t w[3], void *recv, size_t recv_len)
{
	char full[FULL_MAX];
	struct ipc_msg m;
	long r;
	int err = __full_path(path, full, sizeof(full));

	if (err)
		return err;
	memset(&m, 0, sizeof(m));
	m.op = op;
	memcpy(m.w, w, 3 * sizeof(uint64_t));
	r = scheme_root_call(full, before, &m, recv, recv_len);
	for (uint32_t i = 0; r >= 0 && i < m.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(m.handles[i]);
	return r;
}

/* One call on the open file fd with the words w[0..2]. */
static long fd_op(int fd, uint32_t op, const uint64_t w[3])
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = op;
	memcpy(m.w, w, 3 * sizeof(uint64_t));
	return sys_ipc_call(fd, &m, NULL);
}

/* ---- symbolic links ---- */

int symlink(const char *target, const char *path)
{
	static const uint64_t w[3];
	size_t n;

	if (!target)
		return (int)__posix_ret(-EFAULT);
	n = strnlen(target, PATH_MAX);
	if (n == 0)
		return (int)__posix_ret(-ENOENT);
	if (n == PATH_MAX)
		return (int)__posix_ret(-ENAMETOOLONG);
	return (int)__posix_ret(root_op(FS_SYMLINK, path, target, w, NULL, 0));
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	static const uint64_t w[3];

	if (!buf)
		return __posix_ret(-EFAULT);
	if (size == 0)
		return __posix_ret(-EINVAL);
	return __posix_ret(root_op(FS_READLINK, path, NULL, w, buf,
				   size > PATH_MAX ? PATH_MAX : size));
}

/*
 * Appends the component s[0, n) to the absolute path out (out_len bytes
 * used), or for ".." removes its last one.  -ENAMETOOLONG if it does not
 * fit in PATH_MAX.
 */
static int path_push(char *out, size_t *out_len, const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return 0;
	if (n == 2 && s[0] == '.' && s[1] == '.') {
		while (*out_len > 1 && out[*out_len - 1] != '/')
			(*out_len)--;
		if (*out_len > 1)
			(*out_len)--;
		out[*out_len] = '\0';
		return 0;
	}
	if (*out_len + (*out_len > 1) + n >= PATH_MAX)
		return -ENAMETOOLONG;
	if (*out_len > 1)
		out[(*out_len)++] = '/';
	memcpy(out + *out_len, s, n);
	*out_len += n;
	out[*out_len] = '\0';
	return 0;
}

/*
 * The file: path `path` with every symbolic link replaced by its target
 * and "." and ".." taken away, one component at a time (so "link/.."
 * is the parent of where the link leads).  Every component must exist.
 * out holds PATH_MAX bytes.  0 or -errno.
 */
static int resolve_links(const char *path, char *out)
{
	char *work = malloc(2 * PATH_MAX), *link;
	size_t out_len = 1, pos = 0, len;
	int links = 0, err = 0;

	if (!work)
		return -ENOMEM;
	link = work + PATH_MAX;
	strcpy(out, "/");
	len = strlen(path);
	if (len >= PATH_MAX) {
		err = -ENAMETOOLONG;
		goto done;
	}
	memcpy(work, path, len + 1);
	while (pos < len) {
		size_t n = strcspn(work + pos, "/"), save = out_len;
		struct stat st;
		long r;

		if (n == 0) {
			pos++;
			continue;
		}
		err = path_push(out, &out_len, work + pos, n);
		pos += n;
		if (err)
			goto done;
		if (out_len <= save)
			continue; /* "." or ".." */
		if (lstat(out, &st) < 0) {
			err = -errno;
			goto done;
		}
		if (!S_ISLNK(st.st_mode)) {
			if (!S_ISDIR(st.st_mode) && pos < len) {
				err = -ENOTDIR;
				goto done;
			}
			continue;
		}
		if (++links > LINKS_MAX) {
			err = -ELOOP;
			goto done;
		}
		r = readlink(out, link, PATH_MAX - 1);
		if (r < 0) {
			err = -errno;
			goto done;
		}
		/* The rest of the path now follows the target. */
		if ((size_t)r + (len - pos) >= PATH_MAX) {
			err = -ENAMETOOLONG;
			goto done;
		}
		memmove(work + r, work + pos, len - pos + 1);
		memcpy(work, link, (size_t)r);
		len = (size_t)r + len - pos;
		pos = 0;
		out_len = save; /* the link's directory */
		out[out_len] = '\0';
		if (link[0] == '/') {
			out_len = 1;
			strcpy(out, "/");
		}
	}
done:
	free(work);
	return err;
}

/* Copies `path` into resolved, or into memory of its own when NULL. */
static char *path_out(char *resolved, const char *path)
{
	char *out = resolved ? resolved : malloc(PATH_MAX);

	if (!out) {
		__posix_ret(-ENOMEM);
		return NULL;
	}
	strcpy(out, path);
	return out;
}

char *realpath(const char *path, char *resolved)
{
	char scheme[PATH_SCHEME_MAX + 1], *abs, *out;
	const char *rest;
	struct stat st;
	size_t cwd_len = strlen(__cwd);
	int err;

	if (!path) {
		__posix_ret(-EINVAL);
		return NULL;
	}
	err = path_split(path, scheme, sizeof(scheme), &rest);
	if (!err && strnlen(path, PATH_MAX) == PATH_MAX)
		err = -ENAMETOOLONG;
	if (!err && !*rest)
		err = -ENOENT;
	if (err) {
		__posix_ret(err);
		return NULL;
	}
	if (strcmp(scheme, "file") != 0) {
		/* Another scheme: its server's names are final. */
		return stat(path, &st) < 0 ? NULL : path_out(resolved, path);
	}
	/* The path as given, made absolute; resolve_links does the rest. */
	abs = malloc(2 * PATH_MAX);
	if (!abs) {
		__posix_ret(-ENOMEM);
		return NULL;
	}
	if (rest[0] == '/') {
		strcpy(abs, rest);
	} else {
		memcpy(abs, __cwd, cwd_len);
		abs[cwd_len] = '/';
		strcpy(abs + cwd_len + 1, rest);
	}
	out = resolved ? resolved : malloc(PATH_MAX);
	err = out ? resolve_links(abs, out) : -ENOMEM;
	free(abs);
	if (err) {
		if (!resolved)
			free(out);
		__posix_ret(err);
		return NULL;
	}
	return out;
}

/* ---- owner and mode ---- */

int chmod(const char *path, mode_t mode)
{
	const uint64_t w[3] = { mode & 07777, 0, 0 };

	return (int)__posix_ret(root_op(FS_CHMOD, path, NULL, w, NULL, 0));
}

int fchmod(int fd, mode_t mode)
{
	const uint64_t w[3] = { mode & 07777, 0, 0 };

	return (int)__posix_ret(fd_op(fd, FS_CHMOD, w));
}

/* uid_t and gid_t are 16 bits in newlib: -1 is 0xffff, "unchanged". */
static uint64_t id_word(unsigned int id, unsigned int none)
{
	return id == none ? KEEP_ID : id;
}

static int chown_path(const char *path, uid_t uid, gid_t gid, int nofollow)
{
	const uint64_t w[3] = { id_word(uid, (uid_t)-1),
				id_word(gid, (gid_t)-1), (uint64_t)nofollow };

	return (int)__posix_ret(root_op(FS_CHOWN, path, NULL, w, NULL, 0));
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return chown_path(path, uid, gid, 0);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return chown_path(path, uid, gid, 1);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	const uint64_t w[3] = { id_word(uid, (uid_t)-1),
				id_word(gid, (gid_t)-1), 0 };

	return (int)__posix_ret(fd_op(fd, FS_CHOWN, w));
}

/* ---- times ---- */

/* A struct timespec as FS_UTIMES wants it: ns, VTIME_NOW, VTIME_OMIT. */
static int time_word(const struct timespec *t, uint64_t *out)
{
	if (!t || t->tv_nsec == UTIME_NOW) {
		*out = VTIME_NOW;
		return 0;
	}
	if (t->tv_nsec == UTIME_OMIT) {
		*out = VTIME_OMIT;
		return 0;
	}
	if (t->tv_nsec < 0 || t->tv_nsec >= NS_PER_S || t->tv_sec < 0 ||
	    t->tv_sec > INT64_MAX / NS_PER_S - 1)
		return -EINVAL; /* no time before 1970 in the protocol */
	*out = (uint64_t)t->tv_sec * NS_PER_S + (uint64_t)t->tv_nsec;
	return 0;
}

/* FS_UTIMES's words for times[2] (NULL: both now); -EINVAL if bad. */
static int time_words(const struct timespec *times, uint64_t w[3])
{
	int err = time_word(times ? &times[0] : NULL, &w[0]);

	return err ? err : time_word(times ? &times[1] : NULL, &w[1]);
}

int utimensat(int dirfd, const char *path, const struct timespec *times,
	      int flags)
{
	uint64_t w[3] = { 0, 0, 0 };
	int err;

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return (int)__posix_ret(-EINVAL);
	/* Only the working directory: descriptors of directories are not
	   kept by path here. */
	if (dirfd != AT_FDCWD && path && path[0] != '/' && !strchr(path, ':'))
		return (int)__posix_ret(-ENOTSUP);
	err = time_words(times, w);
	if (err)
		return (int)__posix_ret(err);
	w[2] = (flags & AT_SYMLINK_NOFOLLOW) ? 1 : 0;
	return (int)__posix_ret(root_op(FS_UTIMES, path, NULL, w, NULL, 0));
}

int futimens(int fd, const struct timespec *times)
{
	uint64_t w[3] = { 0, 0, 0 };
	int err = time_words(times, w);

	if (err)
		return (int)__posix_ret(err);
	return (int)__posix_ret(fd_op(fd, FS_UTIMES, w));
}

int utimes(const char *path, const struct timeval *tv)
{
	struct timespec ts[2];

	if (!tv)
		return utimensat(AT_FDCWD, path, NULL, 0);
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return (int)__posix_ret(-EINVAL);
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return utimensat(AT_FDCWD, path, ts, 0);
}

int utime(const char *path, const struct utimbuf *times)
{
	struct timespec ts[2];

	if (!times)
		return utimensat(AT_FDCWD, path, NULL, 0);
	ts[0].tv_sec = times->actime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = times->modtime;
	ts[1].tv_nsec = 0;
	return utimensat(AT_FDCWD, path, ts, 0);
}

/* ---- size ---- */

int truncate(const char *path, off_t length)
{
	int fd, r, saved;

	if (length < 0)
		return (int)__posix_ret(-EINVAL);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	r = ftruncate(fd, length);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}
