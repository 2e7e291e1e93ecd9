/*
 * misctest: the system test of the misc server (null:, zero:, rand:,
 * docs/servers.md), started by init as a service from etc/services.misc
 * (tests/system/misc_cases.py).  Its line lets it see the three schemes,
 * stop services (control=yes) and leave QEMU (I/O ports 0xf4-0xf7).
 *
 * It uses the raw protocol (valence/proto.h) on the roots ns hands out:
 * opens and their errors, reads, writes, stat, seek, the messages misc
 * does not support, rand:'s output (two reads differ, none is all zeros,
 * a long read looks uniform), bad buffers, a leak check over many opens,
 * and misc being stopped and restarted with every scheme back.  It
 * prints `misctest: N passed, M failed` (init logs it as "[misctest]
 * ...") and leaves QEMU with the result.
 */
#include "../svc.h"

#define MS	    1000000ull
#define IO_MAX	    (256u << 10) /* misc answers at most this per call */
#define BIG	    (IO_MAX + 40000)
#define UNMAPPED    ((void *)0x1000) /* below every user image */
#define LEAK_ROUNDS 100

static uint8_t big[BIG];
static handle_t root_null, root_zero, root_rand;

/* ---- the protocol, raw ---- */

/* FS_OPEN of path[0, len) with flags; *conn gets the open file. */
static long fs_open_n(handle_t root, const char *path, size_t len,
		      uint64_t flags, handle_t *conn, uint64_t *type)
{
	struct ipc_buffers b = { path, len, NULL, 0 };
	struct ipc_msg m;
	long err;

	memset(&m, 0, sizeof(m));
	m.op = FS_OPEN;
	m.w[0] = flags;
	err = sys_ipc_call(root, &m, &b);
	*conn = HANDLE_INVALID;
	if (err == 0 && m.nhandles == 1) {
		*conn = m.handles[0];
		if (type)
			*type = m.w[0];
	}
	return err;
}

static long fs_open(handle_t root, const char *path, uint64_t flags,
		    handle_t *conn)
{
	return fs_open_n(root, path, strlen(path), flags, conn, NULL);
}

/* Opens the empty path read-write, or returns -1. */
static handle_t open_dev(handle_t root)
{
	handle_t h;

	return fs_open(root, "", VO_RDWR, &h) == 0 ? h : HANDLE_INVALID;
}

static long fs_read(handle_t f, void *buf, size_t len)
{
	struct ipc_buffers b = { NULL, 0, buf, len };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = FS_READ;
	return sys_ipc_call(f, &m, &b);
}

static long fs_write(handle_t f, const void *buf, size_t len)
{
	struct ipc_buffers b = { buf, len, NULL, 0 };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = FS_WRITE;
	return sys_ipc_call(f, &m, &b);
}

/* A message with only words: op, w[0], w[1]. */
static long fs_op(handle_t f, uint32_t op, uint64_t w0, uint64_t w1)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	m.w[1] = w1;
	return sys_ipc_call(f, &m, NULL);
}

