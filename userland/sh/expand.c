/*
 * Word expansion: a raw word (quotes and all, as the lexer kept it) to
 * fields.  In order: tilde, parameters, $(...) and `...`, $((...)),
 * field splitting, pathnames, quote removal.
 *
 * The word is expanded into a buffer of characters with one attribute
 * byte each: A_QUOTED characters came from quotes (never split or
 * matched as patterns), A_EXP ones from an unquoted expansion (split on
 * $IFS), others are the word's own unquoted text (patterns, not split).
 * Two zero-width entries: A_MARK where quotes were (so that "" makes an
 * empty field) and A_BREAK between the words of $@.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

#define A_LIT	  0
#define A_QUOTED  1
#define A_EXP	  2
#define A_MARK	  3
#define A_BREAK	  4 /* between unquoted $@ words: a field ends if any */
#define A_BREAK_Q 5 /* between "$@" words: a field ends, even empty */

#define DQ_NONE	   0
#define DQ_QUOTED  1 /* inside "..." */
#define DQ_HEREDOC 2 /* a here-document's body */

struct xb {
	struct strbuf c, a;
	int flags;
};

static void put(struct xb *b, const char *s, size_t n, char attr)
{
	sb_add(&b->c, s, n);
	for (size_t i = 0; i < n; i++)
		sb_addc(&b->a, attr);
}

static void put_zero(struct xb *b, char attr)
{
	sb_addc(&b->c, '\0');
	sb_addc(&b->a, attr);
}

static void xb_free(struct xb *b)
{
	sb_free(&b->c);
	sb_free(&b->a);
}

/* ---- finding where things end (the lexer checked they do) ---- */

static size_t skip_close(const char *s, size_t i, size_t len, char open,
			 char close, int squotes);

/* s[i] is a single quote: the index after the closing one. */
static size_t skip_squote(const char *s, size_t i, size_t len)
{
	for (i++; i < len && s[i] != '\''; i++)
		;
	return i < len ? i + 1 : len;
}

static size_t skip_bquote(const char *s, size_t i, size_t len)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '`')
			return i + 1;
	}
	return len;
}

/* After a '$' at i: past its $(...) or ${...}, or i + 1. */
static size_t skip_dollar(const char *s, size_t i, size_t len, int in_dq)
{
	if (i + 1 < len && s[i + 1] == '(')
		return skip_close(s, i + 2, len, '(', ')', 1) + 1;
	if (i + 1 < len && s[i + 1] == '{')
		return skip_close(s, i + 2, len, '{', '}', !in_dq) + 1;
	return i + 1;
}

static size_t skip_dquote(const char *s, size_t i, size_t len)
{
	for (i++; i < len;) {
		if (s[i] == '\\')
			i += 2;
		else if (s[i] == '"')
			return i + 1;
		else if (s[i] == '$')
			i = skip_dollar(s, i, len, 1);
		else if (s[i] == '`')
			i = skip_bquote(s, i, len);
		else
			i++;
	}
	return len;
}

/* From i (after the opening bracket): the index of the closing one. */
static size_t skip_close(const char *s, size_t i, size_t len, char open,
			 char close, int squotes)
{
	int depth = 1;

	while (i < len) {
		char c = s[i];

		if (c == '\\') {
			i += 2;
		} else if (c == '\'' && squotes) {
			i = skip_squote(s, i, len);
		} else if (c == '"') {
			i = skip_dquote(s, i, len);
		} else if (c == '`') {
			i = skip_bquote(s, i, len);
		} else if (c == '$' && i + 1 < len &&
			   (s[i + 1] == '(' || s[i + 1] == '{')) {
			i = skip_dollar(s, i, len, !squotes);
		} else {
			if (c == open)
				depth++;
			else if (c == close && --depth == 0)
				return i;
			i++;
		}
	}
	return len;
}

/* ---- parameters ---- */

static int last_subst_status = -1; /* of the last $(...), for `x=$(f)` */
static int brace_depth;		   /* ${...} inside ${...} */

static char *option_letters(void)
{
	struct strbuf b = { 0 };

	if (sh.opt_errexit)
		sb_addc(&b, 'e');
	if (sh.opt_noglob)
		sb_addc(&b, 'f');
	if (sh.interactive)
		sb_addc(&b, 'i');
	if (sh.opt_nounset)
		sb_addc(&b, 'u');
	if (sh.opt_xtrace)
		sb_addc(&b, 'x');
	return sb_take(&b);
}

