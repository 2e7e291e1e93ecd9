/*
 * Tests of log:, the kernel log (servers/log): the boot messages are
 * there, writes become log lines, seek and stat, errors.
 */
#include "serialtest.h"

#define LOG_MARKER "serialtest-log-marker: written through log:"

static char logbuf[64 << 10];

/* Reads f to its end into logbuf; the byte count or -errno. */
static long read_all(handle_t f)
{
	size_t have = 0;
	long n;

	while (have < sizeof(logbuf) &&
	       (n = fs_read(f, logbuf + have, sizeof(logbuf) - have)) > 0)
		have += (size_t)n;
	return n < 0 ? n : (long)have;
}

static void t_boot_messages(void)
{
	handle_t f = fs_open(st_log, "", VO_RDONLY);
	struct vstat st;
	long n;

	REQUIRE_OK(f);
	n = read_all(f);
	CHECK_OK(n);
	if (n > 0) {
		/* The ring is 16 KiB: at this point it still has it all. */
		CHECK(memcmp(logbuf, "Valence ", 8) == 0);
		CHECK(contains(logbuf, (size_t)n, "kernel: ready\n"));
		CHECK(contains(logbuf, (size_t)n,
			       "init: serial registered serial:\n"));
		CHECK(contains(logbuf, (size_t)n,
			       "init: log registered log:\n"));
	}
	/* at the end: 0, and stat's size is where the end is */
	CHECK_EQ(fs_read(f, logbuf, 16), 0);
	CHECK_EQ(fs_stat(f, &st), 0);
	CHECK_EQ(st.mode & VS_IFMT, VS_IFCHR);
	CHECK(st.size >= (uint64_t)n);
	CHECK_EQ(fs_seek(f, 0, VSEEK_CUR), n);
	sys_handle_close(f);

	/* "kernel" names the same log */
	f = fs_open(st_log, "kernel", VO_RDONLY);
	REQUIRE_OK(f);
	CHECK_EQ(fs_read(f, logbuf, 8), 8);
	CHECK(memcmp(logbuf, "Valence ", 8) == 0);
	sys_handle_close(f);
}

static void t_write_line(void)
{
	handle_t f = fs_open(st_log, "", VO_RDWR);
	const char *text = LOG_MARKER "\n";
	int64_t end;
	long n;

	REQUIRE_OK(f);
	end = fs_seek(f, 0, VSEEK_END);
	CHECK_OK(end);
	CHECK_EQ(fs_write(f, text, strlen(text)), (long)strlen(text));
	/* two lines in one write, the second without its newline */
	CHECK_EQ(fs_write(f, "serialtest one\nserialtest two", 29), 29);
	n = read_all(f);
	CHECK_OK(n);
	if (n > 0) {
		CHECK(contains(logbuf, (size_t)n, "] pid "));
		CHECK(contains(logbuf, (size_t)n, ": " LOG_MARKER "\n"));
		CHECK(contains(logbuf, (size_t)n, ": serialtest one\n"));
		CHECK(contains(logbuf, (size_t)n, ": serialtest two\n"));
	}
	sys_handle_close(f);
}

static void t_seek_stat(void)
{
	handle_t f = fs_open(st_log, "", VO_RDONLY);
	struct vstat st;
	char c;

	REQUIRE_OK(f);
	CHECK_EQ(fs_stat(f, &st), 0);
	CHECK_EQ(fs_seek(f, 0, VSEEK_END), (long)st.size);
	CHECK_EQ(fs_seek(f, -1, VSEEK_SET), -EINVAL);
	CHECK_EQ(fs_seek(f, 0, 7), -EINVAL);
	CHECK_EQ(fs_seek(f, 5, VSEEK_SET), 5);
	CHECK_EQ(fs_seek(f, 2, VSEEK_CUR), 7);
	CHECK_EQ(fs_read(f, &c, 1), 1);
	CHECK_EQ(c, "Valence "[7]);
	/* past the end: nothing yet */
	CHECK_EQ(fs_seek(f, 1000, VSEEK_END), (long)st.size + 1000);
	CHECK_EQ(fs_read(f, &c, 1), 0);
	{
		struct ipc_buffers b = { .recv = &st, .recv_len = 79 };

		CHECK_EQ(fs_call(f, FS_STAT, 0, 0, &b), -EINVAL);
	}
	sys_handle_close(f);
}

static void t_log_errors(void)
{
	handle_t f;

	CHECK_EQ(fs_open(st_log, "x", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open(st_log, "kernel/", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open(st_log, "a-name-much-longer-than-kernel", VO_RDONLY),
		 -ENOENT);
	CHECK_EQ(fs_open(st_log, "", VO_RDONLY | VO_DIRECTORY), -ENOTDIR);
	CHECK_EQ(fs_call(st_log, FS_READ, 0, 0, NULL), -EBADF);
	CHECK_EQ(fs_call(st_log, 0x7777, 0, 0, NULL), -ENOSYS);
	f = fs_open(st_log, "", VO_RDONLY);
	REQUIRE_OK(f);
	CHECK_EQ(fs_write(f, "x\n", 2), -EBADF);
	CHECK_EQ(fs_call(f, FS_READDIR, 0, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_call(f, FS_OPEN, 0, 0, NULL), -EBADF);
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 1, NULL), VO_RDONLY);
	CHECK_EQ(fs_call(f, FS_SETFL, VO_NONBLOCK, 0, NULL), 0);
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 1, NULL), VO_NONBLOCK);
	CHECK_EQ(fs_call(st_log, FS_SETFL, 0, 1, NULL), -EBADF);
	CHECK_EQ(fs_call(st_log, FS_MKDIR, 0, 0, NULL), -ENOSYS);
	sys_handle_close(f);
	f = fs_open(st_log, "", VO_WRONLY);
	REQUIRE_OK(f);
	CHECK_EQ(fs_read(f, logbuf, 1), -EBADF);
	sys_handle_close(f);
}

/* As t_close_then_open_when_full in t_serial.c, for log:. */
static void t_log_files(void)
{
	static handle_t fs[LOG_FILES_MAX + 1];
	int n = 0;

	while (n <= LOG_FILES_MAX &&
	       (fs[n] = fs_open(st_log, "", VO_RDONLY)) >= 0)
		n++;
	CHECK_EQ(n, LOG_FILES_MAX);
	if (n <= LOG_FILES_MAX)
		CHECK_EQ(fs[n], -EMFILE);
	for (int i = 0; n == LOG_FILES_MAX && i < 10; i++) {
		sys_handle_close(fs[n - 1]);
		fs[n - 1] = fs_open(st_log, "", VO_RDONLY);
		CHECK_OK(fs[n - 1]);
		if (fs[n - 1] < 0)
			n--;
	}
	while (n > 0)
		sys_handle_close(fs[--n]);
}

const struct st_case st_log_cases[] = {
	{ "log: holds the boot messages", t_boot_messages },
	{ "log: writes become kernel log lines", t_write_line },
	{ "log: seek and stat", t_seek_stat },
	{ "log: errors", t_log_errors },
	{ "log: 64 files; close then open when all are taken", t_log_files },
	{ NULL, NULL },
};
