/*
 * The tools that change files: cp, mv, rm, mkdir, rmdir, touch, ln, chmod.
 *
 * Their refusals are tested on initfs:, which is read-only for good.  What
 * they do when they succeed needs a writable file system: those tests
 * run in the directory given with -w DIR (or $UTILTEST_DIR; file: is
 * tmpfs in services.utils) and are skipped, not passed, without one.
 */
#include <stdint.h>
#include <unistd.h>
#include "utiltest.h"

#define ROFS ": Read-only file system\n"
#define RO   "initfs:/test/"

static void cp_errors(void)
{
	struct result r;

	RUN(&r, NULL, "cp", HELLO_PATH, RO "copy");
	CHECK_RUN(&r, 1, "", "cp: " RO "copy" ROFS);
	RUN(&r, NULL, "cp", HELLO_PATH, RO "a");
	CHECK_RUN(&r, 1, "", "cp: " RO "a/hello.txt" ROFS);
	RUN(&r, NULL, "cp", "/test/a", RO "x");
	CHECK_RUN(&r, 1, "",
		  "cp: /test/a: is a directory (not copied without -r)\n");
	RUN(&r, NULL, "cp", "-r", "/test/a", RO "x");
	CHECK_RUN(&r, 1, "", "cp: " RO "x" ROFS);
	RUN(&r, NULL, "cp", "/nonexistent", RO "x");
	CHECK_RUN(&r, 1, "", "cp: /nonexistent: No such file or directory\n");
	RUN(&r, NULL, "cp", HELLO_PATH, HELLO_PATH);
	CHECK_RUN(&r, 1, "",
		  "cp: " HELLO_PATH " and " HELLO_PATH " are the same file\n");
	RUN(&r, NULL, "cp", HELLO_PATH, "/test/empty", HELLO_PATH);
	CHECK_RUN(&r, 1, "", "cp: " HELLO_PATH ": Not a directory\n");
	RUN(&r, NULL, "cp", HELLO_PATH);
	CHECK_USAGE(&r, "cp", "missing destination");
	RUN(&r, NULL, "cp");
	CHECK_USAGE(&r, "cp", "missing operands");
	RUN(&r, NULL, "cp", "-p", "a", "b");
	CHECK_USAGE(&r, "cp", "unknown option -p");
}

static void mv_errors(void)
{
	struct result r;

	RUN(&r, NULL, "mv", RO "hello.txt", RO "moved");
	CHECK_RUN(&r, 1, "", "mv: " RO "hello.txt" ROFS);
	RUN(&r, NULL, "mv", RO "hello.txt", RO "a");
	CHECK_RUN(&r, 1, "", "mv: " RO "hello.txt" ROFS);
	RUN(&r, NULL, "mv", RO "hello.txt", RO "empty", RO "empty");
	CHECK_RUN(&r, 1, "", "mv: " RO "empty: Not a directory\n");
	RUN(&r, NULL, "mv", "x");
	CHECK_USAGE(&r, "mv", "missing destination");
}

static void rm_errors(void)
{
	struct result r;

	RUN(&r, NULL, "rm", RO "hello.txt");
	CHECK_RUN(&r, 1, "", "rm: " RO "hello.txt" ROFS);
	RUN(&r, NULL, "rm", RO "nonexistent");
	CHECK_RUN(&r, 1, "",
		  "rm: " RO "nonexistent: No such file or directory\n");
	RUN(&r, NULL, "rm", "-f", RO "nonexistent");
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "rm", "-f");
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "rm", RO "a");
	CHECK_RUN(&r, 1, "", "rm: " RO "a: Is a directory\n");
	RUN(&r, NULL, "rm", "-r", RO "a");
	CHECK_RUN(&r, 1, "", "rm: " RO "a/b/deep.txt" ROFS);
	RUN(&r, NULL, "rm", "-r", ".");
	CHECK_RUN(&r, 1, "", "rm: .: refusing to remove '.', '..' or '/'\n");
	RUN(&r, NULL, "rm", "-rf", "/test/a/..");
	CHECK_RUN(&r, 1, "",
		  "rm: /test/a/..: refusing to remove '.', '..' or '/'\n");
	RUN(&r, NULL, "rm", "-rf", "initfs:/");
	CHECK_RUN(&r, 1, "",
		  "rm: initfs:/: refusing to remove '.', '..' or '/'\n");
	RUN(&r, NULL, "rm");
	CHECK_USAGE(&r, "rm", "missing operand");
}

