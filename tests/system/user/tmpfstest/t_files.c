/* Regular files: the archive's, new ones, flags, data, holes, times. */
#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include "tmpfstest.h"

/* file:PATH and initfs:PATH hold the same bytes. */
static void same_as_archive(const char *path)
{
	static char a[256 * 1024], b[256 * 1024];
	char ipath[128];
	long na, nb;

	snprintf(ipath, sizeof(ipath), "initfs:%s", path);
	na = get_file(path, a, sizeof(a));
	nb = get_file(ipath, b, sizeof(b));
	CHECK(na > 0);
	CHECK_EQ(na, nb);
	CHECK(na == nb && na > 0 && memcmp(a, b, (size_t)na) == 0);
}

/* The names in directory path, sorted into one string "a/b/c/". */
static void list_names(const char *path, char *out, size_t size)
{
	char names[64][64];
	int n = 0;
	struct dirent *e;
	DIR *d = opendir(path);

	out[0] = '\0';
	if (!d)
		return;
	while ((e = readdir(d)) != NULL && n < 64)
		snprintf(names[n++], sizeof(names[0]), "%s:%d", e->d_name,
			 e->d_type);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]),
	      (int (*)(const void *, const void *))strcmp);
	for (int i = 0; i < n; i++) {
		strncat(out, names[i], size - strlen(out) - 1);
		strncat(out, "/", size - strlen(out) - 1);
	}
}

