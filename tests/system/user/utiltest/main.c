/*
 * utiltest: runs every test in the tables of the t_*.c files, prints
 * "pass: NAME", "FAIL: NAME" (with each failed check) or "skipped: NAME:
 * why", then "utiltest: N passed, M failed, K skipped", and leaves QEMU
 * through the isa-debug-exit port its services line grants (handle 4).
 *
 * The children's standard handles are connections to `port`, which the
 * thread in serve() answers (utiltest.h).  The main thread sets up a
 * run's input and empties the captures before it starts the child, and
 * reads them once the child has ended: the child is blocked in each of
 * its calls until serve() has answered it, so nothing is written to the
 * captures after the child is gone.
 */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valence.h>
#include "utiltest.h"

#define QEMU_EXIT_PORT 0xf4
#define H_EXIT_PORT    4 /* after stdin, stdout, stderr and ns: */

#define RUN_TIMEOUT  (60 * 1000000000ull)
#define OUT_MAX	     (512u << 10)
#define ERR_MAX	     (16u << 10)
#define SERVER_STACK (64u << 10)

enum {
	BADGE_STDIN = 1,
	BADGE_STDOUT,
	BADGE_STDERR
};

/* ---- what the server thread shares with the main thread ---- */

static struct {
	const char *in;
	size_t in_len, in_off, chunk, out_limit;
	int tty;
	size_t out_len, err_len;
	int overflow;
} io;
static char out_buf[OUT_MAX], err_buf[ERR_MAX];
static handle_t port, conns[3];
static char server_stack[SERVER_STACK] __attribute__((aligned(16)));

/* FS_READ on stdin: the next bytes of the input, 0 at its end. */
static long serve_read(const struct ipc_received *r)
{
	size_t n = io.in_len - io.in_off;
	long got;

	if (n > r->recv_len)
		n = r->recv_len;
	if (io.chunk && n > io.chunk)
		n = io.chunk;
	if (n == 0)
		return 0;
	got = sys_ipc_write(r->rid, 0, io.in + io.in_off, n);
	if (got > 0)
		io.in_off += (size_t)got;
	return got;
}

/* FS_WRITE on stdout or stderr: append to the capture. */
static long serve_write(const struct ipc_received *r, int is_err)
{
	char *buf = is_err ? err_buf : out_buf;
	size_t *len = is_err ? &io.err_len : &io.out_len;
	size_t max = is_err ? ERR_MAX : OUT_MAX, n = r->send_len;
	long got;

	if (!is_err && io.out_limit) {
		if (io.out_len >= io.out_limit)
			return -EPIPE; /* as a pipe whose reader has gone */
		if (n > io.out_limit - io.out_len)
			n = io.out_limit - io.out_len;
	}
	if (n > max - *len) {
		io.overflow = 1;
		n = max - *len;
		if (n == 0)
			return -ENOSPC;
	}
	got = sys_ipc_read(r->rid, 0, buf + *len, n);
	if (got > 0)
		*len += (size_t)got;
	return got;
}

static long serve_stat(const struct ipc_received *r)
{
	struct vstat st;

	memset(&st, 0, sizeof(st));
	st.mode = io.tty ? (VS_IFCHR | 0620) : (VS_IFIFO | 0600);
	st.nlink = 1;
	st.blksize = 4096;
	return sys_ipc_write(r->rid, 0, &st, sizeof(st)) == sizeof(st)
		       ? 0
		       : -EINVAL;
}

static long serve_one(const struct ipc_received *r)
{
	switch (r->msg.op) {
	case FS_READ:
		return r->badge == BADGE_STDIN ? serve_read(r) : -EBADF;
	case FS_WRITE:
		return r->badge == BADGE_STDIN
			       ? -EBADF
			       : serve_write(r, r->badge == BADGE_STDERR);
	case FS_STAT:
		return serve_stat(r);
	case FS_SEEK:
		return -ESPIPE;
	default:
		return -ENOSYS;
	}
}

/* The server thread: answers the children's standard handles, forever
   (it ends with the process).  No stdio, no malloc: newlib's state is
   the main thread's. */