/* A parameter's value (malloc'd), or NULL when unset.  Not $@, $*. */
static char *param_value(const char *name)
{
	char num[24];
	const char *v;
	long n;

	if (isdigit((unsigned char)name[0])) {
		if (parse_int(name, &n) < 0)
			return NULL;
		if (n == 0)
			return xstrdup(sh.arg0);
		return n <= params.n ? xstrdup(params.v[n - 1]) : NULL;
	}
	if (name[1] == '\0') {
		switch (name[0]) {
		case '?':
			snprintf(num, sizeof(num), "%d", sh.status);
			return xstrdup(num);
		case '$':
			snprintf(num, sizeof(num), "%d", (int)sh.pid);
			return xstrdup(num);
		case '!':
			if (!sh.last_bg)
				return NULL;
			snprintf(num, sizeof(num), "%d", (int)sh.last_bg);
			return xstrdup(num);
		case '#':
			snprintf(num, sizeof(num), "%d", params.n);
			return xstrdup(num);
		case '-':
			return option_letters();
		}
	}
	v = var_get(name);
	return v ? xstrdup(v) : NULL;
}

/* The value of an expansion, quoted or to be split. */
static void put_value(struct xb *b, const char *v, int dq)
{
	put(b, v, strlen(v), dq ? A_QUOTED : A_EXP);
}

/* $@ and $*, in or out of double quotes. */
static void put_params(struct xb *b, char which, int dq)
{
	const char *ifs = var_get("IFS");

	for (int i = 0; i < params.n; i++) {
		if (i > 0) {
			if (!dq)
				put_zero(b, A_BREAK);
			else if (which == '@')
				put_zero(b, A_BREAK_Q);
			else if (!ifs)
				put(b, " ", 1, A_QUOTED);
			else if (*ifs)
				put(b, ifs, 1, A_QUOTED);
		}
		put_value(b, params.v[i], dq);
	}
}

static int ex_text(struct xb *b, const char *s, size_t len, int dq, char lit,
		   int top);

/* Expands s[0..len) alone into a string; pattern: quoted *?[\ escaped. */
static char *ex_string(const char *s, size_t len, int dq, int pattern, int *err)
{
	struct xb t = { .flags = 0 };
	struct strbuf out = { 0 };

	*err = ex_text(&t, s, len, dq, A_LIT, 0);
	for (size_t i = 0; i < t.c.len; i++) {
		char c = t.c.s[i], a = t.a.s[i];

		if (a == A_MARK)
			continue;
		if (a == A_BREAK || a == A_BREAK_Q)
			c = ' ';
		if (pattern &&
		    (c == '\\' || (a == A_QUOTED && strchr("*?[]", c))))
			sb_addc(&out, '\\');
		sb_addc(&out, c);
	}
	xb_free(&t);
	return sb_take(&out);
}

static int unset_error(const char *name)
{
	sh_error("%s: unbound variable", name);
	return -1;
}

/* ${...} taken apart: ${#name}, or ${name}, or ${name[:]OP word}. */
struct brace {
	char name[64];
	int length;	  /* ${#name} */
	int colon;	  /* ":" before OP: empty counts as unset */
	char op;	  /* '-', '=', '+', '?', '%', '#'; 0: none */
	int longest;	  /* %% and ## */
	const char *word; /* after OP */
	size_t wlen;
};

/* Parses the inside of ${...}: 0, or -1 after reporting it. */
static int brace_parse(const char *s, size_t len, struct brace *br)
{
	const char *all = s, *op;
	size_t n = 0, all_len = len;

	memset(br, 0, sizeof(*br));
	if (len > 1 && s[0] == '#' &&
	    (isalnum((unsigned char)s[1]) || s[1] == '_' ||
	     strchr("@*#?$!-", s[1]))) {
		br->length = 1;
		s++, len--;
	}
	if (len && (isalpha((unsigned char)s[0]) || s[0] == '_')) {
		while (n < len && (isalnum((unsigned char)s[n]) || s[n] == '_'))
			n++;
	} else if (len && isdigit((unsigned char)s[0])) {
		while (n < len && isdigit((unsigned char)s[n]))
			n++;
	} else if (len && strchr("@*#?$!-", s[0])) {
		n = 1;
	}
	if (n == 0 || n >= sizeof(br->name) || (br->length && n != len))
		goto bad;
	memcpy(br->name, s, n);
	op = s + n;
	if (op == s + len)
		return 0;
	if (*op == ':') {
		br->colon = 1;
		op++;
	}
	if (op >= s + len || !strchr("-=+?%#", *op))
		goto bad;
	br->op = *op;
	br->word = op + 1;
	if (!br->colon && (*op == '%' || *op == '#') && br->word < s + len &&
	    *br->word == *op) {
		br->longest = 1;
		br->word++;
	}
	br->wlen = (size_t)(s + len - br->word);
	return 0;
bad:
	sh_error("${%.*s}: bad substitution", (int)all_len, all);
	return -1;
}

