/*
 * Unit tests for the per-process handle tables (kernel/object/handle.c).
 *
 * handle.c runs unchanged.  Its collaborators are test doubles defined
 * here: kzalloc/kmalloc/kfree are calloc/malloc/free with a live count and
 * a switch that makes the next allocation fail; kobj_get/kobj_put/
 * kobj_last_handle keep the real reference count arithmetic on the test's
 * own objects and record every call (object, and its refs and handles
 * counts at the time), so the tests can check exactly which calls happen
 * and in what order.  object.c is not linked (it pulls in every type).
 *
 * Covered: lowest free slot first, growth past 16 with contents kept,
 * the HANDLE_MAX limit (-EMFILE), -ENOMEM on a failed growth, the refs and
 * handles counters, handle_get's -EBADF/-EPERM checks and OBJ_NONE,
 * detach/install_moved moving a handle without touching the counters,
 * handle_release/handle_close calling kobj_last_handle exactly when the
 * handle count reaches 0 and then kobj_put, handle_table_destroy, and the
 * io_changed flag.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mm.h"
#include "object.h"
#include "stubs.h"

/* ---- heap doubles ---- */

static long heap_live;		/* blocks handed out and not yet freed */
static int fail_alloc_in = -1;	/* the n-th next allocation fails (0 = next) */
static int allocs;

static bool alloc_should_fail(void)
{
	if (fail_alloc_in < 0)
		return false;
	return fail_alloc_in-- == 0;
}

void *kmalloc(size_t size)
{
	void *p;

	if (alloc_should_fail())
		return NULL;
	p = malloc(size ? size : 1);
	if (p) {
		heap_live++;
		allocs++;
	}
	return p;
}

void *kzalloc(size_t size)
{
	void *p;

	if (alloc_should_fail())
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p) {
		heap_live++;
		allocs++;
	}
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	heap_live--;
	free(p);
}

/* ---- kobj doubles: real counting, every call recorded ---- */

enum call_kind { CALL_GET, CALL_PUT, CALL_LAST_HANDLE };

struct call {
	enum call_kind kind;
	struct kobj *obj;
	uint32_t refs, handles;	/* the object's counters when called */
};

#define MAX_CALLS	8192
static struct call calls[MAX_CALLS];
static int ncalls;
static int destroyed;		/* objects whose refs reached 0 */

static void record(enum call_kind kind, struct kobj *o)
{
	assert_true(ncalls < MAX_CALLS);
	calls[ncalls].kind = kind;
	calls[ncalls].obj = o;
	calls[ncalls].refs = o->refs;
	calls[ncalls].handles = o->handles;
	ncalls++;
}

void kobj_init(struct kobj *o, enum obj_type type)
{
	static uint64_t next_id = 1;

	o->type = type;
	o->refs = 1;
	o->handles = 0;
	o->id = next_id++;
}

void kobj_get(struct kobj *o)
{
	record(CALL_GET, o);
	assert_true(o->refs > 0);
	o->refs++;
}

void kobj_put(struct kobj *o)
{
	record(CALL_PUT, o);
	assert_true(o->refs > 0);
	if (--o->refs == 0)
		destroyed++;
}

void kobj_last_handle(struct kobj *o)
{
	record(CALL_LAST_HANDLE, o);
}

uint64_t kobj_live_count(void)
{
	return 0;
}

static int count_calls(enum call_kind kind, const struct kobj *o)
{
	int n = 0;

	for (int i = 0; i < ncalls; i++)
		if (calls[i].kind == kind && calls[i].obj == o)
			n++;
	return n;
}

/* ---- fixtures ---- */

#define NOBJ	8
static struct kobj objs[NOBJ];
static struct handle_table tab, tab2;

static int setup(void **state)
{
	memset(objs, 0, sizeof(objs));
	for (int i = 0; i < NOBJ; i++)
		kobj_init(&objs[i], OBJ_MEMORY);
	kobj_init(&objs[6], OBJ_IOPORT);
	kobj_init(&objs[7], OBJ_PORT);
	handle_table_init(&tab);
	handle_table_init(&tab2);
	ncalls = 0;
	destroyed = 0;
	fail_alloc_in = -1;
	heap_live = 0;
	allocs = 0;
	test_panic_count = 0;
	return 0;
}

