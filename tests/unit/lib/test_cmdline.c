/*
 * Unit tests for the kernel command line parser (kernel/lib/cmdline.c).
 *
 * Covered: NULL / empty / whitespace-only text, key=value and bare keys,
 * the last duplicate winning, '=' inside values, quoting (the first '='
 * splits even inside quotes: "k=a b" is k="a b"), unterminated
 * quotes, the option-count and length limits (keeping what fits), all
 * separators, cmdline_get / cmdline_has, and that the parser never writes
 * outside cl->buf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cmdline.h"

static struct cmdline cl;

/* opts[i] as "key=value" for compact checks. */
static void expect_opt(unsigned i, const char *key, const char *value)
{
	assert_true(i < cl.count);
	assert_string_equal(cl.opts[i].key, key);
	assert_string_equal(cl.opts[i].value, value);
}

/* Keys and values must live inside cl.buf. */
static void expect_inside_buf(void)
{
	for (unsigned i = 0; i < cl.count; i++) {
		const char *k = cl.opts[i].key, *v = cl.opts[i].value;

		assert_true(k >= cl.buf && k < cl.buf + sizeof(cl.buf));
		assert_true(v >= cl.buf && v < cl.buf + sizeof(cl.buf));
		assert_true(k + strlen(k) < cl.buf + sizeof(cl.buf));
		assert_true(v + strlen(v) < cl.buf + sizeof(cl.buf));
	}
}

static void test_empty(void **state)
{
	static const char *const texts[] = { "", " ", "   ", "\t", "\n",
					     " \t\r\n \t" };

	cl.count = 99;
	assert_int_equal(cmdline_parse(&cl, NULL), 0);
	assert_int_equal(cl.count, 0);
	assert_null(cmdline_get(&cl, "a"));
	assert_false(cmdline_has(&cl, ""));

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		cl.count = 99;
		assert_int_equal(cmdline_parse(&cl, texts[i]), 0);
		assert_int_equal(cl.count, 0);
		assert_false(cmdline_has(&cl, "a"));
	}
}

static void test_key_value_and_bare(void **state)
{
	assert_int_equal(cmdline_parse(&cl, "console=serial quiet loglevel=7"),
			 0);
	assert_int_equal(cl.count, 3);
	expect_opt(0, "console", "serial");
	expect_opt(1, "quiet", "");
	expect_opt(2, "loglevel", "7");
	expect_inside_buf();

	assert_string_equal(cmdline_get(&cl, "console"), "serial");
	assert_string_equal(cmdline_get(&cl, "quiet"), "");
	assert_string_equal(cmdline_get(&cl, "loglevel"), "7");
	assert_null(cmdline_get(&cl, "console=serial"));
	assert_null(cmdline_get(&cl, "consol"));
	assert_null(cmdline_get(&cl, "consolee"));
	assert_null(cmdline_get(&cl, ""));

	/* An empty value is still a value. */
	assert_int_equal(cmdline_parse(&cl, "root= x"), 0);
	assert_int_equal(cl.count, 2);
	expect_opt(0, "root", "");
	assert_true(cmdline_has(&cl, "root"));

	/* Leading/trailing whitespace and runs of it. */
	assert_int_equal(cmdline_parse(&cl, "   a=1     b   "), 0);
	assert_int_equal(cl.count, 2);
	expect_opt(0, "a", "1");
	expect_opt(1, "b", "");
}

static void test_caller_text_not_modified(void **state)
{
	char text[] = "a=1 \"b c\"=d";
	char saved[sizeof(text)];

	memcpy(saved, text, sizeof(text));
	assert_int_equal(cmdline_parse(&cl, text), 0);
	assert_memory_equal(text, saved, sizeof(text));
	/* The options are copies: changing the text changes nothing. */
	memset(text, 'x', sizeof(text) - 1);
	assert_string_equal(cmdline_get(&cl, "a"), "1");
	assert_string_equal(cmdline_get(&cl, "b c"), "d");
}

static void test_last_duplicate_wins(void **state)
{
	assert_int_equal(cmdline_parse(&cl, "a=1 b=2 a=3 c a=4 b"), 0);
	assert_int_equal(cl.count, 6);
	assert_string_equal(cmdline_get(&cl, "a"), "4");
	assert_string_equal(cmdline_get(&cl, "b"), "");	/* bare, later */
	assert_string_equal(cmdline_get(&cl, "c"), "");
	/* All occurrences are kept in order. */
	expect_opt(0, "a", "1");
	expect_opt(2, "a", "3");
	expect_opt(5, "b", "");
}

static void test_equals_in_value(void **state)
{
	assert_int_equal(cmdline_parse(&cl, "root=UUID=ab-cd init==x k=="), 0);
	assert_int_equal(cl.count, 3);
	expect_opt(0, "root", "UUID=ab-cd");
	expect_opt(1, "init", "=x");
	expect_opt(2, "k", "=");

	/* No key: not an option. */
	assert_int_equal(cmdline_parse(&cl, "=x = ==y z"), 0);
	assert_int_equal(cl.count, 1);
	expect_opt(0, "z", "");
}

static void test_quotes(void **state)
{
	assert_int_equal(cmdline_parse(&cl, "a=\"x y\" b"), 0);
	assert_int_equal(cl.count, 2);
	expect_opt(0, "a", "x y");
	expect_opt(1, "b", "");

	/* Quotes may appear anywhere in a word and are removed. */
	assert_int_equal(cmdline_parse(&cl, "\"a b\"=c d=\"\" e=x\"  \"y"),
			 0);
	assert_int_equal(cl.count, 3);
	expect_opt(0, "a b", "c");
	expect_opt(1, "d", "");
	expect_opt(2, "e", "x  y");

	/*
	 * The first '=' splits, quoted or not: "key=a b" is key="a b".
	 * Later '=' stay in the value; tabs and newlines inside quotes stay.
	 */
	assert_int_equal(cmdline_parse(&cl, "\"k=a b\" m=\"1=2\" \"n=x=y\" "
					    "t=\"a\tb\nc\""), 0);
	assert_int_equal(cl.count, 4);
	expect_opt(0, "k", "a b");
	expect_opt(1, "m", "1=2");
	expect_opt(2, "n", "x=y");
	expect_opt(3, "t", "a\tb\nc");

	/* A quoted empty word is no option. */
	assert_int_equal(cmdline_parse(&cl, "\"\" a \"\""), 0);
	assert_int_equal(cl.count, 1);
	expect_opt(0, "a", "");
	expect_inside_buf();
}

static void test_unterminated_quote(void **state)
{
	assert_int_equal(cmdline_parse(&cl, "a=\"x y"), -EINVAL);
	assert_int_equal(cmdline_parse(&cl, "\""), -EINVAL);
	assert_int_equal(cmdline_parse(&cl, "a=\"1\" b=\"2\"\""), -EINVAL);

	/* The options before the bad one are kept. */
	assert_int_equal(cmdline_parse(&cl, "a=1 b c=\"oops"), -EINVAL);
	assert_int_equal(cl.count, 2);
	expect_opt(0, "a", "1");
	expect_opt(1, "b", "");
	assert_false(cmdline_has(&cl, "c"));
}

static void test_separators(void **state)
{
	assert_int_equal(cmdline_parse(&cl, "a=1\tb=2\nc\r\nd\t \n e=5\r"), 0);
	assert_int_equal(cl.count, 5);
	expect_opt(0, "a", "1");
	expect_opt(1, "b", "2");
	expect_opt(2, "c", "");
	expect_opt(3, "d", "");
	expect_opt(4, "e", "5");
}

/* Text of `n` options "o0 o1 ...". */
static void make_opts(char *buf, size_t size, unsigned n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "o%u=%u ", i, i);
}

static void test_too_many_options(void **state)
{
	char text[1024], key[16];

	make_opts(text, sizeof(text), CMDLINE_MAX_OPTS);
	assert_int_equal(cmdline_parse(&cl, text), 0);
	assert_int_equal(cl.count, CMDLINE_MAX_OPTS);

	make_opts(text, sizeof(text), CMDLINE_MAX_OPTS + 5);
	assert_int_equal(cmdline_parse(&cl, text), -E2BIG);
	assert_int_equal(cl.count, CMDLINE_MAX_OPTS);
	for (unsigned i = 0; i < CMDLINE_MAX_OPTS; i++) {
		snprintf(key, sizeof(key), "o%u", i);
		assert_true(cmdline_has(&cl, key));
	}
	snprintf(key, sizeof(key), "o%u", CMDLINE_MAX_OPTS);
	assert_false(cmdline_has(&cl, key));
	expect_opt(CMDLINE_MAX_OPTS - 1, "o31", "31");
	expect_inside_buf();

	/* Trailing whitespace after exactly the limit is fine. */
	make_opts(text, sizeof(text), CMDLINE_MAX_OPTS);
	strcat(text, "   \t");
	assert_int_equal(cmdline_parse(&cl, text), 0);
}

