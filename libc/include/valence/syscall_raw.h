/*
 * The raw Valence system call entry (x86_64 `syscall` instruction).
 *
 * rax = number; arguments in rdi, rsi, rdx, r10, r8, r9; the result comes
 * back in rax (>= 0 success, < 0 is -errno).  The kernel clobbers rcx and
 * r11 and preserves every other register.  docs/abi.md has the details.
 *
 * Programs normally use the typed sys_*() calls in <valence.h>; these are
 * for the stubs in libc/syscalls.c and for calls not wrapped yet.
 */
#ifndef VALENCE_SYSCALL_RAW_H
#define VALENCE_SYSCALL_RAW_H

#include <valence/syscall.h>

static inline long syscall6(long nr, long a0, long a1, long a2, long a3,
			    long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall5(long nr, long a0, long a1, long a2, long a3,
			    long a4)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall4(long nr, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall3(long nr, long a0, long a1, long a2)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall1(long nr, long a0)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall0(long nr)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * Parameter lists of the generated stubs, by number of arguments.  Every
 * argument travels as a long; the typed wrappers in <valence.h> cast.
 */
#define SYSCALL_PARAMS_0 void
#define SYSCALL_PARAMS_1 long a0
#define SYSCALL_PARAMS_2 long a0, long a1
#define SYSCALL_PARAMS_3 long a0, long a1, long a2
#define SYSCALL_PARAMS_4 long a0, long a1, long a2, long a3
#define SYSCALL_PARAMS_5 long a0, long a1, long a2, long a3, long a4
#define SYSCALL_PARAMS_6 long a0, long a1, long a2, long a3, long a4, long a5

/* The matching argument lists, each with a leading comma. */
#define SYSCALL_ARGS_0
#define SYSCALL_ARGS_1 , a0
#define SYSCALL_ARGS_2 , a0, a1
#define SYSCALL_ARGS_3 , a0, a1, a2
#define SYSCALL_ARGS_4 , a0, a1, a2, a3
#define SYSCALL_ARGS_5 , a0, a1, a2, a3, a4
#define SYSCALL_ARGS_6 , a0, a1, a2, a3, a4, a5

/*
 * One untyped stub per system call, generated from valence/syscall_list.h
 * and defined in libc/syscalls.c: long __sys_<name>(long, ...), taking
 * exactly as many arguments as the list says.
 */
#define SYSCALL(nr, name, nargs) long __sys_##name(SYSCALL_PARAMS_##nargs);
#include <valence/syscall_list.h>
#undef SYSCALL

#endif
