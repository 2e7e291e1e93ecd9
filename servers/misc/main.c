/*
 * misc: serves null:, zero: and rand: (docs/servers.md).
 *
 * Start-up contract (what init, or whoever spawns it, must pass):
 *
 *   handles 0, 1, 2  standard input, output, error (unused: misc logs to
 *                    the kernel log, "misc: ...")
 *   handle 3         PROC_H_NS: a connection to the name service, which
 *                    must let it register "null", "zero" and "rand"
 *
 * It seeds the rand: generator (entropy.c), makes a port and one root
 * connection per scheme, with the device number as its badge, and
 * registers the three names with NS_REGISTER, moving each root to ns.  A
 * failure up to there is logged and ends the server with status 1.  Then
 * it answers the file protocol forever (device.c).
 */
#include "misc.h"

#define RETRY_DELAY 10000000ull /* 10 ms after a failed receive */

handle_t misc_port = HANDLE_INVALID;
struct rng misc_rng;

void misc_rng_maybe_reseed(void)
{
	uint8_t seed[ENTROPY_MAX];
	enum entropy_source source;
	uint64_t now = sys_clock_get();
	size_t n;

	if (!rng_reseed_due(&misc_rng, now))
		return;
	n = entropy_gather(seed, &source);
	rng_reseed(&misc_rng, seed, n, now);
	for (size_t i = 0; i < sizeof(seed); i++)
		((volatile uint8_t *)seed)[i] = 0;
	if (misc_rng.reseeds == 1)
		printf("misc: rand: seeded from %s\n",
		       entropy_source_name(source));
}

/* Makes the root of every device and registers its scheme. */
static int register_all(void)
{
	for (uint32_t dev = 1; dev < MISC_DEVICES; dev++) {
		const char *scheme = device_scheme(dev);
		handle_t root = sys_conn_create(misc_port, dev);
		long err;

		if (root < 0) {
			printf("misc: cannot create the root of %s: error %d\n",
			       scheme, root);
			return root;
		}
		err = scheme_register(scheme, root);
		if (err < 0) {
			printf("misc: cannot register \"%s\" with ns: error "
			       "%ld\n",
			       scheme, err);
			return (int)err;
		}
	}
	return 0;
}

/*
 * Takes what ipc_recv delivered.  Returns true for a call to answer.
 * CLOSE needs nothing (an open file is only a badge).  Handles a client
 * moved with its call are closed: no message of the protocol takes any.
 */
static bool request_begin(struct request *r)
{
	if (r->in.msg.op >= IPC_OP_KERNEL)
		return false;
	for (uint32_t i = 0; i < r->in.msg.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(r->in.msg.handles[i]);
	memset(&r->out, 0, sizeof(r->out));
	return true;
}

static void receive_failed(int err)
{
	/* -ESRCH: the reply part of ipc_reply_recv found the caller gone. */
	if (err == -ESRCH)
		return;
	printf("misc: receive failed: error %d\n", err);
	sys_sleep(RETRY_DELAY);
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
			err = sys_ipc_reply_recv(rid, status, &r.out, misc_port,
						 &r.in, IPC_FOREVER);
		else
			err = sys_ipc_recv(misc_port, &r.in, IPC_FOREVER);
		rid = 0;
		if (err < 0) {
			receive_failed(err);
			continue;
		}
		if (!request_begin(&r))
			continue;
		status = device_request(&r);
		if (!r.out.nhandles) {
			rid = r.in.rid;
			continue;
		}
		if (sys_ipc_reply(r.in.rid, status, &r.out) < 0)
			sys_handle_close(r.out.handles[0]); /* caller gone */
	}
}

int main(int argc, char **argv)
{
	if (valence_initial_handles < PROC_HANDLES) {
		printf("misc: started with %u handles, needs %d\n",
		       valence_initial_handles, PROC_HANDLES);
		return 1;
	}
	rng_init(&misc_rng);
	misc_rng_maybe_reseed(); /* before anyone can read rand: */
	misc_port = sys_port_create();
	if (misc_port < 0) {
		printf("misc: cannot create a port: error %d\n", misc_port);
		return 1;
	}
	if (register_all() < 0)
		return 1;
	serve();
}
