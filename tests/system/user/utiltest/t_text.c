/*
 * The text tools: cat, echo, wc, head, tail, grep, sort, uniq, tee, seq,
 * yes, and pipelines made of their captured outputs.
 */
#include <stdint.h>
#include "utiltest.h"

#define ENOENT_MSG ": No such file or directory\n"

static void cat_files(void)
{
	struct result r;
	size_t len;
	char *lines = read_file(LINES_PATH, &len);

	RUN(&r, NULL, "cat", HELLO_PATH);
	CHECK_OK_OUT(&r, 0, HELLO_TEXT);
	RUN(&r, NULL, "cat", "/test/empty");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, "mid\n", "cat", HELLO_PATH, "-", HELLO_PATH);
	CHECK_OK_OUT(&r, 0, HELLO_TEXT "mid\n" HELLO_TEXT);
	if (lines) {
		RUN(&r, NULL, "cat", LINES_PATH);
		CHECK_OUT_LEN(&r, 0, lines, len);
		RUN(&r, NULL, "cat", "initfs:" LINES_PATH);
		CHECK_OUT_LEN(&r, 0, lines, len);
	}
	free(lines);
	/* A missing file is reported and skipped; the rest is still copied. */
	RUN(&r, NULL, "cat", HELLO_PATH, "/nonexistent", HELLO_PATH);
	CHECK_RUN(&r, 1, HELLO_TEXT HELLO_TEXT, "cat: /nonexistent" ENOENT_MSG);
	RUN(&r, NULL, "cat", "/test");
	CHECK_RUN(&r, 1, "", "cat: /test: Is a directory\n");
	RUN(&r, NULL, "cat", "nosuch:/x");
	CHECK_RUN(&r, 1, "", "cat: nosuch:/x: No such device\n");
}

static void cat_stdin_and_options(void)
{
	struct run_opts o = { .input = "one\ntwo\nthree",
			      .input_len = 13,
			      .chunk = 3 };
	struct result r;
	static const char bytes[] = { 'a', '\0', 'b', '\n', (char)0xff };

	RUN(&r, "abc\ndef", "cat");
	CHECK_OK_OUT(&r, 0, "abc\ndef");
	RUN_OPTS(&r, &o, "cat", "-");
	CHECK_OK_OUT(&r, 0, "one\ntwo\nthree");
	RUN_OPTS(&r, &o, "cat", "-n");
	CHECK_OK_OUT(&r, 0, "     1\tone\n     2\ttwo\n     3\tthree");
	RUN(&r, "a\n\nb\n", "cat", "-n", "-", HELLO_PATH);
	CHECK_OK_OUT(&r, 0,
		     "     1\ta\n     2\t\n     3\tb\n     4\t" HELLO_TEXT);
	o.input = bytes;
	o.input_len = sizeof(bytes);
	RUN_OPTS(&r, &o, "cat", "-u");
	CHECK_OUT_LEN(&r, 0, bytes, sizeof(bytes));
	RUN(&r, NULL, "cat", "-x");
	CHECK_USAGE(&r, "cat", "unknown option -x");
	RUN(&r, NULL, "cat", "-h");
	CHECK_HELP(&r, "cat");
	RUN(&r, NULL, "cat", "--", "-h");
	CHECK_RUN(&r, 1, "", "cat: -h" ENOENT_MSG);
}

