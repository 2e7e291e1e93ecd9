/*
 * Helpers for test programs that init starts as services (svc-client,
 * svc-rogue, misctest): their results go to their standard output, which
 * init logs as "[name] text", one line each:
 *
 *   pass: <what>
 *   FAIL: <what> (got <value>)
 *   <prog>: N passed, M failed
 *
 * A system test case (a tests/system file named like x_cases.py) expects the
 * last line and rejects "[name] FAIL".
 */
#ifndef TESTS_SYSTEM_USER_SVC_H
#define TESTS_SYSTEM_USER_SVC_H

#include <stdbool.h>
#include <valence.h>
#include <valence/proto.h>

#define SVC_QEMU_EXIT_PORT 0xf4 /* isa-debug-exit: 0x10 -> 33, 0x11 -> 35 */

/* svc-echo's messages (tests/system/user/svc-echo). */
#define ECHO_ADD  1 /* reply w[0] = w[0] + 1 */
#define ECHO_EXIT 2 /* it exits with status 3 */

/* svc-rogue's messages (tests/system/user/svc-rogue). */
#define ROGUE_RESULTS 1	 /* reply w[0] passed, w[1] failed */
#define ROGUE_IN      2	 /* inb from a port not granted: it dies */
#define ROGUE_OUT     3	 /* outb to a port not granted: it dies */
#define ROGUE_CHECKS  18 /* the checks it makes at start */

extern int svc_passed, svc_failed;

/* libvalence's formatting (kernel/lib/printf.c), until newlib. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Formats a line (as printf) and writes it, with a newline, to stdout. */
void svc_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Counts and reports one check; `got` is shown when it fails. */
void svc_check(bool ok, const char *what, long got);

/* svc_check(got == want, ...). */
#define SVC_CHECK_EQ(got, want, what)                                          \
	do {                                                                   \
		long _g = (long)(got);                                         \
		svc_check(_g == (long)(want), what, _g);                       \
	} while (0)

/*
 * Calls ns (handle PROC_H_NS) with `op` (NS_LOOKUP, NS_WAIT, NS_REGISTER,
 * NS_SVC_KILL) and the name as the send buffer; `give`, if >= 0, is moved
 * with the call; w0 is the message's w[0].  Returns the handle the reply
 * carries, 0 when it carries none, or ns's error.
 */
handle_t svc_ns(uint32_t op, const char *name, handle_t give, uint64_t w0);

/* One call on `conn`: op, w[0] = v; *out (may be NULL) gets the reply's
   w[0].  Returns the status. */
long svc_call(handle_t conn, uint32_t op, uint64_t v, uint64_t *out);

/* Writes "<prog>: N passed, M failed". */
void svc_summary(const char *prog);

/* Leaves QEMU through the debug-exit port (the service's line must grant
   it): status 33 when nothing failed, else 35. */
void svc_qemu_exit(void);

#endif
