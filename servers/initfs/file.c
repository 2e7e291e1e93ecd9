/*
 * Open files and the file protocol (valence/proto.h, docs/abi.md).
 *
 * An open file is a record in a fixed table; the connection FS_OPEN hands
 * out carries the badge (generation << 32 | slot + 1), so that handles
 * duplicated by a client share the record and its offset, and a badge
 * from a freed record (a late CLOSE) never names its successor.  Badge 0
 * is the scheme's root, which ns hands out.
 *
 * A file's offset counts bytes; a directory's counts entries: 0 is ".",
 * 1 is "..", then the children in archive order.  A directory's size is
 * its number of entries.
 */
#include "initfs.h"

#define READDIR_CHUNK 1024 /* records are gathered here, then copied out */

struct open_file {
	uint32_t gen; /* bumped when freed: old badges go stale */
	bool used;
	uint32_t node;
	uint64_t offset;     /* bytes, or entries for a directory */
	uint64_t cursor_pos; /* directories: the child at entry cursor_pos */
	uint32_t cursor;     /*   is cursor (NODE_NONE: unknown) */
};

static struct open_file files[INITFS_FILES_MAX];
static uint32_t files_used;

static uint64_t file_badge(const struct open_file *f)
{
	return (uint64_t)f->gen << 32 | (uint64_t)(f - files + 1);
}

/* The open file a badge names, or NULL (the root, a stale badge). */
static struct open_file *file_lookup(uint64_t badge)
{
	uint32_t slot = (uint32_t)badge;
	struct open_file *f;

	if (slot == 0 || slot > INITFS_FILES_MAX)
		return NULL;
	f = &files[slot - 1];
	if (!f->used || f->gen != (uint32_t)(badge >> 32))
		return NULL;
	return f;
}

bool file_can_open(void)
{
	return files_used < INITFS_FILES_MAX;
}