static int teardown(void **state)
{
	/* Whatever a failed test left: free the slot arrays, not the objects. */
	free(tab.slots);
	free(tab2.slots);
	tab.slots = tab2.slots = NULL;
	return 0;
}

/* Every object back to the creator's reference only, no heap left. */
static void check_clean(void)
{
	for (int i = 0; i < NOBJ; i++) {
		assert_int_equal(objs[i].refs, 1);
		assert_int_equal(objs[i].handles, 0);
	}
	assert_int_equal(heap_live, 0);
	assert_int_equal(destroyed, 0);
	assert_int_equal(test_panic_count, 0);
}

static struct kobj *get_any(struct handle_table *t, handle_t h)
{
	struct kobj *o = NULL;

	assert_int_equal(handle_get(t, h, OBJ_NONE, 0, &o), 0);
	return o;
}

/* ---- handle_table_init ---- */

static void test_init_empty(void **state)
{
	struct kobj *o = (struct kobj *)0x1;

	memset(&tab, 0x5a, sizeof(tab));
	handle_table_init(&tab);
	assert_null(tab.slots);
	assert_int_equal(tab.capacity, 0);
	assert_int_equal(tab.used, 0);
	assert_false(tab.io_changed);
	/* An empty table has no handle 0. */
	assert_int_equal(handle_get(&tab, 0, OBJ_NONE, 0, &o), -EBADF);
	assert_int_equal(handle_close(&tab, 0), -EBADF);
	assert_int_equal(ncalls, 0);
	handle_table_destroy(&tab);
	check_clean();
}

/* ---- handle_install ---- */

static void test_install_counts_and_first_slot(void **state)
{
	int h = handle_install(&tab, &objs[0], RIGHT_READ | RIGHT_WRITE);

	assert_int_equal(h, 0);
	assert_int_equal(objs[0].refs, 2);
	assert_int_equal(objs[0].handles, 1);
	assert_int_equal(tab.used, 1);
	assert_int_equal(tab.capacity, 16);
	assert_int_equal(heap_live, 1);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].kind, CALL_GET);
	assert_ptr_equal(calls[0].obj, &objs[0]);
	assert_ptr_equal(tab.slots[0].obj, &objs[0]);
	assert_int_equal(tab.slots[0].rights, RIGHT_READ | RIGHT_WRITE);

	/* A second handle to the same object: its own slot and rights. */
	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), 1);
	assert_int_equal(objs[0].refs, 3);
	assert_int_equal(objs[0].handles, 2);
	assert_int_equal(tab.slots[0].rights, RIGHT_READ | RIGHT_WRITE);
	assert_int_equal(tab.slots[1].rights, RIGHT_READ);
	assert_int_equal(tab.used, 2);

	handle_table_destroy(&tab);
	check_clean();
}

static void test_lowest_free_slot_first(void **state)
{
	for (int i = 0; i < 5; i++)
		assert_int_equal(handle_install(&tab, &objs[i], RIGHTS_ALL), i);
	assert_int_equal(handle_close(&tab, 3), 0);
	assert_int_equal(handle_close(&tab, 1), 0);
	assert_int_equal(tab.used, 3);
	/* Lowest first: 1, then 3, then the end. */
	assert_int_equal(handle_install(&tab, &objs[5], RIGHTS_ALL), 1);
	assert_int_equal(handle_install(&tab, &objs[1], RIGHTS_ALL), 3);
	assert_int_equal(handle_install(&tab, &objs[3], RIGHTS_ALL), 5);
	assert_int_equal(handle_close(&tab, 0), 0);
	assert_int_equal(handle_install(&tab, &objs[0], RIGHTS_ALL), 0);
	assert_ptr_equal(get_any(&tab, 0), &objs[0]);
	assert_ptr_equal(get_any(&tab, 1), &objs[5]);
	assert_ptr_equal(get_any(&tab, 2), &objs[2]);
	assert_ptr_equal(get_any(&tab, 3), &objs[1]);
	assert_ptr_equal(get_any(&tab, 4), &objs[4]);
	assert_ptr_equal(get_any(&tab, 5), &objs[3]);
	assert_int_equal(tab.used, 6);
	handle_table_destroy(&tab);
	check_clean();
}

