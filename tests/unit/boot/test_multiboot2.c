/*
 * Unit tests for the multiboot2 information parser (kernel/boot/multiboot2.c).
 *
 * Blocks are assembled in an 8-aligned buffer with the add_* helpers and
 * handed to mb2_parse() in a heap copy of exactly `avail` bytes, so that
 * ASan reports any read past what the parser was told is readable.
 *
 * Covered: a complete valid block (cmdline, loader name, modules, memory
 * map, RGB framebuffer, ACPI 1.0 + 2.0 with 2.0 preferred), defaults for
 * absent tags, unknown tags, and rejection (-EINVAL plus a message) of:
 * bad total size / avail / alignment, missing or misplaced end tag, tag
 * sizes too small or running past the end, overlapping tags, duplicate
 * tags, unterminated strings, bad memory maps, bad framebuffers, bad
 * modules, bad ACPI tags.  Finally random byte flips and every truncation
 * of a valid block.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "boot.h"

#define INFO_PHYS	0x10000UL
#define BUF_SIZE	16384

enum {
	T_END = 0,
	T_CMDLINE = 1,
	T_LOADER = 2,
	T_MODULE = 3,
	T_MEMINFO = 4,
	T_BOOTDEV = 5,
	T_MMAP = 6,
	T_FB = 8,
	T_ACPI_OLD = 14,
	T_ACPI_NEW = 15,
	T_LOAD_BASE = 21,
};

/* ---- building blocks ---- */

static uint8_t blk[BUF_SIZE] __attribute__((aligned(8)));
static size_t blen;

static void put32(size_t off, uint32_t v)
{
	memcpy(blk + off, &v, sizeof(v));
}

static uint32_t get32(size_t off)
{
	uint32_t v;

	memcpy(&v, blk + off, sizeof(v));
	return v;
}

static void mb_begin(void)
{
	memset(blk, 0, sizeof(blk));
	blen = 8;
}

/* Appends a tag with `len` payload bytes; returns its offset. */
static size_t add_tag(uint32_t type, const void *payload, size_t len)
{
	size_t off = blen;

	assert_true(off + 8 + len + 8 <= BUF_SIZE);
	put32(off, type);
	put32(off + 4, (uint32_t)(8 + len));
	if (len)
		memcpy(blk + off + 8, payload, len);
	blen = (off + 8 + len + 7) & ~7UL;
	return off;
}

/* Sets a tag's size field (the padding that follows is not changed). */
static void set_size(size_t tag, uint32_t size)
{
	put32(tag + 4, size);
}

/* Closes the block with an end tag and sets total_size. */
static size_t mb_end(void)
{
	add_tag(T_END, NULL, 0);
	put32(0, (uint32_t)blen);
	return blen;
}

/* Sets total_size without adding an end tag. */
static size_t mb_total_here(void)
{
	put32(0, (uint32_t)blen);
	return blen;
}

static size_t add_string(uint32_t type, const char *s)
{
	return add_tag(type, s, strlen(s) + 1);
}

static size_t add_module(uint32_t start, uint32_t end, const char *s)
{
	uint8_t p[256];
	size_t n = strlen(s) + 1;

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, s, n);
	return add_tag(T_MODULE, p, 8 + n);
}

struct entry {
	uint64_t base, length;
	uint32_t type;
};

/* A memory map tag with `n` entries of `esize` bytes (>= 20 written). */
static size_t add_mmap(uint32_t esize, const struct entry *e, size_t n)
{
	static uint8_t p[8 + 600 * 32];
	uint32_t version = 0;

	assert_true(8 + n * esize <= sizeof(p));
	memset(p, 0, sizeof(p));
	memcpy(p, &esize, 4);
	memcpy(p + 4, &version, 4);
	for (size_t i = 0; i < n; i++) {
		uint8_t *q = p + 8 + i * esize;

		memcpy(q, &e[i].base, 8);
		memcpy(q + 8, &e[i].length, 8);
		memcpy(q + 16, &e[i].type, 4);
	}
	return add_tag(T_MMAP, p, 8 + n * esize);
}

struct fb {
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint8_t rgb[6];		/* red pos/size, green pos/size, blue pos/size */
};

/* Framebuffer tag: 24 common payload bytes, +6 colour bytes for RGB. */
static size_t add_fb_len(const struct fb *f, size_t len)
{
	uint8_t p[64] = { 0 };

	memcpy(p, &f->addr, 8);
	memcpy(p + 8, &f->pitch, 4);
	memcpy(p + 12, &f->width, 4);
	memcpy(p + 16, &f->height, 4);
	p[20] = f->bpp;
	p[21] = f->type;
	memcpy(p + 24, f->rgb, 6);
	return add_tag(T_FB, p, len);
}

