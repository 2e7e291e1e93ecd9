/*
 * pipe: serves pipe:, anonymous pipes (docs/servers.md).
 *
 * Start-up contract (what init, or whoever spawns it, must pass):
 *
 *   handles 0, 1, 2  standard input, output, error: any handles (unused:
 *                    pipe logs to the kernel log, "pipe: ...")
 *   handle 3         PROC_H_NS: a connection to the name service, which
 *                    must let it register "pipe"
 *
 * It makes a port and a root connection with badge 0 and registers
 * "pipe" with NS_REGISTER, moving the root to ns.  A failure up to there
 * is logged and ends the server with status 1.  Then it serves forever.
 *
 * The loop keeps a queue of calls received but not yet answered.  The
 * kernel hands out a port's queued calls before its CLOSE notices, so a
 * client's write that follows its close() of the read end reaches the
 * server first; before answering a call whose answer a CLOSE could change
 * (pipe_needs_sync) the loop takes everything already waiting on the
 * port without blocking, handling CLOSEs at once and queueing calls.
 */
#include <stdarg.h>
#include <stdio.h>
#include "pipe.h"

#define SCHEME	    "pipe"
#define QUEUE_MAX   64		/* calls received, not yet answered */
#define RETRY_DELAY 10000000ull /* 10 ms after a failed receive */

handle_t pipe_port = HANDLE_INVALID;

static struct ipc_received queue[QUEUE_MAX];
static unsigned queue_head, queue_count;

/* The reply held back, to go out with the next receive (rid 0: none). */
static uint64_t held_rid;
static long held_status;

void pipe_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	memcpy(line, "pipe: ", 6);
	va_start(ap, fmt);
	n = vsnprintf(line + 6, sizeof(line) - 6, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += 6;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	sys_debug_log(line, (size_t)n);
}

void pipe_reply(uint64_t rid, long status)
{
	if (held_rid)
		sys_ipc_reply(held_rid, held_status, NULL); /* -ESRCH: gone */
	held_rid = rid;
	held_status = status;
}

/* Receives one message into *in, sending the held reply with it. */
static int receive(struct ipc_received *in, uint64_t timeout)
{
	uint64_t rid = held_rid;
	int err;

	if (rid) {
		held_rid = 0;
		err = sys_ipc_reply_recv(rid, held_status, NULL, pipe_port, in,
					 timeout);
		if (err != -ESRCH)
			return err;
		/* The caller had gone: nothing was received. */
	}
	return sys_ipc_recv(pipe_port, in, timeout);
}

static struct ipc_received *queue_tail(void)
{
	return &queue[(queue_head + queue_count) % QUEUE_MAX];
}

/*
 * Takes the message just received into queue_tail(): a CLOSE is handled
 * at once, a call is queued.  Handles a client moved with a call are
 * closed: no message of the protocol takes any.
 */
static void queue_take(struct ipc_received *in)
{
	if (in->msg.op == IPC_OP_CLOSE) {
		pipe_closed(in->badge);
		return;
	}
	if (in->msg.op >= IPC_OP_KERNEL)
		return;
	for (uint32_t i = 0; i < in->msg.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(in->msg.handles[i]);
	queue_count++;
}

static void receive_failed(int err)
{
	pipe_log("receive failed: error %d", err);
	sys_sleep(RETRY_DELAY);
}

/*
 * Takes every message already waiting on the port, without blocking.
 * Returns true when the port was emptied, false when the queue filled
 * first (the rest stays in the kernel) or a receive failed.
 */
static bool drain(void)
{
	while (queue_count < QUEUE_MAX) {
		struct ipc_received *in = queue_tail();
		int err = receive(in, 0);

		if (err == -ETIMEDOUT)
			return true;
		if (err < 0) {
			receive_failed(err);
			return false;
		}
		queue_take(in);
	}
	return false;
}

static __attribute__((noreturn)) void serve(void)
{
	bool synced = false; /* the queued calls came after a drain */

	for (;;) {
		struct ipc_received *in;
		int err;

		if (queue_count == 0) {
			synced = false;
			in = queue_tail();
			err = receive(in, IPC_FOREVER);
			if (err < 0)
				receive_failed(err);
			else
				queue_take(in);
			continue;
		}
		in = &queue[queue_head];
		if (!synced && pipe_needs_sync(in))
			synced = drain();
		pipe_request(in);
		queue_head = (queue_head + 1) % QUEUE_MAX;
		queue_count--;
	}
}

int main(int argc, char **argv)
{
	handle_t root;
	long err;

	if (valence_initial_handles < PROC_HANDLES) {
		pipe_log("started with %u handles, needs %d",
			 valence_initial_handles, PROC_HANDLES);
		return 1;
	}
	pipe_init();
	pipe_port = sys_port_create();
	if (pipe_port < 0) {
		pipe_log("cannot create a port: error %d", pipe_port);
		return 1;
	}
	root = sys_conn_create(pipe_port, BADGE_ROOT);
	if (root < 0) {
		pipe_log("cannot create the root: error %d", root);
		return 1;
	}
	err = scheme_register(SCHEME, root);
	if (err < 0) {
		pipe_log("cannot register \"%s\" with ns: error %ld", SCHEME,
			 err);
		return 1;
	}
	serve();
}
