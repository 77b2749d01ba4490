/* SPDX-License-Identifier: MIT */
/*
 * User processes: fork, exec, exit and wait (kernel/fork.c, kernel/exec.c,
 * kernel/exit.c), the two signals a process can get (kernel/signal.c),
 * and the arch side of a task that runs in ring 3 (kernel/process.c).
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <stdbool.h>
#include "asm/ptrace.h"
#include "asm/uaccess.h"
#include "kernel/sched.h"

/* Signals (Linux i386 numbers); only SIGKILL, SIGTERM, SIGSEGV and the
 * fault signals end a process, SIGCHLD is only an exit signal. */
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGSEGV		11
#define SIGTERM		15
#define SIGCHLD		17

#define _NSIG		64

/* Whether a signal waits to be acted on: an interruptible sleep ends
 * (-EINTR) and the process dies on its way back to user mode. */
static inline bool signal_pending(const struct task_struct *t)
{
	return __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) != 0;
}
/* The signal's name ("SIGSEGV"), or "signal" for one without a name here. */
const char *signal_name(int sig);

/* clone flags (Linux's uapi values) */
#define CSIGNAL		0x000000ff
#define CLONE_VM	0x00000100
#define CLONE_FS	0x00000200
#define CLONE_FILES	0x00000400
#define CLONE_SIGHAND	0x00000800
#define CLONE_VFORK	0x00004000
#define CLONE_PARENT	0x00008000
#define CLONE_THREAD	0x00010000
#define CLONE_SETTLS	0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000

/* wait4 options */
#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WCONTINUED	0x00000008
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define PID_MAX		32768	/* PIDs are 1 .. PID_MAX - 1; 1 is init's */

/* ---- kernel/fork.c, kernel/exit.c, kernel/signal.c */

/*
 * kernel_clone - a copy of the current process (fork: own mm copy on
 * write; vfork: CLONE_VM|CLONE_VFORK, the parent sleeps until the child
 * execs or exits). Threads (CLONE_THREAD, CLONE_VM without CLONE_VFORK)
 * are refused with -EINVAL. The child's PID, or -errno.
 */
long kernel_clone(unsigned long clone_flags, unsigned long newsp,
		  int *parent_tid, int *child_tid, unsigned long tls);
/* The current process ends with status (the wait4 status word: exit
 * code << 8, or the signal number). Never returns. */
void __attribute__((noreturn)) do_exit(long status);
/*
 * force_sig_fault - the current process made a fault it cannot survive
 * (sig SIGSEGV, SIGBUS, SIGILL, SIGFPE...): the kernel has printed the
 * report; the process is ended with sig as it returns to user space.
 */
void force_sig_fault(int sig, unsigned long address, struct pt_regs *regs);
/* Act on pending signals before returning to user mode (from the entry
 * code, interrupts on); may not return (do_exit). */
void exit_to_user_mode_prepare(struct pt_regs *regs);
/* The process with that PID, or NULL (no reference taken; under
 * tasklist_lock or from the process itself). */
struct task_struct *find_task_by_pid(int pid);
/* Run each live process (for `ps`); stops when fn returns non-zero. */
int for_each_process(int (*fn)(struct task_struct *t, void *arg), void *arg);
/* Processes on the list (zombies included): tests count them. */
int nr_processes(void);
/*
 * kernel_wait4 - wait for a child of the current task (pid > 0: that one;
 * -1 or <= 0: any, there are no process groups) to end, as wait4 does;
 * its status word in *status. The child's PID, 0 (WNOHANG, none ended),
 * -ECHILD, -EINVAL (options), -EINTR (a signal came while waiting).
 */
long kernel_wait4(int pid, int *status, int options);
/* Free the kernel stacks kept for the next forks (tests: exact counts);
 * how many there were. */
int drain_stack_cache(void);
/* The kernel's reaper: frees the orphans that ended with no PID 1 to
 * adopt them, once they are off their CPU; the number freed. */
