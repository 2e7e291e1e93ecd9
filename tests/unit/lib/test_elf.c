/*
 * Unit tests for the ELF64 image validator (kernel/lib/elf.c).
 *
 * Every test starts from the valid image that build_image() writes and
 * changes one thing.  `test_elf --write-seed FILE` writes that image to FILE
 * (the fuzz corpus seed, see tests/fuzz/fuzz.mk) instead of running tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "elf.h"

/*
 * The valid image (IMG_SIZE bytes):
 *   0x000 ehdr, 0x040 three phdrs (text, data, PT_GNU_STACK), zero padding,
 *   0x100 text: R+X, 0x80 bytes at 0x400100      -> page  0x400000
 *   0x180 data: R+W, 0x40 file bytes at 0x401180,
 *               0x2000 bytes in memory            -> pages 0x401000-0x404000
 * The data segment's file bytes end exactly at IMG_SIZE.
 */
#define IMG_SIZE    0x1c0
#define PH_OFF	    0x40
#define PH_NUM	    3
#define TEXT_OFF    0x100
#define TEXT_VADDR  0x400100UL
#define TEXT_SIZE   0x80
#define DATA_OFF    0x180
#define DATA_VADDR  0x401180UL
#define DATA_FILESZ 0x40
#define DATA_MEMSZ  0x2000
#define ENTRY	    0x400110UL

#define PH_TEXT	 0
#define PH_DATA	 1
#define PH_STACK 2

static uint8_t img[IMG_SIZE];

static struct elf64_ehdr get_ehdr(const uint8_t *buf)
{
	struct elf64_ehdr eh;

	memcpy(&eh, buf, sizeof(eh));
	return eh;
}

static void put_ehdr(uint8_t *buf, const struct elf64_ehdr *eh)
{
	memcpy(buf, eh, sizeof(*eh));
}

static struct elf64_phdr get_phdr(const uint8_t *buf, unsigned i)
{
	struct elf64_phdr ph;

	memcpy(&ph, buf + PH_OFF + i * sizeof(ph), sizeof(ph));
	return ph;
}

static void put_phdr(uint8_t *buf, unsigned i, const struct elf64_phdr *ph)
{
	memcpy(buf + PH_OFF + i * sizeof(*ph), ph, sizeof(*ph));
}

static void build_image(uint8_t *buf)
{
	struct elf64_ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
			     ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = ENTRY,
		.e_phoff = PH_OFF,
		.e_ehsize = sizeof(struct elf64_ehdr),
		.e_phentsize = sizeof(struct elf64_phdr),
		.e_phnum = PH_NUM,
	};
	struct elf64_phdr text = {
		.p_type = PT_LOAD,
		.p_flags = PF_R | PF_X,
		.p_offset = TEXT_OFF,
		.p_vaddr = TEXT_VADDR,
		.p_paddr = TEXT_VADDR,
		.p_filesz = TEXT_SIZE,
		.p_memsz = TEXT_SIZE,
		.p_align = 0x1000,
	};
	struct elf64_phdr data = {
		.p_type = PT_LOAD,
		.p_flags = PF_R | PF_W,
		.p_offset = DATA_OFF,
		.p_vaddr = DATA_VADDR,
		.p_paddr = DATA_VADDR,
		.p_filesz = DATA_FILESZ,
		.p_memsz = DATA_MEMSZ,
		.p_align = 0x1000,
	};
	struct elf64_phdr stack = {
		.p_type = PT_GNU_STACK,
		.p_flags = PF_R | PF_W,
		.p_align = 0x10,
	};

	memset(buf, 0, IMG_SIZE);
	put_ehdr(buf, &eh);
	put_phdr(buf, PH_TEXT, &text);
	put_phdr(buf, PH_DATA, &data);
	put_phdr(buf, PH_STACK, &stack);
	memset(buf + TEXT_OFF, 0xcc, TEXT_SIZE);
	for (unsigned i = 0; i < DATA_FILESZ; i++)
		buf[DATA_OFF + i] = (uint8_t)(0x80 + i);
}