static void echo_args(void)
{
	struct result r;

	RUN(&r, NULL, "echo", "hello", "world");
	CHECK_OK_OUT(&r, 0, "hello world\n");
	RUN(&r, NULL, "echo");
	CHECK_OK_OUT(&r, 0, "\n");
	RUN(&r, NULL, "echo", "", "x", "");
	CHECK_OK_OUT(&r, 0, " x \n");
	RUN(&r, NULL, "echo", "-n", "a", "b");
	CHECK_OK_OUT(&r, 0, "a b");
	RUN(&r, NULL, "echo", "-e", "a\\tb\\n");
	CHECK_OK_OUT(&r, 0, "a\tb\n\n");
	RUN(&r, NULL, "echo", "-e", "x\\cy", "z");
	CHECK_OK_OUT(&r, 0, "x");
	RUN(&r, NULL, "echo", "-e", "\\0101\\0\\\\");
	CHECK_OUT_LEN(&r, 0, "A\0\\\n", 4);
	RUN(&r, NULL, "echo", "a\\tb");
	CHECK_OK_OUT(&r, 0, "a\\tb\n");
	RUN(&r, NULL, "echo", "-ne", "1\\n");
	CHECK_OK_OUT(&r, 0, "1\n");
	RUN(&r, NULL, "echo", "-nx", "--", "-n");
	CHECK_OK_OUT(&r, 0, "-nx -- -n\n");
	RUN(&r, NULL, "echo", "-h", "x");
	CHECK_OK_OUT(&r, 0, "-h x\n");
	RUN(&r, NULL, "echo", "-h");
	CHECK_HELP(&r, "echo");
}

static void wc_counts(void)
{
	struct result r;

	RUN(&r, "a\nb\nc\n", "wc", "-l");
	CHECK_OK_OUT(&r, 0, "3\n");
	RUN(&r, "hello world\nfoo\n", "wc");
	CHECK_OK_OUT(&r, 0, " 2  3 16\n");
	RUN(&r, "  a  b\tc\n\n d", "wc", "-w");
	CHECK_OK_OUT(&r, 0, "4\n");
	RUN(&r, "a\nb", "wc", "-l");
	CHECK_OK_OUT(&r, 0, "1\n");
	RUN(&r, "", "wc");
	CHECK_OK_OUT(&r, 0, "0 0 0\n");
	RUN(&r, "x y\n", "wc", "-c", "-w");
	CHECK_OK_OUT(&r, 0, "2 4\n");
	RUN(&r, NULL, "wc", "-c", HELLO_PATH);
	CHECK_OK_OUT(&r, 0, "29 " HELLO_PATH "\n");
	RUN(&r, NULL, "wc", HELLO_PATH, "/test/empty");
	CHECK_OK_OUT(&r, 0,
		     " 1  5 29 " HELLO_PATH "\n 0  0  0 /test/empty\n"
		     " 1  5 29 total\n");
	RUN(&r, NULL, "wc", "-l", LINES_PATH, "/nonexistent");
	CHECK_RUN(&r, 1, "100 " LINES_PATH "\n100 total\n",
		  "wc: /nonexistent" ENOENT_MSG);
	RUN(&r, NULL, "wc", "-q");
	CHECK_USAGE(&r, "wc", "unknown option -q");
}

static void head_lines(void)
{
	struct result r;
	char *in = numbers(15);

	RUN(&r, in, "head");
	CHECK_OK_OUT(&r, 0, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
	RUN(&r, in, "head", "-n", "3");
	CHECK_OK_OUT(&r, 0, "1\n2\n3\n");
	RUN(&r, in, "head", "-n2");
	CHECK_OK_OUT(&r, 0, "1\n2\n");
	RUN(&r, in, "head", "-4");
	CHECK_OK_OUT(&r, 0, "1\n2\n3\n4\n");
	RUN(&r, in, "head", "-n", "0");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, in, "head", "-n", "100");
	CHECK_OK_OUT(&r, 0, in);
	RUN(&r, "abcdefgh", "head", "-c", "5");
	CHECK_OK_OUT(&r, 0, "abcde");
	RUN(&r, NULL, "head", "-n", "2", LINES_PATH);
	CHECK_OK_OUT(&r, 0, "line 001\nline 002\n");
	RUN(&r, NULL, "head", "-n", "1", HELLO_PATH, LINES_PATH);
	CHECK_OK_OUT(&r, 0,
		     "==> " HELLO_PATH " <==\n" HELLO_TEXT "\n==> " LINES_PATH
		     " <==\nline 001\n");
	RUN(&r, NULL, "head", "/nonexistent");
	CHECK_RUN(&r, 1, "", "head: /nonexistent" ENOENT_MSG);
	RUN(&r, in, "head", "-n", "x");
	CHECK_USAGE(&r, "head", "invalid count 'x'");
	RUN(&r, in, "head", "-n", "-1");
	CHECK_USAGE(&r, "head", "invalid count '-1'");
	RUN(&r, in, "head", "-n");
	CHECK_USAGE(&r, "head", "option -n needs an argument");
	free(in);
}

