/*
 * Tests of threads and of the two ways they wait for each other:
 * thread_create / thread_exit (good and bad arguments), notifications
 * (signal, wait, accumulation, timeouts, wake-ups across threads) and
 * futexes (wait, wake counts, timeouts, a lock under contention).
 */
#include "ktest.h"

/* ---- notifications ---- */

static void test_notify_signal_wait(void)
{
	handle_t n = sys_notify_create();
	uint64_t bits = 0;

	REQUIRE_OK(n);
	CHECK_EQ(sys_notify_wait(n, 0, &bits), -ETIMEDOUT);
	CHECK_EQ(sys_notify_signal(n, 1), 0);
	CHECK_EQ(sys_notify_signal(n, 4), 0);
	CHECK_EQ(sys_notify_wait(n, 0, &bits), 0);
	CHECK_EQ(bits, 5);
	/* the bits were consumed */
	CHECK_EQ(sys_notify_wait(n, 0, &bits), -ETIMEDOUT);
	CHECK_EQ(sys_notify_signal(n, 1ull << 63), 0);
	CHECK_EQ(sys_notify_wait(n, IPC_FOREVER, &bits), 0);
	CHECK_EQ(bits, 1ull << 63);
	sys_handle_close(n);
}

static void test_notify_timeout(void)
{
	handle_t n = sys_notify_create();
	uint64_t bits = 0, t0;

	REQUIRE_OK(n);
	t0 = kt_now();
	CHECK_EQ(sys_notify_wait(n, 30 * MS, &bits), -ETIMEDOUT);
	CHECK(kt_now() - t0 >= 30 * MS);
	CHECK(kt_now() - t0 < 5 * SEC);
	sys_handle_close(n);
}

static struct {
	handle_t n;
	volatile uint32_t started;
	int result;
	uint64_t bits;
} waiter;

static void notify_waiter(void *arg)
{
	waiter.started = 1;
	waiter.result = sys_notify_wait(waiter.n, 10 * SEC, &waiter.bits);
}

static void test_notify_wakes_thread(void)
{
	static struct kt_thread t;

	waiter.n = sys_notify_create();
	waiter.started = 0;
	waiter.result = -1;
	waiter.bits = 0;
	REQUIRE_OK(waiter.n);
	REQUIRE_EQ(kt_thread_start(&t, notify_waiter, NULL), 0);
	CHECK_EQ(kt_wait_word(&waiter.started, 0, 5 * SEC), 0);
	sys_sleep(20 * MS);
	CHECK_EQ(t.done, 0);		/* it is really waiting */
	CHECK_EQ(sys_notify_signal(waiter.n, 0x42), 0);
	REQUIRE_EQ(kt_thread_join(&t, 5 * SEC), 0);
	CHECK_EQ(waiter.result, 0);
	CHECK_EQ(waiter.bits, 0x42);
	sys_handle_close(waiter.n);
}

/* ---- threads ---- */

#define NTHREADS 8

static volatile uint64_t slots[NTHREADS];

static void store_arg(void *arg)
{
	uint64_t i = (uint64_t)arg;

	slots[i] = 0x1000 + i;
}

static void test_thread_create_exit(void)
{
	static struct kt_thread t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++) {
		slots[i] = 0;
		REQUIRE_EQ(kt_thread_start(&t[i], store_arg,
					   (void *)(uint64_t)i), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		CHECK_EQ(kt_thread_join(&t[i], 5 * SEC), 0);
		CHECK_EQ(slots[i], 0x1000 + i);
	}
}

static void never_run(uint64_t arg)
{
	sys_thread_exit(0);
}

/* The last thread's thread_exit ends the process with its status. */
static void test_last_thread_exit(void)
{
	CHECK_EQ(kt_run("thread-exit", "6", NULL), WAIT_EXITED(6));
}

static void test_thread_create_bad(void)
{
	void *stack = kt_map(KT_STACK, VM_READ | VM_WRITE, NULL);
	uint64_t top = (uint64_t)stack + KT_STACK;

	REQUIRE(stack != NULL);
	CHECK(sys_thread_create(NULL, top, 0) < 0);
	CHECK(sys_thread_create((void (*)(uint64_t))KERNEL_TEXT, top, 0) < 0);
	CHECK(sys_thread_create((void (*)(uint64_t))NONCANONICAL, top, 0) <
	      0);
	CHECK(sys_thread_create(never_run, KERNEL_TEXT + PAGE, 0) < 0);
	CHECK(sys_thread_create(never_run, NONCANONICAL + PAGE, 0) < 0);
	CHECK(sys_thread_create(never_run, 0, 0) < 0);
	CHECK_EQ(sys_thread_create(never_run, top - 8, 0), -EINVAL);
	CHECK_EQ(sys_thread_create(never_run, top - 1, 0), -EINVAL);
	kt_unmap(stack, KT_STACK);
}

/* ---- futexes ---- */