static uint64_t page_down(uint64_t x)
{
	return x & ~(uint64_t)0xfff;
}

static uint64_t page_up(uint64_t x)
{
	return page_down(x + 0xfff);
}

/*
 * Re-checks the whole elf.h contract for a successful parse of buf[0, size),
 * including that seg[] lists exactly the non-empty PT_LOAD headers, in order.
 */
static void check_invariants(const uint8_t *buf, size_t size,
			     const struct elf_info *info)
{
	struct elf64_ehdr eh;
	uint64_t lowest = UINT64_MAX, highest = 0;
	unsigned k = 0;
	bool entry_found = false;

	assert_true(size >= sizeof(eh));
	eh = get_ehdr(buf);
	assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh.e_type, ET_EXEC);
	assert_int_equal(eh.e_machine, EM_X86_64);
	assert_int_equal(eh.e_phentsize, sizeof(struct elf64_phdr));
	assert_true(eh.e_phnum >= 1 && eh.e_phnum <= ELF_MAX_PHNUM);
	assert_true(eh.e_phoff <= size);
	assert_true(eh.e_phnum * sizeof(struct elf64_phdr) <=
		    size - eh.e_phoff);
	assert_int_equal(info->entry, eh.e_entry);
	assert_true(info->count >= 1 && info->count <= ELF_MAX_SEGMENTS);

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		assert_int_not_equal(ph.p_type, PT_INTERP);
		assert_int_not_equal(ph.p_type, PT_DYNAMIC);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		assert_true(k < info->count);
		assert_int_equal(info->seg[k].vaddr, ph.p_vaddr);
		assert_int_equal(info->seg[k].memsz, ph.p_memsz);
		assert_int_equal(info->seg[k].offset, ph.p_offset);
		assert_int_equal(info->seg[k].filesz, ph.p_filesz);
		k++;
	}
	assert_int_equal(k, info->count);

	for (unsigned i = 0; i < info->count; i++) {
		const struct elf_segment *s = &info->seg[i];

		assert_true(s->memsz > 0);
		assert_true(s->filesz <= s->memsz);
		assert_true(s->offset <= size);
		assert_true(s->filesz <= size - s->offset);
		assert_true(s->vaddr >= USER_SPACE_MIN);
		assert_true(s->vaddr < USER_SPACE_END);
		assert_true(s->memsz <= USER_SPACE_END - s->vaddr);
		assert_int_equal(s->vaddr % 4096, s->offset % 4096);
		assert_int_equal(s->flags & ~(ELF_SEG_R | ELF_SEG_W | ELF_SEG_X),
				 0);
		assert_false((s->flags & ELF_SEG_W) && (s->flags & ELF_SEG_X));
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *t = &info->seg[j];

			assert_true(page_up(s->vaddr + s->memsz) <=
					    page_down(t->vaddr) ||
				    page_up(t->vaddr + t->memsz) <=
					    page_down(s->vaddr));
		}
		if ((s->flags & ELF_SEG_X) && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->memsz)
			entry_found = true;
		if (page_down(s->vaddr) < lowest)
			lowest = page_down(s->vaddr);
		if (page_up(s->vaddr + s->memsz) > highest)
			highest = page_up(s->vaddr + s->memsz);
	}
	assert_true(entry_found);
	assert_int_equal(info->lowest, lowest);
	assert_int_equal(info->highest, highest);
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

/*
 * A heap copy of buf[0, size) with nothing around it, so that ASan catches
 * any read past `size`.  Freed with free().
 */
static uint8_t *exact_copy(const uint8_t *buf, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	assert_non_null(copy);
	memcpy(copy, buf, size);
	return copy;
}

/* The image in buf must be rejected, and *out left zeroed. */
static void expect_reject(const uint8_t *buf, size_t size)
{
	struct elf_info info;
	uint8_t *copy = exact_copy(buf, size);

	memset(&info, 0x5a, sizeof(info));
	assert_int_equal(elf_parse(copy, size, &info), -ENOEXEC);
	assert_true(all_zero(&info, sizeof(info)));
	free(copy);
}