static size_t add_fb(const struct fb *f)
{
	return add_fb_len(f, f->type == 1 ? 30 : 24);
}

static const struct fb good_fb = {
	.addr = 0xfd000000,
	.pitch = 4096,
	.width = 1024,
	.height = 768,
	.bpp = 32,
	.type = 1,
	.rgb = { 16, 8, 8, 8, 0, 8 },
};

/* An RSDP copy: 20 bytes for ACPI 1.0, 36 for 2.0. */
static size_t add_rsdp(uint32_t type, size_t len, const char *sig)
{
	uint8_t p[64] = { 0 };

	memcpy(p, sig, 8);
	p[15] = type == T_ACPI_NEW ? 2 : 0;	/* revision */
	for (size_t i = 16; i < len; i++)
		p[i] = (uint8_t)i;
	return add_tag(type, p, len);
}

/* ---- the valid block ---- */

static const struct entry good_mmap[] = {
	{ 0, 0x9fc00, BOOT_MEM_USABLE },
	{ 0x100000, 0x7ee0000, BOOT_MEM_USABLE },
	{ 0xfffc0000, 0x40000, BOOT_MEM_RESERVED },
};

struct layout {
	size_t cmdline, loader, mod[2], mmap, fb, acpi_old, acpi_new, total;
};

static struct layout build_valid(void)
{
	struct layout l;
	uint32_t load_base = 0x200000, meminfo[2] = { 639, 130000 };

	mb_begin();
	l.cmdline = add_string(T_CMDLINE, "console=serial quiet");
	add_tag(T_LOAD_BASE, &load_base, 4);	/* not used by the kernel */
	l.loader = add_string(T_LOADER, "GRUB 2.06");
	l.mod[0] = add_module(0x200000, 0x201000, "init");
	l.mod[1] = add_module(0x300000, 0x305123, "fs --ro");
	l.mmap = add_mmap(24, good_mmap, 3);
	l.fb = add_fb(&good_fb);
	l.acpi_old = add_rsdp(T_ACPI_OLD, 20, "RSD PTR ");
	l.acpi_new = add_rsdp(T_ACPI_NEW, 36, "RSD PTR ");
	add_tag(T_MEMINFO, meminfo, 8);
	l.total = mb_end();
	return l;
}

/* ---- parsing ---- */

static struct boot_info bi;
static uint8_t *copy;		/* what the last parse saw; bi points into it */

static int teardown(void **state)
{
	free(copy);
	copy = NULL;
	return 0;
}

/* Parses the first `avail` bytes of blk from an exact-size heap copy. */
static int parse_at(size_t avail, uint64_t phys, const char **err)
{
	free(copy);
	copy = malloc(avail ? avail : 1);
	assert_non_null(copy);
	memcpy(copy, blk, avail);
	return mb2_parse(copy, avail, phys, &bi, err);
}

static int parse(size_t avail, const char **err)
{
	return parse_at(avail, INFO_PHYS, err);
}

/*
 * The expectations report failures at the caller's line, with the
 * parser's own message.
 */
static void expect_ok_at(const char *file, int line, size_t avail)
{
	const char *err = "not set";
	int ret = parse(avail, &err);

	if (ret != 0 || err != NULL) {
		print_error("mb2_parse() = %d (%s), expected 0\n", ret,
			    err ? err : "no message");
		_fail(file, line);
	}
}

/* -EINVAL with a non-empty message that mentions `what` (if not NULL). */
static void expect_reject_full(const char *file, int line, size_t avail,
			       uint64_t phys, const char *what)
{
	const char *err = NULL;
	int ret = parse_at(avail, phys, &err);

	if (ret != -EINVAL) {
		print_error("mb2_parse() = %d, expected -EINVAL\n", ret);
		_fail(file, line);
	}
	if (!err || !*err) {
		print_error("-EINVAL without a message\n");
		_fail(file, line);
	}
	if (what && !strstr(err, what)) {
		print_error("message \"%s\" does not mention \"%s\"\n", err,
			    what);
		_fail(file, line);
	}
}

#define expect_ok(avail) expect_ok_at(__FILE__, __LINE__, avail)
#define expect_reject_at(avail, phys, what) \
	expect_reject_full(__FILE__, __LINE__, avail, phys, what)
#define expect_reject(avail, what) \
	expect_reject_full(__FILE__, __LINE__, avail, INFO_PHYS, what)

/* ---- valid blocks ---- */

