/*
 * libFuzzer target for the ELF64 validator (kernel/lib/elf.c): any input
 * must give 0 or -ENOEXEC, never a crash or sanitizer report, and a
 * successful parse must satisfy the contract in elf.h (checked here
 * independently; a violation aborts).  Build and run: make fuzz-elf.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_elf: invariant failed: %s\n",    \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

static uint64_t page_down(uint64_t x)
{
	return x & ~(uint64_t)0xfff;
}

static uint64_t page_up(uint64_t x)
{
	return page_down(x + 0xfff);
}

static void check_segment(const struct elf_segment *s, size_t size)
{
	CHECK(s->memsz > 0);
	CHECK(s->filesz <= s->memsz);
	CHECK(s->offset <= size && s->filesz <= size - s->offset);
	CHECK(s->vaddr >= USER_SPACE_MIN && s->vaddr < USER_SPACE_END);
	CHECK(s->memsz <= USER_SPACE_END - s->vaddr);
	CHECK(s->vaddr % 4096 == s->offset % 4096);
	CHECK((s->flags & ~(uint32_t)(ELF_SEG_R | ELF_SEG_W | ELF_SEG_X)) == 0);
	CHECK(!((s->flags & ELF_SEG_W) && (s->flags & ELF_SEG_X)));
}

static void check_result(const uint8_t *data, size_t size,
			 const struct elf_info *info)
{
	struct elf64_ehdr eh;
	uint64_t lowest = UINT64_MAX, highest = 0;
	unsigned k = 0;
	int entry_found = 0;

	CHECK(size >= sizeof(eh));
	memcpy(&eh, data, sizeof(eh));
	CHECK(eh.e_type == ET_EXEC && eh.e_machine == EM_X86_64);
	CHECK(eh.e_phentsize == sizeof(struct elf64_phdr));
	CHECK(eh.e_phnum >= 1 && eh.e_phnum <= ELF_MAX_PHNUM);
	CHECK(eh.e_phoff <= size);
	CHECK(eh.e_phnum * sizeof(struct elf64_phdr) <= size - eh.e_phoff);
	CHECK(info->entry == eh.e_entry);
	CHECK(info->count >= 1 && info->count <= ELF_MAX_SEGMENTS);

	/* seg[] is exactly the non-empty PT_LOAD headers, in order. */
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		CHECK(ph.p_type != PT_INTERP && ph.p_type != PT_DYNAMIC);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		CHECK(k < info->count);
		CHECK(info->seg[k].vaddr == ph.p_vaddr);
		CHECK(info->seg[k].memsz == ph.p_memsz);
		CHECK(info->seg[k].offset == ph.p_offset);
		CHECK(info->seg[k].filesz == ph.p_filesz);
		k++;
	}
	CHECK(k == info->count);

	for (unsigned i = 0; i < info->count; i++) {
		const struct elf_segment *s = &info->seg[i];

		check_segment(s, size);
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *t = &info->seg[j];

			CHECK(page_up(s->vaddr + s->memsz) <=
				  page_down(t->vaddr) ||
			      page_up(t->vaddr + t->memsz) <=
				  page_down(s->vaddr));
		}
		if ((s->flags & ELF_SEG_X) && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->memsz)
			entry_found = 1;
		if (page_down(s->vaddr) < lowest)
			lowest = page_down(s->vaddr);
		if (page_up(s->vaddr + s->memsz) > highest)
			highest = page_up(s->vaddr + s->memsz);
	}
	CHECK(entry_found);
	CHECK(info->lowest == lowest && info->highest == highest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info info;
	int ret;

	memset(&info, 0x5a, sizeof(info));
	ret = elf_parse(data, size, &info);
	if (ret == 0) {
		check_result(data, size, &info);
	} else {
		static const struct elf_info zero;

		CHECK(ret == -ENOEXEC);
		CHECK(memcmp(&info, &zero, sizeof(info)) == 0);
	}
	return 0;
}
