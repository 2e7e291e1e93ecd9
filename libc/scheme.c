/*
 * Files over schemes, the raw side of open() (DESIGN.md section 4): ask
 * ns: once per scheme for a connection to its root and keep it; an open
 * is one FS_OPEN call on that root, whose reply moves in a connection for
 * the open file, and every later operation is one call on that.
 *
 * No newlib here: servers use this as it is, and libc/posix builds
 * open(), stat() and the rest on it, turning -errno into errno.
 */
#include <valence.h>
#include <valence/path.h>

#define ROOTS_MAX 32 /* schemes a process keeps a root for */
/* Where the roots live: the ROOTS_MAX handles below ROOTS_TOP, out of
   the way of the small numbers programs dup2 onto (a shell's 4>file
   would otherwise replace a root the kernel had put at 4). */
#define ROOTS_TOP 64

struct root {
	char name[PATH_SCHEME_MAX + 1]; /* "" = free slot */
	handle_t conn;
};

static struct root roots[ROOTS_MAX];
static uint32_t roots_lock; /* 0 free, 1 held; threads may open at once */

static void lock(void)
{
	while (__atomic_exchange_n(&roots_lock, 1, __ATOMIC_ACQUIRE))
		sys_yield();
}

static void unlock(void)
{
	__atomic_store_n(&roots_lock, 0, __ATOMIC_RELEASE);
}

/* Asks ns: for scheme `name`'s root; returns the connection or -errno. */
static handle_t ns_lookup(const char *name)
{
	struct ipc_buffers b = { .send = name, .send_len = strlen(name) };
	struct ipc_msg m;
	long status;

	if (valence_initial_handles <= PROC_H_NS)
		return -ENODEV; /* started without ns: (run=NAME) */
	memset(&m, 0, sizeof(m));
	m.op = NS_LOOKUP;
	status = sys_ipc_call(PROC_H_NS, &m, &b);
	if (status == -ENOENT)
		return -ENODEV; /* no such scheme, as opposed to no such file */
	if (status < 0)
		return (handle_t)status;
	if (m.nhandles != 1)
		return -EIO; /* ns: broke its protocol */
	return m.handles[0];
}

/* Moves a root just looked up to a free handle below ROOTS_TOP, if
   there is one; returns where it is.  Called with the lock held. */
static handle_t move_up(handle_t h)
{
	struct handle_info info;

	for (handle_t t = ROOTS_TOP - 1; t >= ROOTS_TOP - ROOTS_MAX; t--) {
		if (t <= h)
			break; /* already as high as a free one */
		if (sys_handle_info(t, &info) == 0)
			continue; /* taken */
		if (sys_handle_dup_to(h, RIGHTS_SAME, t) != t)
			break;
		sys_handle_close(h);
		return t;
	}
	return h;
}

/* The cache slot of `name`, or NULL.  Called with the lock held. */
static struct root *find(const char *name)
{
	for (int i = 0; i < ROOTS_MAX; i++)
		if (strcmp(roots[i].name, name) == 0)
			return &roots[i];
	return NULL;
}

long scheme_register(const char *name, handle_t root)
{
	struct ipc_buffers b = { .send = name,
				 .send_len = name ? strlen(name) : 0 };
	struct ipc_msg m;
	long status;

	if (valence_initial_handles <= PROC_H_NS)
		return -ENODEV; /* started without ns: */
	memset(&m, 0, sizeof(m));
	m.op = NS_REGISTER;
	m.nhandles = 1;
	m.handles[0] = root; /* moved to ns, even when it says no */
	status = sys_ipc_call(PROC_H_NS, &m, &b);
	/* A reply never carries handles here; drop any that came. */
	for (uint32_t i = 0; status >= 0 && i < m.nhandles && i < IPC_HANDLES;
	     i++)
		sys_handle_close(m.handles[i]);
	return status;
}

handle_t scheme_root(const char *name)
{
	struct root *r;
	handle_t h;
	size_t len = name ? strnlen(name, PATH_SCHEME_MAX + 1) : 0;

	if (len == 0 || len > PATH_SCHEME_MAX)
		return -EINVAL;
	lock();
	r = find(name);
	if (r) {
		h = r->conn;
		unlock();
		return h;
	}
	unlock();
	h = ns_lookup(name); /* not under the lock: it may take a while */
	if (h < 0)
		return h;
	lock();
	r = find(name);
	if (r) { /* another thread was quicker */
		unlock();
		sys_handle_close(h);
		return r->conn;
	}
	r = find("");
	if (r) {
		h = move_up(h);
		memcpy(r->name, name, len + 1);
		r->conn = h;
	}
	unlock();
	/* A full cache still gives a working handle, kept for the process's
	   life: scheme counts are small, this is only a bound. */
	return h;
}

/*
 * Drops the cached root of `name` if it is still `conn`: its server has
 * gone (-EPIPE), and the next scheme_root() asks ns: for the new one.
 */
static void forget(const char *name, handle_t conn)
{
	struct root *r;

	lock();
	r = find(name);
	if (r && r->conn == conn) {
		r->name[0] = '\0';
		sys_handle_close(conn);
	}
	unlock();
}

void scheme_roots_close(void)
{
	lock();
	for (int i = 0; i < ROOTS_MAX; i++) {
		if (!roots[i].name[0])
			continue;
		roots[i].name[0] = '\0';
		sys_handle_close(roots[i].conn);
	}
	unlock();
}

