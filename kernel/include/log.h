/*
 * Kernel log (kernel/lib/log.c): every line goes to COM1, to the early
 * framebuffer console and to a ring buffer that the panic path replays.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include "types.h"

/* Prints a formatted message; callers end lines with "\n". */
void klog(const char *fmt, ...) __printf(1, 2);

/* Writes raw bytes to every log sink. */
void log_write(const char *s, size_t n);

/*
 * Readies the ring for user space (struct klog_header in valence/abi.h)
 * and returns its physical address; *size gets its size in bytes, whole
 * pages.  The kernel keeps writing it; user space may only read it.
 */
uint64_t log_share(uint64_t *size);

/* Copies the last `lines` lines of the ring buffer to every sink. */
void log_replay_tail(int lines);

/* Writes everything the ring buffer holds to the framebuffer console. */
void log_replay_to_console(void);

/* Stops copying to the ring buffer (used while replaying it). */
void log_freeze(void);

/*
 * Stops the kernel: prints "kernel panic: <message>", the recent log lines
 * and a symbolized stack trace on every sink, then halts (or leaves QEMU
 * with EXIT_PANIC when the `panic=exit` option is set).
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/*
 * The two halves of every panic report, for the exception path that prints
 * its own registers in between.  panic_begin() returns false when a panic
 * is already under way (the caller should then just halt).
 */
bool panic_begin(void);
__noreturn void panic_end(void);

/* isa-debug-exit codes the test harness knows (QEMU exits with 2c+1). */
#define EXIT_SUCCESS_CODE 0x10
#define EXIT_FAILURE_CODE 0x11
#define EXIT_PANIC_CODE	  0x12

/* Set from the command line: leave QEMU instead of halting on panic. */
extern bool panic_exits_qemu;

#endif
