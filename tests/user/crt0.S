/* SPDX-License-Identifier: MIT */
/*
 * The entry of every user test program: the stack as Linux's i386 ELF
 * loader leaves it (System V i386 psABI, "Process Initialization":
 * argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL) handed to
 * __start_main, which calls main and ends the process with exit_group.
 * No relocation is needed: the PIE programs use only PC-relative data.
 */
	.text
	.globl	_start
	.hidden	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* the outermost frame */
	movl	%esp, %eax
	andl	$-16, %esp		/* the psABI's call alignment */
	subl	$12, %esp
	pushl	%eax			/* __start_main(sp) */
	call	__start_main
	hlt				/* never reached: exit_group */
	.size	_start, . - _start

/*
 * long __syscall6(long nr, long a, long b, long c, long d, long e, long f):
 * int $0x80 with the number in %eax and the arguments in %ebx, %ecx,
 * %edx, %esi, %edi, %ebp (Linux's i386 system-call ABI); the result,
 * -errno on failure, in %eax. The callee-saved registers are kept.
 */
	.globl	__syscall6
	.hidden	__syscall6
	.type	__syscall6, @function
__syscall6:
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%ebx
	movl	20(%esp), %eax
	movl	24(%esp), %ebx
	movl	28(%esp), %ecx
	movl	32(%esp), %edx
	movl	36(%esp), %esi
	movl	40(%esp), %edi
	movl	44(%esp), %ebp
	int	$0x80
	popl	%ebx
	popl	%esi
	popl	%edi
	popl	%ebp
	ret
	.size	__syscall6, . - __syscall6

/*
 * long sys_vfork(void): the child runs on this same stack until it execs
 * or exits, so the return address waits in %ecx (which int $0x80 keeps),
 * not in a frame the child's calls would overwrite.
 */
	.globl	sys_vfork
	.hidden	sys_vfork
	.type	sys_vfork, @function
sys_vfork:
	popl	%ecx
	movl	$190, %eax		/* __NR_vfork */
	int	$0x80
	pushl	%ecx
	ret
	.size	sys_vfork, . - sys_vfork

	.section .note.GNU-stack, "", @progbits
