/*
 * The calls some utilities need that libc may not have yet: chmod,
 * symlink, readlink, utimes and umask come with the writable file system
 * (servers/tmpfs).  util_config.h, made when the program is built
 * (userland/lib/lib.mk), says which ones libc/posix defines; until it
 * does, the call fails with ENOSYS, so that the utility reports
 * "Function not implemented" rather than not being there at all.  Once
 * libc has them all, this file goes and the callers use libc directly.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "util.h"
#include "util_config.h"

/*
 * libc/posix defines lstat(), but newlib's <sys/stat.h> declares it only
 * for some targets (Cygwin, RTEMS, SPU), so it is declared here, the same
 * way.  The rest of the utilities call util_lstat().
 */
int lstat(const char *__restrict path, struct stat *__restrict st);

int util_lstat(const char *path, struct stat *st)
{
	return lstat(path, st);
}

int util_chmod(const char *path, mode_t mode)
{
#if LIBC_HAS_CHMOD
	return chmod(path, mode);
#else
	(void)path;
	(void)mode;
	errno = ENOSYS;
	return -1;
#endif
}

int util_symlink(const char *target, const char *linkpath)
{
#if LIBC_HAS_SYMLINK
	return symlink(target, linkpath);
#else
	(void)target;
	(void)linkpath;
	errno = ENOSYS;
	return -1;
#endif
}

long util_readlink(const char *path, char *buf, size_t size)
{
#if LIBC_HAS_READLINK
	return (long)readlink(path, buf, size);
#else
	(void)path;
	(void)buf;
	(void)size;
	errno = ENOSYS;
	return -1;
#endif
}

int util_touch_now(const char *path)
{
#if LIBC_HAS_UTIMES
	return utimes(path, NULL);
#else
	(void)path;
	errno = ENOSYS;
	return -1;
#endif
}

mode_t util_umask(void)
{
#if LIBC_HAS_UMASK
	mode_t m = umask(0);

	umask(m);
	return m;
#else
	return 022;
#endif
}
