/*
 * Unit tests for the framebuffer console (kernel/console/fbcon.c).
 *
 * The "embedded font" is the writable buffer test_font: font_psf and
 * font_psf_end are assembler symbols at its start and end, so each test
 * can build the font it needs before calling fbcon_init().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fbcon.h"

#define FONT_SIZE	4096
#define GW		8		/* glyph width and height */
#define GH		8
#define COLS		20
#define ROWS		3
#define FB_W		(COLS * GW + 5)	/* 5 spare pixels right */
#define FB_H		(ROWS * GH + 3)	/* 3 spare lines below */
#define PITCH		(FB_W * 4 + 12)	/* padding after lines */
#define FILL		0x5a

#define GREY32		0x00aaaaaau
#define GREY16		0xa554u		/* 0xaa in 5:6:5 */

/* The .set below needs FONT_SIZE as a literal. */
_Static_assert(FONT_SIZE == 4096, "update font_psf_end");
uint8_t test_font[FONT_SIZE] __attribute__((aligned(16)));
__asm__(".globl font_psf, font_psf_end\n"
	".set font_psf, test_font\n"
	".set font_psf_end, test_font + 4096\n");

static uint8_t fb_mem[PITCH * FB_H] __attribute__((aligned(16)));

/* Glyph bitmaps, one byte per row. */
static const uint8_t pat_blank[GH];
static const uint8_t pat_q[GH] = {
	0x3c, 0x42, 0x02, 0x0c,
	0x10, 0x00, 0x10, 0x00,
};
static const uint8_t pat_a[GH] = {
	0x18, 0x24, 0x42, 0x7e,
	0x42, 0x42, 0x81, 0x00,
};
static const uint8_t pat_b[GH] = {
	0xfc, 0x42, 0x7c, 0x42,
	0x42, 0xfc, 0x00, 0x01,
};

/* Glyph order of the synthetic PSF2 font: deliberately not ASCII. */
enum { G_BLANK, G_Q, G_A, G_B, NGLYPH };

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/*
 * PSF2, 8x8, 4 glyphs.  Table: blank = " ", '?' glyph = "?", 'A' glyph =
 * "A" plus a sequence "A" U+030A (must not map anything), 'B' glyph =
 * U+00C4 (UTF-8 c3 84) and "B".  Returns the font's length.
 */
static size_t make_psf2(uint32_t flags, uint32_t nglyph)
{
	static const uint8_t table[] = {
		' ', 0xff,
		'?', 0xff,
		'A', 0xfe, 'Z', 0xcc, 0x8a, 0xff,
		0xc3, 0x84, 'B', 0xff,
	};
	uint8_t *p = test_font;

	memset(test_font, 0, sizeof(test_font));
	put32(p, 0x864ab572);
	put32(p + 4, 0);
	put32(p + 8, 32);
	put32(p + 12, flags);
	put32(p + 16, nglyph);
	put32(p + 20, GH);
	put32(p + 24, GH);
	put32(p + 28, GW);
	p += 32;
	memcpy(p + G_BLANK * GH, pat_blank, GH);
	memcpy(p + G_Q * GH, pat_q, GH);
	memcpy(p + G_A * GH, pat_a, GH);
	memcpy(p + G_B * GH, pat_b, GH);
	p += NGLYPH * GH;
	memcpy(p, table, sizeof(table));
	return p + sizeof(table) - test_font;
}

static struct boot_framebuffer rgb_fb(uint8_t bpp)
{
	struct boot_framebuffer fb = {
		.type = BOOT_FB_RGB,
		.pitch = PITCH,
		.width = FB_W,
		.height = FB_H,
		.bpp = bpp,
		.red_pos = 16, .red_size = 8,
		.green_pos = 8, .green_size = 8,
		.blue_pos = 0, .blue_size = 8,
	};

	if (bpp == 16) {
		fb.red_pos = 11, fb.red_size = 5;
		fb.green_pos = 5, fb.green_size = 6;
		fb.blue_pos = 0, fb.blue_size = 5;
	}
	return fb;
}

static int init_rgb(uint8_t bpp)
{
	struct boot_framebuffer fb = rgb_fb(bpp);

	memset(fb_mem, FILL, sizeof(fb_mem));
	return fbcon_init(&fb, fb_mem);
}

