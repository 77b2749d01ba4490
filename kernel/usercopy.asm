; SPDX-License-Identifier: MIT
; The instructions that touch user memory for kernel/uaccess.c, each
; listed in __ex_table: a fault that the process's mm cannot resolve
; (kernel/traps.c offers it to do_user_addr_fault first) resumes at the
; fixup, which reports how far the copy got. The string instructions are
; restartable with their registers as the fault left them (Intel SDM
; vol. 2B REP: "the registers are updated ... the instruction can be
; resumed"), so the count left is exact: a fault inside a dword step is
; retried byte by byte up to the byte that faults. The checks of the
; addresses (access_ok) are the C side's.

	section .text
	bits 32

; unsigned long __copy_user(void *to, const void *from, unsigned long n)
; The bytes not copied (0 when all were).
global __copy_user
__copy_user:
	push	edi
	push	esi
	mov	edi, [esp + 12]
	mov	esi, [esp + 16]
	mov	ecx, [esp + 20]
	mov	edx, ecx
	shr	ecx, 2
.dwords:
	rep movsd
	and	edx, 3
	mov	ecx, edx
.bytes:
	rep movsb
	mov	eax, ecx
	pop	esi
	pop	edi
	ret
.fix_dwords:				; ecx dwords and edx & 3 bytes left
	and	edx, 3
	lea	ecx, [edx + ecx * 4]
	jmp	.bytes
.fix_bytes:
	mov	eax, ecx
	pop	esi
	pop	edi
	ret

; unsigned long __clear_user(void *to, unsigned long n)
global __clear_user
__clear_user:
	push	edi
	mov	edi, [esp + 8]
	mov	ecx, [esp + 12]
	mov	edx, ecx
	shr	ecx, 2
	xor	eax, eax
.dwords:
	rep stosd
	and	edx, 3
	mov	ecx, edx
.bytes:
	rep stosb
	mov	eax, ecx
	pop	edi
	ret
.fix_dwords:
	and	edx, 3
	lea	ecx, [edx + ecx * 4]
	jmp	.bytes
.fix_bytes:
	mov	eax, ecx
	pop	edi
	ret

; long __strncpy_from_user(char *dst, const char *src, long count)
; The string's length when its NUL came within count bytes (the NUL is
; copied), count when it did not, -EFAULT (-14) on a fault.
global __strncpy_from_user
__strncpy_from_user:
	push	edi
	push	esi
	mov	edi, [esp + 12]
	mov	esi, [esp + 16]
	mov	ecx, [esp + 20]
	xor	eax, eax
	test	ecx, ecx
	jz	.done
.next:
.load:	mov	dl, [esi + eax]
	mov	[edi + eax], dl
	test	dl, dl
	jz	.done
	inc	eax
	cmp	eax, ecx
	jb	.next
.done:
	pop	esi
	pop	edi
	ret
.fixup:
	mov	eax, -14
	pop	esi
	pop	edi
	ret

	section __ex_table alloc noexec nowrite align=4
	dd	__copy_user.dwords, __copy_user.fix_dwords
	dd	__copy_user.bytes, __copy_user.fix_bytes
	dd	__clear_user.dwords, __clear_user.fix_dwords
	dd	__clear_user.bytes, __clear_user.fix_bytes
	dd	__strncpy_from_user.load, __strncpy_from_user.fixup
