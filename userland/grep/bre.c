/*
 * bre: POSIX basic regular expressions (bre.h).  Three steps: parse the
 * pattern into a tree of nodes, generate a program from the tree, run the
 * program over a line with every live thread at once.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bre.h"

/* ---- the program ---- */

enum op {
	OP_CHAR,  /* the byte c */
	OP_ANY,	  /* any byte */
	OP_SET,	  /* a byte in sets[x] */
	OP_SPLIT, /* go on at x and at y */
	OP_JMP,	  /* go on at x */
	OP_BOL,	  /* only at the start of the line */
	OP_EOL,	  /* only at its end */
	OP_MATCH,
};

struct bre_inst {
	uint8_t op;
	uint8_t c;
	int x, y;
};

/* ---- the tree ---- */

enum kind {
	N_CHAR,
	N_ANY,
	N_SET,
	N_BOL,
	N_EOL,
	N_CAT,
	N_ALT,
	N_REP
};

#define INF (-1) /* an interval with no upper bound */

/*
 * A sequence (N_CAT) and an alternation (N_ALT) hold the index of their
 * first member in `a`; the members are chained through `next`, so that
 * long patterns do not make deep trees.  Only groups and repetitions
 * nest, and both are limited (MAX_DEPTH, MAX_REPEATS).
 */
struct node {
	enum kind kind;
	int a;	      /* N_CHAR: the byte; N_SET: the set; N_CAT, N_ALT: the
			 first member; N_REP: the repeated node */
	int next;     /* the next member of a sequence or alternation */
	int min, max; /* N_REP */
};

#define MAX_DEPTH   32 /* nested groups */
#define MAX_REPEATS 8  /* repetitions of one atom in a row, as a** */

struct parser {
	const unsigned char *p, *end;
	int flags, depth;
	struct node *nodes;
	int nnodes, node_cap;
	struct bre *re;
	int set_cap;
	char *err;
	size_t err_size;
	int failed;
};

static int fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (!ps->failed && ps->err_size) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->err_size, fmt, ap);
		va_end(ap);
	}
	ps->failed = 1;
	return -1;
}

/* A new node; -1 (and the parser failed) when memory runs out. */
static int new_node(struct parser *ps, enum kind kind, int a)
{
	struct node *n;

	if (ps->failed)
		return -1;
	if (ps->nnodes == ps->node_cap) {
		int cap = ps->node_cap ? ps->node_cap * 2 : 64;

		n = realloc(ps->nodes, (size_t)cap * sizeof(*n));
		if (!n)
			return fail(ps, "out of memory");
		ps->nodes = n;
		ps->node_cap = cap;
	}
	n = &ps->nodes[ps->nnodes];
	n->kind = kind;
	n->a = a;
	n->next = -1;
	n->min = n->max = 0;
	return ps->nnodes++;
}

/* A new, empty bracket set; its index, or -1. */
static int new_set(struct parser *ps)
{
	struct bre *re = ps->re;

	if (ps->failed)
		return -1;
	if (re->nsets == ps->set_cap) {
		int cap = ps->set_cap ? ps->set_cap * 2 : 8;
		uint32_t(*s)[8] = realloc(re->sets, (size_t)cap * sizeof(*s));

		if (!s)
			return fail(ps, "out of memory");
		re->sets = s;
		ps->set_cap = cap;
	}
	memset(re->sets[re->nsets], 0, sizeof(re->sets[0]));
	return re->nsets++;
}

static void set_add(uint32_t *set, unsigned c)
{
	set[c / 32] |= 1u << (c % 32);
}

static int set_has(const uint32_t *set, unsigned c)
{
	return (set[c / 32] >> (c % 32)) & 1;
}

/* A character, which with BRE_ICASE is a set of both its cases. */
static int char_node(struct parser *ps, unsigned char c)
{
	int s;

	if (!(ps->flags & BRE_ICASE) || tolower(c) == toupper(c))
		return new_node(ps, N_CHAR, c);
	s = new_set(ps);
	if (s < 0)
		return -1;
	set_add(ps->re->sets[s], (unsigned)tolower(c));
	set_add(ps->re->sets[s], (unsigned)toupper(c));
	return new_node(ps, N_SET, s);
}

static int at(const struct parser *ps, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, s, n) == 0;
}

