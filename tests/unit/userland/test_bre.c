/*
 * Unit tests for grep's basic regular expressions (userland/grep/bre.c).
 *
 * A table of patterns, lines and the expected answer covers each feature
 * and each error; then random patterns over a small alphabet are checked
 * against the host C library's regcomp/regexec (glibc, POSIX BREs with
 * the same GNU extensions), as an independent judge, on random lines.
 * Lines are exact heap copies, so ASan catches a read past their end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>
#include <cmocka.h>

#include "bre.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int match_flags(const char *pattern, const char *line, int flags)
{
	struct bre re;
	char err[128];
	size_t len = strlen(line);
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, line, len);
	if (bre_compile(&re, pattern, strlen(pattern), flags, err,
			sizeof(err)) < 0) {
		free(copy);
		fail_msg("'%s' did not compile: %s", pattern, err);
	}
	r = bre_match(&re, copy, len);
	bre_free(&re);
	free(copy);
	return r;
}

static const struct {
	const char *pattern, *line;
	int flags, want;
} cases[] = {
	{ "abc", "xxabcxx", 0, 1 },
	{ "abc", "abx", 0, 0 },
	{ "", "anything", 0, 1 },
	{ "", "", 0, 1 },
	{ "a.c", "abc", 0, 1 },
	{ "a.c", "ac", 0, 0 },
	{ "ab*c", "ac", 0, 1 },
	{ "ab*c", "abbbbc", 0, 1 },
	{ "ab*c", "abxc", 0, 0 },
	{ "^abc", "abcd", 0, 1 },
	{ "^abc", "xabc", 0, 0 },
	{ "abc$", "xabc", 0, 1 },
	{ "abc$", "abcx", 0, 0 },
	{ "^$", "", 0, 1 },
	{ "^$", "x", 0, 0 },
	{ "a^b", "a^b", 0, 1 }, /* ^ not first: a character */
	{ "a$b", "a$b", 0, 1 }, /* $ not last: a character */
	{ "*a", "x*a", 0, 1 },	/* * first: a character */
	{ "^*a", "*a", 0, 1 },	/* * after a leading ^ too */
	{ "^*a", "a", 0, 0 },
	{ "\\(*a\\)", "*a", 0, 1 }, /* and at the start of a group */
	{ "[abc]x", "bx", 0, 1 },
	{ "[abc]x", "dx", 0, 0 },
	{ "[^abc]x", "dx", 0, 1 },
	{ "[^abc]x", "ax", 0, 0 },
	{ "[a-c]", "b", 0, 1 },
	{ "[a-c]", "d", 0, 0 },
	{ "[]a]", "]", 0, 1 },
	{ "[^]a]", "]", 0, 0 },
	{ "[a-]", "-", 0, 1 },
	{ "[[:digit:]][[:alpha:]]", "x1y", 0, 1 },
	{ "[[:digit:]][[:alpha:]]", "x1-", 0, 0 },
	{ "[[:space:]]", "a b", 0, 1 },
	{ "[[:upper:]]", "abc", 0, 0 },
	{ "[\\]", "\\", 0, 1 }, /* a backslash is a character in [] */
	{ "a\\.c", "a.c", 0, 1 },
	{ "a\\.c", "abc", 0, 0 },
	{ "a\\*", "a*", 0, 1 },
	{ "a\\*", "aa", 0, 0 },
	{ "\\[x\\]", "[x]", 0, 1 },
	{ "\\^\\$", "^$", 0, 1 },
	{ "\\\\", "a\\b", 0, 1 },
	{ "\\(ab\\)*c", "ababc", 0, 1 },
	{ "^\\(ab\\)*$", "abab", 0, 1 },
	{ "^\\(ab\\)*$", "aba", 0, 0 },
	{ "^a\\{3\\}$", "aaa", 0, 1 },
	{ "^a\\{3\\}$", "aa", 0, 0 },
	{ "^a\\{2,\\}$", "aaaaa", 0, 1 },
	{ "^a\\{2,\\}$", "a", 0, 0 },
	{ "^a\\{1,2\\}$", "aa", 0, 1 },
	{ "^a\\{1,2\\}$", "aaa", 0, 0 },
	{ "^a\\{0,0\\}$", "", 0, 1 },
	{ "^\\(a\\|b\\)\\{2\\}$", "ba", 0, 1 },
	{ "cat\\|dog", "hotdog", 0, 1 },
	{ "cat\\|dog", "cow", 0, 0 },
	{ "^\\(cat\\|dog\\|cow\\)$", "cow", 0, 1 },
	{ "ab\\+c", "abbc", 0, 1 },
	{ "ab\\+c", "ac", 0, 0 },
	{ "ab\\?c", "ac", 0, 1 },
	{ "ab\\?c", "abbc", 0, 0 },
	{ "\\(a*\\)*b", "aaab", 0, 1 }, /* empty loops end */
	{ "\\(a*\\)*$", "", 0, 1 },
	{ "a**", "aaa", 0, 1 },
	{ "HeLLo", "hello", BRE_ICASE, 1 },
	{ "[a-c]x", "BX", BRE_ICASE, 1 },
	{ "[^a]", "A", BRE_ICASE, 0 },
	{ "hello", "HELLO", 0, 0 },
	{ "a.c", "a.c", BRE_LITERAL, 1 },
	{ "a.c", "abc", BRE_LITERAL, 0 },
	{ "[x*", "a[x*b", BRE_LITERAL, 1 },
	{ "abc", "abc", BRE_WHOLE, 1 },
	{ "abc", "abcd", BRE_WHOLE, 0 },
	{ "b*", "bbb", BRE_WHOLE, 1 },
	{ "b*", "bab", BRE_WHOLE, 0 },
	{ "7", "17", 0, 1 },
};

