/*
 * The settings and the protocol: the first settings, termios and window
 * size round trips (SIGWINCH), the file protocol on a terminal, bad
 * requests through the raw protocol, each with its error, and random
 * ones.
 */
#include "ttytest.h"

/* One raw call on fd; the server's status. */
static long call(int fd, uint32_t op, uint64_t w0, const void *send,
		 size_t slen, void *recv, size_t rlen)
{
	struct ipc_buffers b = {
		.send = send, .send_len = slen, .recv = recv, .recv_len = rlen
	};
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	return sys_ipc_call(fd, &m, &b);
}

static void first_settings(void)
{
	struct termios t;
	struct winsize ws;

	REQUIRE_EQ(tcgetattr(tty, &t), 0);
	CHECK_EQ(t.c_iflag, ICRNL | IXON);
	CHECK_EQ(t.c_oflag, OPOST | ONLCR);
	CHECK_EQ(t.c_cflag & (CSIZE | CREAD), CS8 | CREAD);
	CHECK_EQ(t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL |
				    ECHOKE | IEXTEN);
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VQUIT], 0x1c);
	CHECK_EQ(t.c_cc[VERASE], 0x7f);
	CHECK_EQ(t.c_cc[VKILL], 0x15);
	CHECK_EQ(t.c_cc[VEOF], 4);
	CHECK_EQ(t.c_cc[VMIN], 1);
	CHECK_EQ(t.c_cc[VTIME], 0);
	CHECK_EQ(t.c_cc[VSTART], 0x11);
	CHECK_EQ(t.c_cc[VSTOP], 0x13);
	CHECK_EQ(t.c_cc[VSUSP], 0x1a);
	CHECK_EQ(t.c_cc[VEOL], 0);
	CHECK_EQ(t.c_cc[VREPRINT], 0x12);
	CHECK_EQ(t.c_cc[VWERASE], 0x17);
	CHECK_EQ(t.c_cc[VLNEXT], 0x16);
	CHECK_EQ(cfgetispeed(&t), B115200);
	CHECK_EQ(cfgetospeed(&t), B115200);
	REQUIRE_EQ(ioctl(tty, TIOCGWINSZ, &ws), 0);
	CHECK_EQ(ws.ws_row, 24);
	CHECK_EQ(ws.ws_col, 80);
	CHECK(isatty(tty));
}

static void termios_round_trip(void)
{
	struct termios t, back;

	REQUIRE_EQ(tcgetattr(tty, &t), 0);
	t.c_iflag |= IGNCR | IUTF8;
	t.c_oflag &= ~(tcflag_t)ONLCR;
	t.c_lflag &= ~(tcflag_t)(ECHOCTL | IEXTEN);
	t.c_lflag |= TOSTOP | NOFLSH;
	t.c_cc[VERASE] = '#';
	t.c_cc[VEOL] = ';';
	t.c_cc[VMIN] = 7;
	t.c_cc[VTIME] = 9;
	cfsetispeed(&t, B9600);
	cfsetospeed(&t, B57600);
	for (int when = TCSANOW; when <= TCSAFLUSH; when++) {
		REQUIRE_EQ(tcsetattr(tty, when, &t), 0);
		memset(&back, 0xa5, sizeof(back));
		REQUIRE_EQ(tcgetattr(tty, &back), 0);
		CHECK_EQ(back.c_iflag, t.c_iflag);
		CHECK_EQ(back.c_oflag, t.c_oflag);
		CHECK_EQ(back.c_cflag, t.c_cflag);
		CHECK_EQ(back.c_lflag, t.c_lflag);
		CHECK(memcmp(back.c_cc, t.c_cc, NCCS) == 0);
		CHECK_EQ(back.c_ispeed, B9600);
		CHECK_EQ(back.c_ospeed, B57600);
	}
	CHECK_ERR(tcsetattr(tty, 3, &t), EINVAL);
	CHECK_ERR(tcsetattr(tty, TCSANOW, NULL), EFAULT);
	CHECK_ERR(tcgetattr(tty, NULL), EFAULT);
	REQUIRE_EQ(tcsetattr(tty, TCSANOW, &defaults), 0);
	REQUIRE_EQ(tcgetattr(tty, &back), 0);
	CHECK(memcmp(&back, &defaults, sizeof(back)) == 0);
}

static volatile int winches;

static void on_winch(int sig)
{
	winches++;
}

/* Waits up to a second for the SIGWINCH count to reach n. */
static int winches_reach(int n)
{
	for (int i = 0; i < 100 && winches < n; i++)
		sys_sleep(10 * MS); /* a caught signal ends it early */
	return winches;
}

