/*
 * Tests of serial: (drivers/serial over drivers/lib/chardev): opens,
 * writes that show on the serial line, reads that park until the harness
 * types (prompts 1..5), queued readers, CLOSE, the input ring's size and
 * overflow, errors; and last, the driver crashing and init restarting it
 * (prompt 6).
 */
#include "serialtest.h"

/* What the harness looks for on the serial line: never printed to the
   log by this program, only written to serial:0. */
#define DIRECT_LINE  "serialtest-direct: hello over serial:0"
#define RESTART_LINE "serialtest-direct: written after the restart"

static uint8_t big[8192];

/* Reads from f (in a thread, `timeout` for each read) until `want`
   bytes came or one read fails; returns the bytes read or -errno. */
static long read_exactly(handle_t f, char *out, size_t want, uint64_t timeout)
{
	static struct reader r;
	size_t have = 0;

	while (have < want) {
		long n;

		if (st_read_start(&r, f, want - have) < 0)
			return -ENOMEM;
		n = st_read_wait(&r, timeout);
		if (n <= 0)
			return n ? n : -EIO;
		memcpy(out + have, r.buf, (size_t)n);
		have += (size_t)n;
	}
	return (long)have;
}

static void t_bad_opens(void)
{
	static const char *const names[] = { "",  "1",	"00", "0x", "-0",
					     "x", "0/", " 0", "01" };
	char longname[100];
	handle_t f;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK_EQ(fs_open(st_serial, names[i], VO_RDWR), -ENOENT);
	memset(longname, '0', sizeof(longname));
	CHECK_EQ(fs_open_len(st_serial, longname, sizeof(longname), VO_RDWR),
		 -ENOENT);
	CHECK_EQ(fs_open(st_serial, "0", VO_RDWR | VO_DIRECTORY), -ENOTDIR);
	CHECK_EQ(fs_open(st_serial, "0", VO_RDWR | VO_CREAT | VO_EXCL),
		 -EEXIST);
	CHECK_EQ(fs_open(st_serial, "0", VO_ACCMODE), -EINVAL);
	/* a NUL after the name is allowed; O_CREAT alone is harmless */
	f = fs_open_len(st_serial, "0", 2, VO_RDWR);
	CHECK_OK(f);
	if (f >= 0)
		sys_handle_close(f);
	f = fs_open(st_serial, "0", VO_WRONLY | VO_CREAT | VO_TRUNC);
	CHECK_OK(f);
	if (f >= 0)
		sys_handle_close(f);
}

