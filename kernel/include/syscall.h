/*
 * The kernel side of every system call, declared from the one list
 * (include/valence/syscall_list.h).  Handlers decode and check their
 * arguments first (and may fail), then act (and cannot).
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "types.h"

#define SYSCALL_ARGS_0 void
#define SYSCALL_ARGS_1 uint64_t
#define SYSCALL_ARGS_2 uint64_t, uint64_t
#define SYSCALL_ARGS_3 uint64_t, uint64_t, uint64_t
#define SYSCALL_ARGS_4 uint64_t, uint64_t, uint64_t, uint64_t
#define SYSCALL_ARGS_5 uint64_t, uint64_t, uint64_t, uint64_t, uint64_t
#define SYSCALL_ARGS_6                                                         \
	uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t

#define SYSCALL(nr, name, nargs) long sys_##name(SYSCALL_ARGS_##nargs);
#include <valence/syscall_list.h>
#undef SYSCALL

/* Runs system call `nr`; -ENOSYS for an unknown number. */
long syscall_invoke(uint64_t nr, const uint64_t args[6]);

#endif
