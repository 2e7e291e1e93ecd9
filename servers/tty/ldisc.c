/*
 * The line discipline (ldisc.h): input editing, echo and output
 * processing of a terminal, as POSIX's "General Terminal Interface"
 * describes them, with the habits of Linux's where POSIX leaves a choice
 * (echo of control characters as ^X, how a kill or an erased tab looks).
 */
#include <string.h>

#include "ldisc.h"

#define MARK_EOL 1 /* the last byte of a line */
#define MARK_EOF 2 /* a VEOF: ends its line, never read */

#define RING(i) ((i) % LDISC_INPUT_MAX)

#define CTRL(c) ((uint8_t)((c)&0x1f))
#define DEL	0x7f

enum erase_kind {
	ERASE_CHAR,
	ERASE_WORD,
	ERASE_LINE
};

void ldisc_default_termios(struct termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		     IEXTEN;
	t->c_cc[VINTR] = CTRL('C');
	t->c_cc[VQUIT] = CTRL('\\');
	t->c_cc[VERASE] = DEL;
	t->c_cc[VKILL] = CTRL('U');
	t->c_cc[VEOF] = CTRL('D');
	t->c_cc[VTIME] = 0;
	t->c_cc[VMIN] = 1;
	t->c_cc[VSTART] = CTRL('Q');
	t->c_cc[VSTOP] = CTRL('S');
	t->c_cc[VSUSP] = CTRL('Z');
	t->c_cc[VREPRINT] = CTRL('R');
	t->c_cc[VWERASE] = CTRL('W');
	t->c_cc[VLNEXT] = CTRL('V');
	t->c_ispeed = B115200;
	t->c_ospeed = B115200;
}

void ldisc_init(struct ldisc *l)
{
	memset(l, 0, sizeof(*l));
	ldisc_default_termios(&l->t);
}

/* ---- small predicates ---- */

static bool lflag(const struct ldisc *l, tcflag_t f)
{
	return (l->t.c_lflag & f) != 0;
}

static bool iflag(const struct ldisc *l, tcflag_t f)
{
	return (l->t.c_iflag & f) != 0;
}

/* Whether c is the character c_cc[i]; 0 (_POSIX_VDISABLE) is none. */
static bool is_cc(const struct ldisc *l, int i, uint8_t c)
{
	return l->t.c_cc[i] != 0 && l->t.c_cc[i] == c;
}

/* VERASE, and BS and DEL for each other while VERASE is one of them:
   terminals send either for the backspace key. */
static bool is_erase(const struct ldisc *l, uint8_t c)
{
	uint8_t e = l->t.c_cc[VERASE];

	if (is_cc(l, VERASE, c))
		return true;
	return (e == DEL && c == '\b') || (e == '\b' && c == DEL);
}

