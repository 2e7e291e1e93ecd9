/*
 * The operations on paths and on nodes' attributes, as POSIX describes
 * them for open, mkdir, unlink, rmdir, rename, link, symlink, chmod,
 * chown and utimensat (tmpfs.h).  Each checks everything first, then
 * changes the tree: a call that fails has changed nothing.
 */
#include <stdlib.h>
#include <string.h>
#include "tmpfs.h"

#define KEEP_ID	  0xffffffffu /* FS_CHOWN: leave the uid or gid */
#define S_ISUID	  04000
#define S_ISGID	  02000
#define GROUP_EXE 00010

/* A directory's entries changed: its mtime and ctime. */
static void dir_touch(struct node *dir)
{
	dir->mtime = dir->ctime = tmpfs_now();
}

/* Whether c may add an entry to dir (which must still be linked). */
static int may_create(struct node *dir, const struct cred *c)
{
	if (dir->nlink == 0)
		return -ENOENT; /* removed while a lookup could reach it */
	return node_access(dir, c, MAY_WRITE | MAY_EXEC);
}

/*
 * Makes a node of `mode` owned by c, named w->name in w->dir.  A
 * directory with the set-group-ID bit gives new nodes its group (and new
 * directories the bit).  0 with *out, or -ENOSPC.
 */
static int make_node(struct walk *w, uint32_t mode, const struct cred *c,
		     struct node **out)
{
	struct node *n = node_new(mode, c);
	int err;

	if (!n)
		return -ENOSPC;
	if (w->dir->mode & S_ISGID) {
		n->gid = w->dir->gid;
		if (node_is_dir(n))
			n->mode |= S_ISGID;
	}
	err = dir_add(w->dir, w->name, w->namelen, n);
	if (err) {
		node_put(n);
		return err;
	}
	n->nlink = 1;
	dir_touch(w->dir);
	*out = n;
	return 0;
}

/* A write or truncate by c changed n's data. */
void ops_written(struct node *n, const struct cred *c)
{
	n->mtime = n->ctime = tmpfs_now();
	/* As POSIX asks: an unprivileged write drops set-user-ID, and
	   set-group-ID where it means that (group execute set). */
	if (c->uid != 0 && (n->mode & (S_ISUID | S_ISGID))) {
		n->mode &= ~(uint32_t)S_ISUID;
		if (n->mode & GROUP_EXE)
			n->mode &= ~(uint32_t)S_ISGID;
	}
}

int ops_truncate(struct node *n, uint64_t size, const struct cred *c)
{
	int err;

	if (node_is_dir(n))
		return -EISDIR;
	if (!node_is_reg(n))
		return -EINVAL;
	err = data_truncate(n, size);
	if (err)
		return err;
	ops_written(n, c);
	return 0;
}

int ops_open(const char *path, size_t len, uint32_t flags, uint32_t mode,
	     const struct cred *c, struct node **out)
{
	uint32_t acc = flags & VO_ACCMODE;
	bool create = flags & VO_CREAT, excl = create && (flags & VO_EXCL);
	bool follow = !(flags & VO_NOFOLLOW) && !excl;
	struct walk w;
	struct node *n;
	int may = 0, err;

	if (acc == VO_ACCMODE)
		return -EINVAL;
	err = tree_walk(path, len, follow ? WALK_FOLLOW : 0, c, &w);
	if (err)
		return err;
	n = w.node;
	if (!n) {
		if (!create)
			return -ENOENT;
		if (w.slash)
			return -EISDIR;
		if (flags & VO_DIRECTORY)
			return -EINVAL;
		err = may_create(w.dir, c);
		if (err)
			return err;
		return make_node(&w, VS_IFREG | (mode & 07777), c, out);
	}
	if (excl)
		return -EEXIST;
	if (node_is_link(n))
		return -ELOOP; /* VO_NOFOLLOW */
	if (node_is_dir(n) &&
	    (acc != VO_RDONLY || (flags & (VO_TRUNC | VO_CREAT))))
		return -EISDIR;
	if ((flags & VO_DIRECTORY) && !node_is_dir(n))
		return -ENOTDIR;
	if (acc != VO_WRONLY)
		may |= MAY_READ;
	if (acc != VO_RDONLY || (flags & VO_TRUNC))
		may |= MAY_WRITE;
	err = node_access(n, c, may);
	if (err)
		return err;
	if (flags & VO_TRUNC) {
		err = ops_truncate(n, 0, c);
		if (err)
			return err;
	}
	*out = n;
	return 0;
}

int ops_lookup(const char *path, size_t len, bool follow, const struct cred *c,
	       struct node **out)
{
	struct walk w;
	int err = tree_walk(path, len, follow ? WALK_FOLLOW : 0, c, &w);

	if (err)
		return err;
	if (!w.node)
		return -ENOENT;
	*out = w.node;
	return 0;
}