static void expect_accept(const uint8_t *buf, size_t size,
			  struct elf_info *info)
{
	uint8_t *copy = exact_copy(buf, size);

	assert_int_equal(elf_parse(copy, size, info), 0);
	check_invariants(copy, size, info);
	free(copy);
}

/* Rewrites one field of the ehdr / of phdr i in img. */
#define SET_EHDR(field, value)                   \
	do {                                     \
		struct elf64_ehdr eh_ = get_ehdr(img); \
		eh_.field = (value);             \
		put_ehdr(img, &eh_);             \
	} while (0)

#define SET_PHDR(i, field, value)                    \
	do {                                         \
		struct elf64_phdr ph_ = get_phdr(img, (i)); \
		ph_.field = (value);                 \
		put_phdr(img, (i), &ph_);            \
	} while (0)

static void test_valid(void **state)
{
	struct elf_info info;

	build_image(img);
	expect_accept(img, IMG_SIZE, &info);
	assert_int_equal(info.entry, ENTRY);
	assert_int_equal(info.count, 2);

	assert_int_equal(info.seg[0].vaddr, TEXT_VADDR);
	assert_int_equal(info.seg[0].memsz, TEXT_SIZE);
	assert_int_equal(info.seg[0].offset, TEXT_OFF);
	assert_int_equal(info.seg[0].filesz, TEXT_SIZE);
	assert_int_equal(info.seg[0].flags, ELF_SEG_R | ELF_SEG_X);

	assert_int_equal(info.seg[1].vaddr, DATA_VADDR);
	assert_int_equal(info.seg[1].memsz, DATA_MEMSZ);
	assert_int_equal(info.seg[1].offset, DATA_OFF);
	assert_int_equal(info.seg[1].filesz, DATA_FILESZ);
	assert_int_equal(info.seg[1].flags, ELF_SEG_R | ELF_SEG_W);

	assert_int_equal(info.lowest, 0x400000);
	assert_int_equal(info.highest, 0x404000);
}

static void test_trailing_bytes(void **state)
{
	static uint8_t big[IMG_SIZE + 4096];
	struct elf_info info;

	build_image(big);
	memset(big + IMG_SIZE, 0xee, sizeof(big) - IMG_SIZE);
	expect_accept(big, sizeof(big), &info);
	assert_int_equal(info.count, 2);
}

static void test_truncation(void **state)
{
	struct elf_info info;

	build_image(img);
	/* The data segment's file bytes end at IMG_SIZE: every cut fails. */
	for (size_t len = 0; len < IMG_SIZE; len++)
		expect_reject(img, len);
	expect_accept(img, IMG_SIZE, &info);
}

static void test_bad_ident(void **state)
{
	static const unsigned bytes[] = { EI_MAG0, EI_MAG1, EI_MAG2, EI_MAG3 };

	for (unsigned i = 0; i < ARRAY_SIZE(bytes); i++) {
		build_image(img);
		img[bytes[i]] ^= 0x20;
		expect_reject(img, IMG_SIZE);
	}

	build_image(img);
	img[EI_CLASS] = 1; /* ELFCLASS32 */
	expect_reject(img, IMG_SIZE);
	img[EI_CLASS] = 0;
	expect_reject(img, IMG_SIZE);

	build_image(img);
	img[EI_DATA] = 2; /* ELFDATA2MSB */
	expect_reject(img, IMG_SIZE);
	img[EI_DATA] = 0;
	expect_reject(img, IMG_SIZE);

	build_image(img);
	img[EI_VERSION] = 0;
	expect_reject(img, IMG_SIZE);

	build_image(img);
	SET_EHDR(e_version, 0);
	expect_reject(img, IMG_SIZE);
	SET_EHDR(e_version, 2);
	expect_reject(img, IMG_SIZE);
}

