/*
 * Unit tests for the ustar reader (kernel/lib/tar.c).
 *
 * Archives are built here block by block with put_header(), which writes a
 * valid header the way Python's tarfile (tools/mkinitfs) does.  Every call
 * into tar.c gets an exact heap copy of the archive, so ASan reports any
 * read past its end.  `test_tar --write-seed FILE` writes the valid
 * three-file archive to FILE (the fuzz corpus seed, see tests/fuzz/fuzz.mk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tar.h"

#define BLK TAR_BLOCK

/* Header field offsets and widths. */
#define H_NAME	   0
#define H_SIZE	   124
#define H_CHKSUM   148
#define H_TYPE	   156
#define H_LINKNAME 157
#define H_MAGIC	   257
#define H_PREFIX   345

static uint8_t arc[64 * BLK];
static size_t arc_len;

/* Copies s into a field of width w, NUL-padded; no NUL if s fills it. */
static void put_field(uint8_t *h, size_t off, size_t w, const char *s)
{
	size_t n = strlen(s);

	assert_true(n <= w);
	memset(h + off, 0, w);
	memcpy(h + off, s, n);
}

static void put_octal(uint8_t *h, size_t off, size_t w, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%0*llo", (int)(w - 1),
		 (unsigned long long)v);
	put_field(h, off, w, buf);
}

/* Recomputes the checksum as tarfile writes it: "%06o\0 ". */
static void fix_checksum(uint8_t *h)
{
	unsigned sum = 0;
	char buf[8];

	memset(h + H_CHKSUM, ' ', 8);
	for (int i = 0; i < BLK; i++)
		sum += h[i];
	snprintf(buf, sizeof(buf), "%06o", sum);
	memcpy(h + H_CHKSUM, buf, 7);
	h[H_CHKSUM + 7] = ' ';
}

static void put_header(uint8_t *h, const char *prefix, const char *name,
		       char type, uint64_t size)
{
	memset(h, 0, BLK);
	put_field(h, H_NAME, 100, name);
	put_octal(h, 100, 8, 0755);
	put_octal(h, 108, 8, 0);
	put_octal(h, 116, 8, 0);
	put_octal(h, H_SIZE, 12, size);
	put_octal(h, 136, 12, 0);
	h[H_TYPE] = (uint8_t)type;
	memcpy(h + H_MAGIC, "ustar\0" "00", 8);
	put_field(h, H_PREFIX, 155, prefix);
	fix_checksum(h);
}

static void arc_reset(void)
{
	memset(arc, 0, sizeof(arc));
	arc_len = 0;
}

/* Appends a header and `size` bytes of data (from data, or a pattern). */
static uint8_t *arc_add(const char *prefix, const char *name, char type,
			const void *data, uint64_t size)
{
	uint8_t *h = arc + arc_len;
	size_t padded = (size + BLK - 1) / BLK * BLK;

	assert_true(arc_len + BLK + padded <= sizeof(arc));
	put_header(h, prefix, name, type, size);
	for (size_t i = 0; i < size; i++)
		h[BLK + i] = data ? ((const uint8_t *)data)[i]
				  : (uint8_t)(i * 7 + 1);
	arc_len += BLK + padded;
	return h;
}

static void arc_end(void)
{
	assert_true(arc_len + 2 * BLK <= sizeof(arc));
	memset(arc + arc_len, 0, 2 * BLK);
	arc_len += 2 * BLK;
}

/* The valid three-file archive used by several tests. */
static const char init_text[] = "#!init\n";
static void build_three(void)
{
	arc_reset();
	arc_add("", "bin/init", '0', init_text, sizeof(init_text));
	arc_add("", "sbin/ns", '0', NULL, 1000);
	arc_add("", "etc/motd", '0', NULL, 512);
	arc_end();
}

