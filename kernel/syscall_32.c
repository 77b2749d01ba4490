/* SPDX-License-Identifier: MIT */
/*
 * The system-call table and its dispatch, Linux i386 ABI: int $0x80 with
 * the number in eax and the arguments in ebx, ecx, edx, esi, edi, ebp;
 * the result (or -errno) back in eax. Numbers are those of Linux's
 * arch/x86/entry/syscalls/syscall_32.tbl. Each sys_* of
 * include/kernel/syscalls.h is a weak alias of sys_ni_syscall here, so
 * the file that implements a call replaces it at link time.
 */
#define pr_fmt(fmt) "syscall: " fmt

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/syscalls.h"
#include "kernel/testhooks.h"

#define NR_syscalls	451	/* Linux 6.1's i386 table: 0..450 */

typedef long (*syscall_fn_t)(unsigned long, unsigned long, unsigned long,
			     unsigned long, unsigned long, unsigned long);

struct pt_regs *current_pt_regs(void)
{
	return (struct pt_regs *)current->thread.sp0 - 1;
}

/* The numbers said once: a bit each in the table's range, and the first
 * few numbers beyond it. */
static uint32_t ni_logged[(NR_syscalls + 31) / 32];
static unsigned long ni_logged_high[16];
static DEFINE_SPINLOCK(ni_lock);

/* Whether nr was not yet said (and now counts as said). */
static bool ni_first_time(unsigned long nr)
{
	unsigned long flags;
	bool first = false;

	spin_lock_irqsave(&ni_lock, flags);
	if (nr < NR_syscalls) {
		first = !(ni_logged[nr / 32] & (1u << (nr % 32)));
		ni_logged[nr / 32] |= 1u << (nr % 32);
	} else {
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(ni_logged_high) && ni_logged_high[i]; i++)
			if (ni_logged_high[i] == nr)
				break;
		if (i < ARRAY_SIZE(ni_logged_high) && !ni_logged_high[i]) {
			ni_logged_high[i] = nr;
			first = true;
		}
	}
	spin_unlock_irqrestore(&ni_lock, flags);
	return first;
}

static long ni_syscall(unsigned long nr)
{
	if (ni_first_time(nr))
		pr_info("%s[%d] called unimplemented system call %lu\n",
			current->comm, current->pid, nr);
	return -ENOSYS;
}

/* Every number without an implementation: -ENOSYS, said once per number
 * (the number is still in the frame's eax: the result goes there only
 * after the call). */
long sys_ni_syscall(void)
{
	return ni_syscall(current_pt_regs()->eax);
}

#define SYSCALL_WEAK(fn) __typeof__(fn) fn __attribute__((weak, alias("sys_ni_syscall")))
SYSCALL_WEAK(sys_exit);
SYSCALL_WEAK(sys_exit_group);
SYSCALL_WEAK(sys_fork);
SYSCALL_WEAK(sys_vfork);
SYSCALL_WEAK(sys_clone);
SYSCALL_WEAK(sys_execve);
SYSCALL_WEAK(sys_wait4);
SYSCALL_WEAK(sys_waitpid);
SYSCALL_WEAK(sys_kill);
SYSCALL_WEAK(sys_getpid);
SYSCALL_WEAK(sys_getppid);
SYSCALL_WEAK(sys_gettid);
SYSCALL_WEAK(sys_set_tid_address);
SYSCALL_WEAK(sys_read);
SYSCALL_WEAK(sys_write);
SYSCALL_WEAK(sys_readv);
SYSCALL_WEAK(sys_writev);
SYSCALL_WEAK(sys_open);
SYSCALL_WEAK(sys_openat);
SYSCALL_WEAK(sys_close);
SYSCALL_WEAK(sys_lseek);
SYSCALL_WEAK(sys_llseek);
SYSCALL_WEAK(sys_fstat64);
SYSCALL_WEAK(sys_stat64);
SYSCALL_WEAK(sys_lstat64);
SYSCALL_WEAK(sys_statx);
SYSCALL_WEAK(sys_getdents64);
SYSCALL_WEAK(sys_ioctl);
SYSCALL_WEAK(sys_brk);
SYSCALL_WEAK(sys_mmap2);
SYSCALL_WEAK(sys_munmap);
SYSCALL_WEAK(sys_mprotect);
SYSCALL_WEAK(sys_newuname);
SYSCALL_WEAK(sys_set_thread_area);
SYSCALL_WEAK(sys_get_thread_area);
SYSCALL_WEAK(sys_clock_gettime);
SYSCALL_WEAK(sys_nanosleep);
SYSCALL_WEAK(sys_getrandom);
SYSCALL_WEAK(sys_sched_yield);

