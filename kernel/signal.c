/* SPDX-License-Identifier: MIT */
/*
 * Signals, as far as this kernel has them: SIGKILL and SIGTERM sent by
 * kill(2) and the fault signals the kernel forces end the process on its
 * way back to user mode, with the signal as its wait4 status (no
 * handlers, no masks). A process asleep in TASK_INTERRUPTIBLE (wait4,
 * nanosleep, a console read) is woken and its call returns -EINTR.
 * Linux's kernel/signal.c for the names and kill's rules.
 */
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
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