static uint8_t *exact_copy(const uint8_t *buf, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	assert_non_null(copy);
	memcpy(copy, buf, size);
	return copy;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

/* The tar.h contract for one entry returned from a[0, size). */
static void check_entry(const uint8_t *a, size_t size,
			const struct tar_entry *e)
{
	const uint8_t *d = e->data;
	size_t n = strnlen(e->name, sizeof(e->name));

	assert_true(n > 0 && n < sizeof(e->name));
	assert_true(d >= a + BLK && d <= a + size);
	assert_true(e->size <= (uint64_t)(a + size - d));
	assert_true((d - a) % BLK == 0);
	assert_true(e->type == '0' || e->type == '\0' || e->type == '7');
}

/*
 * Iterates over a copy of a[0, size): returns the number of entries and
 * stores the final result (0 or -EINVAL) in *end.  Entry names, up to
 * `max`, go to names[].
 */
static int iterate(const uint8_t *a, size_t size, int *end,
		   char names[][TAR_NAME_SIZE], int max)
{
	uint8_t *copy = exact_copy(a, size);
	struct tar_entry e;
	size_t off = 0, prev;
	int n = 0, ret;

	for (;;) {
		prev = off;
		memset(&e, 0x5a, sizeof(e));
		ret = tar_next(copy, size, &off, &e);
		if (ret != 1)
			break;
		check_entry(copy, size, &e);
		assert_true(off > prev && off <= size && off % BLK == 0);
		if (n < max)
			strcpy(names[n], e.name);
		n++;
		assert_true(n < 1000);
	}
	assert_true(ret == 0 || ret == -EINVAL);
	assert_true(all_zero(&e, sizeof(e)));
	if (ret == -EINVAL)
		assert_int_equal(off, prev);
	else
		assert_int_equal(tar_next(copy, size, &off, &e), 0);
	free(copy);
	*end = ret;
	return n;
}

/* Expects `count` entries, then the result `want`. */
static void expect_entries(size_t size, int count, int want)
{
	char names[1][TAR_NAME_SIZE];
	int end;

	assert_int_equal(iterate(arc, size, &end, names, 0), count);
	assert_int_equal(end, want);
}

/* tar_find on an exact copy of arc[0, size). */
static int find(size_t size, const char *name, struct tar_entry *e)
{
	uint8_t *copy = exact_copy(arc, size);
	int ret;

	memset(e, 0x5a, sizeof(*e));
	ret = tar_find(copy, size, name, e);
	if (ret == 0) {
		check_entry(copy, size, e);
		assert_string_equal(e->name, name);
		/* Make data an offset into arc for the caller. */
		e->data = arc + ((const uint8_t *)e->data - copy);
	} else {
		assert_true(all_zero(e, sizeof(*e)));
	}
	free(copy);
	return ret;
}

static void test_find(void **state)
{
	static const char *missing[] = { "bin/ini", "bin/init2", "",
					 "/bin/init", "bin", "./bin/init",
					 "BIN/INIT" };
	struct tar_entry e;

	build_three();
	assert_int_equal(find(arc_len, "bin/init", &e), 0);
	assert_int_equal(e.size, sizeof(init_text));
	assert_int_equal(e.type, '0');
	assert_ptr_equal(e.data, arc + BLK);
	assert_memory_equal(e.data, init_text, sizeof(init_text));

	assert_int_equal(find(arc_len, "sbin/ns", &e), 0);
	assert_int_equal(e.size, 1000);
	assert_ptr_equal(e.data, arc + 3 * BLK);
	assert_int_equal(((const uint8_t *)e.data)[999],
			 (uint8_t)(999 * 7 + 1));

	assert_int_equal(find(arc_len, "etc/motd", &e), 0);
	assert_int_equal(e.size, 512);
	assert_ptr_equal(e.data, arc + 6 * BLK);

	for (unsigned i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		assert_int_equal(find(arc_len, missing[i], &e), -ENOENT);
}

static void test_multiple(void **state)
{
	char names[4][TAR_NAME_SIZE];
	int end;

	build_three();
	assert_int_equal(iterate(arc, arc_len, &end, names, 4), 3);
	assert_int_equal(end, 0);
	assert_string_equal(names[0], "bin/init");
	assert_string_equal(names[1], "sbin/ns");
	assert_string_equal(names[2], "etc/motd");

	/* The first of two files with the same name wins. */
	arc_reset();
	arc_add("", "a", '0', "1", 1);
	arc_add("", "a", '0', "22", 2);
	arc_end();
	{
		struct tar_entry e;

		assert_int_equal(find(arc_len, "a", &e), 0);
		assert_int_equal(e.size, 1);
	}
}

static void test_prefix_join(void **state)
{
	char prefix[156], name[101], want[TAR_NAME_SIZE];
	struct tar_entry e;
	uint8_t *h;

	arc_reset();
	arc_add("usr/lib", "libc.a", '0', "x", 1);
	arc_end();
	assert_int_equal(find(arc_len, "usr/lib/libc.a", &e), 0);
	assert_int_equal(find(arc_len, "libc.a", &e), -ENOENT);

	/* Both fields full, without NULs: the longest name, 256 bytes. */
	memset(prefix, 'p', 155);
	prefix[155] = '\0';
	memset(name, 'n', 100);
	name[100] = '\0';
	snprintf(want, sizeof(want), "%s/%s", prefix, name);
	assert_int_equal(strlen(want), 256);
	arc_reset();
	h = arc_add(prefix, name, '0', "y", 1);
	arc_end();
	assert_int_equal(h[H_PREFIX + 154], 'p');
	assert_int_equal(h[H_PREFIX + 155], 0); /* pad[] */
	assert_int_equal(h[H_NAME + 99], 'n');
	assert_int_equal(find(arc_len, want, &e), 0);
	assert_int_equal(strlen(e.name), 256);

	/* A full name field without a prefix. */
	arc_reset();
	arc_add("", name, '0', "z", 1);
	arc_end();
	assert_int_equal(find(arc_len, name, &e), 0);

	/* GNU magic: the prefix area holds other data and is ignored. */
	arc_reset();
	h = arc_add("", "gnu/file", '0', "g", 1);
	memcpy(h + H_MAGIC, "ustar  \0", 8);
	memset(h + H_PREFIX, '1', 12); /* atime */
	fix_checksum(h);
	arc_end();
	assert_int_equal(find(arc_len, "gnu/file", &e), 0);
}

static void test_zero_size(void **state)
{
	struct tar_entry e;

	arc_reset();
	arc_add("", "empty", '0', NULL, 0);
	arc_add("", "after", '0', "abc", 3);
	arc_end();
	assert_int_equal(find(arc_len, "empty", &e), 0);
	assert_int_equal(e.size, 0);
	assert_ptr_equal(e.data, arc + BLK);
	assert_int_equal(find(arc_len, "after", &e), 0);
	assert_ptr_equal(e.data, arc + 2 * BLK);
	assert_memory_equal(e.data, "abc", 3);

	/* The last entry, ending exactly at the end without an end marker:
	 * data points at the end of the archive. */
	arc_reset();
	arc_add("", "empty", '0', NULL, 0);
	assert_int_equal(find(arc_len, "empty", &e), 0);
	assert_ptr_equal(e.data, arc + arc_len);
	expect_entries(arc_len, 1, 0);
}

static void test_nonregular_skipped(void **state)
{
	static const char pax[] = "30 path=some/much/longer/name\n";
	char names[4][TAR_NAME_SIZE];
	struct tar_entry e;
	uint8_t *h;
	int end;

	arc_reset();
	arc_add("", "bin/", '5', NULL, 0);
	h = arc_add("", "bin/sh", '2', NULL, 0);
	put_field(h, H_LINKNAME, 100, "init");
	fix_checksum(h);
	arc_add("", "bin/link", '1', NULL, 0);
	arc_add("", "dev/null", '3', NULL, 0);
	arc_add("", "dev/fifo", '6', NULL, 0);
	arc_add("", "PaxHeader", 'x', pax, sizeof(pax) - 1);
	arc_add("", "bin/init", '0', "i", 1);
	arc_add("", "old", '\0', "o", 1);
	arc_add("", "contig", '7', "c", 1);
	arc_add("", "GlobalHead", 'g', NULL, 700);
	arc_end();
	assert_int_equal(iterate(arc, arc_len, &end, names, 4), 3);
	assert_int_equal(end, 0);
	assert_string_equal(names[0], "bin/init");
	assert_string_equal(names[1], "old");
	assert_string_equal(names[2], "contig");
	assert_int_equal(find(arc_len, "bin/", &e), -ENOENT);
	assert_int_equal(find(arc_len, "bin/sh", &e), -ENOENT);
	assert_int_equal(find(arc_len, "PaxHeader", &e), -ENOENT);
	assert_int_equal(find(arc_len, "old", &e), 0);
	assert_int_equal(e.type, '\0');

	/* A link's size field does not make the reader skip data. */
	arc_reset();
	arc_add("", "l", '1', NULL, 0);
	put_octal(arc, H_SIZE, 12, 5000);
	fix_checksum(arc);
	arc_add("", "f", '0', "f", 1);
	arc_end();
	assert_int_equal(find(arc_len, "f", &e), 0);

	/* Skipped entries are still validated. */
	build_three();
	arc_len -= 2 * BLK;
	h = arc_add("", "dir", '5', NULL, 0);
	h[0] ^= 1;
	arc_end();
	expect_entries(arc_len, 3, -EINVAL);
}

static void test_bad_checksum(void **state)
{
	static const char *bad[] = { "", "      ", "0", "1234567", "9999999",
				     "-00001", "0x1234", "0000000" };
	/* The first is tarfile's "%06o\0 " (the space is added below). */
	static const char *good[] = { "%06o", "%07o", "%06o  ", " %05o ",
				      "%o" };
	struct tar_entry e;

	/* Any changed byte, including in the padding. */
	for (int pos = 0; pos < BLK; pos += 37) {
		build_three();
		if (pos >= H_CHKSUM && pos < H_CHKSUM + 8)
			continue;
		arc[pos] ^= 0x40;
		assert_int_equal(find(arc_len, "bin/init", &e), -EINVAL);
	}
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		build_three();
		put_field(arc, H_CHKSUM, 8, bad[i]);
		assert_int_equal(find(arc_len, "bin/init", &e), -EINVAL);
	}

	/* Other spellings of the right value. */
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		unsigned sum = 0;
		char buf[16];

		build_three();
		memset(arc + H_CHKSUM, ' ', 8);
		for (int j = 0; j < BLK; j++)
			sum += arc[j];
		memset(buf, 0, sizeof(buf));
		snprintf(buf, sizeof(buf), good[i], sum);
		memcpy(arc + H_CHKSUM, buf, 8);
		if (i == 0)
			arc[H_CHKSUM + 7] = ' ';
		assert_int_equal(find(arc_len, "bin/init", &e), 0);
	}

	/* Bytes are summed unsigned: a high byte in the name still matches. */
	arc_reset();
	arc_add("", "caf\xc3\xa9", '0', "x", 1);
	arc_end();
	assert_int_equal(find(arc_len, "caf\xc3\xa9", &e), 0);
	/* ... and a signed sum does not. */
	{
		int ssum = 0;
		char buf[8];

		memset(arc + H_CHKSUM, ' ', 8);
		for (int j = 0; j < BLK; j++)
			ssum += (int8_t)arc[j];
		snprintf(buf, sizeof(buf), "%06o", ssum);
		memcpy(arc + H_CHKSUM, buf, 7);
		assert_int_equal(find(arc_len, "caf\xc3\xa9", &e), -EINVAL);
	}
}