static void test_bad_type(void **state)
{
	static const uint16_t types[] = { ET_NONE, ET_REL, ET_DYN, ET_CORE,
					  0xfe00, 0xffff };

	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		build_image(img);
		SET_EHDR(e_type, types[i]);
		expect_reject(img, IMG_SIZE);
	}
}

static void test_bad_machine(void **state)
{
	/* none, i386, aarch64, riscv, x86_64 byte-swapped */
	static const uint16_t machines[] = { 0, 3, 183, 243, 0x3e00 };

	for (unsigned i = 0; i < ARRAY_SIZE(machines); i++) {
		build_image(img);
		SET_EHDR(e_machine, machines[i]);
		expect_reject(img, IMG_SIZE);
	}
}

static void test_bad_ehsize(void **state)
{
	build_image(img);
	SET_EHDR(e_ehsize, 63);
	expect_reject(img, IMG_SIZE);
	SET_EHDR(e_ehsize, 0);
	expect_reject(img, IMG_SIZE);
}

static void test_bad_phentsize(void **state)
{
	static const uint16_t sizes[] = { 0, 32, 55, 57, 64, 0xffff };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		build_image(img);
		SET_EHDR(e_phentsize, sizes[i]);
		expect_reject(img, IMG_SIZE);
	}
}

static void test_bad_phnum(void **state)
{
	static const uint16_t nums[] = { 0, ELF_MAX_PHNUM + 1, 1000, 0xffff };

	for (unsigned i = 0; i < ARRAY_SIZE(nums); i++) {
		build_image(img);
		SET_EHDR(e_phnum, nums[i]);
		expect_reject(img, IMG_SIZE);
	}
}

static void test_bad_phoff(void **state)
{
	static const uint64_t offs[] = {
		IMG_SIZE,			    /* starts at the end */
		IMG_SIZE - PH_NUM * 56 + 1,	    /* ends one byte past */
		0x100000,			    /* far beyond */
		UINT64_MAX - 50,		    /* offset + size wraps */
		UINT64_MAX - PH_NUM * 56 + 1,	    /* wraps to exactly 0 */
		UINT64_MAX,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		build_image(img);
		SET_EHDR(e_phoff, offs[i]);
		expect_reject(img, IMG_SIZE);
	}
}

static void test_offset_filesz(void **state)
{
	/* offset + filesz wraps around (vaddr kept congruent). */
	build_image(img);
	SET_PHDR(PH_DATA, p_offset, UINT64_MAX - 0x10);
	SET_PHDR(PH_DATA, p_vaddr, 0x401000 + ((UINT64_MAX - 0x10) & 0xfff));
	expect_reject(img, IMG_SIZE);

	/* One byte of file data past the end. */
	build_image(img);
	SET_PHDR(PH_DATA, p_filesz, DATA_FILESZ + 1);
	expect_reject(img, IMG_SIZE);

	/* Offset beyond the file with filesz 0. */
	build_image(img);
	SET_PHDR(PH_DATA, p_filesz, 0);
	SET_PHDR(PH_DATA, p_offset, 0x2180);
	expect_reject(img, IMG_SIZE);

	/* Huge filesz and memsz. */
	build_image(img);
	SET_PHDR(PH_DATA, p_filesz, UINT64_MAX);
	SET_PHDR(PH_DATA, p_memsz, UINT64_MAX);
	expect_reject(img, IMG_SIZE);
}

static void test_filesz_gt_memsz(void **state)
{
	build_image(img);
	SET_PHDR(PH_TEXT, p_memsz, TEXT_SIZE - 1);
	expect_reject(img, IMG_SIZE);

	/* An "empty" PT_LOAD must not carry file data either. */
	build_image(img);
	SET_PHDR(PH_STACK, p_type, PT_LOAD);
	SET_PHDR(PH_STACK, p_filesz, 1);
	expect_reject(img, IMG_SIZE);
}

