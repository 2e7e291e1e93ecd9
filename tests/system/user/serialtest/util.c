/*
 * serialtest helpers: one function per message of the file protocol, and
 * reads in threads of their own for the reads that park.
 */
#include "serialtest.h"

#define READER_STACK (16u << 10)

long fs_call(handle_t h, uint32_t op, uint64_t w0, uint64_t w1,
	     const struct ipc_buffers *b)
{
	struct ipc_msg m;
	long status;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	m.w[1] = w1;
	status = sys_ipc_call(h, &m, b);
	for (uint32_t i = 0; status >= 0 && i < m.nhandles && i < IPC_HANDLES;
	     i++)
		sys_handle_close(m.handles[i]);
	return status;
}

handle_t fs_open_len(handle_t root, const void *path, size_t len,
		     uint64_t flags)
{
	struct ipc_buffers b = { .send = path, .send_len = len };
	struct ipc_msg m;
	long status;

	memset(&m, 0, sizeof(m));
	m.op = FS_OPEN;
	m.w[0] = flags;
	status = sys_ipc_call(root, &m, &b);
	if (status < 0)
		return (handle_t)status;
	if (m.nhandles != 1 || m.w[0] != VS_IFCHR) {
		for (uint32_t i = 0; i < m.nhandles && i < IPC_HANDLES; i++)
			sys_handle_close(m.handles[i]);
		return -ST_EBADREPLY;
	}
	return m.handles[0];
}

handle_t fs_open(handle_t root, const char *path, uint64_t flags)
{
	return fs_open_len(root, path, strlen(path), flags);
}

long fs_read(handle_t f, void *buf, size_t len)
{
	struct ipc_buffers b = { .recv = buf, .recv_len = len };

	return fs_call(f, FS_READ, 0, 0, &b);
}

long fs_write(handle_t f, const void *buf, size_t len)
{
	struct ipc_buffers b = { .send = buf, .send_len = len };

	return fs_call(f, FS_WRITE, 0, 0, &b);
}

long fs_seek(handle_t f, int64_t offset, int whence)
{
	return fs_call(f, FS_SEEK, (uint64_t)offset, (uint64_t)whence, NULL);
}

long fs_stat(handle_t f, struct vstat *st)
{
	struct ipc_buffers b = { .recv = st, .recv_len = sizeof(*st) };

	return fs_call(f, FS_STAT, 0, 0, &b);
}

bool contains(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(s + i, what, k) == 0)
			return true;
	return false;
}

/* ---- reads in threads ---- */

static void reader_main(uint64_t arg)
{
	struct reader *r = (struct reader *)(uintptr_t)arg;

	r->result = fs_read(r->file, r->buf, r->len);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	sys_futex_wake(&r->done, 1);
	sys_thread_exit(0);
}

int st_read_start(struct reader *r, handle_t f, size_t len)
{
	handle_t mem = sys_mem_create(READER_STACK, 0), t;
	long va;

	if (mem < 0)
		return mem;
	/* The stack stays mapped: a thread may outlive a failed test. */
	va = sys_vm_map(mem, 0, 0, READER_STACK, VM_READ | VM_WRITE);
	sys_handle_close(mem);
	if (va < 0)
		return (int)va;
	memset(r, 0, sizeof(*r));
	r->file = f;
	r->len = len < READER_BUF ? len : READER_BUF;
	t = sys_thread_create(reader_main, (uint64_t)va + READER_STACK,
			      (uint64_t)(uintptr_t)r);
	if (t < 0)
		return t;
	sys_handle_close(t);
	return 0;
}

long st_read_wait(struct reader *r, uint64_t timeout)
{
	uint64_t end = sys_clock_get() + timeout;

	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		uint64_t now = sys_clock_get();

		if (now >= end)
			return -ETIMEDOUT;
		sys_futex_wait(&r->done, 0, end - now);
	}
	return r->result;
}

bool st_read_parked(struct reader *r, uint64_t settle)
{
	sys_sleep(settle);
	return !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
}