static void table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int got = match_flags(cases[i].pattern, cases[i].line,
				      cases[i].flags);

		if (got != cases[i].want)
			fail_msg("'%s' on '%s' (flags %d): got %d",
				 cases[i].pattern, cases[i].line,
				 cases[i].flags, got);
	}
}

static void nul_and_high_bytes(void **state)
{
	struct bre re;
	char err[64];
	const char line[] = { 'a', '\0', 'b', (char)0xe9 };

	assert_int_equal(bre_compile(&re, "a.b", 3, 0, err, sizeof(err)), 0);
	assert_int_equal(bre_match(&re, line, 3), 1);
	bre_free(&re);
	assert_int_equal(bre_compile(&re, "b[^a]$", 6, 0, err, sizeof(err)), 0);
	assert_int_equal(bre_match(&re, line, 4), 1);
	bre_free(&re);
	/* A NUL in the pattern is an ordinary character. */
	assert_int_equal(bre_compile(&re, "a\0b", 3, 0, err, sizeof(err)), 0);
	assert_int_equal(bre_match(&re, line, 3), 1);
	assert_int_equal(bre_match(&re, "ab", 2), 0);
	bre_free(&re);
}

static const struct {
	const char *pattern, *message;
} errors[] = {
	{ "[abc", "unmatched [" },
	{ "[", "unmatched [" },
	{ "[[:alpha:]", "unmatched [" },
	{ "[[:nosuch:]]", "unknown character class 'nosuch'" },
	{ "[z-a]", "invalid range z-a" },
	{ "[[.a.]]", "collating elements and equivalence classes are not "
		     "supported" },
	{ "[[=a=]]", "collating elements and equivalence classes are not "
		     "supported" },
	{ "\\(ab", "unmatched \\(" },
	{ "ab\\)", "unmatched \\)" },
	{ "a\\{2", "unmatched \\{" },
	{ "a\\{x\\}", "invalid interval" },
	{ "a\\{3,2\\}", "invalid interval \\{3,2\\}" },
	{ "a\\{256\\}", "interval count above 255" },
	{ "\\(a\\)\\1", "back-references are not supported" },
	{ "abc\\", "trailing backslash" },
	{ "a*********", "more than 8 repetitions in a row" },
	{ "\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\("
	  "\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(a",
	  "groups nested deeper than 32" },
	{ "\\(a\\{255\\}\\)\\{255\\}", "regular expression too big" },
};

