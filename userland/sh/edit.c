/*
 * The line editor: a state machine fed one key byte at a time
 * (edit_key), which edits buf and writes what the terminal needs
 * through e->out.  It knows nothing of the terminal itself (input.c
 * puts it in raw mode and reads the keys), so the host unit test
 * (tests/unit/sh/test_edit.c) drives it directly.
 *
 * Keys: printable characters insert; Left/Right (^B/^F), Home/End
 * (^A/^E, ESC[H ESC[F ESC[1~ ESC[4~ ESC[7~ ESC[8~ ESCOH ESCOF), Backspace
 * (DEL or ^H), Delete (ESC[3~, or ^D on a non-empty line), ^U kills to
 * the start, ^K to the end, ^W the word before, ^Y yanks the last kill,
 * Up/Down (^P/^N) walk the history, Alt-b/Alt-f move by words, Tab
 * completes the word before the cursor (e->complete says with what), ^L
 * redraws, ^C drops the line, ^D on an empty line is the end, Enter ends
 * the line (the caller moves to the next one).
 *
 * The line is redrawn as "\r" prompt text "ESC[K", then the cursor is
 * moved back; a line wider than the terminal scrolls sideways.  Typing
 * at the end of a line that fits only echoes the character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

#define KEY_CTRL(c) ((c)&0x1f)
#define KEY_ESC	    0x1b
#define KEY_DEL	    0x7f

static void out(struct editor *e, const char *s, size_t n)
{
	e->out(e->ctx, s, n);
}

static void outs(struct editor *e, const char *s)
{
	out(e, s, strlen(s));
}

/* Columns a prompt takes: its characters, escape sequences aside. */
static size_t prompt_width(const char *p)
{
	size_t w = 0;

	while (*p) {
		if (*p == KEY_ESC && p[1] == '[') {
			p += 2;
			while (*p && !(*p >= 0x40 && *p <= 0x7e))
				p++;
			if (*p)
				p++;
			continue;
		}
		if ((unsigned char)*p >= 0x20 && (*p & 0xc0) != 0x80)
			w++; /* a UTF-8 continuation byte takes no column */
		p++;
	}
	return w;
}

/* Redraws the line and puts the cursor at pos. */
static void refresh(struct editor *e)
{
	size_t avail, start = 0, end, back;
	char seq[32];

	avail = (size_t)e->cols > e->prompt_cols + 8
			? (size_t)e->cols - e->prompt_cols - 1
			: 8;
	if (e->len > avail && e->pos > avail - 1)
		start = e->pos - (avail - 1);
	end = e->len - start > avail ? start + avail : e->len;
	outs(e, "\r");
	outs(e, e->prompt);
	out(e, e->buf + start, end - start);
	outs(e, "\x1b[K");
	back = end - e->pos;
	if (back) {
		snprintf(seq, sizeof(seq), "\x1b[%zuD", back);
		outs(e, seq);
	}
}

void edit_start(struct editor *e, const char *prompt, int cols,
		struct history *h, void (*outfn)(void *, const char *, size_t),
		void *ctx)
{
	e->len = e->pos = 0;
	e->buf[0] = '\0';
	e->prompt = prompt;
	e->prompt_cols = prompt_width(prompt);
	e->cols = cols > 0 ? cols : 80;
	e->esc = 0;
	e->seqlen = 0;
	e->hist = h;
	e->hist_pos = h ? h->n : 0;
	e->draft = NULL;
	e->out = outfn;
	e->ctx = ctx;
	e->complete = NULL;
	e->tabs = 0;
}

void edit_end(struct editor *e)
{
	free(e->draft);
	e->draft = NULL;
}

static void insert(struct editor *e, const char *s, size_t n)
{
	if (n > sizeof(e->buf) - 1 - e->len)
		n = sizeof(e->buf) - 1 - e->len;
	if (n == 0)
		return;
	memmove(e->buf + e->pos + n, e->buf + e->pos, e->len - e->pos);
	memcpy(e->buf + e->pos, s, n);
	e->len += n;
	e->pos += n;
	e->buf[e->len] = '\0';
	if (e->pos == e->len && e->prompt_cols + e->len < (size_t)e->cols)
		out(e, s, n); /* at the end, and it fits: just echo */
	else
		refresh(e);
}

/* Removes buf[from, to); kept for ^Y when `keep`. */
static void cut(struct editor *e, size_t from, size_t to, int keep)
{
	if (from >= to)
		return;
	if (keep) {
		memcpy(e->kill, e->buf + from, to - from);
		e->kill_len = to - from;
	}
	memmove(e->buf + from, e->buf + to, e->len - to);
	e->len -= to - from;
	e->buf[e->len] = '\0';
	e->pos = from;
	refresh(e);
}