static void window_size(void)
{
	struct winsize ws = { 50, 132, 1056, 800 }, back;

	REQUIRE(signal(SIGWINCH, on_winch) != SIG_ERR);
	winches = 0;
	/* We are the foreground group: the change signals us, just after
	   the answer (so that the ioctl itself is not interrupted). */
	REQUIRE_EQ(ioctl(tty, TIOCSWINSZ, &ws), 0);
	CHECK_EQ(winches_reach(1), 1);
	memset(&back, 0, sizeof(back));
	REQUIRE_EQ(ioctl(tty, TIOCGWINSZ, &back), 0);
	CHECK(memcmp(&back, &ws, sizeof(ws)) == 0);
	/* The same size again: no change, no signal. */
	REQUIRE_EQ(ioctl(tty, TIOCSWINSZ, &ws), 0);
	CHECK_EQ(winches_reach(2), 1);
	ws.ws_row = 25;
	REQUIRE_EQ(ioctl(tty, TIOCSWINSZ, &ws), 0);
	CHECK_EQ(winches_reach(2), 2);
	CHECK_ERR(ioctl(tty, TIOCGWINSZ, NULL), EFAULT);
	CHECK_ERR(ioctl(tty, TIOCSWINSZ, NULL), EFAULT);
	CHECK_ERR(ioctl(tty, 0x5401 /* TCGETS: not ours */, &back), ENOTTY);
	signal(SIGWINCH, SIG_DFL);
}

