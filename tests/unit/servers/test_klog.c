/*
 * Unit tests for the kernel log reader of the log server
 * (servers/log/klog.c): header checks, reads before and after the ring
 * wraps, offsets the ring no longer holds, a write in progress (started
 * ahead of written: the bytes it may be overwriting are never returned),
 * short buffers and offsets past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include <valence/errno.h>

#include "klog.h"

#define RING	16
#define OFFSET	64 /* the ring right after the header */
#define MEMSIZE (OFFSET + RING)

static union {
	struct klog_header h;
	char bytes[MEMSIZE];
} mem;
static struct klog_view v;

/* A log of `total` bytes, byte p being 'a' + p % 26, as the kernel
   would leave it with `extra` more bytes begun but not finished. */
static void fill(uint64_t total, uint64_t extra)
{
	memset(&mem, 0, sizeof(mem));
	mem.h.magic = KLOG_MAGIC;
	mem.h.version = KLOG_VERSION;
	mem.h.data_offset = OFFSET;
	mem.h.size = RING;
	for (uint64_t p = total > RING ? total - RING : 0; p < total; p++)
		mem.bytes[OFFSET + p % RING] = (char)('a' + p % 26);
	mem.h.written = total;
	mem.h.started = total + extra;
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem)), 0);
}

/* Checks that out[0, n) holds log bytes from position `from`. */
static void assert_bytes(const char *out, size_t n, uint64_t from)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(out[i], 'a' + (from + i) % 26);
}

static void test_attach_checks(void **state)
{
	fill(0, 0);
	assert_int_equal(klog_attach(&v, NULL, sizeof(mem)), -EINVAL);
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem.h) - 1), -EINVAL);
	assert_int_equal(klog_attach(&v, &mem, MEMSIZE - 1), -EINVAL);
	mem.h.magic ^= 1;
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem)), -EINVAL);
	fill(0, 0);
	mem.h.version = 2;
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem)), -EINVAL);
	fill(0, 0);
	mem.h.size = 12; /* not a power of two */
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem)), -EINVAL);
	fill(0, 0);
	mem.h.size = 0;
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem)), -EINVAL);
	fill(0, 0);
	mem.h.data_offset = 8; /* inside the header */
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem)), -EINVAL);
	fill(0, 0);
	mem.h.data_offset = UINT64_MAX - 4; /* no wrap-around tricks */
	assert_int_equal(klog_attach(&v, &mem, sizeof(mem)), -EINVAL);
	fill(0, 0);
	assert_int_equal(v.size, RING);
	assert_ptr_equal(v.ring, mem.bytes + OFFSET);
}

static void test_read_unwrapped(void **state)
{
	char out[RING];
	uint64_t pos = 0;

	fill(10, 0);
	assert_int_equal(klog_end(&v), 10);
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), 10);
	assert_int_equal(pos, 10);
	assert_bytes(out, 10, 0);
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), 0);
	assert_int_equal(pos, 10);
}

static void test_read_in_pieces(void **state)
{
	char out[RING];
	uint64_t pos = 3;

	fill(12, 0);
	assert_int_equal(klog_read(&v, &pos, out, 4), 4);
	assert_bytes(out, 4, 3);
	assert_int_equal(pos, 7);
	assert_int_equal(klog_read(&v, &pos, out, 0), 0);
	assert_int_equal(klog_read(&v, &pos, out, 100), 5);
	assert_bytes(out, 5, 7);
}

/* An offset the ring has overwritten starts at the oldest byte kept. */
static void test_read_wrapped(void **state)
{
	char out[2 * RING];
	uint64_t pos = 0;

	fill(3 * RING + 5, 0);
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), RING);
	assert_bytes(out, RING, 2 * RING + 5);
	assert_int_equal(pos, 3 * RING + 5);
	/* across the ring's end, from an offset it still holds */
	pos = 2 * RING + 10;
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), 11);
	assert_bytes(out, 11, 2 * RING + 10);
}

/* A write in progress may be overwriting the oldest bytes: skip them. */
static void test_write_in_progress(void **state)
{
	char out[RING];
	uint64_t pos = 0;

	fill(40, 3); /* started 43: slots of 24..26 may be in flux */
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), 13);
	assert_bytes(out, 13, 27);
	assert_int_equal(pos, 40);
	/* a read entirely inside the unsafe part is retried past it */
	pos = 24;
	assert_int_equal(klog_read(&v, &pos, out, 2), 2);
	assert_bytes(out, 2, 27);
	assert_int_equal(pos, 29);
	/* nothing is ever given out before the log's end */
	fill(5, 2);
	pos = 0;
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), 5);
}

static void test_past_the_end(void **state)
{
	char out[4];
	uint64_t pos = 1000;

	fill(20, 0);
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), 0);
	assert_int_equal(pos, 1000);
	fill(0, 0);
	pos = 0;
	assert_int_equal(klog_read(&v, &pos, out, sizeof(out)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_checks),
		cmocka_unit_test(test_read_unwrapped),
		cmocka_unit_test(test_read_in_pieces),
		cmocka_unit_test(test_read_wrapped),
		cmocka_unit_test(test_write_in_progress),
		cmocka_unit_test(test_past_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
