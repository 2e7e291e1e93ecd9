/*
 * Valence scheme protocols: the IPC messages user-space servers answer.
 * docs/abi.md ("Scheme protocols") describes each message.  Opcodes are
 * ipc_msg.op; w[] are the message words; "send" and "recv" are the
 * buffers the caller lends (struct ipc_buffers).  A reply's status is >= 0
 * or -errno.  Numbers are stable: only append.
 */
#ifndef VALENCE_PROTO_H
#define VALENCE_PROTO_H

#include <stdint.h>

/* ---- handles a process starts with (after init) ---- */

#define PROC_H_STDIN  0 /* the fds 0, 1, 2 are these handles */
#define PROC_H_STDOUT 1
#define PROC_H_STDERR 2
#define PROC_H_NS     3 /* a connection to the name service, ns: */
#define PROC_HANDLES  4 /* spawners pass at least these */

#define SCHEME_NAME_MAX 31 /* [a-z0-9._-], 1..31 chars */

/* ---- ns: the name service (in init) ---- */

/* send: scheme name; handles[0]: a connection to the server's port, which
   becomes the scheme's root (ns hands out copies).  0, -EEXIST, -EACCES
   (the service may not register that name), -EINVAL (bad name). */
#define NS_REGISTER 1
/* send: scheme name; reply handles[0]: a connection to the scheme's root.
   -ENOENT (not registered), -EACCES (not visible to the caller). */
#define NS_LOOKUP 2
/* As NS_LOOKUP, but a name not registered yet parks the call until it is
   (or until the caller's timeout, w[0] in ns, 0 = forever: -ETIMEDOUT). */
#define NS_WAIT 3
/* send: a service's name (its NAME in init's service list, not a scheme).
   Only for services whose line says control=yes.  init kills the service
   (SIG_KILL) and replies once it has ended and its schemes are dropped;
   it is then restarted per its policy.  0, -EACCES (no control=yes),
   -ENOENT (no such service), -ESRCH (not running), -EBUSY (a kill of it
   is already under way), -EINVAL (bad name). */
#define NS_SVC_KILL 4

/* ---- the file protocol, served by every scheme that has files ---- */

/* On a scheme root.  send: the path after "scheme:"; w[0]: O_* flags;
   w[1]: mode for O_CREAT.  Reply handles[0]: a connection for the open
   file (its badge is the server's open-file id); w[0]: its S_IF* type. */
#define FS_OPEN 0x100
/* recv: where the bytes go (its length is the count).  Reads from the
   open file's offset and advances it.  Status: bytes read, 0 at the end. */
#define FS_READ 0x101
/* send: the bytes.  Writes at the offset (at the end with O_APPEND) and
   advances it.  Status: bytes written. */
#define FS_WRITE 0x102
/* w[0]: offset (signed), w[1]: VSEEK_SET/VSEEK_CUR/VSEEK_END.  Status:
   the new offset.  -EINVAL before 0 (or a bad whence); -ESPIPE on
   streams. */
#define FS_SEEK 0x103
/* recv: a struct vstat.  Status: 0. */
#define FS_STAT 0x104
/* recv: as many struct vdirent records as fit, from the directory's
   offset on, which advances.  Status: bytes filled, 0 at the end. */
#define FS_READDIR 0x105
/* w[0]: the new length.  Status: 0. */
#define FS_TRUNCATE 0x106
/* On a scheme root.  send: path; w[0]: mode. */
#define FS_MKDIR 0x107
/* On a scheme root.  send: path; w[0]: 1 to remove a directory. */
#define FS_UNLINK 0x108
/* On a scheme root.  send: "old\0new\0". */
#define FS_RENAME 0x109
/* Status: 0 once the file's data is stable. */
#define FS_FSYNC 0x10a
/* On a scheme root.  send: "target\0linkpath".  Makes a symbolic link
   at linkpath holding target.  0; -EEXIST. */
#define FS_SYMLINK 0x10b
/* On a scheme root.  send: path.  recv: the link's target (not
   NUL-terminated).  Status: its length (truncated to the buffer);
   -EINVAL when path is not a symbolic link. */
#define FS_READLINK 0x10c
/* On a scheme root.  send: path; w[0]: the new permission bits (07777).
   On an open file: the same without the path.  0; -EPERM unless the
   caller owns the file or is uid 0. */
#define FS_CHMOD 0x10d
/* On a scheme root.  send: path; w[0]: uid, w[1]: gid, each
   0xffffffff = unchanged; w[2]: 1 to not follow a last symbolic link
   (lchown).  On an open file: without the path.  0; -EPERM unless the
   caller is uid 0 (an owner may change the group to one of its own: its
   gid). */
#define FS_CHOWN 0x10e
/* On a scheme root.  send: path; w[0]: atime, w[1]: mtime, in ns since
   1970, or VTIME_NOW / VTIME_OMIT; w[2]: 1 to not follow a last symbolic
   link.  On an open file: without the path.  Given times need the owner
   or uid 0 (-EPERM); VTIME_NOW also the right to write (-EACCES). */
#define FS_UTIMES 0x10f
/* On a scheme root.  send: path; w[0]: 1 to not follow a last symbolic
   link (lstat).  recv: a struct vstat.  stat without an open. */
