/*
 * The parser: tokens to a tree, by recursive descent over the POSIX
 * grammar (the parts docs/shell.md lists).  Everything lives in the
 * caller's arena.  Errors longjmp back to parse_next, which reports
 * them: a syntax error, or "incomplete" when more lines may finish the
 * command.
 *
 *   complete : list (NEWLINE | EOF)
 *   list     : and_or ((';' | '&' | NEWLINE) and_or)*
 *   and_or   : pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline : ['!'] command ('|' linebreak command)*
 *   command  : simple | compound redirect* | NAME '(' ')' compound
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

void parse_fail(struct lexer *lx, enum parse_error e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lx->msg, lx->msg_size, fmt, ap);
	va_end(ap);
	longjmp(*lx->jmp, (int)e);
}

/* A syntax error at the token ahead. */
static __attribute__((noreturn)) void fail_near(struct lexer *lx)
{
	enum token t = lex_peek(lx);

	if (t == T_EOF) {
		if (!lx->final)
			parse_fail(lx, PE_INCOMPLETE, "more text needed");
		parse_fail(lx, PE_SYNTAX,
			   "syntax error: unexpected end of file");
	}
	if (t == T_NEWLINE)
		parse_fail(lx, PE_SYNTAX, "syntax error near newline");
	parse_fail(lx, PE_SYNTAX, "syntax error near '%s'",
		   t == T_WORD || t == T_IONUM ? lx->word : token_name(t));
}

static struct node *new_node(struct lexer *lx, enum node_type type)
{
	struct node *n = arena_alloc(lx->arena, sizeof(*n));

	lex_peek(lx);
	n->type = type;
	n->line = lx->tok_line;
	n->arena = lx->arena;
	return n;
}

/* Whether the token ahead is the (unquoted) word kw. */
static int at_word(struct lexer *lx, const char *kw)
{
	return lex_peek(lx) == T_WORD && strcmp(lx->word, kw) == 0;
}

static void expect_word(struct lexer *lx, const char *kw)
{
	if (!at_word(lx, kw))
		fail_near(lx);
	lex_next(lx);
}

static void expect(struct lexer *lx, enum token t)
{
	if (lex_peek(lx) != t)
		fail_near(lx);
	lex_next(lx);
}

static void skip_newlines(struct lexer *lx)
{
	while (lex_peek(lx) == T_NEWLINE)
		lex_next(lx);
}

/* Words that end a compound list when they come where a command would. */
static int is_terminator(const char *w)
{
	static const char *const words[] = { "then", "else", "elif", "fi",
					     "do",   "done", "esac", "}" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(w, words[i]) == 0)
			return 1;
	return 0;
}

/* A growable array of pointers, in the arena (a syntax error leaves
   nothing to free); always NULL-terminated. */
struct ptrs {
	void **v;
	int n, cap;
};

