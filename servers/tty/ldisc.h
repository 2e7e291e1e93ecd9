/*
 * The POSIX line discipline of a terminal, pure C (no system calls, no
 * allocation) so that the tty server and the host unit tests
 * (tests/unit/servers/test_ldisc.c) share it.  docs/servers.md ("tty")
 * describes what it does for users; this header is the contract.
 *
 * Bytes typed on the device go in with ldisc_input(), one at a time: it
 * edits the line (canonical mode) or queues the byte (non-canonical),
 * appends what should be echoed to l->echo, and reports what the terminal
 * must do besides (send a signal, stop or start output).  Readers take
 * bytes with ldisc_peek() and ldisc_consume(); program output goes
 * through ldisc_output() (OPOST).  Waiting, timers (VMIN, VTIME), job
 * control and the device are the server's business (tty.c).
 */
#ifndef SERVERS_TTY_LDISC_H
#define SERVERS_TTY_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#define LDISC_INPUT_MAX 4096  /* bytes held: lines and the line in edit */
#define LDISC_ECHO_MAX	16384 /* echo not yet sent to the device */

/* ldisc_input's result: a signal event in the low bits, and flags. */
#define LDISC_INTR     1    /* VINTR: SIGINT for the foreground group */
#define LDISC_QUIT     2    /* VQUIT: SIGQUIT */
#define LDISC_SUSP     3    /* VSUSP: SIGTSTP */
#define LDISC_SIGNAL   3    /* mask of the three above */
#define LDISC_READABLE 0x10 /* bytes became readable (a line, a byte) */
#define LDISC_STOP     0x20 /* output was stopped (IXON, VSTOP) */
#define LDISC_START    0x40 /* output was started again */

struct ldisc {
	struct termios t;

	/*
	 * Input, a ring indexed by free-running counters: [tail, canon) can
	 * be read, [canon, head) is the line being edited (empty in
	 * non-canonical mode, where canon == head).  In canonical mode
	 * [tail, canon) is whole lines: each ends with a byte marked
	 * MARK_EOL; a VEOF is kept as a byte marked MARK_EOL | MARK_EOF,
	 * which ends the line but is never handed to a reader.
	 */
	uint8_t buf[LDISC_INPUT_MAX];
	uint8_t mark[LDISC_INPUT_MAX];
	uint32_t tail, canon, head;
	uint64_t dropped; /* input bytes lost to a full buffer, in all */

	uint32_t column;   /* where output has left the cursor */
	uint32_t line_col; /* the column where the edited line starts */
	bool lnext;	   /* the last byte was VLNEXT: take the next as is */
	bool stopped;	   /* output stopped by VSTOP (IXON) */

	/* What is to be echoed, output processing (OPOST) already done. */
	uint8_t echo[LDISC_ECHO_MAX];
	size_t echo_len;
	uint64_t echo_dropped; /* echo bytes lost to a full echo buffer */
};

/* Fills *t with the defaults of a new terminal (Linux's, 115200 baud). */
void ldisc_default_termios(struct termios *t);

/* Starts l empty with the default settings. */
void ldisc_init(struct ldisc *l);

/*
 * One byte from the device.  Returns 0, or an LDISC_INTR/QUIT/SUSP event
 * ORed with LDISC_* flags.  With ISIG, a signal character has already
 * flushed the input (unless NOFLSH) and been echoed.
 */
unsigned ldisc_input(struct ldisc *l, uint8_t c);

/*
 * New settings.  Leaving canonical mode makes the line in edit readable;
 * entering it makes the bytes waiting one line (so they can still be
 * read).  Turning IXON off starts stopped output.
 */
void ldisc_set_termios(struct ldisc *l, const struct termios *t);

/* Drops every byte of input, the line in edit included. */
void ldisc_flush_input(struct ldisc *l);

/* Whether a read would get something now: a whole line (canonical), at
   least one byte (non-canonical). */
bool ldisc_readable(const struct ldisc *l);

/* Bytes that can be read now (canonical: in whole lines, EOFs counted). */
size_t ldisc_available(const struct ldisc *l);

/*
 * What one read of up to `max` bytes gets: copies them into out[] and
 * sets *consume to what ldisc_consume() must then take (more than the
 * count when the read ends at a VEOF).  Canonical mode gives at most one
 * line; 0 with *consume > 0 is the end of file (a VEOF at a line's
 * start).  Returns the count; 0 with *consume 0 when nothing is readable.
 */
size_t ldisc_peek(const struct ldisc *l, uint8_t *out, size_t max,
		  size_t *consume);

/* Takes n bytes (at most what ldisc_peek said) out of the input. */
void ldisc_consume(struct ldisc *l, size_t n);

/*
 * Output processing (OPOST, ONLCR, OCRNL) of in[0, n) into out[0, cap),
 * keeping track of the column.  Stops before a byte whose translation
 * does not fit.  Sets *used to the bytes of in taken; returns the bytes
 * put in out.  cap >= 2 * n always takes all of in.
 */
size_t ldisc_output(struct ldisc *l, const uint8_t *in, size_t n, uint8_t *out,
		    size_t cap, size_t *used);

/* Forgets the echo bytes that were sent (the first n). */
void ldisc_echo_taken(struct ldisc *l, size_t n);

#endif
