/*
 * ktest assembly helpers for the system call convention (docs/abi.md):
 * every register but rax, rcx and r11 survives a syscall, and the SSE
 * registers survive context switches.
 */
	.text

/*
 * int kt_regs_check(long nr)
 * Loads a distinct pattern into rbx, rbp, rdi, rsi, rdx, r8, r9, r10 and
 * r12..r15, runs syscall nr, and returns how many of them (and rsp) changed.
 */
	.globl	kt_regs_check
	.type	kt_regs_check, @function
kt_regs_check:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, -8(%rsp)		/* red zone: rsp before the call */
	movq	%rdi, %rax
	movabsq	$0x1111111111111111, %rbx
	movabsq	$0x2222222222222222, %rbp
	movabsq	$0x3333333333333333, %rdi
	movabsq	$0x4444444444444444, %rsi
	movabsq	$0x5555555555555555, %rdx
	movabsq	$0x6666666666666666, %r8
	movabsq	$0x7777777777777777, %r9
	movabsq	$0x8888888888888888, %r10
	movabsq	$0x9999999999999999, %r12
	movabsq	$0xaaaaaaaaaaaaaaaa, %r13
	movabsq	$0xbbbbbbbbbbbbbbbb, %r14
	movabsq	$0xcccccccccccccccc, %r15
	syscall
	/* compare each against its pattern; rcx and r11 are free now */
	xorl	%ecx, %ecx
	movabsq	$0x1111111111111111, %r11
	cmpq	%r11, %rbx
	je	1f
	incl	%ecx
1:	movabsq	$0x2222222222222222, %r11
	cmpq	%r11, %rbp
	je	1f
	incl	%ecx
1:	movabsq	$0x3333333333333333, %r11
	cmpq	%r11, %rdi
	je	1f
	incl	%ecx
1:	movabsq	$0x4444444444444444, %r11
	cmpq	%r11, %rsi
	je	1f
	incl	%ecx
1:	movabsq	$0x5555555555555555, %r11
	cmpq	%r11, %rdx
	je	1f
	incl	%ecx
1:	movabsq	$0x6666666666666666, %r11
	cmpq	%r11, %r8
	je	1f
	incl	%ecx
1:	movabsq	$0x7777777777777777, %r11
	cmpq	%r11, %r9
	je	1f
	incl	%ecx
1:	movabsq	$0x8888888888888888, %r11
	cmpq	%r11, %r10
	je	1f
	incl	%ecx
1:	movabsq	$0x9999999999999999, %r11
	cmpq	%r11, %r12
	je	1f
	incl	%ecx
1:	movabsq	$0xaaaaaaaaaaaaaaaa, %r11
	cmpq	%r11, %r13
	je	1f
	incl	%ecx
1:	movabsq	$0xbbbbbbbbbbbbbbbb, %r11
	cmpq	%r11, %r14
	je	1f
	incl	%ecx
1:	movabsq	$0xcccccccccccccccc, %r11
	cmpq	%r11, %r15
	je	1f
	incl	%ecx
1:	cmpq	%rsp, -8(%rsp)
	je	1f
	incl	%ecx
1:	movl	%ecx, %eax
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	kt_regs_check, . - kt_regs_check

/*
 * int kt_sse_check(uint64_t seed, int rounds, long nr, long arg)
 * Fills xmm0..15 (both halves of xmm i with seed + i * K), makes `rounds`
 * syscalls nr(arg), and returns how many xmm registers changed.
 */
	.globl	kt_sse_check
	.type	kt_sse_check, @function
kt_sse_check:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$264, %rsp
	movq	%rdi, %r14		/* seed */
	movl	%esi, %r12d		/* rounds */
	movq	%rdx, %r13		/* syscall number */
	movq	%rcx, %rbx		/* its argument */
	movabsq	$0x9e3779b97f4a7c15, %r15
	movq	%r14, %rax
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	movq	%rax, %xmm\i
	pshufd	$0x44, %xmm\i, %xmm\i
	addq	%r15, %rax
	.endr
2:	testl	%r12d, %r12d
	jz	3f
	movq	%r13, %rax
	movq	%rbx, %rdi
	syscall
	decl	%r12d
	jmp	2b
3:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	movdqu	%xmm\i, (16 * \i)(%rsp)
	.endr
	xorl	%ebx, %ebx
	movq	%r14, %rax
	movq	%rsp, %rdi
	movl	$16, %ecx
4:	xorl	%edx, %edx
	cmpq	(%rdi), %rax
	je	5f
	movl	$1, %edx
5:	cmpq	8(%rdi), %rax
	je	6f
	movl	$1, %edx
6:	addl	%edx, %ebx
	addq	%r15, %rax
	addq	$16, %rdi
	decl	%ecx
	jnz	4b
	movl	%ebx, %eax
	addq	$264, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	kt_sse_check, . - kt_sse_check

	.section .note.GNU-stack, "", @progbits
