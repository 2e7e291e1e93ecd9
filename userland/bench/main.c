/*
 * bench: kernel micro-benchmarks, the pipe server's round trip (it
 * starts bin/pipe itself: run=bench starts no services), fork+exec+wait
 * of bin/true and `sh -c true`.  Run by
 * `make bench` under QEMU with
 * -icount shift=0,sleep=off, where the TSC counts guest instructions, so
 * every figure below is "guest instructions per operation" and repeats
 * exactly from run to run.  Prints one line per figure:
 *   bench: <name>: <instructions per operation>
 */
#include <valence.h>
#include <valence/syscall_raw.h>
#include "tar.h"

#define ROUNDS		2000
#define WARMUP		100
#define STACK_SIZE	(64 * 1024)
#define OP_PING		1
#define OP_BUFFER	2
#define OP_STOP		3

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void report(const char *name, uint64_t start, uint64_t end, int n)
{
	printf("bench: %s: %lu\n", name, (unsigned long)((end - start) / n));
}

/* ---- the server side, a second process ---- */

static char server_buf[4096];

static int serve(handle_t port)
{
	struct ipc_received in;
	struct ipc_msg out = { 0 };
	uint64_t rid = 0;
	long status = 0;

	for (;;) {
		if (sys_ipc_reply_recv(rid, status, rid ? &out : 0, port, &in,
				       IPC_FOREVER) < 0)
			return 1;
		rid = in.rid;
		status = 0;
		if (in.msg.op == OP_BUFFER)
			status = sys_ipc_read(rid, 0, server_buf,
					      sizeof(server_buf));
		else if (in.msg.op == OP_STOP) {
			sys_ipc_reply(rid, 0, 0);
			return 0;
		}
	}
}

/* ---- threads for the switch and notification figures ---- */

static volatile int stop;
static handle_t ping_n, pong_n;

static void yielder(uint64_t arg)
{
	while (!stop)
		sys_yield();
	sys_thread_exit(0);
}

static void ponger(uint64_t arg)
{
	uint64_t bits;

	for (int i = 0; i < ROUNDS + WARMUP; i++) {
		sys_notify_wait(ping_n, IPC_FOREVER, &bits);
		sys_notify_signal(pong_n, 1);
	}
	sys_thread_exit(0);
}

static uint64_t new_stack(void)
{
	handle_t m = sys_mem_create(STACK_SIZE, 0);
	long va = sys_vm_map(m, 0, 0, STACK_SIZE, VM_READ | VM_WRITE);

	sys_handle_close(m);
	return va < 0 ? 0 : (uint64_t)va + STACK_SIZE;
}

static handle_t spawn_server(handle_t port, const void *image, size_t len)
{
	static const char args[] = "bench\0server";
	struct spawn_args a = {
		.image = image, .image_len = len, .handles = &port,
		.nhandles = 1, .args = args, .args_len = sizeof(args),
		.name = "bench-server",
	};

	return sys_proc_spawn(&a);
}

/* The boot archive (handle 0, as ktest gets it), mapped when needed. */
static long archive_va = -1;
static uint64_t archive_size;

static int archive_find(const char *name, const void **image, size_t *len)
{
	long va;
	struct tar_entry e;

	if (archive_va < 0)
		archive_va = vm_map_whole(0, VM_READ, &archive_size);
	va = archive_va;
	if (va < 0 || tar_find((void *)va, archive_size, name, &e))
		return -1;
	*image = e.data;
	*len = e.size;
	return 0;
}

static int find_self(const void **image, size_t *len)
{
	return archive_find("bin/bench", image, len);
}

/* ---- pipe round trip: bin/pipe started here, a second bench echoing ---- */

#define BADGE_STDIO 1
#define BADGE_NS    2

/* The echo side: one byte from handle 0 back out on handle 1, until the
   end of the data. */
static int pipe_echo(void)
{
	char c;

	while (file_read(0, &c, 1) == 1)
		if (file_write(1, &c, 1) != 1)
			return 1;
	return 0;
}

static handle_t spawn(const void *image, size_t len, const char *args,
		      size_t args_len, const handle_t *hs, uint32_t n,
		      const char *name)
{
	struct spawn_args a = {
		.image = image,
		.image_len = len,
		.handles = hs,
		.nhandles = n,
		.args = args,
		.args_len = args_len,
		.name = name,
	};

	return sys_proc_spawn(&a);
}

/*
 * Starts bin/pipe as init would, with a port of ours standing in for ns
 * (and for its standard handles, which it does not use), and takes the
 * root it registers.  Returns the root, or -errno; *server gets the
 * process.
 */
