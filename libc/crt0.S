/*
 * Process entry.  The kernel starts a process here with
 *   rdi = number of handles it was given (handles 0..n-1),
 *   rsi = its argument block (NUL-separated strings, argv[0] first),
 *   rdx = the block's length,
 * and rsp 16-byte aligned minus 8, as if _start had been called.  Those
 * three registers are already the arguments of __valence_start().
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip		/* the outermost frame: stop unwinding */
	xorl	%ebp, %ebp		/* and the end of the frame-pointer chain */
	andq	$-16, %rsp		/* the ABI wants rsp % 16 == 0 at a call */
	call	__valence_start
	ud2				/* __valence_start never returns */
	.cfi_endproc
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
