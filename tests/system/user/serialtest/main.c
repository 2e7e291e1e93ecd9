/*
 * serialtest: the system test of serial: (drivers/serial) and log:
 * (servers/log).  init starts it from etc/services.serial once both are
 * registered; its handles are the usual 0..3 and 4 = the isa-debug-exit
 * port, through which it leaves QEMU with its result.  Output, through
 * the kernel log:
 *
 *   serialtest: <name>: ok
 *   serialtest: <name>: FAILED (<file>:<line> <expr> got X)
 *   serialtest: waiting for input N      (the harness then types)
 *   serialtest: N passed, M failed
 *
 * The log: tests run first, while the boot messages are still in the
 * kernel's ring; the restart test runs last.
 */
#include "serialtest.h"

#define QEMU_EXIT_PORT 0xf4
#define EXIT_PASS      0x10 /* QEMU exits with 33 */
#define EXIT_FAIL      0x11 /* QEMU exits with 35 */

handle_t st_serial = HANDLE_INVALID;
handle_t st_log = HANDLE_INVALID;

static const char *cur_name;
static bool cur_failed;

void st_fail(const char *file, int line, const char *expr, long long got)
{
	const char *base = file;

	for (const char *p = file; *p; p++)
		if (*p == '/')
			base = p + 1;
	printf("serialtest: %s: %s (%s:%d %s got %lld)\n", cur_name,
	       cur_failed ? "also" : "FAILED", base, line, expr, got);
	cur_failed = true;
}

handle_t st_lookup(const char *scheme)
{
	struct ipc_buffers b = { .send = scheme, .send_len = strlen(scheme) };
	struct ipc_msg m;
	long err;

	memset(&m, 0, sizeof(m));
	m.op = NS_WAIT;
	m.w[0] = 10 * SEC;
	err = sys_ipc_call(PROC_H_NS, &m, &b);
	if (err < 0)
		return (handle_t)err;
	return m.nhandles == 1 ? m.handles[0] : -ST_EBADREPLY;
}

void st_prompt(int n)
{
	printf("serialtest: waiting for input %d\n", n);
}

static void t_lookup(void)
{
	st_serial = st_lookup("serial");
	st_log = st_lookup("log");
	CHECK_OK(st_serial);
	CHECK_OK(st_log);
}

static const struct st_case lookup_cases[] = {
	{ "ns: has serial: and log:", t_lookup },
	{ NULL, NULL },
};

static const struct st_case *const groups[] = {
	lookup_cases,
	st_log_cases,
	st_serial_cases,
	st_restart_cases,
};

static void qemu_exit(bool pass)
{
	__asm__ volatile("outl %0, %1"
			 :
			 : "a"((uint32_t)(pass ? EXIT_PASS : EXIT_FAIL)),
			   "Nd"((uint16_t)QEMU_EXIT_PORT));
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct st_case *c = groups[g]; c->name; c++) {
			cur_name = c->name;
			cur_failed = false;
			c->fn();
			if (cur_failed) {
				failed++;
			} else {
				passed++;
				printf("serialtest: %s: ok\n", c->name);
			}
		}
		if (st_serial < 0 || st_log < 0)
			break; /* nothing to test without them */
	}
	printf("serialtest: %d passed, %d failed\n", passed, failed);
	qemu_exit(failed == 0);
	return failed != 0;
}
