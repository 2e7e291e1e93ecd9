/*
 * Canonical mode: lines typed on the serial line (Enter sends \r, which
 * ICRNL makes \n), read whole or in pieces; editing with VERASE (DEL and
 * BS), VKILL, VWERASE, VREPRINT, VLNEXT; VEOF and VEOL; the input flags
 * ICRNL, IGNCR, INLCR; echo on and off; O_NONBLOCK; flushing; output
 * processing.  The echo itself is checked on the serial log by
 * tty_cases.py.
 */
#include "ttytest.h"

static char buf[4096];

static void read_line(void)
{
	ask("line");
	CHECK_EQ(read_str(buf, sizeof(buf)), 12);
	CHECK(strcmp(buf, "hello world\n") == 0);
}

/* A read gets at most one line, and at most what it asks for. */
static void read_in_pieces(void)
{
	ask("two-lines");
	CHECK_EQ(read_str(buf, 3), 2);
	CHECK(strcmp(buf, "ab") == 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "c\n") == 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 6);
	CHECK(strcmp(buf, "defgh\n") == 0);
}

static void erase(void)
{
	ask("erase"); /* "helxo" DEL DEL "lo", "ab" BS "c", DEL DEL "z" */
	CHECK_EQ(read_str(buf, sizeof(buf)), 6);
	CHECK(strcmp(buf, "hello\n") == 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "ac\n") == 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "z\n") == 0);
	/* With IUTF8 one erase takes a whole character, else one byte. */
	REQUIRE_EQ(set_iflag(0, IUTF8), 0);
	ask("erase-utf8"); /* "e" U+00E9 DEL "!" */
	CHECK_EQ(read_str(buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "e!\n") == 0);
	REQUIRE_EQ(set_iflag(IUTF8, 0), 0);
	ask("erase-bytes"); /* the same */
	CHECK_EQ(read_str(buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "e\xc3!\n") == 0);
}

static void kill_line(void)
{
	ask("kill"); /* "garbage" ^U "kept" */
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "kept\n") == 0);
	/* Without ECHOKE the kill is echoed as ^U and a newline. */
	REQUIRE_EQ(set_lflag(ECHOKE, 0), 0);
	ask("kill-echok"); /* "bad" ^U "ok" */
	CHECK_EQ(read_str(buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "ok\n") == 0);
}

static void word_erase(void)
{
	ask("werase");
	/* "one two three" ^W "four", "one two  " ^W "x", ^W ^W "solo" */
	CHECK_EQ(read_str(buf, sizeof(buf)), 13);
	CHECK(strcmp(buf, "one two four\n") == 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 6);
	CHECK(strcmp(buf, "one x\n") == 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "solo\n") == 0);
}

static void reprint_and_lnext(void)
{
	ask("reprint"); /* "abc" ^R "d" */
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "abcd\n") == 0);
	ask("lnext"); /* "a" ^V ^U "b": the ^U goes in as a byte */
	CHECK_EQ(read_str(buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "a\x15"
			  "b\n") == 0);
}

static void end_of_file(void)
{
	ask("eof"); /* ^D, then "xy" ^D */
	CHECK_EQ(read_str(buf, sizeof(buf)), 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "xy") == 0);
}

static void end_of_line(void)
{
	struct termios t;

	REQUIRE_EQ(tcgetattr(tty, &t), 0);
	t.c_cc[VEOL] = ';';
	REQUIRE_EQ(tcsetattr(tty, TCSANOW, &t), 0);
	ask("veol"); /* "a;b" Enter */
	CHECK_EQ(read_str(buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "a;") == 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "b\n") == 0);
}

static void carriage_returns(void)
{
	struct termios t;

	/* Without ICRNL, CR is an ordinary byte (echoed ^M). */
	REQUIRE_EQ(set_iflag(ICRNL, 0), 0);
	ask("no-icrnl"); /* "ab" CR LF */
	CHECK_EQ(read_str(buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "ab\r\n") == 0);
	REQUIRE_EQ(set_iflag(0, IGNCR), 0);
	ask("igncr"); /* "c" CR "d" LF */
	CHECK_EQ(read_str(buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "cd\n") == 0);
	/* INLCR makes LF a CR, here the end of line. */
	REQUIRE_EQ(tcgetattr(tty, &t), 0);
	t.c_iflag = (t.c_iflag & ~(tcflag_t)IGNCR) | INLCR;
	t.c_cc[VEOL] = '\r';
	REQUIRE_EQ(tcsetattr(tty, TCSANOW, &t), 0);
	ask("inlcr"); /* "e" LF */
	CHECK_EQ(read_str(buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "e\r") == 0);
}

