/*
 * The user-side system call stubs, generated from valence/syscall_list.h:
 * one long __sys_<name>(long, ...) per line of the list, with the number
 * from the same line.  Nothing here is written by hand per call; the typed
 * sys_*() wrappers in <valence.h> cast their arguments and call these.
 */
#include <valence/syscall_raw.h>

#define SYSCALL(nr, name, nargs)                                               \
	long __sys_##name(SYSCALL_PARAMS_##nargs)                              \
	{                                                                      \
		return syscall##nargs(SYS_##name SYSCALL_ARGS_##nargs);        \
	}
#include <valence/syscall_list.h>
#undef SYSCALL
