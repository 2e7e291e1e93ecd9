; Checked copies to and from user memory.  A fault inside these copies is
; turned into -EFAULT by trap.c (it moves rip to usercopy_fault) instead of
; a panic.  With SMAP, user pages are reachable only between stac and clac;
; CPUs without SMAP get the variant without those instructions.

global usercopy_start, usercopy_end, usercopy_fault
global copy_from_user, copy_to_user, check_user, usercopy_smap

EFAULT equ 14
USER_SPACE_TOP equ 0x0000800000000000

; rdi = dst, rsi = src, rdx = n: eight bytes at a time, then the rest
; (skipped when there is none, at label %1).
%macro COPY 1
	mov rcx, rdx
	shr rcx, 3
	rep movsq
	test dl, 7
	jz %1
	mov ecx, edx
	and ecx, 7
	rep movsb
%1:
%endmacro

section .text
usercopy_start:
; int copy_from_user(void *dst, uint64_t usrc, size_t n) and
; int copy_to_user(uint64_t udst, const void *src, size_t n): 0, or
; -EFAULT when the user range leaves the user half or a page is missing.
copy_to_user:
	mov rax, rdi				; the user address
	jmp usercopy
copy_from_user:
	mov rax, rsi
usercopy:
	add rax, rdx				; its end, not wrapped and
	jc .bad					; not above the user half
	mov rcx, USER_SPACE_TOP
	cmp rax, rcx
	ja .bad
	test byte [rel usercopy_smap], 1
	jz .plain
	stac
	COPY .smap_done
	clac
	xor eax, eax
	ret
.plain:	COPY .plain_done
	xor eax, eax
	ret
.bad:	mov rax, -EFAULT
	ret

; int check_user(uint64_t addr, size_t n, bool write): 0, or -EFAULT when
; the range leaves the user half or one of its pages is missing (or
; read-only, with `write`).  Each page is touched once; a write probe
; adds 0 to a byte atomically, so it faults on a read-only page but
; leaves the byte as it was.
check_user:
	mov rax, rdi
	add rax, rsi				; the end, not wrapped and
	jc .bad					; not above the user half
	mov rcx, USER_SPACE_TOP
	cmp rax, rcx
	ja .bad
	test rsi, rsi
	jz .ok
	test byte [rel usercopy_smap], 1
	jz .probe
	stac
.probe:	test dl, dl
	jz .read
.write:	lock add byte [rdi], 0
	and rdi, -4096				; the next page
	add rdi, 4096
	cmp rdi, rax
	jb .write
	jmp .done
.read:	mov cl, [rdi]
	and rdi, -4096
	add rdi, 4096
	cmp rdi, rax
	jb .read
.done:	test byte [rel usercopy_smap], 1
	jz .ok
	clac
.ok:	xor eax, eax
	ret
.bad:	mov rax, -EFAULT
	ret

; trap.c resumes here after a fault, with rflags.AC already clear.
usercopy_fault:
	mov rax, -EFAULT
	ret
usercopy_end:

section .data
usercopy_smap:	db 0			; set by user.c when the CPU has SMAP

section .note.GNU-stack noalloc noexec nowrite progbits