static void echo_off(void)
{
	REQUIRE_EQ(set_lflag(ECHO, 0), 0);
	ask("no-echo"); /* never on the serial log */
	CHECK_EQ(read_str(buf, sizeof(buf)), 7);
	CHECK(strcmp(buf, "s3cr3t\n") == 0);
	REQUIRE_EQ(set_lflag(0, ECHONL), 0);
	ask("echonl"); /* only the newline is echoed */
	CHECK_EQ(read_str(buf, sizeof(buf)), 6);
	CHECK(strcmp(buf, "qu1et\n") == 0);
}

static void control_echo(void)
{
	ask("echoctl"); /* "x" ^A "y": echoed x^Ay */
	CHECK_EQ(read_str(buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "x\x01y\n") == 0);
	REQUIRE_EQ(set_lflag(ECHOCTL, 0), 0);
	ask("no-echoctl"); /* "p" ^A "q": echoed as it is */
	CHECK_EQ(read_str(buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "p\x01q\n") == 0);
}

static void nonblocking(void)
{
	REQUIRE_EQ(fcntl(tty, F_SETFL, O_NONBLOCK), 0);
	CHECK_ERR(read(tty, buf, sizeof(buf)), EAGAIN);
	ask("nonblock"); /* "nb" Enter */
	CHECK(wait_readable(3, 5000));
	CHECK_EQ(read_str(buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "nb\n") == 0);
	CHECK_ERR(read(tty, buf, sizeof(buf)), EAGAIN);
	CHECK_EQ(read(tty, buf, 0), 0);
}

static void flushing(void)
{
	struct stat st;

	ask("flush"); /* "junk" Enter */
	CHECK(wait_readable(5, 5000));
	CHECK_EQ(tcflush(tty, TCIFLUSH), 0);
	CHECK_EQ(fstat(tty, &st), 0);
	CHECK_EQ(st.st_size, 0);
	ask("after-flush"); /* "good" Enter */
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "good\n") == 0);
	ask("tcsaflush"); /* "junk2" Enter */
	CHECK(wait_readable(6, 5000));
	CHECK_EQ(tcsetattr(tty, TCSADRAIN, &defaults), 0); /* keeps it */
	CHECK_EQ(fstat(tty, &st), 0);
	CHECK_EQ(st.st_size, 6);
	CHECK_EQ(tcsetattr(tty, TCSAFLUSH, &defaults), 0);
	CHECK_EQ(fstat(tty, &st), 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(tcflush(tty, TCOFLUSH), 0);
	CHECK_EQ(tcflush(tty, TCIOFLUSH), 0);
}

/* Writes: \n goes out as \r\n (tty_cases.py checks), and with OPOST off
   as it is. */
static void output(void)
{
	static const char a[] = "ttytest-out: onlcr\n";
	static const char b[] = "ttytest-out: raw\n\n";
	struct termios t;

	CHECK_EQ(write(tty, a, sizeof(a) - 1), sizeof(a) - 1);
	REQUIRE_EQ(tcgetattr(tty, &t), 0);
	t.c_oflag &= ~(tcflag_t)OPOST;
	REQUIRE_EQ(tcsetattr(tty, TCSANOW, &t), 0);
	CHECK_EQ(write(tty, b, sizeof(b) - 1), sizeof(b) - 1);
	/* A long write goes out whole, in the server's chunks. */
	memset(buf, '.', 3000);
	buf[2999] = '\n';
	CHECK_EQ(write(tty, buf, 3000), 3000);
	CHECK_EQ(write(tty, buf, 0), 0);
}

const struct test canon_tests[] = {
	{ "a typed line, CR made newline (ICRNL)", read_line },
	{ "reads of one line at most, in pieces", read_in_pieces },
	{ "VERASE: DEL and BS, UTF-8 characters (IUTF8)", erase },
	{ "VKILL, with and without ECHOKE", kill_line },
	{ "VWERASE", word_erase },
	{ "VREPRINT and VLNEXT", reprint_and_lnext },
	{ "VEOF: end of file at a line's start, else the line", end_of_file },
	{ "VEOL ends a line", end_of_line },
	{ "ICRNL off, IGNCR, INLCR", carriage_returns },
	{ "ECHO off, ECHONL", echo_off },
	{ "ECHOCTL: control characters echoed as ^X", control_echo },
	{ "O_NONBLOCK: EAGAIN until a line is there", nonblocking },
	{ "tcflush and TCSAFLUSH drop typed input", flushing },
	{ "output processing: ONLCR, OPOST off, a long write", output },
	{ NULL, NULL },
};