static void serve(uint64_t arg)
{
	struct ipc_received r;

	(void)arg;
	for (;;) {
		if (sys_ipc_recv(port, &r, IPC_FOREVER) < 0)
			continue;
		if (r.msg.op == IPC_OP_CLOSE || r.rid == 0)
			continue;
		sys_ipc_reply(r.rid, serve_one(&r), NULL);
	}
}

static int start_server(void)
{
	handle_t t;

	port = sys_port_create();
	if (port < 0)
		return port;
	for (int i = 0; i < 3; i++) {
		conns[i] = sys_conn_create(port, (uint64_t)(BADGE_STDIN + i));
		if (conns[i] < 0)
			return conns[i];
	}
	t = sys_thread_create(serve, (uint64_t)(server_stack + SERVER_STACK),
			      0);
	return t < 0 ? t : 0;
}

/* ---- running a utility ---- */

static int failures;
static const char *skipped; /* why the running test was skipped */
const char *writable_dir;

void fail(const char *file, int line, const char *expr, long long got)
{
	printf("  %s:%d: %s (got %lld)\n", file, line, expr, got);
	failures++;
}

void skip(const char *why)
{
	skipped = why;
}

int run_opts(struct result *r, const struct run_opts *o, char *const argv[])
{
	static char *const default_env[] = { "PATH=/bin", "HOME=/", NULL };
	static const struct run_opts none;
	const int fds[3] = { conns[0], conns[1], conns[2] };
	char path[128];
	int proc, st = 0, err;

	if (!o)
		o = &none;
	memset(r, 0, sizeof(*r));
	r->status = -1;
	io.in = o->input ? o->input : "";
	io.in_len = o->input ? (o->input_len == SIZE_MAX ? strlen(o->input)
							 : o->input_len)
			     : 0;
	io.in_off = 0;
	io.chunk = o->chunk;
	io.tty = o->tty;
	io.out_limit = o->out_limit;
	io.out_len = io.err_len = 0;
	io.overflow = 0;
	snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	proc = vspawn_with(path, argv, o->envp ? o->envp : default_env, fds);
	if (proc < 0) {
		printf("  cannot start %s: %s\n", path, strerror(errno));
		failures++;
		return -1;
	}
	err = sys_proc_wait(proc, &st, RUN_TIMEOUT);
	if (err < 0) {
		printf("  %s did not end (%d): killed\n", argv[0], err);
		sys_proc_kill(proc, SIG_KILL);
		sys_proc_wait(proc, &st, RUN_TIMEOUT);
		sys_handle_close(proc);
		failures++;
		return -1;
	}
	sys_handle_close(proc);
	r->signaled = WIFSIGNALED(st);
	r->status = r->signaled ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	r->out = out_buf;
	r->out_len = io.out_len;
	r->err = err_buf;
	r->err_len = io.err_len;
	r->overflow = io.overflow;
	return 0;
}

int start_child(char *const argv[], int *pid)
{
	static char *const env[] = { "PATH=/bin", NULL };
	const int fds[3] = { conns[0], conns[1], conns[2] };
	struct handle_info info;
	char path[128];
	int proc;

	snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	proc = vspawn_with(path, argv, env, fds);
	if (proc < 0 || sys_handle_info(proc, &info) < 0) {
		printf("  cannot start %s: %s\n", path, strerror(errno));
		failures++;
		return -1;
	}
	*pid = (int)info.pid;
	return proc;
}

int end_child(int proc, int kill_it)
{
	int st = 0;

	if (kill_it)
		sys_proc_kill(proc, SIG_KILL);
	if (sys_proc_wait(proc, &st, RUN_TIMEOUT) < 0) {
		printf("  a child did not end: killed\n");
		failures++;
		sys_proc_kill(proc, SIG_KILL);
		sys_proc_wait(proc, &st, RUN_TIMEOUT);
		st = -1;
	}
	sys_handle_close(proc);
	return st;
}

int run_in(struct result *r, const char *input, char *const argv[])
{
	struct run_opts o = { .input = input, .input_len = SIZE_MAX };

	return run_opts(r, &o, argv);
}

/* ---- checks ---- */

