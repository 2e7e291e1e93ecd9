/*
 * The system call table, generated from include/valence/syscall_list.h.
 * Every handler takes six 64-bit arguments (the unused ones are ignored)
 * and returns a value >= 0 or -errno.
 */
#include <valence/syscall.h>
#include "syscall.h"

typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
			   uint64_t);

static const syscall_fn table[SYS_COUNT] = {
#define SYSCALL(nr, name, nargs) [nr] = (syscall_fn)(void (*)(void))sys_##name,
#include <valence/syscall_list.h>
#undef SYSCALL
};

long syscall_invoke(uint64_t nr, const uint64_t a[6])
{
	if (nr >= SYS_COUNT || !table[nr])
		return -ENOSYS;
	return table[nr](a[0], a[1], a[2], a[3], a[4], a[5]);
}
