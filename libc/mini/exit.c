/*
 * exit() for programs without newlib: nothing to flush and no atexit
 * handlers, so it is the system call.  Programs linked with newlib get
 * newlib's exit(), which ends in _exit() (libc/posix/proc.c).
 */
#include <valence.h>

__attribute__((noreturn)) void exit(int status)
{
	sys_proc_exit(status);
}