static bool is_control(uint8_t c)
{
	return c < 0x20 || c == DEL;
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* A UTF-8 continuation byte, which takes no column of its own. */
static bool is_continuation(const struct ldisc *l, uint8_t c)
{
	return iflag(l, IUTF8) && (c & 0xc0) == 0x80;
}

static uint32_t room(const struct ldisc *l)
{
	return LDISC_INPUT_MAX - (l->head - l->tail);
}

/* ---- output processing and echo ---- */

/*
 * Translates one byte for the device into out[0, 2), keeping the column.
 * Returns how many bytes it became.
 */
static size_t output_byte(struct ldisc *l, uint8_t c, uint8_t *out)
{
	bool post = (l->t.c_oflag & OPOST) != 0;

	if (post && c == '\n' && (l->t.c_oflag & ONLCR)) {
		out[0] = '\r';
		out[1] = '\n';
		l->column = 0;
		return 2;
	}
	if (post && c == '\r' && (l->t.c_oflag & OCRNL))
		c = '\n';
	else if (c == '\r')
		l->column = 0;
	if (c == '\t')
		l->column = (l->column | 7) + 1;
	else if (c == '\b')
		l->column -= l->column > 0;
	else if (!is_control(c) && !is_continuation(l, c))
		l->column++;
	out[0] = c;
	return 1;
}

size_t ldisc_output(struct ldisc *l, const uint8_t *in, size_t n, uint8_t *out,
		    size_t cap, size_t *used)
{
	size_t done = 0, put = 0;
	uint8_t b[2];

	for (; done < n; done++) {
		uint32_t col = l->column;
		size_t k = output_byte(l, in[done], b);

		if (k > cap - put) {
			l->column = col; /* it goes out with the next call */
			break;
		}
		memcpy(out + put, b, k);
		put += k;
	}
	*used = done;
	return put;
}

/* Appends c to the echo, translated as output is. */
static void echo_raw(struct ldisc *l, uint8_t c)
{
	uint8_t b[2];
	size_t k = output_byte(l, c, b);

	if (LDISC_ECHO_MAX - l->echo_len < k) {
		l->echo_dropped += k;
		return;
	}
	memcpy(l->echo + l->echo_len, b, k);
	l->echo_len += k;
}

/* Echoes c as typed: a control character as ^X with ECHOCTL. */
static void echo_char(struct ldisc *l, uint8_t c)
{
	if (lflag(l, ECHOCTL) && is_control(c) && c != '\t' && c != '\n') {
		echo_raw(l, '^');
		echo_raw(l, c ^ 0x40); /* DEL is ^? */
		return;
	}
	echo_raw(l, c);
}

void ldisc_echo_taken(struct ldisc *l, size_t n)
{
	if (n >= l->echo_len) {
		l->echo_len = 0;
		return;
	}
	memmove(l->echo, l->echo + n, l->echo_len - n);
	l->echo_len -= n;
}

/* ---- the line in edit ---- */

/* Puts c at the head; `mark` says whether it ends a line. */
static void put(struct ldisc *l, uint8_t c, uint8_t mark)
{
	l->buf[RING(l->head)] = c;
	l->mark[RING(l->head)] = mark;
	l->head++;
}

/* The column at which the byte at position `pos` of the line starts. */
static uint32_t column_at(const struct ldisc *l, uint32_t pos)
{
	uint32_t col = l->line_col;

	for (uint32_t i = l->canon; i != pos; i++) {
		uint8_t c = l->buf[RING(i)];

		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_control(c))
			col += lflag(l, ECHOCTL) ? 2 : 0;
		else if (!is_continuation(l, c))
			col++;
	}
	return col;
}

/* Removes the last character of the line (all its UTF-8 bytes); returns
   its first byte. */
static uint8_t pop_char(struct ldisc *l)
{
	uint8_t c;

	do {
		c = l->buf[RING(--l->head)];
	} while (is_continuation(l, c) && l->head != l->canon);
	return c;
}

/* Takes character c, just removed from the line, off the screen. */
static void rub_out(struct ldisc *l, uint8_t c)
{
	int n = 0;

	if (c == '\t') {
		uint32_t col = column_at(l, l->head);

		n = l->column > col ? (int)(l->column - col) : 0;
		while (n-- > 0)
			echo_raw(l, '\b'); /* each moves the column back */
		return;
	}
	if (!is_control(c))
		n = 1;
	else if (lflag(l, ECHOCTL))
		n = 2;
	while (n-- > 0) {
		echo_raw(l, '\b');
		echo_raw(l, ' ');
		echo_raw(l, '\b');
	}
}