/* ---- bracket expressions ---- */

static const struct {
	const char *name;
	int (*is)(int);
} classes[] = {
	{ "alpha", isalpha }, { "digit", isdigit }, { "alnum", isalnum },
	{ "upper", isupper }, { "lower", islower }, { "space", isspace },
	{ "blank", isblank }, { "punct", ispunct }, { "print", isprint },
	{ "graph", isgraph }, { "cntrl", iscntrl }, { "xdigit", isxdigit },
};

/* "[:name:]" at ps->p: adds the class to set.  0 or -1. */
static int parse_class(struct parser *ps, uint32_t *set)
{
	const unsigned char *name = ps->p + 2, *e = name;

	while (e + 1 < ps->end && !(e[0] == ':' && e[1] == ']'))
		e++;
	if (e + 1 >= ps->end)
		return fail(ps, "unmatched [");
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i].name) == (size_t)(e - name) &&
		    memcmp(classes[i].name, name, (size_t)(e - name)) == 0) {
			for (unsigned c = 0; c < 256; c++) {
				if (classes[i].is((int)c))
					set_add(set, c);
			}
			ps->p = e + 2;
			return 0;
		}
	}
	return fail(ps, "unknown character class '%.*s'", (int)(e - name),
		    (const char *)name);
}

/* The bracket expression after a '['; its N_SET node, or -1. */
static int parse_bracket(struct parser *ps)
{
	int negate = 0, first = 1, s = new_set(ps);
	uint32_t set[8] = { 0 };

	if (s < 0)
		return -1;
	if (ps->p < ps->end && *ps->p == '^') {
		negate = 1;
		ps->p++;
	}
	for (;;) {
		unsigned lo, hi;

		if (ps->p >= ps->end)
			return fail(ps, "unmatched [");
		if (*ps->p == ']' && !first) {
			ps->p++;
			break;
		}
		first = 0;
		if (at(ps, "[.") || at(ps, "[="))
			return fail(ps, "collating elements and equivalence "
					"classes are not supported");
		if (at(ps, "[:")) {
			if (parse_class(ps, set) < 0)
				return -1;
			continue;
		}
		lo = hi = *ps->p++;
		if (ps->end - ps->p >= 2 && ps->p[0] == '-' &&
		    ps->p[1] != ']') {
			hi = ps->p[1];
			ps->p += 2;
			if (hi < lo)
				return fail(ps, "invalid range %c-%c", lo, hi);
		}
		for (unsigned c = lo; c <= hi; c++)
			set_add(set, c);
	}
	if (ps->flags & BRE_ICASE) {
		for (unsigned c = 0; c < 256; c++) {
			if (set_has(set, c)) {
				set_add(set, (unsigned)tolower((int)c));
				set_add(set, (unsigned)toupper((int)c));
			}
		}
	}
	for (int i = 0; i < 8; i++)
		ps->re->sets[s][i] = negate ? ~set[i] : set[i];
	return new_node(ps, N_SET, s);
}

/* ---- the pattern ---- */

static int parse_alt(struct parser *ps);

/* Whether the parser is at the end of an alternative. */
static int at_branch_end(const struct parser *ps)
{
	return ps->p >= ps->end || at(ps, "\\|") ||
	       (ps->depth > 0 && at(ps, "\\)"));
}

/* "\{m\}", "\{m,\}" or "\{m,n\}", after the "\{". */
static int parse_interval(struct parser *ps, int *min, int *max)
{
	int m = -1, n;

	for (; ps->p < ps->end && isdigit(*ps->p); ps->p++) {
		m = (m < 0 ? 0 : m) * 10 + (*ps->p - '0');
		if (m > BRE_DUP_MAX)
			return fail(ps, "interval count above %d", BRE_DUP_MAX);
	}
	if (m < 0)
		return fail(ps, "invalid interval");
	n = m;
	if (ps->p < ps->end && *ps->p == ',') {
		ps->p++;
		n = INF;
		for (; ps->p < ps->end && isdigit(*ps->p); ps->p++) {
			n = (n == INF ? 0 : n) * 10 + (*ps->p - '0');
			if (n > BRE_DUP_MAX)
				return fail(ps, "interval count above %d",
					    BRE_DUP_MAX);
		}
	}
	if (!at(ps, "\\}"))
		return fail(ps, "unmatched \\{");
	ps->p += 2;
	if (n != INF && n < m)
		return fail(ps, "invalid interval \\{%d,%d\\}", m, n);
	*min = m;
	*max = n;
	return 0;
}

