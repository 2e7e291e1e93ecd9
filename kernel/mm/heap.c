/*
 * Kernel heap.  Requests up to 1 KiB come from slabs: one 4 KiB page per
 * slab, one size class per slab, a header at the start of the page with a
 * bitmap of live objects (so double frees and stray pointers are caught
 * exactly).  Larger requests get whole contiguous pages with a header in
 * front.  kfree() finds the header by rounding the pointer down to its page.
 */
#include "lib.h"
#include "log.h"
#include "mm.h"

#define SLAB_MAGIC  0x51ab51abu
#define LARGE_MAGIC 0x1a26e001u
#define HEADER_SIZE 64
#define CLASSES	    7 /* 16 .. 1024 */
#define MIN_SHIFT   4
#define MAX_SMALL   1024
#define POISON	    0x6b

struct slab {
	uint32_t magic;
	uint16_t obj_size;
	uint16_t capacity;
	uint16_t used;
	uint16_t pad[3];
	struct slab *next, *prev; /* the class's list of non-full slabs */
	uint64_t live[4];	  /* bit per object */
};
_Static_assert(sizeof(struct slab) == HEADER_SIZE, "slab header size");

struct large {
	uint32_t magic;
	uint32_t pages;
	uint64_t size;
	uint8_t pad[HEADER_SIZE - 16];
};
_Static_assert(sizeof(struct large) == HEADER_SIZE, "large header size");

static struct slab *partial[CLASSES];
static size_t bytes_in_use;

static unsigned class_of(size_t size)
{
	unsigned c = 0;

	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

static uint8_t *slab_obj(struct slab *s, unsigned i)
{
	return (uint8_t *)s + HEADER_SIZE + (size_t)i * s->obj_size;
}

static void list_remove(struct slab **head, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void list_push(struct slab **head, struct slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static struct slab *slab_create(unsigned cls)
{
	uint64_t pa = frame_alloc();
	struct slab *s;

	if (!pa)
		return NULL;
	s = phys_to_virt(pa);
	memset(s, POISON, PAGE_SIZE);
	memset(s, 0, HEADER_SIZE);
	s->magic = SLAB_MAGIC;
	s->obj_size = (uint16_t)(1U << (cls + MIN_SHIFT));
	s->capacity = (uint16_t)((PAGE_SIZE - HEADER_SIZE) / s->obj_size);
	return s;
}

static void *alloc_small(size_t size)
{
	unsigned cls = class_of(size);
	struct slab *s = partial[cls];
	unsigned i;

	if (!s) {
		s = slab_create(cls);
		if (!s)
			return NULL;
		list_push(&partial[cls], s);
	}
	for (i = 0; s->live[i / 64] & (1UL << (i % 64)); i++)
		;
	s->live[i / 64] |= 1UL << (i % 64);
	if (++s->used == s->capacity)
		list_remove(&partial[cls], s);
	bytes_in_use += s->obj_size;
	return slab_obj(s, i);
}

static void *alloc_large(size_t size)
{
	size_t pages = (size + HEADER_SIZE + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t pa = pmm_alloc_contig(&kernel_pmm, pages, PAGE_SIZE);
	struct large *l;

	if (!pa)
		return NULL;
	l = phys_to_virt(pa);
	memset(l, 0, HEADER_SIZE);
	l->magic = LARGE_MAGIC;
	l->pages = (uint32_t)pages;
	l->size = size;
	bytes_in_use += pages * PAGE_SIZE;
	return (uint8_t *)l + HEADER_SIZE;
}

void *kmalloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (size > MAX_SMALL)
		return size > (1UL << 40) ? NULL : alloc_large(size);
	return alloc_small(size);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The header of the page holding `p`, or NULL if `p` cannot be a heap object.
 */
static void *header_of(const void *p)
{
	uint64_t pa;

	if (!p || !IS_ALIGNED((uint64_t)p, 16))
		return NULL;
	pa = virt_to_phys(p);
	if (!pmm_in_use(&kernel_pmm, pa) ||
	    pa >= kernel_pmm.base + kernel_pmm.nframes * PAGE_SIZE)
		return NULL;
	return (void *)ALIGN_DOWN((uint64_t)p, PAGE_SIZE);
}

static bool slab_sane(const struct slab *s)
{
	return s->magic == SLAB_MAGIC && s->obj_size >= 16 &&
	       s->obj_size <= MAX_SMALL && !(s->obj_size & (s->obj_size - 1)) &&
	       s->capacity == (PAGE_SIZE - HEADER_SIZE) / s->obj_size &&
	       s->used <= s->capacity;
}

/* Slab object index of `p`, or -1 if `p` is not a live object of `s`. */
static int slab_index(struct slab *s, const void *p)
{
	uint64_t off = (uint64_t)p - (uint64_t)s;
	unsigned i;

	if (off < HEADER_SIZE || (off - HEADER_SIZE) % s->obj_size)
		return -1;
	i = (unsigned)((off - HEADER_SIZE) / s->obj_size);
	if (i >= s->capacity || !(s->live[i / 64] & (1UL << (i % 64))))
		return -1;
	return (int)i;
}

int heap_free_checked(void *p)
{
	void *h = header_of(p);
	struct slab *s = h;
	struct large *l = h;
	int i;

	if (!h)
		return -EINVAL;
	if (l->magic == LARGE_MAGIC) {
		uint32_t pages = l->pages;

		if ((uint8_t *)p != (uint8_t *)l + HEADER_SIZE || !pages)
			return -EINVAL;
		l->magic = 0;
		if (pmm_free(&kernel_pmm, virt_to_phys(l), pages)) {
			l->magic = LARGE_MAGIC;
			return -EINVAL;
		}
		bytes_in_use -= (size_t)pages * PAGE_SIZE;
		return 0;
	}
	if (!slab_sane(s) || (i = slab_index(s, p)) < 0)
		return -EINVAL;
	s->live[i / 64] &= ~(1UL << (i % 64));
	memset(p, POISON, s->obj_size);
	bytes_in_use -= s->obj_size;
	if (s->used-- == s->capacity)
		list_push(&partial[class_of(s->obj_size)], s);
	if (s->used == 0) {
		list_remove(&partial[class_of(s->obj_size)], s);
		s->magic = 0;
		frame_free(virt_to_phys(s));
	}
	return 0;
}

void kfree(void *p)
{
	if (p && heap_free_checked(p))
		panic("kfree: %p is not a live heap object", p);
}

size_t heap_bytes_in_use(void)
{
	return bytes_in_use;
}

size_t heap_object_size(const void *p)
{
	void *h = header_of(p);
	struct large *l = h;

	if (!h)
		return 0;
	if (l->magic == LARGE_MAGIC)
		return (uint8_t *)p == (uint8_t *)l + HEADER_SIZE
			       ? l->pages * PAGE_SIZE - HEADER_SIZE
			       : 0;
	if (!slab_sane(h) || slab_index(h, p) < 0)
		return 0;
	return ((struct slab *)h)->obj_size;
}

int heap_check(void)
{
	for (unsigned c = 0; c < CLASSES; c++) {
		for (struct slab *s = partial[c]; s; s = s->next) {
			if (!slab_sane(s) ||
			    s->obj_size != 1U << (c + MIN_SHIFT))
				return -EINVAL;
			for (unsigned i = 0; i < s->capacity; i++) {
				const uint8_t *o = slab_obj(s, i);

				if (s->live[i / 64] & (1UL << (i % 64)))
					continue;
				for (unsigned b = 0; b < s->obj_size; b++)
					if (o[b] != POISON)
						return -EINVAL;
			}
		}
	}
	return 0;
}
