/*
 * libFuzzer target for the terminal's line discipline
 * (servers/tty/ldisc.c), which takes whatever bytes come down a serial
 * line.  The input is a program: its first 8 bytes pick the settings'
 * flags and the special characters, then each byte is typed, except that
 * 0xff followed by a command byte changes the settings, reads, flushes,
 * takes echo or sends output.  Whatever it does, nothing may crash or trip
 * a sanitizer, and the queues must stay consistent: the readable part
 * inside the buffer, a read never giving more than it may, the echo
 * within its buffer.  Build and run: make fuzz-ldisc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldisc.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_ldisc: invariant failed: %s\n",  \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

static struct ldisc l;
static uint8_t out[2 * LDISC_INPUT_MAX];

static void check(void)
{
	CHECK(l.head - l.tail <= LDISC_INPUT_MAX);
	CHECK(l.canon - l.tail <= l.head - l.tail);
	CHECK(ldisc_available(&l) == l.canon - l.tail);
	CHECK(ldisc_readable(&l) == (l.canon != l.tail));
	CHECK(l.echo_len <= LDISC_ECHO_MAX);
	if (!(l.t.c_lflag & ICANON))
		CHECK(l.canon == l.head);
}

/* One read of up to max bytes. */
static void read_some(size_t max)
{
	size_t consume, n = ldisc_peek(&l, out, max, &consume);

	CHECK(n <= max);
	CHECK(n <= consume && consume <= ldisc_available(&l));
	CHECK(consume <= n + 1); /* at most a VEOF more */
	if (!(l.t.c_lflag & ICANON))
		CHECK(n == consume && (n == max || n == ldisc_available(&l)));
	if (ldisc_readable(&l) && max)
		CHECK(consume > 0);
	ldisc_consume(&l, consume);
}

static void command(uint8_t op, uint8_t arg)
{
	struct termios t = l.t;
	size_t used;

	switch (op % 8) {
	case 0:
		t.c_lflag ^= ICANON;
		break;
	case 1:
		t.c_lflag ^= (tcflag_t)1 << (arg % 16);
		break;
	case 2:
		t.c_iflag ^= (tcflag_t)1 << (arg % 15);
		break;
	case 3:
		t.c_cc[arg % NCCS] = (cc_t)(arg * 37);
		break;
	case 4:
		read_some(arg * 17u);
		return;
	case 5:
		ldisc_flush_input(&l);
		return;
	case 6:
		ldisc_echo_taken(&l, arg * 64u);
		return;
	case 7:
		t.c_oflag ^= (tcflag_t)1 << (arg % 4);
		ldisc_set_termios(&l, &t);
		CHECK(ldisc_output(&l, &arg, 1, out, 2, &used) <= 2);
		CHECK(used == 1);
		return;
	}
	ldisc_set_termios(&l, &t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 8;

	ldisc_init(&l);
	if (size >= 8) {
		struct termios t = l.t;

		t.c_iflag ^= data[0] | (tcflag_t)data[1] << 8;
		t.c_oflag ^= data[2] & 0x0d;
		t.c_lflag ^= data[3] | (tcflag_t)data[4] << 8;
		t.c_cc[data[5] % NCCS] = data[6];
		t.c_cc[data[7] % NCCS] = 0;
		ldisc_set_termios(&l, &t);
	} else {
		i = 0;
	}
	for (; i < size; i++) {
		if (data[i] == 0xff && i + 2 < size) {
			command(data[i + 1], data[i + 2]);
			i += 2;
		} else {
			ldisc_input(&l, data[i]);
		}
		if (l.echo_len > LDISC_ECHO_MAX / 2)
			ldisc_echo_taken(&l, l.echo_len);
		check();
	}
	while (ldisc_readable(&l))
		read_some(LDISC_INPUT_MAX);
	check();
	return 0;
}