static void t_bad_ops(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDWR), ro, wo;
	char c;

	/* on the root */
	CHECK_EQ(fs_call(st_serial, FS_READ, 0, 0, NULL), -EBADF);
	CHECK_EQ(fs_call(st_serial, FS_WRITE, 0, 0, NULL), -EBADF);
	CHECK_EQ(fs_call(st_serial, FS_STAT, 0, 0, NULL), -EBADF);
	CHECK_EQ(fs_call(st_serial, FS_MKDIR, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(st_serial, FS_UNLINK, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(st_serial, FS_PATHSTAT, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(st_serial, 0x7777, 0, 0, NULL), -ENOSYS);
	/* on a file */
	REQUIRE_OK(f);
	CHECK_EQ(fs_seek(f, 0, VSEEK_SET), -ESPIPE);
	CHECK_EQ(fs_seek(f, 0, VSEEK_CUR), -ESPIPE);
	CHECK_EQ(fs_call(f, FS_READDIR, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(f, FS_TRUNCATE, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(f, FS_CHMOD, 0644, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(f, FS_OPEN, 0, 0, NULL), -EBADF);
	CHECK_EQ(fs_call(f, 0x1ff, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(f, FS_FSYNC, 0, 0, NULL), 0);
	CHECK_EQ(fs_read(f, &c, 0), 0);
	sys_handle_close(f);
	/* access modes */
	ro = fs_open(st_serial, "0", VO_RDONLY);
	wo = fs_open(st_serial, "0", VO_WRONLY);
	REQUIRE_OK(ro);
	REQUIRE_OK(wo);
	CHECK_EQ(fs_write(ro, "x", 1), -EBADF);
	CHECK_EQ(fs_read(wo, &c, 1), -EBADF);
	sys_handle_close(ro);
	sys_handle_close(wo);
}

static void t_stat(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDONLY);
	struct vstat st;

	REQUIRE_OK(f);
	memset(&st, 0xff, sizeof(st));
	CHECK_EQ(fs_stat(f, &st), 0);
	CHECK_EQ(st.mode, VS_IFCHR | 0666);
	CHECK_EQ(st.rdev, 0);
	CHECK_EQ(st.size, 0); /* nothing typed yet */
	CHECK_EQ(st.nlink, 1);
	{
		struct ipc_buffers b = { .recv = &st, .recv_len = 79 };

		CHECK_EQ(fs_call(f, FS_STAT, 0, 0, &b), -EINVAL);
	}
	sys_handle_close(f);
}

static void t_write(void)
{
	handle_t f = fs_open(st_serial, "0", VO_WRONLY);
	const char *line = "\r\n" DIRECT_LINE "\r\n";
	size_t n = 1000;

	REQUIRE_OK(f);
	CHECK_EQ(fs_write(f, line, strlen(line)), (long)strlen(line));
	/* more than one chunk of the driver's */
	memcpy(big, "serialtest-long: ", 17);
	for (size_t i = 17; i < n - 2; i++)
		big[i] = (uint8_t)('0' + i % 10);
	big[n - 2] = '\r';
	big[n - 1] = '\n';
	CHECK_EQ(fs_write(f, big, n), (long)n);
	CHECK_EQ(fs_write(f, big, 0), 0);
	/* a buffer that is not there */
	{
		struct ipc_buffers b = { .send = (void *)0x500000000000ull,
					 .send_len = 16 };

		CHECK_EQ(fs_call(f, FS_WRITE, 0, 0, &b), -EFAULT);
	}
	sys_handle_close(f);
}

static void t_nonblock(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDONLY | VO_NONBLOCK);
	char c;

	REQUIRE_OK(f);
	CHECK_EQ(fs_read(f, &c, 1), -EAGAIN);
	CHECK_EQ(fs_read(f, &c, 1), -EAGAIN);
	sys_handle_close(f);
}

static void t_parked_read(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDWR);
	static struct reader r;
	char line[8];
	long n;

	REQUIRE_OK(f);
	REQUIRE_EQ(st_read_start(&r, f, sizeof(line)), 0);
	CHECK(st_read_parked(&r, 200 * MS));
	st_prompt(1); /* the harness types "ping\n" */
	n = st_read_wait(&r, 20 * SEC);
	CHECK(n >= 1 && n <= 5);
	if (n >= 1 && n <= 5) {
		memcpy(line, r.buf, (size_t)n);
		if (n < 5)
			CHECK_EQ(read_exactly(f, line + n, 5 - (size_t)n,
					      10 * SEC),
				 5 - n);
		CHECK(memcmp(line, "ping\n", 5) == 0);
	} else {
		sys_handle_close(f); /* ends a read still parked */
		st_read_wait(&r, 5 * SEC);
		return;
	}
	sys_handle_close(f);
}

static void t_readers_queue(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDONLY);
	static struct reader a, b;

	REQUIRE_OK(f);
	REQUIRE_EQ(st_read_start(&a, f, 1), 0);
	CHECK(st_read_parked(&a, 100 * MS));
	REQUIRE_EQ(st_read_start(&b, f, 1), 0);
	CHECK(st_read_parked(&b, 100 * MS));
	st_prompt(2); /* "xy" */
	CHECK_EQ(st_read_wait(&a, 20 * SEC), 1);
	CHECK_EQ(st_read_wait(&b, 20 * SEC), 1);
	CHECK_EQ(a.buf[0], 'x');
	CHECK_EQ(b.buf[0], 'y');
	sys_handle_close(f);
	st_read_wait(&a, SEC);
	st_read_wait(&b, SEC);
}

static void t_close_drops_reads(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDONLY);
	handle_t g = fs_open(st_serial, "0", VO_RDONLY);
	static struct reader dropped, next;

	REQUIRE_OK(f);
	REQUIRE_OK(g);
	REQUIRE_EQ(st_read_start(&dropped, g, 1), 0);
	CHECK(st_read_parked(&dropped, 100 * MS));
	CHECK_EQ(sys_handle_close(g), 0); /* its last handle: CLOSE */
	CHECK_EQ(st_read_wait(&dropped, 10 * SEC), -EBADF);
	/* the input goes to the next reader, not to the dropped one */
	REQUIRE_EQ(st_read_start(&next, f, 4), 0);
	CHECK(st_read_parked(&next, 100 * MS));
	st_prompt(3); /* "z" */
	CHECK_EQ(st_read_wait(&next, 20 * SEC), 1);
	CHECK_EQ(next.buf[0], 'z');
	sys_handle_close(f);
	st_read_wait(&next, SEC);
}

/* Waits until f's stat shows `want` bytes waiting; true if it did. */
static bool wait_buffered(handle_t f, uint64_t want, uint64_t timeout)
{
	uint64_t end = sys_clock_get() + timeout;
	struct vstat st;

	do {
		if (fs_stat(f, &st) == 0 && st.size >= want)
			return st.size == want;
		sys_sleep(20 * MS);
	} while (sys_clock_get() < end);
	return false;
}

/* Reads what f holds now (f is non-blocking) into big at `at`. */
static size_t drain(handle_t f, size_t at)
{
	long n;

	while (at < sizeof(big) &&
	       (n = fs_read(f, big + at, sizeof(big) - at)) > 0)
		at += (size_t)n;
	return at;
}

static void t_ring_fits(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDONLY | VO_NONBLOCK);
	size_t n, bad = 0;

	REQUIRE_OK(f);
	st_prompt(4); /* PATTERN_FITS bytes, no reader waiting */
	CHECK(wait_buffered(f, PATTERN_FITS, 30 * SEC));
	n = drain(f, 0);
	CHECK_EQ(n, PATTERN_FITS);
	for (size_t i = 0; i < n; i++)
		bad += big[i] != (uint8_t)PATTERN(i);
	CHECK_EQ(bad, 0);
	sys_handle_close(f);
}

