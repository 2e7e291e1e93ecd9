/*
 * Open files and the file protocol (valence/proto.h, docs/abi.md): each
 * handler takes one message apart, checks it, and calls ops.c, tree.c
 * or data.c.
 *
 * An open file is a record in a table of files_max (files=); the
 * connection FS_OPEN hands out carries the badge (generation << 32 |
 * slot + 1), so handles duplicated by a client share the record and its
 * offset, and a badge from a freed record (a late CLOSE) never names its
 * successor.  Badge 0 is the scheme's root, which ns hands out.
 *
 * A directory's offset is a cookie (struct entry): 0 ".", 1 "..", then
 * the entries from that cookie on, so a reader keeps its place while
 * entries are added and removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valence.h>
#include "file.h"

#define READDIR_CHUNK 1024 /* records are gathered here, then copied out */
#define NAME_AT	      offsetof(struct vdirent, name)
#define SETFL_FLAGS   (VO_APPEND | VO_NONBLOCK)
#define KEEP_FLAGS    (VO_ACCMODE | SETFL_FLAGS)

struct open_file {
	uint32_t gen; /* bumped when freed: old badges go stale */
	bool used;
	uint32_t flags; /* VO_ACCMODE | VO_APPEND | VO_NONBLOCK */
	struct node *node;
	uint64_t offset;      /* bytes, or a cookie for a directory */
	struct entry *cursor; /* directories: the entry at cursor_pos, */
	uint64_t cursor_pos;  /*   valid while the directory's removals */
	uint64_t cursor_gen;  /*   count is still cursor_gen */
};

static struct open_file *files;
static uint32_t files_max, files_used;

/* Paths from the send buffer: two at most, "old\0new". */
static char path_buf[2 * TMPFS_PATH_MAX];

int file_init(uint32_t max)
{
	files = calloc(max, sizeof(*files));
	if (!files)
		return -ENOMEM;
	files_max = max;
	return 0;
}

static uint64_t file_badge(const struct open_file *f)
{
	return (uint64_t)f->gen << 32 | (uint64_t)(f - files + 1);
}

/* The open file a badge names, or NULL (the root, a stale badge). */
static struct open_file *file_lookup(uint64_t badge)
{
	uint32_t slot = (uint32_t)badge;
	struct open_file *f;

	if (slot == 0 || slot > files_max)
		return NULL;
	f = &files[slot - 1];
	if (!f->used || f->gen != (uint32_t)(badge >> 32))
		return NULL;
	return f;
}

bool file_can_open(void)
{
	return files_used < files_max;
}

static struct open_file *file_alloc(struct node *n, uint32_t flags)
{
	for (uint32_t i = 0; i < files_max; i++) {
		struct open_file *f = &files[i];

		if (f->used)
			continue;
		f->used = true;
		f->node = n;
		f->flags = flags & KEEP_FLAGS;
		f->offset = 0;
		f->cursor = NULL;
		n->opens++;
		files_used++;
		return f;
	}
	return NULL;
}

void file_close(uint64_t badge)
{
	struct open_file *f = file_lookup(badge);

	if (!f)
		return;
	f->used = false;
	f->gen++;
	files_used--;
	f->node->opens--;
	node_put(f->node);
	f->node = NULL;
}

static struct cred request_cred(const struct request *r)
{
	return (struct cred){ .uid = r->in.uid, .gid = r->in.gid };
}

/* ---- reading the send buffer ---- */

/*
 * The path in the send buffer: up to its first NUL or its end.  0 with
 * *path and *len, -ENAMETOOLONG (TMPFS_PATH_MAX bytes or more) or the
 * copy's error.
 */
