/*
 * Tests of the simplest calls and of the call convention itself:
 * debug_log, clock_get, sleep, yield, sys_stats, unknown call numbers,
 * the registers a syscall must preserve, and SSE state across switches.
 */
#include "ktest.h"

static char big[2048];

static void test_debug_log(void)
{
	static const char line[] = "ktest: (a line written by debug_log)\n";

	CHECK_EQ(sys_debug_log(line, sizeof(line) - 1), sizeof(line) - 1);
	CHECK_EQ(sys_debug_log(line, 0), 0);
	memset(big, '.', sizeof(big));
	memcpy(big, "ktest: ", 7);
	big[1023] = '\n';
	CHECK_EQ(sys_debug_log(big, 1024), 1024);
	CHECK_EQ(sys_debug_log(big, 1025), -EINVAL);
	CHECK_EQ(sys_debug_log(big, sizeof(big)), -EINVAL);
	CHECK_EQ(sys_debug_log(big, 1ull << 63), -EINVAL);
	CHECK_EQ(sys_debug_log(big, ~0ull), -EINVAL);
}

static void test_clock(void)
{
	uint64_t prev = kt_now(), start = prev;

	CHECK(prev > 0);
	for (int i = 0; i < 1000; i++) {
		uint64_t t = kt_now();

		if (t < prev) {
			CHECK(t >= prev);
			break;
		}
		prev = t;
	}
	sys_sleep(10 * MS);
	CHECK(kt_now() - start >= 10 * MS);
}

static void test_sleep(void)
{
	uint64_t t0;

	CHECK_EQ(sys_sleep(0), 0);
	CHECK_EQ(sys_sleep(1), 0);
	t0 = kt_now();
	CHECK_EQ(sys_sleep(20 * MS), 0);
	CHECK(kt_now() - t0 >= 20 * MS);
	CHECK(kt_now() - t0 < 5 * SEC);
	t0 = kt_now();
	CHECK_EQ(sys_sleep(100 * MS), 0);
	CHECK(kt_now() - t0 >= 100 * MS);
}

static void test_yield(void)
{
	for (int i = 0; i < 10; i++)
		CHECK_EQ(sys_yield(), 0);
}

/* Polls until the live process count is `want` (exits may settle late). */
static uint64_t processes_after(uint64_t want)
{
	struct sys_stats s;
	uint64_t end = kt_now() + 2 * SEC;

	do {
		sys_sys_stats(&s);
		if (s.processes == want)
			break;
		sys_sleep(MS);
	} while (kt_now() < end);
	return s.processes;
}

static void test_sys_stats(void)
{
	struct sys_stats s, t;
	handle_t child;

	REQUIRE_EQ(sys_sys_stats(&s), 0);
	CHECK(s.total_frames > 0);
	CHECK(s.free_frames > 0);
	CHECK(s.free_frames <= s.total_frames);
	CHECK(s.heap_bytes > 0);
	CHECK(s.processes >= 2);	/* init and ktest */
	CHECK(s.threads >= 3);		/* init, ktest's main and runner */
	CHECK(s.objects > 0);

	child = kt_spawn(NULL, 0, "sleep", NULL);
	REQUIRE_OK(child);
	CHECK_EQ(sys_sys_stats(&t), 0);
	CHECK_EQ(t.processes, s.processes + 1);
	CHECK_EQ(t.threads, s.threads + 1);
	CHECK(t.objects > s.objects);
	CHECK(t.free_frames < s.free_frames);
	CHECK_EQ(sys_proc_kill(child, SIG_KILL), 0);
	CHECK_EQ(kt_wait(child, 5 * SEC), WAIT_SIGNALED(SIG_KILL));
	CHECK_EQ(processes_after(s.processes), s.processes);
}

static void test_enosys(void)
{
	static const long numbers[] = {
		SYS_COUNT, SYS_COUNT + 1, 40, 255, 256, 1000, 0x7fffffff,
		-1, (long)(1ull << 63), (long)0x8000000000000000ull + 1,
	};

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		CHECK_EQ(syscall0(numbers[i]), -ENOSYS);
		CHECK_EQ(syscall6(numbers[i], 1, 2, 3, 4, 5, 6), -ENOSYS);
	}
	/* and the kernel is still fine */
	CHECK_EQ(sys_yield(), 0);
}

static void test_preserved_registers(void)
{
	CHECK_EQ(kt_regs_check(SYS_clock_get), 0);
	CHECK_EQ(kt_regs_check(SYS_yield), 0);
	CHECK_EQ(kt_regs_check(1000), 0);		/* -ENOSYS path */
	CHECK_EQ(kt_regs_check(SYS_handle_info), 0);	/* -EBADF path */
	CHECK_EQ(kt_regs_check(SYS_sys_stats), 0);	/* -EFAULT path */
	CHECK_EQ(kt_regs_check(SYS_debug_log), 0);	/* -EINVAL path */
}

static volatile int sse_errors[2];

static void sse_thread(void *arg)
{
	int i = (int)(uintptr_t)arg;

	sse_errors[i] = kt_sse_check(0x1234567800000000ull * (uint64_t)(i + 2),
				     300, SYS_yield, 0);
}

static void test_sse_across_switches(void)
{
	static struct kt_thread t[2];

	sse_errors[0] = sse_errors[1] = -1;
	for (int i = 0; i < 2; i++)
		REQUIRE_EQ(kt_thread_start(&t[i], sse_thread,
					   (void *)(uintptr_t)i), 0);
	CHECK_EQ(kt_sse_check(0x0badcafe0badcafeull, 300, SYS_yield, 0), 0);
	/* blocking lets the others run with their own values */
	CHECK_EQ(kt_sse_check(0x7777777700000001ull, 20, SYS_sleep,
			      (long)MS), 0);
	for (int i = 0; i < 2; i++)
		REQUIRE_EQ(kt_thread_join(&t[i], 10 * SEC), 0);
	CHECK_EQ(sse_errors[0], 0);
	CHECK_EQ(sse_errors[1], 0);
}

const struct kt_case kt_basic_cases[] = {
	{ "debug_log", test_debug_log, 0 },
	{ "clock_get is monotonic", test_clock, 0 },
	{ "sleep sleeps at least the time asked", test_sleep, 0 },
	{ "yield", test_yield, 0 },
	{ "sys_stats", test_sys_stats, 0 },
	{ "unknown syscall numbers give ENOSYS", test_enosys, 0 },
	{ "syscall preserves registers", test_preserved_registers, 0 },
	{ "SSE registers survive context switches", test_sse_across_switches,
	  0 },
	{ NULL, NULL, 0 },
};
