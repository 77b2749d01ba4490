; SPDX-License-Identifier: MIT
; Tiny ring-3 programs for tests/kernel/test_process.c: position-independent
; i386 code, copied to a fresh address space and run as a process; they
; use the Linux i386 system-call ABI (int 0x80: eax number, ebx, ecx, edx,
; esi arguments) and nothing else. Each runs from its label to the next.

	section .rodata
	bits 32

%define SYS_exit	1
%define SYS_fork	2
%define SYS_wait4	114
%define SYS_nanosleep	162
%define SYS_vfork	190

%macro EXIT 1
	mov	ebx, %1
	mov	eax, SYS_exit
	int	0x80
	ud2
%endmacro

; wait4(ebx = pid, status on the stack): the status in eax, the result in
; edx.
%macro WAIT4 0
	sub	esp, 16
	mov	ecx, esp
	xor	edx, edx
	xor	esi, esi
	mov	eax, SYS_wait4
	int	0x80
	mov	edx, eax
	mov	eax, [esp]
	add	esp, 16
%endmacro

; The orphan to be: 50 ms of nanosleep, then exit(4).
%macro GRANDCHILD 0
	push	50000000		; tv_nsec: 50 ms
	push	0			; tv_sec
	mov	ebx, esp
	xor	ecx, ecx
	mov	eax, SYS_nanosleep
	int	0x80
	EXIT	4
%endmacro

; exit(42)
global blob_exit42, blob_exit42_end
blob_exit42:
	EXIT	42
blob_exit42_end:

; N rounds of fork, the child exit(7), the parent wait4 for it: exit(0)
; when every round gave the child's PID and status 7 << 8, else exit(99).
%macro FORK_ROUNDS 1
	mov	edi, %1
%%round:
	mov	eax, SYS_fork
	int	0x80
	test	eax, eax
	jz	%%child
	js	%%fail
	mov	ebx, eax
	WAIT4
	cmp	edx, ebx
	jne	%%fail
	cmp	eax, 7 << 8
	jne	%%fail
	dec	edi
	jnz	%%round
	EXIT	0
%%child:
	EXIT	7
%%fail:
	EXIT	99
%endmacro

global blob_fork_rounds, blob_fork_rounds_end
blob_fork_rounds:
	FORK_ROUNDS 1000
blob_fork_rounds_end:

; The same, 10 rounds (a warm-up).
global blob_fork_rounds_short, blob_fork_rounds_short_end
blob_fork_rounds_short:
	FORK_ROUNDS 10
blob_fork_rounds_short_end:

; nanosleep(100 s) for ever: a process asleep in TASK_INTERRUPTIBLE.
global blob_sleep, blob_sleep_end
blob_sleep:
	push	0
	push	100
	mov	ebx, esp
	xor	ecx, ecx
	mov	eax, SYS_nanosleep
	int	0x80
	add	esp, 8
	jmp	blob_sleep
blob_sleep_end:

; A loop in user mode that never enters the kernel.
global blob_spin, blob_spin_end
blob_spin:
	jmp	blob_spin
blob_spin_end:

; A write to kernel space (0xc1000000): killed by SIGSEGV.
global blob_fault, blob_fault_end
blob_fault:
	mov	dword [0xc1000000], 1
	EXIT	1
blob_fault_end:

; System call 0x7777, which test_process's hook makes oops: killed by
; SIGKILL (make_task_dead); exit(1) if it returns.
global blob_oops_call, blob_oops_call_end
blob_oops_call:
	mov	eax, 0x7777
	int	0x80
	EXIT	1
blob_oops_call_end:

; vfork: the child writes 5 into the word they share on the stack and
; exits with 3; the parent runs only after that: exit(16 * word + code).
global blob_vfork, blob_vfork_end
blob_vfork:
	sub	esp, 16
	mov	dword [esp], 0
	mov	eax, SYS_vfork
	int	0x80
	test	eax, eax
	jz	.child
	js	.fail
	mov	edi, [esp]
	mov	ebx, eax
	WAIT4
	shr	eax, 8
	shl	edi, 4
	add	edi, eax
	EXIT	edi
.child:
	mov	dword [esp], 5
	EXIT	3
.fail:
	EXIT	99
blob_vfork_end:

; As PID 1: a child that forks a grandchild (which sleeps 50 ms and
; exits 4) and exits 2 at once. PID 1 reaps the child, then the orphaned
; grandchild it adopted, then gets ECHILD: exit(0); any step else exit(90+).
global blob_orphan, blob_orphan_end
blob_orphan:
	mov	eax, SYS_fork
	int	0x80
	test	eax, eax
	jz	.child
	js	.fail
	mov	ebx, eax
	WAIT4
	cmp	eax, 2 << 8
	jne	.fail
	mov	ebx, -1
	WAIT4
	cmp	eax, 4 << 8
	jne	.fail2
	test	edx, edx
	jle	.fail2
	mov	ebx, -1
	WAIT4
	cmp	edx, -10		; -ECHILD
	jne	.fail3
	EXIT	0
.child:
	mov	eax, SYS_fork
	int	0x80
	test	eax, eax
	jz	.grandchild
	EXIT	2
.grandchild:
	GRANDCHILD
.fail:
	EXIT	91
.fail2:
	EXIT	92
.fail3:
	EXIT	93
blob_orphan_end:

; Like blob_orphan's child, not as PID 1: the grandchild (sleeping 50 ms)
; goes to the kernel's reaper.
global blob_orphan_reaper, blob_orphan_reaper_end
blob_orphan_reaper:
	mov	eax, SYS_fork
	int	0x80
	test	eax, eax
	jz	.grandchild
	EXIT	2
.grandchild:
	GRANDCHILD
blob_orphan_reaper_end:
