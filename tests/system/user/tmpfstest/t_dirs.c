/* Directories: mkdir, rmdir, unlink, readdir, rename. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include "tmpfstest.h"

static void make_and_remove(void)
{
	struct stat st;

	REQUIRE_EQ(stat(T, &st), 0);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(mkdir(T "/d", 0755), 0);
	CHECK_EQ(stat(T, &st), 0);
	CHECK_EQ(st.st_nlink, 3);
	CHECK_EQ(stat(T "/d", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(st.st_size, 2); /* "." and ".." */
	REQUIRE_EQ(put_file(T "/d/f", "x", 1), 0);
	CHECK_EQ(stat(T "/d", &st), 0);
	CHECK_EQ(st.st_size, 3);

	CHECK_ERR(mkdir(T "/d", 0755), EEXIST);
	CHECK_ERR(mkdir(T "/d/f", 0755), EEXIST);
	CHECK_ERR(mkdir(T "/none/d", 0755), ENOENT);
	CHECK_ERR(mkdir(T "/d/f/d", 0755), ENOTDIR);
	CHECK_ERR(rmdir(T "/d"), ENOTEMPTY);
	CHECK_ERR(rmdir(T "/d/f"), ENOTDIR);
	CHECK_ERR(unlink(T "/d"), EISDIR);
	CHECK_ERR(rmdir(T "/none"), ENOENT);
	CHECK_ERR(unlink(T "/none"), ENOENT);
	CHECK_ERR(rmdir("/"), EBUSY);
	CHECK_ERR(unlink(T "/d/f/"), ENOTDIR);
	CHECK_EQ(unlink(T "/d/f"), 0);
	CHECK_EQ(rmdir(T "/d/"), 0);
	CHECK_EQ(stat(T, &st), 0);
	CHECK_EQ(st.st_nlink, 2);

	/* A working directory in tmpfs. */
	CHECK_EQ(mkdir(T "/w", 0755), 0);
	CHECK_EQ(chdir(T "/w/"), 0);
	{
		char cwd[32];

		CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, T "/w") == 0);
	}
	REQUIRE_EQ(put_file("rel", "r", 1), 0);
	CHECK_EQ(stat(T "/w/rel", &st), 0);
	CHECK_EQ(chdir("/"), 0);
}

/* The entries of path, counted by name into seen[] for names "e%d". */
static int list(const char *path, int *seen, int max, int *dots,
		unsigned char *types)
{
	struct dirent *e;
	DIR *d = opendir(path);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		int i;

		n++;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			CHECK_EQ(e->d_type, DT_DIR);
			++*dots;
		} else if (sscanf(e->d_name, "e%d", &i) == 1 && i >= 0 &&
			   i < max) {
			seen[i]++;
			types[i] = e->d_type;
		}
	}
	closedir(d);
	return n;
}

#define ENTRIES 300

static void listing(void)
{
	static int seen[ENTRIES];
	static unsigned char types[ENTRIES];
	char name[64];
	int dots = 0, n, ok = 1;

	for (int i = 0; i < ENTRIES; i++) {
		snprintf(name, sizeof(name), T "/e%d", i);
		if (i % 3 == 0)
			ok &= put_file(name, "", 0) == 0;
		else if (i % 3 == 1)
			ok &= mkdir(name, 0755) == 0;
		else
			ok &= symlink("e0", name) == 0;
	}
	REQUIRE(ok);
	memset(seen, 0, sizeof(seen));
	n = list(T, seen, ENTRIES, &dots, types);
	CHECK_EQ(n, ENTRIES + 2);
	CHECK_EQ(dots, 2);
	for (int i = 0; i < ENTRIES; i++) {
		static const unsigned char want[] = { DT_REG, DT_DIR, DT_LNK };

		ok &= seen[i] == 1 && types[i] == want[i % 3];
	}
	CHECK(ok);

	/* rewinddir lists them all again. */
	{
		DIR *d = opendir(T);
		int first = 0, again = 0;

		REQUIRE(d != NULL);
		while (readdir(d))
			first++;
		rewinddir(d);
		while (readdir(d))
			again++;
		closedir(d);
		CHECK_EQ(first, ENTRIES + 2);
		CHECK_EQ(again, ENTRIES + 2);
	}
	CHECK_ERR(opendir(T "/e0") == NULL ? -1 : 0, ENOTDIR);
}

/* Removing entries while reading the directory skips none of the rest,
   and entries added meanwhile do not make old ones show twice. */
