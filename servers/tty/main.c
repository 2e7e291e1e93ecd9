/*
 * tty: serves tty:, the terminals (docs/servers.md, "tty").
 *
 * Start-up contract (what init, or whoever spawns it, must pass):
 *
 *   handles 0, 1, 2  standard input, output, error: any handles (unused:
 *                    tty logs to the kernel log, "tty: ...")
 *   handle 3         PROC_H_NS: a connection to the name service, which
 *                    must let it see its devices and register "tty"
 *   arguments        the devices of tty:0, tty:1, ... (at most 4), each a
 *                    path of a character device; none: serial:0
 *
 * It opens every device (waiting up to 10 s for its scheme), starts a
 * reader thread per device, makes a port and a root connection with
 * badge 0 and registers "tty" with NS_REGISTER.  A failure up to there is
 * logged and ends the server with status 1.  Then it serves forever.
 *
 * A reader thread sits in FS_READ on its device and passes what it reads
 * to the main thread with a call on the server's own port (badge
 * BADGE_INTERNAL | unit), so that every terminal's state is touched by
 * the main thread only.  When the device fails (its driver died), the
 * thread opens it again, waiting as long as it takes, and passes the new
 * connection on for output.
 */
#include <stdarg.h>
#include <stdio.h>
#include "tty.h"

#define SCHEME	     "tty"
#define READ_MAX     256
#define STACK_SIZE   16384
#define MS	     1000000ull
#define OPEN_RETRIES 200 /* 50 ms apart: 10 s for a device's scheme */

handle_t tty_port = HANDLE_INVALID;

struct reader {
	const char *path;
	handle_t dev;  /* this thread's own connection to the device */
	handle_t conn; /* to the server's port, badge BADGE_INTERNAL | unit */
};

static struct reader readers[TTY_UNITS_MAX];
static uint8_t stacks[TTY_UNITS_MAX][STACK_SIZE] __attribute__((aligned(16)));

void tty_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	memcpy(line, "tty: ", 5);
	va_start(ap, fmt);
	n = vsnprintf(line + 5, sizeof(line) - 5, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += 5;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	sys_debug_log(line, (size_t)n);
}

/* Opens a device for reading and writing; -errno. */
static handle_t open_device(const char *path)
{
	uint32_t type;

	return scheme_open(path, VO_RDWR, 0, &type);
}

/* ---- the reader threads (no newlib here: its state is not theirs) ---- */

/* Opens r's device again, as long as it takes. */
static handle_t reopen(const struct reader *r)
{
	for (;;) {
		handle_t h = open_device(r->path);

		if (h >= 0)
			return h;
		sys_sleep(50 * MS);
	}
}

/* The device failed with err: a new connection, and one for the main
   thread. */
static void replace_device(struct reader *r, long err)
{
	struct ipc_msg m;
	handle_t out;

	sys_handle_close(r->dev);
	for (;;) {
		r->dev = reopen(r);
		out = sys_handle_dup(r->dev, RIGHTS_SAME);
		if (out >= 0)
			break;
		sys_handle_close(r->dev);
		sys_sleep(50 * MS);
	}
	memset(&m, 0, sizeof(m));
	m.op = TTY_INT_DEVICE;
	m.w[0] = (uint64_t)err;
	m.nhandles = 1;
	m.handles[0] = out;
	sys_ipc_call(r->conn, &m, NULL);
}

static void reader_main(uint64_t arg)
{
	struct reader *r = &readers[arg];
	uint8_t buf[READ_MAX];

	for (;;) {
		long n = file_read(r->dev, buf, sizeof(buf));
		struct ipc_buffers b = { .send = buf, .send_len = (uint64_t)n };
		struct ipc_msg m;

		if (n <= 0) {
			if (n == 0)
				sys_sleep(50 * MS); /* a device at its end */
			replace_device(r, n);
			continue;
		}
		memset(&m, 0, sizeof(m));
		m.op = TTY_INT_INPUT;
		sys_ipc_call(r->conn, &m, &b);
	}
}

/* ---- the loop ---- */

/* A reader thread's message. */
static long internal(const struct ipc_received *in)
{
	uint64_t unit = in->badge & ~BADGE_INTERNAL;
	uint8_t buf[READ_MAX];
	struct tty *t;
	long n;

	if (unit >= tty_count)
		return -EBADF;
	t = ttys[unit];
	if (in->msg.op == TTY_INT_DEVICE && in->msg.nhandles == 1) {
		tty_device(t, in->msg.handles[0], (long)in->msg.w[0]);
		return 0;
	}
	if (in->msg.op != TTY_INT_INPUT)
		return -ENOSYS;
	n = sys_ipc_read(in->rid, 0, buf, sizeof(buf));
	if (n > 0)
		tty_input(t, buf, (size_t)n);
	return 0;
}

