; SPDX-License-Identifier: MIT
; pm32: from the firmware's mode (x64 long mode or IA32 protected mode) into
; flat 32-bit protected mode with paging off, then into the kernel
; (Intel SDM vol. 3A §9.8.5 "Initializing IA-32e Mode" read backwards,
; §9.9.2 "Switching from Protected Mode to Real-Address Mode" for the order).
;
; A flat, position-independent binary: the loader copies it below 4 GiB,
; fills struct pm32_params (include/boot/pm32.h) at PM32_PARAMS_OFFSET and
; calls offset 0 after ExitBootServices. Built twice from this source:
; -DFROM_X64 (entered in 64-bit mode) and -DFROM_IA32 (32-bit, flat).
;
; At the kernel's entry: EAX = KERNEL_BOOT_MAGIC, EBX = boot_info (physical),
; CS = flat 32-bit code (0x08), DS = ES = FS = GS = SS = flat data (0x10),
; CR0 = PE|ET (paging, caching-disable and write-protect off), CR4 = 0,
; EFER = 0 where it exists, IDTR = null, interrupts off, 8259s masked,
; ESP = top of pm32's own stack.

%include "asm-offsets.inc"

%if PM32_PARAMS_OFFSET != 8
%error "pm32 code assumes the parameter block at offset 8"
%endif

CODE32	equ 0x08
DATA32	equ 0x10

%ifdef FROM_X64
	bits 64
%else
	bits 32
%endif

start:
	jmp	short entry
	times PM32_PARAMS_OFFSET - ($ - start) db 0x90

params:
	dd	PM32_PARAMS_MAGIC
	times PM32_PARAMS_SIZE - 4 db 0

entry:
	cli
%ifdef FROM_X64
	; The blob lies below 4 GiB, so its base fits in 32 bits and survives
	; the switch in EBX.
	lea	rbx, [rel start]
	lea	eax, [rbx + gdt - start]
	mov	[rbx + gdt_desc + 2 - start], eax
	lgdt	[rbx + gdt_desc - start]
	; Far return into the 32-bit code segment: compatibility mode.
	lea	eax, [rbx + compat32 - start]
	push	qword CODE32
	push	rax
	o64 retf

	bits 32
compat32:
	mov	ax, DATA32
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	; Leaving long mode: paging off first (this clears EFER.LMA), then
	; EFER.LME may be cleared. We run from identity-mapped memory, so
	; the instruction after the CR0 write is fetched from the same place.
	mov	eax, X86_CR0_PE | X86_CR0_ET
	mov	cr0, eax
	jmp	short .flushed
.flushed:
	xor	eax, eax
	xor	edx, edx
	mov	ecx, MSR_EFER
	wrmsr
%else
	call	.here
.here:
	pop	ebx
	sub	ebx, .here - start
	lea	eax, [ebx + gdt - start]
	mov	[ebx + gdt_desc + 2 - start], eax
	lgdt	[ebx + gdt_desc - start]
	lea	eax, [ebx + flat32 - start]
	push	dword CODE32
	push	eax
	retf
flat32:
	mov	ax, DATA32
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	eax, X86_CR0_PE | X86_CR0_ET
	mov	cr0, eax
	jmp	short .flushed
.flushed:
	; EFER exists only on CPUs with NX or long mode; IA32 firmware may have
	; set NXE on such a CPU. CPUID clobbers EBX, our base.
	push	ebx
	mov	eax, 0x80000000
	cpuid
	cmp	eax, 0x80000001
	jb	.no_efer
	mov	eax, 0x80000001
	cpuid
	test	edx, X86_FEATURE_NX_EDX | X86_FEATURE_LM_EDX
	jz	.no_efer
	xor	eax, eax
	xor	edx, edx
	mov	ecx, MSR_EFER
	wrmsr
.no_efer:
	pop	ebx
%endif
	; From here on both builds are in flat 32-bit protected mode, paging
	; off, EBX = base of the blob.
	xor	eax, eax
	mov	cr4, eax
	mov	cr3, eax
	lidt	[ebx + null_idt - start]

	mov	esp, [ebx + PM32_PARAMS_OFFSET + PM32_stack_top]

	; Mask both 8259s: the firmware may have left lines unmasked and the
	; kernel has no IDT yet.
	mov	al, 0xff
	out	0xa1, al
	out	0x21, al

	; Move the staged kernel image into place (memmove).
	mov	ecx, [ebx + PM32_PARAMS_OFFSET + PM32_copy_len]
	test	ecx, ecx
	jz	.go
	mov	edi, [ebx + PM32_PARAMS_OFFSET + PM32_copy_dst]
	mov	esi, [ebx + PM32_PARAMS_OFFSET + PM32_copy_src]
	cld
	cmp	edi, esi
	jb	.forward
	lea	esi, [esi + ecx - 1]
	lea	edi, [edi + ecx - 1]
	std
.forward:
	rep	movsb
	cld
.go:
	mov	edx, [ebx + PM32_PARAMS_OFFSET + PM32_kernel_entry]
	mov	eax, KERNEL_BOOT_MAGIC
	mov	ebx, [ebx + PM32_PARAMS_OFFSET + PM32_boot_info]
	xor	ecx, ecx
	xor	esi, esi
	xor	edi, edi
	xor	ebp, ebp
	jmp	edx

	align 8
gdt:
	dq	0				; null
	dq	0x00cf9a000000ffff		; 0x08: code, base 0, 4 GiB, 32-bit
	dq	0x00cf92000000ffff		; 0x10: data, base 0, 4 GiB
gdt_end:

gdt_desc:
	dw	gdt_end - gdt - 1
	dd	0				; base patched at run time
	dd	0				; upper base half, read by the 64-bit lgdt

null_idt:
	dw	0
	dd	0