static void test_growth_past_16_keeps_handles(void **state)
{
	for (int i = 0; i < 16; i++)
		assert_int_equal(handle_install(&tab, &objs[i % NOBJ],
						(uint32_t)i & RIGHTS_ALL), i);
	assert_int_equal(tab.capacity, 16);
	assert_int_equal(tab.used, 16);

	/* The 17th grows the array to 32 and lands in slot 16. */
	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_DUP), 16);
	assert_int_equal(tab.capacity, 32);
	assert_int_equal(tab.used, 17);
	assert_int_equal(heap_live, 1);	/* the old array was freed */
	assert_int_equal(allocs, 2);
	for (int i = 0; i < 16; i++) {
		assert_ptr_equal(tab.slots[i].obj, &objs[i % NOBJ]);
		assert_int_equal(tab.slots[i].rights, (uint32_t)i & RIGHTS_ALL);
	}
	assert_int_equal(tab.slots[16].rights, RIGHT_DUP);
	for (int i = 17; i < 32; i++)
		assert_null(tab.slots[i].obj);	/* new slots are free */

	/* 16 more fill it; the 33rd doubles again. */
	for (int i = 17; i < 32; i++)
		assert_int_equal(handle_install(&tab, &objs[1], 0), i);
	assert_int_equal(tab.capacity, 32);
	assert_int_equal(handle_install(&tab, &objs[2], 0), 32);
	assert_int_equal(tab.capacity, 64);
	assert_int_equal(objs[0].handles, 3);	/* slots 0, 8, 16 */
	handle_table_destroy(&tab);
	check_clean();
}

static void test_handle_max(void **state)
{
	for (int i = 0; i < HANDLE_MAX; i++)
		assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), i);
	assert_int_equal(tab.capacity, HANDLE_MAX);
	assert_int_equal(tab.used, HANDLE_MAX);
	assert_int_equal(objs[0].refs, 1 + HANDLE_MAX);
	assert_int_equal(objs[0].handles, HANDLE_MAX);

	/* Full: -EMFILE, no reference or handle count taken, no allocation. */
	ncalls = 0;
	allocs = 0;
	assert_int_equal(handle_install(&tab, &objs[1], RIGHT_READ), -EMFILE);
	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), -EMFILE);
	assert_int_equal(ncalls, 0);
	assert_int_equal(allocs, 0);
	assert_int_equal(objs[1].refs, 1);
	assert_int_equal(objs[1].handles, 0);
	assert_int_equal(objs[0].refs, 1 + HANDLE_MAX);
	assert_int_equal(tab.capacity, HANDLE_MAX);
	assert_int_equal(tab.used, HANDLE_MAX);

	/* install_moved is refused the same way. */
	struct handle hd = { &objs[1], RIGHT_READ };

	assert_int_equal(handle_install_moved(&tab, &hd), -EMFILE);

	/* A freed slot in the middle is reused, and the table is full again. */
	assert_int_equal(handle_close(&tab, 700), 0);
	assert_int_equal(handle_install(&tab, &objs[1], RIGHT_READ), 700);
	assert_int_equal(handle_install(&tab, &objs[1], RIGHT_READ), -EMFILE);
	assert_ptr_equal(get_any(&tab, HANDLE_MAX - 1), &objs[0]);
	assert_int_equal(handle_get(&tab, HANDLE_MAX, OBJ_NONE, 0,
				    &(struct kobj *){ NULL }), -EBADF);

	handle_table_destroy(&tab);
	check_clean();
}

