/*
 * The tree: nodes, the entries that name them, path lookup, permission
 * checks and the memory account (tmpfs.h).
 *
 * Every entry is also in one hash table keyed by (directory, name), so a
 * lookup costs the same in a directory of ten entries or of ten
 * thousand; the table doubles as entries come.  Everything the tree
 * allocates for clients is charged to the account first, so that the cap
 * (max=) is what a client can fill and -ENOSPC is the answer beyond it:
 * a node is sizeof(struct node), an entry its size, its name and its
 * share of the hash table, file data its blocks and block map (data.c),
 * a symbolic link its target.
 */
#include <stdlib.h>
#include <string.h>
#include "tmpfs.h"

#define HASH_MIN 256 /* buckets to start with */

struct node *tree_root;
uint64_t tree_used, tree_max, tree_nodes;

static struct entry **buckets;
static uint64_t bucket_count, entry_count;
static uint64_t next_ino = 1;

/* Every node, so that tree_destroy finds the removed ones still open. */
struct node_link {
	struct node_link *next, *prev;
};
static struct node_link all_nodes = { &all_nodes, &all_nodes };

/* A node as allocated: the list link first, then the node. */
struct node_box {
	struct node_link link;
	struct node node;
};

static struct node_box *box_of(struct node *n)
{
	return (struct node_box *)((char *)n - offsetof(struct node_box, node));
}

bool tree_charge(uint64_t n)
{
	if (n > tree_max || tree_used > tree_max - n)
		return false;
	tree_used += n;
	return true;
}

void tree_uncharge(uint64_t n)
{
	tree_used = n > tree_used ? 0 : tree_used - n;
}

/* What an entry called n bytes costs the account. */
static uint64_t entry_cost(size_t n)
{
	return sizeof(struct entry) + n + 1 + sizeof(struct entry *);
}

/* ---- nodes ---- */

struct node *node_new(uint32_t mode, const struct cred *c)
{
	struct node_box *b;
	struct node *n;
	int64_t now = tmpfs_now();

	if (!tree_charge(sizeof(struct node_box)))
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b) {
		tree_uncharge(sizeof(struct node_box));
		return NULL;
	}
	n = &b->node;
	n->ino = next_ino++;
	n->mode = mode;
	n->uid = c->uid;
	n->gid = c->gid;
	n->atime = n->mtime = n->ctime = now;
	if (node_is_dir(n))
		n->u.dir.next_cookie = 2; /* 0 and 1 are "." and ".." */
	b->link.next = all_nodes.next;
	b->link.prev = &all_nodes;
	all_nodes.next->prev = &b->link;
	all_nodes.next = &b->link;
	tree_nodes++;
	return n;
}

/* Frees n and what it holds, whatever its counts say. */
static void node_free(struct node *n)
{
	struct node_box *b = box_of(n);

	if (node_is_reg(n))
		data_free(n);
	if (node_is_link(n)) {
		tree_uncharge(n->size + 1);
		free(n->u.link.target);
	}
	b->link.prev->next = b->link.next;
	b->link.next->prev = b->link.prev;
	tree_nodes--;
	tree_uncharge(sizeof(struct node_box));
	free(b);
}

void node_put(struct node *n)
{
	if (n && n->nlink == 0 && n->opens == 0 && n != tree_root)
		node_free(n);
}

int node_access(const struct node *n, const struct cred *c, int may)
{
	uint32_t bits;

	if (c->uid == 0)
		return 0;
	if (c->uid == n->uid)
		bits = n->mode >> 6;
	else if (c->gid == n->gid)
		bits = n->mode >> 3;
	else
		bits = n->mode;
	return ((bits & 7) & (uint32_t)may) == (uint32_t)may ? 0 : -EACCES;
}

