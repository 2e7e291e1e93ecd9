/*
 * Early framebuffer text console: draws the embedded PSF font on a linear
 * direct-colour framebuffer, or writes cells in EGA text mode.  Bytes are
 * taken as Latin-1 and mapped to glyphs through the font's unicode table.
 * No locking: the caller (the kernel log) serialises writes.
 */
#include "fbcon.h"
#include "lib.h"

#define PSF1_MAGIC0	0x36
#define PSF1_MAGIC1	0x04
#define PSF1_MODE512	0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODESEQ	0x04
#define PSF1_SEPARATOR	0xffff
#define PSF1_STARTSEQ	0xfffe

#define PSF2_MAGIC     0x864ab572u
#define PSF2_HDR_SIZE  32
#define PSF2_HAS_TABLE 0x01
#define PSF2_SEPARATOR 0xff
#define PSF2_STARTSEQ  0xfe

#define EGA_ATTR 0x07
#define GREY	 0xaa /* light grey, per 8-bit channel */
#define NO_GLYPH 0xffffffffu

static struct {
	bool on;
	bool text; /* EGA text mode: cells, not pixels */
	uint8_t *fb;
	uint32_t pitch; /* bytes per pixel line or text row */
	uint32_t width; /* pixels (RGB) */
	unsigned bypp;	/* bytes per pixel */
	uint32_t fg;	/* pixel value of the text colour */
	unsigned cols, rows;
	unsigned col, row; /* col == cols: wrap before the next glyph */
	/* font */
	const uint8_t *glyphs;
	uint32_t nglyph, glyph_bytes, row_bytes, gw, gh;
	uint32_t map[256]; /* Latin-1 byte -> glyph index */
} con;

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void map_set(uint32_t cp, uint32_t glyph)
{
	if (cp < 256 && con.map[cp] == NO_GLYPH)
		con.map[cp] = glyph;
}

/* PSF1 table: per glyph, u16 code points, then 0xfffe sequences, 0xffff. */
static void psf1_table(const uint8_t *p, const uint8_t *end)
{
	uint32_t g = 0;
	bool seq = false;

	for (; p + 2 <= end && g < con.nglyph; p += 2) {
		uint32_t u = p[0] | p[1] << 8;

		if (u == PSF1_SEPARATOR) {
			g++;
			seq = false;
		} else if (u == PSF1_STARTSEQ) {
			seq = true;
		} else if (!seq) {
			map_set(u, g);
		}
	}
}

/* PSF2 table: per glyph, UTF-8 code points, then 0xfe sequences, 0xff. */
static void psf2_table(const uint8_t *p, const uint8_t *end)
{
	uint32_t g = 0;
	bool seq = false;

	while (p < end && g < con.nglyph) {
		uint8_t b = *p++;
		uint32_t cp;
		int more;

		if (b == PSF2_SEPARATOR) {
			g++;
			seq = false;
			continue;
		}
		if (b == PSF2_STARTSEQ)
			seq = true;
		if (seq)
			continue;
		if (b < 0x80)
			more = 0;
		else if ((b & 0xe0) == 0xc0)
			more = 1;
		else if ((b & 0xf0) == 0xe0)
			more = 2;
		else if ((b & 0xf8) == 0xf0)
			more = 3;
		else
			continue; /* stray continuation byte */
		cp = b & (0x7f >> more);
		for (; more && p < end && (*p & 0xc0) == 0x80; more--)
			cp = cp << 6 | (*p++ & 0x3f);
		if (!more)
			map_set(cp, g);
	}
}

/* Checks the embedded font, fills in con's font fields and builds map. */
static int font_load(void)
{
	const uint8_t *f = font_psf, *end = font_psf_end, *table;
	/* The linker places both symbols around one file. */
	/* cppcheck-suppress comparePointers */
	uint64_t len = (uint64_t)(end - f), data;
	bool has_table, psf2 = false;
	uint32_t q;

	if (len >= 4 && f[0] == PSF1_MAGIC0 && f[1] == PSF1_MAGIC1) {
		data = 4;
		con.nglyph = f[2] & PSF1_MODE512 ? 512 : 256;
		con.glyph_bytes = con.gh = f[3];
		con.gw = 8;
		has_table = f[2] & (PSF1_MODEHASTAB | PSF1_MODESEQ);
	} else if (len >= PSF2_HDR_SIZE && rd32(f) == PSF2_MAGIC) {
		psf2 = true;
		data = rd32(f + 8);
		has_table = rd32(f + 12) & PSF2_HAS_TABLE;
		con.nglyph = rd32(f + 16);
		con.glyph_bytes = rd32(f + 20);
		con.gh = rd32(f + 24);
		con.gw = rd32(f + 28);
		if (data < PSF2_HDR_SIZE || con.gw == 0 || con.gw > 64 ||
		    con.gh > 256 ||
		    con.glyph_bytes < con.gh * ((con.gw + 7) / 8))
			return -ENOTSUP;
	} else {
		return -ENOTSUP;
	}
	if (con.nglyph == 0 || con.gh == 0 ||
	    data + (uint64_t)con.nglyph * con.glyph_bytes > len)
		return -ENOTSUP;
	con.glyphs = f + data;
	con.row_bytes = (con.gw + 7) / 8;

	for (unsigned i = 0; i < 256; i++)
		con.map[i] = has_table || i >= con.nglyph ? NO_GLYPH : i;
	if (has_table) {
		table = con.glyphs + (size_t)con.nglyph * con.glyph_bytes;
		if (psf2)
			psf2_table(table, end);
		else
			psf1_table(table, end);
	}
	q = con.map['?'] == NO_GLYPH ? 0 : con.map['?'];
	for (unsigned i = 0; i < 256; i++)
		if (con.map[i] == NO_GLYPH)
			con.map[i] = q;
	return 0;
}

