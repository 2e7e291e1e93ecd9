/*
 * log: serves the kernel log as the scheme log:.
 *
 * Start-up contract (init's line: `klog=yes register=log`):
 *
 *   handles 0, 1, 2  standard input, output, error (unused: it logs with
 *                    sys_debug_log, "log: ...")
 *   handle 3         PROC_H_NS: a connection to the name service
 *   handle 4         the kernel log: a memory object with RIGHT_READ and
 *                    RIGHT_MAP (struct klog_header, valence/abi.h)
 *
 * It maps the log read-only, registers "log" with ns: and answers the
 * file protocol (docs/servers.md, "log"):
 *
 *   FS_OPEN "" or "kernel"  an open file whose offset counts log bytes
 *                           since boot, starting at 0
 *   FS_READ   the log from the offset (raised to the oldest byte kept);
 *             0 at the end: it does not wait for more
 *   FS_WRITE  each line becomes a kernel log line "[log P] pid N: text"
 *   FS_SEEK   offsets in log bytes; VSEEK_END is the end of the log
 *   FS_STAT   VS_IFCHR | 0644, size = the offset of the end
 *   FS_SETFL  VO_NONBLOCK and VO_APPEND (which change nothing here)
 */
#include <stdbool.h>
#include <valence.h>
#include <valence/proto.h>
#include "klog.h"

#define SCHEME	    "log"
#define LOG_H_KLOG  4
#define LOG_HANDLES 5
#define FILES_MAX   64	 /* open files, all clients together */
#define NAME_MAX    16	 /* FS_OPEN's path */
#define CHUNK	    1024 /* bytes per copy */
#define LINE_MAX    900	 /* a written line is cut into pieces this long */
#define RETRY_DELAY 10000000ull
#define DRAIN_MAX   64
#define LOG_MODE    (VS_IFCHR | 0644)
#define ANSWERED    INT64_MIN /* a handler replied itself */

struct open_file {
	bool used;
	uint32_t gen; /* bumped when freed: old badges go stale */
	uint32_t flags;
	uint64_t pos;
};

static struct klog_view klog;
static struct open_file files[FILES_MAX];
static handle_t port;

/* ---- open files: badge = gen << 32 | slot + 1; 0 is the root ---- */

static uint64_t file_badge(const struct open_file *f)
{
	return (uint64_t)f->gen << 32 | (uint64_t)(f - files + 1);
}

static struct open_file *file_lookup(uint64_t badge)
{
	uint32_t slot = (uint32_t)badge;
	struct open_file *f;

	if (slot == 0 || slot > FILES_MAX)
		return NULL;
	f = &files[slot - 1];
	return f->used && f->gen == (uint32_t)(badge >> 32) ? f : NULL;
}

/* A free slot (not yet marked used), or NULL. */
static struct open_file *file_alloc(void)
{
	for (int i = 0; i < FILES_MAX; i++)
		if (!files[i].used)
			return &files[i];
	return NULL;
}

static void file_free(struct open_file *f)
{
	f->used = false;
	f->gen++;
}

/* ---- requests ---- */

static void drain(void);

static long do_open(const struct ipc_received *r)
{
	char name[NAME_MAX + 1];
	struct open_file *f;
	struct ipc_msg m;
	handle_t conn;
	long n = 0;

	if (r->send_len > NAME_MAX)
		return -ENOENT;
	if (r->send_len)
		n = sys_ipc_read(r->rid, 0, name, r->send_len);
	if (n < 0)
		return n;
	if (n > 0 && name[n - 1] == '\0')
		n--; /* a NUL at the end is allowed */
	name[n] = '\0';
	if (strlen(name) != (size_t)n ||
	    (n != 0 && strcmp(name, "kernel") != 0))
		return -ENOENT;
	if (r->msg.w[0] & VO_DIRECTORY)
		return -ENOTDIR;
	f = file_alloc();
	if (!f) {
		drain(); /* CLOSEs queued behind this call */
		f = file_alloc();
	}
	if (!f)
		return -EMFILE;
	conn = sys_conn_create(port, file_badge(f));
	if (conn < 0)
		return conn;
	f->used = true;
	f->flags =
		(uint32_t)r->msg.w[0] & (VO_ACCMODE | VO_NONBLOCK | VO_APPEND);
	f->pos = 0;
	memset(&m, 0, sizeof(m));
	m.nhandles = 1;
	m.handles[0] = conn;
	m.w[0] = VS_IFCHR;
	if (sys_ipc_reply(r->rid, 0, &m) < 0) {
		sys_handle_close(conn); /* the caller is gone */
		file_free(f);
	}
	return ANSWERED;
}

static bool readable(const struct open_file *f)
{
	return (f->flags & VO_ACCMODE) != VO_WRONLY;
}

static bool writable(const struct open_file *f)
{
	return (f->flags & VO_ACCMODE) != VO_RDONLY;
}

static long do_read(const struct ipc_received *r, struct open_file *f)
{
	char buf[CHUNK];
	uint64_t done = 0;

	if (!readable(f))
		return -EBADF;
	while (done < r->recv_len) {
		uint64_t pos = f->pos, want = r->recv_len - done;
		size_t n = klog_read(&klog, &pos, buf,
				     want < CHUNK ? (size_t)want : CHUNK);
		long w;

		if (n == 0)
			break;
		w = sys_ipc_write(r->rid, done, buf, n);
		if (w < 0)
			return done ? (long)done : w;
		f->pos = pos;
		done += n;
	}
	return (long)done;
}

