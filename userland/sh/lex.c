/*
 * The lexer: command text to tokens.  A word keeps its raw text, quotes
 * and all (expand.c reads them later), except that a backslash-newline
 * outside single quotes is removed (a line continuation).  $(...),
 * $((...)), ${...} and `...` are part of the word they are in; their
 * insides are only scanned for where they end.
 *
 * Running out of text inside a quote or a $(...) is PE_INCOMPLETE while
 * more text may come (the caller reads another line and parses again),
 * a syntax error once it cannot.
 */
#include <string.h>
#include "sh.h"

void lex_init(struct lexer *lx, const char *src, size_t len, int final,
	      int line, struct arena *a)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
	lx->final = final;
	lx->line = line;
	lx->arena = a;
}

static int peekc(const struct lexer *lx, size_t off)
{
	return lx->pos + off < lx->len ? (unsigned char)lx->src[lx->pos + off]
				       : -1;
}

/* Out of text inside something `what`. */
static __attribute__((noreturn)) void need_more(struct lexer *lx,
						const char *what)
{
	if (!lx->final)
		parse_fail(lx, PE_INCOMPLETE, "more text needed");
	parse_fail(lx, PE_SYNTAX, "syntax error: unterminated %s", what);
}

/* Copies one character to b, counting lines. */
static void take(struct lexer *lx, struct strbuf *b)
{
	char c = lx->src[lx->pos++];

	if (c == '\n')
		lx->line++;
	sb_addc(b, c);
}

/* A backslash at pos: a continuation is dropped, else both are kept. */
static void take_backslash(struct lexer *lx, struct strbuf *b)
{
	if (peekc(lx, 1) == '\n') {
		lx->pos += 2;
		lx->line++;
		return;
	}
	if (peekc(lx, 1) < 0) {
		if (!lx->final)
			need_more(lx, "backslash");
		take(lx, b); /* a lone backslash at the very end */
		return;
	}
	take(lx, b);
	take(lx, b);
}

static void scan_dquote(struct lexer *lx, struct strbuf *b);
static void scan_dollar(struct lexer *lx, struct strbuf *b, int in_dq);
static void scan_backquote(struct lexer *lx, struct strbuf *b);

/* '...': everything up to the next quote, as it is. */
static void scan_squote(struct lexer *lx, struct strbuf *b)
{
	take(lx, b);
	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0)
			need_more(lx, "quoted string");
		take(lx, b);
		if (c == '\'')
			return;
	}
}

static void scan_dquote(struct lexer *lx, struct strbuf *b)
{
	take(lx, b);
	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0)
			need_more(lx, "quoted string");
		if (c == '\\') {
			take_backslash(lx, b);
		} else if (c == '$') {
			scan_dollar(lx, b, 1);
		} else if (c == '`') {
			scan_backquote(lx, b);
		} else {
			take(lx, b);
			if (c == '"')
				return;
		}
	}
}

static void scan_backquote(struct lexer *lx, struct strbuf *b)
{
	take(lx, b);
	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0)
			need_more(lx, "`...`");
		if (c == '\\') {
			take_backslash(lx, b);
			continue;
		}
		take(lx, b);
		if (c == '`')
			return;
	}
}

/* After "$(" or "${": up to the bracket that closes it.  Single quotes
   quote inside $(...) always, inside ${...} unless it is in double
   quotes. */
static void scan_nested(struct lexer *lx, struct strbuf *b, char open,
			char close, const char *what, int squotes)
{
	int depth = 1;

	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0)
			need_more(lx, what);
		if (c == '\\')
			take_backslash(lx, b);
		else if (c == '\'' && squotes)
			scan_squote(lx, b);
		else if (c == '"')
			scan_dquote(lx, b);
		else if (c == '`')
			scan_backquote(lx, b);
		else if (c == '$' &&
			 (peekc(lx, 1) == '(' || peekc(lx, 1) == '{'))
			scan_dollar(lx, b, open == '{' && !squotes);
		else {
			take(lx, b);
			if (c == open)
				depth++;
			else if (c == close && --depth == 0)
				return;
		}
	}
}

static void scan_dollar(struct lexer *lx, struct strbuf *b, int in_dq)
{
	int c = peekc(lx, 1);

	take(lx, b); /* $ */
	if (c == '(') {
		take(lx, b);
		scan_nested(lx, b, '(', ')', "$(...)", 1);
	} else if (c == '{') {
		take(lx, b);
		scan_nested(lx, b, '{', '}', "${...}", !in_dq);
	}
}

static int is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	       c == '|' || c == '<' || c == '>' || c == '(' || c == ')';
}

/* A word at pos; T_IONUM when it is all digits right before < or >. */
static enum token scan_word(struct lexer *lx)
{
	struct strbuf *b = &lx->buf;
	int digits = 1;

	b->len = 0;
	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0 || is_meta(c))
			break;
		if (c < '0' || c > '9')
			digits = 0;
		if (c == '\\')
			take_backslash(lx, b);
		else if (c == '\'')
			scan_squote(lx, b);
		else if (c == '"')
			scan_dquote(lx, b);
		else if (c == '`')
			scan_backquote(lx, b);
		else if (c == '$')
			scan_dollar(lx, b, 0);
		else
			take(lx, b);
	}
	if (b->len == 0) /* only line continuations: no word after all */
		return T_EOF;
	lx->word = arena_strndup(lx->arena, b->s, b->len);
	if (digits && (peekc(lx, 0) == '<' || peekc(lx, 0) == '>'))
		return T_IONUM;
	return T_WORD;
}

