/*
 * errno, twice over.  A program's `errno` is newlib's macro for the
 * calling thread's reent field; newlib's own _write_r and friends call
 * write() and then copy the global `int errno` (defined in newlib's
 * reent.c) into that field.  Failing
 * calls here set both, so either way of calling sees the error.
 */
#include <errno.h>
#include "posix.h"

static inline void set_reent_errno(int e)
{
	errno = e; /* newlib's macro: *__errno() */
}

#undef errno
extern int errno; /* newlib's reent.c defines it */

long __posix_ret(long r)
{
	if (r >= 0)
		return r;
	set_reent_errno((int)-r);
	errno = (int)-r;
	return -1;
}