static uint32_t pixel(unsigned bypp, unsigned x, unsigned y)
{
	const uint8_t *p = fb_mem + y * PITCH + x * bypp;
	uint32_t v = 0;

	for (unsigned i = 0; i < bypp; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/* Checks every pixel of text cell (col, row) against a glyph bitmap. */
static void check_cell_bpp(unsigned bypp, uint32_t fg, unsigned col,
			   unsigned row, const uint8_t *pat)
{
	for (unsigned y = 0; y < GH; y++) {
		for (unsigned x = 0; x < GW; x++) {
			uint32_t want = pat[y] & (0x80 >> x) ? fg : 0;

			assert_int_equal(
				pixel(bypp, col * GW + x, row * GH + y), want);
		}
	}
}

static void check_cell(unsigned col, unsigned row, const uint8_t *pat)
{
	check_cell_bpp(4, GREY32, col, row, pat);
}

static void write_str(const char *s)
{
	fbcon_write(s, strlen(s));
}

static int setup_psf2(void **state)
{
	(void)state;
	make_psf2(1, NGLYPH);
	return 0;
}

static void test_init_geometry_and_clear(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	assert_int_equal(fbcon_columns(), COLS);
	assert_int_equal(fbcon_rows(), ROWS);
	for (unsigned y = 0; y < FB_H; y++) {
		for (unsigned x = 0; x < FB_W; x++)
			assert_int_equal(pixel(4, x, y), 0);
		/* The padding after each line is not the screen's. */
		for (unsigned i = FB_W * 4; i < PITCH; i++)
			assert_int_equal(fb_mem[y * PITCH + i], FILL);
	}
}

static void test_mapped_glyph(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	write_str("A");
	check_cell(0, 0, pat_a);
	check_cell(1, 0, pat_blank);
	write_str("AB\xc4");
	check_cell(1, 0, pat_a);
	check_cell(2, 0, pat_b);
	check_cell(3, 0, pat_b);
	check_cell(4, 0, pat_blank);
	check_cell(0, 1, pat_blank);
}

static void test_unmapped_draws_question(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	/* 'Z' only occurs inside a sequence; 0xe9 not at all. */
	write_str("Z?\xe9 ");
	check_cell(0, 0, pat_q);
	check_cell(1, 0, pat_q);
	check_cell(2, 0, pat_q);
	check_cell(3, 0, pat_blank);
}

static void test_wrap(void **state)
{
	char line[COLS + 2];

	(void)state;
	assert_int_equal(init_rgb(32), 0);
	memset(line, 'A', COLS);
	line[COLS] = 'B';
	line[COLS + 1] = 'B';
	fbcon_write(line, sizeof(line));
	check_cell(COLS - 1, 0, pat_a);
	check_cell(0, 1, pat_b);
	check_cell(1, 1, pat_b);
	check_cell(2, 1, pat_blank);
	/* The spare pixels right of the last column stay untouched. */
	for (unsigned y = 0; y < GH; y++)
		for (unsigned x = COLS * GW; x < FB_W; x++)
			assert_int_equal(pixel(4, x, y), 0);
}

static void test_full_line_then_newline(void **state)
{
	char line[COLS + 2];

	(void)state;
	assert_int_equal(init_rgb(32), 0);
	memset(line, 'A', COLS);
	line[COLS] = '\n';
	line[COLS + 1] = 'B';
	fbcon_write(line, sizeof(line));
	check_cell(0, 1, pat_b);
	check_cell(0, 2, pat_blank);
}

static void test_newline_and_cr(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	write_str("AA\nB");
	check_cell(0, 0, pat_a);
	check_cell(1, 0, pat_a);
	check_cell(0, 1, pat_b);
	check_cell(1, 1, pat_blank);
	write_str("A\rA");
	check_cell(0, 1, pat_a);
	check_cell(1, 1, pat_a);
	check_cell(0, 2, pat_blank);
}

static void test_scroll(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	write_str("A\nB\n?\nAA");
	check_cell(0, 0, pat_b);
	check_cell(0, 1, pat_q);
	check_cell(0, 2, pat_a);
	check_cell(1, 2, pat_a);
	check_cell(2, 2, pat_blank);
	write_str("\n");
	check_cell(0, 0, pat_q);
	check_cell(0, 1, pat_a);
	check_cell(1, 1, pat_a);
	for (unsigned c = 0; c < COLS; c++)
		check_cell(c, 2, pat_blank);
	/* The strip below the last text row is not part of the scroll. */
	for (unsigned y = ROWS * GH; y < FB_H; y++)
		for (unsigned x = 0; x < FB_W; x++)
			assert_int_equal(pixel(4, x, y), 0);
	write_str("B");
	check_cell(0, 2, pat_b);
}

static void test_backspace(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	write_str("AB\b");
	check_cell(1, 0, pat_b);	/* not erased */
	write_str("?");
	check_cell(0, 0, pat_a);
	check_cell(1, 0, pat_q);
	write_str("\b\b\b\bB");		/* stops at column 0 */
	check_cell(0, 0, pat_b);
	check_cell(1, 0, pat_q);
}

static void test_tab(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	write_str("\tA");
	check_cell(8, 0, pat_a);
	check_cell(0, 0, pat_blank);
	write_str("\tB");
	check_cell(9, 0, pat_blank);
	check_cell(16, 0, pat_b);
	write_str("\n??\tA\t\tB");
	check_cell(8, 1, pat_a);
	/* Past the last tab stop: the next glyph wraps. */
	check_cell(0, 2, pat_b);
}

static void test_16bpp(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(16), 0);
	assert_int_equal(fbcon_columns(), FB_W / GW);
	write_str("?A");
	check_cell_bpp(2, GREY16, 0, 0, pat_q);
	check_cell_bpp(2, GREY16, 1, 0, pat_a);
	check_cell_bpp(2, GREY16, 2, 0, pat_blank);
}

static void test_24bpp(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(24), 0);
	write_str("\n B");
	check_cell_bpp(3, GREY32, 1, 1, pat_b);
	check_cell_bpp(3, GREY32, 0, 1, pat_blank);
	check_cell_bpp(3, GREY32, 0, 0, pat_blank);
}

