/*
 * Unit tests for tmpfs's tree (servers/tmpfs/tree.c, ops.c, data.c): path
 * lookup, symbolic links, permissions for users other than root (which
 * the system test cannot be yet), rename's rules, link counts, file data
 * with holes, and the memory account.  The clock is a counter here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tmpfs.h"

#define MAX  (1u << 20) /* the account's cap in most tests */
#define P(s) (s), strlen(s)

static const struct cred root = { 0, 0 };
static const struct cred ann = { 1000, 100 };
static const struct cred bob = { 1001, 100 };
static const struct cred eve = { 1002, 200 };

static int64_t clock_now = 1000;

int64_t tmpfs_now(void)
{
	return clock_now += 10;
}

static int setup(void **state)
{
	assert_int_equal(tree_init(MAX), 0);
	return 0;
}

static int teardown(void **state)
{
	tree_destroy();
	return 0;
}

/* ---- helpers ---- */

static struct node *lookup(const char *path)
{
	struct node *n = NULL;

	if (ops_lookup(P(path), false, &root, &n))
		return NULL;
	return n;
}

static struct node *create(const char *path, uint32_t mode,
			   const struct cred *c)
{
	struct node *n = NULL;

	assert_int_equal(
		ops_open(P(path), VO_CREAT | VO_EXCL | VO_WRONLY, mode, c, &n),
		0);
	return n;
}

static int open_as(const char *path, uint32_t flags, const struct cred *c)
{
	struct node *n;

	return ops_open(P(path), flags, 0644, c, &n);
}

static long from_buf(void *ctx, uint64_t at, void *dst, size_t len)
{
	memcpy(dst, (const char *)ctx + at, len);
	return (long)len;
}

static long to_buf(void *ctx, uint64_t at, const void *src, size_t len)
{
	memcpy((char *)ctx + at, src, len);
	return (long)len;
}

static void put(struct node *n, uint64_t pos, const char *s)
{
	assert_int_equal(data_write(n, pos, strlen(s), from_buf, (void *)s),
			 (long)strlen(s));
}

/* ---- lookup ---- */

static void test_walk(void **state)
{
	struct walk w;
	char name[300], *path;

	assert_int_equal(ops_mkdir(P("/a"), 0755, &root), 0);
	assert_int_equal(ops_mkdir(P("a/b"), 0755, &root), 0);
	create("/a/b/f", 0644, &root);

	assert_int_equal(tree_walk(P(""), 0, &root, &w), 0);
	assert_ptr_equal(w.node, tree_root);
	assert_true(w.dots);
	assert_int_equal(tree_walk(P("//"), 0, &root, &w), 0);
	assert_ptr_equal(w.node, tree_root);
	assert_int_equal(tree_walk(P("/a/b/../b/./f"), 0, &root, &w), 0);
	assert_ptr_equal(w.node, lookup("/a/b/f"));
	assert_false(w.dots);
	assert_int_equal(tree_walk(P("/../../a"), 0, &root, &w), 0);
	assert_ptr_equal(w.node, lookup("a"));
	assert_int_equal(tree_walk(P("/a/.."), 0, &root, &w), 0);
	assert_ptr_equal(w.node, tree_root);
	assert_true(w.dots);

	/* The last component may be missing; the others not. */
	assert_int_equal(tree_walk(P("/a/new"), 0, &root, &w), 0);
	assert_null(w.node);
	assert_ptr_equal(w.dir, lookup("/a"));
	assert_int_equal(w.namelen, 3);
	assert_memory_equal(w.name, "new", 3);
	assert_int_equal(tree_walk(P("/x/new"), 0, &root, &w), -ENOENT);
	assert_int_equal(tree_walk(P("/a/b/f/x"), 0, &root, &w), -ENOTDIR);
	assert_int_equal(tree_walk(P("/a/b/f/"), 0, &root, &w), -ENOTDIR);
	assert_int_equal(tree_walk(P("/a/b/f/.."), 0, &root, &w), -ENOTDIR);
	assert_int_equal(tree_walk(P("/a/b/"), 0, &root, &w), 0);
	assert_true(w.slash);

	/* Names up to 255 bytes; paths below 1024. */
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[256] = '\0';
	assert_int_equal(tree_walk(P(name), 0, &root, &w), 0);
	name[257] = '\0';
	assert_int_equal(tree_walk(name, 257, 0, &root, &w), -ENAMETOOLONG);
	path = malloc(TMPFS_PATH_MAX + 1);
	assert_non_null(path);
	for (int i = 0; i < TMPFS_PATH_MAX; i += 2)
		memcpy(path + i, "/.", 2);
	assert_int_equal(tree_walk(path, TMPFS_PATH_MAX - 1, 0, &root, &w), 0);
	assert_int_equal(tree_walk(path, TMPFS_PATH_MAX, 0, &root, &w),
			 -ENAMETOOLONG);
	free(path);
}

