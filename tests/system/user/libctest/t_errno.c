/* errno for every way a call can fail, through the POSIX calls. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>
#include "libctest.h"

static void missing_files(void)
{
	struct stat st;

	CHECK_ERR(open("/no/such/file", O_RDONLY), ENOENT);
	CHECK_ERR(open("initfs:/test/missing", O_RDONLY), ENOENT);
	CHECK_NULL_ERR(fopen("/test/missing.txt", "r"), ENOENT);
	CHECK_ERR(stat("/test/missing.txt", &st), ENOENT);
	CHECK_ERR(open("", O_RDONLY), ENOENT);
	CHECK_ERR(open(HELLO_PATH "/x", O_RDONLY), ENOTDIR);
	CHECK_ERR(open(HELLO_PATH, O_RDONLY | O_DIRECTORY), ENOTDIR);
}

static void unknown_schemes(void)
{
	CHECK_ERR(open("nosuch:thing", O_RDONLY), ENODEV);
	CHECK_NULL_ERR(fopen("nosuch:/x", "r"), ENODEV);
	CHECK_ERR(open("Bad:name", O_RDONLY), EINVAL); /* not a scheme name */
	CHECK_ERR(open("waytoolongaschemenamefortheparser:x", O_RDONLY),
		  ENAMETOOLONG);
}

static void long_paths(void)
{
	char *p = malloc(2000);

	REQUIRE(p != NULL);
	memset(p, 'a', 1999);
	p[0] = '/';
	p[1999] = '\0';
	CHECK_ERR(open(p, O_RDONLY), ENAMETOOLONG);
	free(p);
}

static void bad_descriptors(void)
{
	char c;
	struct stat st;
	int fd = open(HELLO_PATH, O_RDONLY);

	CHECK_ERR(read(999, &c, 1), EBADF);
	CHECK_ERR(write(999, "x", 1), EBADF);
	CHECK_ERR(lseek(999, 0, SEEK_SET), EBADF);
	CHECK_ERR(fstat(999, &st), EBADF);
	CHECK_ERR(close(999), EBADF);
	CHECK_ERR(read(-1, &c, 1), EBADF);
	REQUIRE_OK(fd);
	CHECK_EQ(close(fd), 0);
	CHECK_ERR(close(fd), EBADF); /* closed twice */
	CHECK_ERR(read(fd, &c, 1), EBADF);
}

static void wrong_access_mode(void)
{
	char c;
	int fd = open(HELLO_PATH, O_RDONLY);

	REQUIRE_OK(fd);
	CHECK_ERR(write(fd, "x", 1), EBADF); /* read-only descriptor */
	CHECK_ERR(ftruncate(fd, 0), EBADF);
	close(fd);
	fd = open("null:", O_WRONLY);
	REQUIRE_OK(fd);
	CHECK_ERR(read(fd, &c, 1), EBADF); /* write-only descriptor */
	CHECK_EQ(write(fd, "abc", 3), 3);
	close(fd);
}

/* initfs: is read-only (file: is tmpfs, writable: tmpfstest tests it). */
static void read_only_filesystem(void)
{
	struct utimbuf times = { 1, 2 };

	CHECK_ERR(open("initfs:" HELLO_PATH, O_WRONLY), EROFS);
	CHECK_ERR(open("initfs:/test/new", O_WRONLY | O_CREAT, 0644), EROFS);
	CHECK_ERR(mkdir("initfs:/test/newdir", 0755), EROFS);
	CHECK_ERR(unlink("initfs:" HELLO_PATH), EROFS);
	CHECK_ERR(rmdir("initfs:/test/a"), EROFS);
	CHECK_ERR(rename("initfs:" HELLO_PATH, "initfs:/test/other"), EROFS);
	CHECK_ERR(link("initfs:" HELLO_PATH, "initfs:/test/other"), EROFS);
	CHECK_ERR(symlink("hello.txt", "initfs:/test/other"), EROFS);
	CHECK_ERR(chmod("initfs:" HELLO_PATH, 0777), EROFS);
	CHECK_ERR(chown("initfs:" HELLO_PATH, 1, 1), EROFS);
	CHECK_ERR(utime("initfs:" HELLO_PATH, &times), EROFS);
	CHECK_ERR(truncate("initfs:" HELLO_PATH, 0), EROFS);
	CHECK_ERR(rename(HELLO_PATH, "null:x"), EXDEV);
	CHECK_ERR(link(HELLO_PATH, "initfs:/test/x"), EXDEV);
}

