/* SPDX-License-Identifier: MIT */
/*
 * The end of a process: do_exit gives back its memory, files and arch
 * state, hands its children to PID 1 (or to the kernel's reaper when
 * there is none), becomes a zombie and tells its parent; wait4 reaps
 * zombies and frees their tasks once they are off their CPU. Names and
 * the status word follow Linux's kernel/exit.c.
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm/mmap.h"

extern spinlock_t tasklist_lock;
void release_task(struct task_struct *p);

/* struct rusage on i386: two timevals and fourteen longs. */
#define RUSAGE_SIZE	72

/* Orphans that ended with no PID 1 to adopt them: the kernel reaps them
 * (reap_orphans), under tasklist_lock. */
static LIST_HEAD(orphans_dead);

int reap_orphans(void)
{
	int n = 0;

	for (;;) {
		struct task_struct *p = NULL, *t;
		unsigned long flags;

		spin_lock_irqsave(&tasklist_lock, flags);
		list_for_each_entry(t, &orphans_dead, sibling) {
			if (!__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE)) {
				p = t;
				list_del_init(&p->sibling);
				break;
			}
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!p)
			return n;
		release_task(p);
		n++;
	}
}

/* vfork: the parent sleeps until the child leaves the mm they share
 * (exec or exit; Linux's mm_release). */
void mm_release_vfork(struct task_struct *t)
{
	struct task_struct *parent = t->vfork_parent;

	if (!parent)
		return;
	__atomic_store_n(&t->vfork_parent, NULL, __ATOMIC_SEQ_CST);
	wake_up(&parent->wait_chldexit);
}

/* The task gives up its mm; the address space stays loaded (active_mm,
 * one mm_count reference) until the switch away drops it, as Linux. */
static void exit_mm(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	unsigned long flags;

	if (!mm)
		return;
	mmgrab(mm);
	/* Under tasklist_lock: who finds the task there (maps PID) may take
	 * a reference to its mm. */
	spin_lock_irqsave(&tasklist_lock, flags);
	t->mm = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	mmput(mm);
}

/*
 * The address space the dead task still has loaded (active_mm) is
 * unloaded before it leaves its CPU: no kernel thread borrows it lazily
 * after that, so the mm is freed here, not whenever that CPU next runs
 * another process (the counts are exact when the parent reaps).
 */
static void exit_lazy_mm(struct task_struct *t)
{
	struct mm_struct *mm;
	unsigned long flags;

	local_irq_save(flags);
	mm = t->active_mm;
	switch_mm(mm, NULL);
	t->active_mm = NULL;
	local_irq_restore(flags);
	if (mm)
		mmdrop(mm);
}

/* PID 1 when it lives and is not the one leaving; NULL: the reaper. */
static struct task_struct *child_reaper(struct task_struct *leaving)
{
	struct task_struct *init = find_task_by_pid(1);

	if (!init || init == leaving || init->exit_state)
		return NULL;
	return init;
}

/* The children of t go to PID 1, or to the kernel's reaper; zombies
 * among them are announced to the new parent or reaped. Under
 * tasklist_lock. Returns whether PID 1 got a zombie. */
static bool forget_original_parent(struct task_struct *t)
{
	struct task_struct *reaper = child_reaper(t), *c, *n;
	bool zombie = false;

	list_for_each_entry_safe(c, n, &t->children, sibling) {
		list_del_init(&c->sibling);
		c->parent = reaper;
		if (reaper) {
			list_add_tail(&c->sibling, &reaper->children);
			zombie |= c->exit_state == EXIT_ZOMBIE;
		} else if (c->exit_state == EXIT_ZOMBIE) {
			c->exit_state = EXIT_DEAD;
			list_add_tail(&c->sibling, &orphans_dead);
		}
	}
	if (zombie)
		wake_up(&reaper->wait_chldexit);
	return zombie;
}

void do_exit(long status)
{
	struct task_struct *t = current;
	struct task_struct *parent;

	if (!(t->flags & PF_USER))
		panic("do_exit: %s is not a process", t->comm);
	if (t->exit_state)
		panic("do_exit: %s[%d] exits twice", t->comm, t->pid);
	/* CLONE_CHILD_CLEARTID / set_tid_address: 0 written (no futex to
	 * wake: there are no threads). */
	if (t->clear_child_tid && t->mm)
		put_user_u32(0, (uint32_t __user *)t->clear_child_tid);
	mm_release_vfork(t);
	/* The checkpoint while a process runs: PID 1's address space, loaded,
	 * as it was when the program ended (the paging trace checks it). */
	if (t->pid == 1 && t->mm)
		mm_checkpoint(t->mm, "init_exit", t->comm, t->pid);
	exit_mm(t);
	exit_lazy_mm(t);
	if (t->files) {
		put_files_struct(t->files);
		t->files = NULL;
	}
	exit_thread(t);

	/* From here the task cannot be preempted: a parent reaping it on
	 * another CPU waits until it is off this one (on_cpu). */
	local_irq_disable();
	spin_lock(&tasklist_lock);
	forget_original_parent(t);
	t->exit_code = status;
	parent = t->parent;
	if (parent) {
		t->exit_state = EXIT_ZOMBIE;
		wake_up(&parent->wait_chldexit);
	} else {
		t->exit_state = EXIT_DEAD;
		list_add_tail(&t->sibling, &orphans_dead);
	}
	spin_unlock(&tasklist_lock);
	do_task_dead();
}

long sys_exit(int code)
{
	do_exit((code & 0xff) << 8);
}

long sys_exit_group(int code)
{
	do_exit((code & 0xff) << 8);
}

/* A zombie child of current matching pid (-1: any) under tasklist_lock,
 * taken (EXIT_DEAD, off the children); *any: whether one matched. */
static struct task_struct *find_zombie(int pid, bool *any)
{
	struct task_struct *c;

	*any = false;
	list_for_each_entry(c, &current->children, sibling) {
		if (pid > 0 && c->pid != pid)
			continue;
		*any = true;
		if (c->exit_state == EXIT_ZOMBIE) {
			c->exit_state = EXIT_DEAD;
			list_del_init(&c->sibling);
			return c;
		}
	}
	return NULL;
}

long kernel_wait4(int pid, int *status, int options)
{
	DEFINE_WAIT(wait);
	struct task_struct *p;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == 0 || pid < -1)
		pid = -1;	/* one process group: every child is in it */
	for (;;) {
		unsigned long flags;
		bool any;

		prepare_to_wait(&current->wait_chldexit, &wait, TASK_INTERRUPTIBLE);
		spin_lock_irqsave(&tasklist_lock, flags);
		p = find_zombie(pid, &any);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (p) {
			ret = p->pid;
			*status = p->exit_code;
			break;
		}
		if (!any) {
			ret = -ECHILD;
			break;
		}
		if (options & WNOHANG) {
			ret = 0;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(&current->wait_chldexit, &wait);
	if (p)
		release_task(p);
	return ret;
}

long sys_wait4(int pid, int __user *status, int options, struct rusage __user *ru)
{
	int st = 0;
	long ret = kernel_wait4(pid, &st, options);

	/* As Linux: the child is reaped even when the status cannot be
	 * stored; the caller learns it from -EFAULT. */
	if (ret > 0 && status && put_user_u32(st, (uint32_t __user *)status))
		return -EFAULT;
	if (ret >= 0 && ru && clear_user(ru, RUSAGE_SIZE))
		return -EFAULT;
	return ret;
}

long sys_waitpid(int pid, int __user *status, int options)
{
	return sys_wait4(pid, status, options, NULL);
}
