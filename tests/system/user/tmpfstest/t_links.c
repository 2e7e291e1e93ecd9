/* Symbolic links, hard links and realpath. */
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include "tmpfstest.h"

static void symbolic_links(void)
{
	char buf[64];
	struct stat st;
	int fd;

	REQUIRE_EQ(mkdir(T "/d", 0755), 0);
	REQUIRE_EQ(put_file(T "/d/f", "target data", 11), 0);
	CHECK_EQ(symlink("f", T "/d/rel"), 0);
	CHECK_EQ(symlink(T "/d", T "/abs"), 0);
	CHECK_EQ(symlink("../d/rel", T "/d/up"), 0);

	/* readlink: the target as given, cut to the buffer, no NUL. */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(readlink(T "/d/up", buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "../d/rel#", 9) == 0);
	CHECK_EQ(readlink(T "/d/up", buf, 3), 3);
	CHECK(memcmp(buf, "../", 3) == 0);
	CHECK_ERR(readlink(T "/d/f", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(readlink(T "/none", buf, sizeof(buf)), ENOENT);

	/* lstat sees the link, stat and open what it leads to. */
	CHECK_EQ(lstat(T "/d/rel", &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0777);
	CHECK_EQ(st.st_size, 1);
	CHECK_EQ(stat(T "/d/up", &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 11);
	CHECK_EQ(get_file(T "/abs/up", buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "target data", 11) == 0);
	CHECK_EQ(lstat(T "/abs/", &st), 0); /* a '/' after it follows */
	CHECK(S_ISDIR(st.st_mode));

	/* Dangling: not there, but O_CREAT makes the target. */
	CHECK_EQ(symlink("later", T "/d/dang"), 0);
	CHECK_ERR(stat(T "/d/dang", &st), ENOENT);
	CHECK_EQ(lstat(T "/d/dang", &st), 0);
	CHECK_ERR(open(T "/d/dang", O_CREAT | O_EXCL | O_WRONLY, 0644),
		  EEXIST);
	fd = open(T "/d/dang", O_CREAT | O_WRONLY, 0644);
	CHECK_OK(fd);
	close(fd);
	CHECK_EQ(stat(T "/d/later", &st), 0);

	/* O_NOFOLLOW, and names a link takes. */
	CHECK_ERR(open(T "/d/rel", O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open(T "/d/f", O_RDONLY | O_NOFOLLOW);
	CHECK_OK(fd);
	close(fd);
	CHECK_ERR(symlink("x", T "/d/f"), EEXIST);
	CHECK_ERR(symlink("x", T "/none/l"), ENOENT);
	CHECK_ERR(symlink("", T "/d/empty"), ENOENT);
	CHECK_ERR(mkdir(T "/d/rel", 0755), EEXIST);

	/* unlink takes the link away, not its target. */
	CHECK_EQ(unlink(T "/d/rel"), 0);
	CHECK_EQ(stat(T "/d/f", &st), 0);
	CHECK_ERR(stat(T "/d/up", &st), ENOENT);
}

static void link_loops(void)
{
	char name[64], target[64];
	struct stat st;

	CHECK_EQ(symlink("self", T "/self"), 0);
	CHECK_ERR(stat(T "/self", &st), ELOOP);
	CHECK_ERR(open(T "/self/x", O_RDONLY), ELOOP);
	CHECK_EQ(lstat(T "/self", &st), 0);
	CHECK_EQ(symlink("b", T "/a"), 0);
	CHECK_EQ(symlink("a", T "/b"), 0);
	CHECK_ERR(stat(T "/a", &st), ELOOP);

	/* A chain of 40 links is followed; one more is too many. */
	REQUIRE_EQ(put_file(T "/end", "e", 1), 0);
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), T "/c%d", i);
		if (i == 1)
			snprintf(target, sizeof(target), "end");
		else
			snprintf(target, sizeof(target), "c%d", i - 1);
		REQUIRE_EQ(symlink(target, name), 0);
	}
	CHECK_EQ(stat(T "/c40", &st), 0);
	CHECK_EQ(st.st_size, 1);
	CHECK_ERR(stat(T "/c41", &st), ELOOP);
}

static void hard_links(void)
{
	char buf[16];
	struct stat a, b;

	REQUIRE_EQ(put_file(T "/f", "one", 3), 0);
	CHECK_EQ(mkdir(T "/d", 0755), 0);
	CHECK_EQ(link(T "/f", T "/d/g"), 0);
	REQUIRE_EQ(stat(T "/f", &a), 0);
	REQUIRE_EQ(stat(T "/d/g", &b), 0);
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(a.st_nlink, 2);
	REQUIRE_EQ(put_file(T "/d/g", "two", 3), 0); /* O_TRUNC: same file */
	CHECK_EQ(get_file(T "/f", buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "two", 3) == 0);
	CHECK_ERR(link(T "/d", T "/d2"), EPERM);
	CHECK_ERR(link(T "/f", T "/d/g"), EEXIST);
	CHECK_ERR(link(T "/none", T "/x"), ENOENT);
	CHECK_ERR(link(T "/f", "initfs:/x"), EXDEV);
	CHECK_EQ(unlink(T "/f"), 0);
	CHECK_EQ(stat(T "/d/g", &b), 0);
	CHECK_EQ(b.st_nlink, 1);
	CHECK_EQ(get_file(T "/d/g", buf, sizeof(buf)), 3);
}

static void real_paths(void)
{
	char out[PATH_MAX], *p;

	REQUIRE_EQ(mkdir(T "/a", 0755), 0);
	REQUIRE_EQ(mkdir(T "/a/b", 0755), 0);
	REQUIRE_EQ(put_file(T "/a/b/f", "", 0), 0);
	REQUIRE_EQ(symlink("a/b", T "/lb"), 0);
	REQUIRE_EQ(symlink(T "/lb/f", T "/a/lf"), 0);
	REQUIRE_EQ(symlink("..", T "/a/b/up"), 0);

	CHECK(realpath(T "/a/lf", out) == out);
	CHECK(strcmp(out, T "/a/b/f") == 0);
	/* "lb/.." is where lb leads, then up: /t/a, not /t. */
	CHECK(realpath(T "/lb/up/b/../..", out) != NULL);
	CHECK(strcmp(out, T) == 0);
	CHECK(realpath(T "//a/./b/", out) != NULL);
	CHECK(strcmp(out, T "/a/b") == 0);
	REQUIRE_EQ(chdir(T "/lb"), 0);
	p = realpath("f", NULL);
	CHECK(p != NULL && strcmp(p, T "/a/b/f") == 0);
	free(p);
	CHECK_EQ(chdir("/"), 0);
	CHECK(realpath("/", out) != NULL && strcmp(out, "/") == 0);
	CHECK(realpath("null:", out) == NULL); /* not in this test's see= */
	CHECK(realpath("initfs:/test/hello.txt", out) != NULL);
	CHECK(strcmp(out, "initfs:/test/hello.txt") == 0);
	errno = 0;
	CHECK(realpath(T "/a/none", out) == NULL);
	CHECK_EQ(errno, ENOENT);
	errno = 0;
	CHECK(realpath(T "/a/b/f/x", out) == NULL);
	CHECK_EQ(errno, ENOTDIR);
}

const struct test link_tests[] = {
	{ "symbolic links", symbolic_links },
	{ "symbolic link loops and chains", link_loops },
	{ "hard links", hard_links },
	{ "realpath", real_paths },
	{ NULL, NULL },
};