/* Puts a raw 12-byte size field into the first header. */
static int with_size_field(const void *field)
{
	struct tar_entry e;

	build_three();
	memcpy(arc + H_SIZE, field, 12);
	fix_checksum(arc);
	return find(arc_len, "bin/init", &e);
}

static void test_bad_size(void **state)
{
	static const char *bad[] = {
		"00000000008\0", "00000000009\0", "0000000000a\0",
		"-0000000001\0",   "+0000000001\0", "00000 00001\0",
		"\0\0\0\0\0\0\0\0\0\0\0\0",	     "            ",
		"0000000001\0" "1", "0x0000000001",
	};
	static const char *good[] = {
		"00000000010\0", "000000000010", "10          ",
		"        10\0\0", "10\0\0\0\0\0\0\0\0\0\0",
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(with_size_field(bad[i]), -EINVAL);
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(with_size_field(good[i]), 0);
}

static void test_size_overflow(void **state)
{
	/* GNU base-256: 8 bytes (the right size) after the 0x80 marker. */
	static const uint8_t b256[12] = { 0x80, 0, 0, 0, 0, 0, 0, 0,
					  0, 0, 0, 8 };
	static const uint8_t b256_neg[12] = { 0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0xff, 0xff };

	assert_int_equal(with_size_field(b256), -EINVAL);
	assert_int_equal(with_size_field(b256_neg), -EINVAL);
	/* The largest octal values: 8 GiB - 1 and 64 GiB - 1. */
	assert_int_equal(with_size_field("77777777777\0"), -EINVAL);
	assert_int_equal(with_size_field("777777777777"), -EINVAL);
	assert_int_equal(with_size_field("  7777777777"), -EINVAL);
}

static void test_data_past_end(void **state)
{
	struct tar_entry e;
	size_t cut;

	/* One byte more than the archive holds (after the end marker). */
	build_three();
	put_octal(arc + 5 * BLK, H_SIZE, 12, 512 + 2 * BLK + 1);
	fix_checksum(arc + 5 * BLK);
	assert_int_equal(find(arc_len, "etc/motd", &e), -EINVAL);
	put_octal(arc + 5 * BLK, H_SIZE, 12, 512 + 2 * BLK);
	fix_checksum(arc + 5 * BLK);
	assert_int_equal(find(arc_len, "etc/motd", &e), 0);

	/* Data present but its padding cut off. */
	arc_reset();
	arc_add("", "f", '0', NULL, 10);
	cut = BLK + 10;
	assert_int_equal(find(cut, "f", &e), -EINVAL);
	assert_int_equal(find(BLK + BLK, "f", &e), 0);

	/* A huge size in the middle: nothing after it is read. */
	build_three();
	put_octal(arc + 2 * BLK, H_SIZE, 12, 077777777777ULL);
	fix_checksum(arc + 2 * BLK);
	assert_int_equal(find(arc_len, "bin/init", &e), 0);
	assert_int_equal(find(arc_len, "etc/motd", &e), -EINVAL);
}

static void test_truncated(void **state)
{
	struct tar_entry e;

	build_three();
	/* Cut inside the first header. */
	for (size_t n = 1; n < BLK; n += 50)
		assert_int_equal(find(n, "bin/init", &e), -EINVAL);
	assert_int_equal(find(BLK - 1, "bin/init", &e), -EINVAL);
	/* Cut inside the second header: the first file is still found. */
	assert_int_equal(find(2 * BLK + 100, "bin/init", &e), 0);
	assert_int_equal(find(2 * BLK + 100, "sbin/ns", &e), -EINVAL);
	/* Not a multiple of 512: a partial block after the end marker is
	 * never reached; one in place of a header is an error. */
	assert_int_equal(find(arc_len + 100, "nothing", &e), -ENOENT);
	expect_entries(7 * BLK + 100, 3, -EINVAL);
	/* Empty archive. */
	assert_int_equal(find(0, "bin/init", &e), -ENOENT);
	expect_entries(0, 0, 0);
}

static void test_magic(void **state)
{
	static const char *bad[] = {
		"ustar\0" "01", "ustar\0" "  ", "ustar \0\0", "USTAR\0" "00",
		"ustar  x",	"\0\0\0\0\0\0\0\0",	      "ustar00\0",
		"ustar \0" "0",
	};
	struct tar_entry e;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		build_three();
		memcpy(arc + H_MAGIC, bad[i], 8);
		fix_checksum(arc);
		assert_int_equal(find(arc_len, "bin/init", &e), -EINVAL);
	}
	build_three();
	memcpy(arc + H_MAGIC, "ustar  \0", 8);
	fix_checksum(arc);
	assert_int_equal(find(arc_len, "bin/init", &e), 0);
}