static void test_symlinks(void **state)
{
	struct node *f, *n;
	struct walk w;
	char name[16], target[16];

	assert_int_equal(ops_mkdir(P("/d"), 0755, &root), 0);
	f = create("/d/f", 0644, &root);
	assert_int_equal(ops_symlink(P("f"), P("/d/rel"), &root), 0);
	assert_int_equal(ops_symlink(P("/d"), P("/abs"), &root), 0);
	assert_int_equal(ops_symlink(P("../d/rel"), P("/d/up"), &root), 0);

	/* Followed in the middle, at the end only when asked. */
	assert_int_equal(ops_lookup(P("/abs/rel"), true, &root, &n), 0);
	assert_ptr_equal(n, f);
	assert_int_equal(ops_lookup(P("/d/up"), true, &root, &n), 0);
	assert_ptr_equal(n, f);
	assert_int_equal(ops_lookup(P("/d/rel"), false, &root, &n), 0);
	assert_true(node_is_link(n));
	assert_int_equal(n->size, 1);
	assert_int_equal(ops_lookup(P("/abs/"), false, &root, &n), 0);
	assert_ptr_equal(n, lookup("/d")); /* a '/' after it follows it */

	/* Loops and chains: 40 links are fine, 41 are -ELOOP. */
	assert_int_equal(ops_symlink(P("loop2"), P("/loop1"), &root), 0);
	assert_int_equal(ops_symlink(P("loop1"), P("/loop2"), &root), 0);
	assert_int_equal(ops_lookup(P("/loop1"), true, &root, &n), -ELOOP);
	assert_int_equal(ops_lookup(P("/loop1/x"), false, &root, &n), -ELOOP);
	assert_int_equal(ops_lookup(P("/loop1"), false, &root, &n), 0);
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "/c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		if (i == 1)
			strcpy(target, "/d/f");
		assert_int_equal(ops_symlink(P(target), P(name), &root), 0);
	}
	assert_int_equal(ops_lookup(P("/c40"), true, &root, &n), 0);
	assert_ptr_equal(n, f);
	assert_int_equal(ops_lookup(P("/c41"), true, &root, &n), -ELOOP);

	/* Dangling: not found, but O_CREAT makes the target. */
	assert_int_equal(ops_symlink(P("/d/later"), P("/dang"), &root), 0);
	assert_int_equal(ops_lookup(P("/dang"), true, &root, &n), -ENOENT);
	assert_int_equal(open_as("/dang", VO_RDONLY, &root), -ENOENT);
	assert_int_equal(
		open_as("/dang", VO_CREAT | VO_EXCL | VO_WRONLY, &root),
		-EEXIST);
	assert_int_equal(open_as("/dang", VO_CREAT | VO_WRONLY, &root), 0);
	assert_non_null(lookup("/d/later"));

	/* VO_NOFOLLOW, and what a link's name cannot be used for. */
	assert_int_equal(open_as("/d/rel", VO_RDONLY | VO_NOFOLLOW, &root),
			 -ELOOP);
	assert_int_equal(open_as("/d/rel", VO_RDONLY, &root), 0);
	assert_int_equal(ops_symlink(P("x"), P("/d/f"), &root), -EEXIST);
	assert_int_equal(ops_symlink(P(""), P("/empty"), &root), -ENOENT);
	assert_int_equal(ops_mkdir(P("/d/rel"), 0755, &root), -EEXIST);

	/* An expansion that does not fit. */
	memset(w.buf, 'x', 1000);
	w.buf[0] = '/';
	assert_int_equal(ops_symlink(w.buf, 1000, P("/long"), &root), 0);
	assert_int_equal(ops_lookup(P("/long/abcdefghijklmnopqrstuvwxyz"),
				    false, &root, &n),
			 -ENAMETOOLONG);

	/* unlink removes the link, not its target. */
	assert_int_equal(ops_unlink(P("/d/rel"), false, &root), 0);
	assert_ptr_equal(lookup("/d/f"), f);
}