static void test_valid_block(void **state)
{
	struct layout l = build_valid();

	expect_ok(l.total);
	assert_int_equal(bi.info_phys, INFO_PHYS);
	assert_int_equal(bi.info_size, l.total);

	assert_string_equal(bi.cmdline, "console=serial quiet");
	assert_ptr_equal(bi.cmdline, copy + l.cmdline + 8);
	assert_string_equal(bi.loader_name, "GRUB 2.06");
	assert_ptr_equal(bi.loader_name, copy + l.loader + 8);

	assert_int_equal(bi.module_count, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x201000);
	assert_string_equal(bi.modules[0].cmdline, "init");
	assert_ptr_equal(bi.modules[0].cmdline, copy + l.mod[0] + 16);
	assert_int_equal(bi.modules[1].start, 0x300000);
	assert_int_equal(bi.modules[1].end, 0x305123);
	assert_string_equal(bi.modules[1].cmdline, "fs --ro");

	assert_int_equal(bi.mmap_count, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(bi.mmap[i].base, good_mmap[i].base);
		assert_int_equal(bi.mmap[i].length, good_mmap[i].length);
		assert_int_equal(bi.mmap[i].type, good_mmap[i].type);
	}

	assert_int_equal(bi.fb.type, BOOT_FB_RGB);
	assert_int_equal(bi.fb.addr, 0xfd000000);
	assert_int_equal(bi.fb.pitch, 4096);
	assert_int_equal(bi.fb.width, 1024);
	assert_int_equal(bi.fb.height, 768);
	assert_int_equal(bi.fb.bpp, 32);
	assert_int_equal(bi.fb.red_pos, 16);
	assert_int_equal(bi.fb.red_size, 8);
	assert_int_equal(bi.fb.green_pos, 8);
	assert_int_equal(bi.fb.green_size, 8);
	assert_int_equal(bi.fb.blue_pos, 0);
	assert_int_equal(bi.fb.blue_size, 8);

	/* Both RSDPs given: the 2.0 one wins. */
	assert_int_equal(bi.acpi_revision, 2);
	assert_int_equal(bi.acpi_rsdp_phys, INFO_PHYS + l.acpi_new + 8);

	/* Bytes past total_size are ignored. */
	expect_ok(l.total + 64);
	assert_int_equal(bi.info_size, l.total);
	assert_string_equal(bi.cmdline, "console=serial quiet");
}

static void test_acpi_preference(void **state)
{
	size_t old_off, new_off, total;

	/* 2.0 first, then 1.0: still 2.0. */
	mb_begin();
	new_off = add_rsdp(T_ACPI_NEW, 36, "RSD PTR ");
	old_off = add_rsdp(T_ACPI_OLD, 20, "RSD PTR ");
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.acpi_revision, 2);
	assert_int_equal(bi.acpi_rsdp_phys, INFO_PHYS + new_off + 8);

	/* 1.0 only (a longer tag is fine). */
	mb_begin();
	old_off = add_rsdp(T_ACPI_OLD, 24, "RSD PTR ");
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.acpi_revision, 1);
	assert_int_equal(bi.acpi_rsdp_phys, INFO_PHYS + old_off + 8);

	/* 2.0 only, with a different block address. */
	mb_begin();
	new_off = add_rsdp(T_ACPI_NEW, 36, "RSD PTR ");
	total = mb_end();
	assert_int_equal(parse_at(total, 0x7fff8, &(const char *){ NULL }), 0);
	assert_int_equal(bi.acpi_revision, 2);
	assert_int_equal(bi.acpi_rsdp_phys, 0x7fff8 + new_off + 8);
	assert_int_equal(bi.info_phys, 0x7fff8);
}

static void test_minimal_block_defaults(void **state)
{
	size_t total;

	mb_begin();
	total = mb_end();
	assert_int_equal(total, 16);
	memset(&bi, 0x5a, sizeof(bi));	/* everything must be reset */
	expect_ok(total);
	assert_non_null(bi.cmdline);
	assert_string_equal(bi.cmdline, "");
	assert_non_null(bi.loader_name);
	assert_string_equal(bi.loader_name, "");
	assert_int_equal(bi.mmap_count, 0);
	assert_int_equal(bi.module_count, 0);
	assert_int_equal(bi.fb.type, BOOT_FB_NONE);
	assert_int_equal(bi.fb.addr, 0);
	assert_int_equal(bi.acpi_rsdp_phys, 0);
	assert_int_equal(bi.acpi_revision, 0);
	assert_int_equal(bi.info_size, 16);
}

static void test_unknown_tags_skipped(void **state)
{
	static const uint32_t types[] = { T_MEMINFO, T_BOOTDEV, 7,   9,
					  10,	     T_LOAD_BASE, 31, 32,
					  99,	     1000,	  0xffffffffu };
	uint8_t junk[64];
	size_t total;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(0xc0 + i);
	mb_begin();
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		add_tag(types[i], junk, i * 3);	/* 0..30 bytes, unaligned */
	add_tag(99, junk, 5);		/* types >= 32 may repeat */
	add_string(T_CMDLINE, "after");
	total = mb_end();
	expect_ok(total);
	assert_string_equal(bi.cmdline, "after");
	assert_int_equal(bi.mmap_count, 0);
	assert_int_equal(bi.fb.type, BOOT_FB_NONE);
}

