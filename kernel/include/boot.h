/*
 * What the kernel learns from the boot loader (kernel/boot/multiboot2.c).
 * mb2_parse() turns the multiboot2 information block into struct boot_info,
 * checking every tag before it reads it.
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include "types.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u

#define BOOT_MAX_MMAP	 512
#define BOOT_MAX_MODULES 16

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* enum boot_mem_type; others count as reserved */
};

struct boot_module {
	uint64_t start;	     /* physical, inclusive */
	uint64_t end;	     /* physical, exclusive */
	const char *cmdline; /* points into the information block */
};

enum boot_fb_type {
	BOOT_FB_NONE = 0,
	BOOT_FB_RGB,	  /* linear framebuffer, direct colour */
	BOOT_FB_EGA_TEXT, /* 80x25 text mode cells */
};

struct boot_framebuffer {
	enum boot_fb_type type;
	uint64_t addr;	 /* physical */
	uint32_t pitch;	 /* bytes per line */
	uint32_t width;	 /* pixels, or text columns */
	uint32_t height; /* pixels, or text rows */
	uint8_t bpp;
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
};

struct boot_info {
	uint64_t info_phys; /* the information block itself */
	uint32_t info_size;
	const char *cmdline; /* never NULL: "" when absent */
	const char *loader_name;
	struct boot_mem_region mmap[BOOT_MAX_MMAP];
	unsigned mmap_count;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned module_count;
	struct boot_framebuffer fb;
	uint64_t acpi_rsdp_phys; /* of the copy inside the block; 0 if none */
	uint8_t acpi_revision;	 /* 1 or 2; 0 if none */
};

/*
 * Parses the multiboot2 information block at `info` (the kernel's view of
 * `info_phys`).  `avail` is how many bytes are known readable there.
 * Returns 0, or -EINVAL with *err set to a one-line reason when the block
 * is malformed (bad size, misaligned, truncated or overlapping tags, no
 * end tag, impossible field values).  Unknown tags are skipped.
 */
int mb2_parse(const void *info, size_t avail, uint64_t info_phys,
	      struct boot_info *out, const char **err);

#endif
