/*
 * termios and the terminal ioctls: one TTY_* message each to the server
 * behind the descriptor (servers/tty).  A descriptor whose server does not
 * know them (it answers ENOSYS or EBADF) is not a terminal: ENOTTY.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "posix.h"

_Static_assert(sizeof(struct termios) == sizeof(struct vtermios),
	       "struct termios is the protocol's struct vtermios");
_Static_assert(sizeof(struct winsize) == sizeof(struct vwinsize),
	       "struct winsize is the protocol's struct vwinsize");

/* One TTY_* call on fd; the server's status as a POSIX result. */
static long tty_call(int fd, uint32_t op, uint64_t w0, const void *send,
		     void *recv, size_t len)
{
	struct ipc_buffers b = { .send = send,
				 .send_len = send ? len : 0,
				 .recv = recv,
				 .recv_len = recv ? len : 0 };
	struct ipc_msg m;
	long r;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	r = sys_ipc_call(fd, &m, &b);
	if (r == -ENOSYS ||
	    (r == -EBADF && fd >= 0 &&
	     sys_handle_info(fd, &(struct handle_info){ 0 }) == 0))
		r = -ENOTTY; /* a live descriptor, but not a terminal */
	return __posix_ret(r);
}

int tcgetattr(int fd, struct termios *t)
{
	if (!t)
		return (int)__posix_ret(-EFAULT);
	return (int)tty_call(fd, TTY_GETATTR, 0, NULL, t, sizeof(*t));
}

int tcsetattr(int fd, int when, const struct termios *t)
{
	if (!t)
		return (int)__posix_ret(-EFAULT);
	if (when != TCSANOW && when != TCSADRAIN && when != TCSAFLUSH)
		return (int)__posix_ret(-EINVAL);
	return (int)tty_call(fd, TTY_SETATTR, (uint64_t)when, t, NULL,
			     sizeof(*t));
}

pid_t tcgetpgrp(int fd)
{
	return (pid_t)tty_call(fd, TTY_GETPGRP, 0, NULL, NULL, 0);
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	if (pgrp <= 0)
		return (int)__posix_ret(-EINVAL);
	return (int)tty_call(fd, TTY_SETPGRP, (uint64_t)pgrp, NULL, NULL, 0);
}

int tcflush(int fd, int queue)
{
	if (queue != TCIFLUSH && queue != TCOFLUSH && queue != TCIOFLUSH)
		return (int)__posix_ret(-EINVAL);
	return (int)tty_call(fd, TTY_FLUSH, (uint64_t)queue, NULL, NULL, 0);
}

/* Output goes out as it is written: nothing to wait for. */
int tcdrain(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t);
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
				  IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t)
{
	return t->c_ispeed;
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_ospeed;
}

int cfsetispeed(struct termios *t, speed_t s)
{
	t->c_ispeed = s;
	return 0;
}

int cfsetospeed(struct termios *t, speed_t s)
{
	t->c_ospeed = s;
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	switch (request) {
	case TIOCGWINSZ:
		return (int)tty_call(fd, TTY_GETWINSZ, 0, NULL, arg,
				     sizeof(struct winsize));
	case TIOCSWINSZ:
		return (int)tty_call(fd, TTY_SETWINSZ, 0, arg, NULL,
				     sizeof(struct winsize));
	case TIOCSCTTY:
		return (int)tty_call(fd, TTY_SETCTTY, 0, NULL, NULL, 0);
	case TIOCGPGRP:
		if (!arg)
			return (int)__posix_ret(-EFAULT);
		*(pid_t *)arg = tcgetpgrp(fd);
		return *(pid_t *)arg < 0 ? -1 : 0;
	case TIOCSPGRP:
		if (!arg)
			return (int)__posix_ret(-EFAULT);
		return tcsetpgrp(fd, *(pid_t *)arg);
	}
	return (int)__posix_ret(-ENOTTY);
}