/* VERASE, VWERASE or VKILL, typed as key c. */
static void erase(struct ldisc *l, enum erase_kind kind, uint8_t c)
{
	bool echo = lflag(l, ECHO), seen_word = false;

	if (l->head == l->canon)
		return;
	if (kind == ERASE_LINE && (!echo || !lflag(l, ECHOK) ||
				   !lflag(l, ECHOKE) || !lflag(l, ECHOE))) {
		l->head = l->canon;
		if (echo) {
			echo_char(l, c);
			if (lflag(l, ECHOK))
				echo_raw(l, '\n');
		}
		return;
	}
	if (kind == ERASE_CHAR && echo && !lflag(l, ECHOE)) {
		pop_char(l);
		echo_char(l, c);
		return;
	}
	while (l->head != l->canon) {
		uint32_t end = l->head;
		uint8_t ch = pop_char(l);

		if (kind == ERASE_WORD) {
			if (!is_space(ch))
				seen_word = true;
			else if (seen_word) {
				l->head = end; /* the blank before the word */
				break;
			}
		}
		if (echo)
			rub_out(l, ch);
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: the line again, on a line of its own. */
static void reprint(struct ldisc *l, uint8_t c)
{
	echo_char(l, c);
	echo_raw(l, '\n');
	l->line_col = l->column;
	for (uint32_t i = l->canon; i != l->head; i++)
		echo_char(l, l->buf[RING(i)]);
}

/* A byte for the line (canonical) or for readers (non-canonical). */
static unsigned take(struct ldisc *l, uint8_t c)
{
	bool canon = lflag(l, ICANON);

	/* In a line, keep one byte of room for the end of the line. */
	if (room(l) < (canon ? 2u : 1u)) {
		l->dropped++;
		return 0;
	}
	if (lflag(l, ECHO)) {
		if (l->head == l->canon)
			l->line_col = l->column;
		if (c == '\n')
			echo_raw(l, c);
		else
			echo_char(l, c);
	}
	put(l, c, 0);
	if (canon)
		return 0;
	l->canon = l->head;
	return LDISC_READABLE;
}

/* Ends the line with c (a newline, VEOL, or a VEOF kept as a mark). */
static unsigned end_line(struct ldisc *l, uint8_t c, uint8_t mark)
{
	if (room(l) == 0) {
		l->dropped++;
		return 0;
	}
	put(l, c, MARK_EOL | mark);
	l->canon = l->head;
	return LDISC_READABLE;
}

/* The special characters of canonical mode; -1 when c is an ordinary
   one. */
static int canonical(struct ldisc *l, uint8_t c)
{
	bool ext = lflag(l, IEXTEN);

	if (is_erase(l, c)) {
		erase(l, ERASE_CHAR, c);
		return 0;
	}
	if (is_cc(l, VKILL, c)) {
		erase(l, ERASE_LINE, c);
		return 0;
	}
	if (ext && is_cc(l, VWERASE, c)) {
		erase(l, ERASE_WORD, c);
		return 0;
	}
	if (ext && is_cc(l, VLNEXT, c)) {
		l->lnext = true;
		if (lflag(l, ECHO) && lflag(l, ECHOCTL)) {
			echo_raw(l, '^');
			echo_raw(l, '\b');
		}
		return 0;
	}
	if (ext && lflag(l, ECHO) && is_cc(l, VREPRINT, c)) {
		reprint(l, c);
		return 0;
	}
	if (c == '\n') {
		if (lflag(l, ECHO) || lflag(l, ECHONL))
			echo_raw(l, '\n');
		return (int)end_line(l, c, 0);
	}
	if (is_cc(l, VEOF, c))
		return (int)end_line(l, c, MARK_EOF);
	if (is_cc(l, VEOL, c) || (ext && is_cc(l, VEOL2, c))) {
		if (lflag(l, ECHO)) {
			if (l->head == l->canon)
				l->line_col = l->column;
			echo_char(l, c);
		}
		return (int)end_line(l, c, 0);
	}
	return -1;
}

/* VINTR, VQUIT, VSUSP with ISIG: the event, or 0. */
static unsigned signal_char(struct ldisc *l, uint8_t c)
{
	unsigned ev = 0, flags = 0;

	if (is_cc(l, VINTR, c))
		ev = LDISC_INTR;
	else if (is_cc(l, VQUIT, c))
		ev = LDISC_QUIT;
	else if (is_cc(l, VSUSP, c))
		ev = LDISC_SUSP;
	if (!ev)
		return 0;
	if (!lflag(l, NOFLSH))
		ldisc_flush_input(l);
	if (iflag(l, IXON) && l->stopped) {
		l->stopped = false;
		flags = LDISC_START;
	}
	if (lflag(l, ECHO))
		echo_char(l, c);
	return ev | flags;
}

unsigned ldisc_input(struct ldisc *l, uint8_t c)
{
	unsigned flags = 0, r;
	int special;

	if (!(l->t.c_cflag & CREAD))
		return 0;
	if (iflag(l, ISTRIP))
		c &= 0x7f;
	if (l->lnext) {
		l->lnext = false; /* its "^\b" echo is written over */
		return take(l, c);
	}
	if (iflag(l, IXON)) {
		if (is_cc(l, VSTART, c)) {
			l->stopped = false;
			return LDISC_START;
		}
		if (is_cc(l, VSTOP, c)) {
			l->stopped = true;
			return LDISC_STOP;
		}
	}
	if (lflag(l, ISIG)) {
		r = signal_char(l, c);
		if (r)
			return r;
	}
	if (l->stopped && iflag(l, IXON) && iflag(l, IXANY)) {
		l->stopped = false;
		flags = LDISC_START;
	}
	if (c == '\r') {
		if (iflag(l, IGNCR))
			return flags;
		if (iflag(l, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(l, INLCR)) {
		c = '\r';
	}
	if (lflag(l, ICANON)) {
		special = canonical(l, c);
		if (special >= 0)
			return flags | (unsigned)special;
	}
	return flags | take(l, c);
}

/* ---- settings ---- */

/* Removes the VEOF marks from [tail, head): non-canonical reads would
   hand them out as bytes. */
static void drop_eof_marks(struct ldisc *l)
{
	uint32_t to = l->tail;

	for (uint32_t from = l->tail; from != l->head; from++) {
		if (l->mark[RING(from)] & MARK_EOF)
			continue;
		l->buf[RING(to)] = l->buf[RING(from)];
		l->mark[RING(to)] = 0;
		to++;
	}
	l->head = to;
}

void ldisc_set_termios(struct ldisc *l, const struct termios *t)
{
	bool was_canon = lflag(l, ICANON);

	l->t = *t;
	if (was_canon && !lflag(l, ICANON)) {
		drop_eof_marks(l);
		l->canon = l->head;
	} else if (!was_canon && lflag(l, ICANON)) {
		if (l->head != l->tail)
			l->mark[RING(l->head - 1)] |= MARK_EOL;
		l->canon = l->head;
	}
	if (!lflag(l, ICANON))
		l->lnext = false;
	if (!iflag(l, IXON))
		l->stopped = false;
}

void ldisc_flush_input(struct ldisc *l)
{
	l->tail = l->canon = l->head;
	l->lnext = false;
}

/* ---- reading ---- */

bool ldisc_readable(const struct ldisc *l)
{
	return l->canon != l->tail;
}

size_t ldisc_available(const struct ldisc *l)
{
	return l->canon - l->tail;
}

size_t ldisc_peek(const struct ldisc *l, uint8_t *out, size_t max,
		  size_t *consume)
{
	uint32_t end = l->canon;
	size_t n = 0;

	*consume = 0;
	if (lflag(l, ICANON)) { /* up to the first line's end */
		for (end = l->tail; end != l->canon; end++)
			if (l->mark[RING(end)] & MARK_EOL) {
				end++;
				break;
			}
	}
	for (uint32_t i = l->tail; i != end && n < max; i++) {
		if (l->mark[RING(i)] & MARK_EOF) {
			*consume = i + 1 - l->tail; /* the EOF goes too */
			return n;
		}
		out[n++] = l->buf[RING(i)];
	}
	*consume = n;
	return n;
}

void ldisc_consume(struct ldisc *l, size_t n)
{
	if (n > l->canon - l->tail)
		n = l->canon - l->tail;
	l->tail += (uint32_t)n;
}
