/*
 * ELF64 image validation for the process loader.
 *
 * Everything in the image is untrusted: headers are copied out with memcpy
 * (the image may be unaligned), every offset and size is range-checked
 * before use, and every addition is checked for wrap-around.
 */
#include "types.h"
#include "lib.h"
#include "elf.h"

static bool ident_ok(const struct elf64_ehdr *eh)
{
	const uint8_t *id = eh->e_ident;

	return id[EI_MAG0] == ELFMAG0 && id[EI_MAG1] == ELFMAG1 &&
	       id[EI_MAG2] == ELFMAG2 && id[EI_MAG3] == ELFMAG3 &&
	       id[EI_CLASS] == ELFCLASS64 && id[EI_DATA] == ELFDATA2LSB &&
	       id[EI_VERSION] == EV_CURRENT;
}

static int check_ehdr(const struct elf64_ehdr *eh, size_t size)
{
	uint64_t table_size, table_end;

	if (!ident_ok(eh) || eh->e_version != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_ehsize < sizeof(struct elf64_ehdr) ||
	    eh->e_phentsize != sizeof(struct elf64_phdr))
		return -ENOEXEC;
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	/* e_phnum <= ELF_MAX_PHNUM, so the product cannot overflow. */
	table_size = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (__builtin_add_overflow(eh->e_phoff, table_size, &table_end))
		return -ENOEXEC;
	if (table_end > size)
		return -ENOEXEC;
	return 0;
}

static uint32_t seg_flags(uint32_t p_flags)
{
	uint32_t flags = 0;

	if (p_flags & PF_R)
		flags |= ELF_SEG_R;
	if (p_flags & PF_W)
		flags |= ELF_SEG_W;
	if (p_flags & PF_X)
		flags |= ELF_SEG_X;
	return flags;
}

/* Checks one PT_LOAD with memsz != 0 and fills *seg from it. */
static int check_load(const struct elf64_phdr *ph, size_t size,
		      struct elf_segment *seg)
{
	uint64_t file_end, mem_end;

	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &file_end) ||
	    file_end > size)
		return -ENOEXEC;
	if (ph->p_vaddr < USER_SPACE_MIN)
		return -ENOEXEC;
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &mem_end) ||
	    mem_end > USER_SPACE_END)
		return -ENOEXEC;
	if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)) != 0)
		return -ENOEXEC;
	/* Segments are mapped page by page straight from the file. */
	if (ph->p_vaddr % PAGE_SIZE != ph->p_offset % PAGE_SIZE)
		return -ENOEXEC;
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return -ENOEXEC;

	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	seg->offset = ph->p_offset;
	seg->filesz = ph->p_filesz;
	seg->flags = seg_flags(ph->p_flags);
	return 0;
}

/*
 * Page-rounded bounds of a checked segment.  vaddr + memsz <= USER_SPACE_END,
 * which is page aligned, so rounding up cannot wrap.
 */
static uint64_t seg_page_start(const struct elf_segment *seg)
{
	return ALIGN_DOWN(seg->vaddr, PAGE_SIZE);
}

static uint64_t seg_page_end(const struct elf_segment *seg)
{
	return ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE);
}

static bool overlaps_earlier(const struct elf_info *info, unsigned n)
{
	uint64_t start = seg_page_start(&info->seg[n]);
	uint64_t end = seg_page_end(&info->seg[n]);

	for (unsigned i = 0; i < n; i++) {
		if (start < seg_page_end(&info->seg[i]) &&
		    seg_page_start(&info->seg[i]) < end)
			return true;
	}
	return false;
}

static bool entry_ok(const struct elf_info *info)
{
	for (unsigned i = 0; i < info->count; i++) {
		const struct elf_segment *seg = &info->seg[i];

		/* A difference, so that no addition can wrap. */
		if ((seg->flags & ELF_SEG_X) && info->entry >= seg->vaddr &&
		    info->entry - seg->vaddr < seg->memsz)
			return true;
	}
	return false;
}

static int parse(const uint8_t *image, size_t size, struct elf_info *out)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	int ret;

	if (!image || size < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, image, sizeof(eh));
	ret = check_ehdr(&eh, size);
	if (ret)
		return ret;

	out->entry = eh.e_entry;
	out->lowest = UINT64_MAX;
	out->highest = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf_segment *seg;

		/* check_ehdr() proved the whole table lies inside the image. */
		memcpy(&ph, image + eh.e_phoff + (uint64_t)i * sizeof(ph),
		       sizeof(ph));
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return -ENOEXEC;
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_memsz == 0) {
			/* Empty segment: nothing to map, but no stray data. */
			if (ph.p_filesz != 0)
				return -ENOEXEC;
			continue;
		}
		if (out->count == ELF_MAX_SEGMENTS)
			return -ENOEXEC;
		seg = &out->seg[out->count];
		ret = check_load(&ph, size, seg);
		if (ret)
			return ret;
		if (overlaps_earlier(out, out->count))
			return -ENOEXEC;
		out->count++;
		out->lowest = MIN(out->lowest, seg_page_start(seg));
		out->highest = MAX(out->highest, seg_page_end(seg));
	}

	if (out->count == 0 || !entry_ok(out))
		return -ENOEXEC;
	return 0;
}

/*
 * Validates a static ELF64 x86_64 executable and lists its PT_LOAD
 * segments; see the contract in elf.h.  *out is zeroed on error.
 */
int elf_parse(const void *image, size_t size, struct elf_info *out)
{
	int ret;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	ret = parse(image, size, out);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}