static void compile_errors(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
		struct bre re;
		char err[128] = "";

		if (bre_compile(&re, errors[i].pattern,
				strlen(errors[i].pattern), 0, err,
				sizeof(err)) == 0) {
			bre_free(&re);
			fail_msg("'%s' compiled", errors[i].pattern);
		}
		if (strcmp(err, errors[i].message) != 0)
			fail_msg("'%s': '%s', want '%s'", errors[i].pattern,
				 err, errors[i].message);
	}
}

/* A long pattern and line: no deep recursion, linear matching. */
static void long_inputs(void **state)
{
	size_t n = 100000;
	char *pat = malloc(n + 1), *line = malloc(n);
	struct bre re;
	char err[64];

	assert_non_null(pat);
	assert_non_null(line);
	for (size_t i = 0; i < n; i++)
		pat[i] = i % 2 ? '*' : 'a';
	/* "a*a*a*...": 50,000 loops is over the program limit. */
	assert_int_equal(bre_compile(&re, pat, n, 0, err, sizeof(err)), -1);
	memset(pat, 'x', 1000);
	assert_int_equal(bre_compile(&re, pat, 1000, 0, err, sizeof(err)), 0);
	memset(line, 'x', n);
	assert_int_equal(bre_match(&re, line, n), 1);
	line[n / 2] = 'y';
	assert_int_equal(bre_match(&re, line, 999), 0);
	bre_free(&re);
	/* The classic blow-up for backtracking matchers. */
	assert_int_equal(
		bre_compile(&re, "^\\(a*\\)*b$", 10, 0, err, sizeof(err)), 0);
	memset(line, 'a', 5000);
	assert_int_equal(bre_match(&re, line, 5000), 0);
	bre_free(&re);
	free(pat);
	free(line);
}

/* ---- against the host's regexec ---- */

static uint64_t rng = 0x243f6a8885a308d3ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Pieces whose meaning glibc and bre agree on. */
static const char *const atoms[] = {
	"a",	    "b",	  "c", ".",	      "[ab]",	 "[^a]",
	"[a-c]",    "\\.",	  "x", "[[:alpha:]]", "\\(a\\)", "\\(ab\\|c\\)",
	"\\(b*\\)", "\\(a\\|\\)",
};
static const char *const repeats[] = {
	"", "", "", "*", "\\{2\\}", "\\{1,2\\}", "\\{0,\\}", "\\+", "\\?",
};

static void random_pattern(char *out, size_t size)
{
	size_t len = 0;
	int pieces = (int)rnd(5);

	out[0] = '\0';
	if (rnd(4) == 0)
		len += (size_t)snprintf(out + len, size - len, "^");
	for (int i = 0; i < pieces; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					atoms[rnd(ARRAY_SIZE(atoms))],
					repeats[rnd(ARRAY_SIZE(repeats))]);
	if (rnd(4) == 0)
		snprintf(out + len, size - len, "$");
}

static void against_regexec(void **state)
{
	char pattern[256], line[16];
	int checked = 0;

	for (int round = 0; round < 3000; round++) {
		regex_t host;
		int flags = rnd(3) == 0 ? BRE_ICASE : 0;

		random_pattern(pattern, sizeof(pattern));
		if (regcomp(&host, pattern,
			    REG_NOSUB | (flags ? REG_ICASE : 0)) != 0)
			fail_msg("host rejects '%s'", pattern);
		for (int k = 0; k < 20; k++) {
			size_t n = rnd(sizeof(line) - 1);
			int want, got;

			for (size_t i = 0; i < n; i++)
				line[i] = "abcxAB."[rnd(7)];
			line[n] = '\0';
			want = regexec(&host, line, 0, NULL, 0) == 0;
			got = match_flags(pattern, line, flags);
			if (got != want)
				fail_msg("'%s' on '%s' (icase %d): bre %d, "
					 "regexec %d",
					 pattern, line, flags, got, want);
			checked++;
		}
		regfree(&host);
	}
	assert_int_equal(checked, 60000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(nul_and_high_bytes),
		cmocka_unit_test(compile_errors),
		cmocka_unit_test(long_inputs),
		cmocka_unit_test(against_regexec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