static int read_path(struct request *r, const char **path, size_t *len)
{
	long n = sys_ipc_read(r->in.rid, 0, path_buf, TMPFS_PATH_MAX);

	*path = path_buf;
	*len = 0;
	if (n < 0)
		return (int)n;
	*len = strnlen(path_buf, (size_t)n);
	if (*len >= TMPFS_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Two strings from the send buffer, "first\0second" (a NUL after the
 * second is allowed).  -EINVAL without the NUL between them,
 * -ENAMETOOLONG when either is TMPFS_PATH_MAX bytes or more.
 */
static int read_two(struct request *r, const char **a, size_t *alen,
		    const char **b, size_t *blen)
{
	long n = sys_ipc_read(r->in.rid, 0, path_buf, sizeof(path_buf));
	size_t first, rest;

	*a = *b = path_buf;
	*alen = *blen = 0;
	if (n < 0)
		return (int)n;
	first = strnlen(path_buf, (size_t)n);
	if (first >= TMPFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (first == (size_t)n)
		return -EINVAL; /* no second string */
	rest = (size_t)n - first - 1;
	*a = path_buf;
	*alen = first;
	*b = path_buf + first + 1;
	*blen = strnlen(*b, rest);
	if (*blen >= TMPFS_PATH_MAX || r->in.send_len > sizeof(path_buf))
		return -ENAMETOOLONG;
	return 0;
}

/* Copies st to the receive buffer: 0, -EINVAL if it is too short. */
static long send_stat(struct request *r, const struct vstat *st)
{
	long n;

	if (r->in.recv_len < sizeof(*st))
		return -EINVAL;
	n = sys_ipc_write(r->in.rid, 0, st, sizeof(*st));
	if (n < 0)
		return n;
	return n == sizeof(*st) ? 0 : -EFAULT;
}

/* ---- on the root ---- */

/* FS_OPEN: send = path, w[0] = VO_* flags, w[1] = mode for VO_CREAT. */
static long do_open(struct request *r)
{
	struct cred c = request_cred(r);
	uint32_t flags = (uint32_t)r->in.msg.w[0];
	struct open_file *f;
	struct node *n;
	const char *path;
	handle_t conn;
	size_t len;
	int err;

	if (r->in.msg.w[0] > UINT32_MAX || r->in.msg.w[1] > UINT32_MAX)
		return -EINVAL;
	/* A record first, so that a full table fails before any change
	   (and before the path is read: draining may use path_buf). */
	if (!file_can_open())
		fsloop_drain();
	if (!file_can_open())
		return -ENFILE;
	err = read_path(r, &path, &len);
	if (err)
		return err;
	err = ops_open(path, len, flags, (uint32_t)r->in.msg.w[1], &c, &n);
	if (err)
		return err;
	f = file_alloc(n, flags);
	conn = sys_conn_create(fsloop_port, file_badge(f));
	if (conn < 0) {
		file_close(file_badge(f));
		return conn;
	}
	r->opened = file_badge(f);
	r->out.nhandles = 1;
	r->out.handles[0] = conn;
	r->out.w[0] = n->mode & VS_IFMT;
	return 0;
}

/* FS_MKDIR: send = path, w[0] = mode. */
static long do_mkdir(struct request *r)
{
	struct cred c = request_cred(r);
	const char *path;
	size_t len;
	int err;

	if (r->in.msg.w[0] > 07777)
		return -EINVAL;
	err = read_path(r, &path, &len);
	if (err)
		return err;
	return ops_mkdir(path, len, (uint32_t)r->in.msg.w[0], &c);
}

/* FS_UNLINK: send = path, w[0] = 1 for a directory (rmdir). */
static long do_unlink(struct request *r)
{
	struct cred c = request_cred(r);
	const char *path;
	size_t len;
	int err;

	if (r->in.msg.w[0] > 1)
		return -EINVAL;
	err = read_path(r, &path, &len);
	if (err)
		return err;
	return ops_unlink(path, len, r->in.msg.w[0] == 1, &c);
}

/* FS_RENAME, FS_LINK, FS_SYMLINK: send = "a\0b". */
static long do_two_paths(struct request *r)
{
	struct cred c = request_cred(r);
	const char *a, *b;
	size_t alen, blen;
	int err = read_two(r, &a, &alen, &b, &blen);

	if (err)
		return err;
	switch (r->in.msg.op) {
	case FS_RENAME:
		return ops_rename(a, alen, b, blen, &c);
	case FS_LINK:
		return ops_link(a, alen, b, blen, &c);
	default: /* FS_SYMLINK: "target\0linkpath" */
		return ops_symlink(a, alen, b, blen, &c);
	}
}

/* FS_READLINK: send = path; recv = where the target goes. */
static long do_readlink(struct request *r)
{
	struct cred c = request_cred(r);
	const char *path;
	struct node *n;
	size_t len;
	long done;
	int err;

	err = read_path(r, &path, &len);
	if (!err)
		err = ops_lookup(path, len, false, &c, &n);
	if (err)
		return err;
	if (!node_is_link(n))
		return -EINVAL;
	len = n->size < r->in.recv_len ? n->size : r->in.recv_len;
	done = sys_ipc_write(r->in.rid, 0, n->u.link.target, len);
	if (done >= 0)
		n->atime = tmpfs_now();
	return done;
}

/*
 * The node a root message names by path, or that an open file is.  w[2]
 * = 1 (FS_CHOWN, FS_UTIMES) or w[0] = 1 (FS_PATHSTAT) does not follow a
 * last symbolic link.
 */
static int target_node(struct request *r, struct open_file *f, bool nofollow,
		       struct node **n)
{
	struct cred c = request_cred(r);
	const char *path;
	size_t len;
	int err;

	if (f) {
		*n = f->node;
		return 0;
	}
	err = read_path(r, &path, &len);
	if (err)
		return err;
	return ops_lookup(path, len, !nofollow, &c, n);
}

/* FS_PATHSTAT: send = path, w[0] = 1 for lstat; recv = a struct vstat. */
static long do_pathstat(struct request *r)
{
	struct vstat st;
	struct node *n;
	int err;

	if (r->in.msg.w[0] > 1)
		return -EINVAL;
	if (r->in.recv_len < sizeof(st))
		return -EINVAL;
	err = target_node(r, NULL, r->in.msg.w[0] == 1, &n);
	if (err)
		return err;
	node_stat(n, &st);
	return send_stat(r, &st);
}

/*
 * FS_STAT on the root: the file system rather than a file.  size is the
 * bytes in use (what max= caps), blocks the cap in 512-byte blocks,
 * nlink the nodes, rdev the open files; the rest is the root's.
 */
static long do_fs_stat(struct request *r)
{
	struct vstat st;

	node_stat(tree_root, &st);
	st.size = tree_used;
	st.blocks = tree_max / 512;
	st.nlink = tree_nodes > UINT32_MAX ? UINT32_MAX : (uint32_t)tree_nodes;
	st.rdev = files_used;
	return send_stat(r, &st);
}

/* ---- on a root or an open file ---- */

/* FS_CHMOD: [send = path,] w[0] = permission bits. */
static long do_chmod(struct request *r, struct open_file *f)
{
	struct cred c = request_cred(r);
	struct node *n;
	int err;

	if (r->in.msg.w[0] > 07777)
		return -EINVAL;
	err = target_node(r, f, false, &n);
	return err ? err : ops_chmod(n, (uint32_t)r->in.msg.w[0], &c);
}

/* FS_CHOWN: [send = path,] w[0] = uid, w[1] = gid, w[2] = 1: lchown. */
static long do_chown(struct request *r, struct open_file *f)
{
	struct cred c = request_cred(r);
	const uint64_t *w = r->in.msg.w;
	struct node *n;
	int err;

	if (w[0] > UINT32_MAX || w[1] > UINT32_MAX || w[2] > 1)
		return -EINVAL;
	err = target_node(r, f, w[2] == 1, &n);
	return err ? err : ops_chown(n, (uint32_t)w[0], (uint32_t)w[1], &c);
}

/* FS_UTIMES: [send = path,] w[0] = atime, w[1] = mtime, w[2] = 1: do
   not follow. */
static long do_utimes(struct request *r, struct open_file *f)
{
	struct cred c = request_cred(r);
	const uint64_t *w = r->in.msg.w;
	struct node *n;
	int err;

	if (w[2] > 1)
		return -EINVAL;
	err = target_node(r, f, w[2] == 1, &n);
	return err ? err : ops_utimes(n, w[0], w[1], &c);
}

static long do_root_chmod(struct request *r)
{
	return do_chmod(r, NULL);
}

static long do_root_chown(struct request *r)
{
	return do_chown(r, NULL);
}

static long do_root_utimes(struct request *r)
{
	return do_utimes(r, NULL);
}

/* ---- on an open file ---- */

static long copy_out(void *ctx, uint64_t at, const void *src, size_t len)
{
	struct request *r = ctx;

	return sys_ipc_write(r->in.rid, at, src, len);
}

static long copy_in(void *ctx, uint64_t at, void *dst, size_t len)
{
	struct request *r = ctx;

	return sys_ipc_read(r->in.rid, at, dst, len);
}

/* FS_READ: recv = the destination, its length the count. */
static long do_read(struct request *r, struct open_file *f)
{
	long n;

	if ((f->flags & VO_ACCMODE) == VO_WRONLY)
		return -EBADF;
	if (node_is_dir(f->node))
		return -EISDIR;
	n = data_read(f->node, f->offset, r->in.recv_len, copy_out, r);
	if (n > 0)
		f->offset += (uint64_t)n;
	if (n >= 0)
		f->node->atime = tmpfs_now();
	return n;
}

/* FS_WRITE: send = the bytes; at the end with VO_APPEND. */
static long do_write(struct request *r, struct open_file *f)
{
	struct cred c = request_cred(r);
	long n;

	if ((f->flags & VO_ACCMODE) == VO_RDONLY)
		return -EBADF;
	if (f->flags & VO_APPEND)
		f->offset = f->node->size;
	n = data_write(f->node, f->offset, r->in.send_len, copy_in, r);
	if (n > 0) {
		f->offset += (uint64_t)n;
		ops_written(f->node, &c);
	}
	return n;
}

/* FS_SEEK: w[0] = offset, w[1] = whence.  Past the end is allowed. */
static long do_seek(struct request *r, struct open_file *f)
{
	int64_t off = (int64_t)r->in.msg.w[0], base, pos;
	struct vstat st;

	switch (r->in.msg.w[1]) {
	case VSEEK_SET:
		base = 0;
		break;
	case VSEEK_CUR:
		base = (int64_t)f->offset;
		break;
	case VSEEK_END:
		node_stat(f->node, &st);
		base = (int64_t)st.size;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, off, &pos) || pos < 0)
		return -EINVAL;
	f->offset = (uint64_t)pos;
	return pos;
}

/* FS_STAT: recv = a struct vstat. */
static long do_stat(struct request *r, struct open_file *f)
{
	struct vstat st;

	node_stat(f->node, &st);
	return send_stat(r, &st);
}

/* The entry at directory offset pos (>= 2), from the cursor if valid. */
static struct entry *dir_entry_at(struct open_file *f, uint64_t pos)
{
	struct node *dir = f->node;

	if (f->cursor && f->cursor_pos == pos &&
	    f->cursor_gen == dir->u.dir.removals)
		return f->cursor;
	return dir_seek(dir, pos);
}

/* Builds the record for one name at d; returns its length. */
static size_t dirent_put(struct vdirent *d, size_t reclen, uint64_t ino,
			 uint32_t mode, const char *name, size_t namelen)
{
	memset(d, 0, reclen); /* no stale bytes in the padding */
	d->ino = ino;
	d->reclen = (uint16_t)reclen;
	d->type = (uint8_t)((mode & VS_IFMT) >> 12);
	d->namelen = (uint8_t)namelen;
	memcpy(d->name, name, namelen);
	return reclen;
}

/*
 * FS_READDIR: recv = room for vdirent records.  Fills whole records from
 * the offset on; the offset advances only when all were copied out.
 */
static long do_readdir(struct request *r, struct open_file *f)
{
	char buf[READDIR_CHUNK] __attribute__((aligned(8)));
	struct node *dir = f->node, *n;
	uint64_t pos = f->offset, filled = 0, used = 0;
	struct entry *e = NULL;
	long copied;

	if (!node_is_dir(dir))
		return -ENOTDIR;
	if (dir->nlink == 0)
		return 0; /* removed: empty, not even "." */
	if (pos >= 2)
		e = dir_entry_at(f, pos);
	for (;;) {
		const char *name = pos == 0 ? "." : "..";
		size_t namelen = pos + 1, reclen;

		if (pos < 2) {
			n = pos == 0 ? dir : dir->u.dir.parent;
		} else if (e) {
			n = e->node;
			name = e->name;
			namelen = e->namelen;
		} else {
			break;
		}
		reclen = (NAME_AT + namelen + 1 + 7) & ~(size_t)7;
		if (filled + used + reclen > r->in.recv_len)
			break;
		if (used + reclen > sizeof(buf)) {
			copied = sys_ipc_write(r->in.rid, filled, buf, used);
			if (copied != (long)used)
				return copied < 0 ? copied : -EFAULT;
			filled += used;
			used = 0;
		}
		used += dirent_put((struct vdirent *)(buf + used), reclen,
				   n->ino, n->mode, name, namelen);
		if (pos < 2) {
			if (++pos == 2)
				e = dir_seek(dir, 2);
		} else {
			pos = e->cookie + 1;
			e = e->next;
		}
	}
	if (used) {
		copied = sys_ipc_write(r->in.rid, filled, buf, used);
		if (copied != (long)used)
			return copied < 0 ? copied : -EFAULT;
		filled += used;
	}
	if (filled == 0 && (pos < 2 || e))
		return -EINVAL; /* not even one record fits */
	f->offset = pos;
	f->cursor = e;
	f->cursor_pos = pos;
	f->cursor_gen = dir->u.dir.removals;
	dir->atime = tmpfs_now();
	return (long)filled;
}

/* FS_TRUNCATE: w[0] = the new length. */
static long do_truncate(struct request *r, struct open_file *f)
{
	struct cred c = request_cred(r);

	if ((f->flags & VO_ACCMODE) == VO_RDONLY)
		return -EBADF;
	if (r->in.msg.w[0] > INT64_MAX)
		return -EINVAL;
	return ops_truncate(f->node, r->in.msg.w[0], &c);
}

/* FS_FSYNC: RAM is as stable as it gets. */
static long do_fsync(struct request *r, struct open_file *f)
{
	return 0;
}

/* FS_SETFL: w[1] = 1 reads the flags; else w[0] sets VO_APPEND and
   VO_NONBLOCK. */
static long do_setfl(struct request *r, struct open_file *f)
{
	if (r->in.msg.w[1] == 1)
		return f->flags;
	if (r->in.msg.w[1] != 0)
		return -EINVAL;
	f->flags = (f->flags & VO_ACCMODE) |
		   ((uint32_t)r->in.msg.w[0] & SETFL_FLAGS);
	return 0;
}

static long do_file_chmod(struct request *r, struct open_file *f)
{
	return do_chmod(r, f);
}

static long do_file_chown(struct request *r, struct open_file *f)
{
	return do_chown(r, f);
}

static long do_file_utimes(struct request *r, struct open_file *f)
{
	return do_utimes(r, f);
}

/* ---- dispatch ---- */

/* The file protocol, by opcode: a handler for the root or for a file. */
static const struct {
	long (*root)(struct request *r);
	long (*file)(struct request *r, struct open_file *f);
} ops[] = {
	[FS_OPEN - FS_OPEN] = { .root = do_open },
	[FS_READ - FS_OPEN] = { .file = do_read },
	[FS_WRITE - FS_OPEN] = { .file = do_write },
	[FS_SEEK - FS_OPEN] = { .file = do_seek },
	[FS_STAT - FS_OPEN] = { .root = do_fs_stat, .file = do_stat },
	[FS_READDIR - FS_OPEN] = { .file = do_readdir },
	[FS_TRUNCATE - FS_OPEN] = { .file = do_truncate },
	[FS_MKDIR - FS_OPEN] = { .root = do_mkdir },
	[FS_UNLINK - FS_OPEN] = { .root = do_unlink },
	[FS_RENAME - FS_OPEN] = { .root = do_two_paths },
	[FS_FSYNC - FS_OPEN] = { .file = do_fsync },
	[FS_SYMLINK - FS_OPEN] = { .root = do_two_paths },
	[FS_READLINK - FS_OPEN] = { .root = do_readlink },
	[FS_CHMOD - FS_OPEN] = { .root = do_root_chmod, .file = do_file_chmod },
	[FS_CHOWN - FS_OPEN] = { .root = do_root_chown, .file = do_file_chown },
	[FS_UTIMES -
		FS_OPEN] = { .root = do_root_utimes, .file = do_file_utimes },
	[FS_PATHSTAT - FS_OPEN] = { .root = do_pathstat },
	[FS_LINK - FS_OPEN] = { .root = do_two_paths },
	[FS_SETFL - FS_OPEN] = { .file = do_setfl },
};

long file_request(struct request *r)
{
	uint32_t op = r->in.msg.op;
	struct open_file *f;

	if (op < FS_OPEN || op - FS_OPEN >= sizeof(ops) / sizeof(ops[0]))
		return -ENOSYS;
	op -= FS_OPEN;
	if (r->in.badge == 0)
		return ops[op].root ? ops[op].root(r) : -EBADF;
	/* An open file; a root message here is as wrong as the reverse. */
	f = file_lookup(r->in.badge);
	if (!f || !ops[op].file)
		return -EBADF;
	return ops[op].file(r, f);
}
