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

/*
 * Descriptor bookkeeping (fd.c).  __fd_opened records the O_ACCMODE and
 * O_CLOEXEC of `flags` for a new descriptor; __fd_closed forgets fd;
 * __fd_copied gives `to` what `from` has, but close-on-exec (dup).
 * __fd_accmode is the access mode, -1 when not known (a descriptor libc
 * did not make, such as the standard ones a process starts with).
 * __fd_close_on_exec closes every descriptor marked close-on-exec
 * (execve, just before the exec).
 * The local flags are O_APPEND and O_NONBLOCK kept for a server that
 * does not keep them (FS_SETFL answers -ENOSYS); write() honours a local
 * O_APPEND by seeking to the end first.
 */
void __fd_opened(int fd, int flags);
void __fd_closed(int fd);
void __fd_copied(int from, int to);
int __fd_accmode(int fd);
int __fd_cloexec(int fd);
void __fd_set_cloexec(int fd, int on);
void __fd_close_on_exec(void);
int __fd_local_flags(int fd);
void __fd_set_local_flags(int fd, int flags);

/* For vspawn and execve (spawn.c): the whole file at path, malloc'd; the
   strings of vec appended to an argument block (their count, or -E2BIG). */
int __read_image(const char *path, char **image, size_t *len);
int __add_strings(char *block, size_t *len, char *const vec[]);
/* Appends the working directory and umask for the new program
   (inherit.c): 0 or -E2BIG. */
int __add_inherited(char *block, size_t *len);
/* A malloc'd argument block: argv, envp, what is inherited (spawn.c).
   Returns argc, or -ENOMEM, -E2BIG, -EINVAL (an empty argv). */
int __make_block(char *const argv[], char *const envp[], char **block,
		 size_t *len);

/* The working directory (fs.c), absolute, for file: paths. */
extern char __cwd[];

/* The size of a full path: "file:" and PATH_MAX. */
#define FULL_MAX (1024 + 8)

/*
 * Makes the full scheme path of `path` in out[0, size) (fs.c): a file
 * path becomes "file:" and its absolute, normal form against the working
 * directory; any other scheme's path is copied as it is.  0 or -errno.
 */
int __full_path(const char *path, char *out, size_t size);

/* Fills a newlib struct stat from the protocol's struct vstat (fd.c). */
struct stat;
void __from_vstat(struct stat *st, const struct vstat *v);

/* The process's file mode creation mask (fs.c). */
extern unsigned int __umask;

/* Defines _name as another name of name, for newlib's underscore names. */
#define POSIX_ALIAS(name) __typeof__(name) _##name __attribute__((alias(#name)))

#endif
