/*
 * ttytest helpers: asking the harness for input, reading, changing the
 * settings, waiting for input and for children, memory shared with
 * children, and putting the terminal back after a test.
 */
#include "ttytest.h"

void ask(const char *name)
{
	printf("ttytest: waiting for %s\n", name);
	fflush(stdout);
}

long read_str(char *buf, size_t size)
{
	ssize_t n = read(tty, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	return (long)n;
}

static int change(tcflag_t *flags, tcflag_t clear, tcflag_t set,
		  struct termios *t)
{
	*flags = (*flags & ~clear) | set;
	return tcsetattr(tty, TCSANOW, t);
}

int set_lflag(tcflag_t clear, tcflag_t set)
{
	struct termios t;

	if (tcgetattr(tty, &t) < 0)
		return -1;
	return change(&t.c_lflag, clear, set, &t);
}

int set_iflag(tcflag_t clear, tcflag_t set)
{
	struct termios t;

	if (tcgetattr(tty, &t) < 0)
		return -1;
	return change(&t.c_iflag, clear, set, &t);
}

int set_raw(int vmin, int vtime)
{
	struct termios t;

	if (tcgetattr(tty, &t) < 0)
		return -1;
	cfmakeraw(&t);
	t.c_cc[VMIN] = (cc_t)vmin;
	t.c_cc[VTIME] = (cc_t)vtime;
	return tcsetattr(tty, TCSANOW, &t);
}

uint64_t now_ms(void)
{
	return sys_clock_get() / MS;
}

bool wait_readable(long n, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	struct stat st;

	do {
		if (fstat(tty, &st) == 0 && st.st_size >= n)
			return true;
		sys_sleep(10 * MS);
	} while (now_ms() < end);
	return false;
}

pid_t wait_child(pid_t pid, int *st, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	pid_t r;

	do {
		r = waitpid(pid, st, WNOHANG | WUNTRACED);
		if (r != 0)
			return r;
		sys_sleep(10 * MS);
	} while (now_ms() < end);
	return 0;
}

volatile int *shared_page(void)
{
	static volatile int *page;
	handle_t mem;
	long va;

	if (page)
		return page;
	mem = sys_mem_create(4096, 0);
	if (mem < 0)
		return NULL;
	/* The handle stays open: that makes fork share the page. */
	va = sys_vm_map(mem, 0, 0, 4096, VM_READ | VM_WRITE);
	if (va < 0)
		return NULL;
	page = (volatile int *)va;
	return page;
}

void tty_reset(void)
{
	struct winsize ws = { 24, 80, 0, 0 };

	fcntl(tty, F_SETFL, 0);
	tcsetpgrp(tty, getpgrp());
	tcsetattr(tty, TCSAFLUSH, &defaults);
	ioctl(tty, TIOCSWINSZ, &ws);
}