static void tail_lines(void)
{
	struct result r;
	char *in = numbers(15);

	RUN(&r, in, "tail");
	CHECK_OK_OUT(&r, 0, "6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n");
	RUN(&r, "a\nb\nc\n", "tail", "-n", "2");
	CHECK_OK_OUT(&r, 0, "b\nc\n");
	RUN(&r, "a\nb", "tail", "-n", "1");
	CHECK_OK_OUT(&r, 0, "b");
	RUN(&r, "a\nb\n", "tail", "-n", "5");
	CHECK_OK_OUT(&r, 0, "a\nb\n");
	RUN(&r, "a\nb\n", "tail", "-n", "0");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, in, "tail", "-3");
	CHECK_OK_OUT(&r, 0, "13\n14\n15\n");
	RUN(&r, in, "tail", "-n", "+14");
	CHECK_OK_OUT(&r, 0, "14\n15\n");
	RUN(&r, "x\ny\n", "tail", "-n", "+1");
	CHECK_OK_OUT(&r, 0, "x\ny\n");
	RUN(&r, "abcdef", "tail", "-c", "4");
	CHECK_OK_OUT(&r, 0, "cdef");
	RUN(&r, "abcdef", "tail", "-c", "+3");
	CHECK_OK_OUT(&r, 0, "cdef");
	RUN(&r, "abcdef", "tail", "-c", "+10");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, NULL, "tail", "-n", "+99", LINES_PATH);
	CHECK_OK_OUT(&r, 0, "line 099\nline 100\n");
	RUN(&r, NULL, "tail", "-n", "1", HELLO_PATH, LINES_PATH);
	CHECK_OK_OUT(&r, 0,
		     "==> " HELLO_PATH " <==\n" HELLO_TEXT "\n==> " LINES_PATH
		     " <==\nline 100\n");
	RUN(&r, NULL, "tail", "/nonexistent");
	CHECK_RUN(&r, 1, "", "tail: /nonexistent" ENOENT_MSG);
	RUN(&r, in, "tail", "-n", "-1");
	CHECK_USAGE(&r, "tail", "invalid count '-1'");
	RUN(&r, in, "tail", "-f");
	CHECK_USAGE(&r, "tail", "unknown option -f");
	free(in);
}

#define FRUIT "apple\nBanana\ncherry\napricot\nbanana split\n"