/* Logs text[0, n) as one kernel log line, "pid N: text". */
static void log_line(uint32_t pid, const char *text, size_t n)
{
	char line[LINE_MAX + 16], digits[10];
	size_t k = 0, d = 0;

	do
		digits[d++] = (char)('0' + pid % 10);
	while ((pid /= 10) != 0);
	memcpy(line, "pid ", 4);
	k = 4;
	while (d)
		line[k++] = digits[--d];
	line[k++] = ':';
	line[k++] = ' ';
	memcpy(line + k, text, n);
	sys_debug_log(line, k + n);
}

/* Each line written becomes a log line; so does a last, unfinished one. */
static long do_write(const struct ipc_received *r, struct open_file *f)
{
	char chunk[256], line[LINE_MAX];
	size_t len = 0;
	uint64_t done = 0;

	if (!writable(f))
		return -EBADF;
	while (done < r->send_len) {
		long n = sys_ipc_read(r->rid, done, chunk, sizeof(chunk));

		if (n < 0 && done == 0)
			return n;
		if (n <= 0)
			break;
		for (long k = 0; k < n; k++) {
			if (chunk[k] == '\n') {
				log_line(r->pid, line, len);
				len = 0;
				continue;
			}
			if (len == sizeof(line)) {
				log_line(r->pid, line, len);
				len = 0;
			}
			line[len++] = chunk[k];
		}
		done += (uint64_t)n;
	}
	if (len)
		log_line(r->pid, line, len);
	return (long)done;
}

static long do_seek(const struct ipc_received *r, struct open_file *f)
{
	int64_t off = (int64_t)r->msg.w[0], base;

	switch (r->msg.w[1]) {
	case VSEEK_SET:
		base = 0;
		break;
	case VSEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case VSEEK_END:
		base = (int64_t)klog_end(&klog);
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

static long do_stat(const struct ipc_received *r)
{
	struct vstat st;
	long n;

	if (r->recv_len < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.ino = 1;
	st.size = klog_end(&klog);
	st.mode = LOG_MODE;
	st.nlink = 1;
	st.blksize = CHUNK;
	n = sys_ipc_write(r->rid, 0, &st, sizeof(st));
	return n < 0 ? n : 0;
}

/* Messages that go to an open file, not to the root. */
static bool needs_file(uint32_t op)
{
	return op == FS_READ || op == FS_WRITE || op == FS_SEEK ||
	       op == FS_STAT || op == FS_READDIR || op == FS_TRUNCATE ||
	       op == FS_FSYNC || op == FS_SETFL;
}

/* Returns the status to reply with, or ANSWERED. */
static long handle(const struct ipc_received *r)
{
	struct open_file *f;

	if (r->badge == 0) {
		if (r->msg.op == FS_OPEN)
			return do_open(r);
		if (needs_file(r->msg.op))
			return -EBADF;
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
	case FS_SEEK:
		return do_seek(r, f);
	case FS_STAT:
		return do_stat(r);
	case FS_SETFL: /* reads never wait: VO_NONBLOCK changes nothing */
		if (r->msg.w[1] == 1)
			return f->flags;
		if (r->msg.w[1] != 0)
			return -EINVAL;
		f->flags = (f->flags & VO_ACCMODE) |
			   ((uint32_t)r->msg.w[0] & (VO_NONBLOCK | VO_APPEND));
		return 0;
	case FS_FSYNC:
		return 0;
	case FS_OPEN:
		return -EBADF; /* on the root */
	}
	return -ENOSYS;
}

/* Deals with one message ipc_recv delivered, and answers it. */
static void serve_one(struct ipc_received *r)
{
	long status;

	if (r->msg.op >= IPC_OP_KERNEL) {
		struct open_file *f = file_lookup(r->badge);

		if (r->msg.op == IPC_OP_CLOSE && f)
			file_free(f);
		return;
	}
	/* No message of the protocol carries handles: drop any. */
	for (uint32_t i = 0; i < r->msg.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(r->msg.handles[i]);
	status = handle(r);
	if (status != ANSWERED)
		sys_ipc_reply(r->rid, status, NULL);
}

/*
 * All files are taken, but CLOSE notices may be queued behind the call
 * being served (a port's calls come before its CLOSEs): serve what is
 * waiting, without blocking, and at most DRAIN_MAX messages.
 */
static void drain(void)
{
	static bool draining;
	struct ipc_received r;

	if (draining)
		return;
	draining = true;
	for (int i = 0; i < DRAIN_MAX && sys_ipc_recv(port, &r, 0) == 0; i++)
		serve_one(&r);
	draining = false;
}

static __attribute__((noreturn)) void serve(void)
{
	struct ipc_received r;

	for (;;) {
		int err = sys_ipc_recv(port, &r, IPC_FOREVER);

		if (err < 0) {
			printf("log: receive failed: error %d\n", err);
			sys_sleep(RETRY_DELAY);
			continue;
		}
		serve_one(&r);
	}
}

int main(int argc, char **argv)
{
	uint64_t size;
	long va, err;
	handle_t root;

	if (valence_initial_handles < LOG_HANDLES) {
		printf("log: started with %u handles, needs %d (klog=yes)\n",
		       valence_initial_handles, LOG_HANDLES);
		return 1;
	}
	va = vm_map_whole(LOG_H_KLOG, VM_READ, &size);
	if (va < 0 || klog_attach(&klog, (const void *)va, size) < 0) {
		printf("log: handle %d is not the kernel log (%ld)\n",
		       LOG_H_KLOG, va);
		return 1;
	}
	sys_handle_close(LOG_H_KLOG); /* the mapping is all it needs */
	port = sys_port_create();
	root = port < 0 ? port : sys_conn_create(port, 0);
	if (root < 0) {
		printf("log: cannot create its port: error %d\n", root);
		return 1;
	}
	err = scheme_register(SCHEME, root);
	if (err < 0) {
		printf("log: cannot register \"" SCHEME "\": error %ld\n", err);
		return 1;
	}
	serve();
}