static handle_t start_pipe_server(handle_t *server)
{
	static const char args[] = "pipe";
	struct ipc_received in;
	struct tar_entry e;
	handle_t port, hs[4], root;
	uint64_t size;
	long va = vm_map_whole(0, VM_READ, &size);

	if (va < 0 || tar_find((void *)va, size, "bin/pipe", &e))
		return -ENOENT;
	port = sys_port_create();
	hs[0] = hs[1] = hs[2] = sys_conn_create(port, BADGE_STDIO);
	hs[3] = sys_conn_create(port, BADGE_NS);
	if (port < 0 || hs[0] < 0 || hs[3] < 0)
		return -ENOMEM;
	*server = spawn(e.data, e.size, args, sizeof(args), hs, 4, "pipe");
	sys_handle_close(hs[0]);
	sys_handle_close(hs[3]);
	if (*server < 0)
		return *server;
	if (sys_ipc_recv(port, &in, IPC_FOREVER) < 0 ||
	    in.msg.op != NS_REGISTER || in.msg.nhandles != 1)
		return -EIO;
	root = in.msg.handles[0];
	sys_ipc_reply(in.rid, 0, 0);
	sys_handle_close(port);
	return root;
}

/* PIPE_CREATE on root: ends[0] read, ends[1] write. */
static int make_pipe(handle_t root, handle_t ends[2])
{
	struct ipc_msg m = { .op = PIPE_CREATE };
	long r = sys_ipc_call(root, &m, 0);

	if (r < 0)
		return (int)r;
	if (m.nhandles != 2)
		return -EIO;
	ends[0] = m.handles[0];
	ends[1] = m.handles[1];
	return 0;
}

/*
 * One byte to a second process through one pipe and back through
 * another, as lmbench's lat_pipe: per round trip two writes, two reads,
 * each one IPC round trip to the pipe server.
 */
static int bench_pipe(const void *self, size_t self_len)
{
	static const char args[] = "bench\0pipe-echo";
	handle_t server, root, there[2], back[2], echo, hs[2];
	uint64_t t0;
	int status;
	char c = 'x';

	root = start_pipe_server(&server);
	if (root < 0) {
		printf("bench: cannot start bin/pipe: error %d\n", root);
		return 1;
	}
	if (make_pipe(root, there) < 0 || make_pipe(root, back) < 0) {
		printf("bench: PIPE_CREATE failed\n");
		return 1;
	}
	hs[0] = there[0];
	hs[1] = back[1];
	echo = spawn(self, self_len, args, sizeof(args), hs, 2, "bench-echo");
	sys_handle_close(there[0]);
	sys_handle_close(back[1]);
	if (echo < 0) {
		printf("bench: cannot start the echo process\n");
		return 1;
	}
	for (int i = 0; i < WARMUP; i++) {
		if (file_write(there[1], &c, 1) != 1 ||
		    file_read(back[0], &c, 1) != 1) {
			printf("bench: pipe round trip failed\n");
			return 1;
		}
	}
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++) {
		file_write(there[1], &c, 1);
		file_read(back[0], &c, 1);
	}
	report("pipe round trip (1 byte)", t0, rdtsc(), ROUNDS);
	sys_handle_close(there[1]); /* the echo sees the end and exits */
	sys_proc_wait(echo, &status, IPC_FOREVER);
	sys_handle_close(back[0]);
	sys_handle_close(root);
	sys_proc_kill(server, SIG_KILL);
	sys_proc_wait(server, &status, IPC_FOREVER);
	return 0;
}

/* ---- processes: fork+exec+wait, and the shell's start ---- */

#define PROC_ROUNDS 50
#define PROC_WARMUP 5

/*
 * A copy of a program of the archive in memory of our own, and the
 * archive unmapped: a fork would map its 8 MB into every child.
 */
static int image_copy(const char *name, const void **image, size_t *len)
{
	const void *src;
	handle_t mem;
	long va;

	if (archive_find(name, &src, len))
		return -1;
	mem = sys_mem_create((*len + 4095) & ~4095ul, 0);
	va = mem < 0 ? mem : sys_vm_map(mem, 0, 0, (*len + 4095) & ~4095ul,
					 VM_READ | VM_WRITE);
	if (mem >= 0)
		sys_handle_close(mem);
	if (va < 0)
		return -1;
	memcpy((void *)va, src, *len);
	*image = (const void *)va;
	sys_vm_unmap((uint64_t)archive_va, archive_size);
	archive_va = -1;
	return 0;
}

/* PROC_ROUNDS of fork and wait, the child exec'ing image (or, without
   one, exiting at once): the instructions per round, or 0 on failure. */
static uint64_t fork_rounds(const void *image, size_t len)
{
	static const char args[] = "true";
	uint64_t t0 = 0;
	int st = -1;

	for (int i = 0; i < PROC_WARMUP + PROC_ROUNDS; i++) {
		handle_t h;

		if (i == PROC_WARMUP)
			t0 = rdtsc();
		h = sys_proc_fork();
		if (h == 0) {
			if (image)
				sys_proc_exec(image, len, args, sizeof(args),
					      1);
			sys_proc_exit(image ? 127 : 0);
		}
		if (h < 0 || sys_proc_wait(h, &st, IPC_FOREVER) < 0 || st != 0) {
			printf("bench: fork failed (%d, status %d)\n", h, st);
			return 0;
		}
		sys_handle_close(h);
	}
	return (rdtsc() - t0) / PROC_ROUNDS;
}

