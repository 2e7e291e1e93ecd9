/*
 * The child side: `pipetest child MODE [ARG]`, started by the tests with
 * chosen standard handles (child_start).
 *
 *   write TEXT  waits 50 ms, writes TEXT to its standard output, exits 0
 *   read        reads up to 64 bytes of its standard input; exits with
 *               the count (or 200 + errno)
 *   flood N     writes N bytes ('f') to its standard output in one call;
 *               exits 0 if all were taken
 *   hog         makes pipes until pipe() fails, writes "COUNT ERRNO\n" to
 *               its standard output, then reads its standard input until
 *               the end and exits 0
 *   fds A B     writes "ok\n" to its standard output and exits with bit 0
 *               set if descriptor A is open, bit 1 if B is
 */
#include "pipetest.h"

static int child_hog(void)
{
	static int fds[ALL_PIPES][2];
	char line[32];
	int n = 0, err, len;

	while (n < ALL_PIPES && pipe(fds[n]) == 0)
		n++;
	err = errno;
	len = snprintf(line, sizeof(line), "%d %d\n", n, err);
	if (write(1, line, (size_t)len) != len)
		return 1;
	while (read(0, line, sizeof(line)) > 0)
		;
	return 0;
}

int child_main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[2] : "";
	const char *arg = argc > 3 ? argv[3] : "";
	char buf[64];
	ssize_t n;

	if (strcmp(mode, "write") == 0) {
		sys_sleep(50 * MS);
		n = write(1, arg, strlen(arg));
		return n == (ssize_t)strlen(arg) ? 0 : 1;
	}
	if (strcmp(mode, "read") == 0) {
		n = read(0, buf, sizeof(buf));
		return n < 0 ? 200 + errno : (int)n;
	}
	if (strcmp(mode, "flood") == 0) {
		size_t len = (size_t)atol(arg);
		char *big = malloc(len);

		if (!big)
			return 2;
		memset(big, 'f', len);
		n = write(1, big, len);
		return n == (ssize_t)len ? 0 : 1;
	}
	if (strcmp(mode, "hog") == 0)
		return child_hog();
	if (strcmp(mode, "fds") == 0 && argc > 4) {
		int open_a = fcntl(atoi(argv[3]), F_GETFD) >= 0;
		int open_b = fcntl(atoi(argv[4]), F_GETFD) >= 0;

		if (write(1, "ok\n", 3) != 3)
			return 9;
		return open_a | open_b << 1;
	}
	return 99;
}
