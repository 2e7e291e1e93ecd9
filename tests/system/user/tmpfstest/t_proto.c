/*
 * The raw file protocol (valence/proto.h): messages on the wrong
 * connection, malformed requests, FS_SETFL, and random messages, after
 * which the server must still answer and hold no more than before.
 */
#include <fcntl.h>
#include <unistd.h>
#include "tmpfstest.h"

/* One call; handles in the reply are closed unless *got wants one. */
static long call(handle_t h, uint32_t op, uint64_t w0, uint64_t w1,
		 uint64_t w2, const void *send, size_t send_len, void *recv,
		 size_t recv_len, handle_t *got)
{
	struct ipc_buffers b = { .send = send,
				 .send_len = send_len,
				 .recv = recv,
				 .recv_len = recv_len };
	struct ipc_msg m;
	long r;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	m.w[1] = w1;
	m.w[2] = w2;
	r = sys_ipc_call(h, &m, &b);
	for (uint32_t i = 0; r >= 0 && i < m.nhandles && i < IPC_HANDLES; i++) {
		if (got && i == 0)
			*got = m.handles[0];
		else
			sys_handle_close(m.handles[i]);
	}
	return r;
}

static long root_call(uint32_t op, uint64_t w0, uint64_t w1, const void *send,
		      size_t len)
{
	return call(scheme_root("file"), op, w0, w1, 0, send, len, NULL, 0,
		    NULL);
}

static void wrong_connection(void)
{
	static const uint32_t file_only[] = { FS_READ,	   FS_WRITE,
					      FS_SEEK,	   FS_READDIR,
					      FS_TRUNCATE, FS_FSYNC,
					      FS_SETFL };
	static const uint32_t root_only[] = { FS_OPEN,	   FS_MKDIR,
					      FS_UNLINK,   FS_RENAME,
					      FS_SYMLINK,  FS_READLINK,
					      FS_PATHSTAT, FS_LINK };
	static const uint32_t unknown[] = { 0,	   1,	   0xff,       0x113,
					    0x1ff, 0x200, 0x7fffffff,
					    IPC_OP_KERNEL - 1 };
	char buf[128];
	handle_t root = scheme_root("file"), f = -1;

	REQUIRE_OK(root);
	REQUIRE_EQ(call(root, FS_OPEN, VO_RDONLY, 0, 0, HELLO_PATH,
			strlen(HELLO_PATH), NULL, 0, &f),
		   0);
	for (size_t i = 0; i < sizeof(file_only) / sizeof(file_only[0]); i++)
		CHECK_EQ(call(root, file_only[i], 0, 0, 0, "x", 1, buf,
			      sizeof(buf), NULL),
			 -EBADF);
	for (size_t i = 0; i < sizeof(root_only) / sizeof(root_only[0]); i++)
		CHECK_EQ(call(f, root_only[i], 0, 0, 0, HELLO_PATH,
			      strlen(HELLO_PATH), buf, sizeof(buf), NULL),
			 -EBADF);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		CHECK_EQ(call(root, unknown[i], 1, 2, 3, "x", 1, buf,
			      sizeof(buf), NULL),
			 -ENOSYS);
		CHECK_EQ(call(f, unknown[i], 1, 2, 3, "x", 1, buf, sizeof(buf),
			      NULL),
			 -ENOSYS);
	}
	CHECK_EQ(call(f, FS_READ, 0, 0, 0, NULL, 0, buf, 5, NULL), 5);
	CHECK(memcmp(buf, "Hello", 5) == 0);
	sys_handle_close(f);
}

static void set_flags(void)
{
	handle_t root = scheme_root("file"), f = -1;
	char buf[16];

	REQUIRE_EQ(put_file(T "/f", "abc", 3), 0);
	REQUIRE_EQ(call(root, FS_OPEN, VO_RDWR, 0, 0, T "/f", 4, NULL, 0, &f),
		   0);
	CHECK_EQ(call(f, FS_SETFL, 0, 1, 0, NULL, 0, NULL, 0, NULL), VO_RDWR);
	CHECK_EQ(call(f, FS_SETFL, VO_APPEND | VO_NONBLOCK | VO_TRUNC, 0, 0,
		      NULL, 0, NULL, 0, NULL),
		 0);
	CHECK_EQ(call(f, FS_SETFL, 0, 1, 0, NULL, 0, NULL, 0, NULL),
		 VO_RDWR | VO_APPEND | VO_NONBLOCK);
	CHECK_EQ(call(f, FS_WRITE, 0, 0, 0, "de", 2, NULL, 0, NULL), 2);
	CHECK_EQ(call(f, FS_SETFL, 0, 0, 0, NULL, 0, NULL, 0, NULL), 0);
	CHECK_EQ(call(f, FS_SEEK, 0, VSEEK_SET, 0, NULL, 0, NULL, 0, NULL), 0);
	CHECK_EQ(call(f, FS_WRITE, 0, 0, 0, "X", 1, NULL, 0, NULL), 1);
	CHECK_EQ(call(f, FS_SETFL, 0, 2, 0, NULL, 0, NULL, 0, NULL), -EINVAL);
	sys_handle_close(f);
	CHECK_EQ(get_file(T "/f", buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "Xbcde", 5) == 0);
}