/* ---- the block as a whole ---- */

static void test_bad_total_size(void **state)
{
	struct layout l = build_valid();
	static const uint32_t totals[] = { 0, 1, 8, 15 };

	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		put32(0, totals[i]);
		expect_reject(l.total, "size");
	}
	/* total_size larger than what is readable. */
	put32(0, (uint32_t)l.total + 8);
	expect_reject(l.total, "size");
	put32(0, 0xffffffffu);
	expect_reject(l.total, "size");

	/* Fewer than 16 readable bytes, even with a consistent block. */
	mb_begin();
	mb_end();
	for (size_t avail = 0; avail < 16; avail++)
		expect_reject(avail, "size");
	expect_ok(16);
}

static void test_misaligned_block(void **state)
{
	struct layout l = build_valid();

	for (uint64_t d = 1; d < 8; d++)
		expect_reject_at(l.total, INFO_PHYS + d, "aligned");
	assert_int_equal(parse_at(l.total, INFO_PHYS + 8, &(const char *){ 0 }),
			 0);
}

static void test_missing_end_tag(void **state)
{
	size_t total;

	mb_begin();
	add_string(T_CMDLINE, "no end");
	total = mb_total_here();
	expect_reject(total, "end tag");

	/* One header-only tag and nothing after it. */
	mb_begin();
	put32(0, 16);
	put32(8, T_LOAD_BASE);
	put32(12, 8);
	expect_reject(16, "end tag");
}

static void test_end_tag_not_at_end(void **state)
{
	static const uint8_t zeros[8];
	size_t total, end;

	/* A tag after the end tag. */
	mb_begin();
	add_tag(T_END, NULL, 0);
	add_string(T_CMDLINE, "late");
	total = mb_total_here();
	expect_reject(total, "end tag");

	/* Eight spare bytes after the end tag. */
	mb_begin();
	mb_end();
	put32(0, 24);
	expect_reject(24, "end tag");

	/* An end tag claiming more than 8 bytes. */
	mb_begin();
	end = add_tag(T_END, zeros, 8);
	total = mb_total_here();
	assert_int_equal(get32(end + 4), 16);
	expect_reject(total, "end tag");

	/* total_size that is not a multiple of 8 can never end right. */
	mb_begin();
	mb_end();
	put32(0, 20);
	expect_reject(24, NULL);
}

/* ---- tag headers ---- */

static void test_tag_size_too_small(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 4, 7 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t tag, total;

		mb_begin();
		add_string(T_CMDLINE, "x");
		tag = add_tag(T_LOAD_BASE, "abcd", 4);
		total = mb_end();
		set_size(tag, sizes[i]);
		expect_reject(total, "past the end");

		/* The end tag itself. */
		mb_begin();
		total = mb_end();
		set_size(8, sizes[i]);
		expect_reject(total, NULL);
	}
}

static void test_tag_past_end(void **state)
{
	size_t tag, total;

	mb_begin();
	add_string(T_CMDLINE, "x");
	tag = add_string(T_LOADER, "loader");
	total = mb_end();

	/* Up to and including the last byte is in bounds... */
	set_size(tag, (uint32_t)(total - tag));
	expect_reject(total, "end tag");	/* the end tag got swallowed */
	/* ...one more is not. */
	set_size(tag, (uint32_t)(total - tag + 1));
	expect_reject(total, "past the end");
	set_size(tag, 0x7fffffff);
	expect_reject(total, "past the end");
	set_size(tag, 0xffffffff);
	expect_reject(total, "past the end");
	set_size(tag, 0xfffffff8);
	expect_reject(total, "past the end");
}

static void test_overlapping_tags(void **state)
{
	uint8_t inner[24] = { 0 };
	uint32_t load_base = 0x200000;
	size_t a, total;

	/*
	 * Tag A (type 21) grows over the header of the next tag (type 40),
	 * whose payload looks like a second command line tag.  The parser
	 * now reads that as a tag: a duplicate command line.
	 */
	memcpy(inner, &(uint32_t){ T_CMDLINE }, 4);
	memcpy(inner + 4, &(uint32_t){ 16 }, 4);
	memcpy(inner + 8, "evil", 5);
	mb_begin();
	add_string(T_CMDLINE, "good");
	a = add_tag(T_LOAD_BASE, &load_base, 4);
	add_tag(40, inner, 16);
	total = mb_end();
	expect_ok(total);			/* as built: fine */
	assert_string_equal(bi.cmdline, "good");
	set_size(a, 16 + 8);			/* covers tag 40's header */
	expect_reject(total, "twice");

	/* The same with a fake end tag inside the covered tag. */
	memset(inner, 0, sizeof(inner));
	memcpy(inner + 4, &(uint32_t){ 8 }, 4);
	mb_begin();
	a = add_tag(T_LOAD_BASE, &load_base, 4);
	add_tag(40, inner, 16);
	add_string(T_CMDLINE, "after");
	total = mb_end();
	expect_ok(total);
	set_size(a, 16 + 8);
	expect_reject(total, "end tag");

	/* A memory map tag that grows over the next tag. */
	mb_begin();
	a = add_mmap(24, good_mmap, 3);
	add_fb(&good_fb);
	total = mb_end();
	set_size(a, get32(a + 4) + 40);		/* 40 = the RGB fb tag */
	expect_reject(total, NULL);
}

