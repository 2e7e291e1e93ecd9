/*
 * initfs: serves the boot archive read-only as the scheme initfs:.
 *
 * Start-up contract (what whoever spawns it must pass):
 *
 *   handles 0, 1, 2  standard input, output, error: any handles (unused)
 *   handle 3         PROC_H_NS: a connection to the name service
 *   handle 4         a memory object holding the boot archive, with
 *                    RIGHT_READ and RIGHT_MAP (a ustar file, tools/mkinitfs)
 *
 * It maps the archive read-only, indexes it (index.c), makes a port and a
 * root connection with badge 0, and registers "initfs" with NS_REGISTER
 * on handle 3, moving the root connection to ns; each argument after
 * argv[0] is another name to register for the same files (with its own
 * root connection): `-- file` makes it serve file: too, until a real
 * filesystem does.  Any failure up to here is logged ("initfs: ...") and
 * ends the server with status 1.  Then it
 * answers the file protocol forever (file.c); docs/servers.md has the
 * details a client sees.
 */
#include "initfs.h"

#define SCHEME	    "initfs"
#define RETRY_DELAY 10000000ull /* 10 ms after a failed receive */

handle_t initfs_port;

/* Maps the archive in handle 4 read-only; *size gets its mapped size. */
static int archive_map(const void **archive, size_t *size)
{
	uint64_t n;
	long va = vm_map_whole(INITFS_H_ARCHIVE, VM_READ, &n);

	if (va < 0)
		return (int)va;
	*archive = (const void *)va;
	*size = n;
	return 0;
}

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
	printf("initfs: receive failed: error %d\n", err);
	sys_sleep(RETRY_DELAY);
}

void initfs_drain(void)
{
	static bool draining;
	struct request r;

	if (draining)
		return;
	draining = true;
	while (!file_can_open() && sys_ipc_recv(initfs_port, &r.in, 0) == 0) {
		if (request_begin(&r))
			request_answer(&r, file_request(&r));
	}
	draining = false;
}

/*
 * The loop.  A reply without handles goes out with the next receive
 * (ipc_reply_recv); one that moves a connection is sent alone, so that a
 * failure is known to be the reply's and the connection can be closed.
 */
static __attribute__((noreturn)) void serve(void)
{
	struct request r;
	uint64_t rid = 0;
	long status = 0;
	int err;

	memset(&r, 0, sizeof(r));
	for (;;) {
		if (rid)
			err = sys_ipc_reply_recv(rid, status, &r.out,
						 initfs_port, &r.in,
						 IPC_FOREVER);
		else
			err = sys_ipc_recv(initfs_port, &r.in, IPC_FOREVER);
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

int main(int argc, char **argv)
{
	const void *archive = NULL;
	size_t size = 0;
	handle_t root;
	long err;

	if (valence_initial_handles < INITFS_HANDLES) {
		printf("initfs: started with %u handles, needs %d\n",
		       valence_initial_handles, INITFS_HANDLES);
		return 1;
	}
	err = archive_map(&archive, &size);
	if (err < 0) {
		printf("initfs: cannot map the archive (handle %d): error %ld\n",
		       INITFS_H_ARCHIVE, err);
		return 1;
	}
	sys_handle_close(INITFS_H_ARCHIVE); /* the mapping is all it needs */
	err = index_build(archive, size);
	if (err < 0) {
		printf("initfs: cannot index the archive: error %ld\n", err);
		return 1;
	}
	initfs_port = sys_port_create();
	if (initfs_port < 0) {
		printf("initfs: cannot create a port: error %d\n", initfs_port);
		return 1;
	}
	for (int i = 0; i == 0 || i < argc; i++) {
		const char *name = i == 0 ? SCHEME : argv[i];

		root = sys_conn_create(initfs_port, 0);
		if (root < 0) {
			printf("initfs: cannot create a root connection: "
			       "error %d\n",
			       root);
			return 1;
		}
		err = scheme_register(name, root);
		if (err < 0) {
			printf("initfs: cannot register \"%s\" with ns: "
			       "error %ld\n",
			       name, err);
			return 1;
		}
	}
	serve();
}
