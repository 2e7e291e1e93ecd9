/*
 * Where commands come from, and the loop that parses and runs them.
 *
 * A string source (-c, a script file read whole, eval, ., $(...)) is
 * parsed one complete command at a time and each is run before the next
 * is parsed, so `exit` and syntax errors act where they are.  The stdin
 * source reads a line at a time (with the line editor on a terminal);
 * when a command is not complete at the end of what was read, it reads
 * another line and parses again from the command's start.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "sh.h"

enum source_kind {
	SRC_STRING,
	SRC_STDIN,
};

struct source {
	enum source_kind kind;
	const char *name; /* for messages: the script, or NULL */
	char *text;	  /* SRC_STRING */
	int eof;	  /* SRC_STDIN: nothing more to read */
	int exec_last;	  /* sh -c: its last command may replace the shell */
};

void source_exec_last(struct source *s)
{
	s->exec_last = 1;
}

/* Whether only blanks and newlines are left from s on. */
static int only_blanks(const char *s)
{
	return s[strspn(s, " \t\n")] == '\0';
}

struct source *source_string(const char *name, const char *text)
{
	struct source *s = xmalloc(sizeof(*s));

	s->kind = SRC_STRING;
	s->name = name;
	s->text = xstrdup(text);
	s->eof = 1;
	s->exec_last = 0;
	return s;
}

struct source *source_stdin(void)
{
	struct source *s = xmalloc(sizeof(*s));

	s->kind = SRC_STDIN;
	s->name = NULL;
	s->text = NULL;
	s->eof = 0;
	s->exec_last = 0;
	return s;
}

void source_free(struct source *s)
{
	if (!s)
		return;
	free(s->text);
	free(s);
}

/* ---- prompts ---- */

/* The prompt $PS1 or $PS2 asks for, its backslash escapes replaced
   (malloc'd). */
static char *prompt_expand(const char *ps)
{
	struct strbuf b = { 0 };
	char cwd[1024];
	const char *slash;

	for (; ps && *ps; ps++) {
		if (*ps != '\\' || !ps[1]) {
			sb_addc(&b, *ps);
			continue;
		}
		switch (*++ps) {
		case 'w':
		case 'W':
			if (!getcwd(cwd, sizeof(cwd)))
				strcpy(cwd, "?");
			slash = strrchr(cwd, '/');
			sb_adds(&b, *ps == 'W' && slash && slash[1] ? slash + 1
								    : cwd);
			break;
		case '$':
			sb_addc(&b, '$');
			break;
		case 'u':
			sb_adds(&b, "root"); /* every process is uid 0 so far */
			break;
		case 'h':
			sb_adds(&b, "valence");
			break;
		case 'n':
			sb_addc(&b, '\n');
			break;
		case 'e':
			sb_addc(&b, '\033');
			break;
		case '\\':
			sb_addc(&b, '\\');
			break;
		default:
			sb_addc(&b, '\\');
			sb_addc(&b, *ps);
			break;
		}
	}
	return sb_take(&b);
}

/* ---- completion ---- */

/* The word as typed, without its quotes and backslashes. */
static char *unquote_word(const char *s, size_t n)
{
	struct strbuf b = { 0 };
	char q = 0;

	for (size_t i = 0; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
			else
				sb_addc(&b, s[i]);
		} else if (s[i] == '\'' || s[i] == '"') {
			q = s[i];
		} else if (s[i] == '\\' && i + 1 < n) {
			sb_addc(&b, s[++i]);
		} else {
			sb_addc(&b, s[i]);
		}
	}
	return sb_take(&b);
}

/* A name as it must be typed: specials get a backslash. */
static void add_quoted(struct strvec *out, const char *dir, const char *name,
		       const char *tail)
{
	struct strbuf b = { 0 };

	for (const char *parts[] = { dir, name, NULL }, **p = parts; *p; p++)
		for (const char *c = *p; *c; c++) {
			if (strchr(" \t\n'\"\\$`&|;<>()*?[]#~!{}", *c))
				sb_addc(&b, '\\');
			sb_addc(&b, *c);
		}
	sb_adds(&b, tail);
	for (int i = 0; i < out->n; i++) {
		if (strcmp(out->v[i], b.s) == 0) { /* in two directories */
			sb_free(&b);
			return;
		}
	}
	sv_add(out, sb_take(&b));
}