long scheme_call(const char *name, struct ipc_msg *m,
		 const struct ipc_buffers *bufs)
{
	struct ipc_msg saved = *m;
	handle_t root;
	long status;

	for (int attempt = 0;; attempt++) {
		root = scheme_root(name);
		if (root < 0)
			return root;
		*m = saved;
		status = sys_ipc_call(root, m, bufs);
		if (status != -EPIPE || attempt == 1)
			return status;
		forget(name, root);
	}
}

/*
 * Calls the root of the scheme of `path` with *m, lending recv[0,
 * recv_len) as the receive buffer and, as the send buffer, the rest of
 * the path, with `before` and a NUL in front of it or a NUL and `extra`
 * after it (one of them at most), through scheme_call.
 */
static long root_call(const char *path, const char *before, const char *extra,
		      struct ipc_msg *m, void *recv, size_t recv_len)
{
	char scheme[PATH_SCHEME_MAX + 1], buf[PATH_MAX * 2 + 2];
	struct ipc_buffers b;
	const char *rest;
	size_t len, blen = 0, elen, at = 0;
	int err;

	err = path_split(path, scheme, sizeof(scheme), &rest);
	if (err)
		return err;
	len = strnlen(rest, PATH_MAX);
	elen = extra ? strnlen(extra, PATH_MAX) : 0;
	if (before)
		blen = strnlen(before, PATH_MAX);
	if (before && extra)
		return -EINVAL; /* buf holds two strings, not three */
	if (len == PATH_MAX || elen == PATH_MAX || blen == PATH_MAX)
		return -ENAMETOOLONG;
	if (strcmp(scheme, "file") == 0 && rest[0] != '/')
		return -EINVAL; /* the cwd is libc/posix's business */
	if (before) {
		memcpy(buf, before, blen);
		buf[blen] = '\0';
		at = blen + 1;
	}
	memcpy(buf + at, rest, len);
	at += len;
	if (extra) {
		buf[at++] = '\0';
		memcpy(buf + at, extra, elen);
		at += elen;
	}
	b = (struct ipc_buffers){
		.send = buf, .send_len = at, .recv = recv, .recv_len = recv_len
	};
	return scheme_call(scheme, m, &b);
}

handle_t scheme_open(const char *path, uint32_t flags, uint32_t mode,
		     uint32_t *type)
{
	struct ipc_msg m;
	long status;

	if (!path)
		return -EFAULT;
	memset(&m, 0, sizeof(m));
	m.op = FS_OPEN;
	m.w[0] = flags;
	m.w[1] = mode;
	status = root_call(path, NULL, NULL, &m, NULL, 0);
	if (status < 0)
		return (handle_t)status;
	if (m.nhandles != 1) {
		for (uint32_t i = 0; i < m.nhandles && i < IPC_HANDLES; i++)
			sys_handle_close(m.handles[i]);
		return -EIO; /* the server broke the protocol */
	}
	if (type)
		*type = (uint32_t)m.w[0];
	return m.handles[0];
}

long scheme_path_call(uint32_t op, const char *path, const char *extra,
		      uint64_t arg)
{
	char s1[PATH_SCHEME_MAX + 1], s2[PATH_SCHEME_MAX + 1];
	struct ipc_msg m;
	const char *rest;
	long status;

	if (!path)
		return -EFAULT;
	if (extra) { /* both paths on one scheme; the server gets the rests */
		if (path_split(path, s1, sizeof(s1), &rest) ||
		    path_split(extra, s2, sizeof(s2), &extra))
			return -EINVAL;
		if (strcmp(s1, s2) != 0)
			return -EXDEV;
		if (strcmp(s2, "file") == 0 && extra[0] != '/')
			return -EINVAL;
	}
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = arg;
	status = root_call(path, NULL, extra, &m, NULL, 0);
	for (uint32_t i = 0; status >= 0 && i < m.nhandles && i < IPC_HANDLES;
	     i++)
		sys_handle_close(m.handles[i]);
	return status;
}

long scheme_root_call(const char *path, const char *before, struct ipc_msg *m,
		      void *recv, size_t recv_len)
{
	long status;

	if (!path || !m)
		return -EFAULT;
	status = root_call(path, before, NULL, m, recv, recv_len);
	if (status < 0)
		m->nhandles = 0;
	return status;
}

/* One call on an open file, with at most one lent buffer. */
static long file_call(handle_t fd, uint32_t op, const void *send, void *recv,
		      size_t len, uint64_t w0, uint64_t w1)
{
	struct ipc_buffers b = { .send = send,
				 .send_len = send ? len : 0,
				 .recv = recv,
				 .recv_len = recv ? len : 0 };
	struct ipc_msg m;
	long status;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	m.w[1] = w1;
	status = sys_ipc_call(fd, &m, &b);
	for (uint32_t i = 0; status >= 0 && i < m.nhandles && i < IPC_HANDLES;
	     i++)
		sys_handle_close(m.handles[i]);
	return status;
}

long file_read(handle_t fd, void *buf, size_t len)
{
	if (len > IPC_BUF_MAX)
		len = IPC_BUF_MAX; /* a short read, as POSIX allows */
	return file_call(fd, FS_READ, NULL, buf, len, 0, 0);
}

long file_write(handle_t fd, const void *buf, size_t len)
{
	if (len > IPC_BUF_MAX)
		len = IPC_BUF_MAX;
	return file_call(fd, FS_WRITE, buf, NULL, len, 0, 0);
}

long file_seek(handle_t fd, int64_t offset, int whence)
{
	return file_call(fd, FS_SEEK, NULL, NULL, 0, (uint64_t)offset,
			 (uint64_t)whence);
}

long file_stat(handle_t fd, struct vstat *st)
{
	return file_call(fd, FS_STAT, NULL, st, sizeof(*st), 0, 0);
}
