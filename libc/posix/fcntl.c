/*
 * fcntl() and dup().  A descriptor is a handle, so duplicating one is
 * handle_dup: the copy names the same connection, and with it the same
 * open file (offset, O_APPEND, O_NONBLOCK) in the server, as POSIX wants.
 * Close-on-exec belongs to the descriptor and is kept in libc's table
 * (fd.c); the file status flags belong to the open file and live in the
 * server (FS_SETFL), or in libc's table when the server does not keep
 * them.
 *
 * The kernel gives a new handle the lowest free number, which is what
 * dup() promises.  F_DUPFD wants the lowest free number at or above
 * `arg`: the lower free numbers are filled with placeholder duplicates
 * first and closed after, so it costs one handle_dup per free number
 * below `arg`.  dup2() needs a handle at a chosen number and is not here
 * yet (docs/libc.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include "posix.h"

/* The status flags F_SETFL may change. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

/* The O_* status flags fcntl reports, from VO_* (the same values). */
#define VO_STATUS (VO_ACCMODE | VO_APPEND | VO_NONBLOCK)

int dup(int fd)
{
	handle_t h = sys_handle_dup(fd, RIGHTS_SAME);

	if (h < 0)
		return (int)__posix_ret(h);
	__fd_copied(fd, h);
	return h;
}

/* The lowest free descriptor >= lowest naming what fd names, or -errno. */
static int dup_at_least(int fd, int lowest)
{
	uint8_t spare[HANDLE_MAX / 8];
	handle_t h;

	memset(spare, 0, sizeof(spare));
	for (;;) {
		h = sys_handle_dup(fd, RIGHTS_SAME);
		if (h < 0 || h >= lowest)
			break;
		spare[h / 8] |= (uint8_t)(1u << (h % 8));
	}
	for (int i = 0; i < lowest; i++)
		if (spare[i / 8] & (1u << (i % 8)))
			sys_handle_close(i);
	if (h >= 0)
		__fd_copied(fd, h);
	return h;
}

/* Whether fd is an open handle: -EBADF if not. */
static int check_fd(int fd)
{
	struct handle_info info;

	return sys_handle_info(fd, &info);
}

/* One FS_SETFL call: w[0] the flags, w[1] 1 to only read them. */
static long setfl_call(int fd, uint64_t flags, uint64_t only_read)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = FS_SETFL;
	m.w[0] = flags;
	m.w[1] = only_read;
	return sys_ipc_call(fd, &m, NULL);
}

/*
 * F_GETFL: the server's flags; the access mode libc knows wins.  A server
 * without FS_SETFL: the access mode libc knows (O_RDWR when it does not:
 * a descriptor it did not open) and the flags kept here.
 */
static int get_flags(int fd)
{
	long r = setfl_call(fd, 0, 1);
	int mode = __fd_accmode(fd);

	if (r == -ENOSYS)
		return (mode < 0 ? O_RDWR : mode) | __fd_local_flags(fd);
	if (r < 0)
		return (int)r;
	r &= VO_STATUS;
	if (mode >= 0)
		r = (r & ~(long)O_ACCMODE) | mode;
	return (int)r;
}

/* F_SETFL: O_APPEND and O_NONBLOCK; the other bits are ignored. */
static int set_flags(int fd, int flags)
{
	long r = setfl_call(fd, (uint64_t)(flags & SETFL_MASK), 0);

	if (r == -ENOSYS) {
		int err = check_fd(fd);

		if (err)
			return err;
		__fd_set_local_flags(fd, flags & SETFL_MASK);
		return 0;
	}
	if (r < 0)
		return (int)r;
	__fd_set_local_flags(fd, 0);
	return 0;
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int arg, err;
	long r;

	va_start(ap, cmd);
	arg = va_arg(ap, int); /* read for every cmd; unused by some */
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= HANDLE_MAX)
			return (int)__posix_ret(-EINVAL);
		r = dup_at_least(fd, arg);
		if (r >= 0 && cmd == F_DUPFD_CLOEXEC)
			__fd_set_cloexec((int)r, 1);
		return (int)__posix_ret(r);
	case F_GETFD:
		err = check_fd(fd);
		if (err)
			return (int)__posix_ret(err);
		return __fd_cloexec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		err = check_fd(fd);
		if (err)
			return (int)__posix_ret(err);
		__fd_set_cloexec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return (int)__posix_ret(get_flags(fd));
	case F_SETFL:
		return (int)__posix_ret(set_flags(fd, arg));
	}
	return (int)__posix_ret(-EINVAL);
}

POSIX_ALIAS(fcntl);