static void test_end_markers(void **state)
{
	struct tar_entry e;
	size_t off;
	uint8_t *h;

	/* Anything after two zero blocks is ignored, even garbage. */
	build_three();
	memset(arc + arc_len, 0xee, 3 * BLK);
	expect_entries(arc_len + 3 * BLK, 3, 0);
	expect_entries(arc_len + 100, 3, 0);
	/* A file after the end marker is not seen. */
	build_three();
	arc_add("", "hidden", '0', "h", 1);
	assert_int_equal(find(arc_len, "hidden", &e), -ENOENT);

	/* One zero block at the very end, or none. */
	build_three();
	expect_entries(arc_len - BLK, 3, 0);
	expect_entries(arc_len - 2 * BLK, 3, 0);

	/* A lone zero block followed by a header, or a partial block. */
	arc_reset();
	arc_add("", "a", '0', "a", 1);
	arc_len += BLK;
	arc_add("", "b", '0', "b", 1);
	arc_end();
	expect_entries(arc_len, 1, -EINVAL);
	assert_int_equal(find(arc_len, "b", &e), -EINVAL);
	expect_entries(3 * BLK + 1, 1, -EINVAL);
	expect_entries(3 * BLK + 511, 1, -EINVAL);

	/* Only end markers; and at the end, tar_next keeps returning 0. */
	arc_reset();
	arc_end();
	expect_entries(arc_len, 0, 0);
	build_three();
	off = 0;
	while (tar_next(arc, arc_len, &off, &e) == 1)
		;
	assert_int_equal(off, arc_len - 2 * BLK);
	assert_int_equal(tar_next(arc, arc_len, &off, &e), 0);
	assert_int_equal(off, arc_len - 2 * BLK);

	/* An all-zero header other than the end is not special-cased. */
	arc_reset();
	h = arc_add("", "x", '0', NULL, 0);
	memset(h, 0, BLK);
	h[H_TYPE] = '0';
	expect_entries(arc_len, 0, -EINVAL);
}