static void grep_patterns(void)
{
	struct result r;

	RUN(&r, FRUIT, "grep", "an");
	CHECK_OK_OUT(&r, 0, "Banana\nbanana split\n");
	RUN(&r, FRUIT, "grep", "^a");
	CHECK_OK_OUT(&r, 0, "apple\napricot\n");
	RUN(&r, FRUIT, "grep", "y$");
	CHECK_OK_OUT(&r, 0, "cherry\n");
	RUN(&r, FRUIT, "grep", "a.a");
	CHECK_OK_OUT(&r, 0, "Banana\nbanana split\n");
	RUN(&r, FRUIT, "grep", "^[ab]");
	CHECK_OK_OUT(&r, 0, "apple\napricot\nbanana split\n");
	RUN(&r, FRUIT, "grep", "[^a-z]");
	CHECK_OK_OUT(&r, 0, "Banana\nbanana split\n");
	RUN(&r, FRUIT, "grep", "p\\{2\\}");
	CHECK_OK_OUT(&r, 0, "apple\n");
	RUN(&r, FRUIT, "grep", "\\(an\\)\\{2\\}");
	CHECK_OK_OUT(&r, 0, "Banana\nbanana split\n");
	RUN(&r, FRUIT, "grep", "^c.*y$");
	CHECK_OK_OUT(&r, 0, "cherry\n");
	RUN(&r, FRUIT, "grep", "r*y$");
	CHECK_OK_OUT(&r, 0, "cherry\n");
	RUN(&r, FRUIT, "grep", "[[:upper:]]");
	CHECK_OK_OUT(&r, 0, "Banana\n");
	RUN(&r, FRUIT, "grep", "a \\|ch");
	CHECK_OK_OUT(&r, 0, "cherry\nbanana split\n");
	RUN(&r, "a.b\naxb\n*x\n", "grep", "a\\.b");
	CHECK_OK_OUT(&r, 0, "a.b\n");
	RUN(&r, "a.b\naxb\n*x\n", "grep", "*x");
	CHECK_OK_OUT(&r, 0, "*x\n");
	RUN(&r, "a.b\naxb\n", "grep", "-F", "a.");
	CHECK_OK_OUT(&r, 0, "a.b\n");
	RUN(&r, "one\n\ntwo\n\n", "grep", "-c", "^$");
	CHECK_OK_OUT(&r, 0, "2\n");
	RUN(&r, "abc", "grep", "b");
	CHECK_OK_OUT(&r, 0, "abc\n");
	RUN(&r, FRUIT, "grep", "");
	CHECK_OK_OUT(&r, 0, FRUIT);
}

static void grep_options(void)
{
	struct result r;
	struct run_opts o = { .input = FRUIT,
			      .input_len = SIZE_MAX,
			      .chunk = 3 };

	RUN(&r, FRUIT, "grep", "-i", "BANANA");
	CHECK_OK_OUT(&r, 0, "Banana\nbanana split\n");
	RUN(&r, FRUIT, "grep", "-i", "^b[A-Z]n");
	CHECK_OK_OUT(&r, 0, "Banana\nbanana split\n");
	RUN(&r, FRUIT, "grep", "-v", "a");
	CHECK_OK_OUT(&r, 0, "cherry\n");
	RUN(&r, FRUIT, "grep", "-n", "^a");
	CHECK_OK_OUT(&r, 0, "1:apple\n4:apricot\n");
	RUN(&r, FRUIT, "grep", "-c", "an");
	CHECK_OK_OUT(&r, 0, "2\n");
	RUN(&r, FRUIT, "grep", "-vc", "a");
	CHECK_OK_OUT(&r, 0, "1\n");
	RUN(&r, FRUIT, "grep", "-vn", "p");
	CHECK_OK_OUT(&r, 0, "2:Banana\n3:cherry\n");
	RUN(&r, FRUIT, "grep", "-x", "cherry");
	CHECK_OK_OUT(&r, 0, "cherry\n");
	RUN(&r, FRUIT, "grep", "-x", "cherr");
	CHECK_OK_OUT(&r, 1, "");
	RUN(&r, FRUIT, "grep", "-e", "apple", "-e", "cherry");
	CHECK_OK_OUT(&r, 0, "apple\ncherry\n");
	RUN(&r, FRUIT, "grep", "apple\ncherry");
	CHECK_OK_OUT(&r, 0, "apple\ncherry\n");
	RUN(&r, FRUIT, "grep", "-q", "an");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, FRUIT, "grep", "-q", "zz");
	CHECK_OK_OUT(&r, 1, "");
	RUN(&r, FRUIT, "grep", "zz");
	CHECK_OK_OUT(&r, 1, "");
	RUN_OPTS(&r, &o, "grep", "-n", "an");
	CHECK_OK_OUT(&r, 0, "2:Banana\n5:banana split\n");
	RUN(&r, NULL, "grep", "Hello", HELLO_PATH, LINES_PATH);
	CHECK_OK_OUT(&r, 0, HELLO_PATH ":" HELLO_TEXT);
	RUN(&r, NULL, "grep", "-c", "line", HELLO_PATH, LINES_PATH);
	CHECK_OK_OUT(&r, 0, HELLO_PATH ":0\n" LINES_PATH ":100\n");
	RUN(&r, NULL, "grep", "-l", "line", HELLO_PATH, LINES_PATH);
	CHECK_OK_OUT(&r, 0, LINES_PATH "\n");
	RUN(&r, NULL, "grep", "line 0[0-4]5", LINES_PATH);
	CHECK_OK_OUT(&r, 0,
		     "line 005\nline 015\nline 025\nline 035\n"
		     "line 045\n");
	RUN(&r, NULL, "grep", "-n", "9$", LINES_PATH);
	CHECK_OUT_HAS(&r, "9:line 009\n19:line 019\n");
	CHECK_OUT_HAS(&r, "99:line 099\n");
}