int dir_may_delete(struct node *dir, const struct node *victim,
		   const struct cred *c)
{
	int err = node_access(dir, c, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	if ((dir->mode & 01000) && c->uid != 0 && c->uid != dir->uid &&
	    c->uid != victim->uid)
		return -EPERM;
	return 0;
}

void node_stat(const struct node *n, struct vstat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = n->ino;
	st->mode = n->mode;
	st->nlink = n->nlink;
	st->uid = n->uid;
	st->gid = n->gid;
	st->dev = TMPFS_DEV;
	st->atime_ns = n->atime;
	st->mtime_ns = n->mtime;
	st->ctime_ns = n->ctime;
	st->blksize = TMPFS_BLOCK;
	if (node_is_dir(n)) {
		st->size = n->u.dir.entries + 2;
	} else {
		st->size = n->size;
		if (node_is_reg(n))
			st->blocks = n->u.file.count * (TMPFS_BLOCK / 512);
	}
}

/* ---- the hash table of entries ---- */

/* FNV-1a over the directory's address and the name. */
static uint64_t entry_hash(const struct node *dir, const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull, d = (uintptr_t)dir;

	for (int i = 0; i < 8; i++, d >>= 8)
		h = (h ^ (d & 0xff)) * 1099511628211ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h;
}

static struct entry **bucket_of(const struct node *dir, const char *s, size_t n)
{
	return &buckets[entry_hash(dir, s, n) & (bucket_count - 1)];
}

/* Doubles the table; on failure the old one stays (only slower). */
static void hash_grow(void)
{
	uint64_t old_count = bucket_count, i;
	struct entry **old = buckets, **nb;

	nb = calloc(old_count * 2, sizeof(*nb));
	if (!nb)
		return;
	buckets = nb;
	bucket_count = old_count * 2;
	for (i = 0; i < old_count; i++) {
		struct entry *e = old[i], *next;

		for (; e; e = next) {
			struct entry **b =
				bucket_of(e->dir, e->name, e->namelen);

			next = e->hash_next;
			e->hash_next = *b;
			*b = e;
		}
	}
	free(old);
}

struct entry *dir_find(struct node *dir, const char *name, size_t n)
{
	struct entry *e = *bucket_of(dir, name, n);

	for (; e; e = e->hash_next) {
		if (e->dir == dir && e->namelen == n &&
		    !memcmp(e->name, name, n))
			return e;
	}
	return NULL;
}

int dir_add(struct node *dir, const char *name, size_t n, struct node *node)
{
	struct entry *e, **b;

	if (!tree_charge(entry_cost(n)))
		return -ENOSPC;
	e = malloc(sizeof(*e) + n + 1);
	if (!e) {
		tree_uncharge(entry_cost(n));
		return -ENOSPC;
	}
	memcpy(e->name, name, n);
	e->name[n] = '\0';
	e->namelen = (uint32_t)n;
	e->dir = dir;
	e->node = node;
	e->cookie = dir->u.dir.next_cookie++;
	e->next = NULL;
	e->prev = dir->u.dir.last;
	if (e->prev)
		e->prev->next = e;
	else
		dir->u.dir.first = e;
	dir->u.dir.last = e;
	dir->u.dir.entries++;
	if (entry_count >= bucket_count)
		hash_grow();
	b = bucket_of(dir, name, n);
	e->hash_next = *b;
	*b = e;
	entry_count++;
	return 0;
}

void dir_remove(struct entry *e)
{
	struct node *dir = e->dir;
	struct entry **p = bucket_of(dir, e->name, e->namelen);

	while (*p != e)
		p = &(*p)->hash_next;
	*p = e->hash_next;
	if (e->prev)
		e->prev->next = e->next;
	else
		dir->u.dir.first = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		dir->u.dir.last = e->prev;
	dir->u.dir.entries--;
	dir->u.dir.removals++;
	entry_count--;
	tree_uncharge(entry_cost(e->namelen));
	free(e);
}

struct entry *dir_seek(struct node *dir, uint64_t cookie)
{
	struct entry *e = dir->u.dir.first;

	if (!dir->u.dir.last || dir->u.dir.last->cookie < cookie)
		return NULL; /* at the end: no need to walk there */
	while (e && e->cookie < cookie)
		e = e->next;
	return e;
}

/* ---- the tree ---- */

int tree_init(uint64_t max_bytes)
{
	static const struct cred root_cred = { 0, 0 };

	tree_max = max_bytes;
	tree_used = 0;
	bucket_count = HASH_MIN;
	entry_count = 0;
	buckets = calloc(bucket_count, sizeof(*buckets));
	if (!buckets)
		return -ENOMEM;
	/* The root is not charged: it cannot be removed. */
	tree_max = UINT64_MAX;
	tree_root = node_new(VS_IFDIR | 0755, &root_cred);
	tree_max = max_bytes;
	if (!tree_root) {
		free(buckets);
		buckets = NULL;
		return -ENOMEM;
	}
	tree_used = 0;
	tree_root->nlink = 2;
	tree_root->u.dir.parent = tree_root;
	return 0;
}

void tree_destroy(void)
{
	for (uint64_t i = 0; i < bucket_count; i++) {
		struct entry *e = buckets[i], *next;

		for (; e; e = next) {
			next = e->hash_next;
			free(e);
		}
	}
	free(buckets);
	buckets = NULL;
	bucket_count = entry_count = 0;
	while (all_nodes.next != &all_nodes) {
		struct node_box *b = (struct node_box *)all_nodes.next;

		if (node_is_dir(&b->node))
			b->node.u.dir.first = NULL; /* freed above */
		node_free(&b->node);
	}
	tree_root = NULL;
	tree_used = 0;
}

/* ---- path lookup ---- */

/*
 * Skips the '/'s at *p and returns the length of the component that
 * starts there (0 when [*p, end) has none left), with *p at its start.
 */
static size_t component(char **p, const char *end)
{
	char *s = *p, *e;

	while (s < end && *s == '/')
		s++;
	for (e = s; e < end && *e != '/'; e++)
		;
	*p = s;
	return (size_t)(e - s);
}

static bool is_dot(const char *s, size_t n)
{
	return n == 1 && s[0] == '.';
}

static bool is_dot_dot(const char *s, size_t n)
{
	return n == 2 && s[0] == '.' && s[1] == '.';
}

/*
 * Replaces w->buf[0, rest) by link's target, keeping [rest, *end): the
 * path to look up next.  -ENAMETOOLONG if it does not fit.
 */
static int expand_link(struct walk *w, const struct node *link, char *rest,
		       char **end)
{
	size_t tail = (size_t)(*end - rest), n = link->size;

	if (n == 0)
		return -ENOENT;
	if (n + tail >= sizeof(w->buf))
		return -ENAMETOOLONG;
	memmove(w->buf + n, rest, tail);
	memcpy(w->buf, link->u.link.target, n);
	w->buf[n + tail] = '\0';
	*end = w->buf + n + tail;
	return 0;
}

/* Fills *w for a last component found (node may be NULL) in dir. */
static void walk_done(struct walk *w, struct node *dir, struct node *node,
		      struct entry *e, char *name, size_t n, const char *end)
{
	w->dir = dir;
	w->node = node;
	w->entry = e;
	w->name = name;
	w->namelen = n;
	w->slash = name + n < end;
	w->dots = e == NULL && node != NULL;
}

int tree_walk(const char *path, size_t len, int flags, const struct cred *c,
	      struct walk *w)
{
	struct node *cur = tree_root;
	unsigned links = 0;
	char *p, *end;
	int err;

	if (len >= sizeof(w->buf))
		return -ENAMETOOLONG;
	memcpy(w->buf, path, len);
	w->buf[len] = '\0';
	p = w->buf;
	end = w->buf + len;
	for (;;) {
		size_t n = component(&p, end);
		char *name = p, *rest = p + n, *next = rest;
		bool last = component(&next, end) == 0;
		struct entry *e;

		if (n == 0) { /* nothing but slashes: the path names cur */
			walk_done(w, cur, cur, NULL, p, 0, end);
			return 0;
		}
		if (!node_is_dir(cur))
			return -ENOTDIR;
		err = node_access(cur, c, MAY_EXEC);
		if (err)
			return err;
		if (n > TMPFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (is_dot(name, n) || is_dot_dot(name, n)) {
			struct node *to = n == 1 ? cur : cur->u.dir.parent;

			if (last) {
				walk_done(w, cur, to, NULL, name, n, end);
				return 0;
			}
			cur = to;
			p = rest;
			continue;
		}
		e = dir_find(cur, name, n);
		if (e && node_is_link(e->node) &&
		    (!last || (flags & WALK_FOLLOW) || rest < end)) {
			if (++links > TMPFS_SYMLOOP_MAX)
				return -ELOOP;
			err = expand_link(w, e->node, rest, &end);
			if (err)
				return err;
			if (w->buf[0] == '/')
				cur = tree_root;
			p = w->buf;
			continue;
		}
		if (last) {
			walk_done(w, cur, e ? e->node : NULL, e, name, n, end);
			if (w->slash && e && !node_is_dir(e->node))
				return -ENOTDIR;
			return 0;
		}
		if (!e)
			return -ENOENT;
		cur = e->node;
		p = rest;
	}
}
