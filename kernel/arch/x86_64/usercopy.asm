; Checked copies to and from user memory.  A fault inside these copies is
; turned into -EFAULT by trap.c (it moves rip to usercopy_fault) instead of
; a panic.  With SMAP, user pages are reachable only between stac and clac;
; CPUs without SMAP get the variant without those instructions.

global usercopy_start, usercopy_end, usercopy_fault
global copy_from_user, copy_to_user, usercopy_smap
global arch_probe_user_smap, arch_probe_user_plain

EFAULT equ 14
USER_SPACE_TOP equ 0x0000800000000000

; rdi = dst, rsi = src, rdx = n: eight bytes at a time, then the rest.
%macro COPY 0
	mov rcx, rdx
	shr rcx, 3
	rep movsq
	mov rcx, rdx
	and rcx, 7
	rep movsb
%endmacro

section .text
usercopy_start:
; int copy_from_user(void *dst, uint64_t usrc, size_t n) and
; int copy_to_user(uint64_t udst, const void *src, size_t n): 0, or
; -EFAULT when the user range leaves the user half or a page is missing.
copy_from_user:
	mov rax, rsi				; the user address
	jmp usercopy
copy_to_user:
	mov rax, rdi
usercopy:
	add rax, rdx				; its end, not wrapped and
	jc .bad					; not above the user half
	mov rcx, USER_SPACE_TOP
	cmp rax, rcx
	ja .bad
	test byte [rel usercopy_smap], 1
	jz .plain
	stac
	COPY
	clac
	xor eax, eax
	ret
.plain:	COPY
	xor eax, eax
	ret
.bad:	mov rax, -EFAULT
	ret

; long arch_probe_user_*(void *addr, bool write): 0 or -EFAULT.  A write
; probe adds 0 to the byte atomically, so it faults on a read-only page
; but leaves the byte as it was.
arch_probe_user_smap:
	stac
	test esi, esi
	jz .read
	lock add byte [rdi], 0
	jmp .done
.read:	mov al, [rdi]
.done:	clac
	xor eax, eax
	ret

arch_probe_user_plain:
	test esi, esi
	jz .read
	lock add byte [rdi], 0
	xor eax, eax
	ret
.read:	mov al, [rdi]
	xor eax, eax
	ret

; trap.c resumes here after a fault, with rflags.AC already clear.
usercopy_fault:
	mov rax, -EFAULT
	ret
usercopy_end:

section .data
usercopy_smap:	db 0			; set by user.c when the CPU has SMAP

section .note.GNU-stack noalloc noexec nowrite progbits