int ops_mkdir(const char *path, size_t len, uint32_t mode, const struct cred *c)
{
	struct walk w;
	struct node *n;
	int err = tree_walk(path, len, 0, c, &w);

	if (err)
		return err;
	if (w.node)
		return -EEXIST;
	err = may_create(w.dir, c);
	if (err)
		return err;
	err = make_node(&w, VS_IFDIR | (mode & 07777), c, &n);
	if (err)
		return err;
	n->nlink = 2; /* its entry and its "." */
	n->u.dir.parent = w.dir;
	w.dir->nlink++; /* its ".." */
	return 0;
}

/* Why the named thing cannot be removed or renamed: it is the root or a
   "." or ".." (w->dots). */
static int dots_error(const struct walk *w)
{
	return w->namelen == 0 ? -EBUSY : -EINVAL;
}

/* Takes entry e (of dir) off a node; the node goes if nothing keeps it. */
static void entry_drop(struct node *dir, struct entry *e)
{
	struct node *n = e->node;

	dir_remove(e);
	if (node_is_dir(n)) {
		n->nlink = 0;
		n->u.dir.parent = n; /* ".." of a removed directory */
		dir->nlink--;
	} else {
		n->nlink--;
	}
	n->ctime = tmpfs_now();
	node_put(n);
}

int ops_unlink(const char *path, size_t len, bool dir, const struct cred *c)
{
	struct walk w;
	struct node *n;
	int err = tree_walk(path, len, 0, c, &w);

	if (err)
		return err;
	n = w.node;
	if (!n)
		return -ENOENT;
	if (w.dots)
		return dir ? dots_error(&w) : -EISDIR;
	if (dir && !node_is_dir(n))
		return -ENOTDIR;
	if (dir && n->u.dir.entries)
		return -ENOTEMPTY;
	if (!dir && node_is_dir(n))
		return -EISDIR;
	err = dir_may_delete(w.dir, n, c);
	if (err)
		return err;
	entry_drop(w.dir, w.entry);
	dir_touch(w.dir);
	return 0;
}

/* Whether dir is d or below it. */
static bool is_below(const struct node *dir, const struct node *d)
{
	for (;;) {
		if (dir == d)
			return true;
		if (dir->u.dir.parent == dir)
			return false; /* the root, or a removed directory */
		dir = dir->u.dir.parent;
	}
}

/* rename's checks once both ends are known (POSIX rename()). */
static int rename_check(struct walk *a, struct walk *b, const struct cred *c)
{
	struct node *src = a->node, *dst = b->node;
	int err;

	if (b->slash && !node_is_dir(src))
		return -ENOTDIR;
	if (node_is_dir(src)) {
		if (dst && !node_is_dir(dst))
			return -ENOTDIR;
		if (dst && dst->u.dir.entries)
			return -ENOTEMPTY;
		if (is_below(b->dir, src))
			return -EINVAL; /* into itself */
	} else if (dst && node_is_dir(dst)) {
		return -EISDIR;
	}
	err = dir_may_delete(a->dir, src, c);
	if (!err)
		err = dst ? dir_may_delete(b->dir, dst, c)
			  : may_create(b->dir, c);
	/* A directory that changes parent changes its "..". */
	if (!err && node_is_dir(src) && a->dir != b->dir)
		err = node_access(src, c, MAY_WRITE);
	return err;
}

int ops_rename(const char *from, size_t from_len, const char *to, size_t to_len,
	       const struct cred *c)
{
	struct walk *a = malloc(2 * sizeof(*a)), *b;
	struct node *src;
	int err;

	if (!a)
		return -ENOMEM;
	b = a + 1;
	err = tree_walk(from, from_len, 0, c, a);
	if (!err && !a->node)
		err = -ENOENT;
	if (!err && a->dots)
		err = dots_error(a);
	if (!err)
		err = tree_walk(to, to_len, 0, c, b);
	if (!err && b->dots)
		err = dots_error(b);
	if (err)
		goto out;
	src = a->node;
	if (src == b->node)
		goto out; /* the same file: nothing to do */
	err = rename_check(a, b, c);
	if (err)
		goto out;
	/* The new entry first: the only step that can fail. */
	err = dir_add(b->dir, b->name, b->namelen, src);
	if (err)
		goto out;
	if (b->node)
		entry_drop(b->dir, b->entry);
	dir_remove(a->entry);
	if (node_is_dir(src) && a->dir != b->dir) {
		a->dir->nlink--;
		b->dir->nlink++;
		src->u.dir.parent = b->dir;
	}
	src->ctime = tmpfs_now();
	dir_touch(a->dir);
	dir_touch(b->dir);
out:
	free(a);
	return err;
}