static void grep_errors(void)
{
	struct result r;

	RUN(&r, "x", "grep", "x", "/nonexistent");
	CHECK_RUN(&r, 2, "", "grep: /nonexistent" ENOENT_MSG);
	RUN(&r, NULL, "grep", "Hello", "/nonexistent", HELLO_PATH);
	CHECK_RUN(&r, 2, HELLO_PATH ":" HELLO_TEXT,
		  "grep: /nonexistent" ENOENT_MSG);
	RUN(&r, NULL, "grep", "-q", "Hello", "/nonexistent", HELLO_PATH);
	CHECK_RUN(&r, 0, "", "grep: /nonexistent" ENOENT_MSG);
	RUN(&r, "x", "grep", "-s", "x", "/nonexistent");
	CHECK_RUN(&r, 2, "", "");
	RUN(&r, "x", "grep", "[ab");
	CHECK_RUN(&r, 2, "", "grep: unmatched [\n");
	RUN(&r, "x", "grep", "\\(a");
	CHECK_RUN(&r, 2, "", "grep: unmatched \\(\n");
	RUN(&r, "x", "grep", "a\\{3,1\\}");
	CHECK_RUN(&r, 2, "", "grep: invalid interval \\{3,1\\}\n");
	RUN(&r, "x", "grep", "\\(a\\)\\1");
	CHECK_RUN(&r, 2, "", "grep: back-references are not supported\n");
	RUN(&r, "x", "grep", "[[:nope:]]");
	CHECK_RUN(&r, 2, "", "grep: unknown character class 'nope'\n");
	RUN(&r, "x", "grep");
	CHECK_USAGE(&r, "grep", "no pattern");
	RUN(&r, "x", "grep", "-E", "x");
	CHECK_USAGE(&r, "grep", "unknown option -E");
	RUN(&r, NULL, "grep", "-h");
	CHECK_HELP(&r, "grep");
}

/* seq 1 1000 | grep 7 | wc -l, one step at a time through the captures. */
static void pipeline_271(void)
{
	struct result r;
	size_t len;
	char *seq_out, *grep_out, *want = numbers(1000);

	RUN(&r, NULL, "seq", "1", "1000");
	CHECK_OK_OUT(&r, 0, want);
	seq_out = strndup(r.out, r.out_len);
	REQUIRE(seq_out);
	RUN(&r, seq_out, "grep", "7");
	CHECK_EQ(r.status, 0);
	grep_out = strndup(r.out, r.out_len);
	REQUIRE(grep_out);
	len = 0;
	for (int i = 1; i <= 1000; i++) {
		char n[8];

		snprintf(n, sizeof(n), "%d", i);
		if (strchr(n, '7'))
			len += strlen(n) + 1;
	}
	CHECK_EQ(strlen(grep_out), len);
	RUN(&r, grep_out, "wc", "-l");
	CHECK_OK_OUT(&r, 0, "271\n");
	RUN(&r, seq_out, "grep", "-c", "7");
	CHECK_OK_OUT(&r, 0, "271\n");
	RUN(&r, seq_out, "grep", "-vc", "7");
	CHECK_OK_OUT(&r, 0, "729\n");
	free(seq_out);
	free(grep_out);
	free(want);
}