/*
 * One atom.  `first`: nothing precedes it in this alternative (so '^'
 * anchors).  "\{", "\+" and "\?" reach here only where there is
 * nothing to repeat, and are then characters.
 */
static int parse_atom(struct parser *ps, int first)
{
	unsigned char c = *ps->p++, d;
	int n;

	if (ps->flags & BRE_LITERAL)
		return char_node(ps, c);
	switch (c) {
	case '^':
		if (first)
			return new_node(ps, N_BOL, 0);
		return char_node(ps, c);
	case '$':
		if (at_branch_end(ps))
			return new_node(ps, N_EOL, 0);
		return char_node(ps, c);
	case '.':
		return new_node(ps, N_ANY, 0);
	case '[':
		return parse_bracket(ps);
	case '\\':
		break;
	default:
		return char_node(ps, c);
	}
	if (ps->p >= ps->end)
		return fail(ps, "trailing backslash");
	d = *ps->p++;
	if (d == '(') {
		if (ps->depth == MAX_DEPTH)
			return fail(ps, "groups nested deeper than %d",
				    MAX_DEPTH);
		ps->depth++;
		n = parse_alt(ps);
		ps->depth--;
		if (n < 0)
			return -1;
		if (!at(ps, "\\)"))
			return fail(ps, "unmatched \\(");
		ps->p += 2;
		return n;
	}
	if (d == ')')
		return fail(ps, "unmatched \\)");
	if (d >= '1' && d <= '9')
		return fail(ps, "back-references are not supported");
	return char_node(ps, d);
}

/* An atom and the repetitions after it. */
static int parse_piece(struct parser *ps, int first)
{
	int n = parse_atom(ps, first), min = 0, max = 0;

	if (n < 0 || ps->nodes[n].kind == N_BOL || (ps->flags & BRE_LITERAL))
		return n;
	for (int count = 0;; count++) {
		if (ps->p < ps->end && *ps->p == '*') {
			ps->p++;
			min = 0;
			max = INF;
		} else if (at(ps, "\\{")) {
			ps->p += 2;
			if (parse_interval(ps, &min, &max) < 0)
				return -1;
		} else if (at(ps, "\\+")) {
			ps->p += 2;
			min = 1;
			max = INF;
		} else if (at(ps, "\\?")) {
			ps->p += 2;
			min = 0;
			max = 1;
		} else {
			return n;
		}
		if (count == MAX_REPEATS)
			return fail(ps, "more than %d repetitions in a row",
				    MAX_REPEATS);
		n = new_node(ps, N_REP, n);
		if (n < 0)
			return -1;
		ps->nodes[n].min = min;
		ps->nodes[n].max = max;
	}
}

/* A sequence of pieces up to the end of the alternative. */
static int parse_concat(struct parser *ps)
{
	int seq = new_node(ps, N_CAT, -1), last = -1, first = 1;
	int star_literal = 1;

	while (seq >= 0 && !at_branch_end(ps)) {
		int piece;

		if (star_literal && !(ps->flags & BRE_LITERAL) &&
		    *ps->p == '*') {
			ps->p++;
			piece = char_node(ps, '*');
		} else {
			piece = parse_piece(ps, first);
		}
		if (piece < 0)
			return -1;
		star_literal = first && ps->nodes[piece].kind == N_BOL;
		first = 0;
		if (last < 0)
			ps->nodes[seq].a = piece;
		else
			ps->nodes[last].next = piece;
		last = piece;
	}
	return seq;
}

static int parse_alt(struct parser *ps)
{
	int n = parse_concat(ps), alt, last = n;

	if (n < 0 || (ps->flags & BRE_LITERAL) || !at(ps, "\\|"))
		return n;
	alt = new_node(ps, N_ALT, n);
	while (alt >= 0 && at(ps, "\\|")) {
		int m;

		ps->p += 2;
		m = parse_concat(ps);
		if (m < 0)
			return -1;
		ps->nodes[last].next = m;
		last = m;
	}
	return alt;
}

