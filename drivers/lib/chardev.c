/*
 * chardev: open files, input rings and parked reads (chardev.h).
 *
 * An open file is a slot in a table; the connection FS_OPEN hands out has
 * the badge (generation << 32 | slot + 1), so duplicated handles share
 * the file and a late CLOSE of a freed slot names nothing.  The
 * generation keeps bit 63 clear for libdriver.  Badge 0 is the root.
 *
 * Invariant: a unit with bytes in its ring has no parked reads (they
 * would have taken the bytes), so a read parks only on an empty ring.
 */
#include "chardev.h"

#define NAME_MAX 8   /* "N" of FS_OPEN, unit numbers */
#define CHUNK	 256 /* bytes per copy from a writer */
#define GEN_MASK 0x7fffffffu

struct open_file {
	bool used;
	uint32_t gen;
	uint32_t unit;
	uint32_t flags; /* access mode, VO_NONBLOCK, VO_APPEND */
};

struct unit {
	uint8_t ring[CHARDEV_RING_SIZE];
	uint32_t head, tail; /* bytes put, bytes taken (free-running) */
	uint64_t dropped;    /* input lost to a full ring, in all */
	uint64_t reported;   /* how much of it was logged */
};

struct parked {
	uint64_t rid;
	uint64_t badge;
	uint64_t len;
};

static struct driver *drv;
static const struct chardev_ops *dev;
static struct open_file files[CHARDEV_FILES_MAX];
static struct unit units[CHARDEV_UNITS_MAX];
static struct parked parked[CHARDEV_PARKED_MAX]; /* oldest first */
static uint32_t nparked;

int chardev_init(struct driver *d, const struct chardev_ops *ops)
{
	if (ops->units == 0 || ops->units > CHARDEV_UNITS_MAX || !ops->write)
		return -EINVAL;
	drv = d;
	dev = ops;
	return 0;
}

/* ---- open files ---- */

static uint64_t file_badge(const struct open_file *f)
{
	return (uint64_t)(f->gen & GEN_MASK) << 32 | (uint64_t)(f - files + 1);
}

static struct open_file *file_lookup(uint64_t badge)
{
	uint32_t slot = (uint32_t)badge;
	struct open_file *f;

	if (slot == 0 || slot > CHARDEV_FILES_MAX)
		return NULL;
	f = &files[slot - 1];
	if (!f->used || (f->gen & GEN_MASK) != (uint32_t)(badge >> 32))
		return NULL;
	return f;
}

/* A free slot (not yet marked used), or NULL. */
static struct open_file *file_alloc(void)
{
	for (uint32_t i = 0; i < CHARDEV_FILES_MAX; i++)
		if (!files[i].used)
			return &files[i];
	return NULL;
}

static void file_free(struct open_file *f)
{
	f->used = false;
	f->gen++;
}

/* ---- parked reads ---- */

static void unpark(uint32_t i)
{
	memmove(&parked[i], &parked[i + 1],
		(nparked - i - 1) * sizeof(parked[0]));
	nparked--;
}

/* Forgets parked reads whose callers are gone; true if room was made. */
static bool prune_parked(void)
{
	uint32_t before = nparked;
	uint8_t probe;

	for (uint32_t i = nparked; i-- > 0;)
		if (sys_ipc_write(parked[i].rid, 0, &probe, 0) == -ESRCH)
			unpark(i);
	return nparked < before;
}

static long park(const struct ipc_received *r)
{
	if (nparked == CHARDEV_PARKED_MAX && !prune_parked())
		return -EAGAIN;
	parked[nparked].rid = r->rid;
	parked[nparked].badge = r->badge;
	parked[nparked].len = r->recv_len;
	nparked++;
	return DRIVER_ANSWERED;
}

/* ---- input rings ---- */

static uint32_t ring_used(const struct unit *u)
{
	return u->head - u->tail;
}

/*
 * Copies up to len bytes of u's ring into call rid's receive buffer and
 * takes them out.  Returns the count, or -errno (nothing taken).
 */
