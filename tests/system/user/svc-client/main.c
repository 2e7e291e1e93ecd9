/*
 * svc-client: the init service test (tests/system/init_cases.py), started
 * by init from etc/services.test.  It checks ns: policy and restarts from
 * the point of view of a service, prints `svc-client: N passed, M failed`
 * to its standard output (init logs it as "[client] ...") and leaves QEMU
 * through the isa-debug-exit port, which its line grants (handle 4).
 */
#include <valence.h>
#include <stdbool.h>
#include <valence/proto.h>

#define QEMU_EXIT_PORT 0xf4
#define ECHO_ADD       1
#define ECHO_EXIT      2

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int passed, failed;

static void say(const char *s)
{
	char buf[160];
	struct ipc_msg m;
	size_t n = strlen(s);

	if (n > sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\n';
	struct ipc_buffers b = { buf, n + 1, NULL, 0 };
	memset(&m, 0, sizeof(m));
	m.op = FS_WRITE;
	sys_ipc_call(PROC_H_STDOUT, &m, &b);
}

static void check(bool ok, const char *what)
{
	char line[160];

	ksnprintf(line, sizeof(line), "%s: %s", ok ? "pass" : "FAIL", what);
	say(line);
	if (ok)
		passed++;
	else
		failed++;
}

/* NS_LOOKUP or NS_WAIT of `name`; returns the handle or -errno. */
static handle_t ns(uint32_t op, const char *name, handle_t give)
{
	struct ipc_msg m;
	struct ipc_buffers b = { name, strlen(name), NULL, 0 };
	long err;

	memset(&m, 0, sizeof(m));
	m.op = op;
	if (give >= 0) {
		m.nhandles = 1;
		m.handles[0] = give;
	}
	err = sys_ipc_call(PROC_H_NS, &m, &b);
	if (err < 0)
		return (handle_t)err;
	return m.nhandles == 1 ? m.handles[0] : 0;
}

static long echo(handle_t conn, uint32_t op, uint64_t v, uint64_t *out)
{
	struct ipc_msg m;
	long err;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = v;
	err = sys_ipc_call(conn, &m, NULL);
	if (out)
		*out = m.w[0];
	return err;
}

int main(int argc, char **argv)
{
	handle_t conn, again, port;
	uint64_t v = 0;
	long err;

	conn = ns(NS_LOOKUP, "echo", -1);
	check(conn > 0, "ns: lookup of a scheme the line lets it see");
	err = echo(conn, ECHO_ADD, 41, &v);
	check(err == 0 && v == 42, "a call through the looked-up root");
	check(ns(NS_LOOKUP, "crashy", -1) == -EACCES,
	      "ns: a scheme not in see= is -EACCES");
	check(ns(NS_LOOKUP, "nosuch", -1) == -EACCES,
	      "ns: an unknown scheme not in see= is -EACCES too");
	check(ns(NS_LOOKUP, "Bad!", -1) == -EINVAL,
	      "ns: a bad name is -EINVAL");
	port = sys_port_create();
	check(ns(NS_REGISTER, "client", sys_conn_create(port, 0)) == -EACCES,
	      "ns: registering a name not in register= is -EACCES");
	check(ns(NS_REGISTER, "echo", sys_conn_create(port, 0)) == -EACCES,
	      "ns: someone else's scheme cannot be taken");

	/* The server exits (status 3): init restarts it (on-failure). */
	err = echo(conn, ECHO_EXIT, 0, NULL);
	check(err == -EPIPE, "a call to a server that exits returns -EPIPE");
	check(echo(conn, ECHO_ADD, 1, NULL) == -EPIPE,
	      "the old root stays dead");
	sys_handle_close(conn);
	again = ns(NS_WAIT, "echo", -1);
	check(again > 0, "ns: NS_WAIT gets the restarted server");
	err = echo(again, ECHO_ADD, 1, &v);
	check(err == 0 && v == 2, "the restarted server answers");

	char line[80];
	ksnprintf(line, sizeof(line), "svc-client: %d passed, %d failed",
		  passed, failed);
	say(line);
	__asm__ volatile("outl %0, %1"
			 :
			 : "a"((uint32_t)(failed ? 0x11 : 0x10)),
			   "Nd"((uint16_t)QEMU_EXIT_PORT));
	return failed != 0;
}
