/*
 * Reading the kernel log ring that the kernel shares read-only (struct
 * klog_header in valence/abi.h) while the kernel goes on writing it.
 * Pure C over a mapping, so that the host tests run it unchanged
 * (tests/unit/servers/test_klog.c).
 */
#ifndef SERVERS_LOG_KLOG_H
#define SERVERS_LOG_KLOG_H

#include <stddef.h>
#include <stdint.h>
#include <valence/abi.h>

struct klog_view {
	const struct klog_header *header;
	const char *ring;
	uint64_t size; /* ring bytes, a power of two */
};

/*
 * Checks the header at the start of mem[0, mem_size) (magic, version, a
 * ring of a power-of-two size that lies inside the object) and fills *v.
 * Returns 0 or -EINVAL.
 */
int klog_attach(struct klog_view *v, const void *mem, uint64_t mem_size);

/* Bytes written to the log since boot: the offset of its end. */
uint64_t klog_end(const struct klog_view *v);

/*
 * Copies up to len log bytes from offset *pos into out and moves *pos past
 * them.  An offset the ring no longer holds (overwritten) is first raised
 * to the oldest byte it still holds; bytes the kernel overwrote during the
 * copy are never returned.  Returns the number of bytes copied, 0 when
 * *pos is at or past the end (then *pos is left as it is).
 */
size_t klog_read(const struct klog_view *v, uint64_t *pos, char *out,
		 size_t len);

#endif