static void mkdir_rmdir_errors(void)
{
	struct result r;

	RUN(&r, NULL, "mkdir", RO "new");
	CHECK_RUN(&r, 1, "", "mkdir: " RO "new" ROFS);
	RUN(&r, NULL, "mkdir", "-p", RO "a/b");
	CHECK_RUN(&r, 0, "", ""); /* all there: nothing to do */
	RUN(&r, NULL, "mkdir", "-p", RO "a/new/deeper");
	CHECK_RUN(&r, 1, "", "mkdir: " RO "a/new" ROFS);
	RUN(&r, NULL, "mkdir", "-m", "999", "x");
	CHECK_USAGE(&r, "mkdir", "invalid mode '999'");
	RUN(&r, NULL, "mkdir");
	CHECK_USAGE(&r, "mkdir", "missing operand");
	RUN(&r, NULL, "rmdir", RO "a");
	CHECK_RUN(&r, 1, "", "rmdir: " RO "a" ROFS);
	RUN(&r, NULL, "rmdir", "-p", RO "a/b");
	CHECK_RUN(&r, 1, "", "rmdir: " RO "a/b" ROFS);
	RUN(&r, NULL, "rmdir");
	CHECK_USAGE(&r, "rmdir", "missing operand");
}

static void touch_ln_chmod_errors(void)
{
	struct result r;

	RUN(&r, NULL, "touch", RO "new");
	CHECK_RUN(&r, 1, "", "touch: " RO "new" ROFS);
	RUN(&r, NULL, "touch", "-c", RO "new");
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "touch", RO "hello.txt");
	CHECK_RUN(&r, 1, "", "touch: " RO "hello.txt" ROFS);
	RUN(&r, NULL, "touch");
	CHECK_USAGE(&r, "touch", "missing operand");
	RUN(&r, NULL, "ln", "-s", "hello.txt", RO "link");
	CHECK_RUN(&r, 1, "", "ln: " RO "link" ROFS);
	RUN(&r, NULL, "ln", RO "hello.txt", RO "hard");
	CHECK_RUN(&r, 1, "", "ln: " RO "hard" ROFS);
	RUN(&r, NULL, "ln", "a", "b", RO "empty");
	CHECK_RUN(&r, 1, "", "ln: " RO "empty: Not a directory\n");
	RUN(&r, NULL, "ln");
	CHECK_USAGE(&r, "ln", "missing operand");
	RUN(&r, NULL, "chmod", "644", RO "hello.txt");
	CHECK_RUN(&r, 1, "", "chmod: " RO "hello.txt" ROFS);
	RUN(&r, NULL, "chmod", "u+x", "/nonexistent");
	CHECK_RUN(&r, 1, "",
		  "chmod: /nonexistent: No such file or "
		  "directory\n");
	RUN(&r, NULL, "chmod", "u+q", HELLO_PATH);
	CHECK_USAGE(&r, "chmod", "invalid mode 'u+q'");
	RUN(&r, NULL, "chmod", "8", HELLO_PATH);
	CHECK_USAGE(&r, "chmod", "invalid mode '8'");
	RUN(&r, NULL, "chmod", "644");
	CHECK_USAGE(&r, "chmod", "missing operand");
}

/* ---- on a writable file system ---- */

static char wdir[256];

