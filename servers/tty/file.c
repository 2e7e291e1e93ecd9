/*
 * Open files of tty: (docs/servers.md, "tty").  An open file is a slot
 * in a table: the terminal it opened and the flags of that open.  Its
 * connection's badge is (generation << 32) | (slot + 1), so handles
 * duplicated by a client (dup, fork) share it, and a handle kept after
 * the file was freed, or a late CLOSE, names nothing.
 */
#include "tty.h"

#define GEN_MASK 0x7fffffffu /* bit 63 of a badge is BADGE_INTERNAL */
#define NAME_MAX 8	     /* "N" of FS_OPEN */

static struct tty_file files[TTY_FILES_MAX];

static uint64_t file_badge(const struct tty_file *f)
{
	return (uint64_t)(f->gen & GEN_MASK) << 32 | (uint64_t)(f - files + 1);
}

static struct tty_file *file_lookup(uint64_t badge)
{
	uint64_t slot = badge & 0xffffffffu;
	struct tty_file *f;

	if (slot == 0 || slot > TTY_FILES_MAX || (badge & BADGE_INTERNAL))
		return NULL;
	f = &files[slot - 1];
	if (!f->used || (f->gen & GEN_MASK) != (uint32_t)(badge >> 32))
		return NULL;
	return f;
}

static void file_free(struct tty_file *f)
{
	f->used = false;
	f->gen++;
}

/* "0", "1", ...: no sign, no leading zero.  Returns the unit or -ENOENT. */
static long parse_unit(const struct ipc_received *in)
{
	char name[NAME_MAX + 1];
	long n, unit = 0;

	if (in->send_len == 0 || in->send_len > NAME_MAX)
		return -ENOENT;
	n = sys_ipc_read(in->rid, 0, name, in->send_len);
	if (n != (long)in->send_len)
		return n < 0 ? -EFAULT : -ENOENT;
	if (name[n - 1] == '\0')
		n--; /* an optional NUL */
	if (n == 0 || (n > 1 && name[0] == '0'))
		return -ENOENT;
	for (long i = 0; i < n; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -ENOENT;
		unit = unit * 10 + (name[i] - '0');
	}
	return unit < (long)tty_count ? unit : -ENOENT;
}

static long do_open(const struct ipc_received *in)
{
	uint32_t flags = (uint32_t)in->msg.w[0];
	struct tty_file *f = NULL;
	struct ipc_msg m;
	long unit;
	handle_t conn;

	if (in->msg.w[0] > UINT32_MAX || (flags & VO_ACCMODE) == VO_ACCMODE)
		return -EINVAL;
	unit = parse_unit(in);
	if (unit < 0)
		return unit;
	if (flags & VO_DIRECTORY)
		return -ENOTDIR;
	if ((flags & VO_CREAT) && (flags & VO_EXCL))
		return -EEXIST;
	for (uint32_t i = 0; i < TTY_FILES_MAX && !f; i++)
		if (!files[i].used)
			f = &files[i];
	if (!f)
		return -ENFILE;
	f->unit = (uint32_t)unit;
	f->flags = flags & (VO_ACCMODE | VO_NONBLOCK | VO_APPEND);
	conn = sys_conn_create(tty_port, file_badge(f));
	if (conn < 0)
		return conn;
	f->used = true;
	memset(&m, 0, sizeof(m));
	m.nhandles = 1;
	m.handles[0] = conn;
	m.w[0] = VS_IFCHR;
	if (sys_ipc_reply(in->rid, 0, &m) < 0) { /* the caller is gone */
		sys_handle_close(conn);
		file_free(f);
	}
	return TTY_NO_REPLY;
}

long file_root(const struct ipc_received *in)
{
	switch (in->msg.op) {
	case FS_OPEN:
		return do_open(in);
	case FS_READ:
	case FS_WRITE:
	case FS_SEEK:
	case FS_STAT:
	case FS_READDIR:
	case FS_TRUNCATE:
	case FS_FSYNC:
	case FS_SETFL:
	case TTY_GETATTR:
	case TTY_SETATTR:
	case TTY_GETPGRP:
	case TTY_SETPGRP:
	case TTY_GETWINSZ:
	case TTY_SETWINSZ:
	case TTY_SETCTTY:
	case TTY_FLUSH:
		return -EBADF; /* they need an open terminal */
	}
	return -ENOSYS;
}

static long do_stat(const struct tty_file *f, const struct ipc_received *in)
{
	struct vstat st;

	if (in->recv_len < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.ino = f->unit + 1;
	st.rdev = f->unit;
	st.size = ldisc_available(&ttys[f->unit]->ld); /* what a read gets */
	st.mode = VS_IFCHR | 0620;
	st.nlink = 1;
	st.blksize = 1024;
	if (sys_ipc_write(in->rid, 0, &st, sizeof(st)) != sizeof(st))
		return -EFAULT;
	return 0;
}

static long do_setfl(struct tty_file *f, const struct ipc_received *in)
{
	if (in->msg.w[1] == 1)
		return f->flags;
	if (in->msg.w[1] != 0)
		return -EINVAL;
	f->flags = (f->flags & VO_ACCMODE) |
		   ((uint32_t)in->msg.w[0] & (VO_NONBLOCK | VO_APPEND));
	return 0;
}

long file_request(const struct ipc_received *in)
{
	struct tty_file *f = file_lookup(in->badge);
	struct tty *t;

	if (!f)
		return -EBADF;
	t = ttys[f->unit];
	switch (in->msg.op) {
	case FS_READ:
		if ((f->flags & VO_ACCMODE) == VO_WRONLY)
			return -EBADF;
		return tty_read(t, f, in);
	case FS_WRITE:
		if ((f->flags & VO_ACCMODE) == VO_RDONLY)
			return -EBADF;
		return tty_write(t, f, in);
	case FS_STAT:
		return do_stat(f, in);
	case FS_SEEK:
		return -ESPIPE;
	case FS_SETFL:
		return do_setfl(f, in);
	case FS_FSYNC:
		return 0;
	case FS_READDIR:
		return -ENOTDIR;
	case FS_TRUNCATE:
		return -EINVAL;
	case FS_OPEN:
	case FS_MKDIR:
	case FS_UNLINK:
	case FS_RENAME:
	case FS_SYMLINK:
	case FS_READLINK:
	case FS_PATHSTAT:
	case FS_LINK:
		return -EBADF; /* they go to the root */
	}
	if (in->msg.op >= TTY_GETATTR && in->msg.op <= TTY_FLUSH)
		return tty_control(t, in);
	return -ENOSYS;
}

void file_closed(uint64_t badge)
{
	struct tty_file *f = file_lookup(badge);

	if (!f)
		return;
	tty_file_closed(ttys[f->unit], badge);
	file_free(f);
}