/* Checks that running `args` on the data file gives the golden file made
   on the host by the reference tool (tests/system/data/utils/README). */
static void check_golden(char *const args[], const char *golden)
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

static void sort_lines(void)
{
	struct result r;

	check_golden((char *[]){ "sort", DATA "words.txt", NULL },
		     DATA "words.sorted");
	check_golden((char *[]){ "sort", "-u", DATA "words.txt", NULL },
		     DATA "words.sorted-u");
	check_golden((char *[]){ "sort", "-n", DATA "numbers.txt", NULL },
		     DATA "numbers.sorted-n");
	check_golden((char *[]){ "sort", "-rn", DATA "numbers.txt", NULL },
		     DATA "numbers.sorted-rn");
	RUN(&r, "banana\napple\ncherry\n", "sort");
	CHECK_OK_OUT(&r, 0, "apple\nbanana\ncherry\n");
	RUN(&r, "banana\napple\ncherry\n", "sort", "-r");
	CHECK_OK_OUT(&r, 0, "cherry\nbanana\napple\n");
	RUN(&r, "10\n9\n-1\n2.5\n100\n", "sort");
	CHECK_OK_OUT(&r, 0, "-1\n10\n100\n2.5\n9\n");
	RUN(&r, "10\n9\n-1\n2.5\n100\n", "sort", "-n");
	CHECK_OK_OUT(&r, 0, "-1\n2.5\n9\n10\n100\n");
	RUN(&r, "b\na\nb\na\nc\n", "sort", "-u");
	CHECK_OK_OUT(&r, 0, "a\nb\nc\n");
	RUN(&r, "01\n1\n2\n", "sort", "-nu");
	CHECK_OK_OUT(&r, 0, "01\n2\n");
	RUN(&r, "2 b\n1 z\n2 a\n", "sort", "-n");
	CHECK_OK_OUT(&r, 0, "1 z\n2 a\n2 b\n");
	RUN(&r, "b\na", "sort");
	CHECK_OK_OUT(&r, 0, "a\nb\n");
	RUN(&r, "", "sort");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, "B\na\nA\nb\n", "sort");
	CHECK_OK_OUT(&r, 0, "A\nB\na\nb\n");
	RUN(&r, NULL, "sort", "/nonexistent");
	CHECK_RUN(&r, 1, "", "sort: /nonexistent" ENOENT_MSG);
	RUN(&r, NULL, "sort", "-k", "2");
	CHECK_USAGE(&r, "sort", "unknown option -k");
}

static void sort_big(void)
{
	struct result r;
	size_t len;
	char *lines = read_file(LINES_PATH, &len), *rev;

	REQUIRE(lines);
	RUN(&r, NULL, "sort", "-r", LINES_PATH);
	CHECK_EQ(r.status, 0);
	CHECK_EQ(r.out_len, len);
	CHECK(r.out_len >= 18 &&
	      memcmp(r.out, "line 100\nline 099\n", 18) == 0);
	rev = strndup(r.out, r.out_len);
	REQUIRE(rev);
	RUN(&r, rev, "sort");
	CHECK_OUT_LEN(&r, 0, lines, len);
	free(rev);
	/* Numbers in reverse: sort -n puts them back. */
	rev = malloc(1000 * 6);
	REQUIRE(rev);
	rev[0] = '\0';
	for (int i = 1000, n = 0; i >= 1; i--)
		n += sprintf(rev + n, "%d\n", i);
	RUN(&r, rev, "sort", "-n");
	free(lines);
	lines = numbers(1000);
	CHECK_OK_OUT(&r, 0, lines);
	free(rev);
	free(lines);
}