/* Prints what = "text" with escapes, cut at 300 bytes. */
static void show(const char *what, const char *s, size_t len)
{
	size_t max = len > 300 ? 300 : len;

	printf("    %s (%zu bytes): \"", what, len);
	for (size_t i = 0; i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			printf("\\n");
		else if (c == '\t')
			printf("\\t");
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 32 || c >= 127)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"%s\n", max < len ? "..." : "");
}

void check_run(const char *file, int line, const struct result *r, int status,
	       const char *out, size_t out_len, const char *err)
{
	int bad = 0;

	if (r->status != status) {
		printf("  %s:%d: exit status %d, want %d\n", file, line,
		       r->status, status);
		bad = 1;
	}
	if (out && (r->out_len != out_len || memcmp(r->out, out, out_len))) {
		printf("  %s:%d: stdout differs\n", file, line);
		show("got ", r->out, r->out_len);
		show("want", out, out_len);
		bad = 1;
	}
	if (err &&
	    (r->err_len != strlen(err) || memcmp(r->err, err, r->err_len))) {
		printf("  %s:%d: stderr differs\n", file, line);
		show("got ", r->err, r->err_len);
		show("want", err, strlen(err));
		bad = 1;
	}
	if (r->overflow) {
		printf("  %s:%d: output overflowed the capture\n", file, line);
		bad = 1;
	}
	if (bad) {
		if (r->err_len && !err)
			show("stderr", r->err, r->err_len);
		failures++;
	}
}

static int contains(const char *text, size_t len, const char *part)
{
	size_t n = strlen(part);

	for (size_t i = 0; n <= len && i <= len - n; i++) {
		if (memcmp(text + i, part, n) == 0)
			return 1;
	}
	return 0;
}

void check_has(const char *file, int line, const char *what, const char *text,
	       size_t len, const char *part)
{
	if (contains(text, len, part))
		return;
	printf("  %s:%d: %s lacks \"%s\"\n", file, line, what, part);
	show(what, text, len);
	failures++;
}

void check_prefix(const char *file, int line, const char *what,
		  const char *text, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	if (len >= n && memcmp(text, prefix, n) == 0)
		return;
	printf("  %s:%d: %s does not start with \"%s\"\n", file, line, what,
	       prefix);
	show(what, text, len);
	failures++;
}

/* ---- helpers for the tests ---- */

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *nb;

	if (!f || !buf) {
		printf("  cannot read %s: %s\n", path, strerror(errno));
		failures++;
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			nb = realloc(buf, cap * 2 + 1);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *numbers(int n)
{
	char *s = malloc((size_t)n * 12 + 1);
	size_t len = 0;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 1; i <= n; i++)
		len += (size_t)sprintf(s + len, "%d\n", i);
	return s;
}

/* ---- the suite ---- */

static const struct test *const groups[] = {
	text_tests,
	sys_tests,
	file_tests,
	change_tests,
};

static void qemu_exit(int pass)
{
	uint32_t v = pass ? 16 : 17; /* QEMU exits with 2v + 1: 33 or 35 */

	if (valence_initial_handles <= H_EXIT_PORT)
		return; /* not granted: an ordinary run */
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(QEMU_EXIT_PORT));
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, nskipped = 0, err;

	writable_dir = getenv("UTILTEST_DIR");
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "-w") == 0)
			writable_dir = argv[++i];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("utiltest: starting (pid %d)\n", (int)valence_pid);
	err = start_server();
	if (err < 0) {
		printf("FAIL: utiltest cannot serve its children (%d)\n", err);
		qemu_exit(0);
		return 1;
	}
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct test *t = groups[g]; t->name; t++) {
			failures = 0;
			skipped = NULL;
			t->fn();
			if (failures) {
				printf("FAIL: %s\n", t->name);
				failed++;
			} else if (skipped) {
				printf("skipped: %s: %s\n", t->name, skipped);
				nskipped++;
			} else {
				printf("pass: %s\n", t->name);
				passed++;
			}
		}
	}
	printf("utiltest: %d passed, %d failed, %d skipped\n", passed, failed,
	       nskipped);
	fflush(stdout);
	qemu_exit(failed == 0);
	return failed ? 1 : 0;
}
