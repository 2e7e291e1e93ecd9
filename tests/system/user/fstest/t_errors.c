/*
 * Errors: what a read-only server refuses, messages on the wrong kind of
 * connection, unknown opcodes, buffers that cannot be read or written,
 * and handles a client sends along.
 */
#include "fstest.h"

static void t_missing(void)
{
	CHECK_EQ(fs_open("nope", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open("bin/nope", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open("nope/x", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open("test/a/c", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open("TEST/hello.txt", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open("test/hello.tx", VO_RDONLY), -ENOENT);
	CHECK_EQ(fs_open("test/hello.txtx", VO_RDONLY), -ENOENT);
}

static void t_read_only_open(void)
{
	static const uint64_t flags[] = {
		VO_WRONLY,
		VO_RDWR,
		VO_ACCMODE,
		VO_RDONLY | VO_CREAT,
		VO_RDONLY | VO_TRUNC,
		VO_WRONLY | VO_CREAT | VO_EXCL,
		VO_RDWR | VO_APPEND,
	};
	handle_t f;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		CHECK_EQ(fs_open(HELLO_PATH, flags[i]), -EROFS);
		CHECK_EQ(fs_open("test/new-file", flags[i]), -EROFS);
		CHECK_EQ(fs_open("bin", flags[i]), -EROFS);
	}
	/* Flags that ask for nothing a read-only file lacks are fine. */
	f = fs_open(HELLO_PATH, VO_RDONLY | VO_APPEND | VO_NONBLOCK | VO_EXCL);
	CHECK(f >= 0);
	if (f >= 0)
		sys_handle_close(f);
}

static void t_directory_or_not(void)
{
	uint64_t type = 0;
	char buf[64];
	handle_t f;

	CHECK_EQ(fs_open(HELLO_PATH, VO_DIRECTORY), -ENOTDIR);
	f = fs_open_len("test", 4, VO_DIRECTORY, &type);
	REQUIRE_OK(f);
	CHECK_EQ(type, VS_IFDIR);
	CHECK_EQ(fs_read(f, buf, sizeof(buf)), -EISDIR);
	sys_handle_close(f);

	f = fs_open(HELLO_PATH, VO_RDONLY);
	REQUIRE_OK(f);
	CHECK_EQ(fs_readdir(f, buf, sizeof(buf)), -ENOTDIR);
	sys_handle_close(f);
}

static void t_read_only_ops(void)
{
	static const char rename[] = "test/hello.txt\0test/x";
	struct ipc_buffers b = { .send = "x", .send_len = 1 };
	char buf[8];
	handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

	REQUIRE_OK(f);
	CHECK_EQ(fs_call(f, FS_WRITE, 0, 0, &b), -EBADF);
	CHECK_EQ(fs_call(f, FS_TRUNCATE, 0, 0, NULL), -EBADF);
	CHECK_EQ(fs_call(f, FS_FSYNC, 0, 0, NULL), 0);
	b.send = "test/x";
	b.send_len = 6;
	CHECK_EQ(fs_call(ft_root, FS_MKDIR, 0755, 0, &b), -EROFS);
	b.send = HELLO_PATH;
	b.send_len = strlen(HELLO_PATH);
	CHECK_EQ(fs_call(ft_root, FS_UNLINK, 0, 0, &b), -EROFS);
	b.send = rename;
	b.send_len = sizeof(rename);
	CHECK_EQ(fs_call(ft_root, FS_RENAME, 0, 0, &b), -EROFS);
	/* Nothing moved the offset. */
	CHECK_EQ(fs_read(f, buf, 5), 5);
	CHECK(memcmp(buf, "Hello", 5) == 0);
	sys_handle_close(f);
}

/*
 * The messages of a Unix file system: FS_PATHSTAT is FS_STAT without an
 * open; nothing is a symbolic link; links, modes, owners and times
 * cannot change.
 */
static void t_unix_ops(void)
{
	static const char two[] = "test/hello.txt\0test/x";
	struct vstat st, st2;
	char buf[16];
	struct ipc_buffers b = { .send = HELLO_PATH,
				 .send_len = strlen(HELLO_PATH),
				 .recv = &st,
				 .recv_len = sizeof(st) };
	handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

	REQUIRE_OK(f);
	REQUIRE_EQ(fs_stat(f, &st2), 0);
	memset(&st, 0x55, sizeof(st));
	CHECK_EQ(fs_call(ft_root, FS_PATHSTAT, 0, 0, &b), 0);
	CHECK(memcmp(&st, &st2, sizeof(st)) == 0);
	CHECK_EQ(fs_call(ft_root, FS_PATHSTAT, 1, 0, &b), 0);
	CHECK(memcmp(&st, &st2, sizeof(st)) == 0);
	CHECK_EQ(fs_call(ft_root, FS_PATHSTAT, 2, 0, &b), -EINVAL);
	b.recv_len = sizeof(st) - 1;
	CHECK_EQ(fs_call(ft_root, FS_PATHSTAT, 0, 0, &b), -EINVAL);
	b.recv = buf;
	b.recv_len = sizeof(buf);
	CHECK_EQ(fs_call(ft_root, FS_READLINK, 0, 0, &b), -EINVAL);
	b.send = "test/none";
	b.send_len = 9;
	CHECK_EQ(fs_call(ft_root, FS_READLINK, 0, 0, &b), -ENOENT);
	CHECK_EQ(fs_call(ft_root, FS_PATHSTAT, 0, 0, &b), -ENOENT);
	b.send = two;
	b.send_len = sizeof(two) - 1;
	CHECK_EQ(fs_call(ft_root, FS_SYMLINK, 0, 0, &b), -EROFS);
	CHECK_EQ(fs_call(ft_root, FS_LINK, 0, 0, &b), -EROFS);
	b.send = HELLO_PATH;
	b.send_len = strlen(HELLO_PATH);
	CHECK_EQ(fs_call(ft_root, FS_CHMOD, 0777, 0, &b), -EROFS);
	CHECK_EQ(fs_call(ft_root, FS_CHOWN, 1, 1, &b), -EROFS);
	CHECK_EQ(fs_call(ft_root, FS_UTIMES, 0, 0, &b), -EROFS);
	CHECK_EQ(fs_call(f, FS_CHMOD, 0777, 0, NULL), -EROFS);
	CHECK_EQ(fs_call(f, FS_CHOWN, 1, 1, NULL), -EROFS);
	CHECK_EQ(fs_call(f, FS_UTIMES, 0, 0, NULL), -EROFS);
	CHECK_EQ(fs_call(f, FS_SETFL, 0, 1, NULL), -ENOSYS); /* libc keeps */
	CHECK_EQ(fs_call(f, FS_SETFL, VO_NONBLOCK, 0, NULL), -ENOSYS);
	CHECK_EQ(fs_stat(f, &st), 0);
	CHECK(memcmp(&st, &st2, sizeof(st)) == 0);
	sys_handle_close(f);
}

/* Root messages on a file and file messages on the root: -EBADF. */
static void t_wrong_connection(void)
{
	static const uint32_t file_ops[] = { FS_READ,	  FS_WRITE, FS_SEEK,
					     FS_STAT,	  FS_READDIR,
					     FS_TRUNCATE, FS_FSYNC, FS_SETFL };
	static const uint32_t root_ops[] = { FS_OPEN,	  FS_MKDIR,
					     FS_UNLINK,	  FS_RENAME,
					     FS_SYMLINK,  FS_READLINK,
					     FS_PATHSTAT, FS_LINK };
	uint8_t buf[128];
	struct ipc_buffers b = { .send = HELLO_PATH,
				 .send_len = strlen(HELLO_PATH),
				 .recv = buf,
				 .recv_len = sizeof(buf) };
	handle_t f;

	for (size_t i = 0; i < sizeof(file_ops) / sizeof(file_ops[0]); i++)
		CHECK_EQ(fs_call(ft_root, file_ops[i], 0, 0, &b), -EBADF);
	f = fs_open("test", VO_RDONLY);
	REQUIRE_OK(f);
	for (size_t i = 0; i < sizeof(root_ops) / sizeof(root_ops[0]); i++)
		CHECK_EQ(fs_call(f, root_ops[i], 0, 0, &b), -EBADF);
	sys_handle_close(f);
}

static void t_unknown_ops(void)
{
	static const uint32_t ops[] = {
		0,     NS_REGISTER, NS_LOOKUP, NS_WAIT,	   0xff,
		0x113, 0x1ff,	    0x200,     0x7fffffff, IPC_OP_KERNEL - 1,
	};
	uint8_t buf[128];
	struct ipc_buffers b = { .send = HELLO_PATH,
				 .send_len = strlen(HELLO_PATH),
				 .recv = buf,
				 .recv_len = sizeof(buf) };
	handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

	REQUIRE_OK(f);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		CHECK_EQ(fs_call(ft_root, ops[i], 1, 2, &b), -ENOSYS);
		CHECK_EQ(fs_call(f, ops[i], 1, 2, &b), -ENOSYS);
	}
	/* A client cannot send what only the kernel sends (CLOSE). */
	CHECK_EQ(fs_call(f, IPC_OP_CLOSE, 0, 0, NULL), -EINVAL);
	CHECK_EQ(fs_read(f, buf, 5), 5);
	sys_handle_close(f);
}

/* Maps two pages and unmaps the second: the address of the first. */
static uint8_t *page_before_hole(void)
{
	handle_t mem = sys_mem_create(8192, 0);
	long va;

	if (mem < 0)
		return NULL;
	va = sys_vm_map(mem, 0, 0, 8192, VM_READ | VM_WRITE);
	sys_handle_close(mem);
	if (va < 0)
		return NULL;
	sys_vm_unmap((uint64_t)va + 4096, 4096);
	return (uint8_t *)va;
}

static void t_bad_buffers(void)
{
	void *unmapped = (void *)UNMAPPED_USER;
	uint8_t buf[64], *page;
	handle_t f, d, mem;
	long ro;

	CHECK_EQ(fs_open_len(unmapped, 10, VO_RDONLY, NULL), -EFAULT);

	f = fs_open(HELLO_PATH, VO_RDONLY);
	REQUIRE_OK(f);
	CHECK_EQ(fs_read(f, unmapped, 16), -EFAULT);
	CHECK_EQ(fs_stat(f, unmapped), -EFAULT);
	CHECK_EQ(fs_read(f, buf, 0), 0);
	CHECK_EQ(fs_read(f, NULL, 0), 0);
	/* Read-only memory cannot take the bytes. */
	mem = sys_mem_create(4096, 0);
	ro = mem < 0 ? mem : sys_vm_map(mem, 0, 0, 4096, VM_READ);
	if (mem >= 0)
		sys_handle_close(mem);
	CHECK(ro > 0);
	if (ro > 0) {
		CHECK_EQ(fs_read(f, (void *)ro, 16), -EFAULT);
		sys_vm_unmap((uint64_t)ro, 4096);
	}
	/* A buffer that ends in a hole, with the data reaching it. */
	page = page_before_hole();
	CHECK(page != NULL);
	if (page) {
		CHECK_EQ(fs_seek(f, 0, VSEEK_SET), 0);
		CHECK_EQ(fs_read(f, page + 4090, 16), -EFAULT);
		sys_vm_unmap((uint64_t)page, 4096);
	}
	/* None of it moved the offset. */
	CHECK_EQ(fs_read(f, buf, 5), 5);
	CHECK(memcmp(buf, "Hello", 5) == 0);
	sys_handle_close(f);

	d = fs_open("test", VO_RDONLY);
	REQUIRE_OK(d);
	CHECK_EQ(fs_readdir(d, unmapped, 4096), -EFAULT);
	CHECK_EQ(fs_readdir(d, buf, sizeof(buf)) > 0, 1);
	CHECK_EQ(((struct vdirent *)buf)->name[0], '.'); /* from the start */
	CHECK_EQ(((struct vdirent *)buf)->name[1], '\0');
	sys_handle_close(d);
}

/* Sends `probe` (a connection to ft_port) with a call; the server must
   close it, which sends ft_port a CLOSE for BADGE_PROBE. */
static long call_with_probe(handle_t h, uint32_t op, struct ipc_buffers *b,
			    int n)
{
	struct ipc_msg m;
	long status;

	memset(&m, 0, sizeof(m));
	m.op = op;
	for (int i = 0; i < n; i++)
		m.handles[i] = sys_conn_create(ft_port, BADGE_PROBE);
	m.nhandles = (uint32_t)n;
	status = sys_ipc_call(h, &m, b);
	if (status >= 0)
		for (uint32_t i = 0; i < m.nhandles && i < IPC_HANDLES; i++)
			sys_handle_close(m.handles[i]);
	return status;
}

/* Counts the CLOSEs for BADGE_PROBE that come within a second. */
static int probe_closes(void)
{
	struct ipc_received r;
	int n = 0;

	while (sys_ipc_recv(ft_port, &r, n ? 100 * MS : SEC) == 0) {
		if (r.msg.op == IPC_OP_CLOSE && r.badge == BADGE_PROBE)
			n++;
		else if (r.rid)
			sys_ipc_reply(r.rid, -ENOSYS, NULL);
	}
	return n;
}

static void t_sent_handles_closed(void)
{
	struct vstat st;
	struct ipc_buffers b = { .recv = &st, .recv_len = sizeof(st) };
	struct ipc_buffers open = { .send = HELLO_PATH,
				    .send_len = strlen(HELLO_PATH) };
	handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

	REQUIRE_OK(f);
	CHECK_EQ(call_with_probe(f, FS_STAT, &b, 1), 0);
	CHECK_EQ(probe_closes(), 1);
	CHECK_EQ(call_with_probe(f, 0x1ff, NULL, 2), -ENOSYS);
	CHECK_EQ(probe_closes(), 2);
	CHECK_EQ(call_with_probe(ft_root, FS_OPEN, &open, 4), 0);
	CHECK_EQ(probe_closes(), 4);
	sys_handle_close(f);
}

const struct ft_case ft_error_cases[] = {
	{ "missing files", t_missing },
	{ "opening for writing is refused", t_read_only_open },
	{ "directories and files are told apart", t_directory_or_not },
	{ "write, truncate, mkdir, unlink, rename are refused",
	  t_read_only_ops },
	{ "path stat, links, modes, owners, times", t_unix_ops },
	{ "messages on the wrong connection", t_wrong_connection },
	{ "unknown operations", t_unknown_ops },
	{ "buffers that cannot be read or written", t_bad_buffers },
	{ "handles sent to the server are closed", t_sent_handles_closed },
	{ NULL, NULL },
};