static void malformed(void)
{
	static char big[2 * 1024 + 8];
	handle_t root = scheme_root("file"), f = -1;
	struct vstat st;
	char buf[16];

	REQUIRE_OK(root);
	REQUIRE_EQ(put_file(T "/f", "abc", 3), 0);
	/* Two-path messages without their NUL, or with too much. */
	CHECK_EQ(root_call(FS_RENAME, 0, 0, T "/f", 4), -EINVAL);
	CHECK_EQ(root_call(FS_LINK, 0, 0, T "/f", 4), -EINVAL);
	CHECK_EQ(root_call(FS_SYMLINK, 0, 0, "x", 1), -EINVAL);
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	CHECK_EQ(root_call(FS_OPEN, VO_RDONLY, 0, big, 1024), -ENAMETOOLONG);
	CHECK_EQ(root_call(FS_OPEN, VO_RDONLY, 0, big, 1023), -ENAMETOOLONG);
	big[4] = '\0'; /* "/aaa" and a NUL: the rest is ignored */
	CHECK_EQ(root_call(FS_OPEN, VO_RDONLY, 0, big, sizeof(big)), -ENOENT);
	big[4] = 'a';
	big[1030] = '\0';
	CHECK_EQ(root_call(FS_RENAME, 0, 0, big, sizeof(big)), -ENAMETOOLONG);
	memcpy(big, T "/f", 5);
	CHECK_EQ(root_call(FS_RENAME, 0, 0, big, sizeof(big)), -ENAMETOOLONG);
	/* Words out of range. */
	CHECK_EQ(root_call(FS_UNLINK, 2, 0, T "/f", 4), -EINVAL);
	CHECK_EQ(root_call(FS_MKDIR, 010000, 0, T "/d", 4), -EINVAL);
	CHECK_EQ(root_call(FS_OPEN, 1ull << 32, 0, T "/f", 4), -EINVAL);
	CHECK_EQ(root_call(FS_OPEN, VO_ACCMODE, 0, T "/f", 4), -EINVAL);
	CHECK_EQ(root_call(FS_CHMOD, 010000, 0, T "/f", 4), -EINVAL);
	CHECK_EQ(call(root, FS_CHOWN, 1, 1, 5, T "/f", 4, NULL, 0, NULL),
		 -EINVAL);
	CHECK_EQ(call(root, FS_CHOWN, 1ull << 32, 1, 0, T "/f", 4, NULL, 0,
		      NULL),
		 -EINVAL);
	CHECK_EQ(call(root, FS_UTIMES, 0, 0, 2, T "/f", 4, NULL, 0, NULL),
		 -EINVAL);
	CHECK_EQ(call(root, FS_PATHSTAT, 2, 0, 0, T "/f", 4, &st, sizeof(st),
		      NULL),
		 -EINVAL);
	CHECK_EQ(call(root, FS_PATHSTAT, 0, 0, 0, T "/f", 4, &st,
		      sizeof(st) - 1, NULL),
		 -EINVAL);
	/* Buffers that are not there. */
	CHECK_EQ(call(root, FS_OPEN, VO_RDONLY, 0, 0, (void *)0x1000, 10, NULL,
		      0, NULL),
		 -EFAULT);
	CHECK_EQ(call(root, FS_PATHSTAT, 0, 0, 0, T "/f", 4, (void *)0x1000,
		      sizeof(st), NULL),
		 -EFAULT);
	REQUIRE_EQ(call(root, FS_OPEN, VO_RDWR, 0, 0, T "/f", 4, NULL, 0, &f),
		   0);
	CHECK_EQ(call(f, FS_READ, 0, 0, 0, NULL, 0, (void *)0x1000, 3, NULL),
		 -EFAULT);
	CHECK_EQ(call(f, FS_WRITE, 0, 0, 0, (void *)0x1000, 3, NULL, 0, NULL),
		 -EFAULT);
	CHECK_EQ(call(f, FS_STAT, 0, 0, 0, NULL, 0, buf, sizeof(buf), NULL),
		 -EINVAL);
	CHECK_EQ(call(f, FS_READDIR, 0, 0, 0, NULL, 0, buf, sizeof(buf), NULL),
		 -ENOTDIR);
	CHECK_EQ(call(f, FS_TRUNCATE, 1ull << 63, 0, 0, NULL, 0, NULL, 0,
		      NULL),
		 -EINVAL);
	CHECK_EQ(call(f, FS_TRUNCATE, 1ull << 41, 0, 0, NULL, 0, NULL, 0,
		      NULL),
		 -EFBIG);
	CHECK_EQ(call(f, FS_SEEK, 1ull << 41, VSEEK_SET, 0, NULL, 0, NULL, 0,
		      NULL),
		 1ll << 41);
	CHECK_EQ(call(f, FS_WRITE, 0, 0, 0, "x", 1, NULL, 0, NULL), -EFBIG);
	/* The file is as it was. */
	CHECK_EQ(call(f, FS_SEEK, 0, VSEEK_SET, 0, NULL, 0, NULL, 0, NULL), 0);
	CHECK_EQ(call(f, FS_READ, 0, 0, 0, NULL, 0, buf, sizeof(buf), NULL),
		 3);
	CHECK_EQ(call(f, FS_STAT, 0, 0, 0, NULL, 0, &st, sizeof(st), NULL), 0);
	CHECK_EQ(st.size, 3);
	sys_handle_close(f);

	/* A directory's readdir needs room for one record. */
	REQUIRE_EQ(call(root, FS_OPEN, VO_RDONLY, 0, 0, T, 2, NULL, 0, &f), 0);
	CHECK_EQ(call(f, FS_READDIR, 0, 0, 0, NULL, 0, buf, 8, NULL), -EINVAL);
	CHECK_EQ(call(f, FS_READDIR, 0, 0, 0, NULL, 0, buf, 16, NULL), 16);
	CHECK_EQ(call(f, FS_READ, 0, 0, 0, NULL, 0, buf, 16, NULL), -EISDIR);
	sys_handle_close(f);
}