/* The entries of dir starting with prefix; programs only (regular
   files) with `programs`. */
static void complete_dir(const char *dir, const char *shown, const char *prefix,
			 int programs, struct strvec *out)
{
	size_t n = strlen(prefix);
	struct dirent *d;
	DIR *dp = opendir(*dir ? dir : ".");

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		int is_dir = d->d_type == DT_DIR;

		if (strncmp(d->d_name, prefix, n) != 0 ||
		    strcmp(d->d_name, ".") == 0 ||
		    strcmp(d->d_name, "..") == 0 ||
		    (d->d_name[0] == '.' && prefix[0] != '.') ||
		    (programs && is_dir))
			continue;
		add_quoted(out, shown, d->d_name, is_dir ? "/" : "");
	}
	closedir(dp);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The line editor's Tab (edit.c): the first word of a command is a
 * built-in or a program of $PATH; any other word, or one with a '/', a
 * path.
 */
static void complete_word(void *ctx, const char *buf, size_t start, size_t pos,
			  struct strvec *out)
{
	char *word = unquote_word(buf + start, pos - start);
	size_t p = start;
	const char *slash;

	(void)ctx;
	while (p > 0 && (buf[p - 1] == ' ' || buf[p - 1] == '\t'))
		p--;
	if ((p == 0 || strchr(";&|(", buf[p - 1])) && !strchr(word, '/')) {
		const char *path = var_get("PATH");
		size_t n = strlen(word);

		for (const struct builtin *b = builtins; b->name; b++)
			if (strncmp(b->name, word, n) == 0)
				add_quoted(out, "", b->name, "");
		while (path && *path) {
			const char *colon = strchr(path, ':');
			char *dir =
				xstrndup(path, colon ? (size_t)(colon - path)
						     : strlen(path));

			complete_dir(dir, "", word, 1, out);
			free(dir);
			path = colon ? colon + 1 : NULL;
		}
	} else {
		char *dir;

		slash = strrchr(word, '/');
		dir = slash ? xstrndup(word, (size_t)(slash - word + 1))
			    : xstrdup("");
		complete_dir(dir, dir, slash ? slash + 1 : word, 0, out);
		free(dir);
	}
	if (out->n > 1)
		qsort(out->v, (size_t)out->n, sizeof(char *), by_name);
	free(word);
}

/* ---- reading lines ---- */

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w <= 0 && errno != EINTR)
			return;
		if (w > 0) {
			s += w;
			n -= (size_t)w;
		}
	}
}

static void editor_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	write_all(2, s, n);
}

/* What read_line returns besides 1 (a line was added). */
#define LINE_EOF       0
#define LINE_INTERRUPT -1

/* With the line editor: the terminal in raw mode while it runs. */
static int read_line_edit(struct strbuf *buf, const char *prompt)
{
	static struct editor ed;
	struct termios raw = sh.tmodes;
	struct winsize ws;
	const char *last = strrchr(prompt, '\n');
	int cols = 80, st = ED_MORE;

	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | IGNCR);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (term_set_modes(&raw) < 0)
		return -2; /* not a terminal after all */
	if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	write_all(2, prompt, strlen(prompt));
	edit_start(&ed, last ? last + 1 : prompt, cols, &sh_history, editor_out,
		   NULL);
	ed.complete = complete_word;
	while (st == ED_MORE) {
		unsigned char c;
		ssize_t n = read(0, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			st = ED_EOF;
			break;
		}
		st = edit_key(&ed, c);
	}
	term_set_modes(&sh.tmodes);
	edit_end(&ed);
	if (st == ED_DONE) { /* after the mode: see edit_key */
		int crlf = (sh.tmodes.c_oflag & (OPOST | ONLCR)) ==
			   (OPOST | ONLCR);

		write_all(2, crlf ? "\n" : "\r\n", crlf ? 1 : 2);
	}
	if (st == ED_INTERRUPT)
		return LINE_INTERRUPT;
	if (st == ED_EOF)
		return LINE_EOF;
	history_add(&sh_history, ed.buf);
	sb_adds(buf, ed.buf);
	sb_addc(buf, '\n');
	return 1;
}

