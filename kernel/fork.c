/* SPDX-License-Identifier: MIT */
/*
 * Creating processes: the task of a process (its kernel stack with the
 * guard, its PID, its place on the process list and among its parent's
 * children), fork, vfork and clone without threads, and the processes
 * the kernel itself starts (init=, the monitor's `run`). Names follow
 * Linux's kernel/fork.c and kernel/pid.c.
 */
#define pr_fmt(fmt) fmt

#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/mmap.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

/* The process list, every PID in use and the parent/child links. */
DEFINE_SPINLOCK(tasklist_lock);
static LIST_HEAD(process_list);
static int nr_procs;
static uint32_t pid_map[PID_MAX / 32];
static int last_pid = 1;		/* PID 1 is kept for init */

/* A free PID: 1 for init, otherwise the next after the last one given,
 * wrapping past PID_MAX to 2 and skipping those in use (Linux's
 * alloc_pid). Under tasklist_lock; -EAGAIN when all are taken. */
static int alloc_pid(bool init)
{
	int pid;

	if (init) {
		if (pid_map[0] & 2)
			return -EBUSY;
		pid_map[0] |= 2;
		return 1;
	}
	for (int i = 0; i < PID_MAX - 2; i++) {
		pid = last_pid + 1 + i;
		if (pid >= PID_MAX)
			pid -= PID_MAX - 2;
		if (!(pid_map[pid / 32] & (1u << (pid % 32)))) {
			pid_map[pid / 32] |= 1u << (pid % 32);
			last_pid = pid;
			return pid;
		}
	}
	return -EAGAIN;
}

/* Under tasklist_lock. */
void free_pid(int pid)
{
	pid_map[pid / 32] &= ~(1u << (pid % 32));
}

struct task_struct *find_task_by_pid(int pid)
{
	struct task_struct *t;

	list_for_each_entry(t, &process_list, tasks)
		if (t->pid == pid)
			return t;
	return NULL;
}

