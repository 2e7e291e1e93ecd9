/*
 * Unit tests for the shell's line editor (userland/sh/edit.c) and its
 * history (history.c): keys in, the line and what the terminal was sent
 * out.  Every key of the documented set: insertion, the arrows and their
 * other spellings, Home/End, Backspace/Delete, ^U ^K ^W ^Y, history
 * up/down with the line being typed kept, Tab completion with a fake
 * completer, ^C, ^D, a line wider than the terminal, a full buffer and
 * escape sequences the editor does not know.
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

#include "sh.h"

struct shell sh; /* util.c's messages look at it */

static char term[1 << 16]; /* what the editor wrote */
static size_t term_len;

/* Keeps what was written since start(), or the latest part of it. */
static void out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	assert_true(n < sizeof(term));
	if (term_len + n >= sizeof(term))
		term_len = 0;
	memcpy(term + term_len, s, n);
	term_len += n;
	term[term_len] = '\0';
}

static struct editor ed;
static struct history hist;

static void start(int cols)
{
	term_len = 0;
	term[0] = '\0';
	edit_start(&ed, "$ ", cols, &hist, out, NULL);
}

/* Feeds keys; returns the status after the last one. */
static enum edit_status keys(const char *k)
{
	enum edit_status st = ED_MORE;

	for (; *k; k++)
		st = edit_key(&ed, (unsigned char)*k);
	return st;
}

static void setup_history(void)
{
	history_free(&hist);
	history_init(&hist, 4);
}

static void test_typing_and_enter(void **state)
{
	start(80);
	assert_int_equal(keys("echo hi"), ED_MORE);
	assert_string_equal(term, "echo hi"); /* at the end: echoed only */
	assert_int_equal(keys("\r"), ED_DONE);
	assert_string_equal(ed.buf, "echo hi");
	assert_string_equal(term, "echo hi"); /* the caller ends the line */
	start(80);
	assert_int_equal(keys("x\n"), ED_DONE); /* \n ends a line too */
	assert_string_equal(ed.buf, "x");
	edit_end(&ed);
}

static void test_left_right_insert(void **state)
{
	start(80);
	keys("abc\x1b[D\x1b[DX");
	assert_string_equal(ed.buf, "aXbc");
	assert_int_equal(ed.pos, 2);
	keys("\x1b[C\x1b[CY"); /* right twice: the end */
	assert_string_equal(ed.buf, "aXbcY");
	keys("\x02\x02Z\x06W"); /* ^B ^B Z ^F W */
	assert_string_equal(ed.buf, "aXbZcWY");
	keys("\x1b[C\x1b[C\x1b[C"); /* past the end: stays */
	assert_int_equal(ed.pos, ed.len);
	keys("\x01\x1b[D"); /* before the start: stays */
	assert_int_equal(ed.pos, 0);
	edit_end(&ed);
}

static void test_home_end_spellings(void **state)
{
	static const char *const home[] = { "\x01", "\x1b[H", "\x1b[1~",
					    "\x1b[7~", "\x1bOH" };
	static const char *const end[] = { "\x05", "\x1b[F", "\x1b[4~",
					   "\x1b[8~", "\x1bOF" };

	for (size_t i = 0; i < 5; i++) {
		start(80);
		keys("hello");
		keys(home[i]);
		assert_int_equal(ed.pos, 0);
		keys(">");
		assert_string_equal(ed.buf, ">hello");
		keys(end[i]);
		assert_int_equal(ed.pos, ed.len);
		keys("<");
		assert_string_equal(ed.buf, ">hello<");
		edit_end(&ed);
	}
}

static void test_backspace_delete(void **state)
{
	start(80);
	keys("abcd\x7f"); /* DEL: backspace */
	assert_string_equal(ed.buf, "abc");
	keys("\x08"); /* ^H */
	assert_string_equal(ed.buf, "ab");
	keys("\x01\x1b[3~"); /* Home, Delete */
	assert_string_equal(ed.buf, "b");
	keys("\x04"); /* ^D on a non-empty line deletes */
	assert_string_equal(ed.buf, "");
	assert_int_equal(keys("\x04"), ED_EOF); /* on an empty one: the end */
	start(80);
	keys("\x7f\x1b[3~"); /* nothing to remove: nothing happens */
	assert_string_equal(ed.buf, "");
	edit_end(&ed);
}

static void test_kills_and_yank(void **state)
{
	start(80);
	keys("one two three");
	keys("\x17"); /* ^W */
	assert_string_equal(ed.buf, "one two ");
	keys("\x17");
	assert_string_equal(ed.buf, "one ");
	keys("\x19"); /* ^Y: the last kill */
	assert_string_equal(ed.buf, "one two ");
	keys("\x01\x1b[C\x1b[C\x1b[C\x0b"); /* after "one", ^K */
	assert_string_equal(ed.buf, "one");
	keys("\x15"); /* ^U */
	assert_string_equal(ed.buf, "");
	keys("\x19");
	assert_string_equal(ed.buf, "one");
	edit_end(&ed);
}

static void test_words(void **state)
{
	start(80);
	keys("cat /etc/motd now");
	keys("\x1b"
	     "b");
	assert_int_equal(ed.pos, strlen("cat /etc/motd "));
	keys("\x1b"
	     "b\x1b"
	     "b");
	assert_int_equal(ed.pos, strlen("cat /"));
	keys("\x1b"
	     "f");
	assert_int_equal(ed.pos, strlen("cat /etc"));
	edit_end(&ed);
}