static void uniq_runs(void)
{
	struct result r;
	const char *in = "a\na\nb\nc\nc\nc\na\n";

	RUN(&r, in, "uniq");
	CHECK_OK_OUT(&r, 0, "a\nb\nc\na\n");
	RUN(&r, in, "uniq", "-c");
	CHECK_OK_OUT(&r, 0, "      2 a\n      1 b\n      3 c\n      1 a\n");
	RUN(&r, in, "uniq", "-d");
	CHECK_OK_OUT(&r, 0, "a\nc\n");
	RUN(&r, in, "uniq", "-u");
	CHECK_OK_OUT(&r, 0, "b\na\n");
	RUN(&r, in, "uniq", "-cd");
	CHECK_OK_OUT(&r, 0, "      2 a\n      3 c\n");
	RUN(&r, "x\nx", "uniq");
	CHECK_OK_OUT(&r, 0, "x\n");
	RUN(&r, "", "uniq");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, "A\na\n", "uniq");
	CHECK_OK_OUT(&r, 0, "A\na\n");
	RUN(&r, NULL, "uniq", DATA "words.sorted");
	CHECK_EQ(r.status, 0);
	RUN(&r, NULL, "uniq", "/nonexistent");
	CHECK_RUN(&r, 1, "", "uniq: /nonexistent" ENOENT_MSG);
	RUN(&r, NULL, "uniq", "a", "b", "c");
	CHECK_USAGE(&r, "uniq", "too many arguments");
}

/* sort | uniq -c against the host's. */
static void sort_uniq_pipeline(void)
{
	struct result r;
	size_t len;
	char *sorted, *want = read_file(DATA "words.counts", &len);

	REQUIRE(want);
	RUN(&r, NULL, "sort", DATA "words.txt");
	CHECK_EQ(r.status, 0);
	sorted = strndup(r.out, r.out_len);
	REQUIRE(sorted);
	RUN(&r, sorted, "uniq", "-c");
	CHECK_OUT_LEN(&r, 0, want, len);
	free(sorted);
	free(want);
}

static void tee_copies(void)
{
	struct result r;
	char *in = numbers(3000);

	RUN(&r, in, "tee");
	CHECK_OK_OUT(&r, 0, in);
	/* A file it cannot open is reported; the copy to stdout goes on. */
	RUN(&r, "data\n", "tee", "initfs:/test/out");
	CHECK_RUN(&r, 1, "data\n",
		  "tee: initfs:/test/out: Read-only file system\n");
	RUN(&r, "data\n", "tee", "-a", "nosuch:/x");
	CHECK_RUN(&r, 1, "data\n", "tee: nosuch:/x: No such device\n");
	RUN(&r, NULL, "tee", "-z");
	CHECK_USAGE(&r, "tee", "unknown option -z");
	free(in);
}