/* ---- code generation ---- */

static int emit(struct parser *ps, enum op op, int c, int x, int y)
{
	struct bre *re = ps->re;

	if (ps->failed)
		return -1;
	if (re->len == BRE_PROG_MAX)
		return fail(ps, "regular expression too big");
	re->prog[re->len].op = (uint8_t)op;
	re->prog[re->len].c = (uint8_t)c;
	re->prog[re->len].x = x;
	re->prog[re->len].y = y;
	return re->len++;
}

static int gen(struct parser *ps, int idx);

/* Node n repeated min to max (INF) times. */
static int gen_rep(struct parser *ps, const struct node *n)
{
	struct bre_inst *prog = ps->re->prog;
	int split;

	for (int i = 0; i < n->min; i++) {
		if (gen(ps, n->a) < 0)
			return -1;
	}
	if (n->max == INF) {
		split = emit(ps, OP_SPLIT, 0, 0, 0);
		if (split < 0 || gen(ps, n->a) < 0 ||
		    emit(ps, OP_JMP, 0, split, 0) < 0)
			return -1;
		prog[split].x = split + 1;
		prog[split].y = ps->re->len;
		return 0;
	}
	/* Optional copies: x? x? ... (the same lines match as x(x)?)?). */
	for (int i = n->min; i < n->max; i++) {
		split = emit(ps, OP_SPLIT, 0, 0, 0);
		if (split < 0 || gen(ps, n->a) < 0)
			return -1;
		prog[split].x = split + 1;
		prog[split].y = ps->re->len;
	}
	return 0;
}

/*
 * Alternatives a, b, ... c: SPLIT to a or the next SPLIT, a, JMP to the
 * end, ..., c.  The JMPs are chained through their x until the end is
 * known.
 */
static int gen_alt(struct parser *ps, const struct node *n)
{
	struct bre_inst *prog = ps->re->prog;
	int jmps = -1, split, jmp;

	for (int m = n->a; m >= 0; m = ps->nodes[m].next) {
		if (ps->nodes[m].next < 0)
			break; /* the last one needs no split or jump */
		split = emit(ps, OP_SPLIT, 0, 0, 0);
		if (split < 0 || gen(ps, m) < 0)
			return -1;
		jmp = emit(ps, OP_JMP, 0, jmps, 0);
		if (jmp < 0)
			return -1;
		jmps = jmp;
		prog[split].x = split + 1;
		prog[split].y = jmp + 1;
	}
	for (int m = n->a; m >= 0; m = ps->nodes[m].next) {
		if (ps->nodes[m].next < 0 && gen(ps, m) < 0)
			return -1;
	}
	while (jmps >= 0) {
		jmp = prog[jmps].x;
		prog[jmps].x = ps->re->len;
		jmps = jmp;
	}
	return 0;
}

static int gen(struct parser *ps, int idx)
{
	const struct node *n = &ps->nodes[idx];

	switch (n->kind) {
	case N_CHAR:
		return emit(ps, OP_CHAR, n->a, 0, 0);
	case N_ANY:
		return emit(ps, OP_ANY, 0, 0, 0);
	case N_SET:
		return emit(ps, OP_SET, 0, n->a, 0);
	case N_BOL:
		return emit(ps, OP_BOL, 0, 0, 0);
	case N_EOL:
		return emit(ps, OP_EOL, 0, 0, 0);
	case N_CAT:
		for (int m = n->a; m >= 0; m = ps->nodes[m].next) {
			if (gen(ps, m) < 0)
				return -1;
		}
		return 0;
	case N_ALT:
		return gen_alt(ps, n);
	case N_REP:
		return gen_rep(ps, n);
	}
	return fail(ps, "internal error");
}

