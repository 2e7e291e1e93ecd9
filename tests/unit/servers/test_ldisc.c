/*
 * Unit tests for the terminal's line discipline (servers/tty/ldisc.c):
 * the first settings, canonical editing and its echo (erase of plain,
 * control, tab and UTF-8 characters, kill with and without ECHOKE, word
 * erase, reprint, literal next), line ends (newline, VEOF, VEOL, VEOL2),
 * the input flags, signal characters and flow control, non-canonical
 * input, full buffers, mode switches, and output processing.  What
 * waits (VMIN, VTIME, parked reads) is the server's and is tested in
 * the system test (ttytest).
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

#include "ldisc.h"

static struct ldisc l;

/* Types s (every byte), returning the results ORed. */
static unsigned type(const char *s)
{
	unsigned r = 0;

	for (; *s; s++)
		r |= ldisc_input(&l, (uint8_t)*s);
	return r;
}

/* Types n bytes of s (for NULs). */
static unsigned type_n(const char *s, size_t n)
{
	unsigned r = 0;

	for (size_t i = 0; i < n; i++)
		r |= ldisc_input(&l, (uint8_t)s[i]);
	return r;
}

/* The echo so far, as a string; then forgets it. */
static const char *echo(void)
{
	static char buf[LDISC_ECHO_MAX + 1];

	memcpy(buf, l.echo, l.echo_len);
	buf[l.echo_len] = '\0';
	ldisc_echo_taken(&l, l.echo_len);
	return buf;
}

/* One read of up to max bytes, as a string; *n the count. */
static const char *take(size_t max, size_t *n)
{
	static char buf[LDISC_INPUT_MAX + 1];
	size_t consume;

	*n = ldisc_peek(&l, (uint8_t *)buf, max, &consume);
	buf[*n] = '\0';
	ldisc_consume(&l, consume);
	return buf;
}

static void expect_read_n(const char *want, size_t len)
{
	size_t n;
	const char *got = take(LDISC_INPUT_MAX, &n);

	assert_int_equal(n, len);
	assert_memory_equal(got, want, n);
}

static void expect_read(const char *want)
{
	expect_read_n(want, strlen(want));
}

static void set_lflag(tcflag_t clear, tcflag_t set)
{
	struct termios t = l.t;

	t.c_lflag = (t.c_lflag & ~clear) | set;
	ldisc_set_termios(&l, &t);
}

static void set_iflag(tcflag_t clear, tcflag_t set)
{
	struct termios t = l.t;

	t.c_iflag = (t.c_iflag & ~clear) | set;
	ldisc_set_termios(&l, &t);
}

/* What libc's cfmakeraw does (not linked here). */
static void make_raw(struct termios *t)
{
	t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
				  IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag = (t->c_cflag & ~(tcflag_t)(CSIZE | PARENB)) | CS8;
}

static int setup(void **state)
{
	ldisc_init(&l);
	return 0;
}

static void test_defaults(void **state)
{
	assert_int_equal(l.t.c_iflag, ICRNL | IXON);
	assert_int_equal(l.t.c_oflag, OPOST | ONLCR);
	assert_int_equal(l.t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK |
					      ECHOCTL | ECHOKE | IEXTEN);
	assert_int_equal(l.t.c_cc[VERASE], 0x7f);
	assert_int_equal(l.t.c_cc[VMIN], 1);
	assert_false(ldisc_readable(&l));
}

static void test_line(void **state)
{
	size_t n;

	assert_int_equal(type("hi there"), 0);
	assert_false(ldisc_readable(&l));
	assert_int_equal(ldisc_available(&l), 0);
	assert_string_equal(echo(), "hi there");
	assert_int_equal(type("\r"), LDISC_READABLE); /* ICRNL */
	assert_string_equal(echo(), "\r\n");
	assert_int_equal(ldisc_available(&l), 9);
	/* Pieces of one line, never into the next. */
	type("next\r");
	assert_string_equal(take(3, &n), "hi ");
	assert_string_equal(take(100, &n), "there\n");
	assert_string_equal(take(100, &n), "next\n");
	assert_string_equal(take(100, &n), "");
	assert_int_equal(n, 0);
	assert_false(ldisc_readable(&l));
}