#define FS_PATHSTAT 0x110
/* On a scheme root.  send: "old\0new".  A hard link.  0; -EEXIST,
   -EPERM for a directory. */
#define FS_LINK 0x111
/* On an open file.  w[0]: the new VO_APPEND | VO_NONBLOCK flags of the
   open file (F_SETFL); status: 0.  With w[1] = 1 only reads them:
   status: the open file's VO_* flags, its access mode included
   (F_GETFL).  -ENOSYS from a server that keeps no flags. */
#define FS_SETFL 0x112

#define VTIME_NOW  0xffffffffffffffffull /* FS_UTIMES: the current time */
#define VTIME_OMIT 0xfffffffffffffffeull /* FS_UTIMES: leave it */

/* ---- pipe: anonymous pipes ---- */

/* On the pipe: root.  Makes a pipe.  w[0]: 0 or VO_NONBLOCK (on both
   ends).  Reply handles[0]: its read end, handles[1]: its write end
   (connections speaking the file protocol: FS_READ on the read end waits
   for data and gives 0 once every write end is closed; FS_WRITE on the
   write end waits for room and gives -EPIPE once every read end is
   closed).  -EMFILE: the caller's share of pipes is used up; -ENFILE:
   the server's. */
#define PIPE_CREATE 0x200

/* O_* flags as newlib defines them (w[0] of FS_OPEN). */
#define VO_ACCMODE   0x0003
#define VO_RDONLY    0x0000
#define VO_WRONLY    0x0001
#define VO_RDWR	     0x0002
#define VO_APPEND    0x0008
#define VO_CREAT     0x0200
#define VO_TRUNC     0x0400
#define VO_EXCL	     0x0800
#define VO_NONBLOCK  0x4000
#define VO_NOFOLLOW  0x100000 /* FS_OPEN: fail (-ELOOP) on a symbolic link */
#define VO_DIRECTORY 0x200000

/* FS_SEEK's w[1]: SEEK_SET, SEEK_CUR and SEEK_END as newlib defines them. */
#define VSEEK_SET 0
#define VSEEK_CUR 1
#define VSEEK_END 2

/* File types and permission bits as newlib's <sys/stat.h>. */
#define VS_IFMT	 0170000
#define VS_IFDIR 0040000
#define VS_IFCHR 0020000
#define VS_IFREG 0100000
#define VS_IFLNK 0120000
#define VS_IFIFO 0010000

struct vstat {
	uint64_t ino;
	uint64_t size;
	uint32_t mode; /* VS_IF* | permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint32_t dev, rdev;
	int64_t atime_ns, mtime_ns, ctime_ns; /* since 1970 */
	uint32_t blksize;
	uint32_t reserved;
	uint64_t blocks; /* 512-byte blocks */
};
_Static_assert(sizeof(struct vstat) == 80, "vstat layout");

/* One directory entry; records are 8-byte aligned, reclen apart. */
struct vdirent {
	uint64_t ino;
	uint16_t reclen; /* this record's size, name and padding included */
	uint8_t type;	 /* VS_IF* >> 12 */
	uint8_t namelen; /* without the NUL */
	char name[];	 /* at offset 12, NUL-terminated */
};
_Static_assert(sizeof(struct vdirent) == 16, "vdirent layout");

/* ---- terminals: tty: ---- */

/* On an open terminal.  recv: a struct vtermios.  Status: 0. */
#define TTY_GETATTR 0x300
/* send: a struct vtermios; w[0]: VTCSANOW, VTCSADRAIN or VTCSAFLUSH. */
#define TTY_SETATTR 0x301
/* Status: the terminal's foreground process group (0: none yet). */
#define TTY_GETPGRP 0x302
/* w[0]: the new foreground process group, which must be in the
   terminal's session.  0; -EPERM (another session), -ENOTTY (the caller's
   session does not own this terminal). */
#define TTY_SETPGRP 0x303
/* recv: a struct vwinsize.  Status: 0. */
#define TTY_GETWINSZ 0x304
/* send: a struct vwinsize; the foreground group gets SIGWINCH. */
#define TTY_SETWINSZ 0x305
/* Makes this the controlling terminal of the caller's session, which the
   caller must lead and which must have none; the caller's group becomes
   the foreground.  0; -EPERM. */
#define TTY_SETCTTY 0x306
/* w[0]: VTCIFLUSH, VTCOFLUSH or VTCIOFLUSH: drops unread input (and
   output not yet sent). */
#define TTY_FLUSH 0x307

#define VTCSANOW   0
#define VTCSADRAIN 1
#define VTCSAFLUSH 2
#define VTCIFLUSH  0
#define VTCOFLUSH  1
#define VTCIOFLUSH 2

#define VNCCS 32
/* The terminal settings, laid out as libc's struct termios. */
struct vtermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[VNCCS];
	uint8_t pad[3];
	uint32_t c_ispeed, c_ospeed;
};
_Static_assert(sizeof(struct vtermios) == 60, "vtermios layout");

struct vwinsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};
_Static_assert(sizeof(struct vwinsize) == 8, "vwinsize layout");

#endif