int ops_link(const char *from, size_t from_len, const char *to, size_t to_len,
	     const struct cred *c)
{
	struct walk *a = malloc(2 * sizeof(*a)), *b;
	struct node *src;
	int err;

	if (!a)
		return -ENOMEM;
	b = a + 1;
	err = tree_walk(from, from_len, 0, c, a);
	if (!err && !a->node)
		err = -ENOENT;
	if (!err && node_is_dir(a->node))
		err = -EPERM;
	if (!err)
		err = tree_walk(to, to_len, 0, c, b);
	if (!err && b->node)
		err = -EEXIST;
	if (!err && b->slash)
		err = -ENOENT;
	if (!err)
		err = may_create(b->dir, c);
	if (err)
		goto out;
	src = a->node;
	err = dir_add(b->dir, b->name, b->namelen, src);
	if (err)
		goto out;
	src->nlink++;
	src->ctime = tmpfs_now();
	dir_touch(b->dir);
out:
	free(a);
	return err;
}

int ops_symlink(const char *target, size_t target_len, const char *path,
		size_t len, const struct cred *c)
{
	struct walk w;
	struct node *n;
	char *copy;
	int err;

	if (target_len == 0)
		return -ENOENT;
	if (target_len >= TMPFS_PATH_MAX)
		return -ENAMETOOLONG;
	err = tree_walk(path, len, 0, c, &w);
	if (err)
		return err;
	if (w.node)
		return -EEXIST;
	if (w.slash)
		return -ENOENT;
	err = may_create(w.dir, c);
	if (err)
		return err;
	if (!tree_charge(target_len + 1))
		return -ENOSPC;
	copy = malloc(target_len + 1);
	if (!copy) {
		tree_uncharge(target_len + 1);
		return -ENOSPC;
	}
	memcpy(copy, target, target_len);
	copy[target_len] = '\0';
	n = node_new(VS_IFLNK | 0777, c);
	if (!n) {
		tree_uncharge(target_len + 1);
		free(copy);
		return -ENOSPC;
	}
	/* From here node_put frees the target with the node. */
	n->u.link.target = copy;
	n->size = target_len;
	err = dir_add(w.dir, w.name, w.namelen, n);
	if (err) {
		node_put(n);
		return err;
	}
	n->nlink = 1;
	dir_touch(w.dir);
	return 0;
}

int ops_chmod(struct node *n, uint32_t mode, const struct cred *c)
{
	if (c->uid != 0 && c->uid != n->uid)
		return -EPERM;
	mode &= 07777;
	/* Only a member of the file's group may make it set-group-ID. */
	if (c->uid != 0 && !node_is_dir(n) && c->gid != n->gid)
		mode &= ~(uint32_t)S_ISGID;
	n->mode = (n->mode & VS_IFMT) | mode;
	n->ctime = tmpfs_now();
	return 0;
}

int ops_chown(struct node *n, uint32_t uid, uint32_t gid, const struct cred *c)
{
	if (c->uid != 0) {
		/* An owner may only give the file its own group. */
		if (c->uid != n->uid || (uid != KEEP_ID && uid != n->uid) ||
		    (gid != KEEP_ID && gid != n->gid && gid != c->gid))
			return -EPERM;
		if (!node_is_dir(n))
			n->mode &= ~(uint32_t)(S_ISUID | S_ISGID);
	}
	if (uid != KEEP_ID)
		n->uid = uid;
	if (gid != KEEP_ID)
		n->gid = gid;
	n->ctime = tmpfs_now();
	return 0;
}

/* A time FS_UTIMES may set: VTIME_NOW, VTIME_OMIT or ns >= 0. */
static bool time_ok(uint64_t t)
{
	return t == VTIME_NOW || t == VTIME_OMIT || t <= INT64_MAX;
}

static bool time_explicit(uint64_t t)
{
	return t != VTIME_NOW && t != VTIME_OMIT;
}

int ops_utimes(struct node *n, uint64_t atime, uint64_t mtime,
	       const struct cred *c)
{
	int64_t now;

	if (!time_ok(atime) || !time_ok(mtime))
		return -EINVAL;
	if (atime == VTIME_OMIT && mtime == VTIME_OMIT)
		return 0;
	/* Setting a given time takes the owner; "now" also the right to
	   write (POSIX utimensat()). */
	if (c->uid != 0 && c->uid != n->uid) {
		if (time_explicit(atime) || time_explicit(mtime))
			return -EPERM;
		if (node_access(n, c, MAY_WRITE))
			return -EACCES;
	}
	now = tmpfs_now();
	if (atime != VTIME_OMIT)
		n->atime = atime == VTIME_NOW ? now : (int64_t)atime;
	if (mtime != VTIME_OMIT)
		n->mtime = mtime == VTIME_NOW ? now : (int64_t)mtime;
	n->ctime = now;
	return 0;
}