static void test_psf2_without_table(void **state)
{
	(void)state;
	/* 128 glyphs, no table: glyph index = byte value. */
	make_psf2(0, 128);
	memcpy(test_font + 32 + 'A' * GH, pat_a, GH);
	memcpy(test_font + 32 + '?' * GH, pat_q, GH);
	assert_int_equal(init_rgb(32), 0);
	write_str("A\x02?\xc4" "B");
	check_cell(0, 0, pat_a);
	check_cell(1, 0, pat_q);	/* control byte 2 is ignored */
	check_cell(2, 0, pat_q);	/* 0xc4 >= 128 glyphs */
	check_cell(3, 0, pat_blank);	/* glyph 66 is empty */
}

/*
 * PSF1, 256 glyphs of 8x8 with a table mapping glyph g to code point
 * g ^ 0x40, except glyph 0x10 ('P') which has only a sequence.
 */
static void make_psf1(uint8_t mode)
{
	uint8_t *p = test_font;

	memset(test_font, 0, sizeof(test_font));
	p[0] = 0x36;
	p[1] = 0x04;
	p[2] = mode;
	p[3] = GH;
	memcpy(p + 4 + ('A' ^ 0x40) * GH, pat_a, GH);
	memcpy(p + 4 + ('?' ^ 0x40) * GH, pat_q, GH);
	memcpy(p + 4 + ('B' ^ 0x40) * GH, pat_b, GH);
	memcpy(p + 4 + 'A' * GH, pat_b, GH);	/* wrong if used as ASCII */
	p += 4 + 256 * GH;
	for (unsigned g = 0; g < 256; g++) {
		uint16_t u[4] = { g ^ 0x40, 0xffff };
		unsigned n = 2;

		if (g == 0x10) {
			u[0] = 0xfffe;
			u[1] = 'P';
			u[2] = 0x0301;
			u[3] = 0xffff;
			n = 4;
		}
		for (unsigned i = 0; i < n; i++) {
			*p++ = u[i];
			*p++ = u[i] >> 8;
		}
	}
}

static void test_psf1_with_table(void **state)
{
	(void)state;
	make_psf1(0x02);
	assert_int_equal(init_rgb(32), 0);
	write_str("ABP?");
	check_cell(0, 0, pat_a);
	check_cell(1, 0, pat_b);
	check_cell(2, 0, pat_q);
	check_cell(3, 0, pat_q);
}

static void test_psf1_without_table(void **state)
{
	(void)state;
	make_psf1(0x00);
	assert_int_equal(init_rgb(32), 0);
	write_str("A\x01");
	check_cell(0, 0, pat_b);	/* glyph 65 */
	check_cell(1, 0, pat_blank);	/* control byte ignored */
}