static void test_duplicate_tags(void **state)
{
	static const uint32_t once[] = { T_CMDLINE, T_LOADER, T_MMAP, T_FB,
					 T_ACPI_OLD, T_ACPI_NEW };

	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		size_t total;

		mb_begin();
		for (int k = 0; k < 2; k++) {
			switch (once[i]) {
			case T_CMDLINE:
			case T_LOADER:
				add_string(once[i], "x");
				break;
			case T_MMAP:
				add_mmap(24, good_mmap, 1);
				break;
			case T_FB:
				add_fb(&good_fb);
				break;
			case T_ACPI_OLD:
				add_rsdp(T_ACPI_OLD, 20, "RSD PTR ");
				break;
			case T_ACPI_NEW:
				add_rsdp(T_ACPI_NEW, 36, "RSD PTR ");
				break;
			}
			if (k == 0) {
				/* One of each is fine. */
				size_t keep = blen;

				total = mb_end();
				expect_ok(total);
				blen = keep;
				memset(blk + keep, 0, 8);
			}
		}
		total = mb_end();
		expect_reject(total, "twice");
	}
}

/* ---- strings ---- */

static void test_unterminated_strings(void **state)
{
	static const uint32_t types[] = { T_CMDLINE, T_LOADER };

	for (size_t i = 0; i < 2; i++) {
		size_t tag, total;

		/* "abc" without its NUL (the padding after it is zero). */
		mb_begin();
		tag = add_tag(types[i], "abc", 3);
		total = mb_end();
		assert_int_equal(blk[tag + 11], 0);
		expect_reject(total, "terminated");

		/* NUL only in the padding: size says 4 bytes, "abcd". */
		mb_begin();
		add_tag(types[i], "abcd", 4);
		total = mb_end();
		expect_reject(total, "terminated");

		/* No payload at all. */
		mb_begin();
		add_tag(types[i], NULL, 0);
		total = mb_end();
		expect_reject(total, "terminated");

		/* An empty string is fine; so is junk after the NUL. */
		mb_begin();
		add_tag(types[i], "\0junk", 5);
		total = mb_end();
		expect_ok(total);
		assert_string_equal(types[i] == T_CMDLINE ? bi.cmdline
							  : bi.loader_name, "");
	}
}

/* ---- memory map ---- */

static void test_mmap_entry_size(void **state)
{
	static const uint32_t small[] = { 0, 4, 8, 16, 20 };
	static const uint32_t odd[] = { 25, 28, 30, 36, 44 };
	size_t tag, total;

	/* Too small for an entry. */
	for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		mb_begin();
		tag = add_mmap(24, good_mmap, 2);
		total = mb_end();
		put32(tag + 8, small[i]);
		expect_reject(total, "entry size");
	}
	/* Not a multiple of 8, with a tag size that fits it exactly. */
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		mb_begin();
		add_mmap(odd[i], good_mmap, 2);
		total = mb_end();
		expect_reject(total, "entry size");
	}

	/* Larger entries are fine and read correctly. */
	mb_begin();
	add_mmap(32, good_mmap, 3);
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.mmap_count, 3);
	assert_int_equal(bi.mmap[2].base, good_mmap[2].base);
	assert_int_equal(bi.mmap[2].length, good_mmap[2].length);
	assert_int_equal(bi.mmap[2].type, good_mmap[2].type);

	/* No entries at all is fine too. */
	mb_begin();
	add_mmap(24, good_mmap, 0);
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.mmap_count, 0);
}

static void test_mmap_tag_size(void **state)
{
	static const uint32_t short_sizes[] = { 8, 12, 15 };
	size_t tag, total;

	/* Not a whole number of entries. */
	mb_begin();
	tag = add_mmap(24, good_mmap, 3);
	total = mb_end();
	set_size(tag, 16 + 2 * 24 + 8);
	expect_reject(total, "whole number");
	set_size(tag, 16 + 24 + 1);
	expect_reject(total, "whole number");

	/* Shorter than the mmap header (an end tag follows, in bounds). */
	for (size_t i = 0; i < 3; i++) {
		mb_begin();
		tag = add_mmap(24, good_mmap, 0);
		total = mb_end();
		set_size(tag, short_sizes[i]);
		expect_reject(total, NULL);
	}
}