/* ---- open ---- */

static void test_open_flags(void **state)
{
	struct node *n;

	assert_int_equal(ops_mkdir(P("/d"), 0755, &root), 0);
	n = create("/d/f", 0640, &root);
	assert_int_equal(n->mode, VS_IFREG | 0640);
	assert_int_equal(n->nlink, 1);
	put(n, 0, "hello");
	assert_int_equal(open_as("/d/f", VO_CREAT | VO_EXCL, &root), -EEXIST);
	assert_int_equal(open_as("/d/f", VO_ACCMODE, &root), -EINVAL);
	assert_int_equal(open_as("/d/f", VO_RDONLY | VO_DIRECTORY, &root),
			 -ENOTDIR);
	assert_int_equal(open_as("/d", VO_WRONLY, &root), -EISDIR);
	assert_int_equal(open_as("/d", VO_RDONLY | VO_TRUNC, &root), -EISDIR);
	assert_int_equal(open_as("/d", VO_RDONLY | VO_CREAT, &root), -EISDIR);
	assert_int_equal(open_as("/d", VO_RDONLY | VO_DIRECTORY, &root), 0);
	assert_int_equal(open_as("/d/none", VO_RDONLY, &root), -ENOENT);
	assert_int_equal(open_as("/none/x", VO_CREAT | VO_WRONLY, &root),
			 -ENOENT);
	assert_int_equal(open_as("/d/f/x", VO_CREAT | VO_WRONLY, &root),
			 -ENOTDIR);
	assert_int_equal(open_as("/d/new/", VO_CREAT | VO_WRONLY, &root),
			 -EISDIR);
	assert_int_equal(
		open_as("/d/new", VO_CREAT | VO_DIRECTORY | VO_RDONLY, &root),
		-EINVAL);
	assert_int_equal(n->size, 5);
	assert_int_equal(open_as("/d/f", VO_WRONLY | VO_TRUNC, &root), 0);
	assert_int_equal(n->size, 0);
	assert_int_equal(n->u.file.count, 0);
}

/* ---- permissions ---- */

static void test_permissions(void **state)
{
	struct node *d, *f;

	assert_int_equal(ops_mkdir(P("/home"), 0755, &root), 0);
	assert_int_equal(ops_mkdir(P("/home/ann"), 0750, &root), 0);
	d = lookup("/home/ann");
	assert_int_equal(ops_chown(d, ann.uid, ann.gid, &root), 0);

	/* Creating needs write and search on the directory. */
	assert_int_equal(open_as("/home/x", VO_CREAT | VO_WRONLY, &ann),
			 -EACCES);
	assert_int_equal(ops_mkdir(P("/home/x"), 0755, &ann), -EACCES);
	f = create("/home/ann/notes", 0640, &ann);
	assert_int_equal(f->uid, ann.uid);
	assert_int_equal(f->gid, ann.gid);

	/* Owner, group and other bits; root passes everything. */
	assert_int_equal(open_as("/home/ann/notes", VO_RDWR, &ann), 0);
	assert_int_equal(open_as("/home/ann/notes", VO_RDONLY, &bob), 0);
	assert_int_equal(open_as("/home/ann/notes", VO_WRONLY, &bob), -EACCES);
	assert_int_equal(open_as("/home/ann/notes", VO_RDONLY, &eve), -EACCES);
	assert_int_equal(open_as("/home/ann/notes", VO_RDONLY | VO_TRUNC, &bob),
			 -EACCES);
	assert_int_equal(ops_chmod(f, 0, &ann), 0);
	assert_int_equal(open_as("/home/ann/notes", VO_RDONLY, &ann), -EACCES);
	assert_int_equal(open_as("/home/ann/notes", VO_RDWR, &root), 0);

	/* Search permission on the way: eve is "other" for 0750. */
	assert_int_equal(ops_lookup(P("/home/ann/notes"), true, &eve, &f),
			 -EACCES);
	assert_int_equal(ops_lookup(P("/home/ann/notes"), true, &bob, &f), 0);

	/* Removing needs write on the directory, not on the file. */
	assert_int_equal(ops_unlink(P("/home/ann/notes"), false, &bob),
			 -EACCES);
	assert_int_equal(ops_unlink(P("/home/ann/notes"), false, &ann), 0);
}