static void test_kernel_half(void **state)
{
	static const uint64_t vaddrs[] = {
		0xffffffff80001180UL,	    /* kernel image */
		0xffff800000001180UL,	    /* direct map */
		USER_SPACE_END + 0x180,	    /* non-canonical */
		USER_SPACE_END - 0x1000 + 0x180, /* runs past the end */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(vaddrs); i++) {
		build_image(img);
		SET_PHDR(PH_DATA, p_vaddr, vaddrs[i]);
		expect_reject(img, IMG_SIZE);
	}
}

static void test_user_space_end(void **state)
{
	struct elf_info info;

	/* Ending exactly at USER_SPACE_END is fine, one byte more is not. */
	build_image(img);
	SET_PHDR(PH_DATA, p_vaddr, USER_SPACE_END - 0x3000 + 0x180);
	SET_PHDR(PH_DATA, p_memsz, 0x3000 - 0x180);
	expect_accept(img, IMG_SIZE, &info);
	assert_int_equal(info.highest, USER_SPACE_END);

	SET_PHDR(PH_DATA, p_memsz, 0x3000 - 0x180 + 1);
	expect_reject(img, IMG_SIZE);
}

static void test_vaddr_wrap(void **state)
{
	build_image(img);
	SET_PHDR(PH_DATA, p_memsz, UINT64_MAX - 0x1000);
	expect_reject(img, IMG_SIZE);

	build_image(img);
	SET_PHDR(PH_DATA, p_vaddr, 0xfffffffffffff180UL);
	expect_reject(img, IMG_SIZE);

	/* vaddr + memsz == 2^64 exactly. */
	build_image(img);
	SET_PHDR(PH_DATA, p_memsz, (uint64_t)0 - DATA_VADDR);
	expect_reject(img, IMG_SIZE);
}

static void test_low_vaddr(void **state)
{
	struct elf_info info;

	/* Move the text segment (and the entry with it) below the minimum. */
	build_image(img);
	SET_PHDR(PH_TEXT, p_vaddr, 0x100);
	SET_EHDR(e_entry, 0x110);
	expect_reject(img, IMG_SIZE);

	build_image(img);
	SET_PHDR(PH_TEXT, p_vaddr, USER_SPACE_MIN - 0x1000 + 0x100);
	SET_EHDR(e_entry, USER_SPACE_MIN - 0x1000 + 0x110);
	expect_reject(img, IMG_SIZE);

	/* A segment may not even start below it and reach above it. */
	build_image(img);
	SET_PHDR(PH_TEXT, p_vaddr, USER_SPACE_MIN - 0x1000 + 0x100);
	SET_PHDR(PH_TEXT, p_memsz, 0x1000);
	SET_EHDR(e_entry, USER_SPACE_MIN);
	expect_reject(img, IMG_SIZE);

	/* At the minimum is fine. */
	build_image(img);
	SET_PHDR(PH_TEXT, p_vaddr, USER_SPACE_MIN + 0x100);
	SET_EHDR(e_entry, USER_SPACE_MIN + 0x110);
	expect_accept(img, IMG_SIZE, &info);
	assert_int_equal(info.lowest, USER_SPACE_MIN);
}

static void test_congruence(void **state)
{
	struct elf_info info;

	build_image(img);
	SET_PHDR(PH_DATA, p_vaddr, DATA_VADDR + 8);
	expect_reject(img, IMG_SIZE);

	build_image(img);
	SET_PHDR(PH_DATA, p_offset, DATA_OFF - 8);
	expect_reject(img, IMG_SIZE);

	/* Off by exactly a page is still congruent. */
	build_image(img);
	SET_PHDR(PH_DATA, p_vaddr, DATA_VADDR + 0x1000);
	expect_accept(img, IMG_SIZE, &info);
}

static void test_align(void **state)
{
	static const uint64_t bad[] = { 3, 6, 0x1001, 0x3000, UINT64_MAX };
	static const uint64_t good[] = { 0, 1, 2, 0x1000, 0x200000,
					 1UL << 63 };
	struct elf_info info;

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		build_image(img);
		SET_PHDR(PH_DATA, p_align, bad[i]);
		expect_reject(img, IMG_SIZE);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(good); i++) {
		build_image(img);
		SET_PHDR(PH_DATA, p_align, good[i]);
		expect_accept(img, IMG_SIZE, &info);
	}
}

