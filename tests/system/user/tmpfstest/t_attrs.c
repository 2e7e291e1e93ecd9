/*
 * Modes, owners and times.  Every process is uid 0 so far, which passes
 * every permission check: the checks for other users are in the host
 * unit test (tests/unit/servers/test_tmpfs.c).
 */
#include <fcntl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "tmpfstest.h"

static void modes(void)
{
	struct stat st;
	int fd;

	REQUIRE_EQ(put_file(T "/f", "x", 1), 0);
	CHECK_EQ(chmod(T "/f", 0), 0);
	CHECK_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG);
	fd = open(T "/f", O_RDWR); /* root opens it all the same */
	CHECK_OK(fd);
	CHECK_EQ(fchmod(fd, 04755), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 04755);
	CHECK_EQ(fchmod(fd, 0177777), 0); /* only 07777 is taken */
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 07777);
	close(fd);
	CHECK_EQ(mkdir(T "/d", 0755), 0);
	CHECK_EQ(chmod(T "/d", 01777), 0);
	CHECK_EQ(stat(T "/d", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 01777);
	CHECK_ERR(chmod(T "/none", 0644), ENOENT);
	CHECK_ERR(fchmod(999, 0644), EBADF);

	/* chmod follows a link; the link's own mode stays 0777. */
	CHECK_EQ(symlink("f", T "/l"), 0);
	CHECK_EQ(chmod(T "/l", 0600), 0);
	CHECK_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_EQ(lstat(T "/l", &st), 0);
	CHECK_EQ(st.st_mode, S_IFLNK | 0777);
}

static void owners(void)
{
	struct stat st;
	int fd;

	REQUIRE_EQ(put_file(T "/f", "x", 1), 0);
	CHECK_EQ(chown(T "/f", 1000, 100), 0);
	CHECK_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(st.st_uid, 1000);
	CHECK_EQ(st.st_gid, 100);
	CHECK_EQ(chown(T "/f", (uid_t)-1, 200), 0);
	CHECK_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(st.st_uid, 1000);
	CHECK_EQ(st.st_gid, 200);
	fd = open(T "/f", O_RDONLY);
	REQUIRE_OK(fd);
	CHECK_EQ(fchown(fd, 5, (gid_t)-1), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_uid, 5);
	CHECK_EQ(st.st_gid, 200);
	close(fd);

	/* lchown changes the link, chown what it leads to. */
	CHECK_EQ(symlink("f", T "/l"), 0);
	CHECK_EQ(lchown(T "/l", 7, 8), 0);
	CHECK_EQ(lstat(T "/l", &st), 0);
	CHECK_EQ(st.st_uid, 7);
	CHECK_EQ(st.st_gid, 8);
	CHECK_EQ(stat(T "/l", &st), 0);
	CHECK_EQ(st.st_uid, 5);
	CHECK_EQ(chown(T "/l", 9, 9), 0);
	CHECK_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(st.st_uid, 9);
	CHECK_EQ(lstat(T "/l", &st), 0);
	CHECK_EQ(st.st_uid, 7);
	CHECK_ERR(chown(T "/none", 1, 1), ENOENT);
	CHECK_ERR(lchown(T "/none", 1, 1), ENOENT);
}

static int64_t ns(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void times_set(void)
{
	struct timespec ts[2] = { { 1000, 123456789 }, { 2000, 987654321 } };
	struct timeval tv[2] = { { 30, 5 }, { 40, 999999 } };
	struct utimbuf ub = { 50, 60 };
	struct stat st, st2;
	int64_t now;
	int fd;

	REQUIRE_EQ(put_file(T "/f", "x", 1), 0);
	CHECK_EQ(utimensat(AT_FDCWD, T "/f", ts, 0), 0);
	REQUIRE_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(ns(st.st_atim), 1000123456789ll);
	CHECK_EQ(ns(st.st_mtim), 2000987654321ll);

	/* UTIME_OMIT leaves one, UTIME_NOW takes the clock. */
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	now = (int64_t)time(NULL) * 1000000000;
	CHECK_EQ(utimensat(AT_FDCWD, T "/f", ts, 0), 0);
	REQUIRE_EQ(stat(T "/f", &st2), 0);
	CHECK_EQ(ns(st2.st_atim), 1000123456789ll);
	CHECK(ns(st2.st_mtim) >= now);
	CHECK(ns(st2.st_ctim) >= ns(st2.st_mtim));

	CHECK_EQ(utimes(T "/f", tv), 0);
	REQUIRE_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(ns(st.st_atim), 30000005000ll);
	CHECK_EQ(ns(st.st_mtim), 40999999000ll);
	CHECK_EQ(utime(T "/f", &ub), 0);
	REQUIRE_EQ(stat(T "/f", &st), 0);
	CHECK_EQ(st.st_atime, 50);
	CHECK_EQ(st.st_mtime, 60);
	CHECK_EQ(utime(T "/f", NULL), 0);
	REQUIRE_EQ(stat(T "/f", &st), 0);
	CHECK(ns(st.st_mtim) >= now);

	fd = open(T "/f", O_RDONLY);
	REQUIRE_OK(fd);
	ts[0] = (struct timespec){ 7, 0 };
	ts[1] = (struct timespec){ 8, 1 };
	CHECK_EQ(futimens(fd, ts), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(ns(st.st_atim), 7000000000ll);
	CHECK_EQ(ns(st.st_mtim), 8000000001ll);
	close(fd);

	/* AT_SYMLINK_NOFOLLOW: the link's own times. */
	CHECK_EQ(symlink("f", T "/l"), 0);
	ts[0] = (struct timespec){ 11, 0 };
	ts[1] = (struct timespec){ 12, 0 };
	CHECK_EQ(utimensat(AT_FDCWD, T "/l", ts, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(lstat(T "/l", &st), 0);
	CHECK_EQ(st.st_mtime, 12);
	CHECK_EQ(stat(T "/l", &st), 0);
	CHECK_EQ(st.st_mtime, 8);

	/* Bad times and flags. */
	ts[1].tv_nsec = 1000000000;
	CHECK_ERR(utimensat(AT_FDCWD, T "/f", ts, 0), EINVAL);
	ts[1].tv_nsec = 0;
	ts[1].tv_sec = -1;
	CHECK_ERR(utimensat(AT_FDCWD, T "/f", ts, 0), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, T "/f", NULL, 0x100), EINVAL);
	tv[0].tv_usec = 1000000;
	CHECK_ERR(utimes(T "/f", tv), EINVAL);
	CHECK_ERR(utime(T "/none", NULL), ENOENT);
}

const struct test attr_tests[] = {
	{ "chmod and fchmod", modes },
	{ "chown, fchown, lchown", owners },
	{ "utimensat, futimens, utimes, utime", times_set },
	{ NULL, NULL },
};
