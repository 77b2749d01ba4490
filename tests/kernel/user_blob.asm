; SPDX-License-Identifier: MIT
; Ring-3 code for tests/kernel/test_syscall.c's fixture processes: small
; routines that make system calls by the Linux i386 ABI (int $0x80,
; number in eax, arguments in ebx, ecx, edx, esi, edi, ebp) and store
; what they get in the data page, which the test reads after the process
; ended. The fixture copies the blob to USER_CODE and starts a process at
; one routine's offset; the code is position-independent but for the
; fixed addresses below, which the blob's header gives the C side to check.

USER_CODE	equ 0x00400000	; the blob, read-only and executable
USER_STACK_TOP	equ 0x00402000	; one stack page below it
USER_DATA	equ 0x00402000	; one data page; nothing mapped above
USER_UNMAPPED	equ 0x00800000

; The test-only calls (numbers past the table: kernel/testhooks.h).
FIX_NR_EXIT	equ 0x4000
FIX_NR_ECHO	equ 0x4001
FIX_NR_MEMSET	equ 0x4002
FIX_NR_COPY	equ 0x4003
FIX_NR_FORK	equ 0x4004

NR_sched_yield	equ 158
NR_nanosleep	equ 162
NR_uname	equ 122
NR_set_thread_area equ 243
NR_get_thread_area equ 244
NR_clock_gettime equ 265
NR_getrandom	equ 355

; Results go to USER_DATA + 4 * i.
%define R(i) [USER_DATA + 4 * (i)]

%macro SYSCALL 1
	mov	eax, %1
	int	0x80
%endmacro

%macro EXIT 0
	xor	ebx, ebx
	SYSCALL FIX_NR_EXIT
	ud2			; not reached
%endmacro

	section .rodata
	align	16
global user_blob_start, user_blob_end
user_blob_start:
	dd	USER_CODE, USER_STACK_TOP, USER_DATA, USER_UNMAPPED

; Six arguments in, the result out, every other register as it was.
global u_args
u_args:
	mov	ebx, 0x11111111
	mov	ecx, 0x22222222
	mov	edx, 0x33333333
	mov	esi, 0x44444444
	mov	edi, 0x55555555
	mov	ebp, 0x66666666
	mov	eax, FIX_NR_ECHO
	int	0x80
	mov	R(0), eax
	mov	R(1), ebx
	mov	R(2), ecx
	mov	R(3), edx
	mov	R(4), esi
	mov	R(5), edi
	mov	R(6), ebp
	mov	R(7), esp
	EXIT