static void test_history(void **state)
{
	setup_history();
	history_add(&hist, "first\n");
	history_add(&hist, "second");
	history_add(&hist, "second"); /* the same again: once */
	history_add(&hist, "   ");    /* blank: not kept */
	assert_int_equal(hist.n, 2);
	start(80);
	keys("draft");
	keys("\x1b[A");
	assert_string_equal(ed.buf, "second");
	keys("\x1b[A");
	assert_string_equal(ed.buf, "first");
	keys("\x1b[A"); /* the oldest: stays */
	assert_string_equal(ed.buf, "first");
	keys("\x1b[B");
	assert_string_equal(ed.buf, "second");
	keys("\x0e"); /* ^N: back to what was being typed */
	assert_string_equal(ed.buf, "draft");
	keys("\x1b[B");
	assert_string_equal(ed.buf, "draft");
	keys("\x10 more"); /* ^P, then edit the old line */
	assert_string_equal(ed.buf, "second more");
	assert_int_equal(keys("\r"), ED_DONE);
	edit_end(&ed);
}

static void test_history_limit(void **state)
{
	char line[16];

	setup_history();
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "cmd %d", i);
		history_add(&hist, line);
	}
	assert_int_equal(hist.n, 4);
	assert_string_equal(history_get(&hist, 0), "cmd 6");
	assert_string_equal(history_get(&hist, 3), "cmd 9");
	assert_null(history_get(&hist, 4));
}

static void test_interrupt(void **state)
{
	start(80);
	keys("half a line");
	assert_int_equal(keys("\x03"), ED_INTERRUPT);
	assert_string_equal(ed.buf, "");
	assert_non_null(strstr(term, "^C\r\n"));
	edit_end(&ed);
}

static void test_wide_line_scrolls(void **state)
{
	char want[64];

	start(20);
	for (int i = 0; i < 50; i++) {
		char c = (char)('a' + i % 26);

		edit_key(&ed, (unsigned char)c);
		want[i] = c;
	}
	want[50] = '\0';
	assert_string_equal(ed.buf, want);
	/* each redraw shows at most the columns after the prompt */
	for (char *p = strstr(term, "\r$ "); p; p = strstr(p + 1, "\r$ ")) {
		char *e = strstr(p, "\x1b[K");

		assert_non_null(e);
		assert_true(e - (p + 3) <= 20 - 2 - 1);
	}
	keys("\x01");
	assert_int_equal(ed.pos, 0);
	edit_end(&ed);
}

static void test_full_buffer(void **state)
{
	start(80);
	for (int i = 0; i < EDIT_LINE_MAX + 50; i++)
		edit_key(&ed, 'x');
	assert_int_equal(ed.len, EDIT_LINE_MAX - 1);
	assert_int_equal(strlen(ed.buf), EDIT_LINE_MAX - 1);
	assert_int_equal(keys("\r"), ED_DONE);
	edit_end(&ed);
}

/* A fake completer: names from a list that start with the word. */
static const char *const names[] = { "alpha", "alps", "beta/", "my\\ file",
				     NULL };
static char seen_word[64];

static void fake_complete(void *ctx, const char *buf, size_t start, size_t pos,
			  struct strvec *out)
{
	size_t n = pos - start;

	(void)ctx;
	snprintf(seen_word, sizeof(seen_word), "%.*s", (int)n, buf + start);
	for (int i = 0; names[i]; i++)
		if (strncmp(names[i], buf + start, n) == 0)
			sv_add(out, xstrdup(names[i]));
}

static void test_completion(void **state)
{
	start(80);
	ed.complete = fake_complete;
	keys("ls al\t");
	assert_string_equal(seen_word, "al");
	assert_string_equal(ed.buf, "ls alp"); /* what both start with */
	term_len = 0;
	keys("\t"); /* nothing more to add: the bell */
	assert_string_equal(term, "\a");
	keys("\t"); /* the second Tab in a row lists them */
	assert_non_null(strstr(term, "alpha  alps"));
	assert_string_equal(ed.buf, "ls alp");
	keys("h\t");
	assert_string_equal(ed.buf, "ls alpha "); /* one: whole, a blank */
	keys("b\t");
	assert_string_equal(ed.buf,
			    "ls alpha beta/"); /* a directory: no blank */
	keys(" my\t");
	assert_string_equal(ed.buf, "ls alpha beta/ my\\ file ");
	keys(" zz\t"); /* no candidate: the bell, nothing changes */
	assert_string_equal(ed.buf, "ls alpha beta/ my\\ file  zz");
	keys("\x01\t"); /* at the start: an empty word, several names */
	assert_string_equal(seen_word, "");
	assert_string_equal(ed.buf, "ls alpha beta/ my\\ file  zz");
	edit_end(&ed);
	start(80); /* no completer: Tab rings */
	term_len = 0;
	keys("x\t");
	assert_string_equal(ed.buf, "x");
	assert_non_null(strchr(term, '\a'));
	edit_end(&ed);
}

static void test_unknown_sequences(void **state)
{
	start(80);
	keys("ab\x1b[99~\x1b[1;5Z\x1bZ\x1b[123456789012345678~c");
	assert_string_equal(ed.buf, "abc");
	keys("\x07\x14\x1f"); /* other control keys: ignored */
	assert_string_equal(ed.buf, "abc");
	edit_end(&ed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing_and_enter),
		cmocka_unit_test(test_left_right_insert),
		cmocka_unit_test(test_home_end_spellings),
		cmocka_unit_test(test_backspace_delete),
		cmocka_unit_test(test_kills_and_yank),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_history_limit),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_wide_line_scrolls),
		cmocka_unit_test(test_full_buffer),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_unknown_sequences),
	};

	history_init(&hist, 4);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