/* What a terminal answers to the rest of the file protocol. */
static void file_protocol(void)
{
	struct stat st;
	int fd, ro;

	REQUIRE_EQ(fstat(tty, &st), 0);
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0620);
	CHECK_EQ(st.st_rdev, 0);
	CHECK_EQ(st.st_size, 0); /* nothing to read */
	CHECK_ERR(lseek(tty, 0, SEEK_SET), ESPIPE);
	CHECK_ERR(ftruncate(tty, 0), EINVAL);
	CHECK_EQ(fsync(tty), 0);
	CHECK_EQ(fcntl(tty, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_EQ(fcntl(tty, F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(fcntl(tty, F_GETFL), O_RDWR | O_NONBLOCK);
	CHECK_EQ(fcntl(tty, F_SETFL, 0), 0);
	/* Opens: only tty:0 exists. */
	CHECK_ERR(open("tty:1", O_RDWR), ENOENT);
	CHECK_ERR(open("tty:00", O_RDWR), ENOENT);
	CHECK_ERR(open("tty:x", O_RDWR), ENOENT);
	CHECK_ERR(open("tty:", O_RDWR), ENOENT);
	CHECK_ERR(open("tty:0", O_RDWR | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open("tty:0", O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	fd = open("tty:0", O_WRONLY | O_NOCTTY);
	CHECK_OK(fd);
	if (fd >= 0) {
		CHECK(isatty(fd));
		CHECK_EQ(tcgetpgrp(fd), getpgrp()); /* the same terminal */
		CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
		close(fd);
	}
	/* The server checks the access mode too (libc does first). */
	ro = scheme_open("tty:0", VO_RDONLY, 0, NULL);
	CHECK_OK(ro);
	if (ro >= 0) {
		CHECK_EQ(file_write(ro, "x", 1), -EBADF);
		sys_handle_close(ro);
	}
	ro = scheme_open("tty:0", VO_WRONLY, 0, NULL);
	CHECK_OK(ro);
	if (ro >= 0) {
		char c;

		CHECK_EQ(file_read(ro, &c, 1), -EBADF);
		sys_handle_close(ro);
	}
}

/* Malformed TTY_* messages, and messages where they do not belong. */
static void bad_requests(void)
{
	struct termios t;
	struct winsize ws;
	handle_t root = scheme_root("tty");
	char small[8];

	REQUIRE_OK(root);
	CHECK_EQ(call(tty, TTY_GETATTR, 0, NULL, 0, small, sizeof(small)),
		 -EINVAL);
	CHECK_EQ(call(tty, TTY_GETATTR, 0, NULL, 0, (void *)8, sizeof(t)),
		 -EFAULT);
	REQUIRE_EQ(tcgetattr(tty, &t), 0);
	CHECK_EQ(call(tty, TTY_SETATTR, 0, &t, sizeof(t) - 1, NULL, 0),
		 -EINVAL);
	CHECK_EQ(call(tty, TTY_SETATTR, 3, &t, sizeof(t), NULL, 0), -EINVAL);
	CHECK_EQ(call(tty, TTY_SETATTR, 0, (void *)8, sizeof(t), NULL, 0),
		 -EFAULT);
	CHECK_EQ(call(tty, TTY_GETWINSZ, 0, NULL, 0, small, 7), -EINVAL);
	CHECK_EQ(call(tty, TTY_SETWINSZ, 0, &ws, 7, NULL, 0), -EINVAL);
	CHECK_EQ(call(tty, TTY_FLUSH, 3, NULL, 0, NULL, 0), -EINVAL);
	CHECK_EQ(call(tty, TTY_SETPGRP, 0, NULL, 0, NULL, 0), -EINVAL);
	CHECK_EQ(call(tty, TTY_SETPGRP, 1ull << 40, NULL, 0, NULL, 0), -EINVAL);
	CHECK_EQ(call(tty, 0x308, 0, NULL, 0, NULL, 0), -ENOSYS);
	CHECK_EQ(call(tty, FS_READDIR, 0, NULL, 0, small, sizeof(small)),
		 -ENOTDIR);
	CHECK_EQ(call(tty, FS_OPEN, 0, "0", 1, NULL, 0), -EBADF);
	CHECK_EQ(call(tty, FS_STAT, 0, NULL, 0, small, sizeof(small)), -EINVAL);
	CHECK_EQ(call(tty, FS_SETFL, 0, NULL, 0, NULL, 0), 0);
	/* The root has no terminal behind it. */
	CHECK_EQ(call(root, TTY_GETATTR, 0, NULL, 0, &t, sizeof(t)), -EBADF);
	CHECK_EQ(call(root, FS_READ, 0, NULL, 0, small, sizeof(small)), -EBADF);
	CHECK_EQ(call(root, FS_MKDIR, 0, "d", 1, NULL, 0), -ENOSYS);
	CHECK_EQ(call(root, FS_OPEN, VO_ACCMODE, "0", 1, NULL, 0), -EINVAL);
	CHECK_EQ(call(root, FS_OPEN, 0, "123456789", 9, NULL, 0), -ENOENT);
	/* The terminal still works. */
	CHECK_EQ(tcgetattr(tty, &t), 0);
}

/* Descriptors that are not terminals: ENOTTY, and EBADF for none. */
static void not_a_terminal(void)
{
	struct termios t;
	struct winsize ws;

	/* Handle 1 is init's log: a character device, not a terminal. */
	CHECK_ERR(tcgetattr(1, &t), ENOTTY);
	CHECK_ERR(tcsetpgrp(1, getpgrp()), ENOTTY);
	CHECK_ERR(ioctl(1, TIOCGWINSZ, &ws), ENOTTY);
	CHECK_ERR(tcgetattr(500, &t), EBADF);
	CHECK_ERR(tcgetpgrp(500), EBADF);
	CHECK_ERR(tcflush(tty, 7), EINVAL);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * 3000 messages with random opcodes (the file protocol's and TTY_*'s, and
 * any), words and buffers, on the terminal and on the root; never a read
 * or a write, which could wait or print.  The server must answer each
 * and still work.
 */
static void random_messages(void)
{
	handle_t root = scheme_root("tty");
	uint8_t send[80], recv[80];
	struct termios t;

	REQUIRE_OK(root);
	for (int i = 0; i < 3000; i++) {
		uint64_t r = rng();
		uint32_t op;
		struct ipc_buffers b;
		struct ipc_msg m;
		long st;

		if (r % 3 == 0)
			op = TTY_GETATTR + (uint32_t)(rng() % 9);
		else if (r % 3 == 1)
			op = FS_OPEN + (uint32_t)(rng() % 0x14);
		else
			op = (uint32_t)rng() % IPC_OP_KERNEL;
		if (op == FS_READ || op == FS_WRITE)
			continue;
		memset(&m, 0, sizeof(m));
		m.op = op;
		for (int k = 0; k < IPC_WORDS; k++)
			m.w[k] = rng() % 4 ? rng() % 8 : rng();
		for (size_t k = 0; k < sizeof(send); k++)
			send[k] = (uint8_t)rng();
		b = (struct ipc_buffers){ .send = send,
					  .send_len = rng() % sizeof(send),
					  .recv = recv,
					  .recv_len = rng() % sizeof(recv) };
		st = sys_ipc_call(r & 8 ? root : tty, &m, &b);
		if (st >= 0 && m.nhandles) /* an open that worked */
			for (uint32_t k = 0; k < m.nhandles && k < IPC_HANDLES;
			     k++)
				sys_handle_close(m.handles[k]);
		if (st == -EPIPE) {
			CHECK_EQ(st, 0); /* the server died */
			return;
		}
	}
	CHECK_EQ(tcsetattr(tty, TCSANOW, &defaults), 0);
	CHECK_EQ(tcgetattr(tty, &t), 0);
	CHECK(memcmp(&t, &defaults, sizeof(t)) == 0);
	CHECK_EQ(tcsetpgrp(tty, getpgrp()), 0);
}

const struct test proto_tests[] = {
	{ "the first settings: Linux's, 24x80", first_settings },
	{ "tcsetattr and tcgetattr: a round trip", termios_round_trip },
	{ "window size: TIOCSWINSZ sends SIGWINCH on a change", window_size },
	{ "the file protocol on a terminal", file_protocol },
	{ "bad requests get their errors", bad_requests },
	{ "descriptors that are not terminals", not_a_terminal },
	{ "3000 random messages", random_messages },
	{ NULL, NULL },
};