; Unimplemented: 17 (in the table's range) twice, one number far beyond.
global u_enosys
u_enosys:
	SYSCALL 17
	mov	R(0), eax
	SYSCALL 17
	mov	R(1), eax
	SYSCALL 0x7fff1234
	mov	R(2), eax
	SYSCALL 0x7fff1234
	mov	R(3), eax
	EXIT

; Bad pointers and bad arguments of the calls this stream implements.
global u_efault
u_efault:
	mov	ebx, 0xc0000000
	SYSCALL NR_uname
	mov	R(0), eax
	mov	ebx, USER_UNMAPPED
	SYSCALL NR_uname
	mov	R(1), eax
	mov	ebx, USER_DATA + 0x100
	SYSCALL NR_uname
	mov	R(2), eax
	mov	ebx, 1
	mov	ecx, 0xc0000000
	SYSCALL NR_clock_gettime
	mov	R(3), eax
	mov	ebx, 99
	mov	ecx, USER_DATA + 0x80
	SYSCALL NR_clock_gettime
	mov	R(4), eax
	mov	ebx, 1			; CLOCK_MONOTONIC before the sleep
	mov	ecx, USER_DATA + 0x80
	SYSCALL NR_clock_gettime
	mov	R(5), eax
	mov	ebx, USER_UNMAPPED
	xor	ecx, ecx
	SYSCALL NR_nanosleep
	mov	R(6), eax
	mov	dword [USER_DATA + 0x90], 0
	mov	dword [USER_DATA + 0x94], 1000000000
	mov	ebx, USER_DATA + 0x90
	xor	ecx, ecx
	SYSCALL NR_nanosleep
	mov	R(7), eax
	mov	dword [USER_DATA + 0x94], 20000000	; 20 ms
	mov	ebx, USER_DATA + 0x90
	mov	ecx, USER_UNMAPPED	; rmtp: not written, not checked
	SYSCALL NR_nanosleep
	mov	R(8), eax
	mov	ebx, 1			; and after it
	mov	ecx, USER_DATA + 0x88
	SYSCALL NR_clock_gettime
	mov	R(9), eax
	mov	ebx, USER_DATA + 0x300
	mov	ecx, 64
	xor	edx, edx
	SYSCALL NR_getrandom
	mov	R(10), eax
	mov	ebx, USER_DATA + 0x300
	mov	ecx, 8
	mov	edx, 0x80
	SYSCALL NR_getrandom
	mov	R(11), eax
	mov	ebx, 0xc0000000
	mov	ecx, 4
	xor	edx, edx
	SYSCALL NR_getrandom
	mov	R(12), eax
	mov	ebx, USER_DATA + 0xffc	; 4 bytes fit, the rest is unmapped
	mov	ecx, 16
	xor	edx, edx
	SYSCALL NR_getrandom
	mov	R(13), eax
	SYSCALL NR_sched_yield
	mov	R(14), eax
	mov	ebx, 0			; CLOCK_REALTIME
	mov	ecx, USER_DATA + 0xa0
	SYSCALL NR_clock_gettime
	mov	R(15), eax
	SYSCALL FIX_NR_COPY		; the kernel's own checks, in this process
	mov	R(16), eax
	EXIT

; set_thread_area(-1) then %gs on the slot it gave, across a switch; the
; segment's base is the fixture's choice ([USER_DATA + 0x3f0]).
global u_tls
u_tls:
	mov	dword [USER_DATA + 0x100], -1		; entry_number
	mov	eax, [USER_DATA + 0x3f0]		; base_addr: the fixture's
	mov	[USER_DATA + 0x104], eax
	mov	dword [USER_DATA + 0x108], 0xfffff	; limit
	mov	dword [USER_DATA + 0x10c], 0x51	; seg_32bit, limit_in_pages, useable
	mov	ebx, USER_DATA + 0x100
	SYSCALL NR_set_thread_area
	mov	R(0), eax
	mov	eax, [USER_DATA + 0x100]
	mov	R(1), eax
	lea	eax, [eax * 8 + 3]
	mov	gs, ax
	mov	eax, [gs:0]
	mov	R(2), eax
	SYSCALL NR_sched_yield
	mov	eax, [gs:4]
	mov	R(3), eax
	mov	eax, gs
	mov	R(4), eax
	mov	eax, [USER_DATA + 0x100]
	mov	[USER_DATA + 0x140], eax
	mov	ebx, USER_DATA + 0x140
	SYSCALL NR_get_thread_area
	mov	R(5), eax
	mov	eax, [USER_DATA + 0x144]
	mov	R(6), eax
	mov	eax, [USER_DATA + 0x14c]
	mov	R(7), eax
	mov	dword [USER_DATA + 0x100], 5		; not a TLS slot
	mov	ebx, USER_DATA + 0x100
	SYSCALL NR_set_thread_area
	mov	R(8), eax
	mov	dword [USER_DATA + 0x100], 9
	mov	ebx, USER_DATA + 0x100
	SYSCALL NR_set_thread_area
	mov	R(9), eax
	mov	ebx, 0xc0000000
	SYSCALL NR_set_thread_area
	mov	R(10), eax
	mov	dword [USER_DATA + 0x140], 9
	mov	ebx, USER_DATA + 0x140
	SYSCALL NR_get_thread_area
	mov	R(11), eax
	mov	dword [USER_DATA + 0x100], 7
	mov	dword [USER_DATA + 0x10c], 0x55	; contents 2: code, refused
	mov	ebx, USER_DATA + 0x100
	SYSCALL NR_set_thread_area
	mov	R(12), eax
	EXIT

; %xmm0-7 and st(0) loaded from USER_DATA + 0x100 (the fixture's
; pattern); [USER_DATA + 0x190] rounds of a kernel SSE memset and a
; yield, then [USER_DATA + 0x194] turns of a busy loop; the registers
; stored at USER_DATA + 0x200.
global u_sse
u_sse:
	movups	xmm0, [USER_DATA + 0x100]
	movups	xmm1, [USER_DATA + 0x110]
	movups	xmm2, [USER_DATA + 0x120]
	movups	xmm3, [USER_DATA + 0x130]
	movups	xmm4, [USER_DATA + 0x140]
	movups	xmm5, [USER_DATA + 0x150]
	movups	xmm6, [USER_DATA + 0x160]
	movups	xmm7, [USER_DATA + 0x170]
	fild	dword [USER_DATA + 0x180]
	mov	esi, [USER_DATA + 0x190]
.round:
	SYSCALL FIX_NR_MEMSET
	SYSCALL NR_sched_yield
	mov	ecx, [USER_DATA + 0x194]	; time for a tick to preempt here
.spin:
	dec	ecx
	jnz	.spin
	dec	esi
	jnz	.round
	movups	[USER_DATA + 0x200], xmm0
	movups	[USER_DATA + 0x210], xmm1
	movups	[USER_DATA + 0x220], xmm2
	movups	[USER_DATA + 0x230], xmm3
	movups	[USER_DATA + 0x240], xmm4
	movups	[USER_DATA + 0x250], xmm5
	movups	[USER_DATA + 0x260], xmm6
	movups	[USER_DATA + 0x270], xmm7
	fistp	dword [USER_DATA + 0x280]
	EXIT

; FIX_NR_FORK(tls, newsp): copy_thread makes a child in this address
; space, with slot 7 from the user_desc at USER_DATA + 0x100 and its
; stack at newsp. The child stores what it finds and exits with 7; the
; parent waits for its mark (a while at most), then checks that its own
; slot 7 stayed free.
global u_fork
u_fork:
	mov	dword [USER_DATA + 0x100], 7
	mov	dword [USER_DATA + 0x104], USER_DATA + 0x400
	mov	dword [USER_DATA + 0x108], 0xfffff
	mov	dword [USER_DATA + 0x10c], 0x51
	mov	ebx, USER_DATA + 0x100
	mov	ecx, USER_STACK_TOP - 0x800
	mov	edi, 0xb0b0cafe		; the child must see it too
	SYSCALL FIX_NR_FORK
	test	eax, eax
	jz	.child
	mov	esi, eax
	mov	ebp, 100000		; a child that died never marks
.wait:
	SYSCALL NR_sched_yield
	cmp	dword [USER_DATA + 0x20], 0
	jne	.marked
	dec	ebp
	jnz	.wait
.marked:
	mov	R(0), esi		; the parent's result
	mov	dword [USER_DATA + 0x140], 7
	mov	ebx, USER_DATA + 0x140
	SYSCALL NR_get_thread_area
	mov	R(1), eax
	mov	eax, [USER_DATA + 0x14c]
	mov	R(2), eax		; slot 7 of the parent: still empty
	EXIT
.child:
	mov	R(3), eax		; 0
	mov	R(4), edi
	mov	R(5), esp
	mov	ax, 7 * 8 + 3
	mov	gs, ax
	mov	eax, [gs:0]
	mov	R(6), eax
	mov	dword [USER_DATA + 0x20], 1
	mov	ebx, 7
	SYSCALL FIX_NR_EXIT
	ud2

; Fatal exceptions in ring 3: #GP (CLI at CPL 3, IOPL 0), #UD, #DE.
global u_gp, u_ud, u_de
u_gp:
	cli
	EXIT
u_ud:
	ud2
	EXIT
u_de:
	xor	edx, edx
	mov	eax, 1
	xor	ecx, ecx
	div	ecx
	EXIT

; The null system call's cost: [USER_DATA + 0x10] rounds of
; clock_gettime(-1, NULL) (-EINVAL at once), TSC before and after in
; R(0..3); then as many rounds of the loop alone in R(4..7).
global u_null
u_null:
	mov	esi, [USER_DATA + 0x10]
	rdtsc
	mov	R(0), eax
	mov	R(1), edx
.call:
	mov	ebx, -1
	xor	ecx, ecx
	SYSCALL NR_clock_gettime
	dec	esi
	jnz	.call
	rdtsc
	mov	R(2), eax
	mov	R(3), edx
	mov	esi, [USER_DATA + 0x10]
	rdtsc
	mov	R(4), eax
	mov	R(5), edx
.loop:
	mov	ebx, -1
	xor	ecx, ecx
	mov	eax, NR_clock_gettime
	dec	esi
	jnz	.loop
	rdtsc
	mov	R(6), eax
	mov	R(7), edx
	EXIT
user_blob_end:
