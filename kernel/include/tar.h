/*
 * Read-only reader for the boot archive (initfs): POSIX ustar, as written by
 * tools/mkinitfs.  Freestanding (types.h and lib.h only, no allocation), so
 * the kernel and user space share it.
 *
 * The archive is untrusted: every header is validated and nothing outside
 * [archive, archive + size) is ever read.  The archive may have any
 * alignment.
 */
#ifndef KERNEL_TAR_H
#define KERNEL_TAR_H

#include "types.h"

#define TAR_BLOCK 512
/* "prefix/name": at most 155 + 1 + 100 characters, plus the NUL. */
#define TAR_NAME_SIZE 257

struct tar_entry {
	char name[TAR_NAME_SIZE]; /* NUL-terminated, never empty */
	const void *data;	  /* inside the archive; size bytes */
	uint64_t size;
	uint64_t mtime; /* seconds since 1970; 0 if the field is unreadable */
	uint32_t mode;	/* permission bits (07777); 0 if unreadable */
	char type;	/* typeflag: '0', '\0' (old-style) or '7'; with
			   tar_next_any also '1', '2' and '5' */
};

/*
 * Iterates over the regular files in archive[0, size).  *offset starts at 0
 * and must only be changed by tar_next().
 *
 * Returns 1 and fills *e with the next regular file, 0 at the end of the
 * archive (the exact end of the data, or a zero block followed by a second
 * zero block or by the end of the data), or -EINVAL for a malformed archive:
 * a bad checksum, magic or size field, an empty name, data plus padding to
 * TAR_BLOCK past the end, a partial block, a zero block followed by
 * anything but the end marker, or a bad *offset.  Other entry types
 * (directories, links, pax headers, ...) are validated and skipped.  On 0 or
 * -EINVAL, *e is zeroed; on -EINVAL, *offset is unchanged.  e->data points
 * into the archive; for size 0 it may be archive + size.
 */
int tar_next(const void *archive, size_t size, size_t *offset,
	     struct tar_entry *e);

/*
 * As tar_next, but also returns hard links ('1'), symbolic links ('2') and
 * directories ('5').  For a link, data and size are its target, in the
 * header's linkname field (at most 100 bytes, not NUL-terminated); for a
 * directory, size is 0.
 */
int tar_next_any(const void *archive, size_t size, size_t *offset,
		 struct tar_entry *e);

/*
 * Finds the regular file called exactly `name` (e.g. "bin/init"); the first
 * one wins if there are several.  Returns 0 with *e filled, -ENOENT if the
 * archive has no such file, or -EINVAL if it is malformed before the name is
 * found (or an argument is NULL).  On error *e is zeroed.
 */
int tar_find(const void *archive, size_t size, const char *name,
	     struct tar_entry *e);

#endif
