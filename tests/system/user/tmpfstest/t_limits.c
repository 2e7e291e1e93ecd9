/*
 * Limits and stress: names and paths, the memory cap (max=), the table of
 * open files (files=), files of clients that die, and memory coming back
 * after many creates and removes.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tmpfstest.h"

static void name_limits(void)
{
	char name[300], *path;
	struct stat st;
	int fd;

	memcpy(name, T "/", 3);
	memset(name + 3, 'n', 255);
	name[258] = '\0';
	fd = open(name, O_CREAT | O_WRONLY, 0644);
	CHECK_OK(fd);
	close(fd);
	CHECK_EQ(stat(name, &st), 0);
	CHECK_EQ(unlink(name), 0);
	name[258] = 'n';
	name[259] = '\0';
	CHECK_ERR(open(name, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	CHECK_ERR(mkdir(name, 0755), ENAMETOOLONG);
	CHECK_ERR(symlink("x", name), ENAMETOOLONG);
	CHECK_ERR(stat(name, &st), ENAMETOOLONG);

	/* Paths: 1023 bytes are fine (here through "." steps), more not. */
	path = malloc(1100);
	REQUIRE(path != NULL);
	strcpy(path, T);
	while (strlen(path) < 1019)
		strcat(path, "/.");
	strcat(path, "/f");
	CHECK_EQ(put_file(path, "", 0), 0);
	strcpy(path, T "/");
	memset(path + 3, 'a', 1100 - 4);
	path[1099] = '\0';
	CHECK_ERR(open(path, O_RDONLY), ENAMETOOLONG);
	/* A link target expands a path beyond the limit. */
	memset(path, 'x', 1000);
	path[1000] = '\0';
	CHECK_EQ(symlink(path, T "/long"), 0);
	CHECK_ERR(stat(T "/long/aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &st),
		  ENAMETOOLONG);
	memset(path, 'x', 1024);
	path[1024] = '\0';
	CHECK_ERR(symlink(path, T "/toolong"), ENAMETOOLONG);
	free(path);
}

/* Writes 64 KiB at a time until the cap: the bytes written. */
static uint64_t fill(const char *path, int *last_errno)
{
	static char chunk[65536];
	uint64_t total = 0;
	ssize_t n;
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	if (fd < 0)
		return 0;
	memset(chunk, 'f', sizeof(chunk));
	while ((n = write(fd, chunk, sizeof(chunk))) > 0)
		total += (uint64_t)n;
	*last_errno = errno;
	close(fd);
	return total;
}

static void out_of_space(void)
{
	uint64_t before = fs_used(), cap = fs_cap(), first, second;
	int err = 0, made = 0;
	char name[32];

	REQUIRE(cap > before);
	first = fill(T "/fill", &err);
	CHECK_EQ(err, ENOSPC);
	printf("  filled %llu of %llu\n", (unsigned long long)first, (unsigned long long)(cap - before));
	CHECK(first > (cap - before) / 2);
	CHECK(fs_used() <= cap);
	/* What is left is less than a block: a few names at most. */
	for (; made < 1000; made++) {
		snprintf(name, sizeof(name), T "/d%d", made);
		if (mkdir(name, 0755) < 0)
			break;
	}
	CHECK(made < 1000);
	CHECK_EQ(errno, ENOSPC);
	CHECK_ERR(symlink("x", T "/l"), ENOSPC);
	CHECK_EQ(remove_tree(T "/fill"), 0);
	for (int i = 0; i < made; i++) {
		snprintf(name, sizeof(name), T "/d%d", i);
		CHECK_EQ(rmdir(name), 0);
	}
	CHECK_EQ(fs_used(), before);
	/* All of it comes back: the same fill again. */
	second = fill(T "/fill", &err);
	CHECK_EQ(second, first);
	CHECK_EQ(unlink(T "/fill"), 0);
	CHECK_EQ(fs_used(), before);
}

#define MANY 1000

static void many_files(void)
{
	uint64_t before = fs_used();
	char name[64], buf[64];
	int ok = 1;

	CHECK_EQ(mkdir(T "/many", 0755), 0);
	for (int i = 0; i < MANY && ok; i++) {
		int n = snprintf(buf, sizeof(buf), "file %d\n", i);

		snprintf(name, sizeof(name), T "/many/f%d", i);
		ok &= put_file(name, buf, (size_t)n) == 0;
	}
	CHECK(ok);
	for (int i = MANY - 1; i >= 0 && ok; i--) {
		char want[64];
		int n = snprintf(want, sizeof(want), "file %d\n", i);

		snprintf(name, sizeof(name), T "/many/f%d", i);
		ok &= get_file(name, buf, sizeof(buf)) == n &&
		      memcmp(buf, want, (size_t)n) == 0;
	}
	CHECK(ok);
	CHECK_EQ(remove_tree(T "/many"), 0);
	CHECK_EQ(fs_used(), before);
}

