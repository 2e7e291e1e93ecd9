/*
 * Descriptors: dup, fcntl's F_DUPFD, F_GETFD/F_SETFD, F_GETFL/F_SETFL,
 * on pipes and on servers that keep no flags (initfs, misc).
 */
#include "pipetest.h"

static void dup_shares_the_end(void)
{
	char buf[8];
	int p[2], d;

	REQUIRE_EQ(pipe(p), 0);
	d = dup(p[1]);
	REQUIRE_OK(d);
	CHECK(d != p[0] && d != p[1]);
	CHECK_EQ(write(d, "ab", 2), 2);
	CHECK_EQ(close(p[1]), 0);
	CHECK_EQ(write(d, "c", 1), 1); /* the end is still open through d */
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_ERR(read(d, buf, 1), EBADF); /* the copy is write-only too */
	CHECK_EQ(close(d), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0); /* now the end */
	CHECK_ERR(dup(p[1]), EBADF);
	CHECK_ERR(dup(-1), EBADF);
	CHECK_ERR(dup(HANDLE_MAX + 5), EBADF);
	close(p[0]);
}

/* dup takes the lowest free number, F_DUPFD the lowest at or above. */
static void dupfd_numbers(void)
{
	int p[2], d, d2, d3, low;

	REQUIRE_EQ(pipe(p), 0);
	low = dup(p[0]);
	REQUIRE_OK(low);
	close(low); /* `low` is now the lowest free number */
	d = fcntl(p[0], F_DUPFD, 200);
	CHECK_EQ(d, 200);
	d2 = fcntl(p[0], F_DUPFD, 200);
	CHECK_EQ(d2, 201);
	d3 = fcntl(p[0], F_DUPFD, 0);
	CHECK_EQ(d3, low);
	CHECK_EQ(dup(p[0]), low + 1); /* the placeholders are gone again */
	close(low + 1);
	CHECK_ERR(fcntl(p[0], F_DUPFD, -1), EINVAL);
	CHECK_ERR(fcntl(p[0], F_DUPFD, HANDLE_MAX), EINVAL);
	CHECK_ERR(fcntl(999, F_DUPFD, 0), EBADF);
	CHECK_EQ(write(p[1], "z", 1), 1);
	{
		char c = 0;

		CHECK_EQ(read(d2, &c, 1), 1); /* a copy of the read end */
		CHECK_EQ(c, 'z');
	}
	close(d);
	close(d2);
	close(d3);
	close(p[0]);
	close(p[1]);
}

static void close_on_exec_flag(void)
{
	int p[2], q[2], d;

	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), 0);
	CHECK_EQ(fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(p[1], F_GETFD), 0); /* per descriptor */
	d = dup(p[0]);
	REQUIRE_OK(d);
	CHECK_EQ(fcntl(d, F_GETFD), 0); /* dup clears it */
	close(d);
	d = fcntl(p[0], F_DUPFD_CLOEXEC, 0);
	REQUIRE_OK(d);
	CHECK_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	close(d);
	CHECK_EQ(fcntl(p[0], F_SETFD, 0), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), 0);
	CHECK_ERR(fcntl(999, F_GETFD), EBADF);
	CHECK_ERR(fcntl(999, F_SETFD, FD_CLOEXEC), EBADF);
	REQUIRE_EQ(pipe2(q, O_CLOEXEC), 0);
	CHECK_EQ(fcntl(q[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(q[1], F_GETFD), FD_CLOEXEC);
	close(q[0]);
	close(q[1]);
	/* a closed number does not keep the flag for the next descriptor */
	CHECK_EQ(fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
	close(p[0]);
	REQUIRE_EQ(pipe(q), 0);
	CHECK_EQ(fcntl(q[0], F_GETFD), 0);
	CHECK_EQ(fcntl(q[1], F_GETFD), 0);
	close(q[0]);
	close(q[1]);
	close(p[1]);
	CHECK_ERR(pipe2(q, O_APPEND), EINVAL);
}

static void status_flags_on_a_pipe(void)
{
	char c;
	int p[2], d;

	REQUIRE_EQ(pipe(p), 0);
	CHECK_EQ(fcntl(p[0], F_GETFL), O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL), O_WRONLY);
	CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(fcntl(p[0], F_GETFL), O_RDONLY | O_NONBLOCK);
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);
	d = dup(p[0]);
	REQUIRE_OK(d);
	CHECK_EQ(fcntl(d, F_GETFL), O_RDONLY | O_NONBLOCK); /* shared */
	CHECK_ERR(read(d, &c, 1), EAGAIN);
	CHECK_EQ(fcntl(d, F_SETFL, 0), 0);
	CHECK_EQ(fcntl(p[0], F_GETFL), O_RDONLY);
	close(d);
	/* the access mode and other bits cannot be changed */
	CHECK_EQ(fcntl(p[1], F_SETFL, O_RDWR | O_NONBLOCK | O_CREAT), 0);
	CHECK_EQ(fcntl(p[1], F_GETFL), O_WRONLY | O_NONBLOCK);
	CHECK_EQ(fcntl(p[0], F_GETFL), O_RDONLY); /* per end */
	CHECK_ERR(fcntl(999, F_GETFL), EBADF);
	CHECK_ERR(fcntl(999, F_SETFL, 0), EBADF);
	CHECK_ERR(fcntl(p[0], 12345), EINVAL);
	close(p[0]);
	close(p[1]);
}

/* Servers that keep no status flags: libc keeps them. */
static void status_flags_elsewhere(void)
{
	char buf[8];
	int fd = open("/test/hello.txt", O_RDONLY);
	int fd2;

	REQUIRE_OK(fd);
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDONLY);
	CHECK_EQ(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDONLY | O_NONBLOCK);
	CHECK_EQ(read(fd, buf, 5), 5); /* a file never blocks anyway */
	CHECK_EQ(fcntl(fd, F_SETFL, 0), 0);
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDONLY);
	close(fd);
	fd2 = open("null:", O_WRONLY);
	REQUIRE_OK(fd2);
	CHECK_EQ(fcntl(fd2, F_GETFL), O_WRONLY);
	CHECK_EQ(fcntl(fd2, F_SETFL, O_APPEND), 0);
	CHECK_EQ(fcntl(fd2, F_GETFL), O_WRONLY | O_APPEND);
	CHECK_EQ(write(fd2, "abc", 3), 3); /* seeks to the end first */
	close(fd2);
	/* standard output, from init: libc does not know its mode */
	CHECK_EQ(fcntl(1, F_GETFL) & O_ACCMODE, O_RDWR);
}

const struct test fd_tests[] = {
	{ "dup shares the end", dup_shares_the_end },
	{ "dup and F_DUPFD numbers", dupfd_numbers },
	{ "F_GETFD and F_SETFD: close-on-exec", close_on_exec_flag },
	{ "F_GETFL and F_SETFL on a pipe", status_flags_on_a_pipe },
	{ "F_GETFL and F_SETFL where the server keeps none",
	  status_flags_elsewhere },
	{ NULL, NULL },
};