int reap_orphans(void);
/*
 * user_process_run - a process the kernel starts (fds 0-2 on the console)
 * that execs path with argv and envp, waited for: 0 with its wait4
 * status in *status, or the exec's -errno (the process then ended
 * without running anything). init: it gets PID 1 and adopts orphans.
 */
int user_process_run(const char *path, const char *const argv[],
		     const char *const envp[], bool init, int *status);
/*
 * kernel_process_start - a child of the current (kernel) task, fds 0-2
 * on the console, that runs fn(arg) first (from schedule_tail): fn builds
 * the user image (kernel_execve, or a test's own) and returns, and the
 * process goes to user mode; or it ends the process (do_exit). Its PID,
 * or -errno. kernel_process_run: the same, waited for (*status).
 */
int kernel_process_start(int (*fn)(void *), void *arg, bool init);
long kernel_process_run(int (*fn)(void *), void *arg, bool init, int *status);

/*
 * run_init_process - start path as PID 1 with argv (argv[0] is path
 * unless given) and envp, from the boot thread: it returns once PID 1
 * ended, with its wait4 status. Negative errno when it could not start.
 */
int run_init_process(const char *path, const char *const argv[], const char *const envp[]);
/* The monitor's `run`: a new process from the kernel, waited for; its
 * wait4 status, or -errno. */
int run_user_program(const char *path, const char *const argv[]);

/* ---- kernel/exec.c */

/* Replace the current process's image with path (ELF32 ET_EXEC or
 * ET_DYN static-pie) and argv, envp (kernel strings: sys_execve copies
 * the user's first). 0: the caller returns to user space at the new
 * entry; -errno: the old image is intact (up to the point of no return). */
int kernel_execve(const char *path, const char *const argv[],
		  const char *const envp[]);

/* The current task's address space becomes mm (its only user
 * reference is handed over); the old one is let go, a vfork parent
 * woken. exec's point of no return (Linux's exec_mmap). */
void exec_mmap(struct mm_struct *mm);

/* ---- kernel/process.c: the arch side */

/* A new task's kernel stack set up to return to user mode with the
 * parent's registers (eax = 0), at newsp when non-zero; tls from
 * CLONE_SETTLS: the caller passes it only with that flag, non-zero, a
 * struct user_desc pointer (i386). TLS slots and FPU state are
 * inherited. 0 or -errno (-ENOMEM, tls's -EFAULT/-EINVAL). */
int copy_thread(struct task_struct *p, unsigned long newsp, unsigned long tls);
/* exec: the user frame set to start at eip with stack esp, flat user
 * segments, eflags IF; TLS and FPU state cleared. */
void start_thread(struct pt_regs *regs, unsigned long eip, unsigned long esp);
/* A task switch, interrupts off: TSS esp0, TLS descriptors, user %gs,
 * FPU state out of the registers of prev. */
void __switch_to_arch(struct task_struct *prev, struct task_struct *next);
/* Free what the arch side allocated for t (its FPU image). */
void exit_thread(struct task_struct *t);
/* Before kernel code uses SSE (memset's %xmm0): the current task's user
 * FPU state is saved to its image when the registers hold it, and
 * preemption is off until kernel_fpu_end. Any context. */
void kernel_fpu_begin(void);
void kernel_fpu_end(void);
/* A kernel thread enters ring 3 with the frame start_thread filled
 * (regs = current_pt_regs()): what its stack held is given up. */
void __attribute__((noreturn)) start_user_mode(struct pt_regs *regs);

/* ---- kernel/tls.c */

struct user_desc;
/* set_thread_area for task p (current, or a child being made, whose
 * slots are only stored): u_info's entry_number -1 picks a free slot
 * and writes it back when can_allocate. 0 or -errno. */
int do_set_thread_area(struct task_struct *p, struct user_desc __user *u_info,
		       bool can_allocate);

#endif /* KERNEL_PROCESS_H */
