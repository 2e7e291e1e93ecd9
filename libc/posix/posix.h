/*
 * libc/posix: what newlib calls underneath (write, read, sbrk ...) and
 * the POSIX calls newlib lacks, on libvalence.  Private to libc/posix.
 */
#ifndef LIBC_POSIX_H
#define LIBC_POSIX_H

#include <stdint.h>
#include <string.h>
#include <valence.h>

/*
 * Turns a Valence result into a POSIX one: r >= 0 is returned as it is;
 * -errno sets errno (newlib's, of the calling thread's reent, and the
 * global `errno` newlib's _r wrappers copy from) and returns -1.
 */
long __posix_ret(long r);

/* Open-file bookkeeping (fd.c): the O_ACCMODE an fd was opened with. */
void __fd_opened(int fd, int flags);
void __fd_closed(int fd);

/* For vspawn and execve (spawn.c): the whole file at path, malloc'd; the
   strings of vec appended to an argument block (their count, or -E2BIG). */
int __read_image(const char *path, char **image, size_t *len);
int __add_strings(char *block, size_t *len, char *const vec[]);

/* Close-on-exec (fd.c): set, read, and close them all before exec. */
void __fd_set_cloexec(int fd, int on);
int __fd_cloexec(int fd);
void __fd_close_on_exec(void);
/* fd `to` is now a copy of `from` (dup2): same access mode. */
void __fd_copied(int from, int to);

/* The working directory (fs.c), absolute, for file: paths. */
extern char __cwd[];

/* Defines _name as another name of name, for newlib's underscore names. */
#define POSIX_ALIAS(name) __typeof__(name) _##name __attribute__((alias(#name)))

#endif
