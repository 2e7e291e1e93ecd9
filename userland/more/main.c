/*
 * more: shows files (or standard input) a screenful at a time when
 * standard output is a terminal: the window's rows from TIOCGWINSZ (24
 * when it does not say), then "--More--" and a key read from the
 * terminal on standard error, in raw mode: space the next screen, Enter
 * the next line, q quits.  When standard output is not a terminal it
 * copies, as cat.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "more [FILE]...\n"
			    "  pages FILEs (or standard input) on a terminal\n";

static int rows = 24, left; /* lines left on this screen */
static struct termios saved;
static int raw = -1; /* the terminal fd in raw mode, or -1 */

/* A key from the terminal: ' ', '\n' or 'q' (end of input is 'q'). */
static int key(void)
{
	char c;

	fputs("--More--", stdout);
	fflush(stdout);
	if (raw < 0 || read(raw, &c, 1) != 1)
		c = 'q';
	fputs("\r        \r", stdout);
	return c == 'q' || c == 'Q' ? 'q' : c == ' ' ? ' ' : '\n';
}

/* Copies f to stdout, paging; returns 1 when the user quit. */
static int page(FILE *f)
{
	int c, at_start = 1;

	while ((c = getc(f)) != EOF) {
		if (at_start && raw >= 0 && left == 0) {
			int k = key();

			if (k == 'q')
				return 1;
			left = k == ' ' ? rows - 1 : 1;
		}
		putchar(c);
		at_start = c == '\n';
		if (at_start && left > 0)
			left--;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct winsize ws;
	struct termios t;
	int c, status = 0;

	util_prog = "more";
	while ((c = util_getopt(argc, argv, "h", usage)) != -1)
		util_usage(usage, 0);
	if (isatty(1) && isatty(2) && tcgetattr(2, &saved) == 0) {
		t = saved;
		cfmakeraw(&t);
		t.c_oflag = saved.c_oflag; /* keep \n -> \r\n on output */
		if (tcsetattr(2, TCSANOW, &t) == 0)
			raw = 2;
		if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 1)
			rows = ws.ws_row;
		left = rows - 1;
	}
	if (util_optind == argc) {
		page(stdin);
	} else {
		for (int i = util_optind; i < argc; i++) {
			FILE *f = fopen(argv[i], "r");

			if (!f) {
				util_warn("%s", argv[i]);
				status = 1;
				continue;
			}
			c = page(f);
			fclose(f);
			if (c)
				break;
		}
	}
	if (raw >= 0)
		tcsetattr(raw, TCSANOW, &saved);
	return util_finish(status);
}
