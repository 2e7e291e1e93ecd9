/*
 * The servers under a terminal come and go: the serial driver stopped
 * (tty opens serial:0 again and goes on), then tty itself (its clients
 * get EPIPE, and open tty:0 again from the new instance).  Both are
 * stopped with NS_SVC_KILL (ttytest's line has control=yes).  Run last:
 * the second leaves a new terminal behind.
 */
#include "ttytest.h"

static char buf[64];

/* NS_SVC_KILL: stops service `name`; 0 once it has ended. */
static long stop_service(const char *name)
{
	struct ipc_buffers b = { .send = name, .send_len = strlen(name) };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = NS_SVC_KILL;
	return sys_ipc_call(PROC_H_NS, &m, &b);
}

/* NS_WAIT: until `scheme` is registered again (up to 10 s). */
static long wait_scheme(const char *scheme)
{
	struct ipc_buffers b = { .send = scheme, .send_len = strlen(scheme) };
	struct ipc_msg m;
	long r;

	memset(&m, 0, sizeof(m));
	m.op = NS_WAIT;
	m.w[0] = 10000 * MS;
	r = sys_ipc_call(PROC_H_NS, &m, &b);
	if (r >= 0 && m.nhandles == 1)
		sys_handle_close(m.handles[0]);
	return r;
}

static void serial_restart(void)
{
	static const char msg[] = "ttytest-out: after the driver's restart\n";

	REQUIRE_EQ(stop_service("serial"), 0);
	REQUIRE_EQ(wait_scheme("serial"), 0);
	/* The new driver keeps what is typed now, whenever tty opens it. */
	ask("after-serial-restart");
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "back\n") == 0);
	CHECK_EQ(write(tty, msg, sizeof(msg) - 1), sizeof(msg) - 1);
}

static void tty_restart(void)
{
	struct termios t;
	int fd = -1;

	REQUIRE_EQ(stop_service("tty"), 0);
	CHECK_ERR(read(tty, buf, sizeof(buf)), EPIPE);
	CHECK_ERR(tcgetattr(tty, &t), EPIPE);
	for (int i = 0; i < 500 && fd < 0; i++) {
		fd = open("tty:0", O_RDWR);
		if (fd < 0)
			sys_sleep(20 * MS);
	}
	REQUIRE(fd >= 0);
	CHECK_EQ(dup2(fd, tty), tty);
	close(fd);
	/* A new terminal: first settings, no session yet. */
	CHECK_EQ(tcgetattr(tty, &t), 0);
	CHECK(memcmp(&t, &defaults, sizeof(t)) == 0);
	CHECK_ERR(tcgetpgrp(tty), ENOTTY);
	CHECK_EQ(ioctl(tty, TIOCSCTTY, 0), 0);
	CHECK_EQ(tcgetpgrp(tty), getpgrp());
	ask("after-tty-restart");
	CHECK_EQ(read_str(buf, sizeof(buf)), 6);
	CHECK(strcmp(buf, "again\n") == 0);
}

const struct test life_tests[] = {
	{ "the serial driver restarted: tty:0 goes on", serial_restart },
	{ "tty restarted: EPIPE, then a new tty:0", tty_restart },
	{ NULL, NULL },
};