static int is_all_params(const struct brace *br)
{
	return br->name[0] == '@' || br->name[0] == '*';
}

/* ${#name} */
static int brace_length(struct xb *b, const struct brace *br, int dq)
{
	char num[24];
	char *value;

	if (is_all_params(br)) {
		snprintf(num, sizeof(num), "%d", params.n);
	} else {
		value = param_value(br->name);
		if (!value && sh.opt_nounset)
			return unset_error(br->name);
		snprintf(num, sizeof(num), "%zu", value ? strlen(value) : 0);
		free(value);
	}
	put_value(b, num, dq);
	return 0;
}

/* The value itself, $@ and $* as they are in the quotes. */
static void brace_put(struct xb *b, const struct brace *br, const char *value,
		      int dq)
{
	if (is_all_params(br))
		put_params(b, br->name[0], dq);
	else if (value)
		put_value(b, value, dq);
}

/* ${x=word}: x gets the word, which is the value. */
static int brace_assign(struct xb *b, const struct brace *br, int dq)
{
	char *value;
	int err;

	if (!is_name(br->name, -1)) {
		sh_error("%s: cannot assign this way", br->name);
		return -1;
	}
	value = ex_string(br->word, br->wlen, dq, 0, &err);
	if (!err)
		err = var_set(br->name, value, 0);
	if (!err)
		put_value(b, value, dq);
	free(value);
	return err;
}

/* ${x?message}: the message, and a script stops. */
static int brace_fail(const struct brace *br, int dq)
{
	char *msg;
	int err = 0;

	msg = br->wlen ? ex_string(br->word, br->wlen, dq, 0, &err)
		       : xstrdup("parameter null or not set");
	sh_error("%s: %s", br->name, msg);
	free(msg);
	if (!sh.interactive) /* POSIX: a script stops here */
		sh_exit(1);
	return -1;
}

/* ${x%pat} ${x%%pat} ${x#pat} ${x##pat} */
static int brace_trim(struct xb *b, const struct brace *br, const char *value,
		      int dq)
{
	char *pat;
	long cut;
	int err;

	if (!value)
		return sh.opt_nounset ? unset_error(br->name) : 0;
	pat = ex_string(br->word, br->wlen, dq, 1, &err);
	cut = br->op == '%' ? pattern_suffix(pat, value, br->longest)
			    : pattern_prefix(pat, value, br->longest);
	free(pat);
	if (cut < 0)
		put_value(b, value, dq);
	else if (br->op == '%')
		put(b, value, strlen(value) - (size_t)cut,
		    dq ? A_QUOTED : A_EXP);
	else
		put_value(b, value + cut, dq);
	return err;
}

/* One ${...} and its operator. */
static int ex_brace_op(struct xb *b, const char *s, size_t len, int dq)
{
	struct brace br;
	char *value;
	int use, err = 0;

	if (brace_parse(s, len, &br) < 0)
		return -1;
	if (br.length)
		return brace_length(b, &br, dq);
	if (is_all_params(&br)) /* set-ness only */
		value = params.n == 0			   ? NULL
			: params.n == 1 && !params.v[0][0] ? xstrdup("")
							   : xstrdup("x");
	else
		value = param_value(br.name);
	use = !value || (br.colon && !value[0]); /* the word, not x */
	if (!br.op && !value && sh.opt_nounset)
		err = unset_error(br.name);
	else if (!br.op)
		brace_put(b, &br, value, dq);
	else if ((br.op == '-' && use) || (br.op == '+' && !use))
		err = ex_text(b, br.word, br.wlen, dq, dq ? A_QUOTED : A_EXP,
			      0);
	else if (br.op == '-' || (br.op == '=' && !use) ||
		 (br.op == '?' && !use))
		brace_put(b, &br, value, dq);
	else if (br.op == '=')
		err = brace_assign(b, &br, dq);
	else if (br.op == '?')
		err = brace_fail(&br, dq);
	else if (br.op == '%' || br.op == '#')
		err = brace_trim(b, &br, value, dq);
	free(value);
	return err;
}

