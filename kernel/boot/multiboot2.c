/*
 * Multiboot2 information parser.  The block comes from the boot loader
 * and is checked before use: every tag must lie inside the block, have a
 * plausible size for its type, appear at most once when it should, and the
 * block must close with an end tag exactly at its end.
 */
#include "boot.h"
#include "lib.h"

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER_NAME = 2,
	TAG_MODULE = 3,
	TAG_MMAP = 6,
	TAG_FRAMEBUFFER = 8,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
};

#define TAG_HEADER     8
#define FB_COMMON_SIZE 32 /* header, addr, pitch, width, height, bpp, type */
#define FB_RGB_SIZE    38
#define MMAP_HEADER    16
#define MMAP_ENTRY_MIN 24
#define RSDP_V1_SIZE   20
#define RSDP_V2_SIZE   36

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A string field: NULL unless NUL-terminated within `len` bytes. */
static const char *tag_string(const uint8_t *s, size_t len)
{
	return strnlen((const char *)s, len) < len ? (const char *)s : NULL;
}

static int parse_mmap(const uint8_t *t, uint32_t size, struct boot_info *bi,
		      const char **err)
{
	uint32_t esize, n;

	if (size < MMAP_HEADER) {
		*err = "memory map tag is too short";
		return -EINVAL;
	}
	esize = rd32(t + 8);
	if (esize < MMAP_ENTRY_MIN || esize % 8) {
		*err = "memory map tag has a bad entry size";
		return -EINVAL;
	}
	if ((size - MMAP_HEADER) % esize) {
		*err = "memory map tag size is not a whole number of entries";
		return -EINVAL;
	}
	n = (size - MMAP_HEADER) / esize;
	if (n > BOOT_MAX_MMAP) {
		*err = "memory map has too many entries";
		return -EINVAL;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = t + MMAP_HEADER + (size_t)i * esize;
		struct boot_mem_region *r = &bi->mmap[i];

		r->base = rd64(e);
		r->length = rd64(e + 8);
		r->type = rd32(e + 16);
		if (r->base + r->length < r->base) {
			*err = "memory map entry wraps around";
			return -EINVAL;
		}
	}
	bi->mmap_count = n;
	return 0;
}

static int parse_framebuffer(const uint8_t *t, uint32_t size,
			     struct boot_info *bi, const char **err)
{
	struct boot_framebuffer *fb = &bi->fb;
	uint8_t type;
	uint64_t bytes;

	if (size < FB_COMMON_SIZE) {
		*err = "framebuffer tag is too short";
		return -EINVAL;
	}
	fb->addr = rd64(t + 8);
	fb->pitch = rd32(t + 16);
	fb->width = rd32(t + 20);
	fb->height = rd32(t + 24);
	fb->bpp = t[28];
	type = t[29];
	if (type == 1) {
		if (size < FB_RGB_SIZE) {
			*err = "framebuffer tag is too short for RGB fields";
			return -EINVAL;
		}
		fb->type = BOOT_FB_RGB;
		fb->red_pos = t[32];
		fb->red_size = t[33];
		fb->green_pos = t[34];
		fb->green_size = t[35];
		fb->blue_pos = t[36];
		fb->blue_size = t[37];
	} else if (type == 2) {
		fb->type = BOOT_FB_EGA_TEXT;
		fb->bpp = 16;
	} else {
		fb->type = BOOT_FB_NONE; /* indexed colour: not used */
		return 0;
	}
	bytes = (uint64_t)fb->pitch * fb->height;
	if (!fb->addr || !fb->width || !fb->height || !fb->bpp ||
	    fb->pitch < ((uint64_t)fb->width * fb->bpp + 7) / 8 ||
	    fb->addr + bytes < fb->addr) {
		*err = "framebuffer tag has impossible geometry";
		fb->type = BOOT_FB_NONE;
		return -EINVAL;
	}
	return 0;
}

