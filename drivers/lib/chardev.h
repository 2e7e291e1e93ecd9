/*
 * chardev: the file protocol for character devices, over libdriver.
 *
 * A driver names its units "0", "1", ... (serial:0) and supplies a write
 * callback; received bytes go to chardev_input.  chardev keeps the open
 * files, an input ring per unit and the queue of reads waiting for input,
 * and answers every message of the file protocol (docs/drivers.md has the
 * table):
 *
 *   FS_OPEN "N"  a unit; anything else -ENOENT
 *   FS_READ      what the ring holds, at most the buffer; when it is
 *                empty the call is parked until input arrives (-EAGAIN
 *                with VO_NONBLOCK); parked reads are answered in order
 *   FS_WRITE     ops->write until all is sent
 *   FS_STAT      VS_IFCHR | 0666, size = bytes waiting to be read
 *   FS_SEEK      -ESPIPE
 *   FS_SETFL     sets or reads VO_NONBLOCK and VO_APPEND
 *   FS_FSYNC     0 (writes are done when FS_WRITE returns)
 *   other ops    -ENOSYS
 *
 * Closing a file's last handle (CLOSE) answers its parked reads with
 * -EBADF.
 */
#ifndef DRIVERS_LIB_CHARDEV_H
#define DRIVERS_LIB_CHARDEV_H

#include "driver.h"

#define CHARDEV_UNITS_MAX  8
#define CHARDEV_RING_SIZE  4096 /* input bytes kept per unit */
#define CHARDEV_FILES_MAX  64	/* open files, all clients together */
#define CHARDEV_PARKED_MAX 64	/* reads waiting for input, all units */

struct chardev_ops {
	uint32_t units; /* 1..CHARDEV_UNITS_MAX */
	/*
	 * Sends buf[0, n) (n > 0) out of `unit`.  Returns how many bytes
	 * went (at least 1), or -errno (-EIO: the device does not take
	 * them).  May be slow, but must not wait forever.
	 */
	long (*write)(uint32_t unit, const uint8_t *buf, size_t n);
};

/*
 * Sets chardev up for driver d (after driver_init) with ops.  Returns 0,
 * or -EINVAL for 0 or more than CHARDEV_UNITS_MAX units, or no write.
 */
int chardev_init(struct driver *d, const struct chardev_ops *ops);

/*
 * Bytes received on `unit`: kept in its ring and handed to the reads
 * waiting for them.  What does not fit is dropped and counted; the count
 * is logged when reading makes room again.
 */
void chardev_input(uint32_t unit, const uint8_t *bytes, size_t n);

/* driver_ops.request and driver_ops.close for a character device. */
long chardev_request(struct driver *d, const struct ipc_received *r);
void chardev_close(struct driver *d, uint64_t badge);

#endif
