/*
 * `ttytest stdio`: the service of etc/services.tty whose line says
 * stdio=tty:0.  It checks that init gave it tty:0 as handles 0, 1 and 2
 * (one open file, a terminal in its first settings), writes through it,
 * and prints "ttystdio: ok" (or what failed) there: on the serial line,
 * with \r\n, which tty_cases.py looks for.  Then it registers the scheme
 * "ttystdio", so that init starts ttytest (needs=ttystdio) only now: the
 * settings ttytest changes cannot get in the way.
 */
#include "ttytest.h"

static int problems;

static void problem(const char *what)
{
	printf("ttystdio: FAIL: %s (errno %d)\n", what, errno);
	problems++;
}

static void check_handles(void)
{
	struct handle_info info[3];

	for (int fd = 0; fd < 3; fd++) {
		if (!isatty(fd))
			problem("isatty");
		if (sys_handle_info(fd, &info[fd]) < 0 ||
		    info[fd].type != OBJ_CONN)
			problem("handle_info");
		else if (info[fd].object_id != info[0].object_id)
			problem("0, 1 and 2 are not one connection");
	}
}

static void check_terminal(void)
{
	struct termios t;
	struct winsize ws;
	struct stat st;

	if (fstat(0, &st) < 0 || !S_ISCHR(st.st_mode))
		problem("fstat");
	if (tcgetattr(0, &t) < 0)
		problem("tcgetattr");
	else if (!(t.c_lflag & ICANON) || !(t.c_oflag & ONLCR))
		problem("not the first settings");
	if (ioctl(1, TIOCGWINSZ, &ws) < 0 || ws.ws_row != 24 || ws.ws_col != 80)
		problem("TIOCGWINSZ");
	errno = 0;
	if (tcgetpgrp(2) != -1 || errno != ENOTTY)
		problem("tcgetpgrp: not our controlling terminal");
}

/* Registers "ttystdio" with a connection to a port of ours. */
static int register_done(void)
{
	handle_t port = sys_port_create(), root;

	if (port < 0)
		return port;
	root = sys_conn_create(port, 0);
	if (root < 0)
		return root;
	return (int)scheme_register("ttystdio", root);
}

int stdio_main(void)
{
	static const char hello[] = "ttystdio: hello through tty:0\n";

	check_handles();
	check_terminal();
	if (write(1, hello, sizeof(hello) - 1) != sizeof(hello) - 1)
		problem("write");
	if (!problems)
		printf("ttystdio: ok\n");
	fflush(stdout);
	if (register_done() < 0)
		problem("NS_REGISTER ttystdio");
	return problems ? 1 : 0;
}
