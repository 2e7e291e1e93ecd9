/*
 * echo: writes its arguments, separated by spaces, and a newline.
 *
 * Leading arguments made only of the letters n, e and E are options (as
 * in most shells' echo): -n drops the newline, -e turns on the backslash
 * escapes below, -E turns them off (the default).  Anything else,
 * including "--", is printed.  "-h" alone prints the usage; with other
 * arguments it is printed like any word.
 *
 * Escapes with -e: \\ \a \b \e \f \n \r \t \v, \0NNN (octal, up to three
 * digits) and \c (print nothing more, not even the newline).
 */
#include <stdio.h>
#include <string.h>
#include "util.h"

static const char usage[] = "echo [-neE] [STRING...]\n"
			    "  -n  no newline at the end\n"
			    "  -e  interpret backslash escapes\n"
			    "  -E  do not interpret them (the default)\n";

/* Whether arg is "-" and then only n, e and E. */
static int is_option(const char *arg)
{
	if (arg[0] != '-' || arg[1] == '\0')
		return 0;
	return strspn(arg + 1, "neE") == strlen(arg + 1);
}

/* Prints s with its escapes; returns 1 when \c says stop. */
static int put_escaped(const char *s)
{
	static const char from[] = "\\abefnrtv", to[] = "\\\a\b\033\f\n\r\t\v";

	for (; *s; s++) {
		const char *e;

		if (*s != '\\' || s[1] == '\0') {
			putchar(*s);
			continue;
		}
		s++;
		if (*s == 'c')
			return 1;
		e = strchr(from, *s);
		if (e) {
			putchar(to[e - from]);
		} else if (*s == '0') {
			int v = 0;

			for (int i = 0; i < 3 && s[1] >= '0' && s[1] <= '7';
			     i++)
				v = v * 8 + (*++s - '0');
			putchar(v);
		} else {
			putchar('\\');
			putchar(*s);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int newline = 1, escapes = 0, i = 1;

	util_prog = "echo";
	if (argc == 2 && strcmp(argv[1], "-h") == 0)
		util_usage(usage, 0);
	for (; i < argc && is_option(argv[i]); i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'n')
				newline = 0;
			else
				escapes = *o == 'e';
		}
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		if (!escapes) {
			fputs(argv[i], stdout);
		} else if (put_escaped(argv[i])) {
			newline = 0;
			break;
		}
	}
	if (newline)
		putchar('\n');
	return util_finish(0);
}