int for_each_process(int (*fn)(struct task_struct *t, void *arg), void *arg)
{
	struct task_struct *t;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &process_list, tasks) {
		ret = fn(t, arg);
		if (ret)
			break;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

int nr_processes(void)
{
	return __atomic_load_n(&nr_procs, __ATOMIC_SEQ_CST);
}

/*
 * Kernel stacks of processes that ended, kept for the next fork (as
 * Linux's cached_stacks): fork and exit then leave vmalloc alone, whose
 * lazily freed areas and free-range objects would make the pages and
 * kmalloc usage of a fork/exit loop drift with its purge batches.
 */
#define NR_CACHED_STACKS	4
static void *cached_stacks[NR_CACHED_STACKS];
static DEFINE_SPINLOCK(stack_cache_lock);

/* A kept stack, or NULL when none is. */
static void *take_cached_stack(void)
{
	unsigned long flags;
	void *stack = NULL;

	spin_lock_irqsave(&stack_cache_lock, flags);
	for (int i = 0; i < NR_CACHED_STACKS && !stack; i++) {
		stack = cached_stacks[i];
		cached_stacks[i] = NULL;
	}
	spin_unlock_irqrestore(&stack_cache_lock, flags);
	return stack;
}

static void *alloc_thread_stack(void)
{
	void *stack = take_cached_stack();

	return stack ? stack : thread_stack_alloc();
}

static void free_thread_stack(void *stack)
{
	unsigned long flags;

	spin_lock_irqsave(&stack_cache_lock, flags);
	for (int i = 0; i < NR_CACHED_STACKS && stack; i++) {
		if (!cached_stacks[i]) {
			cached_stacks[i] = stack;
			stack = NULL;
		}
	}
	spin_unlock_irqrestore(&stack_cache_lock, flags);
	vfree(stack);
}

int drain_stack_cache(void)
{
	void *stack;
	int n = 0;

	while ((stack = take_cached_stack())) {
		vfree(stack);
		n++;
	}
	return n;
}

/* Take a reaped (or never started) process off the list and free its
 * task once its CPU has switched away from it. */
void release_task(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (!list_empty(&p->tasks)) {
		list_del_init(&p->tasks);
		nr_procs--;
	}
	if (!list_empty(&p->sibling))
		list_del_init(&p->sibling);
	free_pid(p->pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	while (__atomic_load_n(&p->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	free_thread_stack(p->stack);
	kfree(p->proc_exe_link);
	kfree(p);
}

/* A new process's task: a kernel stack of THREAD_SIZE with the guard
 * below (thread.sp0 its top, where the user frame goes), scheduler fields
 * for cpu, asleep until wake_up_new_task. */
static struct task_struct *alloc_task_struct(unsigned int cpu)
{
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->stack = alloc_thread_stack();
	if (!p->stack) {
		kfree(p);
		return NULL;
	}
	sched_fork(p, cpu);
	p->flags = PF_USER;
	p->thread.sp0 = (unsigned long)p->stack + THREAD_SIZE;
	return p;
}

/*
 * copy_process - the child of the current task, not yet runnable: its
 * mm (dup_mm, or shared for CLONE_VM), its descriptors (dup_fd, or
 * shared for CLONE_FILES, or none), its kernel stack set up by
 * copy_thread to return to user mode, its PID, on the lists. For a
 * process the kernel starts (current has no mm), files is a new table.
 */
static struct task_struct *copy_process(unsigned long clone_flags, unsigned long newsp,
					unsigned long tls, bool init,
					struct files_struct *files)
{
	struct task_struct *parent, *p;
	unsigned long flags;
	int pid, err = -ENOMEM;

	p = alloc_task_struct(sched_select_cpu());
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (current->mm) {
		if (clone_flags & CLONE_VM) {
			mmget(current->mm);
			p->mm = current->mm;
		} else {
			p->mm = dup_mm(current->mm);
			if (!p->mm)
				goto free_task;
		}
	}
	if (files) {
		p->files = files;
	} else if (current->files) {
		if (clone_flags & CLONE_FILES) {
			__atomic_add_fetch(&current->files->count, 1, __ATOMIC_SEQ_CST);
			p->files = current->files;
		} else {
			p->files = dup_fd(current->files);
			if (!p->files)
				goto free_mm;
		}
	}
	err = copy_thread(p, newsp, (clone_flags & CLONE_SETTLS) ? tls : 0);
	if (err)
		goto free_files;
	p->exit_signal = clone_flags & CSIGNAL;
	p->exe_inode = current->exe_inode;
	if (clone_flags & CLONE_VFORK)
		p->vfork_parent = current;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid = alloc_pid(init);
	if (pid < 0) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		err = pid;
		goto free_thread;
	}
	p->pid = pid;
	parent = (clone_flags & CLONE_PARENT) && current->parent ? current->parent : current;
	p->parent = parent;
	list_add_tail(&p->sibling, &parent->children);
	list_add_tail(&p->tasks, &process_list);
	nr_procs++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;

free_thread:
	exit_thread(p);
free_files:
	if (p->files)
		put_files_struct(p->files);
free_mm:
	if (p->mm)
		mmput(p->mm);
free_task:
	free_thread_stack(p->stack);
	kfree(p);
	return ERR_PTR(err);
}

long kernel_clone(unsigned long clone_flags, unsigned long newsp,
		  int *parent_tid, int *child_tid, unsigned long tls)
{
	struct task_struct *p;
	int pid;

	/* No threads: a shared mm only for vfork, no shared signal state. */
	if ((clone_flags & CLONE_THREAD) ||
	    ((clone_flags & CLONE_VM) && !(clone_flags & CLONE_VFORK)) ||
	    ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM)))
		return -EINVAL;
	if ((clone_flags & CSIGNAL) >= _NSIG)
		return -EINVAL;
	reap_orphans();
	p = copy_process(clone_flags, newsp, tls, false, NULL);
	if (IS_ERR(p))
		return PTR_ERR(p);
	pid = p->pid;
	if (clone_flags & CLONE_CHILD_SETTID)
		p->set_child_tid = (unsigned long)child_tid;
	if (clone_flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = (unsigned long)child_tid;
	if (clone_flags & CLONE_PARENT_SETTID)
		put_user_u32(pid, (uint32_t __user *)parent_tid);
	wake_up_new_task(p);
	/* vfork: the parent waits until the child has left its mm (exec or
	 * exit clear vfork_parent and wake wait_chldexit). */
	if (clone_flags & CLONE_VFORK)
		wait_event(current->wait_chldexit,
			   !__atomic_load_n(&p->vfork_parent, __ATOMIC_SEQ_CST));
	return pid;
}

long sys_fork(void)
{
	return kernel_clone(SIGCHLD, 0, NULL, NULL, 0);
}

long sys_vfork(void)
{
	return kernel_clone(CLONE_VFORK | CLONE_VM | SIGCHLD, 0, NULL, NULL, 0);
}

/* i386's argument order (CONFIG_CLONE_BACKWARDS): flags, newsp,
 * parent_tidptr, tls, child_tidptr. */
long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid,
	       unsigned long tls, int __user *child_tid)
{
	return kernel_clone(flags, newsp, parent_tid, child_tid, tls);
}

long sys_getpid(void)
{
	return current->pid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_getppid(void)
{
	struct task_struct *parent = __atomic_load_n(&current->parent, __ATOMIC_SEQ_CST);

	return parent ? parent->pid : 0;
}

long sys_set_tid_address(int __user *tidptr)
{
	current->clear_child_tid = (unsigned long)tidptr;
	return current->pid;
}

/* ------------------------------------------------ processes the kernel starts */

/* What a kernel-started process execs; lives with the waiting caller. */
struct kernel_exec_args {
	const char *path;
	const char *const *argv;
	const char *const *envp;
	int err;			/* the exec's -errno, when it failed */
};

/* The new process, from schedule_tail: exec, then back to ret_from_fork
 * and user mode; a failed exec ends it (status 127 << 8, as a shell). */
static int kernel_exec_fn(void *arg)
{
	struct kernel_exec_args *a = arg;
	int err = kernel_execve(a->path, a->argv, a->envp);

	if (err) {
		a->err = err;
		do_exit(127 << 8);
	}
	return 0;
}

int kernel_process_start(int (*fn)(void *), void *arg, bool init)
{
	struct files_struct *files = files_alloc();
	struct task_struct *p;
	int pid;

	if (files && files_open_console(files) < 0) {
		put_files_struct(files);
		return -ENOMEM;
	}
	p = copy_process(SIGCHLD, 0, 0, init, files);
	if (IS_ERR(p)) {
		if (files)
			put_files_struct(files);
		return PTR_ERR(p);
	}
	pid = p->pid;
	p->fn = fn;
	p->arg = arg;
	wake_up_new_task(p);
	return pid;
}

long kernel_process_run(int (*fn)(void *), void *arg, bool init, int *status)
{
	int pid = kernel_process_start(fn, arg, init);

	return pid < 0 ? pid : kernel_wait4(pid, status, 0);
}

int user_process_run(const char *path, const char *const argv[],
		     const char *const envp[], bool init, int *status)
{
	static const char *const no_env[] = { NULL };
	const char *argv0[] = { path, NULL };
	struct kernel_exec_args a = {
		.path = path,
		.argv = argv ? argv : argv0,
		.envp = envp ? envp : no_env,
	};
	long ret = kernel_process_run(kernel_exec_fn, &a, init, status);

	if (ret < 0)
		return ret;
	return a.err;
}

int run_user_program(const char *path, const char *const argv[])
{
	static const char *const envp[] = {
		"HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin", NULL
	};
	int status, err = user_process_run(path, argv, envp, false, &status);

	reap_orphans();
	return err ? err : status;
}

int run_init_process(const char *path, const char *const argv[], const char *const envp[])
{
	int status, err;

	pr_info("Run %s as init process\n", path);
	err = user_process_run(path, argv, envp, true, &status);
	if (err) {
		pr_err("init=%s: cannot run it (%s)\n", path, err_str(err));
		return err;
	}
	if (status & 0x7f)
		pr_info("init: PID 1 (%s) killed by signal %d (%s)\n", path,
			status & 0x7f, signal_name(status & 0x7f));
	else
		pr_info("init: PID 1 (%s) exited with status %d\n", path, (status >> 8) & 0xff);
	reap_orphans();
	return status;
}
