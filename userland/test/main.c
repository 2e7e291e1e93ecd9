/*
 * test and [: evaluate an expression; the status is 0 when it is true, 1
 * when it is false and 2 on an error (a malformed expression, a bad
 * integer).  Called as "[", the last argument must be "]".
 *
 * Primaries: -e -f -d -r -w -x -s -h -L -c -p -b -S FILE; -z -n STRING;
 * S1 = S2, S1 != S2 (and ==); N1 -eq -ne -lt -le -gt -ge N2; STRING.
 * Operators: ! EXPR, EXPR -a EXPR, EXPR -o EXPR (-a binds tighter), and
 * ( EXPR ).  With up to four arguments the POSIX rules decide by their
 * number, so "test -n" and "test !" are tests of a non-empty string.
 * -r, -w and -x use access(); -h and -L (symbolic link) use lstat().
 *
 * "-h" is the symbolic-link test here, so the usage is --help, and only
 * as the only argument.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"

static const char usage[] =
	"test EXPRESSION\n"
	"       [ EXPRESSION ]\n"
	"  files:    -e -f -d -r -w -x -s -h -L -c -p -b -S "
	"FILE\n"
	"  strings:  -z S, -n S, S, S1 = S2, S1 != S2\n"
	"  numbers:  N1 -eq -ne -lt -le -gt -ge N2\n"
	"  logic:    ! E, E -a E, E -o E, ( E )\n";

static char **args;
static int nargs, pos;

__attribute__((noreturn)) static void syntax(const char *fmt, const char *arg)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", util_prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static int is_unary(const char *op)
{
	return op[0] == '-' && op[1] && !op[2] &&
	       strchr("edfrwxshLcpbSzn", op[1]);
}

static int is_binary(const char *op)
{
	static const char *const ops[] = { "=",	  "!=",	 "==",	"-eq", "-ne",
					   "-lt", "-le", "-gt", "-ge", NULL };

	for (int i = 0; ops[i]; i++) {
		if (strcmp(op, ops[i]) == 0)
			return 1;
	}
	return 0;
}

static int unary(const char *op, const char *arg)
{
	struct stat st;

	switch (op[1]) {
	case 'z':
		return arg[0] == '\0';
	case 'n':
		return arg[0] != '\0';
	case 'r':
		return access(arg, R_OK) == 0;
	case 'w':
		return access(arg, W_OK) == 0;
	case 'x':
		return access(arg, X_OK) == 0;
	case 'h':
	case 'L':
		return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
	}
	if (stat(arg, &st) < 0)
		return 0;
	switch (op[1]) {
	case 'f':
		return S_ISREG(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'S':
		return S_ISSOCK(st.st_mode);
	default: /* -e */
		return 1;
	}
}

/* A decimal integer, blanks around it allowed (as the shells do). */
static long long integer(const char *s)
{
	long long v;
	size_t start = strspn(s, " \t"), end = strlen(s);
	char buf[32];

	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (end - start >= sizeof(buf))
		syntax("%s: integer expected", s);
	memcpy(buf, s + start, end - start);
	buf[end - start] = '\0';
	if (util_parse_long(buf, -0x7fffffffffffffffll - 1,
			    0x7fffffffffffffffll, &v) < 0)
		syntax("%s: integer expected", s);
	return v;
}

static int binary(const char *a, const char *op, const char *b)
{
	long long x, y;

	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
		return strcmp(a, b) == 0;
	if (strcmp(op, "!=") == 0)
		return strcmp(a, b) != 0;
	x = integer(a);
	y = integer(b);
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

/* ---- the general grammar, for more than four arguments ---- */

static int expr_or(void);

static const char *peek(int k)
{
	return pos + k < nargs ? args[pos + k] : NULL;
}

static int primary(void)
{
	const char *a = peek(0), *b = peek(1);
	int v;

	if (!a)
		syntax("%sargument expected", "");
	if (strcmp(a, "(") == 0) {
		pos++;
		v = expr_or();
		if (!peek(0) || strcmp(peek(0), ")") != 0)
			syntax("%s')' expected", "");
		pos++;
		return v;
	}
	if (b && is_binary(b) && peek(2)) {
		const char *c = peek(2);

		pos += 3;
		return binary(a, b, c);
	}
	if (is_unary(a) && b) {
		pos += 2;
		return unary(a, b);
	}
	pos++;
	return a[0] != '\0';
}

static int expr_not(void)
{
	const char *a = peek(0);

	if (a && strcmp(a, "!") == 0 && peek(1)) {
		pos++;
		return !expr_not();
	}
	return primary();
}

static int expr_and(void)
{
	int v = expr_not();

	while (peek(0) && strcmp(peek(0), "-a") == 0) {
		pos++;
		v = expr_not() && v;
	}
	return v;
}

static int expr_or(void)
{
	int v = expr_and();

	while (peek(0) && strcmp(peek(0), "-o") == 0) {
		pos++;
		v = expr_and() || v;
	}
	return v;
}

/* ---- POSIX: by the number of arguments ---- */

static int eval(char **a, int n);

static int eval_general(char **a, int n)
{
	int v;

	args = a;
	nargs = n;
	pos = 0;
	v = expr_or();
	if (pos < nargs)
		syntax("%s: unexpected argument", args[pos]);
	return v;
}

static int eval(char **a, int n)
{
	switch (n) {
	case 0:
		return 0;
	case 1:
		return a[0][0] != '\0';
	case 2:
		if (strcmp(a[0], "!") == 0)
			return !eval(a + 1, 1);
		if (is_unary(a[0]))
			return unary(a[0], a[1]);
		syntax("%s: unary operator expected", a[0]);
	case 3:
		if (is_binary(a[1]))
			return binary(a[0], a[1], a[2]);
		if (strcmp(a[1], "-a") == 0)
			return a[0][0] && a[2][0];
		if (strcmp(a[1], "-o") == 0)
			return a[0][0] || a[2][0];
		if (strcmp(a[0], "!") == 0)
			return !eval(a + 1, 2);
		if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0)
			return eval(a + 1, 1);
		syntax("%s: binary operator expected", a[1]);
	case 4:
		if (strcmp(a[0], "!") == 0)
			return !eval(a + 1, 3);
		if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0)
			return eval(a + 1, 2);
		return eval_general(a, n);
	default:
		return eval_general(a, n);
	}
}

int main(int argc, char **argv)
{
	char name[16];

	util_basename(argv[0] ? argv[0] : "test", name, sizeof(name));
	util_prog = strcmp(name, "[") == 0 ? "[" : "test";
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		util_usage(usage, 0);
	if (strcmp(util_prog, "[") == 0) {
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0)
			syntax("%smissing ']'", "");
		argc--;
	}
	return eval(argv + 1, argc - 1) ? 0 : 1;
}