static long ring_copy_out(struct unit *u, uint64_t rid, uint64_t len)
{
	uint32_t avail = ring_used(u), start = u->tail % CHARDEV_RING_SIZE;
	uint32_t n = len < avail ? (uint32_t)len : avail;
	uint32_t first =
		n < CHARDEV_RING_SIZE - start ? n : CHARDEV_RING_SIZE - start;
	long w = sys_ipc_write(rid, 0, &u->ring[start], first);

	if (w >= 0 && (uint32_t)w == first && n > first) {
		long w2 = sys_ipc_write(rid, first, u->ring, n - first);

		if (w2 > 0)
			w += w2;
	}
	if (w <= 0)
		return w;
	u->tail += (uint32_t)w;
	if (u->dropped != u->reported) {
		printf("%s: %u: input buffer was full: %llu bytes dropped "
		       "(%llu in all)\n",
		       drv->name, (unsigned)(u - units),
		       (unsigned long long)(u->dropped - u->reported),
		       (unsigned long long)u->dropped);
		u->reported = u->dropped;
	}
	return w;
}

/* Gives the unit's bytes to its parked reads, oldest first. */
static void answer_parked(uint32_t unit)
{
	struct unit *u = &units[unit];

	for (uint32_t i = 0; i < nparked && ring_used(u);) {
		struct open_file *f = file_lookup(parked[i].badge);
		long n = -EBADF; /* its file is gone (CLOSE drops them) */

		if (f && f->unit != unit) {
			i++;
			continue;
		}
		if (f)
			n = ring_copy_out(u, parked[i].rid, parked[i].len);
		if (n != -ESRCH)
			sys_ipc_reply(parked[i].rid, n, NULL);
		unpark(i);
	}
}

void chardev_input(uint32_t unit, const uint8_t *bytes, size_t n)
{
	struct unit *u;

	if (!dev || unit >= dev->units)
		return;
	u = &units[unit];
	for (size_t i = 0; i < n; i++) {
		if (ring_used(u) == CHARDEV_RING_SIZE) {
			u->dropped += n - i;
			break;
		}
		u->ring[u->head++ % CHARDEV_RING_SIZE] = bytes[i];
	}
	answer_parked(unit);
}

/* ---- the file protocol ---- */

/* "0", "1", ...: no sign, no leading zero.  Returns the unit or -ENOENT. */
static long parse_unit(const char *s, size_t len)
{
	long v = 0;

	if (len > 0 && s[len - 1] == '\0')
		len--; /* a NUL at the end is allowed */
	if (len == 0 || (len > 1 && s[0] == '0'))
		return -ENOENT;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -ENOENT;
		v = v * 10 + (s[i] - '0');
	}
	return v < (long)dev->units ? v : -ENOENT;
}

static long do_open(const struct ipc_received *r)
{
	char name[NAME_MAX];
	uint64_t flags = r->msg.w[0];
	struct open_file *f = NULL;
	struct ipc_msg m;
	handle_t conn;
	long unit, n;

	if (r->send_len > sizeof(name))
		return -ENOENT;
	n = sys_ipc_read(r->rid, 0, name, r->send_len);
	if (n < 0)
		return n;
	unit = parse_unit(name, (size_t)n);
	if (unit < 0)
		return unit;
	if (flags & VO_DIRECTORY)
		return -ENOTDIR;
	if ((flags & (VO_CREAT | VO_EXCL)) == (VO_CREAT | VO_EXCL))
		return -EEXIST;
	if ((flags & VO_ACCMODE) == VO_ACCMODE)
		return -EINVAL;
	f = file_alloc();
	if (!f) {
		driver_drain(drv); /* CLOSEs queued behind this call */
		f = file_alloc();
	}
	if (!f)
		return -EMFILE;
	conn = sys_conn_create(drv->port, file_badge(f));
	if (conn < 0)
		return conn;
	f->used = true;
	f->unit = (uint32_t)unit;
	f->flags = (uint32_t)flags & (VO_ACCMODE | VO_NONBLOCK | VO_APPEND);
	memset(&m, 0, sizeof(m));
	m.nhandles = 1;
	m.handles[0] = conn;
	m.w[0] = VS_IFCHR;
	if (sys_ipc_reply(r->rid, 0, &m) < 0) {
		sys_handle_close(conn); /* the caller is gone */
		file_free(f);
	}
	return DRIVER_ANSWERED;
}