/* A byte of a random path: a few letters and '/', never "..". */
static char path_byte(uint64_t *seed)
{
	static const char set[] = "abcd/";

	return set[rnd(seed) % (sizeof(set) - 1)];
}

/* Appends a random path below T "/fz" (never /fz itself) at buf + n. */
static size_t random_path(uint64_t *seed, char *buf, size_t n, size_t len)
{
	memcpy(buf + n, T "/fz/", 6);
	n += 6;
	buf[n++] = (char)('a' + rnd(seed) % 4);
	for (size_t i = 0; i < len; i++)
		buf[n++] = path_byte(seed);
	return n;
}

/* One or two random paths (see random_path), with or without a NUL at
   the end; buf holds 64 bytes at least. */
static size_t random_paths(uint64_t *seed, char *buf, size_t size)
{
	size_t n = random_path(seed, buf, 0, rnd(seed) % 20);

	if (rnd(seed) % 2) { /* a second path */
		buf[n++] = '\0';
		n = random_path(seed, buf, n, rnd(seed) % 20);
	}
	if (rnd(seed) % 4 == 0 && n < size)
		buf[n++] = '\0';
	return n;
}

/* Random messages to the root and to open files: the server answers
   each, and afterwards serves as before with nothing left over. */
static void random_messages(void)
{
	static char send[128], recv[512];
	handle_t root = scheme_root("file"), open_files[16];
	uint64_t seed = 12345, before;
	uint32_t files_before = fs_open_files();
	int nfiles = 0, answered = 0;
	char buf[64];

	REQUIRE_EQ(mkdir(T "/fz", 0777), 0);
	before = fs_used();
	for (int i = 0; i < 4000; i++) {
		uint32_t op = FS_OPEN + (uint32_t)(rnd(&seed) % 20);
		uint64_t w[3] = { rnd(&seed), rnd(&seed), rnd(&seed) };
		size_t len = random_paths(&seed, send, sizeof(send));
		handle_t target = root, got = -1;
		long r;

		/* Small words are the interesting ones. */
		for (int k = 0; k < 3; k++)
			if (rnd(&seed) % 3)
				w[k] %= 4;
		if (op == FS_OPEN)
			w[0] = (w[0] & (VO_ACCMODE | VO_CREAT | VO_TRUNC |
					VO_APPEND | VO_EXCL)) |
			       (rnd(&seed) % 2 ? VO_CREAT : 0);
		if (op == FS_MKDIR || op == FS_CHMOD)
			w[0] &= 0777;
		if (nfiles && rnd(&seed) % 2)
			target = open_files[rnd(&seed) % (uint64_t)nfiles];
		r = call(target, op, w[0], w[1], w[2], send, len, recv,
			 rnd(&seed) % sizeof(recv), &got);
		answered += r != -EPIPE;
		if (got >= 0 && r >= 0) {
			if (nfiles < 16)
				open_files[nfiles++] = got;
			else
				sys_handle_close(got);
		}
		if (nfiles && rnd(&seed) % 8 == 0)
			sys_handle_close(open_files[--nfiles]);
	}
	CHECK_EQ(answered, 4000);
	while (nfiles)
		sys_handle_close(open_files[--nfiles]);
	CHECK_EQ(wait_open_files(files_before, 2000), files_before);
	/* Still serving; everything under /fz removed gives it all back. */
	CHECK_EQ(get_file(HELLO_PATH, buf, sizeof(buf)),
		 (long)strlen(HELLO_TEXT));
	CHECK_EQ(chmod(T "/fz", 0777), 0);
	CHECK_EQ(remove_tree(T "/fz"), 0);
	CHECK(fs_used() < before);
	CHECK_EQ(mkdir(T "/fz", 0777), 0);
	CHECK_EQ(fs_used(), before);
}

const struct test proto_tests[] = {
	{ "messages on the wrong connection, unknown ones", wrong_connection },
	{ "FS_SETFL", set_flags },
	{ "malformed messages", malformed },
	{ "4000 random messages", random_messages },
	{ NULL, NULL },
};