static void test_install_out_of_memory(void **state)
{
	/* The first array cannot be allocated. */
	fail_alloc_in = 0;
	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), -ENOMEM);
	assert_int_equal(ncalls, 0);
	assert_int_equal(objs[0].refs, 1);
	assert_int_equal(objs[0].handles, 0);
	assert_int_equal(tab.capacity, 0);
	assert_int_equal(tab.used, 0);
	assert_null(tab.slots);

	/* Growing from 16 to 32 fails: the 16 handles are untouched. */
	for (int i = 0; i < 16; i++)
		assert_int_equal(handle_install(&tab, &objs[1], RIGHT_READ), i);
	struct handle *before = tab.slots;

	fail_alloc_in = 0;
	ncalls = 0;
	assert_int_equal(handle_install(&tab, &objs[2], RIGHT_READ), -ENOMEM);
	assert_int_equal(ncalls, 0);
	assert_int_equal(objs[2].refs, 1);
	assert_int_equal(objs[2].handles, 0);
	assert_ptr_equal(tab.slots, before);
	assert_int_equal(tab.capacity, 16);
	assert_int_equal(tab.used, 16);
	for (int i = 0; i < 16; i++)
		assert_ptr_equal(get_any(&tab, i), &objs[1]);
	/* And the next attempt, with memory, works. */
	assert_int_equal(handle_install(&tab, &objs[2], RIGHT_READ), 16);

	handle_table_destroy(&tab);
	check_clean();
}

/* ---- handle_get ---- */

static void test_get_bad_numbers(void **state)
{
	static const handle_t bad[] = { -1, -16, INT32_MIN, 3, 15, 16, 17,
					1024, INT32_MAX };
	struct kobj *o = NULL;

	assert_int_equal(handle_install(&tab, &objs[0], RIGHTS_ALL), 0);
	assert_int_equal(handle_install(&tab, &objs[1], RIGHTS_ALL), 1);
	assert_int_equal(handle_install(&tab, &objs[2], RIGHTS_ALL), 2);
	assert_int_equal(handle_close(&tab, 1), 0);
	ncalls = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = NULL;
		assert_int_equal(handle_get(&tab, bad[i], OBJ_NONE, 0, &o),
				 -EBADF);
		assert_null(o);
	}
	/* A closed handle. */
	assert_int_equal(handle_get(&tab, 1, OBJ_NONE, 0, &o), -EBADF);
	assert_int_equal(handle_get(&tab, 1, OBJ_MEMORY, 0, &o), -EBADF);
	/* Neighbours are fine. */
	assert_int_equal(handle_get(&tab, 0, OBJ_NONE, 0, &o), 0);
	assert_ptr_equal(o, &objs[0]);
	assert_int_equal(handle_get(&tab, 2, OBJ_MEMORY, RIGHTS_ALL, &o), 0);
	assert_ptr_equal(o, &objs[2]);
	/* Looking up takes no reference. */
	assert_int_equal(ncalls, 0);
	assert_int_equal(objs[0].refs, 2);

	handle_table_destroy(&tab);
	check_clean();
}

static void test_get_type_and_rights(void **state)
{
	struct kobj *o;

	/* objs[7] is a port; objs[0] a memory object. */
	assert_int_equal(handle_install(&tab, &objs[7], RIGHT_READ | RIGHT_MANAGE), 0);
	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_MAP), 1);

	o = NULL;
	assert_int_equal(handle_get(&tab, 0, OBJ_PORT, RIGHT_READ, &o), 0);
	assert_ptr_equal(o, &objs[7]);
	o = NULL;
	assert_int_equal(handle_get(&tab, 0, OBJ_PORT,
				    RIGHT_READ | RIGHT_MANAGE, &o), 0);
	assert_ptr_equal(o, &objs[7]);
	/* No rights asked: always enough. */
	assert_int_equal(handle_get(&tab, 0, OBJ_PORT, 0, &o), 0);

	/* Wrong type: -EBADF, even when the rights would also be missing. */
	o = NULL;
	assert_int_equal(handle_get(&tab, 0, OBJ_CONN, RIGHT_WRITE, &o), -EBADF);
	assert_int_equal(handle_get(&tab, 0, OBJ_CONN, 0, &o), -EBADF);
	assert_int_equal(handle_get(&tab, 1, OBJ_PORT, RIGHT_MAP, &o), -EBADF);
	assert_null(o);

	/* Missing any one of the rights asked for: -EPERM. */
	assert_int_equal(handle_get(&tab, 0, OBJ_PORT, RIGHT_WRITE, &o), -EPERM);
	assert_int_equal(handle_get(&tab, 0, OBJ_PORT,
				    RIGHT_READ | RIGHT_WRITE, &o), -EPERM);
	assert_int_equal(handle_get(&tab, 0, OBJ_PORT, RIGHTS_ALL, &o), -EPERM);
	assert_int_equal(handle_get(&tab, 1, OBJ_MEMORY, RIGHT_READ, &o), -EPERM);
	assert_int_equal(handle_get(&tab, 1, OBJ_NONE, RIGHT_MAP | RIGHT_EXEC, &o),
			 -EPERM);
	assert_null(o);

	/* OBJ_NONE accepts any type, but still checks rights. */
	assert_int_equal(handle_get(&tab, 0, OBJ_NONE, RIGHT_MANAGE, &o), 0);
	assert_ptr_equal(o, &objs[7]);
	assert_int_equal(handle_get(&tab, 1, OBJ_NONE, RIGHT_MAP, &o), 0);
	assert_ptr_equal(o, &objs[0]);

	handle_table_destroy(&tab);
	check_clean();
}