static void test_empty_name(void **state)
{
	struct tar_entry e;

	arc_reset();
	arc_add("", "", '0', "x", 1);
	arc_end();
	expect_entries(arc_len, 0, -EINVAL);
	/* A prefix alone does not make a name. */
	arc_reset();
	arc_add("dir", "", '0', "x", 1);
	arc_end();
	assert_int_equal(find(arc_len, "dir/", &e), -EINVAL);
	assert_int_equal(find(arc_len, "dir", &e), -EINVAL);
}

static void test_find_malformed(void **state)
{
	struct tar_entry e;

	/* Damage in the third header: the first two are still found. */
	build_three();
	arc[5 * BLK + 3] ^= 1;
	assert_int_equal(find(arc_len, "bin/init", &e), 0);
	assert_int_equal(find(arc_len, "sbin/ns", &e), 0);
	assert_int_equal(find(arc_len, "etc/motd", &e), -EINVAL);
	assert_int_equal(find(arc_len, "missing", &e), -EINVAL);
}

static void test_bad_args(void **state)
{
	struct tar_entry e;
	size_t off;

	build_three();
	for (off = 1; off < arc_len; off += 97) {
		size_t o = off;

		if (off % BLK == 0)
			continue;
		assert_int_equal(tar_next(arc, arc_len, &o, &e), -EINVAL);
		assert_int_equal(o, off);
	}
	off = arc_len + BLK;
	assert_int_equal(tar_next(arc, arc_len, &off, &e), -EINVAL);

	/* A valid header hidden at an unaligned offset in file data. */
	arc_reset();
	arc_add("", "outer", '0', NULL, 3 * BLK);
	put_header(arc + BLK + 100, "", "inner", '0', 0);
	arc_end();
	off = BLK + 100;
	assert_int_equal(tar_next(arc, arc_len, &off, &e), -EINVAL);
	assert_int_equal(find(arc_len, "inner", &e), -ENOENT);
	build_three();
	off = 0;
	assert_int_equal(tar_next(NULL, arc_len, &off, &e), -EINVAL);
	assert_int_equal(tar_next(NULL, 0, &off, &e), 0);
	assert_int_equal(tar_next(arc, arc_len, NULL, &e), -EINVAL);
	assert_int_equal(tar_next(arc, arc_len, &off, NULL), -EINVAL);
	assert_int_equal(tar_find(arc, arc_len, NULL, &e), -EINVAL);
	assert_int_equal(tar_find(arc, arc_len, "bin/init", NULL), -EINVAL);
	assert_int_equal(tar_find(NULL, arc_len, "bin/init", &e), -EINVAL);
	assert_int_equal(tar_find(NULL, 0, "bin/init", &e), -ENOENT);

	/* Iteration may resume from a saved offset. */
	off = 2 * BLK;
	assert_int_equal(tar_next(arc, arc_len, &off, &e), 1);
	assert_string_equal(e.name, "sbin/ns");
}

static void test_every_truncation(void **state)
{
	static const char *want[] = { "bin/init", "sbin/ns", "etc/motd" };
	char names[3][TAR_NAME_SIZE];
	int end = 0, n = 0;

	build_three();
	for (size_t len = 0; len <= arc_len; len++) {
		n = iterate(arc, len, &end, names, 3);
		assert_true(n <= 3);
		for (int i = 0; i < n; i++)
			assert_string_equal(names[i], want[i]);
		/* Only block boundaries between entries give a clean end. */
		if (len % BLK)
			assert_int_equal(end, -EINVAL);
		if (len >= 7 * BLK) {
			assert_int_equal(n, 3);
		}
	}
	assert_int_equal(n, 3);
	assert_int_equal(end, 0);
}

static void test_unaligned(void **state)
{
	struct tar_entry e;

	build_three();
	for (unsigned shift = 1; shift < 16; shift++) {
		uint8_t *block = malloc(arc_len + shift);

		assert_non_null(block);
		memset(block, 0xff, shift);
		memcpy(block + shift, arc, arc_len);
		assert_int_equal(tar_find(block + shift, arc_len, "etc/motd",
					  &e),
				 0);
		assert_ptr_equal(e.data, block + shift + 6 * BLK);
		assert_int_equal(tar_find(block + shift, arc_len - 1,
					  "etc/motd", &e),
				 0);
		free(block);
	}
}

