/*
 * Files: open, read (checked against the archive itself), seek, stat,
 * and how paths are taken apart.
 */
#include "fstest.h"

#define INT64_MAX_ ((int64_t)(~0ull >> 1))

static void t_read_small(void)
{
	size_t len = strlen(HELLO_TEXT);
	uint64_t type = 0;
	char buf[100];
	handle_t f;

	f = fs_open_len(HELLO_PATH, strlen(HELLO_PATH), VO_RDONLY, &type);
	REQUIRE_OK(f);
	CHECK_EQ(type, VS_IFREG);
	CHECK_EQ(fs_read(f, buf, sizeof(buf)), len);
	CHECK(memcmp(buf, HELLO_TEXT, len) == 0);
	CHECK_EQ(fs_read(f, buf, sizeof(buf)), 0);
	CHECK_EQ(fs_read(f, buf, sizeof(buf)), 0);
	sys_handle_close(f);
}

static void t_read_empty(void)
{
	struct vstat st;
	char buf[16];
	handle_t f = fs_open("test/empty", VO_RDONLY);

	REQUIRE_OK(f);
	CHECK_EQ(fs_read(f, buf, sizeof(buf)), 0);
	CHECK_EQ(fs_stat(f, &st), 0);
	CHECK_EQ(st.size, 0);
	CHECK_EQ(st.blocks, 0);
	sys_handle_close(f);
}

/* Reads the big file from 0 in pieces of each size; all must match. */
static void t_read_sizes(void)
{
	static const uint32_t sizes[] = { 1,	3,    100,  511,   512,	  513,
					  4095, 4096, 4097, 65536, 200000 };
	static uint8_t buf[200000];
	const uint8_t *want;
	uint64_t size;
	handle_t f;

	REQUIRE(ft_archive_file(BIG_PATH, &want, &size));
	REQUIRE(size > 65536 && size < sizeof(buf));
	f = fs_open(BIG_PATH, VO_RDONLY);
	REQUIRE_OK(f);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t s = sizes[i];
		/* Small pieces only for a start: one call each. */
		uint64_t limit = s < 512 ? 8192 : size, got = 0;

		CHECK_EQ(fs_seek(f, 0, VSEEK_SET), 0);
		while (got < limit) {
			long n = fs_read(f, buf, s);
			long expect = (long)(s < size - got ? s : size - got);

			if (n != expect) {
				CHECK_EQ(n, expect);
				break;
			}
			if (memcmp(buf, want + got, (size_t)n) != 0) {
				ft_fail(__FILE__, __LINE__, "bytes match", s);
				break;
			}
			got += (uint64_t)n;
		}
		if (limit == size)
			CHECK_EQ(fs_read(f, buf, s), 0);
	}
	sys_handle_close(f);
}

/* Seeks to offsets around page boundaries and the end, reads 16. */
static void t_read_offsets(void)
{
	const uint8_t *want;
	uint64_t size;
	uint8_t buf[16];
	handle_t f;

	REQUIRE(ft_archive_file(BIG_PATH, &want, &size));
	f = fs_open(BIG_PATH, VO_RDONLY);
	REQUIRE_OK(f);
	{
		const int64_t offs[] = { 0,
					 1,
					 4090,
					 4095,
					 4096,
					 4097,
					 8190,
					 (int64_t)size - 16,
					 (int64_t)size - 1,
					 (int64_t)size,
					 (int64_t)size + 1,
					 1ll << 40,
					 INT64_MAX_ };

		for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
			uint64_t o = (uint64_t)offs[i];
			long expect = 0;

			if (o < size)
				expect = size - o < 16 ? (long)(size - o) : 16;
			CHECK_EQ(fs_seek(f, offs[i], VSEEK_SET), offs[i]);
			CHECK_EQ(fs_read(f, buf, sizeof(buf)), expect);
			if (expect > 0)
				CHECK(memcmp(buf, want + o, (size_t)expect) ==
				      0);
		}
	}
	sys_handle_close(f);
}

