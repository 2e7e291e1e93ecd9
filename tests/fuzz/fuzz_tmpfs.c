/*
 * libFuzzer target for tmpfs's tree (servers/tmpfs/tree.c, ops.c,
 * data.c): the input is a program of operations with client paths in it
 * (open, mkdir, unlink, rmdir, rename, link, symlink, chmod, chown,
 * utimes, writes, truncates, closes), as three users.  Whatever it does,
 * nothing may crash or trip a sanitizer, and once every open file is
 * closed and everything is removed the account must be back at 0 with
 * only the root left.  Build and run: make fuzz-tmpfs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfs.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_tmpfs: invariant failed: %s\n",  \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

#define OPEN_MAX 8

static int64_t clock_now;

int64_t tmpfs_now(void)
{
	return ++clock_now;
}

static long from_zero(void *ctx, uint64_t at, void *dst, size_t len)
{
	memset(dst, (int)(at & 0xff), len);
	return (long)len;
}

static long to_nowhere(void *ctx, uint64_t at, const void *src, size_t len)
{
	return (long)len;
}

/* Removes everything below the directory at path[0, len), as root. */
static void remove_all(char *path, size_t len)
{
	static const struct cred root = { 0, 0 };
	struct node *dir;
	struct entry *e;

	if (ops_lookup(path, len, false, &root, &dir) || !node_is_dir(dir))
		return;
	while ((e = dir->u.dir.first) != NULL) {
		size_t n = len + 1 + e->namelen;
		bool sub = node_is_dir(e->node);

		CHECK(n < TMPFS_PATH_MAX);
		path[len] = '/';
		memcpy(path + len + 1, e->name, e->namelen);
		if (sub)
			remove_all(path, n);
		CHECK(ops_unlink(path, n, sub, &root) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cred creds[3] = { { 0, 0 },
					      { 1000, 100 },
					      { 1001, 100 } };
	struct node *open[OPEN_MAX];
	char path[TMPFS_PATH_MAX];
	int nopen = 0;

	CHECK(tree_init(256 * 1024) == 0);
	while (size >= 4) {
		uint8_t op = data[0], arg = data[3];
		size_t l1 = data[1] % 40, l2 = data[2] % 40;
		const struct cred *c = &creds[(op >> 4) % 3];
		const char *p1 = (const char *)data + 4, *p2 = p1 + l1;
		struct node *n = NULL;
		uint64_t pos = (uint64_t)arg << (arg % 24);

		if (4 + l1 + l2 > size)
			break;
		data += 4 + l1 + l2;
		size -= 4 + l1 + l2;
		switch (op % 14) {
		case 0:
			if (nopen < OPEN_MAX &&
			    !ops_open(p1, l1, arg | ((uint32_t)arg << 4) << 4,
				      0777, c, &n)) {
				n->opens++;
				open[nopen++] = n;
			}
			break;
		case 1:
			ops_mkdir(p1, l1, arg * 9u, c);
			break;
		case 2:
			ops_unlink(p1, l1, arg & 1, c);
			break;
		case 3:
			ops_rename(p1, l1, p2, l2, c);
			break;
		case 4:
			ops_link(p1, l1, p2, l2, c);
			break;
		case 5:
			ops_symlink(p2, l2, p1, l1, c);
			break;
		case 6:
			if (!ops_lookup(p1, l1, arg & 1, c, &n))
				ops_chmod(n, arg * 33u, c);
			break;
		case 7:
			if (!ops_lookup(p1, l1, arg & 1, c, &n))
				ops_chown(n, arg & 2 ? 1000 : 0xffffffffu,
					  arg & 4 ? 100 : 0xffffffffu, c);
			break;
		case 8:
			if (!ops_lookup(p1, l1, true, c, &n))
				ops_utimes(n, arg & 1 ? VTIME_NOW : arg,
					   arg & 2 ? VTIME_OMIT : pos, c);
			break;
		case 9:
			if (nopen && node_is_reg(open[arg % nopen]))
				data_write(open[arg % nopen], pos, l1 * 300,
					   from_zero, NULL);
			break;
		case 10:
			if (nopen)
				ops_truncate(open[arg % nopen], pos, c);
			break;
		case 11:
			if (nopen && node_is_reg(open[arg % nopen]))
				data_read(open[arg % nopen], pos, 9000,
					  to_nowhere, NULL);
			break;
		case 12:
			if (nopen) {
				int i = arg % nopen;

				n = open[i];
				open[i] = open[--nopen];
				n->opens--;
				node_put(n);
			}
			break;
		default:
			if (nopen && node_is_dir(open[arg % nopen]))
				dir_seek(open[arg % nopen], pos);
			break;
		}
	}
	while (nopen) {
		struct node *n = open[--nopen];

		n->opens--;
		node_put(n);
	}
	remove_all(path, 0);
	CHECK(tree_used == 0);
	CHECK(tree_nodes == 1);
	CHECK(tree_root->nlink == 2);
	tree_destroy();
	return 0;
}