/* The "(N in all)" of the driver's last "input buffer was full" line. */
static long dropped_in_all(void)
{
	static char text[16 << 10];
	const char *key = "input buffer was full: ";
	handle_t f = fs_open(st_log, "", VO_RDONLY);
	long n, total = -1;
	size_t have = 0, k = strlen(key);

	if (f < 0)
		return f;
	while ((n = fs_read(f, text + have, sizeof(text) - have)) > 0)
		have += (size_t)n;
	sys_handle_close(f);
	for (size_t i = 0; i + k < have; i++) {
		if (memcmp(text + i, key, k) != 0)
			continue;
		/* "<d> bytes dropped (<N> in all)" */
		while (i < have && text[i] != '(')
			i++;
		total = 0;
		while (++i < have && text[i] >= '0' && text[i] <= '9')
			total = total * 10 + (text[i] - '0');
	}
	return total;
}

static void t_ring_overflow(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDONLY | VO_NONBLOCK);
	uint64_t end = sys_clock_get() + 20 * SEC;
	size_t n, bad = 0;
	long dropped = -1;

	REQUIRE_OK(f);
	st_prompt(5); /* PATTERN_OVER bytes, no reader waiting */
	CHECK(wait_buffered(f, SERIAL_RING_SIZE, 30 * SEC));
	/*
	 * The full ring holds the first bytes; what came while it was full
	 * is dropped and counted.  Bytes still on their way arrive while we
	 * read and after: they fit again, and follow.
	 */
	n = drain(f, 0);
	CHECK(n >= SERIAL_RING_SIZE);
	for (size_t i = 0; i < SERIAL_RING_SIZE && i < n; i++)
		bad += big[i] != (uint8_t)PATTERN(i);
	CHECK_EQ(bad, 0);
	while (sys_clock_get() < end) {
		n = drain(f, n);
		dropped = dropped_in_all();
		if (dropped > 0 && n + (size_t)dropped == PATTERN_OVER)
			break;
		sys_sleep(100 * MS);
	}
	CHECK(dropped > 0);
	CHECK_EQ(n + (size_t)dropped, PATTERN_OVER);
	for (size_t i = SERIAL_RING_SIZE; i < n; i++)
		bad += big[i] < 'A' || big[i] > 'Z';
	CHECK_EQ(bad, 0);
	sys_handle_close(f);
}

static void t_open_many(void)
{
	static handle_t fs[SERIAL_FILES_MAX + 1];
	int n = 0;

	for (int i = 0; i < 300; i++) {
		handle_t f = fs_open(st_serial, "0", VO_RDWR);

		CHECK_OK(f);
		if (f < 0)
			return;
		sys_handle_close(f);
	}
	while (n <= SERIAL_FILES_MAX &&
	       (fs[n] = fs_open(st_serial, "0", VO_RDONLY)) >= 0)
		n++;
	CHECK_EQ(n, SERIAL_FILES_MAX);
	if (n <= SERIAL_FILES_MAX)
		CHECK_EQ(fs[n], -EMFILE);
	while (n > 0)
		sys_handle_close(fs[--n]);
	fs[0] = fs_open(st_serial, "0", VO_RDONLY);
	CHECK_OK(fs[0]);
	if (fs[0] >= 0)
		sys_handle_close(fs[0]);
}

/*
 * serialtest runs above the driver (priority=20 in etc/services.serial),
 * so its open reaches the driver before the CLOSE of the file it just
 * closed: with every file taken, the driver must serve that CLOSE first.
 */
