/* SPDX-License-Identifier: MIT */
/*
 * Signals, as far as this kernel has them: SIGKILL and SIGTERM sent by
 * kill(2) and the fault signals the kernel forces end the process on its
 * way back to user mode, with the signal as its wait4 status (no
 * handlers, no masks). A process asleep in TASK_INTERRUPTIBLE (wait4,
 * nanosleep, a console read) is woken and its call returns -EINTR.
 * Linux's kernel/signal.c for the names and kill's rules.
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"

extern spinlock_t tasklist_lock;

const char *signal_name(int sig)
{
	static const char *const names[] = {
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGSEGV] = "SIGSEGV", [SIGTERM] = "SIGTERM", [SIGCHLD] = "SIGCHLD",
	};

	if (sig > 0 && sig < (int)ARRAY_SIZE(names) && names[sig])
		return names[sig];
	return "signal";
}

/* sig becomes pending for t, which is woken from an interruptible sleep. */
static void send_signal(struct task_struct *t, int sig)
{
	__atomic_or_fetch(&t->pending, 1UL << sig, __ATOMIC_SEQ_CST);
	signal_wake_up(t);
}

void force_sig_fault(int sig, unsigned long address, struct pt_regs *regs)
{
	send_signal(current, sig);
}

void exit_to_user_mode_prepare(struct pt_regs *regs)
{
	unsigned long pending = __atomic_load_n(&current->pending, __ATOMIC_SEQ_CST);

	if (!pending)
		return;
	if (!(current->flags & PF_USER)) {
		/* A kernel thread in ring 3 (a test fixture): ended as an oops
		 * would end it. */
		pr_emerg("%s: fatal signal %d in a kernel thread: ended\n", current->comm,
			 __builtin_ctzl(pending));
		make_task_dead();
	}
	do_exit(__builtin_ctzl(pending));	/* the lowest number first */
}

/* Whether t may get sig from kill: a live process (zombies have no
 * signals to act on; kernel threads are not on the process list). */
static bool signal_target(struct task_struct *t)
{
	return t && !t->exit_state;
}

struct kill_all {
	int sig;
	int found;
};

static int kill_one(struct task_struct *t, void *arg)
{
	struct kill_all *k = arg;

	if (t->pid == 1 || t == current || !signal_target(t))
		return 0;
	if (k->sig)
		send_signal(t, k->sig);
	k->found++;
	return 0;
}

/*
 * kill(2): pid > 0 that process; -1 every process but PID 1 and the
 * caller, as Linux; 0 and < -1 name process groups, which this kernel
 * does not have: -ESRCH. sig 0 checks that the target exists; SIGKILL
 * and SIGTERM end it; any other is -EINVAL.
 */
long sys_kill(int pid, int sig)
{
	struct kill_all k = { .sig = sig };
	struct task_struct *t;
	unsigned long flags;
	long ret = -ESRCH;

	if (sig != 0 && sig != SIGKILL && sig != SIGTERM)
		return -EINVAL;
	if (pid == 0 || pid < -1)
		return -ESRCH;
	if (pid == -1) {
		for_each_process(kill_one, &k);
		return k.found ? 0 : -ESRCH;
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid(pid);
	if (signal_target(t)) {
		if (sig)
			send_signal(t, sig);
		ret = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/*
 * Signal actions and the blocked mask. The only signals this kernel
 * sends end the process (SIGKILL, SIGTERM, the fault signals), so no
 * handler is ever called: rt_sigaction checks its arguments as Linux does
 * and reports every action as SIG_DFL; rt_sigprocmask reports an empty
 * mask. C libraries and shells call both at start-up.
 */
#define _NSIG		64
#define SIGSTOP		19
#define SIG_BLOCK	0
#define SIG_SETMASK	2

struct k_sigaction32 {
	uint32_t handler, flags, restorer;
	uint32_t mask[2];
};

long sys_rt_sigaction(int sig, const struct k_sigaction32 __user *act,
		      struct k_sigaction32 __user *oact, size_t sigsetsize)
{
	struct k_sigaction32 k;

	if (sigsetsize != sizeof(k.mask))
		return -EINVAL;
	if (sig < 1 || sig > _NSIG || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	if (act && copy_from_user(&k, act, sizeof(k)))
		return -EFAULT;
	memset(&k, 0, sizeof(k));
	if (oact && copy_to_user(oact, &k, sizeof(k)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const uint32_t __user *set, uint32_t __user *oset,
			size_t sigsetsize)
{
	uint32_t mask[2] = { 0, 0 };

	if (sigsetsize != sizeof(mask))
		return -EINVAL;
	if (set && (how < SIG_BLOCK || how > SIG_SETMASK))
		return -EINVAL;
	if (set && copy_from_user(mask, set, sizeof(mask)))
		return -EFAULT;
	mask[0] = mask[1] = 0;
	if (oset && copy_to_user(oset, mask, sizeof(mask)))
		return -EFAULT;
	return 0;
}
