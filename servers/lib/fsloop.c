/* The receive loop of a file server: see fsloop.h. */
#include "fsloop.h"
#ifdef __NEWLIB__
#include <stdio.h>
#include <string.h>
#endif

#define RETRY_DELAY 10000000ull /* 10 ms after a failed receive */

handle_t fsloop_port = HANDLE_INVALID;
static const char *server = "fsloop";

/*
 * Takes what ipc_recv delivered.  Returns true for a call to answer;
 * CLOSE (and any other kernel notice) is dealt with here.  Handles a
 * client moved with its call are closed: no message of the file
 * protocol carries any, and keeping them would fill the table.
 */
static bool request_begin(struct request *r)
{
	if (r->in.msg.op >= IPC_OP_KERNEL) {
		if (r->in.msg.op == IPC_OP_CLOSE)
			file_close(r->in.badge);
		return false;
	}
	for (uint32_t i = 0; i < r->in.msg.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(r->in.msg.handles[i]);
	memset(&r->out, 0, sizeof(r->out));
	r->opened = 0;
	return true;
}

/*
 * Replies to r with status.  A connection the reply should have moved
 * is still ours when the reply fails (the caller died): close it and
 * free its open file; the CLOSE that follows finds a stale badge.
 */
static void request_answer(struct request *r, long status)
{
	if (sys_ipc_reply(r->in.rid, status, &r->out) < 0 && r->out.nhandles) {
		sys_handle_close(r->out.handles[0]);
		file_close(r->opened);
	}
}

static void receive_failed(int err)
{
	/* -ESRCH: the reply part of ipc_reply_recv found the caller gone. */
	if (err == -ESRCH)
		return;
	printf("%s: receive failed: error %d\n", server, err);
	sys_sleep(RETRY_DELAY);
}

void fsloop_drain(void)
{
	static bool draining;
	struct request r;

	if (draining)
		return;
	draining = true;
	while (!file_can_open() && sys_ipc_recv(fsloop_port, &r.in, 0) == 0) {
		if (request_begin(&r))
			request_answer(&r, file_request(&r));
	}
	draining = false;
}

void fsloop_serve(const char *name, handle_t port)
{
	static struct request r;
	uint64_t rid = 0;
	long status = 0;
	int err;

	server = name;
	fsloop_port = port;
	for (;;) {
		if (rid)
			err = sys_ipc_reply_recv(rid, status, &r.out, port,
						 &r.in, IPC_FOREVER);
		else
			err = sys_ipc_recv(port, &r.in, IPC_FOREVER);
		rid = 0;
		if (err < 0) {
			receive_failed(err);
			continue;
		}
		if (!request_begin(&r))
			continue;
		status = file_request(&r);
		if (r.out.nhandles)
			request_answer(&r, status);
		else
			rid = r.in.rid;
	}
}
