/*
 * Unit tests for a pipe's byte ring (servers/pipe/ring.c): bytes come out
 * as they went in across the wrap, the ring never holds more than its
 * capacity, chunks are taken only for bytes held (one kept when empty),
 * and a copy that fails or stops short moves exactly what it took.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <cmocka.h>

#include "ring.h"

/* The outside of the ring: a buffer, and how much a copy may move. */
struct side {
	uint8_t *buf;
	size_t limit; /* bytes the copy function moves at most, in all */
	size_t moved;
	long fail;    /* returned instead, when non-zero */
};

static long copy_in(void *ctx, uint64_t off, uint8_t *mem, size_t n)
{
	struct side *s = ctx;

	if (s->fail)
		return s->fail;
	if (n > s->limit - s->moved)
		n = s->limit - s->moved;
	memcpy(mem, s->buf + off, n);
	s->moved += n;
	return (long)n;
}

static long copy_out(void *ctx, uint64_t off, uint8_t *mem, size_t n)
{
	struct side *s = ctx;

	if (s->fail)
		return s->fail;
	if (n > s->limit - s->moved)
		n = s->limit - s->moved;
	memcpy(s->buf + off, mem, n);
	s->moved += n;
	return (long)n;
}

static long put(struct ring *r, const void *data, size_t n)
{
	struct side s = { .buf = (uint8_t *)data, .limit = SIZE_MAX };

	return ring_put(r, n, copy_in, &s, 0);
}

static long get(struct ring *r, void *data, size_t n)
{
	struct side s = { .buf = data, .limit = SIZE_MAX };

	return ring_get(r, n, copy_out, &s, 0);
}

static void test_empty_holds_nothing(void **state)
{
	struct ring r;
	char c;

	ring_init(&r);
	assert_int_equal(ring_chunks_held(&r), 0);
	assert_int_equal(ring_room(&r), RING_CAPACITY);
	assert_int_equal(get(&r, &c, 1), 0);
	assert_int_equal(put(&r, "x", 1), 1);
	assert_int_equal(ring_chunks_held(&r), 1);
	assert_int_equal(get(&r, &c, 1), 1);
	assert_int_equal(c, 'x');
	/* empty again: one chunk kept, at the start */
	assert_int_equal(ring_chunks_held(&r), 1);
	assert_non_null(r.chunk[0]);
	assert_int_equal(r.head, 0);
	ring_free(&r);
	assert_int_equal(ring_chunks_held(&r), 0);
}

static void test_capacity(void **state)
{
	static uint8_t in[RING_CAPACITY + 100], out[RING_CAPACITY + 100];
	struct ring r;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 13 + 7);
	ring_init(&r);
	assert_int_equal(put(&r, in, 1000), 1000);
	assert_int_equal(put(&r, in + 1000, sizeof(in) - 1000),
			 RING_CAPACITY - 1000);
	assert_int_equal(ring_room(&r), 0);
	assert_int_equal(ring_chunks_held(&r), RING_CHUNKS);
	assert_int_equal(put(&r, in, 1), 0); /* full: nothing, no error */
	assert_int_equal(get(&r, out, sizeof(out)), RING_CAPACITY);
	assert_memory_equal(in, out, RING_CAPACITY);
	assert_int_equal(ring_chunks_held(&r), 1);
	ring_free(&r);
}

/*
 * A long run of puts and gets of assorted sizes against a model FIFO:
 * the bytes match, and the chunks held never exceed what the bytes span.
 */
static void test_wrap_against_model(void **state)
{
	static uint8_t model[1 << 20], buf[RING_CAPACITY];
	size_t model_head = 0, model_len = 0;
	uint32_t seed = 12345;
	uint8_t next = 0;
	struct ring r;

	ring_init(&r);
	for (int step = 0; step < 20000; step++) {
		size_t n;
		long got;

		seed = seed * 1103515245 + 12345;
		n = (seed >> 8) % (step % 7 == 0 ? 20000 : 5000) + 1;
		if ((seed >> 4) & 1) {
			for (size_t i = 0; i < n; i++)
				buf[i] = next++;
			got = put(&r, buf, n);
			assert_true(got >= 0);
			assert_int_equal((size_t)got,
					 n < RING_CAPACITY - model_len
						 ? n
						 : RING_CAPACITY - model_len);
			/* the bytes not taken are made again next time */
			next = (uint8_t)(next - (n - (size_t)got));
			for (long i = 0; i < got; i++)
				model[(model_head + model_len + (size_t)i) %
				      sizeof(model)] = buf[i];
			model_len += (size_t)got;
		} else {
			got = get(&r, buf, n);
			assert_int_equal((size_t)got,
					 n < model_len ? n : model_len);
			for (long i = 0; i < got; i++)
				assert_int_equal(
					buf[i],
					model[(model_head + (size_t)i) %
					      sizeof(model)]);
			model_head = (model_head + (size_t)got) % sizeof(model);
			model_len -= (size_t)got;
		}
		assert_int_equal(r.len, model_len);
		if (model_len == 0)
			assert_true(ring_chunks_held(&r) <= 1);
		else
			assert_true(ring_chunks_held(&r) <=
				    model_len / RING_CHUNK + 2);
	}
	ring_free(&r);
}

static void test_failed_copies(void **state)
{
	uint8_t data[10000], out[10000];
	struct side s = { .buf = data, .limit = SIZE_MAX, .fail = -EFAULT };
	struct ring r;

	memset(data, 'a', sizeof(data));
	ring_init(&r);
	/* a failing copy into an empty ring: the error, no chunk kept */
	assert_int_equal(ring_put(&r, 100, copy_in, &s, 0), -EFAULT);
	assert_int_equal(r.len, 0);
	assert_true(ring_chunks_held(&r) <= 1);
	/* a copy that stops short: exactly what it took */
	s.fail = 0;
	s.limit = 5000;
	assert_int_equal(ring_put(&r, sizeof(data), copy_in, &s, 0), 5000);
	assert_int_equal(r.len, 5000);
	/* a failing read takes nothing out */
	s = (struct side){ .buf = out, .limit = SIZE_MAX, .fail = -ESRCH };
	assert_int_equal(ring_get(&r, 100, copy_out, &s, 0), -ESRCH);
	assert_int_equal(r.len, 5000);
	/* one that stops short removes only what it moved */
	s = (struct side){ .buf = out, .limit = 4500 };
	assert_int_equal(ring_get(&r, sizeof(out), copy_out, &s, 0), 4500);
	assert_int_equal(r.len, 500);
	assert_int_equal(ring_chunks_held(&r), 1); /* the first is freed */
	assert_int_equal(get(&r, out, sizeof(out)), 500);
	ring_free(&r);
}

/* The offset handed to the copy counts on from the caller's `off`. */
static void test_offsets(void **state)
{
	uint8_t data[9000], out[9000];
	struct side s = { .buf = data, .limit = SIZE_MAX };
	struct ring r;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	ring_init(&r);
	assert_int_equal(ring_put(&r, 3000, copy_in, &s, 0), 3000);
	assert_int_equal(ring_put(&r, 6000, copy_in, &s, 3000), 6000);
	s = (struct side){ .buf = out, .limit = SIZE_MAX };
	assert_int_equal(ring_get(&r, 4000, copy_out, &s, 0), 4000);
	assert_int_equal(ring_get(&r, 5000, copy_out, &s, 4000), 5000);
	assert_memory_equal(data, out, sizeof(data));
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_holds_nothing),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_wrap_against_model),
		cmocka_unit_test(test_failed_copies),
		cmocka_unit_test(test_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