/* ${...}, with a bound on how deep they nest. */
static int ex_brace(struct xb *b, const char *s, size_t len, int dq)
{
	int r;

	if (brace_depth >= NEST_MAX) {
		sh_error("${...}: nested too deeply");
		return -1;
	}
	brace_depth++;
	r = ex_brace_op(b, s, len, dq);
	brace_depth--;
	return r;
}

/* ---- command substitution and arithmetic ---- */

/* Runs text as commands in a child shell: its output, the trailing
   newlines removed, and its status in *status. */
static char *command_output(const char *text, int *status)
{
	struct strbuf out = { 0 };
	char buf[512];
	int p[2], st = 0;
	pid_t pid;
	ssize_t n;

	fflush(stdout);
	if (pipe(p) < 0) {
		sh_error("cannot make a pipe: %s", strerror(errno));
		*status = 1;
		return xstrdup("");
	}
	pid = fork();
	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		*status = 1;
		return xstrdup("");
	}
	if (pid == 0) {
		close(p[0]);
		if (p[1] != 1) {
			dup2(p[1], 1);
			close(p[1]);
		}
		sh.subshell++;
		sh.interactive = sh.jobctl = sh.editing = 0;
		sh_exit(exec_text(text, NULL));
	}
	close(p[1]);
	for (;;) {
		n = read(p[0], buf, sizeof(buf));
		if (n > 0)
			sb_add(&out, buf, (size_t)n);
		else if (n == 0 || errno != EINTR)
			break;
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*status = WIFEXITED(st)	    ? WEXITSTATUS(st)
		  : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
				    : 1;
	while (out.len && out.s[out.len - 1] == '\n')
		out.s[--out.len] = '\0';
	return sb_take(&out);
}

static void ex_subst(struct xb *b, const char *text, size_t len, int dq)
{
	char *cmd = xstrndup(text, len), *out;
	int st;

	out = command_output(cmd, &st);
	last_subst_status = st;
	put_value(b, out, dq);
	free(out);
	free(cmd);
}

/* `...`: \$ \` \\ (and \" in double quotes) lose their backslash. */
static void ex_backquote(struct xb *b, const char *s, size_t len, int dq)
{
	struct strbuf t = { 0 };

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len &&
		    (s[i + 1] == '$' || s[i + 1] == '`' || s[i + 1] == '\\' ||
		     (dq && s[i + 1] == '"')))
			i++;
		sb_addc(&t, s[i]);
	}
	ex_subst(b, t.s ? t.s : "", t.len, dq);
	sb_free(&t);
}

static int ex_arith(struct xb *b, const char *s, size_t len, int dq)
{
	char num[24], *expr;
	long v;
	int err;

	expr = ex_string(s, len, DQ_QUOTED, 0, &err);
	if (!err)
		err = arith_eval(expr, &v);
	free(expr);
	if (err)
		return -1;
	snprintf(num, sizeof(num), "%ld", v);
	put_value(b, num, dq);
	return 0;
}