static void test_wx(void **state)
{
	build_image(img);
	SET_PHDR(PH_DATA, p_flags, PF_R | PF_W | PF_X);
	expect_reject(img, IMG_SIZE);

	build_image(img);
	SET_PHDR(PH_TEXT, p_flags, PF_W | PF_X);
	expect_reject(img, IMG_SIZE);
}

static void test_overlap(void **state)
{
	/* Data moved into the text page (still congruent). */
	build_image(img);
	SET_PHDR(PH_DATA, p_vaddr, 0x400180);
	expect_reject(img, IMG_SIZE);

	/* Text grown (as bss) into the data segment's first page. */
	build_image(img);
	SET_PHDR(PH_TEXT, p_memsz, 0xf01);
	expect_reject(img, IMG_SIZE);

	/* Data entirely below text but sharing its page. */
	build_image(img);
	SET_PHDR(PH_DATA, p_vaddr, 0x3ff180);
	SET_PHDR(PH_DATA, p_memsz, 0xe81);
	expect_reject(img, IMG_SIZE);

	/* The same segment twice. */
	build_image(img);
	{
		struct elf64_phdr ph = get_phdr(img, PH_TEXT);

		ph.p_flags = PF_R;
		put_phdr(img, PH_STACK, &ph);
	}
	expect_reject(img, IMG_SIZE);

	/* Data right after text's page, in reverse header order: fine. */
	build_image(img);
	{
		struct elf64_phdr text = get_phdr(img, PH_TEXT);
		struct elf64_phdr data = get_phdr(img, PH_DATA);
		struct elf_info info;

		put_phdr(img, PH_TEXT, &data);
		put_phdr(img, PH_DATA, &text);
		expect_accept(img, IMG_SIZE, &info);
		assert_int_equal(info.seg[0].vaddr, DATA_VADDR);
		assert_int_equal(info.lowest, 0x400000);
		assert_int_equal(info.highest, 0x404000);
	}
}

static void test_entry(void **state)
{
	static const uint64_t bad[] = {
		0,
		0x500000,			/* nowhere */
		TEXT_VADDR - 1,			/* text page, before segment */
		TEXT_VADDR + TEXT_SIZE,		/* one past the end of text */
		DATA_VADDR,			/* non-executable data */
		DATA_VADDR + DATA_MEMSZ - 1,	/* data bss */
		UINT64_MAX,
	};
	static const uint64_t good[] = { TEXT_VADDR,
					 TEXT_VADDR + TEXT_SIZE - 1 };
	struct elf_info info;

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		build_image(img);
		SET_EHDR(e_entry, bad[i]);
		expect_reject(img, IMG_SIZE);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(good); i++) {
		build_image(img);
		SET_EHDR(e_entry, good[i]);
		expect_accept(img, IMG_SIZE, &info);
		assert_int_equal(info.entry, good[i]);
	}
}

static void test_dynamic(void **state)
{
	build_image(img);
	SET_PHDR(PH_STACK, p_type, PT_INTERP);
	expect_reject(img, IMG_SIZE);

	build_image(img);
	SET_PHDR(PH_STACK, p_type, PT_DYNAMIC);
	expect_reject(img, IMG_SIZE);

	/* Even ahead of the PT_LOADs. */
	build_image(img);
	SET_PHDR(PH_TEXT, p_type, PT_INTERP);
	expect_reject(img, IMG_SIZE);
}