static void test_mmap_too_many(void **state)
{
	static struct entry many[BOOT_MAX_MMAP + 1];
	size_t total;

	for (size_t i = 0; i < BOOT_MAX_MMAP + 1; i++)
		many[i] = (struct entry){ i * 0x10000, 0x8000, 1 + i % 5 };

	mb_begin();
	add_mmap(24, many, BOOT_MAX_MMAP);
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.mmap_count, BOOT_MAX_MMAP);
	assert_int_equal(bi.mmap[BOOT_MAX_MMAP - 1].base,
			 (BOOT_MAX_MMAP - 1) * 0x10000UL);
	assert_int_equal(bi.mmap[BOOT_MAX_MMAP - 1].type,
			 1 + (BOOT_MAX_MMAP - 1) % 5);

	mb_begin();
	add_mmap(24, many, BOOT_MAX_MMAP + 1);
	total = mb_end();
	expect_reject(total, "too many");
}

static void test_mmap_wrapping_entry(void **state)
{
	struct entry e[3] = {
		good_mmap[0],
		{ 0xfffffffffffff000UL, 0x2000, 1 },
		good_mmap[1],
	};
	size_t total;

	mb_begin();
	add_mmap(24, e, 3);
	total = mb_end();
	expect_reject(total, "wraps");

	e[1] = (struct entry){ 0x1000, UINT64_MAX, 2 };
	mb_begin();
	add_mmap(24, e, 3);
	total = mb_end();
	expect_reject(total, "wraps");

	/* Up to the last byte of the address space is fine. */
	e[1] = (struct entry){ 0xfffffffffffff000UL, 0xfff, 2 };
	mb_begin();
	add_mmap(24, e, 3);
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.mmap_count, 3);
	assert_int_equal(bi.mmap[1].length, 0xfff);
}

/*
 * A memory map tag of 8 bytes (a bare header) as the last thing in the
 * block.  parse_mmap() reads entry_size at tag + 8 before checking that
 * the tag is at least 16 bytes, i.e. past the end of the block.  The parse
 * runs in a child so that an ASan report fails this test only.
 */
static void test_mmap_short_tag_at_end(void **state)
{
	static const uint32_t sizes[] = { 8, 11 };

	for (size_t i = 0; i < 2; i++) {
		size_t total = 8 + sizes[i];
		pid_t pid;
		int status;

		mb_begin();
		put32(0, (uint32_t)total);
		put32(8, T_MMAP);
		put32(12, sizes[i]);
		fflush(NULL);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			const char *err = NULL;
			int ret = parse(total, &err);

			_exit(ret == -EINVAL && err ? 0 : 3);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("mb2_parse read past a %zu-byte block ending in "
				 "a %u-byte mmap tag (child status 0x%x)",
				 total, sizes[i], status);
	}
}

/* ---- framebuffer ---- */

static void expect_fb_reject(const struct fb *f, size_t len, const char *what)
{
	size_t total;

	mb_begin();
	add_fb_len(f, len);
	total = mb_end();
	expect_reject(total, what);
}

static void expect_fb_ok(const struct fb *f)
{
	size_t total;

	mb_begin();
	add_fb(f);
	total = mb_end();
	expect_ok(total);
}

static void test_fb_too_short(void **state)
{
	struct fb ega = { 0xb8000, 160, 80, 25, 16, 2, { 0 } };

	expect_fb_reject(&good_fb, 23, "too short");	/* size 31 */
	expect_fb_reject(&good_fb, 0, "too short");
	expect_fb_reject(&good_fb, 29, "RGB");		/* size 37 */
	expect_fb_reject(&good_fb, 24, "RGB");		/* size 32 */
	expect_fb_reject(&ega, 23, "too short");

	/* EGA text needs no colour fields. */
	expect_fb_ok(&ega);
	assert_int_equal(bi.fb.type, BOOT_FB_EGA_TEXT);
	assert_int_equal(bi.fb.addr, 0xb8000);
	assert_int_equal(bi.fb.width, 80);
	assert_int_equal(bi.fb.height, 25);
	assert_int_equal(bi.fb.pitch, 160);
	assert_int_equal(bi.fb.bpp, 16);
	ega.bpp = 0;	/* the loader may leave it out: 16 is implied */
	expect_fb_ok(&ega);
	assert_int_equal(bi.fb.bpp, 16);
}