static void t_seek(void)
{
	long size = (long)strlen(HELLO_TEXT);
	char c = 0;
	handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

	REQUIRE_OK(f);
	CHECK_EQ(fs_seek(f, 10, VSEEK_SET), 10);
	CHECK_EQ(fs_seek(f, 5, VSEEK_CUR), 15);
	CHECK_EQ(fs_seek(f, -15, VSEEK_CUR), 0);
	CHECK_EQ(fs_seek(f, -1, VSEEK_CUR), -EINVAL);
	CHECK_EQ(fs_read(f, &c, 1), 1); /* the offset stayed at 0 */
	CHECK_EQ(c, 'H');
	CHECK_EQ(fs_seek(f, 0, VSEEK_END), size);
	CHECK_EQ(fs_seek(f, -1, VSEEK_END), size - 1);
	CHECK_EQ(fs_read(f, &c, 1), 1);
	CHECK_EQ(c, '\n');
	CHECK_EQ(fs_seek(f, 1, VSEEK_END), size + 1);
	CHECK_EQ(fs_read(f, &c, 1), 0);
	CHECK_EQ(fs_seek(f, -size - 1, VSEEK_END), -EINVAL);
	CHECK_EQ(fs_seek(f, -1, VSEEK_SET), -EINVAL);
	CHECK_EQ(fs_seek(f, 0, 3), -EINVAL);
	CHECK_EQ(fs_seek(f, 0, -1), -EINVAL);
	CHECK_EQ(fs_call(f, FS_SEEK, 0, 1ull << 32, NULL), -EINVAL);
	/* The largest offset is fine; one past it overflows. */
	CHECK_EQ(fs_seek(f, INT64_MAX_, VSEEK_SET), INT64_MAX_);
	CHECK_EQ(fs_seek(f, 1, VSEEK_CUR), -EINVAL);
	CHECK_EQ(fs_read(f, &c, 1), 0);
	CHECK_EQ(fs_seek(f, INT64_MAX_, VSEEK_END), -EINVAL);
	CHECK_EQ(fs_seek(f, -INT64_MAX_ - 1, VSEEK_CUR), -EINVAL);
	CHECK_EQ(fs_seek(f, -INT64_MAX_, VSEEK_CUR), 0);
	CHECK_EQ(fs_seek(f, 0, VSEEK_CUR), 0);
	sys_handle_close(f);
}

static void t_stat(void)
{
	struct vstat st, st2;
	const uint8_t *want;
	uint8_t buf[200];
	uint64_t size;
	handle_t f;

	REQUIRE(ft_archive_file(BIG_PATH, &want, &size));
	REQUIRE_EQ(fs_stat_path(BIG_PATH, &st), 0);
	CHECK_EQ(st.size, size);
	CHECK_EQ(st.mode, VS_IFREG | 0444);
	CHECK_EQ(st.nlink, 1);
	CHECK(st.ino > 1);
	CHECK_EQ(st.blocks, (size + 511) / 512);
	CHECK_EQ(st.uid, 0);
	CHECK_EQ(st.mtime_ns, 0);

	/* The same file twice: the same ino; another file: another. */
	REQUIRE_EQ(fs_stat_path(BIG_PATH, &st2), 0);
	CHECK_EQ(st2.ino, st.ino);
	REQUIRE_EQ(fs_stat_path(HELLO_PATH, &st2), 0);
	CHECK(st2.ino != st.ino);
	CHECK_EQ(st2.size, strlen(HELLO_TEXT));

	REQUIRE_EQ(fs_stat_path("bin", &st), 0);
	CHECK_EQ(st.mode, VS_IFDIR | 0555);
	CHECK(st.ino > 1);
	REQUIRE_EQ(fs_stat_path("", &st), 0);
	CHECK_EQ(st.mode, VS_IFDIR | 0555);
	CHECK_EQ(st.ino, 1);

	/* The receive buffer must hold a whole vstat; more is left alone. */
	f = fs_open(HELLO_PATH, VO_RDONLY);
	REQUIRE_OK(f);
	{
		struct ipc_buffers b = { .recv = buf,
					 .recv_len = sizeof(st) - 1 };

		CHECK_EQ(fs_call(f, FS_STAT, 0, 0, &b), -EINVAL);
		memset(buf, 0xaa, sizeof(buf));
		b.recv_len = sizeof(buf);
		CHECK_EQ(fs_call(f, FS_STAT, 0, 0, &b), 0);
		CHECK_EQ(buf[sizeof(st)], 0xaa);
		memcpy(&st, buf, sizeof(st));
		CHECK_EQ(st.size, strlen(HELLO_TEXT));
	}
	sys_handle_close(f);
}