static void test_erase(void **state)
{
	type("helxo\x7f\x7flo\n");
	assert_string_equal(echo(), "helxo\b \b\b \blo\r\n");
	expect_read("hello\n");
	/* BS erases too while VERASE is DEL; nothing left: no echo. */
	type("a\b\b\bb\n");
	assert_string_equal(echo(), "a\b \bb\r\n");
	expect_read("b\n");
	/* A control character took two columns (^A). */
	type("x\x01\x7f\n");
	assert_string_equal(echo(), "x^A\b \b\b \b\r\n");
	expect_read("x\n");
	/* Without ECHOE the erase character is echoed. */
	set_lflag(ECHOE, 0);
	type("ab\x7f\n");
	assert_string_equal(echo(), "ab^?\r\n");
	expect_read("a\n");
	/* Without ECHO nothing shows, the erase still works. */
	set_lflag(ECHO, 0);
	type("ab\x7f\n");
	assert_string_equal(echo(), "");
	expect_read("a\n");
}

/* VERASE set to '#': DEL and BS are ordinary then. */
static void test_erase_other_char(void **state)
{
	struct termios t = l.t;

	t.c_cc[VERASE] = '#';
	ldisc_set_termios(&l, &t);
	type("ab#\x7f\b\n");
	expect_read("a\x7f\b\n");
	t.c_cc[VERASE] = 0; /* disabled: NUL is an ordinary byte */
	ldisc_set_termios(&l, &t);
	type_n("a\0\n", 3);
	expect_read_n("a\0\n", 3);
}

/* An erased tab takes back the columns it moved over. */
static void test_erase_tab(void **state)
{
	size_t used;
	uint8_t out[16];

	type("ab\t");
	assert_int_equal(l.column, 8);
	echo();
	type("\x7f");
	assert_string_equal(echo(), "\b\b\b\b\b\b");
	assert_int_equal(l.column, 2);
	type("\n");
	expect_read("ab\n");
	/* After a prompt of 5 columns, a tab moves 3. */
	ldisc_output(&l, (const uint8_t *)"$ abc", 5, out, sizeof(out), &used);
	echo();
	type("\t\x7f");
	assert_string_equal(echo(), "\t\b\b\b");
	type("\n");
	expect_read("\n");
}

static void test_erase_utf8(void **state)
{
	set_iflag(0, IUTF8);
	type("e\xc3\xa9\xe2\x82\xac\x7f\x7f!\n");
	assert_string_equal(echo(), "e\xc3\xa9\xe2\x82\xac\b \b\b \b!\r\n");
	expect_read("e!\n");
	/* Only continuation bytes left: they go, and stop at the line's
	   start. */
	type("\xa9\xa9\x7fz\n");
	expect_read("z\n");
	/* Without IUTF8 a byte at a time. */
	set_iflag(IUTF8, 0);
	type("e\xc3\xa9\x7f!\n");
	expect_read("e\xc3!\n");
}

static void test_kill(void **state)
{
	type("garbage\x15kept\n");
	assert_string_equal(echo(), "garbage\b \b\b \b\b \b\b \b\b \b\b \b\b "
				    "\bkept\r\n");
	expect_read("kept\n");
	set_lflag(ECHOKE, 0);
	type("bad\x15ok\n");
	assert_string_equal(echo(), "bad^U\r\nok\r\n");
	expect_read("ok\n");
	set_lflag(ECHOK, 0);
	type("bad\x15ok\n");
	assert_string_equal(echo(), "bad^Uok\r\n");
	expect_read("ok\n");
	/* An empty line: nothing to kill, nothing echoed. */
	type("\x15");
	assert_string_equal(echo(), "");
}

static void test_word_erase(void **state)
{
	type("one two three\x17"
	     "four\n");
	expect_read("one two four\n");
	type("one two  \x17x\n");
	expect_read("one x\n");
	type("\x17\x17solo\n");
	expect_read("solo\n");
	type("a\tb \x17\x17\n");
	expect_read("\n");
	/* Without IEXTEN ^W is an ordinary byte. */
	set_lflag(IEXTEN, 0);
	type("w\x17\n");
	expect_read("w\x17\n");
}

static void test_reprint_and_lnext(void **state)
{
	type("abc\x12"
	     "d\n");
	assert_string_equal(echo(), "abc^R\r\nabcd\r\n");
	expect_read("abcd\n");
	/* ^V: the next byte as it is, even ^C, ^U, ^D, a newline. */
	type("a\x16\x03\x16\x15\x16\x04\x16\r\n");
	assert_string_equal(echo(), "a^\b^C^\b^U^\b^D^\b^M\r\n");
	expect_read("a\x03\x15\x04\r\n");
	/* Without ECHO, ^R does nothing. */
	set_lflag(ECHO, 0);
	type("x\x12\n");
	expect_read("x\x12\n");
}

static void test_eof(void **state)
{
	size_t n;

	type("\x04");
	assert_true(ldisc_readable(&l));
	assert_string_equal(echo(), "");
	assert_string_equal(take(100, &n), "");
	assert_int_equal(n, 0);
	assert_false(ldisc_readable(&l)); /* the EOF was taken */
	type("xy\x04");
	expect_read("xy");
	/* A read that stops just before the EOF; the next sees it. */
	type("abc\x04");
	assert_string_equal(take(3, &n), "abc");
	assert_true(ldisc_readable(&l));
	assert_string_equal(take(3, &n), "");
	assert_false(ldisc_readable(&l));
}