/* ---- detach and install_moved ---- */

static void test_detach_and_move(void **state)
{
	struct handle hd;

	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), 0);
	assert_int_equal(handle_install(&tab, &objs[1], RIGHT_WRITE | RIGHT_TRANSFER), 1);
	assert_int_equal(handle_install(&tab2, &objs[2], RIGHT_READ), 0);
	ncalls = 0;

	memset(&hd, 0, sizeof(hd));
	assert_int_equal(handle_detach(&tab, 1, &hd), 0);
	assert_ptr_equal(hd.obj, &objs[1]);
	assert_int_equal(hd.rights, RIGHT_WRITE | RIGHT_TRANSFER);
	/* The slot is free; the counts stay with the detached handle. */
	assert_int_equal(tab.used, 1);
	assert_null(tab.slots[1].obj);
	assert_int_equal(tab.slots[1].rights, 0);
	assert_int_equal(handle_get(&tab, 1, OBJ_NONE, 0, &(struct kobj *){ NULL }),
			 -EBADF);
	assert_int_equal(objs[1].refs, 2);
	assert_int_equal(objs[1].handles, 1);
	assert_int_equal(ncalls, 0);

	/* Detaching again, or a bad number: -EBADF, *out untouched. */
	struct handle junk = { (struct kobj *)0x1234, 77 };

	assert_int_equal(handle_detach(&tab, 1, &junk), -EBADF);
	assert_int_equal(handle_detach(&tab, -1, &junk), -EBADF);
	assert_int_equal(handle_detach(&tab, 16, &junk), -EBADF);
	assert_int_equal(handle_detach(&tab2, 5, &junk), -EBADF);
	assert_ptr_equal(junk.obj, (struct kobj *)0x1234);
	assert_int_equal(junk.rights, 77);

	/* Into the other table: lowest free slot, same rights, no calls. */
	assert_int_equal(handle_install_moved(&tab2, &hd), 1);
	assert_int_equal(tab2.used, 2);
	assert_int_equal(tab2.slots[1].rights, RIGHT_WRITE | RIGHT_TRANSFER);
	assert_ptr_equal(get_any(&tab2, 1), &objs[1]);
	assert_int_equal(objs[1].refs, 2);
	assert_int_equal(objs[1].handles, 1);
	assert_int_equal(ncalls, 0);

	/* Moving the only handle of an empty table's first install grows it. */
	struct handle_table t3;

	handle_table_init(&t3);
	assert_int_equal(handle_detach(&tab, 0, &hd), 0);
	assert_int_equal(handle_install_moved(&t3, &hd), 0);
	assert_int_equal(t3.capacity, 16);
	assert_int_equal(objs[0].refs, 2);
	assert_int_equal(objs[0].handles, 1);
	assert_int_equal(ncalls, 0);

	handle_table_destroy(&t3);
	handle_table_destroy(&tab2);
	handle_table_destroy(&tab);
	check_clean();
}

/* ---- release, close, last handle ---- */

