/*
 * ustar reader for the boot archive; see tar.h.
 *
 * Headers are only ever accessed as bytes (every field is a char array), so
 * the archive needs no alignment.  Every offset is checked against the size
 * before use, and additions are checked for wrap-around.
 */
#include "types.h"
#include "lib.h"
#include "tar.h"

struct ustar_header {
	char name[100];
	char mode[8];
	char uid[8];
	char gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[8]; /* and version */
	char uname[32];
	char gname[32];
	char devmajor[8];
	char devminor[8];
	char prefix[155]; /* GNU keeps other fields here */
	char pad[12];
};

_Static_assert(sizeof(struct ustar_header) == TAR_BLOCK, "ustar header");
_Static_assert(TAR_NAME_SIZE >= 155 + 1 + 100 + 1, "tar name buffer");

/*
 * Parses an octal field: optional leading spaces, at least one digit, then
 * only NULs and spaces.  Base-256 (high bit set) and signs are rejected.
 */
static int parse_octal(const char *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, start;

	while (i < len && f[i] == ' ')
		i++;
	for (start = i; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > UINT64_MAX >> 3)
			return -EINVAL;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	if (i == start)
		return -EINVAL;
	for (; i < len; i++) {
		if (f[i] != '\0' && f[i] != ' ')
			return -EINVAL;
	}
	*out = v;
	return 0;
}

static bool checksum_ok(const struct ustar_header *h)
{
	const uint8_t *b = (const uint8_t *)h;
	uint64_t want, sum = 0;

	if (parse_octal(h->chksum, sizeof(h->chksum), &want))
		return false;
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += b[i];
	for (size_t i = 0; i < sizeof(h->chksum); i++)
		sum += (uint64_t)' ' - (uint8_t)h->chksum[i];
	return sum == want;
}

static bool is_zero(const uint8_t *p)
{
	for (size_t i = 0; i < TAR_BLOCK; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/* Joins prefix (plain ustar only) and name into out[TAR_NAME_SIZE]. */
static int copy_name(const struct ustar_header *h, bool gnu, char *out)
{
	size_t n = strnlen(h->name, sizeof(h->name));
	size_t p = gnu ? 0 : strnlen(h->prefix, sizeof(h->prefix));

	if (n == 0)
		return -EINVAL;
	if (p) {
		memcpy(out, h->prefix, p);
		out[p++] = '/';
	}
	memcpy(out + p, h->name, n);
	out[p + n] = '\0';
	return 0;
}

/* Fills in what tar_next_any adds for links and directories, and the
   mode and mtime, which an entry may leave unreadable. */
static void copy_meta(const struct ustar_header *h, struct tar_entry *e)
{
	uint64_t v;

	if (e->type == '1' || e->type == '2') {
		e->data = h->linkname;
		e->size = strnlen(h->linkname, sizeof(h->linkname));
	} else if (e->type == '5') {
		e->size = 0;
	}
	if (!parse_octal(h->mode, sizeof(h->mode), &v))
		e->mode = (uint32_t)(v & 07777);
	if (!parse_octal(h->mtime, sizeof(h->mtime), &v))
		e->mtime = v;
}

/*
 * Returns 1 and the next regular file after *offset (with `all`, also the
 * next link or directory), 0 at the end marker, -EINVAL for a malformed
 * archive; see the contract in tar.h.
 */
static int tar_walk(const void *archive, size_t size, size_t *offset,
		    struct tar_entry *e, bool all)
{
	const uint8_t *base = archive;
	uint64_t off, fsize, skip;

	if ((!archive && size) || !offset || !e)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	off = *offset;
	if (off > size || off % TAR_BLOCK)
		return -EINVAL;
	while (off < size) {
		const struct ustar_header *h = (const void *)(base + off);
		bool gnu;
		char t;

		if (size - off < TAR_BLOCK)
			return -EINVAL;
		if (is_zero(base + off)) {
			/* The end: two zero blocks, or one at the very end. */
			if (size - off > TAR_BLOCK &&
			    (size - off < 2 * TAR_BLOCK ||
			     !is_zero(base + off + TAR_BLOCK)))
				return -EINVAL;
			break;
		}
		/* "ustar" NUL "00", or GNU's "ustar  " NUL. */
		gnu = !memcmp(h->magic, "ustar  ", 8);
		if (!gnu && (memcmp(h->magic, "ustar", 6) ||
			     memcmp(h->magic + 6, "00", 2)))
			return -EINVAL;
		if (!checksum_ok(h) ||
		    parse_octal(h->size, sizeof(h->size), &fsize))
			return -EINVAL;
		t = h->typeflag;
		/* Links, devices, FIFOs and directories carry no data. */
		skip = t >= '1' && t <= '6' ? 0 : fsize;
		if (__builtin_add_overflow(skip, TAR_BLOCK - 1, &skip))
			return -EINVAL;
		skip = ALIGN_DOWN(skip, TAR_BLOCK);
		off += TAR_BLOCK;
		if (skip > size - off)
			return -EINVAL;
		if (t == '0' || t == '\0' || t == '7' ||
		    (all && (t == '1' || t == '2' || t == '5'))) {
			if (copy_name(h, gnu, e->name))
				return -EINVAL;
			e->data = base + off;
			e->size = fsize;
			e->type = t;
			copy_meta(h, e);
			*offset = off + skip;
			return 1;
		}
		off += skip;
	}
	*offset = off;
	return 0;
}

int tar_next(const void *archive, size_t size, size_t *offset,
	     struct tar_entry *e)
{
	return tar_walk(archive, size, offset, e, false);
}

int tar_next_any(const void *archive, size_t size, size_t *offset,
		 struct tar_entry *e)
{
	return tar_walk(archive, size, offset, e, true);
}

/* Finds a regular file by exact name: 0, -ENOENT or -EINVAL (tar.h). */
int tar_find(const void *archive, size_t size, const char *name,
	     struct tar_entry *e)
{
	size_t off = 0;
	int ret;

	if (!name || !e)
		return -EINVAL;
	while ((ret = tar_next(archive, size, &off, e)) == 1) {
		if (!strcmp(e->name, name))
			return 0;
	}
	memset(e, 0, sizeof(*e));
	return ret ? ret : -ENOENT;
}