static void ptrs_add(struct lexer *lx, struct ptrs *p, void *x)
{
	if (p->n + 2 > p->cap) {
		int cap = p->cap ? p->cap * 2 : 8;
		void **v = arena_alloc(lx->arena, (size_t)cap * sizeof(void *));

		if (p->n)
			memcpy(v, p->v, (size_t)p->n * sizeof(void *));
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = x;
	p->v[p->n] = NULL;
}

static void **ptrs_finish(struct lexer *lx, struct ptrs *p)
{
	if (!p->v)
		return arena_alloc(lx->arena, sizeof(void *));
	return p->v;
}

static struct node *parse_list(struct lexer *lx, int compound);
static struct node *parse_command(struct lexer *lx);

int is_assignment(const char *word)
{
	const char *eq = strchr(word, '=');

	return eq && eq > word && is_name(word, (int)(eq - word));
}

static int is_redir_token(enum token t)
{
	return t == T_LESS || t == T_GREAT || t == T_DGREAT || t == T_CLOBBER ||
	       t == T_LESSAND || t == T_GREATAND || t == T_LESSGREAT ||
	       t == T_DLESS || t == T_DLESSDASH;
}

/* A here-document's delimiter: the word without its quotes. */
static char *heredoc_delim(struct lexer *lx, const char *w, int *quoted)
{
	struct strbuf b = { 0 };
	char q = 0;
	char *d;

	*quoted = 0;
	for (; *w; w++) {
		if (q) {
			if (*w == q)
				q = 0;
			else
				sb_addc(&b, *w);
		} else if (*w == '\'' || *w == '"') {
			q = *w;
			*quoted = 1;
		} else if (*w == '\\' && w[1]) {
			*quoted = 1;
			sb_addc(&b, *++w);
		} else {
			sb_addc(&b, *w);
		}
	}
	d = arena_strndup(lx->arena, b.s ? b.s : "", b.len);
	sb_free(&b);
	return d;
}

/* One redirection; fd is the IO number before it, or -1. */
static struct redir *parse_redirect(struct lexer *lx, int fd)
{
	struct redir *r = arena_alloc(lx->arena, sizeof(*r));
	enum token op = lex_next(lx);

	switch (op) {
	case T_LESS:
		r->kind = R_IN;
		break;
	case T_GREAT:
	case T_CLOBBER:
		r->kind = R_OUT;
		break;
	case T_DGREAT:
		r->kind = R_APPEND;
		break;
	case T_LESSGREAT:
		r->kind = R_RDWR;
		break;
	case T_LESSAND:
		r->kind = R_DUPIN;
		break;
	case T_GREATAND:
		r->kind = R_DUPOUT;
		break;
	default: /* T_DLESS, T_DLESSDASH */
		r->kind = R_HEREDOC;
		r->strip = op == T_DLESSDASH;
		break;
	}
	r->fd = fd >= 0 ? fd
		: (r->kind == R_IN || r->kind == R_RDWR || r->kind == R_DUPIN ||
		   r->kind == R_HEREDOC)
			? 0
			: 1;
	if (lex_peek(lx) != T_WORD)
		fail_near(lx);
	lex_next(lx);
	if (r->kind != R_HEREDOC) {
		r->target = lx->word;
		return r;
	}
	if (lx->nheredocs == HEREDOC_PENDING_MAX)
		parse_fail(lx, PE_SYNTAX,
			   "too many here-documents on one line");
	int quoted;

	r->delim = heredoc_delim(lx, lx->word, &quoted);
	r->expand = !quoted;
	lx->heredocs[lx->nheredocs++] = r;
	return r;
}

/* Redirections after a compound command, appended to n's. */
static void parse_trailing_redirects(struct lexer *lx, struct node *n)
{
	struct redir **tail = &n->redirs;

	while (*tail)
		tail = &(*tail)->next;
	for (;;) {
		enum token t = lex_peek(lx);
		int fd = -1;

		if (t == T_IONUM) {
			fd = atoi(lx->word);
			lex_next(lx);
		} else if (!is_redir_token(t)) {
			return;
		}
		*tail = parse_redirect(lx, fd);
		tail = &(*tail)->next;
	}
}

static struct node *parse_simple(struct lexer *lx)
{
	struct node *n = new_node(lx, N_CMD);
	struct ptrs words = { 0 }, assigns = { 0 };
	struct redir **tail = &n->redirs;

	for (;;) {
		enum token t = lex_peek(lx);

		if (t == T_IONUM) {
			int fd = atoi(lx->word);

			lex_next(lx);
			*tail = parse_redirect(lx, fd);
			tail = &(*tail)->next;
		} else if (is_redir_token(t)) {
			*tail = parse_redirect(lx, -1);
			tail = &(*tail)->next;
		} else if (t == T_WORD) {
			lex_next(lx);
			if (words.n == 0 && is_assignment(lx->word))
				ptrs_add(lx, &assigns, lx->word);
			else
				ptrs_add(lx, &words, lx->word);
		} else {
			break;
		}
	}
	if (words.n == 0 && assigns.n == 0 && !n->redirs)
		fail_near(lx);
	n->cmd.words = (char **)ptrs_finish(lx, &words);
	n->cmd.assign = (char **)ptrs_finish(lx, &assigns);
	return n;
}

/* After "if" or "elif": the rest, up to and with "fi". */
static struct node *parse_if_rest(struct lexer *lx)
{
	struct node *n = new_node(lx, N_IF);

	n->cond.cond = parse_list(lx, 1);
	expect_word(lx, "then");
	n->cond.body = parse_list(lx, 1);
	if (at_word(lx, "elif")) {
		lex_next(lx);
		n->cond.els = parse_if_rest(lx);
		return n;
	}
	if (at_word(lx, "else")) {
		lex_next(lx);
		n->cond.els = parse_list(lx, 1);
	}
	expect_word(lx, "fi");
	return n;
}

static struct node *parse_loop(struct lexer *lx, enum node_type type)
{
	struct node *n = new_node(lx, type);

	n->cond.cond = parse_list(lx, 1);
	expect_word(lx, "do");
	n->cond.body = parse_list(lx, 1);
	expect_word(lx, "done");
	return n;
}

static struct node *parse_for(struct lexer *lx)
{
	struct node *n = new_node(lx, N_FOR);

	if (lex_peek(lx) != T_WORD)
		fail_near(lx);
	if (!is_name(lx->word, -1))
		parse_fail(lx, PE_SYNTAX,
			   "syntax error: bad for loop variable '%s'",
			   lx->word);
	lex_next(lx);
	n->loop.var = lx->word;
	skip_newlines(lx);
	if (at_word(lx, "in")) {
		struct ptrs words = { 0 };

		lex_next(lx);
		while (lex_peek(lx) == T_WORD) {
			lex_next(lx);
			ptrs_add(lx, &words, lx->word);
		}
		n->loop.words = (char **)ptrs_finish(lx, &words);
		if (lex_peek(lx) != T_SEMI && lex_peek(lx) != T_NEWLINE)
			fail_near(lx);
		lex_next(lx);
	} else if (lex_peek(lx) == T_SEMI) {
		lex_next(lx);
	}
	skip_newlines(lx);
	expect_word(lx, "do");
	n->loop.body = parse_list(lx, 1);
	expect_word(lx, "done");
	return n;
}

static struct node *parse_case(struct lexer *lx)
{
	struct node *n = new_node(lx, N_CASE);
	struct case_item **tail = &n->cas.items;

	if (lex_peek(lx) != T_WORD)
		fail_near(lx);
	lex_next(lx);
	n->cas.word = lx->word;
	skip_newlines(lx);
	expect_word(lx, "in");
	skip_newlines(lx);
	while (!at_word(lx, "esac")) {
		struct case_item *item = arena_alloc(lx->arena, sizeof(*item));
		struct ptrs pats = { 0 };

		if (lex_peek(lx) == T_LPAREN)
			lex_next(lx);
		for (;;) {
			if (lex_peek(lx) != T_WORD)
				fail_near(lx);
			lex_next(lx);
			ptrs_add(lx, &pats, lx->word);
			if (lex_peek(lx) != T_PIPE)
				break;
			lex_next(lx);
		}
		item->patterns = (char **)ptrs_finish(lx, &pats);
		expect(lx, T_RPAREN);
		skip_newlines(lx);
		if (lex_peek(lx) != T_DSEMI && !at_word(lx, "esac"))
			item->body = parse_list(lx, 1);
		*tail = item;
		tail = &item->next;
		if (lex_peek(lx) != T_DSEMI)
			break;
		lex_next(lx);
		skip_newlines(lx);
	}
	expect_word(lx, "esac");
	return n;
}

static int is_compound(const struct node *n)
{
	return n->type == N_IF || n->type == N_WHILE || n->type == N_UNTIL ||
	       n->type == N_FOR || n->type == N_CASE || n->type == N_GROUP ||
	       n->type == N_SUBSHELL;
}

static struct node *parse_command(struct lexer *lx)
{
	enum token t = lex_peek(lx);
	struct node *n;

	if (t == T_LPAREN) {
		n = new_node(lx, N_SUBSHELL);
		lex_next(lx);
		n->group.body = parse_list(lx, 1);
		expect(lx, T_RPAREN);
	} else if (t == T_WORD && strcmp(lx->word, "{") == 0) {
		n = new_node(lx, N_GROUP);
		lex_next(lx);
		n->group.body = parse_list(lx, 1);
		expect_word(lx, "}");
	} else if (at_word(lx, "if")) {
		lex_next(lx);
		n = parse_if_rest(lx);
	} else if (at_word(lx, "while") || at_word(lx, "until")) {
		enum node_type type = lx->word[0] == 'w' ? N_WHILE : N_UNTIL;

		lex_next(lx);
		n = parse_loop(lx, type);
	} else if (at_word(lx, "for")) {
		lex_next(lx);
		n = parse_for(lx);
	} else if (at_word(lx, "case")) {
		lex_next(lx);
		n = parse_case(lx);
	} else if (t == T_WORD &&
		   (is_terminator(lx->word) || strcmp(lx->word, "!") == 0)) {
		fail_near(lx);
	} else {
		n = parse_simple(lx);
		if (lex_peek(lx) != T_LPAREN || n->cmd.assign[0] || n->redirs ||
		    !n->cmd.words[0] || n->cmd.words[1])
			return n;
		/* NAME ( ) compound: a function */
		if (!is_name(n->cmd.words[0], -1))
			fail_near(lx);
		struct node *f = new_node(lx, N_FUNC);

		f->func.name = n->cmd.words[0];
		lex_next(lx);
		expect(lx, T_RPAREN);
		skip_newlines(lx);
		f->func.body = parse_command(lx);
		if (!is_compound(f->func.body))
			parse_fail(lx, PE_SYNTAX,
				   "syntax error: the body of %s() must be a "
				   "compound command, such as { ...; }",
				   f->func.name);
		return f;
	}
	parse_trailing_redirects(lx, n);
	return n;
}

/* The source text from start to the end of the last token taken. */
static const char *text_from(struct lexer *lx, size_t start)
{
	size_t end = lx->last_end > start ? lx->last_end : start;

	return arena_strndup(lx->arena, lx->src + start, end - start);
}

static struct node *parse_pipeline(struct lexer *lx)
{
	struct ptrs cmds = { 0 };
	struct node *n;
	size_t start;
	int bang = 0;

	lex_peek(lx);
	start = lx->tok_start;
	if (at_word(lx, "!")) {
		lex_next(lx);
		bang = 1;
	}
	ptrs_add(lx, &cmds, parse_command(lx));
	while (lex_peek(lx) == T_PIPE) {
		lex_next(lx);
		skip_newlines(lx);
		ptrs_add(lx, &cmds, parse_command(lx));
	}
	if (cmds.n == 1 && !bang) {
		n = cmds.v[0];
	} else {
		n = new_node(lx, N_PIPE);
		n->line = ((struct node *)cmds.v[0])->line;
		n->pipe.n = cmds.n;
		n->pipe.bang = bang;
		n->pipe.cmds = (struct node **)ptrs_finish(lx, &cmds);
	}
	n->text = text_from(lx, start);
	return n;
}

static struct node *parse_and_or(struct lexer *lx)
{
	struct node *n = parse_pipeline(lx);

	for (;;) {
		enum token t = lex_peek(lx);
		struct node *b;

		if (t != T_AND && t != T_OR)
			return n;
		lex_next(lx);
		skip_newlines(lx);
		b = new_node(lx, t == T_AND ? N_AND : N_OR);
		b->line = n->line;
		b->bin.a = n;
		b->bin.b = parse_pipeline(lx);
		n = b;
	}
}

static struct node *seq(struct lexer *lx, struct node *a, struct node *b)
{
	struct node *n;

	if (!a)
		return b;
	n = new_node(lx, N_SEQ);
	n->line = a->line;
	n->bin.a = a;
	n->bin.b = b;
	return n;
}

/*
 * A list of and-or lists.  At the top (compound 0) it ends before a
 * newline or the end; a compound list (the inside of if, while, { },
 * ...) goes on over newlines and ends before a word that closes it, a
 * ')' or a ';;', and must hold at least one command.
 */
static struct node *parse_list(struct lexer *lx, int compound)
{
	struct node *list = NULL;

	if (++lx->depth > NEST_MAX)
		parse_fail(lx, PE_SYNTAX, "syntax error: nested too deeply");

	for (;;) {
		struct node *n;
		enum token t;
		size_t start;
		int sep;

		if (compound) {
			skip_newlines(lx);
			t = lex_peek(lx);
			if (t == T_RPAREN || t == T_DSEMI ||
			    (t == T_WORD && is_terminator(lx->word))) {
				if (!list)
					fail_near(lx);
				lx->depth--;
				return list;
			}
		}
		lex_peek(lx);
		start = lx->tok_start;
		n = parse_and_or(lx);
		t = lex_peek(lx);
		if (t == T_AMP) {
			struct node *bg = new_node(lx, N_BG);

			bg->line = n->line;
			bg->bin.a = n;
			bg->text = text_from(lx, start);
			n = bg;
		}
		list = seq(lx, list, n);
		sep = t == T_SEMI || t == T_AMP;
		if (sep) {
			lex_next(lx);
			t = lex_peek(lx);
		}
		if (t == T_NEWLINE || t == T_EOF) {
			if (!compound) {
				lx->depth--;
				return list;
			}
			if (t == T_EOF)
				fail_near(lx);
			continue;
		}
		if (compound && (t == T_RPAREN || t == T_DSEMI ||
				 (t == T_WORD && is_terminator(lx->word))))
			continue; /* the check at the top ends the list */
		if (!sep)
			fail_near(lx); /* something after a command: `a )` */
	}
}

enum parse_status parse_next(const char *src, size_t len, int final, int line,
			     struct arena *a, struct node **out,
			     size_t *consumed, int *lines, char *msg,
			     size_t msg_size)
{
	struct lexer lx;
	jmp_buf jmp;
	int e;

	lex_init(&lx, src, len, final, line, a);
	lx.jmp = &jmp;
	lx.msg = msg;
	lx.msg_size = msg_size;
	msg[0] = '\0';
	*out = NULL;
	e = setjmp(jmp);
	if (e) {
		sb_free(&lx.buf);
		*out = NULL;
		*consumed = len;
		*lines = lx.line - line;
		return e == PE_INCOMPLETE ? P_INCOMPLETE : P_SYNTAX;
	}
	while (lex_peek(&lx) == T_NEWLINE)
		lex_next(&lx);
	if (lex_peek(&lx) == T_EOF) {
		sb_free(&lx.buf);
		*consumed = lx.pos;
		*lines = lx.line - line;
		return P_EOF;
	}
	*out = parse_list(&lx, 0);
	if (lex_peek(&lx) != T_NEWLINE && lex_peek(&lx) != T_EOF)
		fail_near(&lx);
	lex_next(&lx);
	sb_free(&lx.buf);
	*consumed = lx.pos;
	*lines = lx.line - line;
	return P_OK;
}
