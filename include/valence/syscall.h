/* System call numbers, generated from valence/syscall_list.h. */
#ifndef VALENCE_SYSCALL_H
#define VALENCE_SYSCALL_H

enum syscall_number {
#define SYSCALL(nr, name, nargs) SYS_##name = nr,
#include "syscall_list.h"
#undef SYSCALL
	SYS_COUNT
};

_Static_assert(SYS_COUNT <= 40, "the syscall budget is 40");

#endif
