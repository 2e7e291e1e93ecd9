/*
 * ktest: the user-space kernel test suite, started by init with
 * `test=user` (handles: 0 = boot archive, 1 = root IRQ, 2 = root I/O
 * ports).  This file is the runner: it runs each test on a thread of its
 * own under a watchdog, then checks that the test left no process, thread
 * or handle behind, and prints one line per test and a summary:
 *
 *   ktest: <name>: ok
 *   ktest: <name>: FAILED (<file>:<line> <expr> got X)
 *   ktest: N passed, M failed
 *
 * main() returns M != 0, which init turns into QEMU's exit status.
 */
#include "ktest.h"

#define DEFAULT_TIMEOUT	(20 * SEC)
#define RUNNER_STACK	(256u << 10)
#define SETTLE_TIME	(3 * SEC)

static const struct kt_case *const groups[] = {
	kt_basic_cases, kt_handle_cases, kt_sync_cases, kt_mem_cases,
	kt_ipc_cases, kt_close_cases, kt_proc_cases, kt_fork_cases,
	kt_fault_cases,
	kt_irq_cases, kt_badptr_cases, kt_stress_cases,
	kt_preempt_cases,	/* last: without preemption they hang QEMU */
};

static const char *cur_name;
static bool cur_failed;

static const char *base_name(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

void kt_fail(const char *file, int line, const char *expr, long long got)
{
	const char *verdict = cur_failed ? "also" : "FAILED";

	/* Large values (addresses, patterns) read better in hex. */
	if (got > 99999 || got < -99999)
		printf("ktest: %s: %s (%s:%d %s got 0x%llx)\n", cur_name,
		       verdict, base_name(file), line, expr,
		       (unsigned long long)got);
	else
		printf("ktest: %s: %s (%s:%d %s got %lld)\n", cur_name,
		       verdict, base_name(file), line, expr, got);
	cur_failed = true;
}

/* ---- what a test leaves behind ---- */

struct snapshot {
	uint8_t open[HANDLE_MAX / 8];
	struct sys_stats stats;
};

static void snapshot(struct snapshot *s)
{
	struct handle_info info;

	memset(s, 0, sizeof(*s));
	for (int h = 0; h < HANDLE_MAX; h++)
		if (sys_handle_info(h, &info) == 0)
			s->open[h / 8] |= (uint8_t)(1u << (h % 8));
	sys_sys_stats(&s->stats);
}

/* Closes the handles opened since `before`; returns how many. */
static int close_new_handles(const struct snapshot *before)
{
	struct handle_info info;
	int n = 0;

	for (int h = 0; h < HANDLE_MAX; h++) {
		if (before->open[h / 8] & (1u << (h % 8)))
			continue;
		if (sys_handle_info(h, &info) == 0) {
			printf("ktest: %s: left handle %d open (type %u)\n",
			       cur_name, h, info.type);
			sys_handle_close(h);
			n++;
		}
	}
	return n;
}

/* Waits until as many processes and threads exist as before. */
static bool settled(const struct snapshot *before, struct sys_stats *now)
{
	uint64_t end = kt_now() + SETTLE_TIME;

	for (;;) {
		if (sys_sys_stats(now) < 0)
			return false;
		if (now->processes == before->stats.processes &&
		    now->threads == before->stats.threads)
			return true;
		if (kt_now() >= end)
			return false;
		sys_sleep(MS);
	}
}

/*
 * Kills the children first (threads may be calling them), then closes
 * what the test left open (threads may wait on it), then joins.
 */
static void clean_up(const struct snapshot *before)
{
	struct sys_stats now;
	int n;

	n = kt_reap_all();
	if (n)
		kt_fail(__FILE__, __LINE__, "no process left behind", n);
	kt_join_all(2 * SEC);
	n = close_new_handles(before);
	if (n)
		kt_fail(__FILE__, __LINE__, "no handle left open", n);
	kt_join_all(5 * SEC);
	n = kt_forget_threads();
	if (n)
		kt_fail(__FILE__, __LINE__, "no thread left running", n);
	if (!settled(before, &now)) {
		CHECK_EQ(now.processes, before->stats.processes);
		CHECK_EQ(now.threads, before->stats.threads);
	}
}

/* ---- running ---- */

static uint64_t runner_stack;
static struct kt_thread runner;

static void run_body(void *arg)
{
	((const struct kt_case *)arg)->fn();
}

/* Runs one test; returns false if it hung (the suite must stop). */
static bool run_case(const struct kt_case *c)
{
	uint64_t timeout = c->timeout_ns ? c->timeout_ns : DEFAULT_TIMEOUT;
	struct snapshot before;
	int err;

	cur_name = c->name;
	cur_failed = false;
	snapshot(&before);
	err = kt_thread_start_on(&runner, run_body, (void *)c, runner_stack,
				 RUNNER_STACK);
	if (err) {
		kt_fail(__FILE__, __LINE__, "thread_create for the test", err);
		return true;
	}
	if (kt_thread_join(&runner, timeout) < 0) {
		kt_fail(__FILE__, __LINE__, "test finished", 0);
		printf("ktest: %s: still running after %u s\n", c->name,
		       (unsigned)(timeout / SEC));
		return false;
	}
	clean_up(&before);
	if (!cur_failed)
		printf("ktest: %s: ok\n", c->name);
	return true;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, err;
	uint64_t start = kt_now();

	printf("ktest: starting with %u handles\n", valence_initial_handles);
	err = kt_init();
	runner_stack = (uint64_t)kt_map(RUNNER_STACK, VM_READ | VM_WRITE, NULL);
	if (err < 0 || !runner_stack) {
		printf("ktest: setup failed (%d)\n", err);
		printf("ktest: 0 passed, 1 failed\n");
		return 1;
	}
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct kt_case *c = groups[g]; c->name; c++) {
			bool went_on = run_case(c);

			if (cur_failed)
				failed++;
			else
				passed++;
			if (!went_on) {
				printf("ktest: %s hung; stopping here\n",
				       c->name);
				goto out;
			}
		}
	}
out:
	printf("ktest: took %u ms\n", (unsigned)((kt_now() - start) / MS));
	printf("ktest: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
