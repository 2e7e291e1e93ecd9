/*
 * ktest: the user-space kernel test suite.  This header holds the small
 * test framework (checks that report `file:line expr got X`) and the
 * helpers every test file shares: spawning ktest-child, threads with their
 * own stacks, mapped memory, time.
 *
 * A test is a void function.  CHECK* record a failure and go on; REQUIRE*
 * record it and return from the calling function.  Whatever a test leaves
 * behind (children, threads, handles) is cleaned up by the runner and
 * counted as a failure.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdbool.h>
#include <valence.h>
#include "proto.h"

#define MS		1000000ull
#define SEC		1000000000ull
#define PAGE		4096ull

/* Handles ktest starts with (see userland/init/main.c). */
#define H_BOOTFS	0
#define H_IRQ_ROOT	1
#define H_IOPORT_ROOT	2
#define H_PHYS_ROOT	3

/* Addresses no user pointer may reach. */
#define KERNEL_TEXT	0xffffffff80000000ull
#define KERNEL_IMAGE	0xffffffff80100000ull
#define DIRECT_MAP	0xffff800000000000ull
#define UNMAPPED_USER	0x0000500000000000ull
#define NONCANONICAL	0x0000800000000000ull

struct kt_case {
	const char *name;
	void (*fn)(void);
	uint64_t timeout_ns;	/* 0: the default */
};

/* ---- checks ---- */

/* Records a failure of the running test and prints it. */
void kt_fail(const char *file, int line, const char *expr, long long got);

#define CHECK_FAIL kt_fail
#include "../check.h"

/* ---- time ---- */

static inline uint64_t kt_now(void)
{
	return sys_clock_get();
}

/* ---- child processes (bin/ktest-child) ---- */

extern const void *kt_bootfs;
extern uint64_t kt_bootfs_size;
extern const void *kt_child_image;
extern uint64_t kt_child_image_len;

int kt_init(void);

/*
 * Spawns ktest-child with argv { KT_CHILD, mode, args... } (a NULL ends
 * the list) and the given handles.  The process is tracked until
 * kt_wait(): the runner kills what a test leaves.
 */
handle_t kt_spawn(const handle_t *hs, uint32_t n, const char *mode, ...);
handle_t kt_spawn_prio(const handle_t *hs, uint32_t n, uint32_t prio,
		       const char *mode, ...);
/* Waits for it (up to timeout_ns); returns the wait status, -errno. */
int kt_wait(handle_t proc, uint64_t timeout_ns);
/* Spawns with no handles, waits up to 10 s; the status or -errno. */
int kt_run(const char *mode, ...);
/* Stops tracking proc (the test closed or waited it itself). */
void kt_forget(handle_t proc);
/* Kills and reaps every child still tracked; returns how many. */
int kt_reap_all(void);

/* ---- threads ---- */

#define KT_STACK	(16u << 10)

struct kt_thread {
	handle_t handle;
	uint64_t stack;			/* base of its mapping */
	uint64_t stack_size;
	volatile uint32_t done;		/* set by the thread as it ends */
	void (*fn)(void *);
	void *arg;
	bool tracked;
};

/*
 * Starts fn(arg) on a thread of its own with a fresh stack (mem_create +
 * vm_map).  Returns 0 or -errno.
 */
int kt_thread_start(struct kt_thread *t, void (*fn)(void *), void *arg);
/*
 * As kt_thread_start, on a stack the caller owns (no mapping made or
 * removed); the stack may be reused once the thread is joined.
 */
int kt_thread_start_on(struct kt_thread *t, void (*fn)(void *), void *arg,
		       uint64_t stack, uint64_t size);
/* Waits until the thread has finished; 0 or -ETIMEDOUT. */
int kt_thread_join(struct kt_thread *t, uint64_t timeout_ns);
/* Joins every thread still tracked; returns how many did not end. */
int kt_join_all(uint64_t timeout_ns);
/* Stops tracking the threads that would not end; returns how many. */
int kt_forget_threads(void);

/* Sleeps on *word while it equals `value`, up to timeout_ns. */
int kt_wait_word(volatile uint32_t *word, uint32_t value,
		 uint64_t timeout_ns);

/* ---- memory ---- */

/* mem_create + vm_map; *mem gets the handle (closed when mem is NULL). */
void *kt_map(uint64_t size, uint32_t prot, handle_t *mem);
void kt_unmap(void *p, uint64_t size);

/* ---- IPC ---- */

/* The pid the kernel stamps on our own calls (found with a self-call). */
uint32_t kt_self_pid(void);

/*
 * An in-process echo server on `port`: a thread that answers every call
 * with status = op and the same words, until KT_OP_QUIT.
 */
struct kt_echo {
	handle_t port, conn;
	struct kt_thread thread;
};
int kt_echo_start(struct kt_echo *e, uint64_t badge);
void kt_echo_stop(struct kt_echo *e);

/* ---- assembly helpers (regs.S) ---- */

/* Runs syscall nr with known values in every register; returns the
 * number of registers that changed (rax, rcx and r11 excepted). */
int kt_regs_check(long nr);
/* Fills xmm0..15 from `seed`, makes `rounds` system calls nr(arg),
 * returns the number of xmm registers that changed. */
int kt_sse_check(uint64_t seed, int rounds, long nr, long arg);

/* ---- the test lists ---- */

extern const struct kt_case kt_basic_cases[];
extern const struct kt_case kt_handle_cases[];
extern const struct kt_case kt_sync_cases[];
extern const struct kt_case kt_mem_cases[];
extern const struct kt_case kt_ipc_cases[];
extern const struct kt_case kt_close_cases[];
extern const struct kt_case kt_proc_cases[];
extern const struct kt_case kt_fork_cases[];
extern const struct kt_case kt_fault_cases[];
extern const struct kt_case kt_irq_cases[];
extern const struct kt_case kt_badptr_cases[];
extern const struct kt_case kt_stress_cases[];
extern const struct kt_case kt_preempt_cases[];

#endif