static void t_close_then_open_when_full(void)
{
	static handle_t fs[SERIAL_FILES_MAX];
	int n = 0;

	while (n < SERIAL_FILES_MAX &&
	       (fs[n] = fs_open(st_serial, "0", VO_RDONLY)) >= 0)
		n++;
	CHECK_EQ(n, SERIAL_FILES_MAX);
	for (int i = 0; n == SERIAL_FILES_MAX && i < 10; i++) {
		sys_handle_close(fs[n - 1]);
		fs[n - 1] = fs_open(st_serial, "0", VO_RDONLY);
		CHECK_OK(fs[n - 1]);
		if (fs[n - 1] < 0)
			n--;
	}
	while (n > 0)
		sys_handle_close(fs[--n]);
}

static void t_setfl(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDWR | VO_CREAT);
	static struct reader r;
	char c;

	REQUIRE_OK(f);
	/* F_GETFL: the access mode and status flags, not O_CREAT */
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 1, NULL), VO_RDWR);
	CHECK_EQ(fs_call(f, FS_SETFL, VO_NONBLOCK | VO_TRUNC, 0, NULL), 0);
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 1, NULL), VO_RDWR | VO_NONBLOCK);
	CHECK_EQ(fs_read(f, &c, 1), -EAGAIN);
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 2, NULL), -EINVAL);
	CHECK_EQ(fs_call(st_serial, FS_SETFL, 0, 1, NULL), -EBADF);
	/* blocking again: the read parks (ended by the close) */
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 0, NULL), 0);
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 1, NULL), VO_RDWR);
	REQUIRE_EQ(st_read_start(&r, f, 1), 0);
	CHECK(st_read_parked(&r, 100 * MS));
	sys_handle_close(f);
	CHECK_EQ(st_read_wait(&r, 10 * SEC), -EBADF);
}

const struct st_case st_serial_cases[] = {
	{ "serial: bad opens", t_bad_opens },
	{ "serial: bad operations", t_bad_ops },
	{ "serial: stat", t_stat },
	{ "serial: writes go out on the line", t_write },
	{ "serial: non-blocking read of nothing", t_nonblock },
	{ "serial: F_GETFL and F_SETFL", t_setfl },
	{ "serial: a parked read gets the input", t_parked_read },
	{ "serial: parked reads are answered in order", t_readers_queue },
	{ "serial: CLOSE answers a file's parked reads", t_close_drops_reads },
	{ "serial: 4000 bytes with no reader are all kept", t_ring_fits },
	{ "serial: a full ring drops and counts", t_ring_overflow },
	{ "serial: open files are freed and capped", t_open_many },
	{ "serial: close then open with every file taken",
	  t_close_then_open_when_full },
	{ NULL, NULL },
};

/* ---- the driver is killed; init starts it again ---- */

/* NS_SVC_KILL of the service `name` (serialtest's line has control=yes). */
static long svc_kill(const char *name)
{
	struct ipc_buffers b = { .send = name, .send_len = strlen(name) };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = NS_SVC_KILL;
	return sys_ipc_call(PROC_H_NS, &m, &b);
}

static void t_restart(void)
{
	handle_t f = fs_open(st_serial, "0", VO_RDWR), g;
	const char *line = "\r\n" RESTART_LINE "\r\n";
	static struct reader r, lost;
	char c;

	REQUIRE_OK(f);
	/* a read parked when the driver goes: the caller gets -EPIPE */
	REQUIRE_EQ(st_read_start(&lost, f, 1), 0);
	CHECK(st_read_parked(&lost, 100 * MS));
	CHECK_EQ(svc_kill("serial"), 0); /* init replies once it has ended */
	CHECK_EQ(st_read_wait(&lost, 10 * SEC), -EPIPE);
	CHECK_EQ(fs_read(f, &c, 1), -EPIPE);
	CHECK_EQ(fs_open(st_serial, "0", VO_RDWR), -EPIPE);
	sys_handle_close(f);
	sys_handle_close(st_serial);
	st_serial = st_lookup("serial"); /* waits for the new instance */
	REQUIRE_OK(st_serial);
	g = fs_open(st_serial, "0", VO_RDWR);
	REQUIRE_OK(g);
	CHECK_EQ(fs_write(g, line, strlen(line)), (long)strlen(line));
	REQUIRE_EQ(st_read_start(&r, g, 16), 0);
	CHECK(st_read_parked(&r, 200 * MS));
	st_prompt(6); /* "again\n" */
	CHECK(st_read_wait(&r, 20 * SEC) >= 1);
	CHECK_EQ(r.buf[0], 'a');
	sys_handle_close(g);
	st_read_wait(&r, SEC);
}

const struct st_case st_restart_cases[] = {
	{ "serial: init restarts a killed driver", t_restart },
	{ NULL, NULL },
};