/* Scales the 8-bit channel value v to a `size`-bit field at `pos`. */
static uint32_t channel(uint32_t v, uint8_t pos, uint8_t size)
{
	return (v * ((1u << size) - 1) / 255) << pos;
}

static bool field_ok(uint8_t pos, uint8_t size, uint8_t bpp)
{
	return size >= 1 && size <= 16 && pos + size <= bpp;
}

static void put_pixel(uint8_t *p, uint32_t v)
{
	switch (con.bypp) {
	case 4:
		*(uint32_t *)p = v;
		break;
	case 3:
		p[0] = v;
		p[1] = v >> 8;
		p[2] = v >> 16;
		break;
	default:
		*(uint16_t *)p = v;
		break;
	}
}

static void draw(unsigned col, unsigned row, uint8_t c)
{
	const uint8_t *src;
	uint8_t *line;

	if (con.text) {
		uint16_t *cells = (uint16_t *)(con.fb + row * con.pitch);

		cells[col] = c | EGA_ATTR << 8;
		return;
	}
	src = con.glyphs + (size_t)con.map[c] * con.glyph_bytes;
	line = con.fb + (size_t)row * con.gh * con.pitch +
	       (size_t)col * con.gw * con.bypp;
	for (uint32_t y = 0; y < con.gh; y++, src += con.row_bytes) {
		uint8_t *p = line + (size_t)y * con.pitch;

		for (uint32_t x = 0; x < con.gw; x++, p += con.bypp)
			put_pixel(p, src[x / 8] & 0x80 >> x % 8 ? con.fg : 0);
	}
}

/* Blanks pixel lines [y0, y1) of an RGB framebuffer. */
static void clear_lines(size_t y0, size_t y1)
{
	for (size_t y = y0; y < y1; y++)
		memset(con.fb + y * con.pitch, 0, (size_t)con.width * con.bypp);
}

/* Blanks text row `row`. */
static void clear_row(unsigned row)
{
	if (!con.text) {
		clear_lines((size_t)row * con.gh, (size_t)(row + 1) * con.gh);
		return;
	}
	for (unsigned c = 0; c < con.cols; c++)
		draw(c, row, ' ');
}

static void newline(void)
{
	size_t line = con.text ? con.pitch : (size_t)con.gh * con.pitch;

	con.col = 0;
	if (++con.row < con.rows)
		return;
	con.row = con.rows - 1;
	memmove(con.fb, con.fb + line, (con.rows - 1) * line);
	clear_row(con.rows - 1);
}

/*
 * Starts the console on `fb`, mapped at `pixels`; any earlier state is
 * dropped.  RGB modes need 16, 24 or 32 bpp, sane colour fields and a
 * valid embedded font; EGA text mode needs no font.  Clears the screen
 * and puts the cursor top left.  Returns 0, or -ENOTSUP with the console
 * off.
 */
int fbcon_init(const struct boot_framebuffer *fb, void *pixels)
{
	int err;

	memset(&con, 0, sizeof(con));
	if (!fb || !pixels || fb->width == 0 || fb->height == 0)
		return -ENOTSUP;
	con.fb = pixels;

	if (fb->type == BOOT_FB_EGA_TEXT) {
		con.text = true;
		con.cols = fb->width;
		con.rows = fb->height;
		con.pitch = MAX(fb->pitch, fb->width * 2);
	} else if (fb->type == BOOT_FB_RGB) {
		if (fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
			return -ENOTSUP;
		if (!field_ok(fb->red_pos, fb->red_size, fb->bpp) ||
		    !field_ok(fb->green_pos, fb->green_size, fb->bpp) ||
		    !field_ok(fb->blue_pos, fb->blue_size, fb->bpp))
			return -ENOTSUP;
		con.bypp = fb->bpp / 8;
		if (fb->pitch / con.bypp < fb->width)
			return -ENOTSUP;
		err = font_load();
		if (err)
			return err;
		con.pitch = fb->pitch;
		con.width = fb->width;
		con.cols = fb->width / con.gw;
		con.rows = fb->height / con.gh;
		con.fg = channel(GREY, fb->red_pos, fb->red_size) |
			 channel(GREY, fb->green_pos, fb->green_size) |
			 channel(GREY, fb->blue_pos, fb->blue_size);
	} else {
		return -ENOTSUP;
	}
	if (con.cols == 0 || con.rows == 0) {
		memset(&con, 0, sizeof(con));
		return -ENOTSUP;
	}
	if (con.text) {
		for (unsigned r = 0; r < con.rows; r++)
			clear_row(r);
	} else {
		clear_lines(0, fb->height);
	}
	con.on = true;
	return 0;
}

/*
 * Draws n bytes at the cursor.  \n goes to the start of the next line,
 * \r to the start of this one, \t to the next multiple of 8 columns, \b
 * one column left without erasing.  Other control bytes are ignored.
 * Wraps at the right edge and scrolls at the bottom.  No-op when off.
 */
void fbcon_write(const char *s, size_t n)
{
	if (!con.on)
		return;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];

		switch (c) {
		case '\n':
			newline();
			break;
		case '\r':
			con.col = 0;
			break;
		case '\t':
			con.col = MIN((con.col & ~7u) + 8, con.cols);
			break;
		case '\b':
			if (con.col > 0)
				con.col--;
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				break;
			if (con.col >= con.cols)
				newline();
			draw(con.col++, con.row, c);
			break;
		}
	}
}

/* Text columns of the console, 0 when off. */
unsigned fbcon_columns(void)
{
	return con.on ? con.cols : 0;
}

/* Text rows of the console, 0 when off. */
unsigned fbcon_rows(void)
{
	return con.on ? con.rows : 0;
}