/* The ino path names, or -errno. */
static long ino_of(const void *path, size_t len)
{
	struct vstat st;
	handle_t f = fs_open_len(path, len, VO_RDONLY, NULL);
	long err;

	if (f < 0)
		return f;
	err = fs_stat(f, &st);
	sys_handle_close(f);
	return err < 0 ? err : (long)st.ino;
}

static long ino_of_path(const char *path)
{
	return ino_of(path, strlen(path));
}

static void t_paths(void)
{
	static const char *const same[] = {
		"/test/hello.txt",	    "test//hello.txt",
		"./test/./hello.txt",	    "test/a/../hello.txt",
		"../../test/hello.txt",	    "/../test/hello.txt",
		"test/a/b/../../hello.txt",
	};
	static const char *const roots[] = {
		"", "/", ".", "..", "//", "/./../"
	};
	long hello = ino_of_path(HELLO_PATH);
	char buf[16];
	handle_t f;

	REQUIRE(hello > 1);
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		CHECK_EQ(ino_of_path(same[i]), hello);
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		CHECK_EQ(ino_of_path(roots[i]), 1);

	/* Implicit directories, any depth. */
	f = fs_open("test/a/b/deep.txt", VO_RDONLY);
	REQUIRE_OK(f);
	CHECK_EQ(fs_read(f, buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "deep\n", 5) == 0);
	sys_handle_close(f);
	CHECK(ino_of_path("test/a/b/") > 1);
	CHECK_EQ(ino_of_path("test/a/b/.."), ino_of_path("test/a"));

	/* A file is not a directory, even on the way to "..". */
	CHECK_EQ(ino_of_path("test/hello.txt/"), -ENOTDIR);
	CHECK_EQ(ino_of_path("test/hello.txt/.."), -ENOTDIR);
	CHECK_EQ(ino_of_path("test/hello.txt/."), -ENOTDIR);
	CHECK_EQ(ino_of_path("test/hello.txt/x"), -ENOTDIR);

	/* The path ends at the first NUL. */
	CHECK_EQ(ino_of("test/hello.txt\0xyz", 18), hello);
	CHECK_EQ(ino_of(HELLO_PATH, strlen(HELLO_PATH) + 1), hello);
	CHECK_EQ(ino_of("\0test/hello.txt", 15), 1);
}

static void t_path_limits(void)
{
	static char p[5000];
	size_t n = 0;

	/* "/" "./" x 504 "test/hello.txt": 1023 bytes, the longest. */
	p[n++] = '/';
	for (int i = 0; i < 504; i++) {
		p[n++] = '.';
		p[n++] = '/';
	}
	memcpy(p + n, HELLO_PATH, strlen(HELLO_PATH));
	n += strlen(HELLO_PATH);
	REQUIRE_EQ(n, INITFS_PATH_MAX - 1);
	CHECK(ino_of(p, n) > 1);
	p[n] = '\0';
	CHECK(ino_of(p, n + 1) > 1);	 /* with its NUL: 1024 bytes */
	CHECK(ino_of(p, sizeof(p)) > 1); /* in a bigger buffer */

	/* One byte more. */
	memmove(p + 1, p, n + 1);
	CHECK_EQ(ino_of(p, n + 1), -ENAMETOOLONG);
	CHECK_EQ(ino_of(p, n + 2), -ENAMETOOLONG);

	memset(p, '/', sizeof(p));
	CHECK_EQ(ino_of(p, sizeof(p)), -ENAMETOOLONG);

	/* Components: 255 bytes may be looked up, 256 may not. */
	memset(p, 'x', 256);
	CHECK_EQ(ino_of(p, 255), -ENOENT);
	CHECK_EQ(ino_of(p, 256), -ENAMETOOLONG);
}

const struct ft_case ft_file_cases[] = {
	{ "open and read a small file", t_read_small },
	{ "an empty file", t_read_empty },
	{ "reads of many sizes match the archive", t_read_sizes },
	{ "reads at offsets around pages and the end", t_read_offsets },
	{ "seek from the start, the offset and the end", t_seek },
	{ "stat of files and directories", t_stat },
	{ "paths: slashes, dots, NULs", t_paths },
	{ "paths: length limits", t_path_limits },
	{ NULL, NULL },
};
