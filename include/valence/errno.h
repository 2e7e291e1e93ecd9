/*
 * Error numbers used everywhere below libc: 0 or -errno.
 * The values are newlib's (sys/errno.h), so libc passes them through as is.
 */
#ifndef VALENCE_ERRNO_H
#define VALENCE_ERRNO_H

#define EPERM	     1	 /* not permitted (missing right) */
#define ENOENT	     2	 /* no such entry */
#define ESRCH	     3	 /* no such process */
#define EINTR	     4	 /* interrupted */
#define EIO	     5	 /* I/O error */
#define E2BIG	     7	 /* argument list too long */
#define ENOEXEC	     8	 /* bad executable image */
#define EBADF	     9	 /* bad handle or descriptor */
#define ECHILD	     10	 /* no child */
#define EAGAIN	     11	 /* try again */
#define ENOMEM	     12	 /* out of memory */
#define EACCES	     13	 /* permission denied */
#define EFAULT	     14	 /* bad address */
#define EBUSY	     16	 /* busy */
#define EEXIST	     17	 /* already exists */
#define EXDEV	     18	 /* across schemes (rename) */
#define ENODEV	     19	 /* no such device */
#define ENOTDIR	     20	 /* not a directory */
#define EISDIR	     21	 /* is a directory */
#define EINVAL	     22	 /* invalid argument */
#define ENFILE	     23	 /* a server's table of open files is full */
#define EMFILE	     24	 /* too many open handles */
#define ENOTTY	     25	 /* not a terminal */
#define EFBIG	     27	 /* file too large */
#define ENOSPC	     28	 /* no space left */
#define ESPIPE	     29	 /* illegal seek */
#define EROFS	     30	 /* read-only file system */
#define EPIPE	     32	 /* peer gone */
#define ERANGE	     34	 /* out of range */
#define ENOSYS	     88	 /* not implemented */
#define ENOTEMPTY    90	 /* directory not empty */
#define ENAMETOOLONG 91	 /* name too long */
#define ELOOP	     92	 /* too many symbolic links */
#define ENOTSUP	     134 /* not supported */
#define ETIMEDOUT    116 /* timed out */
#define ECONNRESET   104 /* connection reset (server died) */

#endif