static void test_release_detached(void **state)
{
	struct handle hd;

	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), 0);
	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), 1);
	assert_int_equal(handle_detach(&tab, 0, &hd), 0);
	ncalls = 0;

	/* Not the last handle: no last_handle call, one put. */
	handle_release(&hd);
	assert_null(hd.obj);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].kind, CALL_PUT);
	assert_int_equal(objs[0].handles, 1);
	assert_int_equal(objs[0].refs, 2);

	/* A released handle is empty: releasing it again does nothing. */
	handle_release(&hd);
	assert_int_equal(ncalls, 1);
	struct handle empty = { NULL, RIGHTS_ALL };

	handle_release(&empty);
	assert_int_equal(ncalls, 1);

	/* The last one: last_handle at handles == 0, then the put. */
	assert_int_equal(handle_detach(&tab, 1, &hd), 0);
	handle_release(&hd);
	assert_int_equal(ncalls, 3);
	assert_int_equal(calls[1].kind, CALL_LAST_HANDLE);
	assert_ptr_equal(calls[1].obj, &objs[0]);
	assert_int_equal(calls[1].handles, 0);
	assert_int_equal(calls[1].refs, 2);	/* still alive during the call */
	assert_int_equal(calls[2].kind, CALL_PUT);
	assert_ptr_equal(calls[2].obj, &objs[0]);
	assert_int_equal(objs[0].refs, 1);

	handle_table_destroy(&tab);
	check_clean();
}

static void test_close_calls_last_handle_once(void **state)
{
	for (int i = 0; i < 3; i++)
		assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), i);
	assert_int_equal(handle_install(&tab, &objs[1], RIGHT_READ), 3);
	ncalls = 0;

	assert_int_equal(handle_close(&tab, 1), 0);
	assert_int_equal(handle_close(&tab, 0), 0);
	assert_int_equal(count_calls(CALL_LAST_HANDLE, &objs[0]), 0);
	assert_int_equal(count_calls(CALL_PUT, &objs[0]), 2);
	assert_int_equal(objs[0].handles, 1);
	assert_int_equal(objs[0].refs, 2);

	/* A closed handle cannot be closed again, and nothing is called. */
	assert_int_equal(handle_close(&tab, 1), -EBADF);
	assert_int_equal(handle_close(&tab, -5), -EBADF);
	assert_int_equal(handle_close(&tab, 4000), -EBADF);
	assert_int_equal(ncalls, 2);

	assert_int_equal(handle_close(&tab, 2), 0);
	assert_int_equal(ncalls, 4);
	assert_int_equal(calls[2].kind, CALL_LAST_HANDLE);
	assert_ptr_equal(calls[2].obj, &objs[0]);
	assert_int_equal(calls[2].handles, 0);
	assert_int_equal(calls[3].kind, CALL_PUT);
	assert_int_equal(calls[3].refs, 2);
	assert_int_equal(objs[0].refs, 1);
	assert_int_equal(tab.used, 1);

	/* The other object was never touched. */
	assert_int_equal(count_calls(CALL_PUT, &objs[1]), 0);
	assert_int_equal(objs[1].handles, 1);

	handle_table_destroy(&tab);
	check_clean();
}

static void test_last_handle_across_tables(void **state)
{
	struct handle hd;

	/* One handle here, one moved to the other table. */
	assert_int_equal(handle_install(&tab, &objs[3], RIGHT_READ), 0);
	assert_int_equal(handle_install(&tab, &objs[3], RIGHT_READ), 1);
	assert_int_equal(handle_detach(&tab, 1, &hd), 0);
	assert_int_equal(handle_install_moved(&tab2, &hd), 0);
	ncalls = 0;

	assert_int_equal(handle_close(&tab2, 0), 0);
	assert_int_equal(count_calls(CALL_LAST_HANDLE, &objs[3]), 0);
	assert_int_equal(handle_close(&tab, 0), 0);
	assert_int_equal(count_calls(CALL_LAST_HANDLE, &objs[3]), 1);
	assert_int_equal(count_calls(CALL_PUT, &objs[3]), 2);
	handle_table_destroy(&tab2);
	handle_table_destroy(&tab);
	check_clean();
}

static void test_last_reference_goes_with_last_handle(void **state)
{
	struct kobj *o = &objs[4];

	/* The creator hands its reference to the handle (as port_create). */
	assert_int_equal(handle_install(&tab, o, RIGHT_READ), 0);
	kobj_put(o);
	assert_int_equal(o->refs, 1);
	ncalls = 0;
	assert_int_equal(handle_close(&tab, 0), 0);
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[0].kind, CALL_LAST_HANDLE);
	assert_int_equal(calls[0].refs, 1);
	assert_int_equal(calls[1].kind, CALL_PUT);
	assert_int_equal(destroyed, 1);
	assert_int_equal(o->refs, 0);
	o->refs = 1;		/* for check_clean */
	destroyed = 0;
	handle_table_destroy(&tab);
	check_clean();
}