static void test_sticky(void **state)
{
	struct node *tmp;

	assert_int_equal(ops_mkdir(P("/tmp"), 01777, &root), 0);
	tmp = lookup("/tmp");
	assert_int_equal(tmp->mode, VS_IFDIR | 01777);
	create("/tmp/a", 0666, &ann);
	create("/tmp/b", 0666, &bob);
	assert_int_equal(ops_unlink(P("/tmp/a"), false, &bob), -EPERM);
	assert_int_equal(ops_rename(P("/tmp/a"), P("/tmp/c"), &bob), -EPERM);
	assert_int_equal(ops_rename(P("/tmp/b"), P("/tmp/a"), &bob), -EPERM);
	assert_int_equal(ops_rename(P("/tmp/b"), P("/tmp/c"), &bob), 0);
	assert_int_equal(ops_unlink(P("/tmp/a"), false, &ann), 0);
	assert_int_equal(ops_unlink(P("/tmp/c"), false, &root), 0);
}

static void test_attributes(void **state)
{
	struct node *f = create("/f", 06755, &root);
	int64_t before;

	assert_int_equal(ops_chown(f, ann.uid, ann.gid, &root), 0);
	/* chmod: the owner or root. */
	assert_int_equal(ops_chmod(f, 0600, &bob), -EPERM);
	assert_int_equal(ops_chmod(f, 0600, &ann), 0);
	assert_int_equal(f->mode, VS_IFREG | 0600);
	assert_int_equal(ops_chmod(f, 0777, &root), 0);
	/* Not in the file's group: no set-group-ID. */
	assert_int_equal(ops_chown(f, 0xffffffffu, eve.gid, &root), 0);
	assert_int_equal(ops_chmod(f, 02755, &ann), 0);
	assert_int_equal(f->mode, VS_IFREG | 0755);

	/* chown: root; an owner only to its own group. */
	assert_int_equal(ops_chown(f, bob.uid, 0xffffffffu, &ann), -EPERM);
	assert_int_equal(ops_chown(f, 0xffffffffu, 999, &ann), -EPERM);
	assert_int_equal(ops_chown(f, 0xffffffffu, ann.gid, &bob), -EPERM);
	assert_int_equal(ops_chown(f, ann.uid, ann.gid, &ann), 0);
	assert_int_equal(f->gid, ann.gid);
	assert_int_equal(ops_chown(f, bob.uid, 7, &root), 0);
	assert_int_equal(f->uid, bob.uid);
	assert_int_equal(f->gid, 7);

	/* A write by someone else drops set-user-ID. */
	assert_int_equal(ops_chmod(f, 04777, &root), 0);
	ops_written(f, &root);
	assert_int_equal(f->mode & 07777, 04777);
	ops_written(f, &ann);
	assert_int_equal(f->mode & 07777, 0777);

	/* utimes: given times need the owner; "now" the right to write. */
	assert_int_equal(ops_utimes(f, 5, 6, &ann), -EPERM);
	assert_int_equal(ops_utimes(f, VTIME_NOW, VTIME_NOW, &ann), 0);
	assert_int_equal(ops_chmod(f, 0644, &root), 0);
	assert_int_equal(ops_utimes(f, VTIME_NOW, VTIME_NOW, &ann), -EACCES);
	assert_int_equal(ops_utimes(f, 5, 6, &bob), 0);
	assert_int_equal(f->atime, 5);
	assert_int_equal(f->mtime, 6);
	before = f->ctime;
	assert_int_equal(ops_utimes(f, VTIME_OMIT, 9, &bob), 0);
	assert_int_equal(f->atime, 5);
	assert_int_equal(f->mtime, 9);
	assert_true(f->ctime > before);
	assert_int_equal(ops_utimes(f, 1ull << 63, 0, &root), -EINVAL);
	assert_int_equal(ops_utimes(f, VTIME_OMIT, VTIME_OMIT, &eve), 0);
}

/* ---- removing and renaming ---- */

