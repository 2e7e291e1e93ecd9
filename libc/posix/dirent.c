/*
 * opendir and readdir on FS_READDIR: records (struct vdirent) are read a
 * buffer at a time and handed out one by one as struct dirent.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "posix.h"

#define DIR_BUF 4096
#define NAME_AT offsetof(struct vdirent, name) /* 12, not sizeof (16) */

struct valence_dir {
	int fd;
	size_t pos, len; /* the unread records are buf[pos, len) */
	struct dirent ent;
	char buf[DIR_BUF] __attribute__((aligned(8)));
};

DIR *fdopendir(int fd)
{
	struct stat st;
	DIR *d;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		__posix_ret(-ENOTDIR);
		return NULL;
	}
	d = malloc(sizeof(*d));
	if (!d) {
		__posix_ret(-ENOMEM);
		return NULL;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return d;
}

/* Fills the buffer with the next records: 1, 0 at the end, -1 on error. */
static int refill(DIR *d)
{
	struct ipc_buffers b = { .recv = d->buf, .recv_len = sizeof(d->buf) };
	struct ipc_msg m;
	long n;

	memset(&m, 0, sizeof(m));
	m.op = FS_READDIR;
	n = sys_ipc_call(d->fd, &m, &b);
	if (n < 0)
		return (int)__posix_ret(n);
	d->pos = 0;
	d->len = (size_t)n;
	return n > 0;
}

struct dirent *readdir(DIR *d)
{
	const struct vdirent *v;
	size_t len;

	if (!d) {
		__posix_ret(-EBADF);
		return NULL;
	}
	if (d->pos >= d->len && refill(d) <= 0)
		return NULL; /* the end (errno unchanged), or an error */
	v = (const struct vdirent *)(d->buf + d->pos);
	if (v->reclen < NAME_AT + 1 || v->reclen > d->len - d->pos) {
		d->pos = d->len; /* a broken record ends the listing */
		__posix_ret(-EIO);
		return NULL;
	}
	len = v->namelen;
	if (len > sizeof(d->ent.d_name) - 1)
		len = sizeof(d->ent.d_name) - 1;
	if (len > v->reclen - NAME_AT - 1u)
		len = v->reclen - NAME_AT - 1u;
	d->ent.d_ino = (ino_t)v->ino;
	d->ent.d_type = v->type;
	memcpy(d->ent.d_name, v->name, len);
	d->ent.d_name[len] = '\0';
	d->pos += v->reclen;
	return &d->ent;
}

void rewinddir(DIR *d)
{
	if (!d)
		return;
	lseek(d->fd, 0, SEEK_SET);
	d->pos = d->len = 0;
}

int closedir(DIR *d)
{
	int r;

	if (!d)
		return (int)__posix_ret(-EBADF);
	r = close(d->fd);
	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d ? d->fd : (int)__posix_ret(-EBADF);
}