static void test_eol(void **state)
{
	struct termios t = l.t;

	t.c_cc[VEOL] = ';';
	t.c_cc[VEOL2] = '|';
	ldisc_set_termios(&l, &t);
	type("a;b|c\n");
	assert_string_equal(echo(), "a;b|c\r\n");
	expect_read("a;");
	expect_read("b|");
	expect_read("c\n");
	set_lflag(IEXTEN, 0); /* VEOL2 needs it */
	type("d|e\n");
	expect_read("d|e\n");
}

static void test_input_flags(void **state)
{
	set_iflag(ICRNL, 0);
	type("a\r\n");
	assert_string_equal(echo(), "a^M\r\n");
	expect_read("a\r\n");
	set_iflag(0, IGNCR);
	type("b\rc\n");
	expect_read("bc\n");
	set_iflag(IGNCR, INLCR | ISTRIP);
	type("\xe4\n");
	set_iflag(INLCR | ISTRIP, ICRNL);
	type("\r");
	expect_read("d\r\n"); /* stripped, LF made CR, then the CR line end */
}

static void test_signals(void **state)
{
	assert_int_equal(type("abc\x03"), LDISC_INTR);
	assert_string_equal(echo(), "abc^C");
	assert_false(ldisc_readable(&l));
	type("\n");
	expect_read("\n"); /* "abc" was flushed */
	assert_int_equal(type("\x1c"), LDISC_QUIT);
	assert_int_equal(type("\x1a"), LDISC_SUSP);
	assert_string_equal(echo(), "\r\n^\\^Z");
	set_lflag(0, NOFLSH);
	assert_int_equal(type("kept\x03\n"), LDISC_INTR | LDISC_READABLE);
	expect_read("kept\n");
	/* A full line waiting is flushed too. */
	set_lflag(NOFLSH, 0);
	type("line\n\x03");
	assert_false(ldisc_readable(&l));
	/* Without ISIG they are bytes. */
	set_lflag(ISIG, 0);
	assert_int_equal(type("\x03\n"), LDISC_READABLE);
	expect_read("\x03\n");
}

static void test_flow_control(void **state)
{
	assert_int_equal(type("\x13"), LDISC_STOP);
	assert_true(l.stopped);
	type("a");
	assert_true(l.stopped); /* no IXANY */
	assert_int_equal(type("\x11"), LDISC_START);
	assert_false(l.stopped);
	type("\n");
	expect_read("a\n"); /* ^S and ^Q are not input */
	set_iflag(0, IXANY);
	type("\x13");
	assert_int_equal(type("b") & LDISC_START, LDISC_START);
	assert_false(l.stopped);
	/* A signal character starts output too. */
	type("\x13");
	assert_int_equal(type("\x03"), LDISC_INTR | LDISC_START);
	/* IXON off: bytes, and stopped output goes. */
	type("\x13");
	set_iflag(IXON, 0);
	assert_false(l.stopped);
	type("\x13\x11\n");
	expect_read("\x13\x11\n");
}

static void test_raw(void **state)
{
	struct termios t = l.t;
	size_t n;

	make_raw(&t);
	ldisc_set_termios(&l, &t);
	assert_int_equal(type("a"), LDISC_READABLE);
	assert_int_equal(type("\r\x03\x7f\x04"), LDISC_READABLE);
	assert_string_equal(echo(), "");
	assert_int_equal(ldisc_available(&l), 5);
	assert_string_equal(take(2, &n), "a\r");
	assert_string_equal(take(100, &n), "\x03\x7f\x04");
	/* Echo in non-canonical mode. */
	t.c_lflag |= ECHO | ECHOCTL;
	t.c_oflag |= OPOST | ONLCR;
	ldisc_set_termios(&l, &t);
	type("x\x01\n");
	assert_string_equal(echo(), "x^A\r\n");
	expect_read("x\x01\n");
}

static void test_full(void **state)
{
	struct termios t = l.t;
	size_t n;
	const char *got;

	set_lflag(ECHO, 0);
	for (int i = 0; i < 5000; i++)
		ldisc_input(&l, (uint8_t)('A' + i % 26));
	type("\n");
	assert_int_equal(l.dropped, 5000 - 4095);
	got = take(LDISC_INPUT_MAX, &n);
	assert_int_equal(n, 4096);
	assert_int_equal(got[4095], '\n');
	assert_int_equal(got[4094], 'A' + 4094 % 26);
	/* Non-canonical: every byte of room is used. */
	make_raw(&t);
	ldisc_set_termios(&l, &t);
	for (int i = 0; i < 5000; i++)
		ldisc_input(&l, 'x');
	assert_int_equal(ldisc_available(&l), 4096);
	assert_int_equal(l.dropped, 905 + 904);
	ldisc_flush_input(&l);
	assert_int_equal(ldisc_available(&l), 0);
	assert_int_equal(type("y"), LDISC_READABLE);
}