/* xorshift64*: a fixed, platform-independent sequence. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void test_random_flips(void **state)
{
	static uint8_t valid[sizeof(arc)];
	static const size_t hdrs[] = { 0, 2 * BLK, 5 * BLK };
	char names[1][TAR_NAME_SIZE];
	unsigned clean = 0, errors = 0, full = 0;
	size_t valid_len;

	build_three();
	memcpy(valid, arc, sizeof(arc));
	valid_len = arc_len;
	for (int iter = 0; iter < 5000; iter++) {
		unsigned flips = 1 + rng() % 4;
		size_t size = valid_len;
		bool fix = rng() % 2;
		struct tar_entry e;
		int end, n;

		memcpy(arc, valid, sizeof(arc));
		for (unsigned i = 0; i < flips; i++) {
			/* Mostly hit the headers' fields. */
			size_t pos = rng() % 4 ? hdrs[rng() % 3] + rng() % 350
					       : rng() % valid_len;

			arc[pos] ^= (uint8_t)(1 + rng() % 255);
		}
		/* Half the time, make the checksums right again, so that
		 * the other checks are reached. */
		if (fix) {
			for (unsigned i = 0; i < 3; i++)
				fix_checksum(arc + hdrs[i]);
		}
		if (rng() % 8 == 0)
			size = rng() % (valid_len + 1);

		n = iterate(arc, size, &end, names, 0);
		assert_true(n <= 1000);
		if (end == 0)
			clean++;
		else
			errors++;
		if (end == 0 && n == 3)
			full++;
		find(size, "etc/motd", &e);
	}
	print_message("random flips: %u clean, %u errors, %u with 3 files\n",
		      clean, errors, full);
	assert_true(clean > 0);
	assert_true(errors > 0);
}

