/*
 * newlib's <utime.h> has struct utimbuf but no utime(); libc/posix/
 * fsattr.c implements it over FS_UTIMES.
 */
#ifndef VALENCE_UTIME_H
#define VALENCE_UTIME_H

#include_next <utime.h>

int utime(const char *path, const struct utimbuf *times);

#endif