static void move_to(struct editor *e, size_t pos)
{
	if (pos > e->len)
		pos = e->len;
	if (pos == e->pos)
		return;
	e->pos = pos;
	refresh(e);
}

static int is_word_char(char c)
{
	return c != ' ' && c != '\t' && c != '/';
}

static size_t word_left(const struct editor *e)
{
	size_t p = e->pos;

	while (p > 0 && !is_word_char(e->buf[p - 1]))
		p--;
	while (p > 0 && is_word_char(e->buf[p - 1]))
		p--;
	return p;
}

static size_t word_right(const struct editor *e)
{
	size_t p = e->pos;

	while (p < e->len && !is_word_char(e->buf[p]))
		p++;
	while (p < e->len && is_word_char(e->buf[p]))
		p++;
	return p;
}

/* ^W: the blank-separated word before the cursor, and blanks after it. */
static void kill_word(struct editor *e)
{
	size_t p = e->pos;

	while (p > 0 && (e->buf[p - 1] == ' ' || e->buf[p - 1] == '\t'))
		p--;
	while (p > 0 && e->buf[p - 1] != ' ' && e->buf[p - 1] != '\t')
		p--;
	cut(e, p, e->pos, 1);
}

static void set_line(struct editor *e, const char *s)
{
	size_t n = strlen(s);

	if (n > sizeof(e->buf) - 1)
		n = sizeof(e->buf) - 1;
	memcpy(e->buf, s, n);
	e->buf[n] = '\0';
	e->len = e->pos = n;
	refresh(e);
}

/* Up (dir -1) and Down (+1) in the history. */
static void history_move(struct editor *e, int dir)
{
	int to = e->hist_pos + dir;

	if (!e->hist || to < 0 || to > e->hist->n)
		return;
	if (e->hist_pos == e->hist->n) {
		free(e->draft);
		e->draft = xstrdup(e->buf);
	}
	e->hist_pos = to;
	set_line(e, to == e->hist->n ? (e->draft ? e->draft : "")
				     : history_get(e->hist, to));
}

static void delete_char(struct editor *e)
{
	if (e->pos < e->len)
		cut(e, e->pos, e->pos + 1, 0);
}

static void backspace(struct editor *e)
{
	if (e->pos == 0)
		return;
	if (e->pos == e->len && e->prompt_cols + e->len <= (size_t)e->cols) {
		e->buf[--e->len] = '\0';
		e->pos--;
		outs(e, "\b\x1b[K");
		return;
	}
	cut(e, e->pos - 1, e->pos, 0);
}

/* ---- completion ---- */

/* Where the word before the cursor starts. */
static size_t word_start(const struct editor *e)
{
	size_t p = e->pos;

	while (p > 0 && (!strchr(" \t;&|<>()", e->buf[p - 1]) ||
			 (p > 1 && e->buf[p - 2] == '\\')))
		p--;
	return p;
}

/* The candidates, each on its own line's worth, then the line again. */
static void list_candidates(struct editor *e, const struct strvec *c)
{
	size_t col = 0;

	outs(e, "\r\n");
	for (int i = 0; i < c->n; i++) {
		const char *name = c->v[i];
		size_t n = strlen(name);
		const char *slash = strrchr(name, '/');

		if (slash && slash[1]) /* a path: its last component */
			name = slash + 1, n = strlen(name);
		else if (slash && slash != name) { /* a directory "a/b/" */
			const char *p = slash;

			while (p > c->v[i] && p[-1] != '/')
				p--;
			n = (size_t)(slash - p) + 1;
			name = p;
		}
		if (col && col + n + 2 > (size_t)e->cols) {
			outs(e, "\r\n");
			col = 0;
		}
		out(e, name, n);
		outs(e, "  ");
		col += n + 2;
	}
	outs(e, "\r\n");
	refresh(e);
}

/*
 * Tab: the word before the cursor becomes what all the candidates start
 * with; one candidate is taken whole (and a blank after it, unless it is
 * a directory).  When that adds nothing, a second Tab lists them.
 */
static void complete(struct editor *e)
{
	struct strvec c = { 0 };
	size_t start = word_start(e), have = e->pos - start, common;

	if (!e->complete) {
		outs(e, "\a");
		return;
	}
	e->complete(e->ctx, e->buf, start, e->pos, &c);
	if (c.n == 0) {
		outs(e, "\a");
		sv_free(&c);
		return;
	}
	common = strlen(c.v[0]);
	for (int i = 1; i < c.n; i++) {
		size_t k = 0;

		while (k < common && c.v[i][k] == c.v[0][k])
			k++;
		common = k;
	}
	if (common > have || (c.n == 1 && common >= have)) {
		char *add = c.v[0] + have;
		size_t n = common - have;

		if (have && memcmp(c.v[0], e->buf + start, have) != 0) {
			/* typed differently (quotes): replace the word */
			cut(e, start, e->pos, 0);
			add = c.v[0];
			n = common;
		}
		insert(e, add, n);
		if (c.n == 1 && (common == 0 || c.v[0][common - 1] != '/'))
			insert(e, " ", 1);
		e->tabs = 0;
	} else if (e->tabs >= 2) {
		list_candidates(e, &c);
	} else {
		outs(e, "\a");
	}
	sv_free(&c);
}

