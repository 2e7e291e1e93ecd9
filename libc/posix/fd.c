/*
 * Descriptors.  A descriptor is the handle of the open file's connection
 * (DESIGN.md section 4): read, write, lseek and fstat are one FS_* call
 * on it, close closes the handle (the server then gets CLOSE).  A little
 * is kept here per descriptor (fd_state): the access mode, so that a
 * read on a write-only descriptor fails with EBADF before it reaches the
 * server; close-on-exec (FD_CLOEXEC, fcntl.c); and O_APPEND and
 * O_NONBLOCK as set with fcntl(F_SETFL) on a server that does not keep
 * them itself (it answers FS_SETFL with -ENOSYS).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <unistd.h>
#include "posix.h"

/* fd_state[fd]: the access mode + 1 (0 = not known) and these bits. */
#define FD_MODE_MASK	0x03
#define FD_CLOEXEC_BIT	0x04
#define FD_APPEND_BIT	0x08 /* O_APPEND kept here, not by the server */
#define FD_NONBLOCK_BIT 0x10 /* O_NONBLOCK kept here */

static uint8_t fd_state[HANDLE_MAX];

static int fd_ok(int fd)
{
	return fd >= 0 && fd < HANDLE_MAX;
}

void __fd_opened(int fd, int flags)
{
	if (!fd_ok(fd))
		return;
	fd_state[fd] = (uint8_t)((flags & O_ACCMODE) + 1);
	if (flags & O_CLOEXEC)
		fd_state[fd] |= FD_CLOEXEC_BIT;
}

void __fd_closed(int fd)
{
	if (fd_ok(fd))
		fd_state[fd] = 0;
}

void __fd_copied(int from, int to)
{
	if (fd_ok(from) && fd_ok(to))
		fd_state[to] = fd_state[from] & (uint8_t)~FD_CLOEXEC_BIT;
}

int __fd_accmode(int fd)
{
	if (!fd_ok(fd) || !(fd_state[fd] & FD_MODE_MASK))
		return -1;
	return (fd_state[fd] & FD_MODE_MASK) - 1;
}

int __fd_cloexec(int fd)
{
	return fd_ok(fd) && (fd_state[fd] & FD_CLOEXEC_BIT);
}

void __fd_set_cloexec(int fd, int on)
{
	if (!fd_ok(fd))
		return;
	if (on)
		fd_state[fd] |= FD_CLOEXEC_BIT;
	else
		fd_state[fd] &= (uint8_t)~FD_CLOEXEC_BIT;
}

void __fd_close_on_exec(void)
{
	for (int fd = 0; fd < HANDLE_MAX; fd++)
		if (fd_state[fd] & FD_CLOEXEC_BIT)
			close(fd);
}

int __fd_local_flags(int fd)
{
	int flags = 0;

	if (fd_ok(fd) && (fd_state[fd] & FD_APPEND_BIT))
		flags |= O_APPEND;
	if (fd_ok(fd) && (fd_state[fd] & FD_NONBLOCK_BIT))
		flags |= O_NONBLOCK;
	return flags;
}

void __fd_set_local_flags(int fd, int flags)
{
	if (!fd_ok(fd))
		return;
	fd_state[fd] &= (uint8_t) ~(FD_APPEND_BIT | FD_NONBLOCK_BIT);
	if (flags & O_APPEND)
		fd_state[fd] |= FD_APPEND_BIT;
	if (flags & O_NONBLOCK)
		fd_state[fd] |= FD_NONBLOCK_BIT;
}

/* Whether fd's access mode allows `want` (O_RDONLY or O_WRONLY). */
static int allowed(int fd, int want)
{
	int mode = __fd_accmode(fd);

	if (mode < 0)
		return 1; /* not opened here: the server decides */
	return mode == O_RDWR || mode == want;
}

ssize_t read(int fd, void *buf, size_t len)
{
	if (!allowed(fd, O_RDONLY))
		return __posix_ret(-EBADF);
	if (len == 0)
		return 0;
	return __posix_ret(file_read(fd, buf, len));
}

ssize_t write(int fd, const void *buf, size_t len)
{
	long r;

	if (!allowed(fd, O_WRONLY))
		return __posix_ret(-EBADF);
	if (len == 0)
		return 0;
	if (fd_ok(fd) && (fd_state[fd] & FD_APPEND_BIT)) {
		r = file_seek(fd, 0, SEEK_END); /* not atomic, see above */
		if (r < 0)
			return __posix_ret(r);
	}
	r = file_write(fd, buf, len);
	if (r == -EPIPE) /* no reader: SIGPIPE, which ends us by default */
		kill(getpid(), SIGPIPE);
	return __posix_ret(r);
}

off_t lseek(int fd, off_t offset, int whence)
{
	return __posix_ret(file_seek(fd, offset, whence));
}

int close(int fd)
{
	int err = sys_handle_close(fd);

	if (!err)
		__fd_closed(fd);
	return (int)__posix_ret(err);
}

void __from_vstat(struct stat *st, const struct vstat *v)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)v->dev;
	st->st_ino = (ino_t)v->ino;
	st->st_mode = (mode_t)v->mode;
	st->st_nlink = (nlink_t)v->nlink;
	st->st_uid = (uid_t)v->uid;
	st->st_gid = (gid_t)v->gid;
	st->st_rdev = (dev_t)v->rdev;
	st->st_size = (off_t)v->size;
	st->st_atim.tv_sec = v->atime_ns / 1000000000;
	st->st_atim.tv_nsec = v->atime_ns % 1000000000;
	st->st_mtim.tv_sec = v->mtime_ns / 1000000000;
	st->st_mtim.tv_nsec = v->mtime_ns % 1000000000;
	st->st_ctim.tv_sec = v->ctime_ns / 1000000000;
	st->st_ctim.tv_nsec = v->ctime_ns % 1000000000;
	st->st_blksize = (blksize_t)(v->blksize ? v->blksize : 512);
	st->st_blocks = (blkcnt_t)v->blocks;
}

int fstat(int fd, struct stat *st)
{
	struct vstat v;
	long r;

	if (!st)
		return (int)__posix_ret(-EFAULT);
	memset(&v, 0, sizeof(v));
	r = file_stat(fd, &v);
	if (r < 0)
		return (int)__posix_ret(r);
	__from_vstat(st, &v);
	return 0;
}

int isatty(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0; /* errno set: EBADF */
	if (S_ISCHR(st.st_mode))
		return 1;
	__posix_ret(-ENOTTY);
	return 0;
}

int fsync(int fd)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = FS_FSYNC;
	return (int)__posix_ret(sys_ipc_call(fd, &m, NULL));
}

int ftruncate(int fd, off_t length)
{
	struct ipc_msg m;

	if (length < 0)
		return (int)__posix_ret(-EINVAL);
	if (!allowed(fd, O_WRONLY))
		return (int)__posix_ret(-EBADF);
	memset(&m, 0, sizeof(m));
	m.op = FS_TRUNCATE;
	m.w[0] = (uint64_t)length;
	return (int)__posix_ret(sys_ipc_call(fd, &m, NULL));
}

POSIX_ALIAS(read);
POSIX_ALIAS(write);
POSIX_ALIAS(lseek);
POSIX_ALIAS(close);
POSIX_ALIAS(fstat);
POSIX_ALIAS(isatty);
