/*
 * ELF64 executable images: the on-disk structures and the validator the
 * process loader runs before it maps anything (kernel/lib/elf.c).
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "types.h"

/* e_ident[] indices and values. */
#define EI_MAG0	      0
#define EI_MAG1	      1
#define EI_MAG2	      2
#define EI_MAG3	      3
#define EI_CLASS      4
#define EI_DATA	      5
#define EI_VERSION    6
#define EI_OSABI      7
#define EI_ABIVERSION 8
#define EI_NIDENT     16

#define ELFMAG0	    0x7f
#define ELFMAG1	    'E'
#define ELFMAG2	    'L'
#define ELFMAG3	    'F'
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1

/* e_type and e_machine. */
#define ET_NONE	  0
#define ET_REL	  1
#define ET_EXEC	  2
#define ET_DYN	  3
#define ET_CORE	  4
#define EM_X86_64 62

/* p_type. */
#define PT_NULL	     0
#define PT_LOAD	     1
#define PT_DYNAMIC   2
#define PT_INTERP    3
#define PT_NOTE	     4
#define PT_SHLIB     5
#define PT_PHDR	     6
#define PT_TLS	     7
#define PT_GNU_STACK 0x6474e551

/* p_flags. */
#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr is 56 bytes");

#define ELF_MAX_PHNUM	 64 /* most program headers an image may have */
#define ELF_MAX_SEGMENTS 16 /* most non-empty PT_LOAD segments */

#define USER_SPACE_MIN 0x10000UL /* lowest user address a segment may use */
#define USER_SPACE_END                                                         \
	0x00007ffffffff000UL /* the last user page stays unmapped */

/* struct elf_segment.flags */
#define ELF_SEG_R 0x1
#define ELF_SEG_W 0x2
#define ELF_SEG_X 0x4

/*
 * One PT_LOAD segment: memory [vaddr, vaddr + memsz) gets file bytes
 * [offset, offset + filesz) at its start and zeroes after them.
 */
struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags; /* ELF_SEG_R/W/X */
};

struct elf_info {
	uint64_t entry;
	unsigned count; /* entries used in seg[], in program header order */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	/* page-rounded span of all PT_LOAD: [lowest, highest) */
	uint64_t lowest, highest;
};

/*
 * Validates the static x86_64 executable in image[0, size) and describes
 * its loadable segments in *out.  Nothing is mapped or written except *out;
 * the image may have any alignment and is only read, never past `size`.
 *
 * Returns 0 on success, -EINVAL if out is NULL, and -ENOEXEC for anything
 * malformed, unsupported or hostile.  On error *out is zeroed.
 *
 * On success the following hold for every seg[i], i < count (1 <= count <=
 * ELF_MAX_SEGMENTS):
 *  - 0 < memsz, filesz <= memsz, offset + filesz <= size (no wrap-around);
 *  - USER_SPACE_MIN <= vaddr and vaddr + memsz <= USER_SPACE_END;
 *  - vaddr % PAGE_SIZE == offset % PAGE_SIZE, so pages can be mapped 1:1;
 *  - flags never has both ELF_SEG_W and ELF_SEG_X;
 *  - the page-rounded ranges [ALIGN_DOWN(vaddr), ALIGN_UP(vaddr + memsz))
 *    of two different segments are disjoint;
 * and entry lies in [vaddr, vaddr + memsz) of a segment with ELF_SEG_X;
 * lowest/highest are the page-rounded minimum start and maximum end.
 *
 * Rejected: short images, bad ident/e_version, e_type other than ET_EXEC,
 * e_machine other than EM_X86_64, e_ehsize < 64, e_phentsize != 56,
 * e_phnum 0 or > ELF_MAX_PHNUM, a program header table outside the file,
 * PT_INTERP or PT_DYNAMIC (static images only), a PT_LOAD with filesz >
 * memsz or a bad p_align (not 0, 1 or a power of two), and no non-empty
 * PT_LOAD.  PT_LOAD entries with memsz == 0 are otherwise skipped; other
 * program header types are ignored.  Section headers are never read.
 */
int elf_parse(const void *image, size_t size, struct elf_info *out);

#endif
