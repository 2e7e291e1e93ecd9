/*
 * Process entry.  The kernel starts a process here with
 *   rdi = number of handles it was given (handles 0..n-1),
 *   rsi = its argument block (NUL-separated strings, argv[0] first),
 *   rdx = the block's length,
 *   r8  = how many of the block's strings are argv (the rest are the
 *         environment; 0 = all),
 *   r9  = its pid,
 * and rsp 16-byte aligned minus 8, as if _start had been called.  Moving
 * r8 and r9 down to rcx and r8 makes them all the arguments of
 * __valence_start() (start.c).
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip		/* the outermost frame: stop unwinding */
	xorl	%ebp, %ebp		/* and the end of the frame-pointer chain */
	andq	$-16, %rsp		/* the ABI wants rsp % 16 == 0 at a call */
	movq	%r8, %rcx
	movq	%r9, %r8
	call	__valence_start
	ud2				/* __valence_start never returns */
	.cfi_endproc
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