/* ---- handle_table_destroy ---- */

static void test_destroy_closes_everything(void **state)
{
	int h;

	for (int i = 0; i < 40; i++) {
		h = handle_install(&tab, &objs[i % 5], RIGHT_READ);
		assert_int_equal(h, i);
	}
	/* Some holes. */
	assert_int_equal(handle_close(&tab, 7), 0);
	assert_int_equal(handle_close(&tab, 33), 0);
	assert_int_equal(handle_install(&tab, &objs[5], RIGHT_READ), 7);
	ncalls = 0;

	handle_table_destroy(&tab);
	for (int i = 0; i <= 5; i++) {
		assert_int_equal(count_calls(CALL_LAST_HANDLE, &objs[i]), 1);
		assert_int_equal(objs[i].handles, 0);
		assert_int_equal(objs[i].refs, 1);
	}
	assert_int_equal(count_calls(CALL_PUT, &objs[0]), 8);
	/* Each object's last_handle comes before its last put, at 0 handles. */
	for (int i = 0; i < ncalls; i++)
		if (calls[i].kind == CALL_LAST_HANDLE) {
			assert_int_equal(calls[i].handles, 0);
			assert_true(calls[i].refs >= 2);
		}
	assert_null(tab.slots);
	assert_int_equal(tab.capacity, 0);
	assert_int_equal(tab.used, 0);
	assert_false(tab.io_changed);

	/* The table can be used again. */
	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), 0);
	handle_table_destroy(&tab);
	/* Destroying an empty table is fine. */
	handle_table_destroy(&tab);
	check_clean();
}

/* ---- io_changed ---- */

static void test_io_changed(void **state)
{
	struct handle hd;
	struct kobj *io = &objs[6];	/* OBJ_IOPORT */

	assert_int_equal(handle_install(&tab, &objs[0], RIGHT_READ), 0);
	assert_int_equal(handle_install(&tab, &objs[7], RIGHT_READ), 1);
	assert_false(tab.io_changed);

	assert_int_equal(handle_install(&tab, io, RIGHT_TRANSFER), 2);
	assert_true(tab.io_changed);
	tab.io_changed = false;

	/* Looking it up, or other objects coming and going, do not count. */
	assert_int_equal(handle_get(&tab, 2, OBJ_IOPORT, 0, &(struct kobj *){ NULL }), 0);
	assert_int_equal(handle_close(&tab, 0), 0);
	assert_int_equal(handle_install(&tab, &objs[1], RIGHT_READ), 0);
	assert_false(tab.io_changed);

	/* Detach (moving it out) counts, on the table it leaves. */
	assert_int_equal(handle_detach(&tab, 2, &hd), 0);
	assert_true(tab.io_changed);
	tab.io_changed = false;
	/* ...and install_moved on the one it arrives in. */
	assert_int_equal(handle_install_moved(&tab2, &hd), 0);
	assert_true(tab2.io_changed);
	assert_false(tab.io_changed);
	tab2.io_changed = false;
	/* Closing it counts. */
	assert_int_equal(handle_close(&tab2, 0), 0);
	assert_true(tab2.io_changed);
	/* A failed close does not touch the flag. */
	tab2.io_changed = false;
	assert_int_equal(handle_close(&tab2, 0), -EBADF);
	assert_false(tab2.io_changed);

	handle_table_destroy(&tab2);
	handle_table_destroy(&tab);
	check_clean();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_empty),
		T(test_install_counts_and_first_slot),
		T(test_lowest_free_slot_first),
		T(test_growth_past_16_keeps_handles),
		T(test_handle_max),
		T(test_install_out_of_memory),
		T(test_get_bad_numbers),
		T(test_get_type_and_rights),
		T(test_detach_and_move),
		T(test_release_detached),
		T(test_close_calls_last_handle_once),
		T(test_last_handle_across_tables),
		T(test_last_reference_goes_with_last_handle),
		T(test_destroy_closes_everything),
		T(test_io_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