static struct open_file *file_alloc(uint32_t node)
{
	for (uint32_t i = 0; i < INITFS_FILES_MAX; i++) {
		struct open_file *f = &files[i];

		if (f->used)
			continue;
		f->used = true;
		f->node = node;
		f->offset = 0;
		f->cursor_pos = 0;
		f->cursor = NODE_NONE;
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
}

/* ---- on the root ---- */

/*
 * FS_OPEN: send = path, w[0] = O_* flags.  Read-only: any write access,
 * O_CREAT or O_TRUNC is -EROFS, whether or not the file exists.
 */
static long do_open(struct request *r)
{
	char path[INITFS_PATH_MAX];
	uint64_t flags = r->in.msg.w[0];
	struct open_file *f;
	uint32_t node;
	handle_t conn;
	size_t len;
	long n;
	int err;

	if ((flags & VO_ACCMODE) != VO_RDONLY ||
	    (flags & (VO_CREAT | VO_TRUNC)))
		return -EROFS;
	/* The path ends at its first NUL or at the end of the buffer. */
	n = sys_ipc_read(r->in.rid, 0, path, sizeof(path));
	if (n < 0)
		return n;
	len = strnlen(path, (size_t)n);
	if (len == sizeof(path))
		return -ENAMETOOLONG;
	err = index_resolve(path, len, &node);
	if (err)
		return err;
	if ((flags & VO_DIRECTORY) && !node_is_dir(&nodes[node]))
		return -ENOTDIR;
	if (!file_can_open())
		fsloop_drain();
	f = file_alloc(node);
	if (!f)
		return -EMFILE;
	conn = sys_conn_create(fsloop_port, file_badge(f));
	if (conn < 0) {
		file_close(file_badge(f));
		return conn;
	}
	r->opened = file_badge(f);
	r->out.nhandles = 1;
	r->out.handles[0] = conn;
	r->out.w[0] = nodes[node].mode & VS_IFMT;
	return 0;
}

/* FS_MKDIR, FS_UNLINK, FS_RENAME, FS_SYMLINK, FS_LINK, FS_CHMOD,
   FS_CHOWN, FS_UTIMES. */
static long do_read_only(struct request *r)
{
	return -EROFS;
}

/* The node the path in the send buffer names (FS_PATHSTAT, FS_READLINK). */
static int path_node(struct request *r, uint32_t *node)
{
	char path[INITFS_PATH_MAX];
	long n = sys_ipc_read(r->in.rid, 0, path, sizeof(path));
	size_t len;

	if (n < 0)
		return (int)n;
	len = strnlen(path, (size_t)n);
	if (len == sizeof(path))
		return -ENAMETOOLONG;
	return index_resolve(path, len, node);
}

/* Copies node's struct vstat to the receive buffer. */
static long send_stat(struct request *r, uint32_t node)
{
	const struct node *nd = &nodes[node];
	struct vstat st;
	long n;

	if (r->in.recv_len < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.ino = node + 1;
	st.size = nd->size;
	st.mode = nd->mode;
	st.nlink = 1;
	st.blksize = 512;
	if (!node_is_dir(nd))
		st.blocks = (nd->size + 511) / 512;
	/* Owner and times stay 0, as tools/mkinitfs writes them. */
	n = sys_ipc_write(r->in.rid, 0, &st, sizeof(st));
	if (n < 0)
		return n;
	return n == sizeof(st) ? 0 : -EFAULT;
}

/* FS_PATHSTAT: send = path, w[0] = 1 for lstat (the same here: the
   archive has no symbolic links); recv = a struct vstat. */
static long do_pathstat(struct request *r)
{
	uint32_t node;
	int err;

	if (r->in.msg.w[0] > 1)
		return -EINVAL;
	err = path_node(r, &node);
	return err ? err : send_stat(r, node);
}

/* FS_READLINK: nothing here is a symbolic link. */
static long do_readlink(struct request *r)
{
	uint32_t node;
	int err = path_node(r, &node);

	return err ? err : -EINVAL;
}

/* ---- on an open file ---- */

/* FS_READ: recv = the destination, its length the count. */
static long do_read(struct request *r, struct open_file *f)
{
	const struct node *nd = &nodes[f->node];
	uint64_t n;
	long done;

	if (node_is_dir(nd))
		return -EISDIR;
	if (f->offset >= nd->size)
		return 0;
	n = MIN(r->in.recv_len, nd->size - f->offset);
	if (n == 0)
		return 0;
	done = sys_ipc_write(r->in.rid, 0, (const char *)nd->data + f->offset,
			     n);
	if (done > 0)
		f->offset += (uint64_t)done;
	return done;
}

/* FS_SEEK: w[0] = offset, w[1] = whence.  Past the end is allowed. */
static long do_seek(struct request *r, struct open_file *f)
{
	int64_t off = (int64_t)r->in.msg.w[0], base, pos;

	switch (r->in.msg.w[1]) {
	case VSEEK_SET:
		base = 0;
		break;
	case VSEEK_CUR:
		base = (int64_t)f->offset;
		break;
	case VSEEK_END:
		base = (int64_t)nodes[f->node].size;
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
	return send_stat(r, f->node);
}

/*
 * The directory's child at entry pos (>= 2), from the cursor the last
 * FS_READDIR left when it is there, else counted from the first.
 */
static uint32_t dir_child_at(const struct open_file *f, uint64_t pos)
{
	uint32_t c;
	uint64_t i;

	if (f->cursor != NODE_NONE && f->cursor_pos == pos)
		return f->cursor;
	c = nodes[f->node].first;
	for (i = 2; i < pos && c != NODE_NONE; i++)
		c = nodes[c].next;
	return c;
}

/*
 * FS_READDIR: recv = room for vdirent records.  Fills whole records from
 * the offset on; the offset advances only when all were copied out.
 */
static long do_readdir(struct request *r, struct open_file *f)
{
	char buf[READDIR_CHUNK] __attribute__((aligned(8)));
	const struct node *dir = &nodes[f->node];
	uint64_t pos = f->offset, filled = 0, used = 0;
	uint32_t child = NODE_NONE;
	long n;

	if (!node_is_dir(dir))
		return -ENOTDIR;
	if (pos >= 2 && pos < dir->size)
		child = dir_child_at(f, pos);
	for (; pos < dir->size; pos++) {
		uint32_t ino;
		const char *name;
		size_t namelen;
		uint64_t reclen;
		struct vdirent *d;

		if (pos == 0) {
			ino = f->node;
			name = ".";
		} else if (pos == 1) {
			ino = dir->parent;
			name = "..";
		} else if (child != NODE_NONE) {
			ino = child;
			name = nodes[child].name;
		} else {
			break; /* cannot be: size counts the children */
		}
		namelen = pos < 2 ? pos + 1 : nodes[ino].namelen;
		reclen = ALIGN_UP(offsetof(struct vdirent, name) + namelen + 1,
				  8);
		if (filled + used + reclen > r->in.recv_len)
			break;
		if (used + reclen > sizeof(buf)) {
			n = sys_ipc_write(r->in.rid, filled, buf, used);
			if (n != (long)used)
				return n < 0 ? n : -EFAULT;
			filled += used;
			used = 0;
		}
		d = (struct vdirent *)(buf + used);
		memset(d, 0, reclen); /* no stale bytes in the padding */
		d->ino = ino + 1;
		d->reclen = (uint16_t)reclen;
		d->type = (uint8_t)(nodes[ino].mode >> 12);
		d->namelen = (uint8_t)namelen;
		memcpy(d->name, name, namelen);
		used += reclen;
		if (pos >= 2)
			child = nodes[child].next;
	}
	if (used) {
		n = sys_ipc_write(r->in.rid, filled, buf, used);
		if (n != (long)used)
			return n < 0 ? n : -EFAULT;
		filled += used;
	}
	if (filled == 0 && pos < dir->size)
		return -EINVAL; /* not even one record fits */
	f->offset = pos;
	f->cursor_pos = pos;
	f->cursor = child;
	return (long)filled;
}

/* FS_WRITE, FS_TRUNCATE: the file is not open for writing. */
static long do_not_writable(struct request *r, struct open_file *f)
{
	return -EBADF;
}

/* FS_FSYNC: the archive never changes. */
static long do_fsync(struct request *r, struct open_file *f)
{
	return 0;
}

/* FS_CHMOD, FS_CHOWN, FS_UTIMES on an open file. */
static long do_file_read_only(struct request *r, struct open_file *f)
{
	return -EROFS;
}

/* FS_SETFL: initfs keeps no status flags (reads never block, nothing is
   written); -ENOSYS tells libc to keep a descriptor's own. */
static long do_setfl(struct request *r, struct open_file *f)
{
	return -ENOSYS;
}

/* ---- dispatch ---- */

/* The file protocol, by opcode: a handler for the root or for a file. */
static const struct {
	long (*root)(struct request *r);
	long (*file)(struct request *r, struct open_file *f);
} ops[] = {
	[FS_OPEN - FS_OPEN] = { .root = do_open },
	[FS_READ - FS_OPEN] = { .file = do_read },
	[FS_WRITE - FS_OPEN] = { .file = do_not_writable },
	[FS_SEEK - FS_OPEN] = { .file = do_seek },
	[FS_STAT - FS_OPEN] = { .file = do_stat },
	[FS_READDIR - FS_OPEN] = { .file = do_readdir },
	[FS_TRUNCATE - FS_OPEN] = { .file = do_not_writable },
	[FS_MKDIR - FS_OPEN] = { .root = do_read_only },
	[FS_UNLINK - FS_OPEN] = { .root = do_read_only },
	[FS_RENAME - FS_OPEN] = { .root = do_read_only },
	[FS_FSYNC - FS_OPEN] = { .file = do_fsync },
	[FS_SYMLINK - FS_OPEN] = { .root = do_read_only },
	[FS_READLINK - FS_OPEN] = { .root = do_readlink },
	[FS_CHMOD -
		FS_OPEN] = { .root = do_read_only, .file = do_file_read_only },
	[FS_CHOWN -
		FS_OPEN] = { .root = do_read_only, .file = do_file_read_only },
	[FS_UTIMES -
		FS_OPEN] = { .root = do_read_only, .file = do_file_read_only },
	[FS_PATHSTAT - FS_OPEN] = { .root = do_pathstat },
	[FS_LINK - FS_OPEN] = { .root = do_read_only },
	[FS_SETFL - FS_OPEN] = { .file = do_setfl },
};

long file_request(struct request *r)
{
	uint32_t op = r->in.msg.op;
	struct open_file *f;

	if (op < FS_OPEN || op - FS_OPEN >= ARRAY_SIZE(ops))
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
