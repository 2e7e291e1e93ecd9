/* libutil: input and output (util.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

FILE *util_fopen_in(const char *path)
{
	struct stat st;
	FILE *f;

	if (strcmp(path, "-") == 0)
		return stdin;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	/* Reading a directory is an error here, as on other systems. */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return NULL;
	}
	return f;
}

void util_fclose_in(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
}

long util_read_line(FILE *f, char **buf, size_t *cap)
{
	size_t len = 0;
	int c;

	for (;;) {
		if (len + 2 > *cap) {
			size_t ncap = *cap ? *cap * 2 : 128;
			char *n = realloc(*buf, ncap);

			if (!n) {
				errno = ENOMEM;
				return -1;
			}
			*buf = n;
			*cap = ncap;
		}
		c = getc(f);
		if (c == EOF)
			break;
		(*buf)[len++] = (char)c;
		if (c == '\n')
			break;
	}
	(*buf)[len] = '\0';
	if (len == 0 && ferror(f))
		return -1;
	if (len > LONG_MAX)
		return -1;
	return (long)len;
}

char *util_read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap), *nb;

	if (!buf)
		return NULL;
	for (;;) {
		if (cap - n < 2) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int util_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