static void test_unlink_rmdir(void **state)
{
	struct node *d;

	assert_int_equal(ops_mkdir(P("/d"), 0755, &root), 0);
	d = lookup("/d");
	assert_int_equal(tree_root->nlink, 3);
	assert_int_equal(d->nlink, 2);
	assert_int_equal(ops_mkdir(P("/d/e"), 0755, &root), 0);
	assert_int_equal(d->nlink, 3);
	create("/d/f", 0644, &root);
	assert_int_equal(ops_mkdir(P("/d"), 0755, &root), -EEXIST);
	assert_int_equal(ops_unlink(P("/d"), true, &root), -ENOTEMPTY);
	assert_int_equal(ops_unlink(P("/d"), false, &root), -EISDIR);
	assert_int_equal(ops_unlink(P("/d/f"), true, &root), -ENOTDIR);
	assert_int_equal(ops_unlink(P("/d/none"), false, &root), -ENOENT);
	assert_int_equal(ops_unlink(P("/"), true, &root), -EBUSY);
	assert_int_equal(ops_unlink(P("/d/e/."), true, &root), -EINVAL);
	assert_int_equal(ops_unlink(P("/d/f"), false, &root), 0);
	assert_int_equal(ops_unlink(P("/d/e/"), true, &root), 0);
	assert_int_equal(d->nlink, 2);
	assert_int_equal(ops_unlink(P("/d"), true, &root), 0);
	assert_int_equal(tree_root->nlink, 2);
	assert_int_equal(tree_nodes, 1);
	assert_int_equal(tree_used, 0);
}

static void test_rename(void **state)
{
	struct node *a, *b, *d;

	assert_int_equal(ops_mkdir(P("/d"), 0755, &root), 0);
	assert_int_equal(ops_mkdir(P("/d/sub"), 0755, &root), 0);
	assert_int_equal(ops_mkdir(P("/e"), 0755, &root), 0);
	a = create("/a", 0644, &root);
	b = create("/b", 0644, &root);
	d = lookup("/d");

	/* Files: a new name, then over another file. */
	assert_int_equal(ops_rename(P("/a"), P("/a2"), &root), 0);
	assert_ptr_equal(lookup("/a2"), a);
	assert_null(lookup("/a"));
	assert_int_equal(ops_rename(P("/a2"), P("/b"), &root), 0);
	assert_ptr_equal(lookup("/b"), a);
	assert_int_equal(tree_nodes, 5); /* b went */
	(void)b;

	/* Same file: nothing happens, both names stay. */
	assert_int_equal(ops_link(P("/b"), P("/b2"), &root), 0);
	assert_int_equal(ops_rename(P("/b"), P("/b2"), &root), 0);
	assert_ptr_equal(lookup("/b"), a);
	assert_ptr_equal(lookup("/b2"), a);
	assert_int_equal(a->nlink, 2);

	/* Type clashes and missing names. */
	assert_int_equal(ops_rename(P("/b"), P("/d"), &root), -EISDIR);
	assert_int_equal(ops_rename(P("/d"), P("/b"), &root), -ENOTDIR);
	assert_int_equal(ops_rename(P("/b"), P("/x/"), &root), -ENOTDIR);
	assert_int_equal(ops_rename(P("/none"), P("/x"), &root), -ENOENT);
	assert_int_equal(ops_rename(P("/b"), P("/none/x"), &root), -ENOENT);
	assert_int_equal(ops_rename(P("/"), P("/x"), &root), -EBUSY);
	assert_int_equal(ops_rename(P("/d/."), P("/x"), &root), -EINVAL);

	/* Directories: not into themselves, only over empty ones. */
	assert_int_equal(ops_rename(P("/d"), P("/d/sub/x"), &root), -EINVAL);
	assert_int_equal(ops_rename(P("/d"), P("/d/x"), &root), -EINVAL);
	assert_int_equal(ops_mkdir(P("/e/full"), 0755, &root), 0);
	assert_int_equal(ops_rename(P("/d"), P("/e"), &root), -ENOTEMPTY);
	assert_int_equal(ops_rename(P("/d/sub"), P("/e/full"), &root), 0);
	assert_int_equal(d->nlink, 2);
	assert_int_equal(lookup("/e")->nlink, 3);
	assert_ptr_equal(lookup("/e/full")->u.dir.parent, lookup("/e"));
	assert_int_equal(ops_rename(P("/d"), P("/e/full/d"), &root), 0);
	assert_ptr_equal(lookup("/e/full/d"), d);
	assert_int_equal(tree_root->nlink, 3); /* "/" and ".." of e */
	assert_int_equal(lookup("/e/full")->nlink, 3);
	assert_ptr_equal(d->u.dir.parent, lookup("/e/full"));
}

