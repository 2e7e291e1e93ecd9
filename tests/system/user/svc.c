/*
 * Helpers for test programs run as services (svc.h).
 */
#include "svc.h"

int svc_passed, svc_failed;

void svc_say(const char *fmt, ...)
{
	char buf[200];
	struct ipc_buffers b = { buf, 0, NULL, 0 };
	struct ipc_msg m;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n] = '\n';
	b.send_len = (uint64_t)n + 1;
	memset(&m, 0, sizeof(m));
	m.op = FS_WRITE;
	sys_ipc_call(PROC_H_STDOUT, &m, &b);
}

void svc_check(bool ok, const char *what, long got)
{
	if (ok) {
		svc_say("pass: %s", what);
		svc_passed++;
	} else {
		svc_say("FAIL: %s (got %ld)", what, got);
		svc_failed++;
	}
}

handle_t svc_ns(uint32_t op, const char *name, handle_t give, uint64_t w0)
{
	struct ipc_buffers b = { name, strlen(name), NULL, 0 };
	struct ipc_msg m;
	long err;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.w[0] = w0;
	if (give >= 0) {
		m.nhandles = 1;
		m.handles[0] = give;
	}
	err = sys_ipc_call(PROC_H_NS, &m, &b);
	if (err < 0)
		return (handle_t)err;
	return m.nhandles == 1 ? m.handles[0] : 0;
}

long svc_call(handle_t conn, uint32_t op, uint64_t v, uint64_t *out)
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

void svc_summary(const char *prog)
{
	svc_say("%s: %d passed, %d failed", prog, svc_passed, svc_failed);
}

void svc_qemu_exit(void)
{
	__asm__ volatile("outl %0, %1"
			 :
			 : "a"((uint32_t)(svc_failed ? 0x11 : 0x10)),
			   "Nd"((uint16_t)SVC_QEMU_EXIT_PORT));
}