/* s[*i] is '$': one expansion, *i moved past it. */
static int ex_dollar(struct xb *b, const char *s, size_t len, size_t *i, int dq,
		     char lit)
{
	size_t at = *i, j;
	char name[64];
	char *v;
	int c = at + 1 < len ? (unsigned char)s[at + 1] : -1;

	if (c == '(') {
		if (at + 2 < len && s[at + 2] == '(') {
			j = skip_close(s, at + 3, len, '(', ')', 1);
			if (j + 1 < len && s[j + 1] == ')' &&
			    skip_close(s, at + 2, len, '(', ')', 1) == j + 1) {
				*i = j + 2;
				return ex_arith(b, s + at + 3, j - at - 3, dq);
			}
		}
		j = skip_close(s, at + 2, len, '(', ')', 1);
		*i = j + 1;
		ex_subst(b, s + at + 2, j - at - 2, dq);
		return 0;
	}
	if (c == '{') {
		j = skip_close(s, at + 2, len, '{', '}', dq == DQ_NONE);
		*i = j + 1;
		return ex_brace(b, s + at + 2, j - at - 2, dq);
	}
	if (c >= 0 && (isalpha(c) || c == '_')) {
		j = at + 1;
		while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_'))
			j++;
		if (j - at - 1 >= sizeof(name)) {
			sh_error("%.*s: name too long", (int)(j - at), s + at);
			*i = j;
			return -1;
		}
		memcpy(name, s + at + 1, j - at - 1);
		name[j - at - 1] = '\0';
		*i = j;
	} else if (c >= 0 && (isdigit(c) || strchr("?$!#-", c))) {
		name[0] = (char)c;
		name[1] = '\0';
		*i = at + 2;
	} else if (c == '@' || c == '*') {
		*i = at + 2;
		put_params(b, (char)c, dq);
		return 0;
	} else {
		put(b, "$", 1, dq ? A_QUOTED : lit);
		*i = at + 1;
		return 0;
	}
	v = param_value(name);
	if (!v && sh.opt_nounset)
		return unset_error(name);
	if (v)
		put_value(b, v, dq);
	free(v);
	return 0;
}

/* ~, ~/x, ~+, ~-: the part up to the first / or : of s. */
static size_t ex_tilde(struct xb *b, const char *s, size_t len, char lit)
{
	size_t n = 1;
	const char *v = NULL;

	while (n < len && s[n] != '/' && s[n] != ':')
		n++;
	if (n == 1)
		v = var_get("HOME");
	else if (n == 2 && s[1] == '+')
		v = var_get("PWD");
	else if (n == 2 && s[1] == '-')
		v = var_get("OLDPWD");
	if (!v) { /* ~user: there are no users to look up */
		put(b, "~", 1, lit);
		return 1;
	}
	put(b, v, strlen(v), A_QUOTED);
	return n;
}

/*
 * Expands s[0..len): dq says whether it is inside double quotes (or a
 * here-document), lit is the attribute of plain characters, top whether
 * this is the word itself (tildes) rather than a part of it.
 */
static int ex_text(struct xb *b, const char *s, size_t len, int dq, char lit,
		   int top)
{
	size_t i = 0, j;

	while (i < len) {
		char c = s[i];

		if (dq) {
			const char *esc =
				dq == DQ_HEREDOC ? "$`\\\n" : "$`\"\\\n";

			if (c == '\\' && i + 1 < len && strchr(esc, s[i + 1])) {
				if (s[i + 1] != '\n')
					put(b, s + i + 1, 1, A_QUOTED);
				i += 2;
			} else if (c == '$') {
				if (ex_dollar(b, s, len, &i, dq, A_QUOTED) < 0)
					return -1;
			} else if (c == '`') {
				j = skip_bquote(s, i, len);
				ex_backquote(b, s + i + 1, j - i - 2, 1);
				i = j;
			} else {
				put(b, &c, 1, A_QUOTED);
				i++;
			}
			continue;
		}
		switch (c) {
		case '\\':
			if (i + 1 < len)
				put(b, s + i + 1, 1, A_QUOTED);
			else
				put(b, "\\", 1, A_QUOTED);
			i += 2;
			break;
		case '\'':
			j = skip_squote(s, i, len);
			put_zero(b, A_MARK);
			put(b, s + i + 1, j - i - 2, A_QUOTED);
			i = j;
			break;
		case '"':
			j = skip_dquote(s, i, len);
			/* "$@" with no parameters is no field at all */
			if (!(params.n == 0 && j - i == 4 &&
			      memcmp(s + i + 1, "$@", 2) == 0))
				put_zero(b, A_MARK);
			if (ex_text(b, s + i + 1, j - i - 2, DQ_QUOTED,
				    A_QUOTED, 0) < 0)
				return -1;
			i = j;
			break;
		case '$':
			if (ex_dollar(b, s, len, &i, DQ_NONE, lit) < 0)
				return -1;
			break;
		case '`':
			j = skip_bquote(s, i, len);
			ex_backquote(b, s + i + 1, j - i - 2, 0);
			i = j;
			break;
		case '~':
			if (top && (((b->flags & EX_TILDE) && i == 0) ||
				    ((b->flags & EX_ASSIGN) && i > 0 &&
				     s[i - 1] == ':'))) {
				i += ex_tilde(b, s + i, len - i, lit);
				break;
			}
			/* fall through */
		default:
			put(b, &c, 1, lit);
			i++;
			break;
		}
	}
	return 0;
}