static void test_links(void **state)
{
	struct node *f = create("/f", 0644, &root);

	assert_int_equal(ops_mkdir(P("/d"), 0755, &root), 0);
	assert_int_equal(ops_link(P("/f"), P("/d/g"), &root), 0);
	assert_int_equal(f->nlink, 2);
	assert_ptr_equal(lookup("/d/g"), f);
	assert_int_equal(ops_link(P("/d"), P("/dd"), &root), -EPERM);
	assert_int_equal(ops_link(P("/f"), P("/d/g"), &root), -EEXIST);
	assert_int_equal(ops_link(P("/none"), P("/x"), &root), -ENOENT);
	assert_int_equal(ops_link(P("/f"), P("/x/"), &root), -ENOENT);
	assert_int_equal(ops_link(P("/f"), P("/d/x"), &ann), -EACCES);
	assert_int_equal(ops_unlink(P("/f"), false, &root), 0);
	assert_int_equal(f->nlink, 1);
	put(f, 0, "still here");
	assert_int_equal(ops_unlink(P("/d/g"), false, &root), 0);
	assert_int_equal(tree_nodes, 2); /* the root and /d */
}

/* A file removed while open lives until it is closed. */
static void test_open_unlinked(void **state)
{
	struct node *f = create("/f", 0644, &root);
	uint64_t used;

	put(f, 0, "data");
	used = tree_used;
	f->opens++;
	assert_int_equal(ops_unlink(P("/f"), false, &root), 0);
	assert_int_equal(f->nlink, 0);
	assert_int_equal(tree_nodes, 2);
	assert_true(tree_used < used); /* the entry went */
	put(f, 4, "more");
	assert_int_equal(f->size, 8);
	f->opens--;
	node_put(f);
	assert_int_equal(tree_nodes, 1);
	assert_int_equal(tree_used, 0);
}

/* ---- directories ---- */

/* Entries keep their cookies while others come and go. */
static void test_dir_cookies(void **state)
{
	struct node *d;
	struct entry *e;
	char name[24];

	assert_int_equal(ops_mkdir(P("/d"), 0755, &root), 0);
	d = lookup("/d");
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "/d/%d", i);
		create(name, 0644, &root);
	}
	e = dir_seek(d, 0);
	assert_int_equal(e->cookie, 2);
	assert_string_equal(e->name, "0");
	e = dir_seek(d, 7);
	assert_string_equal(e->name, "5");
	assert_int_equal(ops_unlink(P("/d/5"), false, &root), 0);
	assert_int_equal(ops_unlink(P("/d/0"), false, &root), 0);
	e = dir_seek(d, 7);
	assert_string_equal(e->name, "6"); /* 5 went: the next one */
	assert_int_equal(e->cookie, 8);
	assert_int_equal(ops_rename(P("/d/1"), P("/d/one"), &root), 0);
	assert_string_equal(d->u.dir.last->name, "one"); /* a new entry */
	assert_null(dir_seek(d, d->u.dir.last->cookie + 1));
	assert_int_equal(d->u.dir.entries, 8);
	assert_int_equal(d->u.dir.removals, 3);
}

/* ---- file data ---- */

static void test_data(void **state)
{
	struct node *f = create("/f", 0644, &root);
	static char buf[3 * TMPFS_BLOCK], want[3 * TMPFS_BLOCK];
	uint64_t base = tree_used;

	/* A hole before the data reads as zeros and costs no block. */
	put(f, 2 * TMPFS_BLOCK + 5, "xyz");
	assert_int_equal(f->size, 2 * TMPFS_BLOCK + 8);
	assert_int_equal(f->u.file.count, 1);
	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(data_read(f, 0, sizeof(buf), to_buf, buf),
			 2 * TMPFS_BLOCK + 8);
	memset(want, 0, sizeof(want));
	memcpy(want + 2 * TMPFS_BLOCK + 5, "xyz", 3);
	assert_memory_equal(buf, want, 2 * TMPFS_BLOCK + 8);
	assert_int_equal(data_read(f, f->size, 10, to_buf, buf), 0);
	assert_int_equal(data_read(f, f->size + 100, 10, to_buf, buf), 0);

	/* Cut in the middle of a block, then grown: zeros, not old bytes. */
	assert_int_equal(data_truncate(f, 2 * TMPFS_BLOCK + 6), 0);
	assert_int_equal(data_truncate(f, 3 * TMPFS_BLOCK), 0);
	assert_int_equal(data_read(f, 2 * TMPFS_BLOCK, 10, to_buf, buf), 10);
	assert_memory_equal(buf, "\0\0\0\0\0x\0\0\0\0", 10);
	assert_int_equal(data_truncate(f, 1), 0);
	assert_int_equal(f->u.file.count, 0);
	assert_int_equal(data_truncate(f, TMPFS_FILE_MAX + 1), -EFBIG);
	assert_int_equal(data_write(f, TMPFS_FILE_MAX, 1, from_buf, buf),
			 -EFBIG);
	assert_int_equal(data_truncate(f, 0), 0);
	assert_int_equal(tree_used, base);
}

