/*
 * test and [: POSIX test as a built-in, so that conditions in loops cost
 * no process.  Status 0 true, 1 false, 2 for a malformed expression.
 *
 *   expr    : and ('-o' and)*
 *   and     : not ('-a' not)*
 *   not     : '!' not | primary
 *   primary : '(' expr ')' | STR BINOP STR | UNOP STR | STR
 */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sh.h"

struct test {
	char **arg;
	int n, i, depth;
	jmp_buf jmp;
};

static __attribute__((noreturn)) void test_fail(struct test *t, const char *fmt,
						const char *what)
{
	struct strbuf b = { 0 };

	sb_addf(&b, fmt, what);
	sh_error("test: %s", b.s);
	sb_free(&b);
	longjmp(t->jmp, 1);
}

static const char *peek(struct test *t, int k)
{
	return t->i + k < t->n ? t->arg[t->i + k] : NULL;
}

static int is_binary(const char *s)
{
	static const char *const ops[] = { "=",	  "!=",	 "==",	"-eq",
					   "-ne", "-lt", "-le", "-gt",
					   "-ge", "-nt", "-ot", "-ef" };

	for (size_t i = 0; s && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(s, ops[i]) == 0)
			return 1;
	return 0;
}

static int is_unary(const char *s)
{
	return s && s[0] == '-' && s[1] && !s[2] &&
	       strchr("bcdefghLnprsStwxz", s[1]);
}

static long integer(struct test *t, const char *s)
{
	long n;
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (parse_int(p, &n) < 0)
		test_fail(t, "%s: integer expected", s);
	return n;
}

static int file_test(char op, const char *path)
{
	struct stat st;

	if (op == 'L' || op == 'h')
		return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
	if (stat(path, &st) < 0)
		return 0;
	switch (op) {
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 'e':
		return 1;
	case 'f':
		return S_ISREG(st.st_mode);
	case 'g':
		return (st.st_mode & S_ISGID) != 0;
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 'r':
		return access(path, R_OK) == 0;
	case 's':
		return st.st_size > 0;
	case 'S':
		return S_ISSOCK(st.st_mode);
	case 'u':
		return (st.st_mode & S_ISUID) != 0;
	case 'w':
		return access(path, W_OK) == 0;
	default: /* x */
		return access(path, X_OK) == 0;
	}
}

static int unary(struct test *t, const char *op, const char *arg)
{
	long fd;

	switch (op[1]) {
	case 'n':
		return arg[0] != '\0';
	case 'z':
		return arg[0] == '\0';
	case 't':
		fd = integer(t, arg);
		return fd >= 0 && fd < 1024 && isatty((int)fd);
	default:
		return file_test(op[1], arg);
	}
}

static int binary(struct test *t, const char *l, const char *op, const char *r)
{
	struct stat a, b;
	int ra, rb;

	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
		return strcmp(l, r) == 0;
	if (strcmp(op, "!=") == 0)
		return strcmp(l, r) != 0;
	if (op[1] == 'n' || op[1] == 'o' || (op[1] == 'e' && op[2] == 'f')) {
		ra = stat(l, &a);
		rb = stat(r, &b);
		if (op[1] == 'e')
			return ra == 0 && rb == 0 && a.st_ino == b.st_ino &&
			       a.st_dev == b.st_dev;
		if (op[1] == 'n')
			return ra == 0 && (rb < 0 || a.st_mtime > b.st_mtime);
		return rb == 0 && (ra < 0 || a.st_mtime < b.st_mtime);
	}
	long x = integer(t, l), y = integer(t, r);

	if (strcmp(op, "-eq") == 0)
		return x == y;
	if (strcmp(op, "-ne") == 0)
		return x != y;
	if (strcmp(op, "-lt") == 0)
		return x < y;
	if (strcmp(op, "-le") == 0)
		return x <= y;
	if (strcmp(op, "-gt") == 0)
		return x > y;
	return x >= y;
}

static int expr(struct test *t);

static int primary(struct test *t)
{
	const char *a = peek(t, 0);
	int v;

	if (!a)
		test_fail(t, "%s", "argument expected");
	if (is_binary(peek(t, 1)) && peek(t, 2)) {
		t->i += 3;
		return binary(t, a, t->arg[t->i - 2], t->arg[t->i - 1]);
	}
	if (is_unary(a) && peek(t, 1)) {
		t->i += 2;
		return unary(t, a, t->arg[t->i - 1]);
	}
	if (strcmp(a, "(") == 0 && peek(t, 1)) {
		t->i++;
		v = expr(t);
		if (!peek(t, 0) || strcmp(peek(t, 0), ")") != 0)
			test_fail(t, "%s", "missing )");
		t->i++;
		return v;
	}
	t->i++;
	return a[0] != '\0';
}

static int negation(struct test *t)
{
	int v;

	if (++t->depth > NEST_MAX)
		test_fail(t, "%s", "nested too deeply");
	if (peek(t, 0) && strcmp(peek(t, 0), "!") == 0 && peek(t, 1)) {
		t->i++;
		v = !negation(t);
	} else {
		v = primary(t);
	}
	t->depth--;
	return v;
}

static int conjunction(struct test *t)
{
	int v = negation(t);

	while (peek(t, 0) && strcmp(peek(t, 0), "-a") == 0) {
		int r;

		t->i++;
		r = negation(t);
		v = v && r;
	}
	return v;
}

static int expr(struct test *t)
{
	int v = conjunction(t);

	while (peek(t, 0) && strcmp(peek(t, 0), "-o") == 0) {
		int r;

		t->i++;
		r = conjunction(t);
		v = v || r;
	}
	return v;
}

int builtin_test(int argc, char **argv)
{
	struct test t = { .arg = argv + 1, .n = argc - 1 };
	int v;

	if (strcmp(argv[0], "[") == 0) {
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
			sh_error("[: missing ]");
			return 2;
		}
		t.n--;
	}
	if (t.n == 0)
		return 1;
	if (setjmp(t.jmp))
		return 2;
	/* POSIX's rules by count come first: `test ! x` and `test x = y` */
	if (t.n == 3 && is_binary(t.arg[1]))
		return !binary(&t, t.arg[0], t.arg[1], t.arg[2]);
	v = expr(&t);
	if (t.i < t.n)
		test_fail(&t, "%s: unexpected", t.arg[t.i]);
	return !v;
}