static void test_ega_text(void **state)
{
	enum { C = 10, R = 3 };
	uint16_t cells[C * R];
	struct boot_framebuffer fb = {
		.type = BOOT_FB_EGA_TEXT, .width = C, .height = R,
		.pitch = C * 2, .bpp = 16,
	};

	(void)state;
	memset(cells, FILL, sizeof(cells));
	memset(test_font, 0, sizeof(test_font));	/* needs no font */
	assert_int_equal(fbcon_init(&fb, cells), 0);
	assert_int_equal(fbcon_columns(), C);
	assert_int_equal(fbcon_rows(), R);
	for (unsigned i = 0; i < C * R; i++)
		assert_int_equal(cells[i], 0x0720);
	write_str("Hi\n\tx");
	assert_int_equal(cells[0], 0x0748);
	assert_int_equal(cells[1], 0x0769);
	assert_int_equal(cells[2], 0x0720);
	assert_int_equal(cells[C + 8], 0x0778);
	write_str("\nab\ncd");
	/* Scrolled once: rows are now "\tx", "ab", "cd". */
	assert_int_equal(cells[8], 0x0778);
	assert_int_equal(cells[C], 0x0761);
	assert_int_equal(cells[2 * C], 0x0763);
	assert_int_equal(cells[2 * C + 1], 0x0764);
	assert_int_equal(cells[2 * C + 2], 0x0720);
}

static void check_off(int ret)
{
	uint8_t before[sizeof(fb_mem)];

	assert_int_equal(ret, -ENOTSUP);
	assert_int_equal(fbcon_columns(), 0);
	assert_int_equal(fbcon_rows(), 0);
	memcpy(before, fb_mem, sizeof(fb_mem));
	write_str("AB\n?");
	assert_memory_equal(before, fb_mem, sizeof(fb_mem));
}

static void test_bad_magic(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);	/* a good init first */
	test_font[1] ^= 0xff;
	check_off(init_rgb(32));
}

static void test_glyphs_past_end(void **state)
{
	(void)state;
	/* 600 glyphs of 8 bytes do not fit in 4096 bytes. */
	make_psf2(1, 600);
	check_off(init_rgb(32));
	make_psf2(1, 0);
	check_off(init_rgb(32));
	/* PSF1 with 512 glyphs of 8: 4 + 4096 > 4096. */
	make_psf1(0x03);
	check_off(init_rgb(32));
}

static void test_bad_psf2_header(void **state)
{
	(void)state;
	put32(test_font + 8, FONT_SIZE + 1);	/* header past the end */
	check_off(init_rgb(32));
	make_psf2(1, NGLYPH);
	put32(test_font + 20, GH - 1);		/* glyphs too small */
	check_off(init_rgb(32));
}

static void test_unsupported_modes(void **state)
{
	struct boot_framebuffer fb = rgb_fb(8);

	(void)state;
	memset(fb_mem, FILL, sizeof(fb_mem));
	check_off(fbcon_init(&fb, fb_mem));
	fb = rgb_fb(32);
	fb.type = BOOT_FB_NONE;
	check_off(fbcon_init(&fb, fb_mem));
	fb = rgb_fb(32);
	fb.pitch = FB_W * 4 - 1;		/* line wider than pitch */
	check_off(fbcon_init(&fb, fb_mem));
	fb = rgb_fb(32);
	fb.width = GW - 1;			/* not even one column */
	check_off(fbcon_init(&fb, fb_mem));
}

static void test_reinit_resets(void **state)
{
	(void)state;
	assert_int_equal(init_rgb(32), 0);
	write_str("A\nB\n?\n?");
	assert_int_equal(init_rgb(32), 0);
	write_str("B");
	check_cell(0, 0, pat_b);
	check_cell(0, 2, pat_blank);
}

int main(void)
{
#define T(f)	cmocka_unit_test_setup(f, setup_psf2)
	const struct CMUnitTest tests[] = {
		T(test_init_geometry_and_clear),
		T(test_mapped_glyph),
		T(test_unmapped_draws_question),
		T(test_wrap),
		T(test_full_line_then_newline),
		T(test_newline_and_cr),
		T(test_scroll),
		T(test_backspace),
		T(test_tab),
		T(test_16bpp),
		T(test_24bpp),
		cmocka_unit_test(test_psf2_without_table),
		cmocka_unit_test(test_psf1_with_table),
		cmocka_unit_test(test_psf1_without_table),
		cmocka_unit_test(test_ega_text),
		T(test_bad_magic),
		cmocka_unit_test(test_glyphs_past_end),
		T(test_bad_psf2_header),
		T(test_unsupported_modes),
		T(test_reinit_resets),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