/* stat on servers with FS_PATHSTAT (initfs, tmpfs) and without (misc). */
static void stat_everywhere(void)
{
	struct stat st, fst;
	char buf[8];
	int fd = open("initfs:" HELLO_PATH, O_RDONLY);

	REQUIRE_OK(fd);
	CHECK_EQ(fstat(fd, &fst), 0);
	close(fd);
	CHECK_EQ(stat("initfs:" HELLO_PATH, &st), 0);
	CHECK_EQ(st.st_ino, fst.st_ino);
	CHECK_EQ(st.st_size, (off_t)strlen(HELLO_TEXT));
	CHECK_EQ(lstat("initfs:" HELLO_PATH, &st), 0);
	CHECK_EQ(st.st_ino, fst.st_ino);
	CHECK_ERR(readlink("initfs:" HELLO_PATH, buf, sizeof(buf)), EINVAL);
	CHECK_EQ(stat("null:", &st), 0); /* misc: open, fstat, close */
	CHECK(S_ISCHR(st.st_mode));
	CHECK_ERR(lstat("zero:", &st), EACCES); /* not in its see= */
	CHECK_ERR(stat("null:nothing", &st), ENOENT);
	CHECK_EQ(stat(HELLO_PATH, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, (off_t)strlen(HELLO_TEXT));
	CHECK_ERR(stat(HELLO_PATH, NULL), EFAULT);
}

static void directories_and_streams(void)
{
	char buf[8];
	struct stat st;
	int fd = open("/test", O_RDONLY);

	REQUIRE_OK(fd);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERR(read(fd, buf, sizeof(buf)), EISDIR);
	close(fd);
	CHECK_ERR(lseek(1, 0, SEEK_SET), ESPIPE); /* stdout is a stream */
	fd = open(HELLO_PATH, O_RDONLY);
	REQUIRE_OK(fd);
	CHECK_ERR(lseek(fd, -5, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, 0, 42), EINVAL);
	CHECK_ERR(isatty(fd) - 1, ENOTTY); /* 0 and ENOTTY */
	close(fd);
}

static void stat_and_cwd(void)
{
	struct stat st;
	char cwd[64];

	CHECK_EQ(stat(HELLO_PATH, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, (off_t)strlen(HELLO_TEXT));
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0);
	CHECK_EQ(chdir("/test/a"), 0);
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/test/a") == 0);
	CHECK_EQ(stat("b/deep.txt", &st), 0); /* relative to the cwd */
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(stat("../hello.txt", &st), 0);
	CHECK_ERR(chdir("/test/hello.txt"), ENOTDIR);
	CHECK_ERR(chdir("/test/nothing"), ENOENT);
	CHECK_NULL_ERR(getcwd(cwd, 3), ERANGE);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(access(HELLO_PATH, R_OK), 0);
	CHECK_ERR(access("/test/missing", F_OK), ENOENT);
}

/* Lists /test: each entry once, with its type, in whatever order. */
static void directory_listing(void)
{
	static const char *const want[] = { ".", "..", "a", "empty",
					     "hello.txt", "libc", "utils" };
	static const unsigned char types[] = { DT_DIR, DT_DIR, DT_DIR,
					       DT_REG, DT_REG, DT_DIR,
					       DT_DIR };
	int seen[7] = { 0 }, n = 0, again = 0;
	struct dirent *e;
	DIR *d = opendir("/test");

	REQUIRE(d != NULL);
	while ((e = readdir(d)) != NULL && n++ < 7) {
		for (int i = 0; i < 7; i++) {
			if (strcmp(e->d_name, want[i]) == 0) {
				seen[i]++;
				CHECK_EQ(e->d_type, types[i]);
			}
		}
	}
	CHECK_EQ(n, 7);
	for (int i = 0; i < 7; i++)
		CHECK_EQ(seen[i], 1);
	CHECK(readdir(d) == NULL);
	rewinddir(d);
	while (readdir(d))
		again++;
	CHECK_EQ(again, 7);
	CHECK_EQ(closedir(d), 0);
	CHECK_NULL_ERR(opendir(HELLO_PATH), ENOTDIR);
	CHECK_NULL_ERR(opendir("/test/none"), ENOENT);
}

const struct test errno_tests[] = {
	{ "opendir readdir rewinddir", directory_listing },
	{ "ENOENT and ENOTDIR", missing_files },
	{ "unknown schemes", unknown_schemes },
	{ "ENAMETOOLONG", long_paths },
	{ "EBADF", bad_descriptors },
	{ "access mode EBADF", wrong_access_mode },
	{ "EROFS and EXDEV", read_only_filesystem },
	{ "stat with and without FS_PATHSTAT", stat_everywhere },
	{ "EISDIR ESPIPE EINVAL ENOTTY", directories_and_streams },
	{ "stat chdir getcwd access", stat_and_cwd },
	{ NULL, NULL },
};