static void test_mode_switch(void **state)
{
	struct termios raw = l.t, canon = l.t;
	size_t n;

	make_raw(&raw);
	/* The line in edit becomes readable; an EOF mark does not come
	   out as a byte. */
	type("done\x04part");
	ldisc_set_termios(&l, &raw);
	assert_int_equal(ldisc_available(&l), 8);
	assert_string_equal(take(100, &n), "donepart");
	/* Raw bytes waiting become one line. */
	type("xy");
	ldisc_set_termios(&l, &canon);
	assert_true(ldisc_readable(&l));
	expect_read("xy");
	assert_false(ldisc_readable(&l));
	/* Nothing waiting: nothing to read. */
	ldisc_set_termios(&l, &raw);
	ldisc_set_termios(&l, &canon);
	assert_false(ldisc_readable(&l));
}

static void test_cread(void **state)
{
	struct termios t = l.t;

	t.c_cflag &= ~(tcflag_t)CREAD;
	ldisc_set_termios(&l, &t);
	assert_int_equal(type("abc\n\x03"), 0);
	assert_false(ldisc_readable(&l));
	assert_string_equal(echo(), "");
}

static void test_output(void **state)
{
	uint8_t out[64];
	size_t used, n;

	n = ldisc_output(&l, (const uint8_t *)"a\nb\r", 4, out, sizeof(out),
			 &used);
	assert_int_equal(used, 4);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "a\r\nb\r", 5);
	assert_int_equal(l.column, 0);
	/* Too little room for "\r\n": stop before it. */
	n = ldisc_output(&l, (const uint8_t *)"xy\n", 3, out, 3, &used);
	assert_int_equal(used, 2);
	assert_int_equal(n, 2);
	assert_int_equal(l.column, 2);
	/* OCRNL; OPOST off changes nothing. */
	l.t.c_oflag |= OCRNL;
	n = ldisc_output(&l, (const uint8_t *)"\r", 1, out, sizeof(out), &used);
	assert_memory_equal(out, "\n", 1);
	l.t.c_oflag = 0;
	n = ldisc_output(&l, (const uint8_t *)"\n\r\t", 3, out, sizeof(out),
			 &used);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\n\r\t", 3);
	assert_int_equal(l.column, 8);
	/* A backspace never goes left of column 0. */
	l.column = 0;
	ldisc_output(&l, (const uint8_t *)"\b\b", 2, out, sizeof(out), &used);
	assert_int_equal(l.column, 0);
}

static void test_echo_buffer(void **state)
{
	set_lflag(ICANON, 0); /* no line to fill up */
	for (int i = 0; i < LDISC_ECHO_MAX + 10; i++) {
		ldisc_input(&l, 'e');
		if (ldisc_available(&l) > 100)
			ldisc_flush_input(&l);
	}
	assert_int_equal(l.echo_len, LDISC_ECHO_MAX);
	assert_int_equal(l.echo_dropped, 10);
	ldisc_echo_taken(&l, 100);
	assert_int_equal(l.echo_len, LDISC_ECHO_MAX - 100);
	ldisc_echo_taken(&l, LDISC_ECHO_MAX);
	assert_int_equal(l.echo_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_line, setup),
		cmocka_unit_test_setup(test_erase, setup),
		cmocka_unit_test_setup(test_erase_other_char, setup),
		cmocka_unit_test_setup(test_erase_tab, setup),
		cmocka_unit_test_setup(test_erase_utf8, setup),
		cmocka_unit_test_setup(test_kill, setup),
		cmocka_unit_test_setup(test_word_erase, setup),
		cmocka_unit_test_setup(test_reprint_and_lnext, setup),
		cmocka_unit_test_setup(test_eof, setup),
		cmocka_unit_test_setup(test_eol, setup),
		cmocka_unit_test_setup(test_input_flags, setup),
		cmocka_unit_test_setup(test_signals, setup),
		cmocka_unit_test_setup(test_flow_control, setup),
		cmocka_unit_test_setup(test_raw, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_mode_switch, setup),
		cmocka_unit_test_setup(test_cread, setup),
		cmocka_unit_test_setup(test_output, setup),
		cmocka_unit_test_setup(test_echo_buffer, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