static void archive_copied(void)
{
	char a[1024], b[1024];
	struct stat st;

	same_as_archive(HELLO_PATH);
	same_as_archive("/etc/services");
	same_as_archive("/test/libc/lines.txt");
	same_as_archive(SELF_PATH);
	list_names("/test", a, sizeof(a));
	list_names("initfs:/test", b, sizeof(b));
	CHECK(a[0] != '\0');
	CHECK(strcmp(a, b) == 0);
	list_names("/bin", a, sizeof(a));
	list_names("initfs:/bin", b, sizeof(b));
	CHECK(strcmp(a, b) == 0);

	/* Modes from the archive (tools/mkinitfs), owner root, mtime 0. */
	REQUIRE_EQ(stat(SELF_PATH, &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_gid, 0);
	CHECK_EQ(st.st_mtime, 0);
	CHECK_EQ(st.st_nlink, 1);
	REQUIRE_EQ(stat("/etc/motd", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	REQUIRE_EQ(stat("/test/empty", &st), 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_blocks, 0);
	REQUIRE_EQ(stat("/test/a", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755); /* made for test/a/b/... */
	CHECK_EQ(st.st_nlink, 3);	      /* "a", its "." and b's ".." */
	REQUIRE_EQ(stat("/", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(st.st_ino, 1);
}

static void create_write_read(void)
{
	char buf[16];
	struct stat st;
	int fd = open(T "/f", O_CREAT | O_EXCL | O_WRONLY, 0640);

	REQUIRE_OK(fd);
	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(st.st_mode, S_IFREG | 0640);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_blocks, 8); /* one 4 KiB block */
	CHECK_EQ(st.st_blksize, 4096);
	CHECK_ERR(read(fd, buf, 1), EBADF); /* write-only */
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(get_file(T "/f", buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);

	/* O_RDWR: read what was written through the same offset. */
	fd = open(T "/f", O_RDWR);
	REQUIRE_OK(fd);
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_EQ(write(fd, "LO!", 3), 3);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "helLO!", 6) == 0);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	close(fd);

	/* stdio on it. */
	{
		FILE *f = fopen(T "/g", "w+");

		REQUIRE(f != NULL);
		CHECK_EQ(fprintf(f, "line %d\n", 42), 8);
		rewind(f);
		CHECK(fgets(buf, sizeof(buf), f) != NULL);
		CHECK(strcmp(buf, "line 42\n") == 0);
		CHECK_EQ(fclose(f), 0);
	}
}

static void open_flags(void)
{
	char buf[32];
	int a, b;

	REQUIRE_EQ(put_file(T "/f", "0123456789", 10), 0);
	CHECK_ERR(open(T "/f", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	CHECK_ERR(open(T "/f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open(T, O_WRONLY), EISDIR);
	CHECK_ERR(open(T, O_RDWR), EISDIR);
	CHECK_ERR(open(T "/none", O_RDONLY), ENOENT);
	CHECK_ERR(open(T "/none/x", O_CREAT | O_WRONLY, 0644), ENOENT);
	CHECK_ERR(open(T "/f/x", O_CREAT | O_WRONLY, 0644), ENOTDIR);
	CHECK_ERR(open(T "/f/", O_RDONLY), ENOTDIR);
	CHECK_ERR(open(T "/new/", O_CREAT | O_WRONLY, 0644), EISDIR);
	a = open(T, O_RDONLY | O_DIRECTORY);
	CHECK_OK(a);
	close(a);

	/* O_CREAT on an existing file opens it as it is. */
	a = open(T "/f", O_CREAT | O_RDONLY, 0600);
	REQUIRE_OK(a);
	CHECK_EQ(read(a, buf, sizeof(buf)), 10);
	close(a);

	/* O_APPEND: every write at the end, whoever else writes. */
	a = open(T "/f", O_WRONLY | O_APPEND);
	b = open(T "/f", O_WRONLY);
	REQUIRE_OK(a);
	REQUIRE_OK(b);
	CHECK_EQ(write(a, "ab", 2), 2);
	CHECK_EQ(write(b, "XY", 2), 2); /* at b's offset 0 */
	CHECK_EQ(write(a, "cd", 2), 2);
	CHECK_EQ(lseek(a, 0, SEEK_CUR), 14);
	close(a);
	close(b);
	CHECK_EQ(get_file(T "/f", buf, sizeof(buf)), 14);
	CHECK(memcmp(buf, "XY23456789abcd", 14) == 0);

	/* O_TRUNC empties it and gives the memory back. */
	a = open(T "/f", O_WRONLY | O_TRUNC);
	REQUIRE_OK(a);
	CHECK_EQ(lseek(a, 0, SEEK_END), 0);
	close(a);
	CHECK_EQ(get_file(T "/f", buf, sizeof(buf)), 0);
}

static void holes_and_truncate(void)
{
	static char buf[8192];
	struct stat st;
	int fd = open(T "/sparse", O_CREAT | O_RDWR, 0644);
	int zeros = 1;

	REQUIRE_OK(fd);
	CHECK_EQ(lseek(fd, 1 << 20, SEEK_SET), 1 << 20);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, (1 << 20) + 1);
	CHECK_EQ(st.st_blocks, 8); /* one block: the hole takes none */
	CHECK_EQ(read_at(fd, buf, sizeof(buf), 4096), (ssize_t)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros &= buf[i] == 0;
	CHECK(zeros);
	CHECK_EQ(read_at(fd, buf, 4, (1 << 20) - 2), 3);
	CHECK(memcmp(buf, "\0\0x", 3) == 0);

	/* Cut inside the data, then grow: the cut bytes read as zeros. */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "abcdefgh", 8), 8);
	CHECK_EQ(ftruncate(fd, 3), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 3);
	CHECK_EQ(st.st_blocks, 8);
	CHECK_EQ(ftruncate(fd, 6000), 0);
	CHECK_EQ(read_at(fd, buf, 10, 0), 10);
	CHECK(memcmp(buf, "abc\0\0\0\0\0\0\0", 10) == 0);
	CHECK_EQ(ftruncate(fd, 0), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_blocks, 0);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	close(fd);

	CHECK_EQ(truncate(T "/sparse", 100), 0);
	CHECK_EQ(stat(T "/sparse", &st), 0);
	CHECK_EQ(st.st_size, 100);
	CHECK_ERR(truncate(T "/none", 1), ENOENT);
	CHECK_ERR(truncate(T, 1), EISDIR);
	fd = open(T "/sparse", O_RDONLY);
	REQUIRE_OK(fd);
	CHECK_ERR(ftruncate(fd, 1), EBADF);
	close(fd);
}

static void seeking(void)
{
	char c;
	int fd;

	REQUIRE_EQ(put_file(T "/f", "0123456789", 10), 0);
	fd = open(T "/f", O_RDONLY);
	REQUIRE_OK(fd);
	CHECK_EQ(lseek(fd, -3, SEEK_END), 7);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, '7');
	CHECK_EQ(lseek(fd, 1, SEEK_CUR), 9);
	CHECK_EQ(lseek(fd, 100, SEEK_SET), 100);
	CHECK_EQ(read(fd, &c, 1), 0);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, -200, SEEK_CUR), EINVAL);
	CHECK_ERR(lseek(fd, 0, 3), EINVAL);
	close(fd);
}

/* A file removed while open stays usable until it is closed. */
static void unlinked_while_open(void)
{
	char buf[16];
	struct stat st;
	uint64_t before = fs_used();
	int fd = open(T "/f", O_CREAT | O_RDWR, 0644);

	REQUIRE_OK(fd);
	CHECK_EQ(write(fd, "still here", 10), 10);
	CHECK_EQ(unlink(T "/f"), 0);
	CHECK_ERR(stat(T "/f", &st), ENOENT);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(write(fd, "!", 1), 1);
	CHECK_EQ(read_at(fd, buf, sizeof(buf), 0), 11);
	CHECK(memcmp(buf, "still here!", 11) == 0);
	CHECK(fs_used() > before); /* the node and its block */
	/* A new file of the same name is another file. */
	REQUIRE_EQ(put_file(T "/f", "new", 3), 0);
	CHECK_EQ(read_at(fd, buf, sizeof(buf), 0), 11);
	CHECK_EQ(unlink(T "/f"), 0);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(wait_open_files(0, 1000), 0);
	CHECK_EQ(fs_used(), before);
}

/* ns since 1970 of a struct timespec. */
static int64_t ns(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void pause_a_little(void)
{
	sys_sleep(2000000); /* 2 ms: the clock counts ns */
}

static void timestamps(void)
{
	struct stat st, st2, dir;
	time_t now = time(NULL);
	char c;
	int fd;

	REQUIRE_EQ(stat(T, &dir), 0);
	pause_a_little();
	fd = open(T "/f", O_CREAT | O_RDWR, 0644);
	REQUIRE_OK(fd);
	REQUIRE_EQ(fstat(fd, &st), 0);
	/* The clock since boot, as time() counts it. */
	CHECK(st.st_mtime >= now && st.st_mtime <= now + 5);
	CHECK_EQ(ns(st.st_atim), ns(st.st_mtim));
	CHECK_EQ(ns(st.st_ctim), ns(st.st_mtim));
	REQUIRE_EQ(stat(T, &st2), 0);
	CHECK(ns(st2.st_mtim) > ns(dir.st_mtim)); /* an entry was added */

	pause_a_little();
	CHECK_EQ(write(fd, "x", 1), 1);
	REQUIRE_EQ(fstat(fd, &st2), 0);
	CHECK(ns(st2.st_mtim) > ns(st.st_mtim));
	CHECK(ns(st2.st_ctim) > ns(st.st_ctim));
	CHECK_EQ(ns(st2.st_atim), ns(st.st_atim));

	pause_a_little();
	CHECK_EQ(read_at(fd, &c, 1, 0), 1);
	REQUIRE_EQ(fstat(fd, &st), 0);
	CHECK(ns(st.st_atim) > ns(st2.st_atim));
	CHECK_EQ(ns(st.st_mtim), ns(st2.st_mtim));

	pause_a_little();
	CHECK_EQ(fchmod(fd, 0600), 0);
	REQUIRE_EQ(fstat(fd, &st2), 0);
	CHECK(ns(st2.st_ctim) > ns(st.st_ctim));
	CHECK_EQ(ns(st2.st_mtim), ns(st.st_mtim));
	close(fd);
}

static void creation_mask(void)
{
	struct stat st;

	CHECK_EQ(umask(077), 022);
	REQUIRE_EQ(put_file(T "/f", "", 0), 0);
	CHECK_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_EQ(mkdir(T "/d", 0777), 0);
	CHECK_EQ(stat(T "/d", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0700);
	CHECK_EQ(umask(0), 077);
	CHECK_EQ(mkdir(T "/e", 01777), 0);
	CHECK_EQ(stat(T "/e", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 01777);
	CHECK_EQ(umask(022), 0);
}

/* 4 MiB in writes of many sizes, read back in reads of others. */
static void big_file(void)
{
	static uint8_t buf[65536 + 17];
	const uint64_t size = 4u << 20;
	uint64_t done = 0, seed = 7, before = fs_used();
	struct stat st;
	int fd = open(T "/big", O_CREAT | O_RDWR, 0644), good = 1;

	REQUIRE_OK(fd);
	while (done < size) {
		size_t n = (size_t)(rnd(&seed) % sizeof(buf)) + 1;

		if (n > size - done)
			n = (size_t)(size - done);
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(3, done + i);
		if (write(fd, buf, n) != (ssize_t)n)
			break;
		done += n;
	}
	CHECK_EQ(done, size);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, (off_t)size);
	CHECK_EQ(st.st_blocks, (blkcnt_t)(size / 512));
	CHECK(fs_used() >= before + size);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	for (done = 0; done < size && good;) {
		size_t n = (size_t)(rnd(&seed) % sizeof(buf)) + 1;
		ssize_t r = read(fd, buf, n);

		if (r <= 0) {
			good = 0;
			break;
		}
		for (ssize_t i = 0; i < r; i++)
			good &= buf[i] == pattern(3, done + (uint64_t)i);
		done += (uint64_t)r;
	}
	CHECK(good);
	CHECK_EQ(done, size);
	close(fd);
	CHECK_EQ(unlink(T "/big"), 0);
	CHECK_EQ(fs_used(), before);
}

const struct test file_tests[] = {
	{ "the archive is copied in", archive_copied },
	{ "create, write, read back", create_write_read },
	{ "open flags", open_flags },
	{ "holes and truncate", holes_and_truncate },
	{ "lseek", seeking },
	{ "a file unlinked while open", unlinked_while_open },
	{ "timestamps", timestamps },
	{ "umask", creation_mask },
	{ "a 4 MiB file", big_file },
	{ NULL, NULL },
};