/* Without it: a byte at a time, so that the rest stays for others. */
static int read_line_plain(struct strbuf *buf, const char *prompt)
{
	size_t start = buf->len;

	if (prompt)
		write_all(2, prompt, strlen(prompt));
	for (;;) {
		char c;
		ssize_t n = read(0, &c, 1);

		if (n < 0 && errno == EINTR) {
			if (sh.interrupted)
				return LINE_INTERRUPT;
			continue;
		}
		if (n <= 0)
			return buf->len > start ? 1 : LINE_EOF;
		sb_addc(buf, c);
		if (c == '\n')
			return 1;
	}
}

static int read_line(struct source *src, struct strbuf *buf, const char *ps)
{
	char *prompt = sh.interactive ? prompt_expand(var_get(ps)) : NULL;
	int r = -2;

	fflush(stdout);
	if (sh.editing)
		r = read_line_edit(buf, prompt);
	if (r == -2)
		r = read_line_plain(buf, prompt);
	free(prompt);
	if (r == LINE_EOF)
		src->eof = 1;
	return r;
}

/* ---- the loop ---- */

/* Before each prompt: finished jobs and a Ctrl-C forgotten. */
static void before_prompt(void)
{
	jobs_reap(1);
	sh.interrupted = sh.suspended = 0;
}

int run_source(struct source *src)
{
	struct strbuf buf = { 0 };
	const char *saved_script = sh.script;
	size_t pos = 0;
	int line = 1, st = 0, top = src->kind == SRC_STDIN;
	char msg[200];

	if (src->kind == SRC_STRING) {
		sb_adds(&buf, src->text);
		if (src->name)
			sh.script = src->name;
		else
			line = sh.lineno > 0 ? sh.lineno : 1;
	}
	for (;;) {
		struct arena *arena;
		struct node *node;
		size_t consumed;
		int lines, r, final;

		if (pos >= buf.len) {
			if (src->kind == SRC_STRING || src->eof)
				break;
			buf.len = pos = 0;
			if (sh.interactive)
				before_prompt();
			r = read_line(src, &buf, "PS1");
			if (r == LINE_INTERRUPT) {
				sh.status = 130;
				continue;
			}
			if (r == LINE_EOF && buf.len == 0)
				break;
		}
		final = src->kind == SRC_STRING || src->eof;
		arena = arena_new();
		r = parse_next(buf.s + pos, buf.len - pos, final, line, arena,
			       &node, &consumed, &lines, msg, sizeof(msg));
		if (r == P_INCOMPLETE) {
			arena_release(arena);
			r = read_line(src, &buf, "PS2");
			if (r == LINE_INTERRUPT) { /* the whole command goes */
				pos = buf.len;
				sh.status = 130;
			}
			continue;
		}
		if (r == P_SYNTAX) {
			arena_release(arena);
			sh.lineno = line + lines;
			sh_error("%s", msg);
			st = sh.status = 2;
			if (!sh.interactive && top)
				sh_exit(2);
			if (src->kind == SRC_STRING)
				break; /* eval, ., -c: the rest goes too */
			pos = buf.len;
			continue;
		}
		pos += consumed;
		line += lines;
		if (r == P_OK && node) {
			/* the last command of sh -c may take the shell's place
			 */
			int last = src->exec_last && only_blanks(buf.s + pos);

			st = exec_node(node, last ? X_NOFORK : 0);
		}
		arena_release(arena);
		if (sh.returning || (sh.interrupted && !sh.interactive))
			break;
		if (sh.interrupted && top) {
			sh.interrupted = 0;
			pos = buf.len;
		}
	}
	sb_free(&buf);
	sh.script = saved_script;
	return st;
}