static void test_fb_geometry(void **state)
{
	struct fb f;

	f = good_fb;
	f.pitch = 4095;			/* < 1024 * 4 */
	expect_fb_reject(&f, 30, "geometry");
	assert_int_equal(bi.fb.type, BOOT_FB_NONE);
	f = good_fb;
	f.width = 0;
	expect_fb_reject(&f, 30, "geometry");
	f = good_fb;
	f.height = 0;
	expect_fb_reject(&f, 30, "geometry");
	f = good_fb;
	f.bpp = 0;
	expect_fb_reject(&f, 30, "geometry");
	f = good_fb;
	f.addr = 0;
	expect_fb_reject(&f, 30, "geometry");
	f = good_fb;
	f.addr = 0xfffffffffff00000UL;	/* + 4096 * 768 wraps */
	expect_fb_reject(&f, 30, "geometry");
	f = good_fb;
	f.width = 0xffffffffu;		/* width * bpp / 8 beyond 32 bits */
	f.pitch = 0xffffffffu;
	expect_fb_reject(&f, 30, "geometry");

	/* Exact pitch, 24 bpp, and 15 bpp (rounds up to whole bytes). */
	f = good_fb;
	f.pitch = 1024 * 4;
	expect_fb_ok(&f);
	f.bpp = 24;
	f.pitch = 1024 * 3;
	expect_fb_ok(&f);
	f.pitch = 1024 * 3 - 1;
	expect_fb_reject(&f, 30, "geometry");
	f.bpp = 15;
	f.width = 10;
	f.pitch = 19;			/* 150 bits = 18.75 bytes */
	expect_fb_ok(&f);
	assert_int_equal(bi.fb.pitch, 19);
	f.pitch = 18;
	expect_fb_reject(&f, 30, "geometry");

	/* EGA text with impossible geometry. */
	f = (struct fb){ 0xb8000, 159, 80, 25, 16, 2, { 0 } };
	expect_fb_reject(&f, 24, "geometry");
	f = (struct fb){ 0xb8000, 160, 0, 25, 16, 2, { 0 } };
	expect_fb_reject(&f, 24, "geometry");
}

static void test_fb_other_types(void **state)
{
	struct fb f = good_fb;

	/* Indexed colour (0) and unknown types: no framebuffer, no error. */
	f.type = 0;
	f.bpp = 8;
	f.pitch = 1024;
	expect_fb_ok(&f);
	assert_int_equal(bi.fb.type, BOOT_FB_NONE);
	f.type = 3;
	expect_fb_ok(&f);
	assert_int_equal(bi.fb.type, BOOT_FB_NONE);
	f.type = 0xff;
	f.width = 0;		/* not checked for types the kernel ignores */
	expect_fb_ok(&f);
	assert_int_equal(bi.fb.type, BOOT_FB_NONE);
}

/* ---- modules ---- */

static void test_modules(void **state)
{
	size_t tag, total;
	char name[16];

	/* end < start */
	mb_begin();
	add_module(0x201000, 0x200000, "bad");
	total = mb_end();
	expect_reject(total, "module");

	/* Empty module, empty command line: fine. */
	mb_begin();
	add_module(0x200000, 0x200000, "");
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.module_count, 1);
	assert_int_equal(bi.modules[0].start, bi.modules[0].end);
	assert_string_equal(bi.modules[0].cmdline, "");

	/* Too short to hold even an empty string. */
	mb_begin();
	tag = add_module(0x200000, 0x201000, "");
	total = mb_end();
	set_size(tag, 16);
	expect_reject(total, "module");

	/* Command line not terminated within the tag. */
	mb_begin();
	tag = add_module(0x200000, 0x201000, "abcdefg");	/* size 24 */
	total = mb_end();
	set_size(tag, 23);
	expect_reject(total, "module");

	/* BOOT_MAX_MODULES are fine, one more is not. */
	mb_begin();
	for (unsigned i = 0; i < BOOT_MAX_MODULES; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		add_module(0x1000000 + i * 0x10000, 0x1000000 + i * 0x10000 + 5,
			   name);
	}
	total = mb_end();
	expect_ok(total);
	assert_int_equal(bi.module_count, BOOT_MAX_MODULES);
	assert_int_equal(bi.modules[BOOT_MAX_MODULES - 1].start,
			 0x1000000 + (BOOT_MAX_MODULES - 1) * 0x10000);
	assert_string_equal(bi.modules[BOOT_MAX_MODULES - 1].cmdline, "m15");

	blen -= 8;	/* drop the end tag */
	add_module(0x2000000, 0x2001000, "extra");
	total = mb_end();
	expect_reject(total, "too many");
}

/* ---- ACPI ---- */