static int parse_module(const uint8_t *t, uint32_t size, struct boot_info *bi,
			const char **err)
{
	struct boot_module *m;

	if (size < TAG_HEADER + 9) {
		*err = "module tag is too short";
		return -EINVAL;
	}
	if (bi->module_count == BOOT_MAX_MODULES) {
		*err = "too many modules";
		return -EINVAL;
	}
	m = &bi->modules[bi->module_count];
	m->start = rd32(t + 8);
	m->end = rd32(t + 12);
	m->cmdline = tag_string(t + 16, size - 16);
	if (!m->cmdline || m->end < m->start) {
		*err = "module tag is malformed";
		return -EINVAL;
	}
	bi->module_count++;
	return 0;
}

static int parse_acpi(const uint8_t *t, uint32_t size, uint32_t type,
		      uint64_t tag_phys, struct boot_info *bi, const char **err)
{
	uint32_t need = type == TAG_ACPI_NEW ? RSDP_V2_SIZE : RSDP_V1_SIZE;

	if (size < TAG_HEADER + need || memcmp(t + 8, "RSD PTR ", 8) != 0) {
		*err = "ACPI RSDP tag is malformed";
		return -EINVAL;
	}
	/* Prefer the 2.0 table when the loader gives both. */
	if (type == TAG_ACPI_NEW || bi->acpi_revision < 2) {
		bi->acpi_rsdp_phys = tag_phys + 8;
		bi->acpi_revision = type == TAG_ACPI_NEW ? 2 : 1;
	}
	return 0;
}

int mb2_parse(const void *info, size_t avail, uint64_t info_phys,
	      struct boot_info *out, const char **err)
{
	const uint8_t *base = info;
	uint32_t total, seen = 0;
	size_t off;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	out->loader_name = "";
	*err = NULL;
	if (info_phys % 8) {
		*err = "information block is not 8-byte aligned";
		return -EINVAL;
	}
	if (avail < 16 || (total = rd32(base)) < 16 || total > avail) {
		*err = "information block size is impossible";
		return -EINVAL;
	}
	out->info_phys = info_phys;
	out->info_size = total;

	for (off = 8; ret == 0; off = ALIGN_UP(off + rd32(base + off + 4), 8)) {
		const uint8_t *t = base + off;
		uint32_t type, size;

		if (off + TAG_HEADER > total) {
			*err = "no end tag";
			return -EINVAL;
		}
		type = rd32(t);
		size = rd32(t + 4);
		if (size < TAG_HEADER || size > total - off) {
			*err = "tag runs past the end of the block";
			return -EINVAL;
		}
		if (type < 32 && type != TAG_MODULE) {
			if (seen & (1u << type)) {
				*err = "tag appears twice";
				return -EINVAL;
			}
			seen |= 1u << type;
		}
		switch (type) {
		case TAG_END:
			if (size != TAG_HEADER || off + TAG_HEADER != total) {
				*err = "end tag is not at the end of the block";
				return -EINVAL;
			}
			return 0;
		case TAG_CMDLINE:
		case TAG_LOADER_NAME: {
			const char *s = tag_string(t + 8, size - 8);

			if (!s) {
				*err = "string tag is not terminated";
				return -EINVAL;
			}
			if (type == TAG_CMDLINE)
				out->cmdline = s;
			else
				out->loader_name = s;
			break;
		}
		case TAG_MODULE:
			ret = parse_module(t, size, out, err);
			break;
		case TAG_MMAP:
			ret = parse_mmap(t, size, out, err);
			break;
		case TAG_FRAMEBUFFER:
			ret = parse_framebuffer(t, size, out, err);
			break;
		case TAG_ACPI_OLD:
		case TAG_ACPI_NEW:
			ret = parse_acpi(t, size, type, info_phys + off, out,
					 err);
			break;
		default:
			break; /* tags we do not use */
		}
	}
	return ret;
}
