/* SPDX-License-Identifier: MIT */
/*
 * Processes from the kernel's side (kernel/fork.c, exit.c, exec.c,
 * signal.c): tiny ring-3 programs (tests/kernel/proc_blobs.asm) run as
 * real processes in an address space of their own, and their wait4
 * statuses, the kernel's counts (free pages, kmalloc pages, mm_structs,
 * VMAs, page tables, processes) before and after, kill of a sleeping and
 * of a running process, vfork's order, exec's replacement of the image,
 * orphans adopted by PID 1 or reaped by the kernel, a fault killing only
 * its process.
 */
#include "asm/smp.h"
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/ktest.h"
#include "kernel/monitor.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "kernel/testhooks.h"
#include "mm/mm.h"
#include "mm/mmap.h"
#include "mm/slab.h"

#define BLOB_ADDR	0x10000UL
#define BLOB_STACK	(64 * 1024)

struct blob {
	const char *name;
	const uint8_t *start, *end;
};

#define BLOB(id)							\
	extern const uint8_t blob_##id[], blob_##id##_end[];		\
	static const struct blob id = { #id, blob_##id, blob_##id##_end }

BLOB(exit42);
BLOB(fork_rounds);
BLOB(fork_rounds_short);
BLOB(sleep);
BLOB(spin);
BLOB(fault);
BLOB(vfork);
BLOB(orphan);
BLOB(orphan_reaper);
BLOB(oops_call);

/* The new process's image: the blob at BLOB_ADDR (read, write, execute)
 * and a stack under STACK_TOP; then user mode at BLOB_ADDR. */
static int load_blob(const struct blob *b)
{
	struct mm_struct *mm = mm_alloc();
	struct pt_regs *regs = current_pt_regs();
	unsigned long a;

	if (!mm)
		do_exit(SIGKILL);
	a = do_mmap(mm, NULL, BLOB_ADDR, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	if (!IS_ERR_VALUE(a))
		a = do_mmap(mm, NULL, STACK_TOP - BLOB_STACK, BLOB_STACK, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, 0);
	if (IS_ERR_VALUE(a)) {
		mmput(mm);
		do_exit(SIGKILL);
	}
	exec_mmap(mm);
	if (copy_to_user((void __user *)BLOB_ADDR, b->start, b->end - b->start))
		do_exit(SIGKILL);
	strscpy(current->comm, b->name, sizeof(current->comm));
	memset(regs, 0, offsetof(struct pt_regs, vector));
	start_thread(regs, BLOB_ADDR, STACK_TOP - 16);
	return 0;
}

static int blob_fn(void *arg)
{
	return load_blob(arg);
}

/* Everything a process holds, to compare with a baseline. */
struct proc_snap {
	unsigned long free;		/* free pages */
	unsigned long slab;		/* kmalloc's pages */
	struct mm_user_stats st;
	int procs;
};

/* Taken with what is kept for reuse given back: the stacks fork keeps,
 * kmalloc's empty slabs of this CPU, the per-CPU page lists. */
static void snap(struct proc_snap *s)
{
	reap_orphans();
	drain_stack_cache();
	kmalloc_shrink();
	drain_all_pages();
	s->free = nr_free_pages();
	s->slab = kmalloc_slab_pages();
	mm_user_get_stats(&s->st);
	s->procs = nr_processes();
}

/* Free and kmalloc pages are compared as one sum: a process that ran on
 * another CPU can leave an empty slab cached there (each CPU keeps its
 * own per cache), which kmalloc_shrink on this CPU cannot give back; the
 * page moved from free to slab, nothing leaked (seen on 4 CPUs). */
static void snap_equal(struct ktest *t, const struct proc_snap *a, const struct proc_snap *b)
{
	KT_EXPECT_EQ(t, a->free + a->slab, b->free + b->slab);
	KT_EXPECT_EQ(t, a->st.nr_mms, b->st.nr_mms);
	KT_EXPECT_EQ(t, a->st.nr_vmas, b->st.nr_vmas);
	KT_EXPECT_EQ(t, a->st.nr_pte_pages, b->st.nr_pte_pages);
	KT_EXPECT_EQ(t, a->st.nr_pmd_pages, b->st.nr_pmd_pages);
	KT_EXPECT_EQ(t, a->st.anon_pages, b->st.anon_pages);
	KT_EXPECT_EQ(t, a->procs, b->procs);
}

static int run_blob(const struct blob *b, bool init)
{
	int status = -1;
	long pid = kernel_process_run(blob_fn, (void *)b, init, &status);

	return pid < 0 ? (int)pid : status;
}

/* A process on each CPU first: the slab pages a CPU keeps for itself
 * (at most one per cache) are there before the baseline. */
static void warm_up(struct ktest *t)
{
	for (unsigned int i = 0; i < num_online_cpus(); i++)
		KT_EXPECT_EQ(t, run_blob(&fork_rounds_short, false), 0);
}

/* The task of pid, in state (polled on this CPU's ticks; a hang is caught
 * by the bound, not judged by it). */
static bool wait_for_state(int pid, long state)
{
	for (int i = 0; i < 1000; i++) {
		struct task_struct *p = find_task_by_pid(pid);

		if (p && p->state == state && !p->exit_state)
			return true;
		msleep(5);
	}
	return false;
}

KTEST(process, exit_status_and_baseline)
{
	struct proc_snap a, b;

	warm_up(t);
	snap(&a);
	KT_EXPECT_EQ(t, run_blob(&exit42, false), 42 << 8);
	snap(&b);
	snap_equal(t, &a, &b);
}

KTEST(process, fault_kills_only_that_process)
{
	struct proc_snap a, b;

	warm_up(t);
	snap(&a);
	KT_EXPECT_EQ(t, run_blob(&fault, false), SIGSEGV);
	/* The kernel goes on: another process runs and exits normally. */
	KT_EXPECT_EQ(t, run_blob(&exit42, false), 42 << 8);
	snap(&b);
	snap_equal(t, &a, &b);
}

KTEST(process, fork_exit_wait_1000_rounds_at_the_baseline)
{
	struct proc_snap a, b;

	warm_up(t);
	snap(&a);
	KT_EXPECT_EQ(t, run_blob(&fork_rounds, false), 0);
	snap(&b);
	snap_equal(t, &a, &b);
}

/* System call 0x7777 of the blob oops_call: a kernel bug inside a
 * system call (a write through a NULL pointer). */
static long oops_hook(unsigned long nr, unsigned long ebx, unsigned long ecx,
		      unsigned long edx, unsigned long esi, unsigned long edi,
		      unsigned long ebp)
{
	if (nr != 0x7777 || strcmp(current->comm, "oops_call"))
		return -ENOSYS;
	*(volatile unsigned long *)ebx = 0x0bad;	/* ebx is 0 */
	return 0;
}

/* An oops in a system call ends the process as killed by SIGKILL: its
 * memory and task are given back, and the kernel goes on. */
KTEST(process, oops_in_a_system_call_kills_the_process)
{
	struct proc_snap a, b;

	warm_up(t);
	snap(&a);
	__atomic_store_n(&syscall_test_hook, oops_hook, __ATOMIC_RELEASE);
	KT_EXPECT_EQ(t, run_blob(&oops_call, false), SIGKILL);
	__atomic_store_n(&syscall_test_hook, NULL, __ATOMIC_RELEASE);
	KT_EXPECT_EQ(t, run_blob(&exit42, false), 42 << 8);
	snap(&b);
	snap_equal(t, &a, &b);
}

KTEST(process, vfork_parent_runs_after_the_child)
{
	KT_EXPECT_EQ(t, run_blob(&vfork, false), (16 * 5 + 3) << 8);
}

static void kill_case(struct ktest *t, const struct blob *b, long state, int sig)
{
	struct proc_snap a, s;
	int status = -1;
	int pid;

	warm_up(t);
	snap(&a);
	pid = kernel_process_start(blob_fn, (void *)b, false);
	KT_ASSERT(t, pid > 0);
	KT_EXPECT(t, wait_for_state(pid, state));
	KT_EXPECT_EQ(t, sys_kill(pid, 0), 0);
	KT_EXPECT_EQ(t, sys_kill(pid, SIGILL), -EINVAL);
	KT_EXPECT_EQ(t, sys_kill(pid, sig), 0);
	KT_EXPECT_EQ(t, kernel_wait4(pid, &status, 0), pid);
	KT_EXPECT_EQ(t, status, sig);
	KT_EXPECT_EQ(t, sys_kill(pid, 0), -ESRCH);
	snap(&s);
	snap_equal(t, &a, &s);
}

KTEST(process, kill_wakes_a_sleeping_process)
{
	kill_case(t, &sleep, TASK_INTERRUPTIBLE, SIGKILL);
	kill_case(t, &sleep, TASK_INTERRUPTIBLE, SIGTERM);
}

KTEST(process, kill_ends_a_running_process)
{
	kill_case(t, &spin, TASK_RUNNING, SIGKILL);
}

KTEST(process, kill_and_wait4_refuse_bad_arguments)
{
	int status;

	KT_EXPECT_EQ(t, sys_kill(PID_MAX + 5, SIGKILL), -ESRCH);
	KT_EXPECT_EQ(t, sys_kill(0, SIGKILL), -ESRCH);
	KT_EXPECT_EQ(t, sys_kill(1000, 64), -EINVAL);
	KT_EXPECT_EQ(t, kernel_wait4(-1, &status, 0), -ECHILD);
	KT_EXPECT_EQ(t, kernel_wait4(-1, &status, WNOHANG), -ECHILD);
	KT_EXPECT_EQ(t, kernel_wait4(-1, &status, 0x100), -EINVAL);
	KT_EXPECT_EQ(t, kernel_clone(CLONE_THREAD | CLONE_VM | CLONE_SIGHAND, 0, NULL, NULL, 0),
		     -EINVAL);
	KT_EXPECT_EQ(t, kernel_clone(CLONE_VM, 0, NULL, NULL, 0), -EINVAL);
}

KTEST(process, orphans_adopted_by_pid_1)
{
	struct proc_snap a, b;

	if (find_task_by_pid(1))
		kt_skip(t, "PID 1 is running");
	/* Three processes at once, placed round robin: first runs fill the
	 * slabs each CPU keeps for what they allocate there. */
	for (int i = 0; i < 4; i++)
		KT_EXPECT_EQ(t, run_blob(&orphan, true), 0);
	snap(&a);
	for (int i = 0; i < 10; i++)
		KT_EXPECT_EQ(t, run_blob(&orphan, true), 0);
	snap(&b);
	/* One slab page may move between the CPUs' own slabs here (the same
	 * one after 1 or 30 runs: no leak): pages are compared as free +
	 * kmalloc's, as test_mmap and test_vmalloc do. */
	a.free += a.slab;
	b.free += b.slab;
	a.slab = b.slab = 0;
	snap_equal(t, &a, &b);
}

/* With no PID 1 the orphan goes to the kernel, which reaps it once it
 * ends: the count comes back to the baseline. */
KTEST(process, orphans_reaped_by_the_kernel)
{
	struct proc_snap a, b;
	int i;

	if (find_task_by_pid(1))
		kt_skip(t, "PID 1 is running");
	warm_up(t);
	snap(&a);
	KT_EXPECT_EQ(t, run_blob(&orphan_reaper, false), 2 << 8);
	KT_EXPECT_EQ(t, nr_processes(), a.procs + 1);	/* the grandchild, asleep */
	for (i = 0; i < 1000 && nr_processes() != a.procs; i++) {
		msleep(5);
		reap_orphans();
	}
	KT_EXPECT_EQ(t, nr_processes(), a.procs);
	snap(&b);
	snap_equal(t, &a, &b);
}

/* exec: a failure leaves the image (the same mm), a success replaces it
 * (one mm still, the blob's VMAs gone). */
struct exec_case {
	struct mm_struct *mm_before, *mm_after_fail;
	int err_missing, err_noexec, err_noexecbit, err_dir;
	unsigned long mms_before, mms_after;
	const char *path;
	char pid[16];
};

static int exec_fn(void *arg)
{
	struct exec_case *c = arg;
	struct mm_user_stats st;
	const char *argv[] = { c->path, "pid", c->pid, NULL };
	const char *envp[] = { NULL };

	load_blob(&exit42);
	c->mm_before = current->mm;
	c->err_missing = kernel_execve("/no/such/file", argv, envp);
	c->err_noexec = namei("/bin/notelf") ? kernel_execve("/bin/notelf", argv, envp)
					      : -ENOEXEC;
	c->err_noexecbit = kernel_execve("/etc/motd", argv, envp);
	c->err_dir = kernel_execve("/etc", argv, envp);
	c->mm_after_fail = current->mm;
	mm_user_get_stats(&st);
	c->mms_before = st.nr_mms;
	snprintf(c->pid, sizeof(c->pid), "%d", current->pid);
	if (!c->path || kernel_execve(c->path, argv, envp))
		return 0;	/* the blob runs: exit 42 */
	mm_user_get_stats(&st);
	c->mms_after = st.nr_mms;
	return 0;
}

KTEST(process, exec_replaces_the_image_and_frees_the_old)
{
	struct exec_case c = { 0 };
	struct proc_snap a, b;
	int status = -1;

	c.path = namei("/bin/t_echoargs") ? "/bin/t_echoargs" : NULL;
	warm_up(t);
	snap(&a);
	KT_ASSERT(t, kernel_process_run(exec_fn, &c, false, &status) > 0);
	KT_EXPECT_EQ(t, c.err_missing, -ENOENT);
	KT_EXPECT_EQ(t, c.err_noexec, -ENOEXEC);
	KT_EXPECT_EQ(t, c.err_noexecbit, -EACCES);
	KT_EXPECT_EQ(t, c.err_dir, -EACCES);
	KT_EXPECT(t, c.mm_before == c.mm_after_fail);
	snap(&b);
	snap_equal(t, &a, &b);
	if (!c.path) {
		KT_EXPECT_EQ(t, status, 42 << 8);
		kt_skip(t, "no /bin/t_echoargs in the initramfs");
	}
	KT_EXPECT_EQ(t, status, 0);	/* t_echoargs pid PID: getpid() kept */
	KT_EXPECT_EQ(t, c.mms_after, c.mms_before);
}

KTEST(process, pids_increase_and_are_not_1)
{
	int first = kernel_process_start(blob_fn, (void *)&exit42, false);
	int second, status;

	KT_ASSERT(t, first > 1);
	second = kernel_process_start(blob_fn, (void *)&exit42, false);
	KT_EXPECT(t, second > first || second == 2);
	KT_EXPECT_EQ(t, kernel_wait4(first, &status, 0), first);
	KT_EXPECT_EQ(t, kernel_wait4(second, &status, 0), second);
	KT_EXPECT_EQ(t, status, 42 << 8);
}

/* ------------------------------------------------------------ the monitor */

/* The monitor's run, ps and maps (monitor/proc.c) through monitor_capture,
 * checked against the processes the kernel has. */
static char out[8192];

static int mon(const char *line)
{
	int ret;

	monitor_capture(line, out, sizeof(out), &ret);
	return ret;
}

#define EXPECT_OUT_HAS(t, want) do {					\
	if (!strstr(out, (want)))					\
		__kt_fail(t, false, __FILE__, __LINE__,			\
			  "the output lacks \"%s\": \"%s\"", (want), out); \
} while (0)

KTEST(monitor_proc, run_waits_and_prints_the_status)
{
	if (!namei("/bin/t_echoargs"))
		kt_skip(t, "no /bin/t_echoargs in the initramfs");
	/* Modes that print nothing (a KTAP document of the program's own
	 * would sit inside this one): memchain 0 - maps 1000 pages and
	 * exits 0; pid N exits 1 when its PID is not N. */
	KT_EXPECT_EQ(t, mon("run /bin/t_echoargs memchain 0 -"), 0);
	EXPECT_OUT_HAS(t, "run: /bin/t_echoargs exited with status 0\n");
	KT_EXPECT_EQ(t, mon("run /bin/t_echoargs pid 1"), 0);
	EXPECT_OUT_HAS(t, "run: /bin/t_echoargs exited with status 1\n");
}

KTEST(monitor_proc, run_refuses_with_one_line)
{
	KT_EXPECT_EQ(t, mon("run"), -EINVAL);
	EXPECT_OUT_HAS(t, "run: usage: run PATH [ARGS]\n");
	KT_EXPECT_EQ(t, mon("run /no/such/program"), -ENOENT);
	EXPECT_OUT_HAS(t, "run: /no/such/program: ");
	KT_EXPECT_EQ(t, mon("run /etc/motd"), -EACCES);
	KT_EXPECT_EQ(t, nr_processes(), 0);
}

KTEST(monitor_proc, ps_and_maps_show_a_sleeping_process)
{
	char line[64];
	int status, pid = kernel_process_start(blob_fn, (void *)&sleep, false);

	KT_ASSERT(t, pid > 0);
	KT_EXPECT(t, wait_for_state(pid, TASK_INTERRUPTIBLE));
	KT_EXPECT_EQ(t, mon("ps"), 0);
	EXPECT_OUT_HAS(t, "  PID  PPID S CPU COMMAND\n");
	snprintf(line, sizeof(line), "%5d     0 S %3u sleep\n", pid, find_task_by_pid(pid)->cpu);
	EXPECT_OUT_HAS(t, line);
	KT_EXPECT_EQ(t, mon("ps x"), -EINVAL);
	snprintf(line, sizeof(line), "maps %d", pid);
	KT_EXPECT_EQ(t, mon(line), 0);
	EXPECT_OUT_HAS(t, "00010000-00011000 rwxp 00000000 00:00 0 ");
	EXPECT_OUT_HAS(t, "bfff0000-c0000000 rw-p 00000000 00:00 0 ");
	EXPECT_OUT_HAS(t, "[stack]\n");
	KT_EXPECT_EQ(t, sys_kill(pid, SIGKILL), 0);
	KT_EXPECT_EQ(t, kernel_wait4(pid, &status, 0), pid);
	KT_EXPECT_EQ(t, mon(line), -ESRCH);
	EXPECT_OUT_HAS(t, ": no such process\n");
	KT_EXPECT_EQ(t, mon("maps x1"), -EINVAL);
	EXPECT_OUT_HAS(t, "maps: x1: not a PID\n");
	KT_EXPECT_EQ(t, mon("maps"), -EINVAL);
}
