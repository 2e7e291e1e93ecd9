/* The console font, a PSF file from Debian's console-setup-linux package. */
	.section .rodata
	.balign 16
	.global font_psf, font_psf_end
font_psf:
	.incbin FONT_FILE
font_psf_end:
	.section .note.GNU-stack, "", @progbits
