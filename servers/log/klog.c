/*
 * The kernel log ring, read from user space.  The kernel raises
 * header->started before it overwrites part of the ring and
 * header->written after (kernel/lib/log.c), so a byte at position p that
 * was copied before `started` was read is intact when
 * p >= started - size.
 */
#include <valence/errno.h>
#include "klog.h"

#define KLOG_TRIES 8 /* copies torn by a busy writer before giving up */

int klog_attach(struct klog_view *v, const void *mem, uint64_t mem_size)
{
	const struct klog_header *h = mem;

	if (!mem || mem_size < sizeof(*h) || h->magic != KLOG_MAGIC ||
	    h->version != KLOG_VERSION)
		return -EINVAL;
	if (h->size == 0 || (h->size & (h->size - 1)) != 0 ||
	    h->data_offset < sizeof(*h) || h->data_offset > mem_size ||
	    h->size > mem_size - h->data_offset)
		return -EINVAL;
	v->header = h;
	v->ring = (const char *)mem + h->data_offset;
	v->size = h->size;
	return 0;
}

uint64_t klog_end(const struct klog_view *v)
{
	return __atomic_load_n(&v->header->written, __ATOMIC_ACQUIRE);
}

/* The oldest position the ring can still be trusted to hold. */
static uint64_t oldest_intact(const struct klog_view *v)
{
	uint64_t started;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	started = __atomic_load_n(&v->header->started, __ATOMIC_ACQUIRE);
	return started > v->size ? started - v->size : 0;
}

static void copy_out(const struct klog_view *v, uint64_t from, char *out,
		     size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = v->ring[(from + i) & (v->size - 1)];
}

size_t klog_read(const struct klog_view *v, uint64_t *pos, char *out,
		 size_t len)
{
	for (int tries = 0; tries < KLOG_TRIES; tries++) {
		uint64_t end = klog_end(v), from = *pos, oldest;
		size_t n;

		if (from >= end || len == 0)
			return 0;
		if (end - from > v->size)
			from = end - v->size;
		n = end - from < len ? (size_t)(end - from) : len;
		copy_out(v, from, out, n);
		oldest = oldest_intact(v);
		if (from >= oldest) {
			*pos = from + n;
			return n;
		}
		if (oldest < from + n) {
			/* Only the start was overwritten: keep the rest. */
			size_t torn = (size_t)(oldest - from);

			for (size_t i = torn; i < n; i++)
				out[i - torn] = out[i];
			*pos = from + n;
			return n - torn;
		}
		*pos = oldest; /* all of it was overwritten: again */
	}
	return 0;
}
