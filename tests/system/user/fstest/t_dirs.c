/*
 * Directories: FS_READDIR's records, checked one by one, against the
 * archive's own list of files, in buffers of every size, with seeks.
 */
#include "fstest.h"

#define LIST_MAX 64
#define NAME_LEN 64

struct listing {
	int n;
	char names[LIST_MAX][NAME_LEN];
	uint64_t ino[LIST_MAX];
	uint8_t type[LIST_MAX];
};

/*
 * Checks the records in buf[0, len) and appends them to l.  Returns
 * false (after reporting it) when a record is malformed.
 */
static bool parse(const uint8_t *buf, long len, struct listing *l)
{
	long off = 0;

	while (off < len) {
		const struct vdirent *d = (const void *)(buf + off);
		size_t min = offsetof(struct vdirent, name) + d->namelen + 1;

		if (d->reclen % 8 || d->reclen < min || off + d->reclen > len ||
		    d->name[d->namelen] != '\0' ||
		    strnlen(d->name, d->namelen) != d->namelen ||
		    d->namelen >= NAME_LEN || l->n == LIST_MAX) {
			ft_fail(__FILE__, __LINE__, "a well-formed record",
				off);
			return false;
		}
		for (size_t i = min; i < d->reclen; i++) {
			if (((const uint8_t *)d)[i]) {
				ft_fail(__FILE__, __LINE__, "zero padding", i);
				return false;
			}
		}
		memcpy(l->names[l->n], d->name, d->namelen + 1);
		l->ino[l->n] = d->ino;
		l->type[l->n] = d->type;
		l->n++;
		off += d->reclen;
	}
	return true;
}

/* Reads the rest of directory d in buffers of `size`; 0 or -errno. */
static long read_rest(handle_t d, size_t size, struct listing *l)
{
	static uint8_t buf[4096];
	long n;

	while ((n = fs_readdir(d, buf, size)) > 0) {
		if (!parse(buf, n, l))
			return -EINVAL;
	}
	return n;
}

/* Lists path in buffers of `size`; 0 or -errno. */
static long list(const char *path, size_t size, struct listing *l)
{
	handle_t d = fs_open(path, VO_RDONLY | VO_DIRECTORY);
	long err;

	memset(l, 0, sizeof(*l));
	if (d < 0)
		return d;
	err = read_rest(d, size, l);
	sys_handle_close(d);
	return err;
}

static int find(const struct listing *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return i;
	return -1;
}

static bool same(const struct listing *a, const struct listing *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->names[i], b->names[i]) ||
		    a->ino[i] != b->ino[i] || a->type[i] != b->type[i])
			return false;
	return true;
}

static long ino_of(const char *path)
{
	struct vstat st;
	long err = fs_stat_path(path, &st);

	return err < 0 ? err : (long)st.ino;
}

/* Checks l is exactly ".", "..", then names[] in that order. */
static void check_names(const struct listing *l, const char *const *names,
			int n)
{
	CHECK_EQ(l->n, n + 2);
	if (l->n != n + 2)
		return;
	CHECK(strcmp(l->names[0], ".") == 0);
	CHECK(strcmp(l->names[1], "..") == 0);
	for (int i = 0; i < n; i++)
		CHECK(strcmp(l->names[i + 2], names[i]) == 0);
}

static struct listing la, lb;

static void t_readdir_root(void)
{
	static const char *const names[] = { "bin", "etc", "test" };

	REQUIRE_EQ(list("", 4096, &la), 0);
	check_names(&la, names, 3);
	REQUIRE_EQ(la.n, 5);
	CHECK_EQ(la.ino[0], 1);
	CHECK_EQ(la.ino[1], 1); /* the root is its own parent */
	for (int i = 0; i < la.n; i++)
		CHECK_EQ(la.type[i], VS_IFDIR >> 12);
	CHECK_EQ(la.ino[2], ino_of("bin"));
	CHECK_EQ(la.ino[3], ino_of("etc"));
	CHECK_EQ(la.ino[4], ino_of("test"));
	/* "/" lists the same. */
	REQUIRE_EQ(list("/", 4096, &lb), 0);
	CHECK(same(&la, &lb));
}

struct bin_check {
	const struct listing *l;
	int files;
};

/* Every bin/<name> of the archive is listed once, as a file. */
static void check_bin_entry(const char *name, void *arg)
{
	struct bin_check *c = arg;
	char path[NAME_LEN + 4];
	int i;

	if (strncmp(name, "bin/", 4) != 0 || strlen(name) >= sizeof(path))
		return;
	c->files++;
	i = find(c->l, name + 4);
	CHECK(i >= 2);
	if (i < 2)
		return;
	CHECK_EQ(c->l->type[i], VS_IFREG >> 12);
	memcpy(path, name, strlen(name) + 1);
	CHECK_EQ(c->l->ino[i], ino_of(path));
}

static void t_readdir_bin(void)
{
	struct bin_check c = { &la, 0 };

	REQUIRE_EQ(list("bin", 4096, &la), 0);
	REQUIRE(la.n >= 2);
	CHECK(strcmp(la.names[0], ".") == 0);
	CHECK(strcmp(la.names[1], "..") == 0);
	CHECK_EQ(la.ino[0], ino_of("bin"));
	CHECK_EQ(la.ino[1], 1);
	ft_archive_each(check_bin_entry, &c);
	CHECK_EQ(la.n, c.files + 2);
	CHECK(find(&la, "initfs") >= 2);
	CHECK(find(&la, "fstest") >= 2);
	CHECK(find(&la, "init") >= 2);
}