/*
 * fork, exec of bin/true (a newlib program, as the utilities are) in the
 * child, wait in the parent: the Unix way to run a program, from a small
 * process (the archive unmapped); and fork alone, the child exiting.
 */
static int bench_fork_exec(void)
{
	const void *image;
	uint64_t fork_only, fork_exec;
	size_t len;

	if (image_copy("bin/true", &image, &len)) {
		printf("bench: no bin/true in the boot archive\n");
		return 1;
	}
	fork_only = fork_rounds(NULL, 0);
	fork_exec = fork_rounds(image, len);
	if (!fork_only || !fork_exec)
		return 1;
	printf("bench: fork+exit+wait: %lu\n", (unsigned long)fork_only);
	printf("bench: fork+exec+wait (bin/true): %lu\n",
	       (unsigned long)fork_exec);
	return 0;
}

/* bin/sh started with -c true (a built-in) and waited for: what running
   a command line costs before the command itself. */
static int bench_sh(void)
{
	static const char args[] = "sh\0-c\0true";
	const void *image;
	uint64_t t0 = 0;
	size_t len;
	int st = -1;

	if (archive_find("bin/sh", &image, &len)) {
		printf("bench: no bin/sh in the boot archive\n");
		return 1;
	}
	for (int i = 0; i < PROC_WARMUP + PROC_ROUNDS; i++) {
		handle_t h;

		if (i == PROC_WARMUP)
			t0 = rdtsc();
		h = spawn(image, len, args, sizeof(args), NULL, 0, "sh");
		if (h < 0 || sys_proc_wait(h, &st, IPC_FOREVER) < 0 ||
		    st != 0) {
			printf("bench: sh -c true failed (%d, status %d)\n", h,
			       st);
			return 1;
		}
		sys_handle_close(h);
	}
	report("sh -c true", t0, rdtsc(), PROC_ROUNDS);
	return 0;
}

int main(int argc, char **argv)
{
	struct ipc_msg msg = { 0 };
	struct ipc_buffers bufs = { 0 };
	static char buf[4096];
	const void *image;
	handle_t port, conn, server;
	uint64_t t0, t1, bits;
	size_t len;
	int status;

	if (argc > 1 && argv[1][0] == 's')
		return serve(0);
	if (argc > 1 && argv[1][0] == 'p')
		return pipe_echo();
	if (find_self(&image, &len)) {
		printf("bench: cannot find bin/bench in the boot archive\n");
		return 1;
	}

	/* Null system call: an unknown number, entry and exit only. */
	for (int i = 0; i < WARMUP; i++)
		syscall0(1000);
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++)
		syscall0(1000);
	report("null syscall", t0, rdtsc(), ROUNDS);

	/* IPC round trips to a server in another process. */
	port = sys_port_create();
	conn = sys_conn_create(port, 7);
	server = spawn_server(port, image, len);
	if (port < 0 || conn < 0 || server < 0) {
		printf("bench: setup failed (%d %d %d)\n", port, conn, server);
		return 1;
	}
	msg.op = OP_PING;
	for (int i = 0; i < WARMUP; i++) {
		if (sys_ipc_call(conn, &msg, 0) < 0) {
			printf("bench: ipc_call failed\n");
			return 1;
		}
	}
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++) {
		msg.op = OP_PING;
		msg.nhandles = 0;
		sys_ipc_call(conn, &msg, 0);
	}
	report("ipc round trip (registers only)", t0, rdtsc(), ROUNDS);

	bufs.send = buf;
	bufs.send_len = sizeof(buf);
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++) {
		msg.op = OP_BUFFER;
		msg.nhandles = 0;
		sys_ipc_call(conn, &msg, &bufs);
	}
	report("ipc round trip with 4 KiB buffer", t0, rdtsc(), ROUNDS);
	msg.op = OP_STOP;
	sys_ipc_call(conn, &msg, 0);
	sys_proc_wait(server, &status, IPC_FOREVER);

	/* Thread switch: two threads of one process yielding in turn. */
	sys_thread_create(yielder, new_stack(), 0);
	for (int i = 0; i < WARMUP; i++)
		sys_yield();
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++)
		sys_yield();
	t1 = rdtsc();
	report("thread switch (yield)", t0, t1, 2 * ROUNDS);
	stop = 1;
	sys_yield();

	/* Notification signal to wake, measured as half a ping-pong. */
	ping_n = sys_notify_create();
	pong_n = sys_notify_create();
	sys_thread_create(ponger, new_stack(), 0);
	for (int i = 0; i < WARMUP; i++) {
		sys_notify_signal(ping_n, 1);
		sys_notify_wait(pong_n, IPC_FOREVER, &bits);
	}
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++) {
		sys_notify_signal(ping_n, 1);
		sys_notify_wait(pong_n, IPC_FOREVER, &bits);
	}
	report("notification signal to wake", t0, rdtsc(), 2 * ROUNDS);

	if (bench_pipe(image, len))
		return 1;
	if (bench_sh() || bench_fork_exec()) /* this one unmaps the archive */
		return 1;
	printf("bench: done\n");
	return 0;
}