/* Creates and removes, over and over: the account comes back exactly. */
static void churn(void)
{
	uint64_t before = fs_used(), seed = 99;
	char name[64];
	int ok = 1;

	for (int i = 0; i < 2000 && ok; i++) {
		size_t n = (size_t)(rnd(&seed) % 9000);
		static char data[9000];

		snprintf(name, sizeof(name), T "/c%d", (int)(rnd(&seed) % 50));
		unlink(name);
		memset(data, i, n);
		ok &= put_file(name, data, n) == 0;
		if (i % 7 == 0)
			ok &= truncate(name, (off_t)(rnd(&seed) % 20000)) == 0;
		if (i % 11 == 0) {
			ok &= mkdir(T "/cd", 0755) == 0;
			ok &= rename(name, T "/cd/x") == 0;
			ok &= remove_tree(T "/cd") == 0;
		}
	}
	CHECK(ok);
	CHECK_EQ(remove_tree(T), 0);
	CHECK_EQ(mkdir(T, 0755), 0);
	CHECK_EQ(fs_used(), before);
}

/* The table of open files: full means ENFILE, and a close frees one. */
static void open_file_cap(void)
{
	static int fds[1024];
	uint32_t base = fs_open_files();
	int n = 0, fd;

	while (n < 1024 && (fds[n] = open(HELLO_PATH, O_RDONLY)) >= 0)
		n++;
	CHECK_EQ(errno, ENFILE);
	CHECK(n > 0 && n < 1024);
	CHECK_EQ(fs_open_files(), base + (uint32_t)n);
	/* Close one and open at once: the server handles the CLOSE that
	   reaches it behind the open first. */
	for (int i = 0; i < 20; i++) {
		close(fds[n - 1]);
		fds[n - 1] = open(HELLO_PATH, O_RDONLY);
		CHECK_OK(fds[n - 1]);
	}
	CHECK_ERR(open(HELLO_PATH, O_RDONLY), ENFILE);
	CHECK_ERR(open(T "/new", O_CREAT | O_WRONLY, 0644), ENFILE);
	CHECK_EQ(access(T "/new", F_OK), -1); /* not made */
	for (int i = 0; i < n; i++)
		close(fds[i]);
	CHECK_EQ(wait_open_files(base, 1000), base);
	fd = open(HELLO_PATH, O_RDONLY);
	CHECK_OK(fd);
	close(fd);
}

/* A client that dies holding files: the kernel's CLOSEs free them. */
static void dead_client(void)
{
	char *args[] = { "hold", "20", NULL };
	uint32_t base = fs_open_files();
	int proc = spawn_child(args), status = 0;

	REQUIRE_OK(proc);
	CHECK_EQ(wait_open_files(base + 20, 3000), base + 20);
	CHECK_EQ(sys_proc_kill(proc, SIGKILL), 0);
	CHECK_OK(vwait(proc, &status));
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(wait_open_files(base, 3000), base);
}

/* Two processes appending to one file: every line whole, none lost. */
static void two_writers(void)
{
	char *args[] = { "write", T "/log", "200", NULL };
	static char buf[200 * 2 * 11 + 1];
	int fd, proc, status = -1, child = 0, mine = 0;
	long n;

	REQUIRE_EQ(put_file(T "/log", "", 0), 0);
	proc = spawn_child(args);
	REQUIRE_OK(proc);
	fd = open(T "/log", O_WRONLY | O_APPEND);
	REQUIRE_OK(fd);
	for (int i = 0; i < 200; i++) {
		char line[16];

		snprintf(line, sizeof(line), "mine  %04d\n", i);
		CHECK_EQ(write(fd, line, 11), 11);
	}
	close(fd);
	CHECK_OK(vwait(proc, &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	n = get_file(T "/log", buf, sizeof(buf) - 1);
	CHECK_EQ(n, 200 * 2 * 11);
	for (long i = 0; i + 11 <= n; i += 11) {
		child += !memcmp(buf + i, "child ", 6) && buf[i + 10] == '\n';
		mine += !memcmp(buf + i, "mine  ", 6) && buf[i + 10] == '\n';
	}
	CHECK_EQ(child, 200);
	CHECK_EQ(mine, 200);
}

const struct test limit_tests[] = {
	{ "name and path limits", name_limits },
	{ "ENOSPC, and the memory comes back", out_of_space },
	{ "1000 files", many_files },
	{ "2000 creates and removes", churn },
	{ "ENFILE when every open file is taken", open_file_cap },
	{ "files of a client that dies are closed", dead_client },
	{ "two processes append to one file", two_writers },
	{ NULL, NULL },
};
