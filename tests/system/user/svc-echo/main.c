/*
 * svc-echo: a tiny service for the init tests (etc/services.test).  It
 * registers the scheme named like its service (argv[0]) and answers
 * ECHO_ADD with w[0] + 1 and ECHO_EXIT by exiting with status 3.  Its
 * argument picks another behaviour:
 *
 *   crash  register, then die at once from a NULL write, so that init's
 *          back-off is exercised (svc-client sees each instance appear)
 *   exit   exit with status 0 at once, without registering
 */
#include <valence.h>
#include <valence/proto.h>

#define ECHO_ADD  1
#define ECHO_EXIT 2

static long ns_register(const char *name, handle_t root)
{
	struct ipc_buffers b = { name, strlen(name), NULL, 0 };
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.op = NS_REGISTER;
	m.nhandles = 1;
	m.handles[0] = root;
	return sys_ipc_call(PROC_H_NS, &m, &b);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	struct ipc_received r;
	struct ipc_msg m;
	handle_t port, root;
	long err;

	if (strcmp(mode, "exit") == 0)
		return 0;
	port = sys_port_create();
	root = sys_conn_create(port, 0);
	if (port < 0 || root < 0)
		return 1;
	err = ns_register(argv[0], root);
	if (err < 0) {
		printf("svc-echo: cannot register %s: %ld\n", argv[0], err);
		return 1;
	}
	if (strcmp(mode, "crash") == 0)
		*(volatile int *)0 = 1;
	for (;;) {
		if (sys_ipc_recv(port, &r, IPC_FOREVER) < 0)
			return 1;
		if (r.msg.op == IPC_OP_CLOSE)
			continue;
		if (r.msg.op == ECHO_EXIT)
			return 3;
		memset(&m, 0, sizeof(m));
		m.w[0] = r.msg.w[0] + 1;
		sys_ipc_reply(r.rid, r.msg.op == ECHO_ADD ? 0 : -ENOSYS, &m);
	}
}
