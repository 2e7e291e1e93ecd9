/*
 * newlib's <sys/stat.h>, with what it leaves out on this target: lstat
 * and the special times of futimens and utimensat (the values are
 * Linux's).  libc/posix/fs.c and fsattr.c implement them.
 */
#ifndef VALENCE_SYS_STAT_H
#define VALENCE_SYS_STAT_H

#include_next <sys/stat.h>

#ifndef UTIME_NOW
#define UTIME_NOW  ((1l << 30) - 1l) /* tv_nsec: the current time */
#define UTIME_OMIT ((1l << 30) - 2l) /* tv_nsec: leave it */
#endif

int lstat(const char *__restrict path, struct stat *__restrict st);

#endif