static void test_too_long(void **state)
{
	char text[CMDLINE_MAX_LEN * 2];

	/* The longest word that fits: CMDLINE_MAX_LEN - 1 chars + NUL. */
	memset(text, 'k', CMDLINE_MAX_LEN - 1);
	text[CMDLINE_MAX_LEN - 1] = '\0';
	assert_int_equal(cmdline_parse(&cl, text), 0);
	assert_int_equal(cl.count, 1);
	assert_int_equal(strlen(cl.opts[0].key), CMDLINE_MAX_LEN - 1);
	expect_inside_buf();

	/* One more does not. */
	memset(text, 'k', CMDLINE_MAX_LEN);
	text[CMDLINE_MAX_LEN] = '\0';
	assert_int_equal(cmdline_parse(&cl, text), -E2BIG);
	assert_int_equal(cl.count, 0);

	/* What fits before the long word is kept. */
	strcpy(text, "a=1 b ");
	memset(text + 6, 'x', 600);
	strcpy(text + 606, " c=3");
	assert_int_equal(cmdline_parse(&cl, text), -E2BIG);
	assert_int_equal(cl.count, 2);
	expect_opt(0, "a", "1");
	expect_opt(1, "b", "");
	assert_false(cmdline_has(&cl, "c"));
	expect_inside_buf();

	/* Many short words adding up to more than the buffer. */
	text[0] = '\0';
	for (int i = 0; i < 30; i++)
		strcat(text, "abcdefghijklmnopqrstuvwxyz ");
	assert_int_equal(cmdline_parse(&cl, text), -E2BIG);
	assert_int_equal(cl.count, CMDLINE_MAX_LEN / 27);	/* 18 fit */
	expect_inside_buf();

	/* Whitespace does not count against the limit. */
	memset(text, ' ', 900);
	strcpy(text + 900, "a=1");
	assert_int_equal(cmdline_parse(&cl, text), 0);
	expect_opt(0, "a", "1");
}

static void test_has(void **state)
{
	assert_int_equal(cmdline_parse(&cl, "quiet debug= nosmp=0"), 0);
	assert_true(cmdline_has(&cl, "quiet"));
	assert_true(cmdline_has(&cl, "debug"));
	assert_true(cmdline_has(&cl, "nosmp"));
	assert_false(cmdline_has(&cl, "quie"));
	assert_false(cmdline_has(&cl, "quietx"));
	assert_false(cmdline_has(&cl, "Quiet"));
	assert_false(cmdline_has(&cl, "nosmp=0"));
	assert_false(cmdline_has(&cl, "smp"));

	/* A reparse forgets the old options. */
	assert_int_equal(cmdline_parse(&cl, "other"), 0);
	assert_false(cmdline_has(&cl, "quiet"));
	assert_true(cmdline_has(&cl, "other"));
}

/*
 * The buffer filled exactly (one CMDLINE_MAX_LEN - 1 character word and
 * its NUL), then quoted empty words.  copy_word() checks for room only
 * before copying a character, so each `""` still stores its NUL at
 * cl->buf[CMDLINE_MAX_LEN], [CMDLINE_MAX_LEN + 1], ...: past the buffer,
 * over cl->opts[0].key.  Whatever the return value, nothing outside
 * cl->buf may change.
 */
static const char *text_key(size_t n)
{
	static char k[CMDLINE_MAX_LEN];

	memset(k, 'k', n);
	k[n] = '\0';
	return k;
}

static void test_empty_words_after_full_buffer(void **state)
{
	static struct cmdline c;
	char text[CMDLINE_MAX_LEN + 200];
	size_t n = CMDLINE_MAX_LEN - 1;
	int ret;

	memset(text, 'k', n);
	text[n] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(text, " \"\"");

	memset(&c, 0x77, sizeof(c));
	ret = cmdline_parse(&c, text);
	assert_true(ret == 0 || ret == -E2BIG);
	assert_int_equal(c.count, 1);
	assert_ptr_equal(c.opts[0].key, c.buf);
	assert_int_equal(strlen(c.opts[0].key), n);
	assert_ptr_equal(c.opts[0].value, c.buf + n);
	assert_string_equal(c.opts[0].value, "");
	assert_string_equal(cmdline_get(&c, text_key(n)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_key_value_and_bare),
		cmocka_unit_test(test_caller_text_not_modified),
		cmocka_unit_test(test_last_duplicate_wins),
		cmocka_unit_test(test_equals_in_value),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_too_many_options),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_empty_words_after_full_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