int bre_compile(struct bre *re, const char *pattern, size_t pattern_len,
		int flags, char *err, size_t err_size)
{
	struct parser ps = {
		.p = (const unsigned char *)pattern,
		.end = (const unsigned char *)pattern + pattern_len,
		.flags = flags,
		.re = re,
		.err = err,
		.err_size = err_size,
	};
	int root;

	memset(re, 0, sizeof(*re));
	re->flags = flags;
	root = parse_alt(&ps);
	if (root >= 0 && ps.p < ps.end)
		root = fail(&ps, "unmatched \\)"); /* a ")" ended the top */
	if (root >= 0) {
		re->prog = malloc(BRE_PROG_MAX * sizeof(*re->prog));
		if (!re->prog)
			root = fail(&ps, "out of memory");
	}
	if (root >= 0 && gen(&ps, root) >= 0)
		emit(&ps, OP_MATCH, 0, 0, 0);
	free(ps.nodes);
	if (!ps.failed) {
		size_t n = (size_t)re->len;

		re->stamp = calloc(n, sizeof(*re->stamp));
		re->cur = malloc(n * sizeof(int));
		re->next = malloc(n * sizeof(int));
		re->stack = malloc(n * sizeof(int));
		if (!re->stamp || !re->cur || !re->next || !re->stack)
			fail(&ps, "out of memory");
	}
	if (ps.failed) {
		bre_free(re);
		return -1;
	}
	return 0;
}

void bre_free(struct bre *re)
{
	free(re->prog);
	free(re->sets);
	free(re->stamp);
	free(re->cur);
	free(re->next);
	free(re->stack);
	memset(re, 0, sizeof(*re));
}

/* ---- matching ---- */

/*
 * Adds the thread at pc, and what it leads to without reading a byte
 * (jumps, splits, anchors that hold at pos), to list (*n entries).  A pc
 * already stamped with `mark` is in the list for this step.
 */
static void add_thread(struct bre *re, int *list, int *n, int pc, size_t pos,
		       size_t len, uint32_t mark)
{
	int sp = 0;

	if (re->stamp[pc] == mark)
		return;
	re->stamp[pc] = mark;
	re->stack[sp++] = pc;
	while (sp > 0) {
		const struct bre_inst *in;
		int to[2], nto = 0;

		pc = re->stack[--sp];
		in = &re->prog[pc];
		switch (in->op) {
		case OP_JMP:
			to[nto++] = in->x;
			break;
		case OP_SPLIT:
			to[nto++] = in->y;
			to[nto++] = in->x;
			break;
		case OP_BOL:
			if (pos == 0)
				to[nto++] = pc + 1;
			break;
		case OP_EOL:
			if (pos == len)
				to[nto++] = pc + 1;
			break;
		default:
			list[(*n)++] = pc;
			break;
		}
		for (int i = 0; i < nto; i++) {
			if (re->stamp[to[i]] != mark) {
				re->stamp[to[i]] = mark;
				re->stack[sp++] = to[i];
			}
		}
	}
}

/* A stamp for each step of a match, never reused while stamps live. */
static uint32_t next_mark(struct bre *re)
{
	if (re->mark == UINT32_MAX) {
		memset(re->stamp, 0, (size_t)re->len * sizeof(*re->stamp));
		re->mark = 0;
	}
	return ++re->mark;
}

int bre_match(const struct bre *cre, const char *line, size_t len)
{
	struct bre *re = (struct bre *)cre; /* the working memory changes */
	const unsigned char *s = (const unsigned char *)line;
	int whole = re->flags & BRE_WHOLE, ncur = 0, nnext, *tmp;

	add_thread(re, re->cur, &ncur, 0, 0, len, next_mark(re));
	for (size_t pos = 0;; pos++) {
		uint32_t mark = next_mark(re);

		nnext = 0;
		for (int i = 0; i < ncur; i++) {
			const struct bre_inst *in = &re->prog[re->cur[i]];
			int ok = 0;

			switch (in->op) {
			case OP_MATCH:
				if (!whole || pos == len)
					return 1;
				continue;
			case OP_CHAR:
				ok = pos < len && s[pos] == in->c;
				break;
			case OP_ANY:
				ok = pos < len;
				break;
			case OP_SET:
				ok = pos < len &&
				     set_has(re->sets[in->x], s[pos]);
				break;
			}
			if (ok)
				add_thread(re, re->next, &nnext, re->cur[i] + 1,
					   pos + 1, len, mark);
		}
		if (pos == len)
			return 0;
		/* A match may also start at the next byte. */
		if (!whole)
			add_thread(re, re->next, &nnext, 0, pos + 1, len, mark);
		if (nnext == 0 && whole)
			return 0;
		tmp = re->cur;
		re->cur = re->next;
		re->next = tmp;
		ncur = nnext;
	}
}