static long do_read(const struct ipc_received *r, struct open_file *f)
{
	struct unit *u = &units[f->unit];

	if ((f->flags & VO_ACCMODE) == VO_WRONLY)
		return -EBADF;
	if (r->recv_len == 0)
		return 0;
	if (ring_used(u))
		return ring_copy_out(u, r->rid, r->recv_len);
	if (f->flags & VO_NONBLOCK)
		return -EAGAIN;
	return park(r);
}

static long do_write(const struct ipc_received *r, struct open_file *f)
{
	uint8_t buf[CHUNK];
	uint64_t done = 0;

	if ((f->flags & VO_ACCMODE) == VO_RDONLY)
		return -EBADF;
	while (done < r->send_len) {
		long n = sys_ipc_read(r->rid, done, buf, sizeof(buf));
		long sent = 0;

		if (n <= 0)
			return done ? (long)done : n;
		while (sent < n) {
			long k = dev->write(f->unit, buf + sent,
					    (size_t)(n - sent));

			if (k <= 0) {
				done += (uint64_t)sent;
				return done ? (long)done : (k < 0 ? k : -EIO);
			}
			sent += k;
		}
		done += (uint64_t)n;
	}
	return (long)done;
}

static long do_stat(const struct ipc_received *r, struct open_file *f)
{
	struct vstat st;
	long n;

	if (r->recv_len < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.ino = f->unit + 1;
	st.size = ring_used(&units[f->unit]);
	st.mode = VS_IFCHR | 0666;
	st.nlink = 1;
	st.rdev = f->unit;
	st.blksize = CHARDEV_RING_SIZE;
	n = sys_ipc_write(r->rid, 0, &st, sizeof(st));
	return n < 0 ? n : 0;
}

/* F_GETFL (w[1] = 1) and F_SETFL: only VO_NONBLOCK and VO_APPEND change. */
static long do_setfl(const struct ipc_received *r, struct open_file *f)
{
	const uint32_t settable = VO_NONBLOCK | VO_APPEND;

	if (r->msg.w[1] == 1)
		return f->flags;
	if (r->msg.w[1] != 0)
		return -EINVAL;
	f->flags = (f->flags & ~settable) | ((uint32_t)r->msg.w[0] & settable);
	return 0;
}

long chardev_request(struct driver *d, const struct ipc_received *r)
{
	struct open_file *f;

	if (r->badge == 0) {
		if (r->msg.op == FS_OPEN)
			return do_open(r);
		if (r->msg.op == FS_READ || r->msg.op == FS_WRITE ||
		    r->msg.op == FS_SEEK || r->msg.op == FS_STAT ||
		    r->msg.op == FS_READDIR || r->msg.op == FS_TRUNCATE ||
		    r->msg.op == FS_FSYNC || r->msg.op == FS_SETFL)
			return -EBADF; /* needs an open file */
		return -ENOSYS;
	}
	f = file_lookup(r->badge);
	if (!f)
		return -EBADF;
	switch (r->msg.op) {
	case FS_READ:
		return do_read(r, f);
	case FS_WRITE:
		return do_write(r, f);
	case FS_STAT:
		return do_stat(r, f);
	case FS_SEEK:
		return -ESPIPE;
	case FS_SETFL:
		return do_setfl(r, f);
	case FS_FSYNC:
		return 0;
	case FS_OPEN:
		return -EBADF; /* goes to the root */
	}
	return -ENOSYS;
}

void chardev_close(struct driver *d, uint64_t badge)
{
	struct open_file *f = file_lookup(badge);

	if (!f)
		return;
	for (uint32_t i = nparked; i-- > 0;) {
		if (parked[i].badge == badge) {
			sys_ipc_reply(parked[i].rid, -EBADF, NULL);
			unpark(i);
		}
	}
	file_free(f);
}