static void test_acpi_bad(void **state)
{
	size_t total;

	mb_begin();
	add_rsdp(T_ACPI_OLD, 20, "RSD PTX ");
	total = mb_end();
	expect_reject(total, "ACPI");

	mb_begin();
	add_rsdp(T_ACPI_NEW, 36, "rsd ptr ");
	total = mb_end();
	expect_reject(total, "ACPI");

	mb_begin();
	add_rsdp(T_ACPI_OLD, 19, "RSD PTR ");
	total = mb_end();
	expect_reject(total, "ACPI");

	/* A 2.0 tag holding only a 1.0 table. */
	mb_begin();
	add_rsdp(T_ACPI_NEW, 20, "RSD PTR ");
	total = mb_end();
	expect_reject(total, "ACPI");
	mb_begin();
	add_rsdp(T_ACPI_NEW, 35, "RSD PTR ");
	total = mb_end();
	expect_reject(total, "ACPI");

	/* Too short for the signature itself. */
	mb_begin();
	add_tag(T_ACPI_OLD, "RSD", 3);
	total = mb_end();
	expect_reject(total, "ACPI");
}

/* ---- robustness ---- */

static uint32_t rng_state;
static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* A successful parse must only hand out things inside the block. */
static void check_sane_result(const uint8_t *b, size_t avail)
{
	const char *lo = (const char *)b, *hi = (const char *)b + avail;

	assert_true(bi.info_size >= 16 && bi.info_size <= avail);
	assert_non_null(bi.cmdline);
	assert_non_null(bi.loader_name);
	if (*bi.cmdline)
		assert_true(bi.cmdline >= lo && bi.cmdline < hi);
	if (*bi.loader_name)
		assert_true(bi.loader_name >= lo && bi.loader_name < hi);
	assert_true(bi.mmap_count <= BOOT_MAX_MMAP);
	assert_true(bi.module_count <= BOOT_MAX_MODULES);
	for (unsigned i = 0; i < bi.module_count; i++) {
		assert_true(bi.modules[i].cmdline >= lo &&
			    bi.modules[i].cmdline < hi);
		assert_true(bi.modules[i].start <= bi.modules[i].end);
	}
	assert_true(bi.acpi_revision <= 2);
}

static void test_random_flips(void **state)
{
	struct layout l = build_valid();
	static uint8_t pristine[BUF_SIZE];
	unsigned ok = 0, rejected = 0;

	memcpy(pristine, blk, l.total);
	rng_state = 0x6d62326d;
	for (int iter = 0; iter < 5000; iter++) {
		int flips = 1 + rng() % 4, ret;
		const char *err = "not set";
		uint32_t total;

		memcpy(blk, pristine, l.total);
		for (int k = 0; k < flips; k++)
			blk[rng() % l.total] ^= (uint8_t)(1 + rng() % 255);

		ret = parse(l.total, &err);
		if (ret == 0) {
			assert_null(err);
			check_sane_result(copy, l.total);
			ok++;
		} else {
			assert_int_equal(ret, -EINVAL);
			assert_non_null(err);
			rejected++;
		}

		/* Again with exactly total_size bytes readable. */
		total = get32(0);
		if (total >= 16 && total < l.total) {
			err = "not set";
			ret = parse(total, &err);
			assert_true(ret == 0 || ret == -EINVAL);
			assert_true(ret == 0 ? err == NULL : err != NULL);
			if (ret == 0)
				check_sane_result(copy, total);
		}
	}
	/* The flips must exercise both outcomes. */
	assert_true(ok > 100);
	assert_true(rejected > 100);
}

static void test_every_truncation(void **state)
{
	struct layout l = build_valid();

	for (size_t avail = 0; avail < l.total; avail++)
		expect_reject(avail, NULL);
	expect_ok(l.total);

	/* A block whose total_size agrees with each truncation. */
	for (size_t total = 16; total < l.total; total += 4) {
		build_valid();
		put32(0, (uint32_t)total);
		expect_reject(total, NULL);
	}
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_valid_block),
		T(test_acpi_preference),
		T(test_minimal_block_defaults),
		T(test_unknown_tags_skipped),
		T(test_bad_total_size),
		T(test_misaligned_block),
		T(test_missing_end_tag),
		T(test_end_tag_not_at_end),
		T(test_tag_size_too_small),
		T(test_tag_past_end),
		T(test_overlapping_tags),
		T(test_duplicate_tags),
		T(test_unterminated_strings),
		T(test_mmap_entry_size),
		T(test_mmap_tag_size),
		T(test_mmap_too_many),
		T(test_mmap_wrapping_entry),
		T(test_fb_too_short),
		T(test_fb_geometry),
		T(test_fb_other_types),
		T(test_modules),
		T(test_acpi_bad),
		T(test_random_flips),
		T(test_every_truncation),
		T(test_mmap_short_tag_at_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
