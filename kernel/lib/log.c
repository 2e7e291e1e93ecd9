/*
 * The kernel log: COM1, the framebuffer console and a ring buffer that the
 * panic report replays.  Also the generic half of panic().
 */
#include <stdarg.h>

#include "arch.h"
#include "fbcon.h"
#include "lib.h"
#include "log.h"

#define LOG_RING_SIZE 8192
#define PANIC_TAIL    8

static char ring[LOG_RING_SIZE];
static size_t ring_total; /* bytes ever written to the ring */
static bool ring_frozen;
static bool panicking;
bool panic_exits_qemu;

static void sinks_write(const char *s, size_t n)
{
	arch_serial_write(s, n);
	fbcon_write(s, n);
}

void log_write(const char *s, size_t n)
{
	sinks_write(s, n);
	if (ring_frozen)
		return;
	for (size_t i = 0; i < n; i++)
		ring[ring_total++ % LOG_RING_SIZE] = s[i];
}

void klog(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void log_freeze(void)
{
	ring_frozen = true;
}

void log_replay_tail(int lines)
{
	size_t kept = MIN(ring_total, (size_t)LOG_RING_SIZE);
	size_t start = ring_total - kept, pos = ring_total;
	char c;

	/* Walk back over `lines` line ends, not counting the final one. */
	if (pos > start && ring[(pos - 1) % LOG_RING_SIZE] == '\n')
		pos--;
	while (pos > start) {
		if (ring[(pos - 1) % LOG_RING_SIZE] == '\n' && --lines <= 0)
			break;
		pos--;
	}
	for (; pos < ring_total; pos++) {
		c = ring[pos % LOG_RING_SIZE];
		sinks_write(&c, 1);
	}
}

void log_replay_to_console(void)
{
	size_t kept = MIN(ring_total, (size_t)LOG_RING_SIZE);

	for (size_t pos = ring_total - kept; pos < ring_total; pos++)
		fbcon_write(&ring[pos % LOG_RING_SIZE], 1);
}

bool panic_begin(void)
{
	if (panicking)
		return false;
	panicking = true;
	log_freeze();
	sinks_write("\n--- recent log ---\n", 20);
	log_replay_tail(PANIC_TAIL);
	sinks_write("--- end of log ---\n", 19);
	return true;
}

void panic_end(void)
{
	klog("kernel: halted\n");
	if (panic_exits_qemu)
		arch_qemu_exit(EXIT_PANIC_CODE);
	arch_halt();
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!panic_begin())
		arch_halt();
	klog("kernel panic: %s\n", buf);
	arch_backtrace(arch_frame_pointer(), 0);
	panic_end();
}