/* Small buffers give the same list, one or a few records at a time. */
static void t_readdir_pieces(void)
{
	static const size_t sizes[] = { 24, 31, 32, 40, 48, 100, 272, 4096 };
	uint8_t buf[16];
	handle_t d;
	long n;

	REQUIRE_EQ(list("bin", 4096, &la), 0);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		REQUIRE_EQ(list("bin", sizes[i], &lb), 0);
		CHECK(same(&la, &lb));
	}

	/* Too small for the next record: -EINVAL, and nothing moves.  In
	   test/a/b: bin has names ("ls", "[") whose records fit in 16. */
	REQUIRE_EQ(list("test/a/b", 4096, &la), 0);
	d = fs_open("test/a/b", VO_RDONLY);
	REQUIRE_OK(d);
	CHECK_EQ(fs_readdir(d, buf, 0), -EINVAL);
	CHECK_EQ(fs_readdir(d, buf, 8), -EINVAL);
	CHECK_EQ(fs_readdir(d, buf, 15), -EINVAL);
	memset(&lb, 0, sizeof(lb));
	/* "." and ".." take 16 bytes each, "deep.txt" more. */
	while ((n = fs_readdir(d, buf, 16)) > 0)
		CHECK(parse(buf, n, &lb));
	CHECK_EQ(n, -EINVAL);
	CHECK_EQ(lb.n, 2);
	CHECK_EQ(read_rest(d, 4096, &lb), 0);
	CHECK(same(&la, &lb));
	CHECK_EQ(fs_readdir(d, buf, 16), 0); /* the end */
	sys_handle_close(d);
}

/* A directory's offset counts entries; seeking moves among them. */
static void t_readdir_seek(void)
{
	struct vstat st;
	handle_t d = fs_open("", VO_RDONLY);

	REQUIRE_OK(d);
	memset(&la, 0, sizeof(la));
	CHECK_EQ(read_rest(d, 4096, &la), 0);
	CHECK_EQ(la.n, 5);
	CHECK_EQ(fs_stat(d, &st), 0);
	CHECK_EQ(st.size, 5);
	CHECK_EQ(fs_seek(d, 0, VSEEK_CUR), 5);

	CHECK_EQ(fs_seek(d, 0, VSEEK_SET), 0);
	memset(&lb, 0, sizeof(lb));
	CHECK_EQ(read_rest(d, 4096, &lb), 0);
	CHECK(same(&la, &lb));

	CHECK_EQ(fs_seek(d, 4, VSEEK_SET), 4);
	memset(&lb, 0, sizeof(lb));
	CHECK_EQ(read_rest(d, 4096, &lb), 0);
	CHECK_EQ(lb.n, 1);
	CHECK(strcmp(lb.names[0], "test") == 0);

	CHECK_EQ(fs_seek(d, -2, VSEEK_END), 3);
	memset(&lb, 0, sizeof(lb));
	CHECK_EQ(read_rest(d, 4096, &lb), 0);
	CHECK_EQ(lb.n, 2);
	CHECK(strcmp(lb.names[0], "etc") == 0);

	CHECK_EQ(fs_seek(d, 100, VSEEK_SET), 100);
	memset(&lb, 0, sizeof(lb));
	CHECK_EQ(read_rest(d, 4096, &lb), 0);
	CHECK_EQ(lb.n, 0);
	sys_handle_close(d);
}

static void t_readdir_nested(void)
{
	static const char *const test[] = { "a", "empty", "hello.txt",
					     "libc", "utils" };
	static const char *const a[] = { "b" };
	static const char *const b[] = { "deep.txt" };

	REQUIRE_EQ(list("test", 4096, &la), 0);
	check_names(&la, test, 5);
	if (la.n == 7) {
		CHECK_EQ(la.type[2], VS_IFDIR >> 12);
		CHECK_EQ(la.type[3], VS_IFREG >> 12);
		CHECK_EQ(la.type[4], VS_IFREG >> 12);
		CHECK_EQ(la.ino[4], ino_of(HELLO_PATH));
		CHECK_EQ(la.type[5], VS_IFDIR >> 12);
		CHECK_EQ(la.type[6], VS_IFDIR >> 12);
	}
	REQUIRE_EQ(list("test/a", 4096, &la), 0);
	check_names(&la, a, 1);
	CHECK_EQ(la.ino[0], ino_of("test/a"));
	CHECK_EQ(la.ino[1], ino_of("test"));
	REQUIRE_EQ(list("test/a/b/", 4096, &la), 0);
	check_names(&la, b, 1);
	CHECK_EQ(la.ino[1], ino_of("test/a"));
	CHECK_EQ(la.type[2], VS_IFREG >> 12);
}

const struct ft_case ft_dir_cases[] = {
	{ "readdir of the root", t_readdir_root },
	{ "readdir of bin lists the programs", t_readdir_bin },
	{ "readdir in small buffers", t_readdir_pieces },
	{ "readdir after seeks", t_readdir_seek },
	{ "readdir of nested directories", t_readdir_nested },
	{ NULL, NULL },
};