/* A copy that fails at byte `fail_at` of the transfer. */
static uint64_t fail_at;
static long failing_in(void *ctx, uint64_t at, void *dst, size_t len)
{
	if (at >= fail_at)
		return -EFAULT;
	if (at + len > fail_at) {
		memset(dst, 'F', len); /* scribbles past what it reports */
		memset(dst, 'A', fail_at - at);
		return (long)(fail_at - at);
	}
	memset(dst, 'A', len);
	return (long)len;
}

static void test_data_failed_copy(void **state)
{
	struct node *f = create("/f", 0644, &root);
	static char buf[2 * TMPFS_BLOCK];

	fail_at = 100;
	assert_int_equal(data_write(f, 10, 1000, failing_in, NULL), 100);
	assert_int_equal(f->size, 110);
	/* Past the end stays zero, so growing shows no 'F'. */
	assert_int_equal(data_truncate(f, 2000), 0);
	assert_int_equal(data_read(f, 0, 2000, to_buf, buf), 2000);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(buf[i], i >= 10 && i < 110 ? 'A' : 0);
	fail_at = 0;
	assert_int_equal(data_write(f, 5 * TMPFS_BLOCK, 10, failing_in, NULL),
			 -EFAULT);
	assert_int_equal(f->size, 2000);
	assert_int_equal(f->u.file.count, 1);
}

/* The cap: -ENOSPC, partial writes, and all of it back after. */
static void test_account(void **state)
{
	static char chunk[64 * 1024];
	char name[16];
	uint64_t base = tree_used, total = 0;
	struct node *f;
	long n;
	int files;

	memset(chunk, 'c', sizeof(chunk));
	f = create("/big", 0644, &root);
	for (;;) {
		n = data_write(f, total, sizeof(chunk), from_buf, chunk);
		if (n < 0) {
			assert_int_equal(n, -ENOSPC);
			break;
		}
		total += (uint64_t)n;
		assert_true(total <= MAX);
	}
	assert_true(total > MAX / 2);
	assert_true(tree_used <= MAX);
	/* What is left (less than a block) holds a few directories. */
	for (files = 0;; files++) {
		snprintf(name, sizeof(name), "/d%d", files);
		n = ops_mkdir(P(name), 0755, &root);
		if (n)
			break;
	}
	assert_int_equal(n, -ENOSPC);
	assert_true(files < TMPFS_BLOCK / 100);
	assert_int_equal(ops_unlink(P("/big"), false, &root), 0);
	for (int i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "/d%d", i);
		assert_int_equal(ops_unlink(P(name), true, &root), 0);
	}
	assert_int_equal(tree_used, base);

	/* Many small files until full, removed again. */
	for (files = 0;; files++) {
		struct node *g;

		snprintf(name, sizeof(name), "/f%d", files);
		if (ops_open(P(name), VO_CREAT | VO_WRONLY, 0644, &root, &g))
			break;
		if (data_write(g, 0, 1, from_buf, chunk) != 1)
			break;
	}
	assert_true(files > 100);
	for (int i = 0; i <= files; i++) {
		snprintf(name, sizeof(name), "/f%d", i);
		ops_unlink(P(name), false, &root);
	}
	assert_int_equal(tree_used, base);
	assert_int_equal(tree_nodes, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_flags, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_permissions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sticky, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unlink_rmdir, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_unlinked, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dir_cookies, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_failed_copy, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_account, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
