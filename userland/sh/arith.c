/*
 * $((...)): integer arithmetic on longs, by precedence climbing, with
 * C's operators: ( ) unary + - ! ~, * / %, + -, << >>, < <= > >=,
 * == !=, &, ^, |, &&, ||, ?:, assignments (= *= /= %= += -= <<= >>=
 * &= ^= |=) and ++/-- on names.  Names are variables; an unset or empty
 * one is 0.  Numbers are decimal, 0x hexadecimal or 0 octal.
 */
#include <ctype.h>
#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

struct arith {
	const char *s, *p;
	jmp_buf jmp;
	int skip; /* evaluating a branch that is not taken: no effects */
	int depth;
};

static __attribute__((noreturn)) void arith_fail(struct arith *a,
						 const char *what)
{
	sh_error("%s: %s", a->s, what);
	longjmp(a->jmp, 1);
}

static void blank(struct arith *a)
{
	while (isspace((unsigned char)*a->p))
		a->p++;
}

/* Whether the operator op is next (not the start of a longer one). */
static int accept(struct arith *a, const char *op)
{
	size_t n = strlen(op);

	blank(a);
	if (strncmp(a->p, op, n) != 0)
		return 0;
	/* "<" is not "<<" or "<=", "&" not "&&" or "&=", "=" not "==" ... */
	if (n == 1 && op[0] != '(' && op[0] != ')' && op[0] != '~' &&
	    op[0] != '?' && op[0] != ':' && op[0] != ',' && a->p[1] == '=')
		return 0;
	if (n == 1 && strchr("<>&|+-", op[0]) && a->p[1] == op[0])
		return 0;
	if (n == 2 && (strcmp(op, "<<") == 0 || strcmp(op, ">>") == 0) &&
	    a->p[2] == '=')
		return 0;
	a->p += n;
	return 1;
}

static long var_number(struct arith *a, const char *name)
{
	const char *v = var_get(name);
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 0);
	while (isspace((unsigned char)*end))
		end++;
	if (*end) {
		sh_error("%s: %s: not a number", a->s, name);
		longjmp(a->jmp, 1);
	}
	return n;
}

static void var_number_set(struct arith *a, const char *name, long v)
{
	char num[24];

	if (a->skip)
		return;
	snprintf(num, sizeof(num), "%ld", v);
	if (var_set(name, num, 0) < 0)
		longjmp(a->jmp, 1);
}

static long expr(struct arith *a);
static long assign(struct arith *a);
static long unary_op(struct arith *a);

/* A name at p: copied to buf (up to size), 1; or 0. */
static int read_name(struct arith *a, char *buf, size_t size)
{
	size_t n = 0;

	blank(a);
	if (!(isalpha((unsigned char)*a->p) || *a->p == '_'))
		return 0;
	while (isalnum((unsigned char)a->p[n]) || a->p[n] == '_')
		n++;
	if (n >= size)
		arith_fail(a, "name too long");
	memcpy(buf, a->p, n);
	buf[n] = '\0';
	a->p += n;
	return 1;
}

static long primary(struct arith *a)
{
	char name[64];
	long v;

	blank(a);
	if (accept(a, "(")) {
		v = assign(a);
		if (!accept(a, ")"))
			arith_fail(a, "missing )");
		return v;
	}
	if (isdigit((unsigned char)*a->p)) {
		char *end;

		v = strtol(a->p, &end, 0);
		if (isalnum((unsigned char)*end) || *end == '_')
			arith_fail(a, "bad number");
		a->p = end;
		return v;
	}
	if (read_name(a, name, sizeof(name))) {
		v = var_number(a, name);
		blank(a);
		if (strncmp(a->p, "++", 2) == 0 ||
		    strncmp(a->p, "--", 2) == 0) {
			int up = a->p[0] == '+';

			a->p += 2;
			var_number_set(
				a, name,
				(long)((unsigned long)v + (up ? 1ul : -1ul)));
		}
		return v;
	}
	if (*a->p == '\0')
		arith_fail(a, "expression expected");
	arith_fail(a, "syntax error in expression");
}

/* Every operand goes through here: parentheses and prefixes nest. */
static long unary(struct arith *a)
{
	long v;

	if (++a->depth > NEST_MAX)
		arith_fail(a, "nested too deeply");
	v = unary_op(a);
	a->depth--;
	return v;
}