/* tar_next_any: links and directories too, and every entry's mode and
   mtime. */
static void test_next_any(void **state)
{
	struct tar_entry e;
	size_t off = 0;
	uint8_t *h, *copy;

	arc_reset();
	arc_add("", "bin/", '5', NULL, 0);
	h = arc_add("", "bin/sh", '2', NULL, 0);
	put_field(h, H_LINKNAME, 100, "../bin/init");
	fix_checksum(h);
	h = arc_add("", "bin/hard", '1', NULL, 0);
	memset(h + H_LINKNAME, 'x', 100); /* a full field, no NUL */
	fix_checksum(h);
	h = arc_add("", "bin/init", '0', "i", 1);
	put_octal(h, 100, 8, 04711);
	put_octal(h, 136, 12, 1700000000);
	fix_checksum(h);
	h = arc_add("", "odd", '0', "o", 1);
	memset(h + 100, 'z', 8);  /* an unreadable mode */
	memset(h + 136, '9', 12); /* and mtime */
	fix_checksum(h);
	arc_add("", "dev/null", '3', NULL, 0);
	arc_end();
	copy = exact_copy(arc, arc_len);

	assert_int_equal(tar_next_any(copy, arc_len, &off, &e), 1);
	assert_string_equal(e.name, "bin/");
	assert_int_equal(e.type, '5');
	assert_int_equal(e.size, 0);
	assert_int_equal(e.mode, 0755);

	assert_int_equal(tar_next_any(copy, arc_len, &off, &e), 1);
	assert_int_equal(e.type, '2');
	assert_int_equal(e.size, strlen("../bin/init"));
	assert_memory_equal(e.data, "../bin/init", e.size);
	assert_ptr_equal(e.data, copy + 1 * BLK + H_LINKNAME);

	assert_int_equal(tar_next_any(copy, arc_len, &off, &e), 1);
	assert_int_equal(e.type, '1');
	assert_int_equal(e.size, 100);

	assert_int_equal(tar_next_any(copy, arc_len, &off, &e), 1);
	assert_string_equal(e.name, "bin/init");
	assert_int_equal(e.mode, 04711);
	assert_int_equal(e.mtime, 1700000000);
	assert_int_equal(e.size, 1);
	assert_memory_equal(e.data, "i", 1);

	assert_int_equal(tar_next_any(copy, arc_len, &off, &e), 1);
	assert_string_equal(e.name, "odd");
	assert_int_equal(e.mode, 0);
	assert_int_equal(e.mtime, 0);

	/* A device is still skipped; then the end. */
	assert_int_equal(tar_next_any(copy, arc_len, &off, &e), 0);
	assert_true(all_zero(&e, sizeof(e)));

	/* tar_next on the same archive: only the two files. */
	off = 0;
	assert_int_equal(tar_next(copy, arc_len, &off, &e), 1);
	assert_string_equal(e.name, "bin/init");
	assert_int_equal(e.mode, 04711);
	assert_int_equal(tar_next(copy, arc_len, &off, &e), 1);
	assert_int_equal(tar_next(copy, arc_len, &off, &e), 0);
	free(copy);
}

static int write_seed(const char *path)
{
	FILE *f = fopen(path, "wb");

	build_three();
	if (!f || fwrite(arc, 1, arc_len, f) != arc_len) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_multiple),
		cmocka_unit_test(test_prefix_join),
		cmocka_unit_test(test_zero_size),
		cmocka_unit_test(test_nonregular_skipped),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_bad_size),
		cmocka_unit_test(test_size_overflow),
		cmocka_unit_test(test_data_past_end),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_end_markers),
		cmocka_unit_test(test_empty_name),
		cmocka_unit_test(test_find_malformed),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_random_flips),
		cmocka_unit_test(test_next_any),
	};

	if (argc == 3 && strcmp(argv[1], "--write-seed") == 0)
		return write_seed(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
