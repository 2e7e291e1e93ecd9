/*
 * The file protocol (valence/proto.h, docs/abi.md) for null:, zero: and
 * rand:.  Each scheme has one file, its root's empty path; an open file
 * is only a badge (misc.h), so nothing here keeps per-client state.
 *
 *   null:  reads are at their end (0), writes take every byte
 *   zero:  reads fill the caller's buffer with zeros, writes take every byte
 *   rand:  reads give bytes of the ChaCha20 generator, writes are mixed in
 *
 * All three are character devices (VS_IFCHR | 0666), and seeking them
 * always gives 0, as on Linux.  One read (or a write to rand:) moves at
 * most MISC_IO_MAX bytes: a larger request is answered short, as POSIX
 * allows, so that one client cannot hold the server for long.
 */
#include "misc.h"

/* What a device does with reads and writes on an open file. */
struct device {
	const char *name;
	long (*read)(struct request *r);
	long (*write)(struct request *r);
};

static uint8_t chunk[MISC_CHUNK];

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void wipe_chunk(void)
{
	for (size_t i = 0; i < sizeof(chunk); i++)
		((volatile uint8_t *)chunk)[i] = 0;
}

/*
 * Fills the caller's receive buffer, up to MISC_IO_MAX bytes, a chunk at
 * a time from fill().  Returns the bytes copied, or -EFAULT when not even
 * the first chunk could be (the caller's buffer is not writable).
 */
static long read_fill(struct request *r, void (*fill)(uint8_t *, size_t))
{
	uint64_t want = min64(r->in.recv_len, MISC_IO_MAX), done = 0;

	while (done < want) {
		size_t n = (size_t)min64(want - done, sizeof(chunk));
		long got;

		fill(chunk, n);
		got = sys_ipc_write(r->in.rid, done, chunk, n);
		if (got < 0) {
			if (!done)
				return got;
			break;
		}
		done += (uint64_t)got;
		if ((size_t)got < n)
			break;
	}
	return (long)done;
}

static void fill_zero(uint8_t *buf, size_t n)
{
	memset(buf, 0, n);
}

static void fill_random(uint8_t *buf, size_t n)
{
	rng_generate(&misc_rng, buf, n);
}

static long null_read(struct request *r)
{
	return 0;
}

/* null: and zero: take every byte without reading it (as Linux does). */
static long swallow_write(struct request *r)
{
	return (long)r->in.send_len;
}

static long zero_read(struct request *r)
{
	return read_fill(r, fill_zero);
}

static long rand_read(struct request *r)
{
	long n;

	misc_rng_maybe_reseed();
	n = read_fill(r, fill_random);
	wipe_chunk();
	return n;
}

/* Mixes up to MISC_IO_MAX bytes of the send buffer into the generator. */
static long rand_write(struct request *r)
{
	uint64_t want = min64(r->in.send_len, MISC_IO_MAX), done = 0;

	while (done < want) {
		size_t n = (size_t)min64(want - done, sizeof(chunk));
		long got = sys_ipc_read(r->in.rid, done, chunk, n);

		if (got <= 0) {
			if (!done && got < 0)
				return got;
			break;
		}
		rng_mix(&misc_rng, chunk, (size_t)got);
		done += (uint64_t)got;
	}
	wipe_chunk();
	return (long)done;
}

static const struct device devices[MISC_DEVICES] = {
	[MISC_NULL] = { "null", null_read, swallow_write },
	[MISC_ZERO] = { "zero", zero_read, swallow_write },
	[MISC_RAND] = { "rand", rand_read, rand_write },
};

/* ---- on a root ---- */

/*
 * FS_OPEN: the only file is the empty path (a lone NUL counts as empty).
 * w[0] O_* flags: any access mode; O_CREAT is fine (the file exists),
 * with O_EXCL it is -EEXIST; O_DIRECTORY is -ENOTDIR; O_TRUNC and the
 * others change nothing.
 */
static long do_open(struct request *r, uint32_t dev)
{
	uint64_t flags = r->in.msg.w[0];
	uint32_t mode = (uint32_t)(flags & VO_ACCMODE);
	handle_t conn;
	char c;

	if (r->in.send_len) {
		long n = sys_ipc_read(r->in.rid, 0, &c, 1);

		if (n < 0)
			return n;
		if (n != 1 || c != '\0')
			return -ENOENT;
	}
	if (mode == VO_ACCMODE)
		return -EINVAL;
	if (flags & VO_DIRECTORY)
		return -ENOTDIR;
	if ((flags & (VO_CREAT | VO_EXCL)) == (VO_CREAT | VO_EXCL))
		return -EEXIST;
	conn = sys_conn_create(misc_port,
			       dev | BADGE_OPEN | mode << BADGE_MODE_SHIFT);
	if (conn < 0)
		return conn;
	r->out.nhandles = 1;
	r->out.handles[0] = conn;
	r->out.w[0] = VS_IFCHR;
	return 0;
}

static long root_request(struct request *r, uint32_t dev)
{
	switch (r->in.msg.op) {
	case FS_OPEN:
		return do_open(r, dev);
	case FS_READ:
	case FS_WRITE:
	case FS_SEEK:
	case FS_STAT:
	case FS_READDIR:
	case FS_TRUNCATE:
	case FS_FSYNC:
		return -EBADF; /* they need an open file */
	}
	return -ENOSYS; /* FS_MKDIR, FS_UNLINK, FS_RENAME and the rest */
}

/* ---- on an open file ---- */

/* FS_SEEK: 0 whatever the offset, for a valid whence. */
static long do_seek(struct request *r)
{
	uint64_t whence = r->in.msg.w[1];

	if (whence != VSEEK_SET && whence != VSEEK_CUR && whence != VSEEK_END)
		return -EINVAL;
	return 0;
}

/* FS_STAT: a character device; ino and rdev are the device number. */
static long do_stat(struct request *r, uint32_t dev)
{
	struct vstat st;
	long n;

	if (r->in.recv_len < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.ino = dev;
	st.mode = VS_IFCHR | 0666;
	st.nlink = 1;
	st.rdev = dev;
	st.blksize = MISC_CHUNK;
	n = sys_ipc_write(r->in.rid, 0, &st, sizeof(st));
	if (n < 0)
		return n;
	return n == (long)sizeof(st) ? 0 : -EFAULT;
}

static long file_request(struct request *r, uint32_t dev, uint32_t mode)
{
	switch (r->in.msg.op) {
	case FS_READ:
		if (mode == VO_WRONLY)
			return -EBADF;
		return devices[dev].read(r);
	case FS_WRITE:
		if (mode == VO_RDONLY)
			return -EBADF;
		return devices[dev].write(r);
	case FS_SEEK:
		return do_seek(r);
	case FS_STAT:
		return do_stat(r, dev);
	case FS_READDIR:
		return -ENOTDIR;
	case FS_OPEN:
	case FS_MKDIR:
	case FS_UNLINK:
	case FS_RENAME:
		return -EBADF; /* they go to the root */
	}
	return -ENOSYS; /* FS_TRUNCATE, FS_FSYNC and the rest */
}

const char *device_scheme(uint32_t dev)
{
	return dev && dev < MISC_DEVICES ? devices[dev].name : NULL;
}

long device_request(struct request *r)
{
	uint64_t badge = r->in.badge;
	uint32_t dev = (uint32_t)(badge & BADGE_DEVICE);

	if (dev == 0 || dev >= MISC_DEVICES)
		return -EBADF; /* no connection of ours has such a badge */
	if (badge & BADGE_OPEN)
		return file_request(r, dev, (uint32_t)BADGE_MODE(badge));
	return root_request(r, dev);
}
