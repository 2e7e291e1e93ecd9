/*
 * The index of the boot archive: one node per file and directory, built
 * once at start-up with kernel/lib/tar.c's checked reader, then looked up
 * by path.  Children hang off their directory in archive order; a hash
 * table keyed by (parent, name) finds a child in constant time, so that
 * neither building nor lookups grow with the size of a directory.
 *
 * The archive is untrusted: names are split here, never trusted to be
 * tidy ("./a//b" is "a/b"), and an entry that would climb out of the
 * root ("..") or clash with another is skipped.
 */
#include "initfs.h"
#include "tar.h"

#define DIR_MODE  (VS_IFDIR | 0555)
#define FILE_MODE (VS_IFREG | 0444)

struct node *nodes;
uint32_t node_count;

static uint32_t node_max;
static uint32_t *buckets; /* first node of each hash chain */
static uint32_t bucket_mask;
static char *pool; /* the names, each NUL-terminated */
static uint64_t pool_size, pool_used;

/*
 * Skips the '/'s at *p and returns the length of the component that
 * starts there (0 when [*p, end) has none left), with *p at its start.
 */
static size_t component(const char **p, const char *end)
{
	const char *s = *p, *e;

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

/* FNV-1a over the parent's number and the name. */
static uint32_t name_hash(uint32_t parent, const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 4; i++)
		h = (h ^ ((parent >> (8 * i)) & 0xff)) * 16777619u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* The child of dir called s[0, n), or NODE_NONE. */
static uint32_t lookup(uint32_t dir, const char *s, size_t n)
{
	uint32_t i = buckets[name_hash(dir, s, n) & bucket_mask];

	for (; i != NODE_NONE; i = nodes[i].hash_next) {
		if (nodes[i].parent == dir && nodes[i].namelen == n &&
		    !memcmp(nodes[i].name, s, n))
			return i;
	}
	return NODE_NONE;
}

/* Adds s[0, n) to dir; returns its number, or NODE_NONE when full. */
static uint32_t node_add(uint32_t dir, const char *s, size_t n, uint32_t mode)
{
	struct node *d = &nodes[dir], *c;
	uint32_t i = node_count, b;
	char *name;

	if (i >= node_max || n + 1 > pool_size - pool_used)
		return NODE_NONE;
	name = pool + pool_used;
	memcpy(name, s, n);
	name[n] = '\0';
	pool_used += n + 1;

	c = &nodes[i];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->namelen = (uint32_t)n;
	c->mode = mode;
	c->parent = dir;
	c->first = c->last = c->next = NODE_NONE;
	c->size = node_is_dir(c) ? 2 : 0; /* "." and ".." */

	if (d->last == NODE_NONE)
		d->first = i;
	else
		nodes[d->last].next = i;
	d->last = i;
	d->children++;
	d->size = d->children + 2;

	b = name_hash(dir, s, n) & bucket_mask;
	c->hash_next = buckets[b];
	buckets[b] = i;
	node_count++;
	return i;
}

/* Why the entry cannot be placed, or NULL if its name is fine. */
static const char *check_name(const char *name, const char *end)
{
	const char *s = name;
	size_t n;

	for (; (n = component(&s, end)); s += n) {
		if (is_dot_dot(s, n))
			return "\"..\" in the name";
		if (n > INITFS_NAME_MAX)
			return "a component is too long";
	}
	return NULL;
}

/* As component(), but skips "." components too. */
static size_t next_name(const char **p, const char *end)
{
	size_t n;

	while ((n = component(p, end)) && is_dot(*p, n))
		*p += n;
	return n;
}

/*
 * Places one archive entry: the directories on its path (made as
 * needed), then the file itself, or only directories for a name with a
 * trailing '/' (an old-style directory entry).
 */
static void add_entry(const struct tar_entry *e)
{
	size_t len = strlen(e->name), n;
	const char *end = e->name + len, *s = e->name;
	bool dir = e->name[len - 1] == '/';
	const char *why = check_name(e->name, end);
	uint32_t cur = NODE_ROOT, child;

	if (why)
		goto skip;
	for (; (n = next_name(&s, end)); s += n) {
		const char *rest = s + n;

		child = lookup(cur, s, n);
		if (!dir && next_name(&rest, end) == 0) {
			/* The last component: the file itself. */
			if (child != NODE_NONE) {
				why = "the name is taken";
				goto skip;
			}
			child = node_add(cur, s, n, FILE_MODE);
			if (child == NODE_NONE)
				goto skip;
			nodes[child].data = e->data;
			nodes[child].size = e->size;
			return;
		}
		if (child == NODE_NONE) {
			child = node_add(cur, s, n, DIR_MODE);
			if (child == NODE_NONE)
				goto skip;
		} else if (!node_is_dir(&nodes[child])) {
			why = "a file is on its path";
			goto skip;
		}
		cur = child;
	}
	if (dir)
		return; /* "./" and the like: the root, which exists */
	why = "no name";
skip:
	printf("initfs: %s: skipped (%s)\n", e->name, why ? why : "no room");
}

/* Upper bounds for the index of the archive: nodes and name bytes. */
static void index_measure(const void *archive, size_t size, uint64_t *nodes_out,
			  uint64_t *bytes_out)
{
	static struct tar_entry e;
	size_t off = 0;

	*nodes_out = 1; /* the root */
	*bytes_out = 1;
	while (tar_next(archive, size, &off, &e) == 1) {
		const char *s = e.name, *end = e.name + strlen(e.name);
		size_t n;

		for (; (n = component(&s, end)); s += n)
			++*nodes_out;
		*bytes_out += (size_t)(end - e.name) + 1;
	}
}

/* Maps zeroed, writable memory for the index; see index_build. */
static void *index_memory(uint64_t size)
{
	handle_t mem;
	long va;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (size > MEM_MAX_SIZE)
		return NULL;
	mem = sys_mem_create(size, 0);
	if (mem < 0)
		return NULL;
	va = sys_vm_map(mem, 0, 0, size, VM_READ | VM_WRITE);
	sys_handle_close(mem); /* the mapping keeps it */
	return va < 0 ? NULL : (void *)va;
}

int index_build(const void *archive, size_t size)
{
	static struct tar_entry e;
	uint64_t max_nodes, bytes, nbuckets = 16, total;
	uint32_t files = 0, entries = 0;
	size_t off = 0;
	char *mem;
	int ret;

	index_measure(archive, size, &max_nodes, &bytes);
	if (max_nodes >= NODE_NONE)
		return -ENOMEM;
	while (nbuckets < max_nodes)
		nbuckets <<= 1;
	total = max_nodes * sizeof(struct node) + nbuckets * sizeof(uint32_t) +
		bytes;
	mem = index_memory(total);
	if (!mem)
		return -ENOMEM;
	nodes = (struct node *)mem;
	buckets = (uint32_t *)(mem + max_nodes * sizeof(struct node));
	pool = (char *)(buckets + nbuckets);
	node_max = (uint32_t)max_nodes;
	bucket_mask = (uint32_t)nbuckets - 1;
	pool_size = bytes;
	memset(buckets, 0xff, nbuckets * sizeof(uint32_t)); /* NODE_NONE */

	/* The root: node 0, its own parent, never in the hash table. */
	nodes[0].name = pool;
	pool_used = 1;
	nodes[0].mode = DIR_MODE;
	nodes[0].parent = NODE_ROOT;
	nodes[0].first = nodes[0].last = nodes[0].next = NODE_NONE;
	nodes[0].size = 2;
	node_count = 1;

	while ((ret = tar_next(archive, size, &off, &e)) == 1) {
		entries++;
		add_entry(&e);
	}
	if (ret < 0)
		printf("initfs: the archive is malformed after entry %u; "
		       "serving the entries before it\n",
		       entries);
	for (uint32_t i = 0; i < node_count; i++)
		files += !node_is_dir(&nodes[i]);
	printf("initfs: %u files, %u directories\n", files, node_count - files);
	return 0;
}

int index_resolve(const char *path, size_t len, uint32_t *node)
{
	const char *s = path, *end = path + len;
	uint32_t cur = NODE_ROOT;
	size_t n;

	for (; (n = component(&s, end)); s += n) {
		if (!node_is_dir(&nodes[cur]))
			return -ENOTDIR;
		if (is_dot(s, n))
			continue;
		if (is_dot_dot(s, n)) {
			cur = nodes[cur].parent;
			continue;
		}
		if (n > INITFS_NAME_MAX)
			return -ENAMETOOLONG;
		cur = lookup(cur, s, n);
		if (cur == NODE_NONE)
			return -ENOENT;
	}
	if (len && path[len - 1] == '/' && !node_is_dir(&nodes[cur]))
		return -ENOTDIR;
	*node = cur;
	return 0;
}
