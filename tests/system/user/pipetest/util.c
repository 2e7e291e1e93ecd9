/*
 * pipetest helpers: threads on stacks of their own, children started
 * with chosen standard handles, reading to the end, the clock, and the
 * kernel's object count.
 */
#include <sys/wait.h>
#include "pipetest.h"

#define THREADS_MAX 4
#define STACK_SIZE  (64 * 1024)

static uint8_t stacks[THREADS_MAX][STACK_SIZE] __attribute__((aligned(16)));
static bool stack_busy[THREADS_MAX];

/*
 * The end of every thread: mark it done, wake the joiner, exit, without
 * touching the stack, which the joiner may hand to the next thread as
 * soon as `done` is set.
 */
static __attribute__((noreturn)) void thread_finish(volatile uint32_t *done)
{
	__asm__ volatile("movl $1, (%%rdi)\n\t"
			 "movl %[wake], %%eax\n\t"
			 "movl $0x7fffffff, %%esi\n\t"
			 "syscall\n\t"
			 "movl %[exit], %%eax\n\t"
			 "xorl %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2"
			 :
			 : "D"(done), [wake] "i"(SYS_futex_wake),
			   [exit] "i"(SYS_thread_exit)
			 : "rax", "rsi", "rcx", "r11", "memory");
	__builtin_unreachable();
}

static void thread_entry(uint64_t arg)
{
	struct thread *t = (struct thread *)arg;

	t->fn(t->arg);
	thread_finish(&t->done);
}

int thread_start(struct thread *t, void (*fn)(void *), void *arg)
{
	int slot = -1;

	for (int i = 0; i < THREADS_MAX && slot < 0; i++)
		if (!stack_busy[i])
			slot = i;
	if (slot < 0)
		return -EAGAIN;
	t->done = 0;
	t->fn = fn;
	t->arg = arg;
	t->slot = slot;
	t->handle = sys_thread_create(
		thread_entry, (uint64_t)(uintptr_t)stacks[slot] + STACK_SIZE,
		(uint64_t)(uintptr_t)t);
	if (t->handle < 0)
		return t->handle;
	stack_busy[slot] = true;
	return 0;
}

int thread_join(struct thread *t, uint64_t timeout_ns)
{
	uint64_t end = sys_clock_get() + timeout_ns;

	while (!__atomic_load_n(&t->done, __ATOMIC_ACQUIRE)) {
		uint64_t now = sys_clock_get();

		if (now >= end)
			return -ETIMEDOUT;
		sys_futex_wait((const uint32_t *)&t->done, 0, end - now);
	}
	sys_handle_close(t->handle);
	stack_busy[t->slot] = false;
	return 0;
}

int child_start(const char *mode, const char *arg, int in, int out)
{
	char *argv[] = { "pipetest", "child", (char *)mode, (char *)arg, NULL };
	int fds[3] = { in >= 0 ? in : 0, out >= 0 ? out : 1, 2 };

	if (!arg)
		argv[3] = NULL;
	return vspawn_with(SELF_PATH, argv, NULL, fds);
}

int child_wait(int proc)
{
	int status = -1;

	if (vwait(proc, &status) < 0)
		return -1;
	return status;
}

long read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

uint64_t now_ms(void)
{
	return sys_clock_get() / MS;
}

uint64_t objects_settled(uint64_t want)
{
	struct sys_stats s;

	for (int i = 0; i < 200; i++) {
		if (sys_sys_stats(&s) < 0)
			return 0;
		if (s.objects == want)
			break;
		sys_sleep(10 * MS);
	}
	return s.objects;
}