static void dispatch(const struct ipc_received *in)
{
	bool keep = false;
	long status;

	if (in->msg.op == IPC_OP_CLOSE) {
		file_closed(in->badge);
		return;
	}
	if (in->msg.op >= IPC_OP_KERNEL)
		return;
	if (in->badge & BADGE_INTERNAL) {
		keep = in->msg.op == TTY_INT_DEVICE;
		status = internal(in);
	} else if (in->badge == BADGE_ROOT) {
		status = file_root(in);
	} else {
		status = file_request(in);
	}
	/* No client message takes handles; the device handle is kept. */
	for (uint32_t i = keep ? 1 : 0; i < in->msg.nhandles && i < IPC_HANDLES;
	     i++)
		sys_handle_close(in->msg.handles[i]);
	if (status != TTY_NO_REPLY && in->rid)
		sys_ipc_reply(in->rid, status, NULL);
}

static __attribute__((noreturn)) void serve(void)
{
	uint64_t timeout = IPC_FOREVER;

	for (;;) {
		struct ipc_received in;
		int err = sys_ipc_recv(tty_port, &in, timeout);

		if (err == 0) {
			dispatch(&in);
		} else if (err != -ETIMEDOUT) {
			tty_log("receive failed: error %d", err);
			sys_sleep(10 * MS);
		}
		timeout = IPC_FOREVER;
		for (uint32_t i = 0; i < tty_count; i++) {
			uint64_t next = tty_work(ttys[i]);

			if (next < timeout)
				timeout = next;
		}
	}
}

/* ---- start-up ---- */

/* Sets up terminal `unit` on device `path` and starts its reader.  Returns
   0 or -errno (logged). */
static int start_unit(uint32_t unit, const char *path)
{
	struct reader *r = &readers[unit];
	handle_t dev = -ENODEV, out;
	handle_t th;

	if (strlen(path) > TTY_DEVICE_MAX || !strchr(path, ':')) {
		tty_log("bad device '%s': a scheme path, at most %d chars",
			path, TTY_DEVICE_MAX);
		return -EINVAL;
	}
	for (int i = 0; i < OPEN_RETRIES && dev < 0; i++) {
		dev = open_device(path);
		if (dev == -ENODEV) /* its server has not registered yet */
			sys_sleep(50 * MS);
		else if (dev < 0)
			break;
	}
	if (dev < 0) {
		tty_log("cannot open %s: error %d", path, dev);
		return dev;
	}
	out = sys_handle_dup(dev, RIGHTS_SAME);
	if (out < 0 || tty_create(unit, path, out) < 0) {
		tty_log("%u: out of memory", unit);
		return -ENOMEM;
	}
	r->path = path;
	r->dev = dev;
	r->conn = sys_conn_create(tty_port, BADGE_INTERNAL | unit);
	if (r->conn < 0) {
		tty_log("cannot make a connection: error %d", r->conn);
		return r->conn;
	}
	tty_count = unit + 1;
	th = sys_thread_create(reader_main,
			       (uint64_t)(uintptr_t)stacks[unit] + STACK_SIZE,
			       unit);
	if (th < 0) {
		tty_log("cannot start a thread: error %d", th);
		return th;
	}
	sys_handle_close(th);
	return 0;
}

int main(int argc, char **argv)
{
	handle_t root;
	long err;
	int units = argc > 1 ? argc - 1 : 1;

	if (valence_initial_handles < PROC_HANDLES) {
		tty_log("started with %u handles, needs %d",
			valence_initial_handles, PROC_HANDLES);
		return 1;
	}
	if (units > TTY_UNITS_MAX) {
		tty_log("%d devices: at most %d", units, TTY_UNITS_MAX);
		return 1;
	}
	tty_port = sys_port_create();
	if (tty_port < 0) {
		tty_log("cannot create a port: error %d", tty_port);
		return 1;
	}
	for (int i = 0; i < units; i++)
		if (start_unit((uint32_t)i,
			       argc > 1 ? argv[i + 1] : "serial:0") < 0)
			return 1;
	root = sys_conn_create(tty_port, BADGE_ROOT);
	if (root < 0) {
		tty_log("cannot create the root: error %d", root);
		return 1;
	}
	err = scheme_register(SCHEME, root);
	if (err < 0) {
		tty_log("cannot register \"%s\" with ns: error %ld", SCHEME,
			err);
		return 1;
	}
	for (uint32_t i = 0; i < tty_count; i++)
		tty_log("tty:%u is %s", i, ttys[i]->device);
	serve();
}
