/*
 * Early framebuffer text console (kernel/console/fbcon.c), so that a PC
 * with no serial port still shows the boot log and the panic report.
 * Draws the PSF font linked into the kernel (kernel/console/font.S).
 */
#ifndef KERNEL_FBCON_H
#define KERNEL_FBCON_H

#include "boot.h"

/*
 * Starts drawing on `fb`, whose memory the kernel sees at `pixels`.
 * Handles 32, 24 and 16 bpp direct-colour modes and EGA text mode; any
 * other mode leaves the console off.  Returns 0 or -ENOTSUP.
 */
int fbcon_init(const struct boot_framebuffer *fb, void *pixels);

/* Writes text; handles \n, \r, \t, \b and scrolls.  No-op when off. */
void fbcon_write(const char *s, size_t n);

/* Character cells of the console (0 when off). */
unsigned fbcon_columns(void);
unsigned fbcon_rows(void);

/* Embedded font, a PSF1 or PSF2 file. */
extern const uint8_t font_psf[];
extern const uint8_t font_psf_end[];

#endif