static void listing_while_changing(void)
{
	static int seen[ENTRIES];
	char name[64];
	struct dirent *e;
	DIR *d;
	int n = 0, ok = 1, added = 0;

	for (int i = 0; i < ENTRIES; i++) {
		snprintf(name, sizeof(name), T "/e%d", i);
		ok &= put_file(name, "x", 1) == 0;
	}
	REQUIRE(ok);
	memset(seen, 0, sizeof(seen));
	d = opendir(T);
	REQUIRE(d != NULL);
	while ((e = readdir(d)) != NULL) {
		int i;

		if (sscanf(e->d_name, "e%d", &i) != 1 || i < 0 || i >= ENTRIES)
			continue;
		seen[i]++;
		n++;
		snprintf(name, sizeof(name), T "/%s", e->d_name);
		ok &= unlink(name) == 0;
		if (added < 10) { /* new names, after every old one */
			snprintf(name, sizeof(name), T "/new%d", added++);
			ok &= put_file(name, "", 0) == 0;
		}
	}
	closedir(d);
	CHECK(ok);
	CHECK_EQ(n, ENTRIES);
	for (int i = 0; i < ENTRIES; i++)
		ok &= seen[i] == 1;
	CHECK(ok);
}

static void renaming(void)
{
	char buf[16];
	struct stat st, st2;

	REQUIRE_EQ(put_file(T "/a", "aaa", 3), 0);
	REQUIRE_EQ(put_file(T "/b", "bb", 2), 0);
	REQUIRE_EQ(stat(T "/a", &st), 0);

	/* A file, to a new name and over another file. */
	CHECK_EQ(rename(T "/a", T "/c"), 0);
	CHECK_ERR(stat(T "/a", &st2), ENOENT);
	CHECK_EQ(rename(T "/c", T "/b"), 0);
	REQUIRE_EQ(stat(T "/b", &st2), 0);
	CHECK_EQ(st2.st_ino, st.st_ino);
	CHECK_EQ(get_file(T "/b", buf, sizeof(buf)), 3);

	/* A directory with what is in it. */
	CHECK_EQ(mkdir(T "/d", 0755), 0);
	CHECK_EQ(mkdir(T "/d/sub", 0755), 0);
	REQUIRE_EQ(put_file(T "/d/sub/f", "deep", 4), 0);
	CHECK_EQ(mkdir(T "/e", 0755), 0);
	CHECK_EQ(rename(T "/d", T "/e/d"), 0);
	CHECK_EQ(get_file(T "/e/d/sub/f", buf, sizeof(buf)), 4);
	CHECK_EQ(stat(T "/e", &st), 0);
	CHECK_EQ(st.st_nlink, 3);
	CHECK_EQ(stat(T, &st), 0);
	CHECK_EQ(st.st_nlink, 3); /* its own, ".", and e's ".." */

	/* Over an empty directory; not over a full one. */
	CHECK_EQ(mkdir(T "/empty", 0755), 0);
	CHECK_EQ(rename(T "/e/d", T "/empty"), 0);
	CHECK_EQ(get_file(T "/empty/sub/f", buf, sizeof(buf)), 4);
	CHECK_EQ(mkdir(T "/e/d2", 0755), 0);
	CHECK_ERR(rename(T "/e", T "/empty"), ENOTEMPTY);

	/* Types must match; a directory never goes below itself. */
	CHECK_ERR(rename(T "/empty", T "/b"), ENOTDIR);
	CHECK_ERR(rename(T "/b", T "/empty"), EISDIR);
	CHECK_ERR(rename(T "/empty", T "/empty/sub/x"), EINVAL);
	CHECK_ERR(rename(T "/empty", T "/empty/x"), EINVAL);
	CHECK_ERR(rename(T "/none", T "/x"), ENOENT);
	CHECK_ERR(rename(T "/b", T "/none/x"), ENOENT);
	CHECK_ERR(rename(T "/b", "initfs:/test/x"), EXDEV);
	CHECK_ERR(rename("/", T "/x"), EBUSY);

	/* Onto itself, or onto another link to the same file: nothing. */
	CHECK_EQ(rename(T "/b", T "/b"), 0);
	CHECK_EQ(link(T "/b", T "/b2"), 0);
	CHECK_EQ(rename(T "/b", T "/b2"), 0);
	CHECK_EQ(stat(T "/b", &st), 0);
	CHECK_EQ(st.st_nlink, 2);
}

const struct test dir_tests[] = {
	{ "mkdir, rmdir, unlink", make_and_remove },
	{ "readdir of 300 entries", listing },
	{ "readdir while entries go and come", listing_while_changing },
	{ "rename", renaming },
	{ NULL, NULL },
};