/* Reads the bodies of the here-documents waiting for this newline. */
static void read_heredocs(struct lexer *lx)
{
	for (int i = 0; i < lx->nheredocs; i++) {
		struct redir *r = lx->heredocs[i];
		struct strbuf *body = &lx->buf;

		body->len = 0;
		for (;;) {
			size_t start = lx->pos, end, s;

			if (lx->pos >= lx->len) {
				if (!lx->final)
					need_more(lx, "here-document");
				break; /* ended by the end of the text */
			}
			end = start;
			while (end < lx->len && lx->src[end] != '\n')
				end++;
			lx->pos = end < lx->len ? end + 1 : end;
			lx->line++;
			s = start;
			if (r->strip)
				while (s < end && lx->src[s] == '\t')
					s++;
			if (end - s == strlen(r->delim) &&
			    memcmp(lx->src + s, r->delim, end - s) == 0)
				break;
			sb_add(body, lx->src + s, end - s);
			sb_addc(body, '\n');
		}
		r->target = arena_strndup(lx->arena, body->s ? body->s : "",
					  body->len);
	}
	lx->nheredocs = 0;
}

/* Skips blanks, continuations and a comment. */
static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		int c = peekc(lx, 0);

		if (c == ' ' || c == '\t') {
			lx->pos++;
		} else if (c == '\\' && peekc(lx, 1) == '\n') {
			lx->pos += 2;
			lx->line++;
		} else if (c == '\\' && peekc(lx, 1) < 0 && !lx->final) {
			need_more(lx, "backslash");
		} else if (c == '#') {
			while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
				lx->pos++;
		} else {
			return;
		}
	}
}

static enum token scan_operator(struct lexer *lx)
{
	static const struct {
		const char *text;
		enum token tok;
	} ops[] = {
		{ "&&", T_AND },       { "||", T_OR },
		{ ";;", T_DSEMI },     { "<<-", T_DLESSDASH },
		{ "<<", T_DLESS },     { "<&", T_LESSAND },
		{ "<>", T_LESSGREAT }, { ">>", T_DGREAT },
		{ ">&", T_GREATAND },  { ">|", T_CLOBBER },
		{ "&", T_AMP },	       { "|", T_PIPE },
		{ ";", T_SEMI },       { "<", T_LESS },
		{ ">", T_GREAT },      { "(", T_LPAREN },
		{ ")", T_RPAREN },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].text);

		if (lx->len - lx->pos >= n &&
		    memcmp(lx->src + lx->pos, ops[i].text, n) == 0) {
			lx->pos += n;
			return ops[i].tok;
		}
	}
	return T_EOF; /* not reached: the caller saw a metacharacter */
}

static enum token lex_read(struct lexer *lx)
{
	enum token t;

	for (;;) {
		skip_blanks(lx);
		lx->tok_start = lx->pos;
		lx->tok_line = lx->line;
		lx->word = NULL;
		if (lx->pos >= lx->len) {
			if (lx->nheredocs && !lx->final)
				need_more(lx, "here-document");
			if (lx->nheredocs)
				read_heredocs(lx);
			t = T_EOF;
			break;
		}
		if (lx->src[lx->pos] == '\n') {
			lx->pos++;
			lx->line++;
			read_heredocs(lx);
			t = T_NEWLINE;
			break;
		}
		if (is_meta((unsigned char)lx->src[lx->pos])) {
			t = scan_operator(lx);
			break;
		}
		t = scan_word(lx);
		if (t != T_EOF)
			break;
		/* a word of nothing but continuations: look again */
	}
	lx->tok_end = lx->pos;
	return t;
}

enum token lex_peek(struct lexer *lx)
{
	if (!lx->peeked) {
		lx->tok = lex_read(lx);
		lx->peeked = 1;
	}
	return lx->tok;
}

enum token lex_next(struct lexer *lx)
{
	enum token t = lex_peek(lx);

	lx->peeked = 0;
	if (t != T_NEWLINE && t != T_EOF)
		lx->last_end = lx->tok_end;
	return t;
}

const char *token_name(enum token t)
{
	static const char *const names[] = {
		[T_EOF] = "end of file", [T_NEWLINE] = "newline",
		[T_WORD] = "word",	 [T_IONUM] = "number",
		[T_SEMI] = ";",		 [T_DSEMI] = ";;",
		[T_AMP] = "&",		 [T_AND] = "&&",
		[T_PIPE] = "|",		 [T_OR] = "||",
		[T_LPAREN] = "(",	 [T_RPAREN] = ")",
		[T_LESS] = "<",		 [T_GREAT] = ">",
		[T_DGREAT] = ">>",	 [T_CLOBBER] = ">|",
		[T_LESSAND] = "<&",	 [T_GREATAND] = ">&",
		[T_LESSGREAT] = "<>",	 [T_DLESS] = "<<",
		[T_DLESSDASH] = "<<-",
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) && names[t]
		       ? names[t]
		       : "?";
}