static void test_other_types_ignored(void **state)
{
	static const uint32_t types[] = { PT_NULL, PT_NOTE, PT_PHDR, PT_TLS,
					  0x6474e550, 0x70000000, 0xffffffff };
	struct elf_info info;

	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		build_image(img);
		SET_PHDR(PH_STACK, p_type, types[i]);
		/* Garbage that a PT_LOAD would not get away with. */
		SET_PHDR(PH_STACK, p_vaddr, UINT64_MAX);
		SET_PHDR(PH_STACK, p_memsz, UINT64_MAX);
		SET_PHDR(PH_STACK, p_flags, PF_W | PF_X);
		expect_accept(img, IMG_SIZE, &info);
		assert_int_equal(info.count, 2);
	}
}

static void test_empty_load_skipped(void **state)
{
	struct elf_info info;

	build_image(img);
	SET_PHDR(PH_STACK, p_type, PT_LOAD);
	SET_PHDR(PH_STACK, p_vaddr, 0x5);
	SET_PHDR(PH_STACK, p_flags, PF_W | PF_X);
	expect_accept(img, IMG_SIZE, &info);
	assert_int_equal(info.count, 2);
}

static void test_no_load(void **state)
{
	build_image(img);
	SET_PHDR(PH_TEXT, p_type, PT_NOTE);
	SET_PHDR(PH_DATA, p_type, PT_NOTE);
	expect_reject(img, IMG_SIZE);

	/* Only the data segment: the entry is in no executable segment. */
	build_image(img);
	SET_PHDR(PH_TEXT, p_type, PT_NOTE);
	expect_reject(img, IMG_SIZE);

	/* Only empty PT_LOADs. */
	build_image(img);
	SET_PHDR(PH_TEXT, p_memsz, 0);
	SET_PHDR(PH_TEXT, p_filesz, 0);
	SET_PHDR(PH_DATA, p_memsz, 0);
	SET_PHDR(PH_DATA, p_filesz, 0);
	expect_reject(img, IMG_SIZE);
}

/*
 * An image with `nload` bss-only PT_LOADs, one page each, plus `nempty`
 * empty ones; the first is executable and holds the entry.
 */
static size_t build_many(uint8_t *buf, unsigned nload, unsigned nempty)
{
	struct elf64_ehdr eh;
	unsigned n = nload + nempty;

	build_image(buf);
	eh = get_ehdr(buf);
	eh.e_phnum = n;
	eh.e_entry = 0x400000;
	memset(buf, 0, 64 + n * 56);
	put_ehdr(buf, &eh);
	for (unsigned i = 0; i < n; i++) {
		struct elf64_phdr ph = {
			.p_type = PT_LOAD,
			.p_flags = i == 0 ? PF_R | PF_X : PF_R,
			.p_vaddr = 0x400000 + (uint64_t)i * 0x1000,
			.p_memsz = i < nload ? 0x1000 : 0,
			.p_align = 0x1000,
		};

		put_phdr(buf, i, &ph);
	}
	return 64 + n * 56;
}

static void test_segment_limits(void **state)
{
	static uint8_t buf[64 + (ELF_MAX_PHNUM + 1) * 56];
	struct elf_info info;
	size_t size;

	size = build_many(buf, ELF_MAX_SEGMENTS, 0);
	expect_accept(buf, size, &info);
	assert_int_equal(info.count, ELF_MAX_SEGMENTS);
	assert_int_equal(info.highest, 0x400000 + ELF_MAX_SEGMENTS * 0x1000);

	size = build_many(buf, ELF_MAX_SEGMENTS + 1, 0);
	expect_reject(buf, size);

	/* Empty PT_LOADs do not count, up to the e_phnum limit. */
	size = build_many(buf, ELF_MAX_SEGMENTS, ELF_MAX_PHNUM -
					       ELF_MAX_SEGMENTS);
	expect_accept(buf, size, &info);
	assert_int_equal(info.count, ELF_MAX_SEGMENTS);

	size = build_many(buf, 1, ELF_MAX_PHNUM - 1);
	expect_accept(buf, size, &info);
	assert_int_equal(info.count, 1);

	/* One program header too many, though the table fits in the file. */
	size = build_many(buf, 1, ELF_MAX_PHNUM);
	expect_reject(buf, size);
}