static long fs_stat(handle_t f, struct vstat *st, size_t len)
{
	struct ipc_buffers b = { NULL, 0, st, len };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = FS_STAT;
	return sys_ipc_call(f, &m, &b);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static uint64_t live_objects(void)
{
	struct sys_stats st;

	return sys_sys_stats(&st) < 0 ? 0 : st.objects;
}

/* ---- opening ---- */

static void test_open(handle_t root, const char *scheme)
{
	char what[96];
	uint64_t type = 0;
	handle_t f;
	long err;

#define SAY(fmt) (ksnprintf(what, sizeof(what), "%s: " fmt, scheme), what)
	err = fs_open_n(root, "", 0, VO_RDWR, &f, &type);
	svc_check(err == 0 && f >= 0 && type == VS_IFCHR,
		  SAY("open \"\" gives a character device"), err);
	sys_handle_close(f);
	err = fs_open_n(root, "\0", 1, VO_RDONLY, &f, NULL);
	SVC_CHECK_EQ(err, 0, SAY("open of a lone NUL is the empty path"));
	sys_handle_close(f);
	SVC_CHECK_EQ(fs_open(root, "x", VO_RDONLY, &f), -ENOENT,
		     SAY("open \"x\" is -ENOENT"));
	SVC_CHECK_EQ(fs_open(root, "/", VO_RDONLY, &f), -ENOENT,
		     SAY("open \"/\" is -ENOENT"));
	SVC_CHECK_EQ(fs_open(root, scheme, VO_RDONLY, &f), -ENOENT,
		     SAY("open of its own name is -ENOENT"));
	SVC_CHECK_EQ(fs_open_n(root, UNMAPPED, 5, VO_RDONLY, &f, NULL), -EFAULT,
		     SAY("open with an unreadable path is -EFAULT"));
	SVC_CHECK_EQ(fs_open(root, "", VO_ACCMODE, &f), -EINVAL,
		     SAY("open with access mode 3 is -EINVAL"));
	SVC_CHECK_EQ(fs_open(root, "", VO_RDONLY | VO_DIRECTORY, &f), -ENOTDIR,
		     SAY("open with O_DIRECTORY is -ENOTDIR"));
	SVC_CHECK_EQ(fs_open(root, "", VO_WRONLY | VO_CREAT | VO_EXCL, &f),
		     -EEXIST, SAY("open with O_CREAT|O_EXCL is -EEXIST"));
	err = fs_open(root, "", VO_WRONLY | VO_CREAT | VO_TRUNC, &f);
	SVC_CHECK_EQ(err, 0, SAY("open with O_CREAT|O_TRUNC works"));
	sys_handle_close(f);
#undef SAY
}

/* What every open file of misc answers the same way. */
static void test_common(handle_t root, const char *scheme, uint32_t rdev)
{
	char what[96];
	struct vstat st;
	handle_t f = open_dev(root), ro, wo;
	uint8_t c;

#define SAY(fmt) (ksnprintf(what, sizeof(what), "%s: " fmt, scheme), what)
	memset(&st, 0xee, sizeof(st));
	SVC_CHECK_EQ(fs_stat(f, &st, sizeof(st)), 0, SAY("stat works"));
	svc_check(st.mode == (VS_IFCHR | 0666) && st.nlink == 1 &&
			  st.rdev == rdev && st.size == 0,
		  SAY("stat: a character device, mode 0666"), st.mode);
	SVC_CHECK_EQ(fs_stat(f, &st, 10), -EINVAL,
		     SAY("stat into 10 bytes is -EINVAL"));
	SVC_CHECK_EQ(fs_stat(f, UNMAPPED, sizeof(st)), -EFAULT,
		     SAY("stat into unmapped memory is -EFAULT"));
	SVC_CHECK_EQ(fs_op(f, FS_SEEK, 100, VSEEK_SET), 0,
		     SAY("seek to 100 gives 0"));
	SVC_CHECK_EQ(fs_op(f, FS_SEEK, (uint64_t)-5, VSEEK_CUR), 0,
		     SAY("seek back by 5 gives 0"));
	SVC_CHECK_EQ(fs_op(f, FS_SEEK, 0, VSEEK_END), 0,
		     SAY("seek to the end gives 0"));
	SVC_CHECK_EQ(fs_op(f, FS_SEEK, 0, 7), -EINVAL,
		     SAY("seek with whence 7 is -EINVAL"));
	SVC_CHECK_EQ(fs_op(f, FS_READDIR, 0, 0), -ENOTDIR,
		     SAY("readdir is -ENOTDIR"));
	SVC_CHECK_EQ(fs_op(f, FS_TRUNCATE, 0, 0), -ENOSYS,
		     SAY("truncate is -ENOSYS"));
	SVC_CHECK_EQ(fs_op(f, FS_FSYNC, 0, 0), -ENOSYS,
		     SAY("fsync is -ENOSYS"));
	SVC_CHECK_EQ(fs_op(f, 0x999, 0, 0), -ENOSYS,
		     SAY("an unknown message is -ENOSYS"));
	SVC_CHECK_EQ(fs_op(f, FS_OPEN, 0, 0), -EBADF,
		     SAY("FS_OPEN on an open file is -EBADF"));
	SVC_CHECK_EQ(fs_op(root, FS_READ, 0, 0), -EBADF,
		     SAY("FS_READ on the root is -EBADF"));
	SVC_CHECK_EQ(fs_op(root, FS_STAT, 0, 0), -EBADF,
		     SAY("FS_STAT on the root is -EBADF"));
	SVC_CHECK_EQ(fs_op(root, FS_MKDIR, 0, 0), -ENOSYS,
		     SAY("FS_MKDIR on the root is -ENOSYS"));
	sys_handle_close(f);

	fs_open(root, "", VO_RDONLY, &ro);
	fs_open(root, "", VO_WRONLY, &wo);
	SVC_CHECK_EQ(fs_write(ro, "x", 1), -EBADF,
		     SAY("write on a read-only open is -EBADF"));
	SVC_CHECK_EQ(fs_read(wo, &c, 1), -EBADF,
		     SAY("read on a write-only open is -EBADF"));
	sys_handle_close(ro);
	sys_handle_close(wo);
#undef SAY
}

/* A message that moves a handle in: misc closes it. */
static void test_moved_handle(handle_t root)
{
	handle_t f = open_dev(root), n = sys_notify_create();
	struct handle_info hi;
	struct ipc_msg m;
	long err;

	memset(&m, 0, sizeof(m));
	m.op = FS_SEEK;
	m.nhandles = 1;
	m.handles[0] = n;
	err = sys_ipc_call(f, &m, NULL);
	svc_check(err == 0 && sys_handle_info(n, &hi) == -EBADF,
		  "a handle moved with a call is taken (and dropped)", err);
	sys_handle_close(f);
}

/* ---- null: ---- */

static void test_null(void)
{
	handle_t f = open_dev(root_null);
	uint8_t buf[100];

	memset(buf, 0x5a, sizeof(buf));
	SVC_CHECK_EQ(fs_read(f, buf, sizeof(buf)), 0,
		     "null: a read is at the end (0)");
	svc_check(all_bytes(buf, sizeof(buf), 0x5a),
		  "null: a read leaves the buffer alone", buf[0]);
	SVC_CHECK_EQ(fs_write(f, buf, sizeof(buf)), sizeof(buf),
		     "null: a write takes every byte");
	SVC_CHECK_EQ(fs_write(f, big, BIG), BIG,
		     "null: a big write takes every byte");
	SVC_CHECK_EQ(fs_write(f, NULL, 0), 0, "null: an empty write is 0");
	sys_handle_close(f);
}

/* ---- zero: ---- */

static void test_zero(void)
{
	handle_t f = open_dev(root_zero);
	uint8_t buf[4099];
	long n;

	memset(buf, 0xaa, sizeof(buf));
	SVC_CHECK_EQ(fs_read(f, buf, sizeof(buf)), sizeof(buf),
		     "zero: a read fills the buffer");
	svc_check(all_bytes(buf, sizeof(buf), 0), "zero: with zeros", 0);
	memset(big, 0xaa, sizeof(big));
	n = fs_read(f, big, BIG);
	SVC_CHECK_EQ(n, IO_MAX, "zero: a read over 256 KiB is cut to 256 KiB");
	svc_check(all_bytes(big, IO_MAX, 0) &&
			  all_bytes(big + IO_MAX, BIG - IO_MAX, 0xaa),
		  "zero: exactly those bytes are zeroed", 0);
	SVC_CHECK_EQ(fs_read(f, buf, 0), 0, "zero: an empty read is 0");
	SVC_CHECK_EQ(fs_read(f, UNMAPPED, 100), -EFAULT,
		     "zero: a read into unmapped memory is -EFAULT");
	SVC_CHECK_EQ(fs_write(f, buf, sizeof(buf)), sizeof(buf),
		     "zero: a write takes every byte");
	SVC_CHECK_EQ(fs_read(f, buf, 8), 8,
		     "zero: the server goes on after a bad buffer");
	sys_handle_close(f);
}

/* ---- rand: ---- */

/* Every byte value shows up, and about half the bits are set. */
static void check_uniform(const uint8_t *p, size_t n)
{
	static uint32_t counts[256];
	uint64_t ones = 0, bits = (uint64_t)n * 8;
	uint32_t missing = 0;

	memset(counts, 0, sizeof(counts));
	for (size_t i = 0; i < n; i++) {
		counts[p[i]]++;
		ones += (uint64_t)__builtin_popcount(p[i]);
	}
	for (int v = 0; v < 256; v++)
		missing += counts[v] == 0;
	SVC_CHECK_EQ(missing, 0, "rand: every byte value comes up");
	/* 800 000 bits: one percent off is 18 standard deviations. */
	svc_check(ones * 100 > bits * 49 && ones * 100 < bits * 51,
		  "rand: half the bits are set, within 1%",
		  (long)(ones * 1000 / bits));
}

static void test_rand(void)
{
	handle_t f = open_dev(root_rand), g = open_dev(root_rand);
	uint8_t a[64], b[64], c[64], zero[64] = { 0 };
	long n;

	SVC_CHECK_EQ(fs_read(f, a, sizeof(a)), 64, "rand: a 64-byte read");
	SVC_CHECK_EQ(fs_read(f, b, sizeof(b)), 64, "rand: another one");
	svc_check(memcmp(a, b, sizeof(a)) != 0, "rand: the two differ", 0);
	svc_check(memcmp(a, zero, 64) != 0 && memcmp(b, zero, 64) != 0,
		  "rand: neither is all zeros", 0);
	SVC_CHECK_EQ(fs_read(g, c, sizeof(c)), 64,
		     "rand: a read through another open file");
	svc_check(memcmp(c, a, 64) != 0 && memcmp(c, b, 64) != 0,
		  "rand: which differs from both", 0);

	n = fs_read(f, big, 100000);
	SVC_CHECK_EQ(n, 100000, "rand: a 100000-byte read");
	if (n == 100000)
		check_uniform(big, 100000);
	SVC_CHECK_EQ(fs_read(f, big, BIG), IO_MAX,
		     "rand: a read over 256 KiB is cut to 256 KiB");
	SVC_CHECK_EQ(fs_read(f, UNMAPPED, 64), -EFAULT,
		     "rand: a read into unmapped memory is -EFAULT");

	SVC_CHECK_EQ(fs_write(f, "some entropy", 12), 12,
		     "rand: a write is mixed in, every byte counted");
	SVC_CHECK_EQ(fs_write(f, big, BIG), IO_MAX,
		     "rand: a write over 256 KiB is cut to 256 KiB");
	SVC_CHECK_EQ(fs_write(f, UNMAPPED, 64), -EFAULT,
		     "rand: a write from unmapped memory is -EFAULT");
	memcpy(c, a, sizeof(c));
	SVC_CHECK_EQ(fs_read(f, a, sizeof(a)), 64,
		     "rand: reads go on after writes");
	svc_check(memcmp(a, c, 64) != 0 && memcmp(a, b, 64) != 0 &&
			  memcmp(a, zero, 64) != 0,
		  "rand: with new bytes", 0);
	sys_handle_close(f);
	sys_handle_close(g);
}

/* ---- life ---- */

/* Opens and closes leave no kernel object behind (misc keeps none). */
static void test_no_leak(void)
{
	handle_t roots[] = { root_null, root_zero, root_rand };
	uint64_t before = live_objects(), now = 0;
	long bad = 0;

	for (int i = 0; i < LEAK_ROUNDS; i++) {
		for (int k = 0; k < 3; k++) {
			handle_t f = open_dev(roots[k]);
			uint8_t c;

			if (f < 0 || fs_read(f, &c, 1) < 0)
				bad++;
			sys_handle_close(f);
		}
	}
	SVC_CHECK_EQ(bad, 0, "300 opens, reads and closes work");
	for (int i = 0; i < 100 && (now = live_objects()) != before; i++)
		sys_sleep(10 * MS);
	SVC_CHECK_EQ((long)now - (long)before, 0,
		     "and leave no kernel object behind");
}

/* misc is stopped: old files fail, the schemes come back, files work. */
static void test_restart(void)
{
	handle_t f = open_dev(root_rand);
	uint8_t buf[16];

	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "misc", -1, 0), 0,
		     "restart: misc is stopped");
	SVC_CHECK_EQ(fs_read(f, buf, sizeof(buf)), -EPIPE,
		     "restart: an old open file gives -EPIPE");
	sys_handle_close(f);
	sys_handle_close(root_null);
	sys_handle_close(root_zero);
	sys_handle_close(root_rand);
	root_null = svc_ns(NS_WAIT, "null", -1, 0);
	root_zero = svc_ns(NS_WAIT, "zero", -1, 0);
	root_rand = svc_ns(NS_WAIT, "rand", -1, 0);
	svc_check(root_null > 0 && root_zero > 0 && root_rand > 0,
		  "restart: the three schemes are back", root_rand);
	f = open_dev(root_rand);
	SVC_CHECK_EQ(fs_read(f, buf, sizeof(buf)), sizeof(buf),
		     "restart: rand: works again");
	sys_handle_close(f);
	f = open_dev(root_zero);
	SVC_CHECK_EQ(fs_read(f, buf, sizeof(buf)), sizeof(buf),
		     "restart: zero: works again");
	sys_handle_close(f);
}

int main(int argc, char **argv)
{
	root_null = svc_ns(NS_LOOKUP, "null", -1, 0);
	root_zero = svc_ns(NS_LOOKUP, "zero", -1, 0);
	root_rand = svc_ns(NS_LOOKUP, "rand", -1, 0);
	svc_check(root_null > 0 && root_zero > 0 && root_rand > 0,
		  "ns: null, zero and rand are registered", root_null);
	if (root_null > 0 && root_zero > 0 && root_rand > 0) {
		test_open(root_null, "null");
		test_open(root_zero, "zero");
		test_open(root_rand, "rand");
		test_common(root_null, "null", 1);
		test_common(root_zero, "zero", 2);
		test_common(root_rand, "rand", 3);
		test_moved_handle(root_zero);
		test_null();
		test_zero();
		test_rand();
		test_no_leak();
		test_restart();
	}
	svc_summary("misctest");
	svc_qemu_exit();
	return svc_failed != 0;
}
