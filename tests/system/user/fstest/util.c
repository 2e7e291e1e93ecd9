/*
 * fstest helpers: the boot archive (read directly, the oracle the
 * server's answers are checked against) and one function per message of
 * the file protocol.
 */
#include "fstest.h"
#include "tar.h"

static const void *archive;
static uint64_t archive_size;

/* ---- the boot archive ---- */

int ft_archive_map(void)
{
	long va = vm_map_whole(H_BOOTFS, VM_READ, &archive_size);

	if (va < 0)
		return (int)va;
	archive = (const void *)va;
	return 0;
}

bool ft_archive_file(const char *name, const uint8_t **data, uint64_t *size)
{
	static struct tar_entry e;

	if (tar_find(archive, archive_size, name, &e))
		return false;
	*data = e.data;
	*size = e.size;
	return true;
}

void ft_archive_each(void (*fn)(const char *name, void *arg), void *arg)
{
	static struct tar_entry e;
	size_t off = 0;

	while (tar_next(archive, archive_size, &off, &e) == 1)
		fn(e.name, arg);
}

/* ---- the file protocol ---- */

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
	/* Only FS_OPEN's reply carries a handle; close any other. */
	for (uint32_t i = 0; status >= 0 && i < m.nhandles && i < IPC_HANDLES;
	     i++)
		sys_handle_close(m.handles[i]);
	return status;
}

handle_t fs_open_len(const void *path, size_t len, uint64_t flags,
		     uint64_t *type)
{
	struct ipc_buffers b = { .send = path, .send_len = len };
	struct ipc_msg m;
	long status;

	memset(&m, 0, sizeof(m));
	m.op = FS_OPEN;
	m.w[0] = flags;
	status = sys_ipc_call(ft_root, &m, &b);
	if (status < 0)
		return (handle_t)status;
	if (m.nhandles != 1) {
		for (uint32_t i = 0; i < m.nhandles && i < IPC_HANDLES; i++)
			sys_handle_close(m.handles[i]);
		return -FT_ENOHANDLE;
	}
	if (type)
		*type = m.w[0];
	return m.handles[0];
}

handle_t fs_open(const char *path, uint64_t flags)
{
	return fs_open_len(path, strlen(path), flags, NULL);
}

long fs_read(handle_t f, void *buf, size_t len)
{
	struct ipc_buffers b = { .recv = buf, .recv_len = len };

	return fs_call(f, FS_READ, 0, 0, &b);
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

long fs_readdir(handle_t f, void *buf, size_t len)
{
	struct ipc_buffers b = { .recv = buf, .recv_len = len };

	return fs_call(f, FS_READDIR, 0, 0, &b);
}

long fs_stat_path(const char *path, struct vstat *st)
{
	handle_t f = fs_open(path, VO_RDONLY);
	long err;

	if (f < 0)
		return f;
	err = fs_stat(f, st);
	sys_handle_close(f);
	return err;
}

int fs_count_openable(void)
{
	static handle_t held[INITFS_FILES_MAX + 16];
	int n = 0, err = 0;

	while (n < (int)(sizeof(held) / sizeof(held[0]))) {
		handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

		if (f < 0) {
			err = f == -EMFILE ? 0 : f;
			break;
		}
		held[n++] = f;
	}
	for (int i = 0; i < n; i++)
		sys_handle_close(held[i]);
	return err ? err : n;
}