#define __SYSCALL(nr, fn) [nr] = (syscall_fn_t)(void *)fn,

/* Every slot sys_ni_syscall, then the implemented ones over it. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
static const syscall_fn_t sys_call_table[NR_syscalls] = {
	[0 ... NR_syscalls - 1] = (syscall_fn_t)(void *)sys_ni_syscall,
	__SYSCALL(1, sys_exit)
	__SYSCALL(2, sys_fork)
	__SYSCALL(3, sys_read)
	__SYSCALL(4, sys_write)
	__SYSCALL(5, sys_open)
	__SYSCALL(6, sys_close)
	__SYSCALL(7, sys_waitpid)
	__SYSCALL(11, sys_execve)
	__SYSCALL(19, sys_lseek)
	__SYSCALL(20, sys_getpid)
	__SYSCALL(24, sys_getuid)
	__SYSCALL(33, sys_access)
	__SYSCALL(37, sys_kill)
	__SYSCALL(41, sys_dup)
	__SYSCALL(45, sys_brk)
	__SYSCALL(47, sys_getuid)
	__SYSCALL(49, sys_getuid)
	__SYSCALL(50, sys_getuid)
	__SYSCALL(54, sys_ioctl)
	__SYSCALL(63, sys_dup2)
	__SYSCALL(64, sys_getppid)
	__SYSCALL(85, sys_readlink)
	__SYSCALL(91, sys_munmap)
	__SYSCALL(114, sys_wait4)
	__SYSCALL(120, sys_clone)
	__SYSCALL(122, sys_newuname)
	__SYSCALL(125, sys_mprotect)
	__SYSCALL(140, sys_llseek)
	__SYSCALL(145, sys_readv)
	__SYSCALL(146, sys_writev)
	__SYSCALL(158, sys_sched_yield)
	__SYSCALL(162, sys_nanosleep)
	__SYSCALL(174, sys_rt_sigaction)
	__SYSCALL(175, sys_rt_sigprocmask)
	__SYSCALL(180, sys_pread64)
	__SYSCALL(183, sys_getcwd)
	__SYSCALL(190, sys_vfork)
	__SYSCALL(191, sys_getrlimit)
	__SYSCALL(192, sys_mmap2)
	__SYSCALL(195, sys_stat64)
	__SYSCALL(196, sys_lstat64)
	__SYSCALL(197, sys_fstat64)
	__SYSCALL(199, sys_getuid)
	__SYSCALL(200, sys_getuid)
	__SYSCALL(201, sys_getuid)
	__SYSCALL(202, sys_getuid)
	__SYSCALL(220, sys_getdents64)
	__SYSCALL(221, sys_fcntl64)
	__SYSCALL(224, sys_gettid)
	__SYSCALL(243, sys_set_thread_area)
	__SYSCALL(244, sys_get_thread_area)
	__SYSCALL(252, sys_exit_group)
	__SYSCALL(258, sys_set_tid_address)
	__SYSCALL(265, sys_clock_gettime)
	__SYSCALL(266, sys_clock_getres)
	__SYSCALL(267, sys_clock_nanosleep)
	__SYSCALL(295, sys_openat)
	__SYSCALL(300, sys_fstatat64)
	__SYSCALL(305, sys_readlinkat)
	__SYSCALL(307, sys_faccessat)
	__SYSCALL(330, sys_dup3)
	__SYSCALL(340, sys_prlimit64)
	__SYSCALL(355, sys_getrandom)
	__SYSCALL(383, sys_statx)
};
#pragma clang diagnostic pop

long (*syscall_test_hook)(unsigned long nr, unsigned long ebx, unsigned long ecx,
			  unsigned long edx, unsigned long esi, unsigned long edi,
			  unsigned long ebp);

/* From entry_INT80_32, interrupts on, regs the frame at the top of the
 * task's kernel stack. */
void do_int80_syscall_32(struct pt_regs *regs);
void do_int80_syscall_32(struct pt_regs *regs)
{
	unsigned long nr = regs->eax;
	long ret = -ENOSYS;

	if (likely(nr < NR_syscalls)) {
		ret = sys_call_table[nr](regs->ebx, regs->ecx, regs->edx,
					 regs->esi, regs->edi, regs->ebp);
	} else {
		long (*hook)(unsigned long, unsigned long, unsigned long, unsigned long,
			     unsigned long, unsigned long, unsigned long);

		hook = __atomic_load_n(&syscall_test_hook, __ATOMIC_ACQUIRE);
		if (hook)
			ret = hook(nr, regs->ebx, regs->ecx, regs->edx, regs->esi,
				   regs->edi, regs->ebp);
		if (ret == -ENOSYS)
			ret = ni_syscall(nr);
	}
	regs->eax = ret;
}