/* The final byte of ESC [ params X or ESC O X. */
static void escape_done(struct editor *e, char final)
{
	e->seq[e->seqlen] = '\0';
	switch (final) {
	case 'A':
		history_move(e, -1);
		break;
	case 'B':
		history_move(e, 1);
		break;
	case 'C':
		move_to(e, e->pos + 1);
		break;
	case 'D':
		if (e->pos)
			move_to(e, e->pos - 1);
		break;
	case 'H':
		move_to(e, 0);
		break;
	case 'F':
		move_to(e, e->len);
		break;
	case '~':
		if (!strcmp(e->seq, "1") || !strcmp(e->seq, "7"))
			move_to(e, 0);
		else if (!strcmp(e->seq, "4") || !strcmp(e->seq, "8"))
			move_to(e, e->len);
		else if (!strcmp(e->seq, "3"))
			delete_char(e);
		break;
	}
}

/* Inside an escape sequence: e->esc is 1 after ESC, 2 in ESC [, 3 after
   ESC O, 4 in an ESC [ sequence too long to be one of ours. */
static void escape_key(struct editor *e, unsigned char c)
{
	if (e->esc == 1) { /* after ESC */
		e->seqlen = 0;
		if (c == '[') {
			e->esc = 2;
			return;
		}
		if (c == 'O') {
			e->esc = 3;
			return;
		}
		e->esc = 0;
		if (c == 'b')
			move_to(e, word_left(e));
		else if (c == 'f')
			move_to(e, word_right(e));
		else if (c == KEY_DEL || c == '\b')
			kill_word(e);
		return;
	}
	if (e->esc == 3 || (c >= 0x40 && c <= 0x7e)) {
		if (e->esc != 4) /* 4: too long to be one we know */
			escape_done(e, (char)c);
		e->esc = 0;
		return;
	}
	if (e->seqlen < (int)sizeof(e->seq) - 1)
		e->seq[e->seqlen++] = (char)c;
	else
		e->esc = 4; /* skipped to its final byte */
}

enum edit_status edit_key(struct editor *e, unsigned char c)
{
	e->tabs = c == '\t' ? e->tabs + 1 : 0;
	if (e->esc) {
		escape_key(e, c);
		return ED_MORE;
	}
	switch (c) {
	case '\r':
	case '\n':
		/* the caller starts the next line once the terminal is back
		   in its own mode: a ^C typed on seeing it is then a signal */
		e->buf[e->len] = '\0';
		move_to(e, e->len);
		return ED_DONE;
	case KEY_CTRL('C'):
		outs(e, "^C\r\n");
		e->len = e->pos = 0;
		e->buf[0] = '\0';
		return ED_INTERRUPT;
	case KEY_CTRL('D'):
		if (e->len == 0)
			return ED_EOF;
		delete_char(e);
		break;
	case KEY_CTRL('A'):
		move_to(e, 0);
		break;
	case KEY_CTRL('E'):
		move_to(e, e->len);
		break;
	case KEY_CTRL('B'):
		if (e->pos)
			move_to(e, e->pos - 1);
		break;
	case KEY_CTRL('F'):
		move_to(e, e->pos + 1);
		break;
	case KEY_CTRL('H'):
	case KEY_DEL:
		backspace(e);
		break;
	case KEY_CTRL('K'):
		cut(e, e->pos, e->len, 1);
		break;
	case KEY_CTRL('U'):
		cut(e, 0, e->pos, 1);
		break;
	case KEY_CTRL('W'):
		kill_word(e);
		break;
	case KEY_CTRL('Y'):
		insert(e, e->kill, e->kill_len);
		break;
	case KEY_CTRL('L'):
		outs(e, "\x1b[H\x1b[2J");
		refresh(e);
		break;
	case KEY_CTRL('P'):
		history_move(e, -1);
		break;
	case KEY_CTRL('N'):
		history_move(e, 1);
		break;
	case KEY_ESC:
		e->esc = 1;
		break;
	case '\t':
		complete(e);
		break;
	default:
		if (c >= 0x20) { /* UTF-8 bytes pass through */
			char ch = (char)c;

			insert(e, &ch, 1);
		}
		break;
	}
	return ED_MORE;
}