static void test_futex_basic(void)
{
	static uint32_t word;
	uint64_t t0;
	int r;

	word = 0;
	t0 = kt_now();
	r = sys_futex_wait(&word, 1, SEC);	/* not equal: no sleep */
	CHECK(r == -EAGAIN || r == 0);
	CHECK(kt_now() - t0 < 500 * MS);
	CHECK_EQ(sys_futex_wait(&word, 0, 0), -ETIMEDOUT);
	t0 = kt_now();
	CHECK_EQ(sys_futex_wait(&word, 0, 20 * MS), -ETIMEDOUT);
	CHECK(kt_now() - t0 >= 20 * MS);
	CHECK_EQ(sys_futex_wake(&word, 1), 0);
	CHECK_EQ(sys_futex_wake(&word, 100), 0);
}

#define NWAITERS 3

static uint32_t fword;
static volatile uint32_t fready;
static int fresult[NWAITERS];

static void futex_waiter(void *arg)
{
	int i = (int)(uint64_t)arg;

	__atomic_add_fetch(&fready, 1, __ATOMIC_SEQ_CST);
	fresult[i] = sys_futex_wait(&fword, 0, 10 * SEC);
}

static void test_futex_wake_counts(void)
{
	static struct kt_thread t[NWAITERS];
	int ok = 0;

	fword = 0;
	fready = 0;
	for (int i = 0; i < NWAITERS; i++) {
		fresult[i] = 1;
		REQUIRE_EQ(kt_thread_start(&t[i], futex_waiter,
					   (void *)(uint64_t)i), 0);
	}
	while (fready < NWAITERS)
		sys_sleep(MS);
	sys_sleep(50 * MS);		/* let them all block */
	CHECK_EQ(sys_futex_wake(&fword, 1), 1);
	sys_sleep(10 * MS);
	CHECK_EQ(sys_futex_wake(&fword, 100), NWAITERS - 1);
	CHECK_EQ(sys_futex_wake(&fword, 100), 0);
	for (int i = 0; i < NWAITERS; i++) {
		CHECK_EQ(kt_thread_join(&t[i], 5 * SEC), 0);
		ok += fresult[i] == 0;
	}
	CHECK_EQ(ok, NWAITERS);
}

/* A lock: 0 free, 1 taken, 2 taken with waiters. */
static uint32_t lock_word;
static volatile uint64_t counter;

static void lock(void)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(&lock_word, &c, 1, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		sys_futex_wait(&lock_word, 2, IPC_FOREVER);
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(void)
{
	if (__atomic_exchange_n(&lock_word, 0, __ATOMIC_RELEASE) == 2)
		sys_futex_wake(&lock_word, 1);
}

#define NLOCKERS 4
#define ROUNDS 2000

static void locker(void *arg)
{
	uint64_t v;

	for (int i = 0; i < ROUNDS; i++) {
		lock();
		v = counter;
		if ((i & 63) == 0)
			sys_yield();	/* hold it across a switch now and then */
		counter = v + 1;
		unlock();
	}
}

static void test_futex_lock(void)
{
	static struct kt_thread t[NLOCKERS];

	lock_word = 0;
	counter = 0;
	for (int i = 0; i < NLOCKERS; i++)
		REQUIRE_EQ(kt_thread_start(&t[i], locker, NULL), 0);
	for (int i = 0; i < NLOCKERS; i++)
		CHECK_EQ(kt_thread_join(&t[i], 15 * SEC), 0);
	CHECK_EQ(counter, NLOCKERS * ROUNDS);
}

/*
 * A process has at most PROC_MAX_THREADS threads, so one process cannot
 * take every kernel stack in the system.
 */
static volatile uint32_t limit_gate;
static struct kt_thread limit_threads[PROC_MAX_THREADS + 8];

static void limit_waiter(void *arg)
{
	while (!limit_gate)
		sys_futex_wait((const uint32_t *)&limit_gate, 0, 1000000000ull);
}

static void test_thread_limit(void)
{
	int started = 0, err = 0;

	limit_gate = 0;
	while (started < (int)(PROC_MAX_THREADS + 8)) {
		err = kt_thread_start(&limit_threads[started], limit_waiter,
				      NULL);
		if (err)
			break;
		started++;
	}
	CHECK_EQ(err, -EAGAIN);
	CHECK(started > PROC_MAX_THREADS / 2 && started < PROC_MAX_THREADS);
	limit_gate = 1;
	sys_futex_wake((const uint32_t *)&limit_gate, ~0u);
	for (int i = 0; i < started; i++)
		CHECK_EQ(kt_thread_join(&limit_threads[i], 10 * SEC), 0);
}

const struct kt_case kt_sync_cases[] = {
	{ "notify signal and wait", test_notify_signal_wait, 0 },
	{ "notify_wait times out", test_notify_timeout, 0 },
	{ "notify wakes a waiting thread", test_notify_wakes_thread, 0 },
	{ "thread_create and thread_exit", test_thread_create_exit, 0 },
	{ "thread_create bad arguments", test_thread_create_bad, 0 },
	{ "a process has at most PROC_MAX_THREADS threads", test_thread_limit,
	  0 },
	{ "the last thread_exit ends the process", test_last_thread_exit, 0 },
	{ "futex wait and timeouts", test_futex_basic, 0 },
	{ "futex_wake counts", test_futex_wake_counts, 0 },
	{ "futex lock under contention", test_futex_lock, 0 },
	{ NULL, NULL, 0 },
};
