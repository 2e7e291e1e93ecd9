/*
 * Filling the tree from the boot archive at start-up, with
 * kernel/lib/tar.c's checked reader.  Every entry goes through the same
 * operations a client's calls do (ops.c), as uid 0, so the archive gets
 * no path the protocol would refuse.  The archive is untrusted: a name
 * with "..", a component longer than TMPFS_NAME_MAX, a path through a
 * file or a name seen before (the first wins, as in initfs) is skipped
 * with a log line.
 */
#include "tar.h"
#undef __packed /* kernel/include/types.h's, as newlib's <sys/cdefs.h> */
#include <stdio.h>
#include <string.h>
#include "file.h"

#define NS_PER_S 1000000000ll

static const struct cred root_cred = { 0, 0 };

struct counts {
	uint32_t files, dirs, links, skipped;
};

/* The header's mtime (seconds) in ns, kept in range. */
static int64_t entry_time(const struct tar_entry *e)
{
	if (e->mtime > (uint64_t)(INT64_MAX / NS_PER_S))
		return INT64_MAX / NS_PER_S * NS_PER_S;
	return (int64_t)e->mtime * NS_PER_S;
}

static void set_times(struct node *n, int64_t t)
{
	n->atime = n->mtime = n->ctime = t;
}

/* Why the name cannot be used, or NULL: ".." or an overlong component. */
static const char *check_name(const char *name)
{
	const char *s = name;

	while (*s) {
		size_t n;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return "\"..\" in the name";
		if (n > TMPFS_NAME_MAX)
			return "a component is too long";
		s += n;
	}
	return NULL;
}

/*
 * Makes the directories on the way to the last component of name,
 * 0755, counting them in *made.  0, or an error: -ENOTDIR when a file is
 * in the way.
 */
static int make_parents(const char *name, size_t len, uint32_t *made)
{
	size_t end = len;
	int err;

	while (end > 0 && name[end - 1] == '/')
		end--; /* the last component's own trailing slashes */
	for (size_t i = 0; i < end; i++) {
		struct node *n;

		if (name[i] != '/' || i == 0 || name[i - 1] == '/')
			continue;
		err = ops_lookup(name, i, false, &root_cred, &n);
		if (err == -ENOENT) {
			err = ops_mkdir(name, i, 0755, &root_cred);
			*made += !err;
		} else if (!err && !node_is_dir(n))
			err = -ENOTDIR;
		if (err)
			return err;
	}
	return 0;
}

/* memcpy for data_write: ctx is the source. */
static long copy_from_archive(void *ctx, uint64_t at, void *dst, size_t len)
{
	memcpy(dst, (const char *)ctx + at, len);
	return (long)len;
}

static int add_file(const struct tar_entry *e, size_t len)
{
	struct node *n;
	long done;
	int err;

	err = ops_open(e->name, len, VO_CREAT | VO_EXCL | VO_WRONLY, e->mode,
		       &root_cred, &n);
	if (err)
		return err;
	done = data_write(n, 0, e->size, copy_from_archive, (void *)e->data);
	if (e->size && done != (long)e->size) {
		/* Do not leave half a file behind. */
		ops_unlink(e->name, len, false, &root_cred);
		return done < 0 ? (int)done : -ENOSPC;
	}
	set_times(n, entry_time(e));
	return 0;
}

static int add_dir(const struct tar_entry *e, size_t len)
{
	struct node *n;
	int err = ops_mkdir(e->name, len, e->mode, &root_cred);

	if (err && err != -EEXIST)
		return err;
	err = ops_lookup(e->name, len, false, &root_cred, &n);
	if (err)
		return err;
	if (!node_is_dir(n))
		return -EEXIST;
	/* Made by a path before: its own entry says the mode. */
	n->mode = VS_IFDIR | e->mode;
	set_times(n, entry_time(e));
	return 0;
}

static int add_link(const struct tar_entry *e, size_t len)
{
	struct node *n;
	int err;

	if (e->type == '1')
		return ops_link(e->data, e->size, e->name, len, &root_cred);
	err = ops_symlink(e->data, e->size, e->name, len, &root_cred);
	if (err)
		return err;
	err = ops_lookup(e->name, len, false, &root_cred, &n);
	if (!err)
		set_times(n, entry_time(e));
	return err;
}

static const char *error_text(int err)
{
	switch (err) {
	case -EEXIST:
		return "the name is taken";
	case -ENOTDIR:
		return "a file is on its path";
	case -ENOENT:
		return "a link to nothing";
	case -EPERM:
		return "a hard link to a directory";
	case -ENAMETOOLONG:
		return "the name is too long";
	default:
		return "cannot be placed";
	}
}

/* Places one entry; -ENOSPC when the cap is reached. */
static int add_entry(const struct tar_entry *e, struct counts *c)
{
	size_t len = strlen(e->name);
	bool dir = e->type == '5' || e->name[len - 1] == '/';
	const char *why = check_name(e->name);
	int err = 0;

	if (!why)
		err = make_parents(e->name, len, &c->dirs);
	if (!why && !err) {
		if (dir)
			err = add_dir(e, len);
		else if (e->type == '1' || e->type == '2')
			err = add_link(e, len);
		else
			err = add_file(e, len);
	}
	if (err == -ENOSPC)
		return err;
	if (why || err) {
		printf("tmpfs: %s: skipped (%s)\n", e->name,
		       why ? why : error_text(err));
		c->skipped++;
		return 0;
	}
	if (dir)
		c->dirs++;
	else if (e->type == '1' || e->type == '2')
		c->links++;
	else
		c->files++;
	return 0;
}

void archive_load(const void *archive, size_t size)
{
	static struct tar_entry e;
	struct counts c = { 0, 0, 0, 0 };
	uint32_t entries = 0;
	size_t off = 0;
	int ret;

	while ((ret = tar_next_any(archive, size, &off, &e)) == 1) {
		entries++;
		if (add_entry(&e, &c) == -ENOSPC) {
			printf("tmpfs: %s: no room under max=%llu bytes; the "
			       "rest of the archive is left out\n",
			       e.name, (unsigned long long)tree_max);
			break;
		}
	}
	if (ret < 0)
		printf("tmpfs: the archive is malformed after entry %u; "
		       "serving the entries before it\n",
		       entries);
	printf("tmpfs: %u files, %u directories, %u links from the archive "
	       "(%u skipped), %llu bytes in use\n",
	       c.files, c.dirs, c.links, c.skipped,
	       (unsigned long long)tree_used);
}