/* The test's own directory under writable_dir; 0, or -1 (skipped). */
static int work_dir(const char *name)
{
	struct result r;

	if (!writable_dir) {
		skip("no writable file: (give utiltest -w DIR or "
		     "UTILTEST_DIR)");
		return -1;
	}
	snprintf(wdir, sizeof(wdir), "%s/utiltest-%d-%s", writable_dir,
		 (int)getpid(), name);
	RUN(&r, NULL, "rm", "-rf", wdir);
	RUN(&r, NULL, "mkdir", wdir);
	CHECK_RUN(&r, 0, "", "");
	return r.status == 0 ? 0 : -1;
}

/* wdir + "/" + name, in a static buffer (one of four in turn). */
static char *at(const char *name)
{
	static char bufs[4][320];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", wdir, name);
	return b;
}

static void files_made_and_copied(void)
{
	struct result r;

	if (work_dir("copy") < 0)
		return;
	RUN(&r, NULL, "touch", at("f"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "test", "-f", at("f"));
	CHECK_EQ(r.status, 0);
	RUN(&r, NULL, "test", "-s", at("f"));
	CHECK_EQ(r.status, 1);
	RUN(&r, "hello\n", "tee", at("f"));
	CHECK_RUN(&r, 0, "hello\n", "");
	RUN(&r, "more\n", "tee", "-a", at("f"));
	CHECK_RUN(&r, 0, "more\n", "");
	RUN(&r, NULL, "cat", at("f"));
	CHECK_OK_OUT(&r, 0, "hello\nmore\n");
	RUN(&r, NULL, "cp", at("f"), at("g"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "cat", at("g"));
	CHECK_OK_OUT(&r, 0, "hello\nmore\n");
	RUN(&r, NULL, "cp", LINES_PATH, HELLO_PATH, wdir);
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "wc", "-l", at("lines.txt"), at("hello.txt"));
	CHECK_EQ(r.status, 0);
	CHECK_OUT_HAS(&r, "101 total\n");
	RUN(&r, NULL, "ls", wdir);
	CHECK_OK_OUT(&r, 0, "f\ng\nhello.txt\nlines.txt\n");
	RUN(&r, NULL, "mkdir", at("d"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "cp", "-r", "/test/a", at("d/a"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "cat", at("d/a/b/deep.txt"));
	CHECK_EQ(r.status, 0);
	RUN(&r, NULL, "cp", "-r", wdir, at("d/self"));
	CHECK_EQ(r.status, 1);
	CHECK_ERR_HAS(&r, "cannot copy a directory into itself");
	/* From one scheme to another. */
	RUN(&r, NULL, "cp", "-r", "initfs:/test/a", at("ia"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "cat", at("ia/b/deep.txt"));
	CHECK_EQ(r.status, 0);
	CHECK_EQ(r.out_len, 5);
	RUN(&r, NULL, "rm", "-r", wdir);
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "test", "-e", wdir);
	CHECK_EQ(r.status, 1);
}

static void files_moved_and_removed(void)
{
	struct result r;
	char want[400];

	if (work_dir("move") < 0)
		return;
	RUN(&r, "x\n", "tee", at("f"));
	RUN(&r, NULL, "mv", at("f"), at("g"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "ls", wdir);
	CHECK_OK_OUT(&r, 0, "g\n");
	RUN(&r, NULL, "mkdir", "-p", at("d/e/f"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "mv", at("g"), at("d"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "cat", at("d/g"));
	CHECK_OK_OUT(&r, 0, "x\n");
	RUN(&r, NULL, "rmdir", at("d"));
	CHECK_EQ(r.status, 1);
	RUN(&r, NULL, "rmdir", at("d/e/f"), at("d/e"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "rm", at("d"));
	snprintf(want, sizeof(want), "rm: %s: Is a directory\n", at("d"));
	CHECK_RUN(&r, 1, "", want);
	RUN(&r, NULL, "rm", at("d/g"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "rmdir", at("d"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "ls", wdir);
	CHECK_OK_OUT(&r, 0, "");
	/* Across schemes mv copies, then removes the source. */
	RUN(&r, NULL, "mv", RO "hello.txt", at("h"));
	CHECK_RUN(&r, 1, "", "mv: " RO "hello.txt" ROFS); /* kept */
	RUN(&r, NULL, "cat", at("h"));
	CHECK_OK_OUT(&r, 0, HELLO_TEXT);
	RUN(&r, NULL, "mv", at("h"), RO "h");
	CHECK_RUN(&r, 1, "", "mv: " RO "h" ROFS);
	RUN(&r, NULL, "test", "-f", at("h"));
	CHECK_EQ(r.status, 0);
	RUN(&r, NULL, "rm", "-rf", wdir);
	CHECK_RUN(&r, 0, "", "");
}

static void links_and_modes(void)
{
	struct result r;
	char want[400];
	long long before;

	if (work_dir("link") < 0)
		return;
	RUN(&r, "data\n", "tee", at("f"));
	RUN(&r, NULL, "ln", "-s", "f", at("sym"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "cat", at("sym"));
	CHECK_OK_OUT(&r, 0, "data\n");
	RUN(&r, NULL, "ls", "-l", wdir);
	CHECK_EQ(r.status, 0);
	CHECK_OUT_HAS(&r, " sym -> f\n");
	RUN(&r, NULL, "ls", "-F", wdir);
	CHECK_OK_OUT(&r, 0, "f\nsym@\n");
	RUN(&r, NULL, "test", "-L", at("sym"));
	CHECK_EQ(r.status, 0);
	RUN(&r, NULL, "stat", "-c", "%N", at("sym"));
	snprintf(want, sizeof(want), "'%s' -> 'f'\n", at("sym"));
	CHECK_OK_OUT(&r, 0, want);
	RUN(&r, NULL, "ln", at("f"), at("hard"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "stat", "-c", "%h", at("f"));
	CHECK_OK_OUT(&r, 0, "2\n");
	RUN(&r, NULL, "chmod", "600", at("f"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "stat", "-c", "%a", at("f"));
	CHECK_OK_OUT(&r, 0, "600\n");
	RUN(&r, NULL, "chmod", "u+x,go+r", at("f"));
	RUN(&r, NULL, "stat", "-c", "%a", at("f"));
	CHECK_OK_OUT(&r, 0, "744\n");
	RUN(&r, NULL, "chmod", "a-w", at("f"));
	RUN(&r, NULL, "stat", "-c", "%a", at("f"));
	CHECK_OK_OUT(&r, 0, "544\n");
	RUN(&r, NULL, "chmod", "=r,u+w", at("f"));
	RUN(&r, NULL, "stat", "-c", "%A", at("f"));
	CHECK_OK_OUT(&r, 0, "-rw-r--r--\n");
	/* touch sets the times to now: a second later, a later mtime. */
	RUN(&r, NULL, "stat", "-c", "%Y", at("f"));
	before = strtoll(r.out, NULL, 10);
	RUN(&r, NULL, "sleep", "1.1");
	RUN(&r, NULL, "touch", at("f"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "stat", "-c", "%Y", at("f"));
	CHECK(strtoll(r.out, NULL, 10) > before);
	/* rm takes the link, not what it points to. */
	RUN(&r, NULL, "rm", at("sym"));
	CHECK_RUN(&r, 0, "", "");
	RUN(&r, NULL, "cat", at("f"));
	CHECK_OK_OUT(&r, 0, "data\n");
	RUN(&r, NULL, "rm", "-rf", wdir);
	CHECK_RUN(&r, 0, "", "");
}

const struct test change_tests[] = {
	{ "cp errors", cp_errors },
	{ "mv errors", mv_errors },
	{ "rm errors", rm_errors },
	{ "mkdir rmdir errors", mkdir_rmdir_errors },
	{ "touch ln chmod errors", touch_ln_chmod_errors },
	{ "cp tee cat rm on a writable file system", files_made_and_copied },
	{ "mv mkdir rmdir rm on a writable file system",
	  files_moved_and_removed },
	{ "ln chmod touch on a writable file system", links_and_modes },
	{ NULL, NULL },
};
