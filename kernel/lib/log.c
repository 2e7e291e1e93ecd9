/*
 * The kernel log: COM1, the framebuffer console and a ring buffer that the
 * panic report replays and user space reads (log_share).  Also the
 * generic half of panic().
 */
#include <stdarg.h>

#include "arch.h"
#include "fbcon.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include <valence/abi.h>

#define LOG_RING_SIZE 16384 /* a power of two (struct klog_header) */
#define PANIC_TAIL    8

/* Whole pages, so that init can be given them as a memory object. */
static struct {
	struct klog_header h;
	char pad[PAGE_SIZE - sizeof(struct klog_header)];
	char ring[LOG_RING_SIZE];
} shared __attribute__((aligned(PAGE_SIZE)));

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
	uint64_t end;

	sinks_write(s, n);
	if (ring_frozen)
		return;
	/* For readers in user space: see struct klog_header. */
	end = shared.h.written;
	__atomic_store_n(&shared.h.started, end + n, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* started before the bytes */
	for (size_t i = 0; i < n; i++)
		shared.ring[(end + i) % LOG_RING_SIZE] = s[i];
	__atomic_store_n(&shared.h.written, end + n, __ATOMIC_RELEASE);
}

uint64_t log_share(uint64_t *size)
{
	shared.h.magic = KLOG_MAGIC;
	shared.h.version = KLOG_VERSION;
	shared.h.data_offset = PAGE_SIZE;
	shared.h.size = LOG_RING_SIZE;
	*size = sizeof(shared);
	return (uint64_t)&shared - KERNEL_VMA;
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
	size_t end = shared.h.written, kept = MIN(end, (size_t)LOG_RING_SIZE);
	size_t start = end - kept, pos = end;
	char c;

	/* Walk back over `lines` line ends, not counting the final one. */
	if (pos > start && shared.ring[(pos - 1) % LOG_RING_SIZE] == '\n')
		pos--;
	while (pos > start) {
		if (shared.ring[(pos - 1) % LOG_RING_SIZE] == '\n' &&
		    --lines <= 0)
			break;
		pos--;
	}
	for (; pos < end; pos++) {
		c = shared.ring[pos % LOG_RING_SIZE];
		sinks_write(&c, 1);
	}
}

void log_replay_to_console(void)
{
	size_t end = shared.h.written, kept = MIN(end, (size_t)LOG_RING_SIZE);

	for (size_t pos = end - kept; pos < end; pos++)
		fbcon_write(&shared.ring[pos % LOG_RING_SIZE], 1);
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