/* ---- fields ---- */

static int has_magic(const struct strbuf *c, const struct strbuf *a)
{
	for (size_t i = 0; i < c->len; i++)
		if (a->s[i] != A_QUOTED && strchr("*?[", c->s[i]))
			return 1;
	return 0;
}

/* One finished field: its pathname expansion, or itself. */
static void emit(struct strbuf *c, struct strbuf *a, int flags,
		 struct strvec *out)
{
	if ((flags & EX_GLOB) && !sh.opt_noglob && c->len && has_magic(c, a)) {
		struct strbuf pat = { 0 };
		int n;

		for (size_t i = 0; i < c->len; i++) {
			char ch = c->s[i];

			if (ch == '\\' ||
			    (a->s[i] == A_QUOTED && strchr("*?[]", ch)))
				sb_addc(&pat, '\\');
			sb_addc(&pat, ch);
		}
		n = glob_expand(pat.s, out);
		sb_free(&pat);
		if (n > 0) {
			c->len = a->len = 0;
			return;
		}
	}
	sv_add(out, xstrndup(c->s ? c->s : "", c->len));
	c->len = a->len = 0;
}

/* Splits the expanded word into fields (on $IFS where it may). */
static void make_fields(struct xb *b, int flags, struct strvec *out)
{
	const char *ifs = var_get("IFS");
	struct strbuf c = { 0 }, a = { 0 };
	int have = 0, ws_ended = 0;

	if (!ifs)
		ifs = " \t\n";
	for (size_t i = 0; i < b->c.len; i++) {
		char ch = b->c.s[i], at = b->a.s[i];

		if (at == A_MARK) {
			have = 1;
			continue;
		}
		if (at == A_BREAK || at == A_BREAK_Q) {
			if (have || at == A_BREAK_Q)
				emit(&c, &a, flags, out);
			have = at == A_BREAK_Q;
			ws_ended = 0;
			continue;
		}
		if ((flags & EX_SPLIT) && at == A_EXP && ch &&
		    strchr(ifs, ch)) {
			if (ch == ' ' || ch == '\t' || ch == '\n') {
				if (have) {
					emit(&c, &a, flags, out);
					ws_ended = 1;
				}
			} else {
				if (have || !ws_ended)
					emit(&c, &a, flags, out);
				ws_ended = 0;
			}
			have = 0;
			continue;
		}
		sb_addc(&c, ch);
		sb_addc(&a, at);
		have = 1;
		ws_ended = 0;
	}
	if (have)
		emit(&c, &a, flags, out);
	sb_free(&c);
	sb_free(&a);
}

int expand_word(const char *raw, int flags, struct strvec *out)
{
	struct xb b = { .flags = flags };
	int err = ex_text(&b, raw, strlen(raw), DQ_NONE, A_LIT, 1);

	if (!err)
		make_fields(&b, flags, out);
	xb_free(&b);
	return err;
}

static char *flatten(struct xb *b)
{
	struct strbuf out = { 0 };

	for (size_t i = 0; i < b->c.len; i++) {
		char a = b->a.s[i];

		if (a == A_MARK)
			continue;
		sb_addc(&out, a == A_BREAK || a == A_BREAK_Q ? ' ' : b->c.s[i]);
	}
	return sb_take(&out);
}

char *expand_one(const char *raw, int flags)
{
	struct xb b = { .flags = flags };
	char *s = NULL;

	if (ex_text(&b, raw, strlen(raw), DQ_NONE, A_LIT, 1) == 0)
		s = flatten(&b);
	xb_free(&b);
	return s;
}

char *expand_pattern(const char *raw)
{
	int err;
	char *s = ex_string(raw, strlen(raw), DQ_NONE, 1, &err);

	if (err) {
		free(s);
		return NULL;
	}
	return s;
}

char *expand_heredoc(const char *body)
{
	struct xb b = { .flags = 0 };
	char *s = NULL;

	if (ex_text(&b, body, strlen(body), DQ_HEREDOC, A_QUOTED, 0) == 0)
		s = flatten(&b);
	xb_free(&b);
	return s;
}

/* The status of the last command substitution since the last call, or
   -1 when there was none (expand.c keeps it for assignments). */
int expand_subst_status(void)
{
	int st = last_subst_status;

	last_subst_status = -1;
	return st;
}
