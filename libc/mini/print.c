/*
 * printf to the kernel log, until newlib's stdio.  The formatting is the
 * kernel's own kvsnprintf (kernel/lib/printf.c, built into libvalence).
 */
#include <valence.h>
#include "lib.h"

/*
 * Formats fmt into a PRINT_BUF_SIZE buffer and writes it to the kernel log
 * with one debug_log call.  Returns the bytes written or -errno.
 */
int vprintf(const char *fmt, va_list ap)
{
	char buf[PRINT_BUF_SIZE];
	int len = kvsnprintf(buf, sizeof(buf), fmt, ap);
	long ret;

	if (len < 0)
		return -EINVAL;
	if ((size_t)len >= sizeof(buf))
		len = sizeof(buf) - 1;
	ret = sys_debug_log(buf, len);
	return ret < 0 ? (int)ret : len;
}

/* As vprintf, with the arguments after fmt. */
int printf(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vprintf(fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * Writes s and a newline to the kernel log: in one debug_log call when
 * they fit in PRINT_BUF_SIZE bytes, otherwise in two.
 */
void puts_log(const char *s)
{
	char buf[PRINT_BUF_SIZE];
	size_t len = strlen(s);

	if (len < sizeof(buf)) {
		memcpy(buf, s, len);
		buf[len] = '\n';
		sys_debug_log(buf, len + 1);
		return;
	}
	sys_debug_log(s, len);
	sys_debug_log("\n", 1);
}