static void test_unaligned(void **state)
{
	struct elf_info ref, info;

	build_image(img);
	expect_accept(img, IMG_SIZE, &ref);
	for (unsigned shift = 1; shift < 16; shift++) {
		/* Image at an odd offset, ending at the end of the block. */
		uint8_t *block = malloc(IMG_SIZE + shift);

		assert_non_null(block);
		memset(block, 0xff, shift);
		memcpy(block + shift, img, IMG_SIZE);
		assert_int_equal(elf_parse(block + shift, IMG_SIZE, &info), 0);
		assert_memory_equal(&info, &ref, sizeof(info));
		assert_int_equal(elf_parse(block + shift, IMG_SIZE - 1, &info),
				 -ENOEXEC);
		free(block);
	}
}

static void test_bad_args(void **state)
{
	struct elf_info info;

	build_image(img);
	assert_int_equal(elf_parse(img, IMG_SIZE, NULL), -EINVAL);
	assert_int_equal(elf_parse(NULL, 0, &info), -ENOEXEC);
	assert_int_equal(elf_parse(NULL, IMG_SIZE, &info), -ENOEXEC);
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
	static uint8_t valid[IMG_SIZE];
	static uint8_t buf[IMG_SIZE + 64];
	unsigned accepted = 0, rejected = 0;

	build_image(valid);
	for (int iter = 0; iter < 2000; iter++) {
		struct elf_info info;
		unsigned flips = 1 + rng() % 4;
		size_t size = IMG_SIZE;
		uint8_t *copy;
		int ret;

		memset(buf, 0, sizeof(buf));
		memcpy(buf, valid, IMG_SIZE);
		for (unsigned i = 0; i < flips; i++) {
			/* Mostly hit the headers, where the checks are. */
			size_t pos = rng() % 4 ? rng() % (PH_OFF + PH_NUM * 56)
					       : rng() % IMG_SIZE;

			buf[pos] ^= (uint8_t)(1 + rng() % 255);
		}
		if (rng() % 8 == 0)
			size = rng() % sizeof(buf);

		copy = exact_copy(buf, size);
		memset(&info, 0x5a, sizeof(info));
		ret = elf_parse(copy, size, &info);
		if (ret == 0) {
			check_invariants(copy, size, &info);
			accepted++;
		} else {
			assert_int_equal(ret, -ENOEXEC);
			assert_true(all_zero(&info, sizeof(info)));
			rejected++;
		}
		free(copy);
	}
	print_message("random flips: %u accepted, %u rejected\n", accepted,
		      rejected);
	assert_true(accepted > 0);
	assert_true(rejected > 0);
}

static int write_seed(const char *path)
{
	FILE *f = fopen(path, "wb");

	build_image(img);
	if (!f || fwrite(img, 1, IMG_SIZE, f) != IMG_SIZE) {
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
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_bad_ident),
		cmocka_unit_test(test_bad_type),
		cmocka_unit_test(test_bad_machine),
		cmocka_unit_test(test_bad_ehsize),
		cmocka_unit_test(test_bad_phentsize),
		cmocka_unit_test(test_bad_phnum),
		cmocka_unit_test(test_bad_phoff),
		cmocka_unit_test(test_offset_filesz),
		cmocka_unit_test(test_filesz_gt_memsz),
		cmocka_unit_test(test_kernel_half),
		cmocka_unit_test(test_user_space_end),
		cmocka_unit_test(test_vaddr_wrap),
		cmocka_unit_test(test_low_vaddr),
		cmocka_unit_test(test_congruence),
		cmocka_unit_test(test_align),
		cmocka_unit_test(test_wx),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_dynamic),
		cmocka_unit_test(test_other_types_ignored),
		cmocka_unit_test(test_empty_load_skipped),
		cmocka_unit_test(test_no_load),
		cmocka_unit_test(test_segment_limits),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_random_flips),
	};

	if (argc == 3 && strcmp(argv[1], "--write-seed") == 0)
		return write_seed(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
