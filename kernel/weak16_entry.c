/* SPDX-License-Identifier: MIT */
/*
 * Issue 16 scaffolding, deleted before the issue closes: weak stand-ins
 * for functions of other streams that this stream (entry) calls before
 * they land. A real definition elsewhere replaces each one at link time.
 */
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"

/* P's signal code: remember the signal; the stand-in below acts. */
__attribute__((weak)) void force_sig_fault(int sig, unsigned long address, struct pt_regs *regs)
{
	current->pending |= 1UL << sig;
}

/* P's signal code: with no process machinery, a task with a fatal
 * signal pending ends as a thread an oops ended. */
__attribute__((weak)) void exit_to_user_mode_prepare(struct pt_regs *regs)
{
	if (current->pending) {
		pr_emerg("%s: fatal signal pending, no signal code yet: thread ended\n",
			 current->comm);
		make_task_dead();
	}
}
