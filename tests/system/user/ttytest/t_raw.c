/*
 * Non-canonical mode (cfmakeraw): bytes as they come, the four cases of
 * VMIN and VTIME, switching modes with input waiting, and a flood that
 * fills the input buffer.
 */
#include "ttytest.h"

static char buf[4200];

/* VMIN 1, VTIME 0: a read waits for one byte; nothing is special. */
static void vmin_one(void)
{
	REQUIRE_EQ(set_raw(1, 0), 0);
	ask("raw-key"); /* "q" */
	CHECK_EQ(read(tty, buf, 10), 1);
	CHECK_EQ(buf[0], 'q');
	ask("raw-specials"); /* CR, ^C, ^D, DEL: bytes, no signal, no edit */
	CHECK(wait_readable(4, 5000));
	CHECK_EQ(read(tty, buf, 10), 4);
	CHECK(memcmp(buf, "\r\x03\x04\x7f", 4) == 0);
}

/* VMIN 0: VTIME from the read, or a poll. */
static void vmin_zero(void)
{
	uint64_t t0;

	REQUIRE_EQ(set_raw(0, 3), 0);
	t0 = now_ms();
	CHECK_EQ(read(tty, buf, 10), 0); /* 0.3 s, then nothing */
	CHECK(now_ms() - t0 >= 250);
	CHECK(now_ms() - t0 < 3000);
	REQUIRE_EQ(set_raw(0, 0), 0);
	t0 = now_ms();
	CHECK_EQ(read(tty, buf, 10), 0); /* at once */
	CHECK(now_ms() - t0 < 200);
	REQUIRE_EQ(set_raw(0, 100), 0);
	ask("raw-timed"); /* "k", well within the 10 s */
	t0 = now_ms();
	CHECK_EQ(read(tty, buf, 10), 1);
	CHECK_EQ(buf[0], 'k');
	CHECK(now_ms() - t0 < 8000);
}

/* VMIN > 0 and VTIME > 0: the timer runs between bytes. */
static void vmin_and_vtime(void)
{
	long n, total = 0;

	REQUIRE_EQ(set_raw(3, 3), 0);
	ask("raw-two"); /* "mn": fewer than VMIN, then 0.3 s of nothing */
	CHECK_EQ(read(tty, buf, 10), 2);
	CHECK(memcmp(buf, "mn", 2) == 0);
	/* VMIN 5, but the read wants only 2: it gets them. */
	REQUIRE_EQ(set_raw(5, 0), 0);
	ask("raw-four"); /* "wxyz" */
	CHECK_EQ(read(tty, buf, 2), 2);
	CHECK(memcmp(buf, "wx", 2) == 0);
	CHECK_EQ(read(tty, buf, 2), 2);
	CHECK(memcmp(buf, "yz", 2) == 0);
	/* VMIN 2, VTIME 0: at least two, all that is there. */
	REQUIRE_EQ(set_raw(2, 0), 0);
	ask("raw-three"); /* "pqr" */
	n = read(tty, buf, 10);
	CHECK(n >= 2 && n <= 3);
	total = n > 0 ? n : 0;
	REQUIRE_EQ(set_raw(0, 10), 0);
	while (total < 3 && (n = read(tty, buf + total, 10)) > 0)
		total += n;
	CHECK_EQ(total, 3);
	CHECK(memcmp(buf, "pqr", 3) == 0);
}

/* Leaving canonical mode makes the line in edit readable; entering it
   makes the bytes waiting one line. */
static void mode_switch(void)
{
	REQUIRE_EQ(set_raw(1, 0), 0);
	ask("raw-then-canon"); /* "xy" */
	CHECK(wait_readable(2, 5000));
	REQUIRE_EQ(tcsetattr(tty, TCSANOW, &defaults), 0);
	CHECK_EQ(read(tty, buf, 10), 2);
	CHECK(memcmp(buf, "xy", 2) == 0);
	ask("canon-then-raw"); /* "pq": no line end */
	sys_sleep(300 * MS);
	REQUIRE_EQ(set_raw(2, 0), 0);
	CHECK_EQ(read(tty, buf, 10), 2);
	CHECK(memcmp(buf, "pq", 2) == 0);
}

/* 5000 bytes with no reader: the first 4096 are kept, in order. */
static void flood(void)
{
	struct stat st;
	long n, total = 0;

	REQUIRE_EQ(set_raw(0, 0), 0);
	ask("flood");
	CHECK(wait_readable(4096, 10000));
	sys_sleep(300 * MS);
	CHECK_EQ(fstat(tty, &st), 0);
	CHECK_EQ(st.st_size, 4096);
	while (total < (long)sizeof(buf) &&
	       (n = read(tty, buf + total, sizeof(buf) - (size_t)total)) > 0)
		total += n;
	CHECK_EQ(total, 4096);
	for (int i = 0; i < 4096; i++) {
		if (buf[i] != 'A' + i % 26) {
			CHECK_EQ(i, -1);
			break;
		}
	}
}

const struct test raw_tests[] = {
	{ "raw mode, VMIN 1: bytes as they come", vmin_one },
	{ "VMIN 0: VTIME from the read, or a poll", vmin_zero },
	{ "VMIN and VTIME: the timer between bytes", vmin_and_vtime },
	{ "switching modes with input waiting", mode_switch },
	{ "a flood fills the buffer: 4096 bytes kept", flood },
	{ NULL, NULL },
};