static void seq_numbers(void)
{
	struct result r;

	RUN(&r, NULL, "seq", "3");
	CHECK_OK_OUT(&r, 0, "1\n2\n3\n");
	RUN(&r, NULL, "seq", "2", "4");
	CHECK_OK_OUT(&r, 0, "2\n3\n4\n");
	RUN(&r, NULL, "seq", "10", "-3", "1");
	CHECK_OK_OUT(&r, 0, "10\n7\n4\n1\n");
	RUN(&r, NULL, "seq", "-2", "0");
	CHECK_OK_OUT(&r, 0, "-2\n-1\n0\n");
	RUN(&r, NULL, "seq", "0", "0.25", "1");
	CHECK_OK_OUT(&r, 0, "0.00\n0.25\n0.50\n0.75\n1.00\n");
	RUN(&r, NULL, "seq", "0", "0.1", "0.3");
	CHECK_OK_OUT(&r, 0, "0.0\n0.1\n0.2\n0.3\n");
	RUN(&r, NULL, "seq", "-w", "8", "10");
	CHECK_OK_OUT(&r, 0, "08\n09\n10\n");
	RUN(&r, NULL, "seq", "-s", ",", "1", "5");
	CHECK_OK_OUT(&r, 0, "1,2,3,4,5\n");
	RUN(&r, NULL, "seq", "-s:", "3");
	CHECK_OK_OUT(&r, 0, "1:2:3\n");
	RUN(&r, NULL, "seq", "5", "1");
	CHECK_OK_OUT(&r, 0, "");
	RUN(&r, NULL, "seq", "1", "0", "5");
	CHECK_USAGE(&r, "seq", "the increment must not be 0");
	RUN(&r, NULL, "seq", "x");
	CHECK_USAGE(&r, "seq", "invalid number 'x'");
	RUN(&r, NULL, "seq");
	CHECK_USAGE(&r, "seq", "missing LAST");
	RUN(&r, NULL, "seq", "1", "2", "3", "4");
	CHECK_USAGE(&r, "seq", "too many arguments");
	RUN(&r, NULL, "seq", "-x", "3");
	CHECK_USAGE(&r, "seq", "unknown option -x");
	RUN(&r, NULL, "seq", "-h");
	CHECK_HELP(&r, "seq");
}

/* yes writes until the output is closed (EPIPE), then SIGPIPE ends it. */
static void yes_repeats(void)
{
	struct run_opts o = { .out_limit = 10000 };
	struct result r;
	int bad = 0;

	RUN_OPTS(&r, &o, "yes");
	CHECK_EQ(r.status, 128 + 13);
	CHECK(r.signaled);
	CHECK_EQ(r.out_len, 10000);
	for (size_t i = 0; i < r.out_len; i++)
		bad += r.out[i] != (i % 2 ? '\n' : 'y');
	CHECK_EQ(bad, 0);
	CHECK_EQ(r.err_len, 0);
	RUN_OPTS(&r, &o, "yes", "ab", "c");
	CHECK_EQ(r.status, 128 + 13);
	CHECK_EQ(r.out_len, 10000);
	bad = 0;
	for (size_t i = 0; i < r.out_len; i++)
		bad += r.out[i] != "ab c\n"[i % 5];
	CHECK_EQ(bad, 0);
	RUN(&r, NULL, "yes", "-h");
	CHECK_HELP(&r, "yes");
}

/* Not on a terminal, more copies as cat does. */
static void more_copies(void)
{
	struct result r;

	RUN(&r, "one\ntwo\n", "more");
	CHECK_OK_OUT(&r, 0, "one\ntwo\n");
	RUN(&r, NULL, "more", HELLO_PATH, HELLO_PATH);
	CHECK_OK_OUT(&r, 0, HELLO_TEXT HELLO_TEXT);
	RUN(&r, NULL, "more", "/test/none");
	CHECK_FAILS(&r, 1, "more: /test/none: No such file or directory\n");
}

const struct test text_tests[] = {
	{ "more", more_copies },
	{ "cat files", cat_files },
	{ "cat stdin and options", cat_stdin_and_options },
	{ "echo", echo_args },
	{ "wc", wc_counts },
	{ "head", head_lines },
	{ "tail", tail_lines },
	{ "grep patterns", grep_patterns },
	{ "grep options", grep_options },
	{ "grep errors", grep_errors },
	{ "seq 1 1000 | grep 7 | wc -l", pipeline_271 },
	{ "sort", sort_lines },
	{ "sort big inputs", sort_big },
	{ "uniq", uniq_runs },
	{ "sort | uniq -c", sort_uniq_pipeline },
	{ "tee", tee_copies },
	{ "seq", seq_numbers },
	{ "yes", yes_repeats },
	{ NULL, NULL },
};
