/*
 * libFuzzer target for the ustar reader (kernel/lib/tar.c): any input must
 * iterate to 0 or -EINVAL without a crash or sanitizer report, and every
 * entry must satisfy the contract in tar.h (checked here independently; a
 * violation aborts).  tar_find must agree with the iteration.  Build and
 * run: make fuzz-tar.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_tar: invariant failed: %s\n",    \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return 0;
	}
	return 1;
}

static void check_entry(const uint8_t *a, size_t size, size_t hdr, size_t next,
			const struct tar_entry *e)
{
	const uint8_t *d = e->data;
	size_t n = strnlen(e->name, sizeof(e->name));

	CHECK(n > 0 && n < sizeof(e->name));
	CHECK(d >= a && d <= a + size);
	CHECK(e->size <= (uint64_t)(a + size - d));
	CHECK(d >= a + hdr + TAR_BLOCK);
	CHECK((size_t)(d - a) % TAR_BLOCK == 0);
	CHECK(d + e->size <= a + next && next <= size);
	CHECK(e->type == '0' || e->type == '\0' || e->type == '7');
}

/*
 * tar_next_any returns every file tar_next does, and links and
 * directories besides, whose data stays inside their own header.
 */
static void check_any(const uint8_t *data, size_t size, int files)
{
	struct tar_entry e;
	size_t off = 0, prev;
	int ret, n = 0;

	for (;;) {
		prev = off;
		ret = tar_next_any(data, size, &off, &e);
		if (ret != 1)
			break;
		CHECK(off > prev && off % TAR_BLOCK == 0);
		CHECK(e.mode <= 07777);
		if (e.type == '1' || e.type == '2') {
			CHECK(e.size <= 100);
			CHECK((const uint8_t *)e.data >= data + prev &&
			      (const uint8_t *)e.data + e.size <=
				      data + prev + TAR_BLOCK);
		} else if (e.type == '5') {
			CHECK(e.size == 0);
		} else {
			check_entry(data, size, prev, off, &e);
			n++;
		}
	}
	CHECK(ret == 0 || ret == -EINVAL);
	CHECK(n == files);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tar_entry e, found;
	char first[TAR_NAME_SIZE] = "";
	const void *first_data = NULL;
	size_t off = 0, prev;
	int ret, n = 0;

	for (;;) {
		prev = off;
		memset(&e, 0x5a, sizeof(e));
		ret = tar_next(data, size, &off, &e);
		if (ret != 1)
			break;
		CHECK(off > prev && off % TAR_BLOCK == 0);
		check_entry(data, size, prev, off, &e);
		if (n++ == 0) {
			memcpy(first, e.name, sizeof(first));
			first_data = e.data;
		}
	}
	CHECK(ret == 0 || ret == -EINVAL);
	CHECK(all_zero(&e, sizeof(e)));
	if (ret == -EINVAL) {
		CHECK(off == prev);
	} else {
		CHECK(off <= size);
		CHECK(tar_next(data, size, &off, &e) == 0);
	}

	/* The first file is found under its own name; the first one wins. */
	if (n > 0) {
		ret = tar_find(data, size, first, &found);
		CHECK(ret == 0);
		CHECK(strcmp(found.name, first) == 0);
		CHECK(found.data == first_data);
		check_entry(data, size, 0, size, &found);
	}
	ret = tar_find(data, size, "", &found);
	CHECK(ret == -ENOENT || ret == -EINVAL);
	CHECK(all_zero(&found, sizeof(found)));
	check_any(data, size, n);
	return 0;
}
