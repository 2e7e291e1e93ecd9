/*
 * The tools that look at files: ls, stat, hexdump.  initfs: shows the
 * boot archive's files as 0444 and its directories as 0555, owned by 0,
 * dated 1970-01-01 00:00 (servers/initfs, tools/mkinitfs); the tests that
 * depend on those details use initfs: paths, the others /test (file:,
 * whichever server has it).
 */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>
#include "utiltest.h"

/* The names in `dir` but "." and "..", sorted, one a line (made here
   with readdir, to compare ls with). */
static char *listing(const char *dir)
{
	char *names[64], *out;
	size_t n = 0, len = 1;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return NULL;
	while ((de = readdir(d)) != NULL && n < 64) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < n; i++) { /* insertion sort, by strcmp */
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0;
		     j--) {
			char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	}
	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	out = malloc(len);
	if (out) {
		out[0] = '\0';
		for (size_t i = 0; i < n; i++) {
			strcat(out, names[i]);
			strcat(out, "\n");
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return out;
}

static void ls_names(void)
{
	struct result r;
	char *want = listing("/test");

	REQUIRE(want);
	CHECK(strstr(want, "a\nempty\nhello.txt\nlibc\n") != NULL);
	RUN(&r, NULL, "ls", "/test");
	CHECK_OK_OUT(&r, 0, want);
	RUN(&r, NULL, "ls", "-1", "initfs:/test");
	CHECK_OK_OUT(&r, 0, want);
	free(want);
	RUN(&r, NULL, "ls", "/test/a");
	CHECK_OK_OUT(&r, 0, "b\n");
	RUN(&r, NULL, "ls", "-a", "/test/a");
	CHECK_OK_OUT(&r, 0, ".\n..\nb\n");
	RUN(&r, NULL, "ls", "-A", "/test/a");
	CHECK_OK_OUT(&r, 0, "b\n");
	RUN(&r, NULL, "ls", "/test/a/b/deep.txt");
	CHECK_OK_OUT(&r, 0, "/test/a/b/deep.txt\n");
	RUN(&r, NULL, "ls", "-d", "/test", "/test/a");
	CHECK_OK_OUT(&r, 0, "/test\n/test/a\n");
	RUN(&r, NULL, "ls", "-r", "/test/libc", "/test/a");
	CHECK_OK_OUT(&r, 0, "/test/libc:\nlines.txt\n\n/test/a:\nb\n");
	RUN(&r, NULL, "ls", HELLO_PATH, "/test/a", "/test/libc");
	CHECK_OK_OUT(&r, 0,
		     HELLO_PATH "\n\n/test/a:\nb\n\n/test/libc:\n"
				"lines.txt\n");
	RUN(&r, NULL, "ls", "-F", "/test/a", "/test/a/b");
	CHECK_OK_OUT(&r, 0, "/test/a:\nb/\n\n/test/a/b:\ndeep.txt\n");
	/* No operand: the working directory, "/". */
	RUN(&r, NULL, "ls");
	CHECK_EQ(r.status, 0);
	CHECK_OUT_HAS(&r, "bin\n");
	CHECK_OUT_HAS(&r, "etc\n");
	CHECK_OUT_HAS(&r, "test\n");
}

/* On initfs: (not file:, which may be a writable file system), whose
   files are 0444, one link, and its directories 0555 with a size of
   their entries and "." and "..". */
static void ls_long(void)
{
	struct result r;

	RUN(&r, NULL, "ls", "-l", "initfs:" HELLO_PATH);
	CHECK_OK_OUT(&r, 0,
		     "-r--r--r-- 1 0 0 29 Jan  1 00:00 initfs:" HELLO_PATH
		     "\n");
	RUN(&r, NULL, "ls", "-l", "initfs:/test/a/b");
	CHECK_OK_OUT(&r, 0,
		     "total 1\n"
		     "-r--r--r-- 1 0 0 5 Jan  1 00:00 deep.txt\n");
	RUN(&r, NULL, "ls", "-ld", "initfs:/test/a");
	CHECK_OK_OUT(&r, 0, "dr-xr-xr-x 1 0 0 3 Jan  1 00:00 initfs:/test/a\n");
	RUN(&r, NULL, "ls", "-l", "initfs:/test/empty", "initfs:" HELLO_PATH);
	CHECK_OK_OUT(&r, 0,
		     "-r--r--r-- 1 0 0  0 Jan  1 00:00 initfs:/test/empty\n"
		     "-r--r--r-- 1 0 0 29 Jan  1 00:00 initfs:" HELLO_PATH
		     "\n");
}

static void ls_columns_and_errors(void)
{
	char *env[] = { "COLUMNS=50", NULL };
	struct run_opts o = { .tty = 1, .envp = env };
	struct result r;

	/* On a terminal, columns down then across (COLUMNS wide). */
	RUN_OPTS(&r, &o, "ls", DATA);
	CHECK_OK_OUT(&r, 0,
		     "bytes-s3-n40.hexdump  numbers.txt\n"
		     "bytes-v.hexdump       words.counts\n"
		     "bytes.bin             words.sorted\n"
		     "bytes.hexdump         words.sorted-u\n"
		     "numbers.sorted-n      words.txt\n"
		     "numbers.sorted-rn\n");
	RUN_OPTS(&r, &o, "ls", "-1", "/test/a");
	CHECK_OK_OUT(&r, 0, "b\n");
	RUN(&r, NULL, "ls", "-C", "/test/a/b");
	CHECK_OK_OUT(&r, 0, "deep.txt\n");
	RUN(&r, NULL, "ls", "/nonexistent", "/test/a");
	CHECK_RUN(&r, 1, "/test/a:\nb\n",
		  "ls: /nonexistent: No such file or directory\n");
	RUN(&r, NULL, "ls", "nosuch:/");
	CHECK_RUN(&r, 1, "", "ls: nosuch:/: No such device\n");
	RUN(&r, NULL, "ls", "-z");
	CHECK_USAGE(&r, "ls", "unknown option -z");
	RUN(&r, NULL, "ls", "-h");
	CHECK_HELP(&r, "ls");
}

static void stat_files(void)
{
	struct result r;
	struct stat st;
	char want[64];

	/* Modes as initfs: has them (not file:, which may be writable). */
	RUN(&r, NULL, "stat", "-c", "%n %s %a %A %F %h %u %g %Y %%",
	    "initfs:" HELLO_PATH);
	CHECK_OK_OUT(&r, 0,
		     "initfs:" HELLO_PATH
		     " 29 444 -r--r--r-- regular file 1 0 0 0 %\n");
	RUN(&r, NULL, "stat", "-c", "%F %a %s", "initfs:/test/a",
	    "initfs:/test/empty");
	CHECK_OK_OUT(&r, 0, "directory 555 3\nregular file 444 0\n");
	REQUIRE(stat(HELLO_PATH, &st) == 0);
	snprintf(want, sizeof(want), "%llu %lld %x\n",
		 (unsigned long long)st.st_ino, (long long)st.st_blocks,
		 (unsigned)st.st_mode);
	RUN(&r, NULL, "stat", "-c", "%i %b %f", HELLO_PATH);
	CHECK_OK_OUT(&r, 0, want);
	RUN(&r, NULL, "stat", "-c", "%y|%q", HELLO_PATH);
	CHECK_OK_OUT(&r, 0, "1970-01-01 00:00:00|%q\n");
	RUN(&r, NULL, "stat", "initfs:" HELLO_PATH);
	CHECK_EQ(r.status, 0);
	check_prefix(__FILE__, __LINE__, "stdout", r.out, r.out_len,
		     "  File: initfs:" HELLO_PATH "\n  Size: 29 ");
	CHECK_OUT_HAS(&r, " regular file\n");
	CHECK_OUT_HAS(&r, "Links: 1\n");
	CHECK_OUT_HAS(&r, "Access: (0444/-r--r--r--)  Uid: 0  Gid: 0\n");
	CHECK_OUT_HAS(&r, "Modify: 1970-01-01 00:00:00\n");
	RUN(&r, NULL, "stat", "/nonexistent", HELLO_PATH);
	CHECK_EQ(r.status, 1);
	CHECK_ERR_HAS(&r, "stat: /nonexistent: No such file or directory\n");
	CHECK_OUT_HAS(&r, "  File: " HELLO_PATH "\n");
	RUN(&r, NULL, "stat");
	CHECK_USAGE(&r, "stat", "missing FILE");
	RUN(&r, NULL, "stat", "-c");
	CHECK_USAGE(&r, "stat", "option -c needs an argument");
}

static void hexdump_golden(char *const args[], const char *golden)
{
	struct result r;
	size_t len;
	char *want = read_file(golden, &len);

	if (!want)
		return;
	run_opts(&r, NULL, args);
	CHECK_OUT_LEN(&r, 0, want, len);
	free(want);
}

static void hexdump_bytes(void)
{
	struct result r;
	size_t len;
	char *bytes = read_file(DATA "bytes.bin", &len), *want;
	struct run_opts o = { .input = bytes, .input_len = len, .chunk = 7 };

	/* Against util-linux's hexdump -C (tests/system/data/utils). */
	hexdump_golden((char *[]){ "hexdump", "-C", DATA "bytes.bin", NULL },
		       DATA "bytes.hexdump");
	hexdump_golden((char *[]){ "hexdump", "-C", "-s", "3", "-n", "40",
				   DATA "bytes.bin", NULL },
		       DATA "bytes-s3-n40.hexdump");
	hexdump_golden((char *[]){ "hexdump", "-v", DATA "bytes.bin", NULL },
		       DATA "bytes-v.hexdump");
	REQUIRE(bytes);
	want = read_file(DATA "bytes.hexdump", &len);
	REQUIRE(want);
	RUN_OPTS(&r, &o, "hexdump", "-C");
	CHECK_OUT_LEN(&r, 0, want, len);
	free(want);
	free(bytes);
	RUN(&r, NULL, "hexdump", HELLO_PATH);
	CHECK_OK_OUT(
		&r, 0,
		"00000000  48 65 6c 6c 6f 20 66 72  6f 6d 20 74 68 65 20 62"
		"  |Hello from the b|\n"
		"00000010  6f 6f 74 20 61 72 63 68  69 76 65 2e 0a"
		"           |oot archive..|\n"
		"0000001d\n");
	RUN(&r, "abc", "hexdump");
	CHECK_OK_OUT(&r, 0,
		     "00000000  61 62 63"
		     "                                          |abc|\n"
		     "00000003\n");
	RUN(&r, "", "hexdump");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, "abc", "hexdump", "-s", "10");
	CHECK_OK_OUT(&r, 0, "00000003\n");
	RUN(&r, NULL, "hexdump", "/nonexistent");
	CHECK_RUN(&r, 1, "",
		  "hexdump: /nonexistent: No such file or "
		  "directory\n");
	RUN(&r, NULL, "hexdump", "-n", "x");
	CHECK_USAGE(&r, "hexdump", "invalid count 'x'");
}

const struct test file_tests[] = {
	{ "ls names", ls_names },
	{ "ls -l", ls_long },
	{ "ls columns and errors", ls_columns_and_errors },
	{ "stat", stat_files },
	{ "hexdump", hexdump_bytes },
	{ NULL, NULL },
};