static long unary_op(struct arith *a)
{
	char name[64];

	blank(a);
	if (strncmp(a->p, "++", 2) == 0 || strncmp(a->p, "--", 2) == 0) {
		int up = a->p[0] == '+';
		long v;

		a->p += 2;
		if (!read_name(a, name, sizeof(name)))
			arith_fail(a, "++ and -- need a variable");
		v = (long)((unsigned long)var_number(a, name) +
			   (up ? 1ul : -1ul));
		var_number_set(a, name, v);
		return v;
	}
	if (accept(a, "!"))
		return !unary(a);
	if (accept(a, "~"))
		return ~unary(a);
	if (accept(a, "-"))
		return (long)(0ul - (unsigned long)unary(a));
	if (accept(a, "+"))
		return unary(a);
	return primary(a);
}

/* The binary operators, loosest last; level 0 is the tightest. */
static const char *const levels[][4] = {
	{ "*", "/", "%", NULL }, { "+", "-", NULL },
	{ "<<", ">>", NULL },	 { "<=", ">=", "<", ">" },
	{ "==", "!=", NULL },	 { "&", NULL },
	{ "^", NULL },		 { "|", NULL },
	{ "&&", NULL },		 { "||", NULL },
};
#define LEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static long apply(struct arith *a, const char *op, long l, long r)
{
	switch (op[0]) {
	case '*': /* wrapping, as the CPU does, not undefined */
		return (long)((unsigned long)l * (unsigned long)r);
	case '/':
	case '%':
		if (r == 0) {
			if (a->skip)
				return 0;
			arith_fail(a, "division by zero");
		}
		if (l == LONG_MIN && r == -1)
			return op[0] == '/' ? l : 0;
		return op[0] == '/' ? l / r : l % r;
	case '+':
		return (long)((unsigned long)l + (unsigned long)r);
	case '-':
		return (long)((unsigned long)l - (unsigned long)r);
	case '<':
		if (op[1] == '<')
			return (long)((unsigned long)l << (r & 63));
		return op[1] == '=' ? l <= r : l < r;
	case '>':
		if (op[1] == '>')
			return l >> (r & 63);
		return op[1] == '=' ? l >= r : l > r;
	case '=':
		return l == r;
	case '!':
		return l != r;
	case '&':
		return op[1] ? l && r : l & r;
	case '^':
		return l ^ r;
	default: /* | and || */
		return op[1] ? l || r : l | r;
	}
}

static long binary(struct arith *a, int level)
{
	long l;

	if (level < 0)
		return unary(a);
	l = binary(a, level - 1);
	for (;;) {
		const char *op = NULL;
		int skip = a->skip;
		long r;

		for (int i = 0; i < 4 && levels[level][i]; i++) {
			if (accept(a, levels[level][i])) {
				op = levels[level][i];
				break;
			}
		}
		if (!op)
			return l;
		/* && and || do not evaluate what they do not need */
		if ((strcmp(op, "&&") == 0 && !l) ||
		    (strcmp(op, "||") == 0 && l))
			a->skip = 1;
		r = binary(a, level - 1);
		a->skip = skip;
		l = apply(a, op, l, r);
	}
}

static long conditional(struct arith *a)
{
	long c = binary(a, LEVELS - 1), t, f;
	int skip = a->skip;

	if (!accept(a, "?"))
		return c;
	a->skip = skip || !c;
	t = assign(a);
	a->skip = skip;
	if (!accept(a, ":"))
		arith_fail(a, "missing : after ?");
	a->skip = skip || c;
	f = conditional(a);
	a->skip = skip;
	return c ? t : f;
}

static long assign(struct arith *a)
{
	static const char *const ops[] = { "=",	  "*=",	 "/=", "%=", "+=", "-=",
					   "<<=", ">>=", "&=", "^=", "|=" };
	const char *save = a->p;
	char name[64];

	if (read_name(a, name, sizeof(name))) {
		blank(a);
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			size_t n = strlen(ops[i]);
			long v;

			if (strncmp(a->p, ops[i], n) != 0 ||
			    (n == 1 && a->p[1] == '='))
				continue;
			a->p += n;
			v = assign(a);
			if (n > 1) {
				char op[3] = { ops[i][0],
					       n == 3 ? ops[i][1] : 0, 0 };

				v = apply(a, op, var_number(a, name), v);
			}
			var_number_set(a, name, v);
			return v;
		}
	}
	a->p = save;
	return conditional(a);
}

static long expr(struct arith *a)
{
	long v = assign(a);

	while (accept(a, ","))
		v = assign(a);
	return v;
}

int arith_eval(const char *s, long *out)
{
	struct arith a = { .s = s, .p = s };

	if (setjmp(a.jmp))
		return -1;
	blank(&a);
	if (*a.p == '\0') {
		*out = 0;
		return 0;
	}
	*out = expr(&a);
	blank(&a);
	if (*a.p)
		arith_fail(&a, "syntax error in expression");
	return 0;
}
