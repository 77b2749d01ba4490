/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads and the scheduler (kernel/sched.c): one run queue per
 * CPU, round robin, preemptive on the APIC timer tick; a thread stays on
 * the CPU it was created on.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include "asm/percpu.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/wait.h"

struct mm_struct;
struct files_struct;
struct inode;
struct pt_regs;

/* task_struct.exit_state */
#define EXIT_ZOMBIE	16
#define EXIT_DEAD	32

/* A user_desc's descriptor in the GDT (set_thread_area). */
#define GDT_ENTRY_TLS_ENTRIES	3

/*
 * The arch part of a task (kernel/process.c): the top of its kernel
 * stack (TSS esp0 while it runs), its TLS descriptors, its user %gs,
 * and its x87/SSE state (fxsave image, 16-byte aligned, allocated at the
 * first use; fpu_live: the registers hold it now, not the image).
 */
struct thread_struct {
	unsigned long sp0;
	uint64_t tls_array[GDT_ENTRY_TLS_ENTRIES];
	uint32_t gs;
	void *fpu_state;
	bool fpu_live;
	bool fpu_used;
};

#define TASK_RUNNING		0
#define TASK_INTERRUPTIBLE	1	/* a signal wakes it (kernel/signal.c) */
#define TASK_UNINTERRUPTIBLE	2
#define TASK_DEAD		64

#define THREAD_SIZE		16384	/* each thread's stack (vmalloc_stack) */
#define THREAD_GUARD_SIZE	65536	/* unmapped below each stack */
#define TASK_COMM_LEN		16
#define SCHED_SLICE_TICKS	2	/* ticks a thread runs before others */

/* task_struct.flags */
#define PF_KTHREAD	0x01	/* made by kthread_run_on_cpu: an oops may end it */
#define PF_IDLE		0x02	/* a CPU's idle thread */
#define PF_USER		0x04	/* a process (kernel/fork.c): an oops ends it as SIGKILL */

/* What kthread_join returns for a thread an oops ended (make_task_dead):
 * no function of the kernel returns it otherwise. */
#define KTHREAD_OOPSED		(-EOWNERDEAD)

struct task_struct {
	unsigned long sp;		/* saved by __switch_to_asm */
	volatile long state;
	unsigned int cpu;
	volatile int on_cpu;		/* still switching away from its CPU */
	unsigned int flags;		/* PF_* */
	/* THREAD_SIZE bytes with THREAD_GUARD_SIZE unmapped below (the boot
	 * thread "init" from sched_move_init_stack on); NULL before */
	void *stack;
	struct list_head run_list;	/* on the run queue when runnable */
	struct list_head sleep_list;	/* msleep's timer list */
	unsigned long wake_tick;
	int (*fn)(void *);
	void *arg;
	int exit_code;
	bool oopsed;			/* ended by make_task_dead */
	/* called (interrupts off, on the way to make_task_dead) when an
	 * oops ends the thread: a module's init thread marks it failed */
	void (*on_oops)(struct task_struct *t);
	bool detached;			/* nobody joins it: freed once dead */
	struct list_head exit_list;	/* dead and detached: to be freed */
	/* the wait queue it is queued on (prepare_to_wait to finish_wait),
	 * which an oops that ends it must leave */
	struct wait_queue_head *wait_queue;
	struct wait_queue_entry *wait_entry;
	struct wait_queue_head exit_wait;
	int time_slice;
	unsigned long nvcsw, nivcsw;	/* voluntary / preempted switches */
	char comm[TASK_COMM_LEN];

	/* ---- processes (issue 16); all NULL/0 for kernel threads */
	/* mm: the address space it owns (NULL for a kernel thread);
	 * active_mm: the one loaded while it runs (a kernel thread borrows
	 * the previous task's, as Linux's lazy TLB mode) */
	struct mm_struct *mm, *active_mm;
	struct files_struct *files;	/* fs/file.c */
	int pid;			/* = tgid: no threads */
	struct task_struct *parent;	/* reaps it; init (PID 1) adopts orphans */
	struct list_head children;	/* its children, through sibling */
	struct list_head sibling;
	struct list_head tasks;		/* every process (kernel/fork.c's list) */
	int exit_state;			/* EXIT_ZOMBIE, EXIT_DEAD */
	int exit_signal;		/* sent to the parent at exit (SIGCHLD) */
	unsigned long pending;		/* signals sent and not yet acted on (bit 1 << sig) */
	struct wait_queue_head wait_chldexit;	/* wait4 sleeps here */
	unsigned long clear_child_tid;	/* set_tid_address: user address, 0 when none */
	unsigned long set_child_tid;	/* CLONE_CHILD_SETTID: written by the child at its start */
	struct task_struct *vfork_parent; /* vfork: woken at exec or exit */
	struct inode *exe_inode;	/* what it execs (an initramfs inode: lives for ever) */
	void *proc_exe_link;		/* fs/proc.c's /proc/PID/exe, made at the first lookup */
	struct thread_struct thread;	/* arch state: kernel/process.c */
};

static inline struct task_struct *get_current(void)
{
	return (struct task_struct *)fs_read_u32(offsetof(struct percpu, current_task));
}
#define current get_current()

#define set_current_state(s)	do { __atomic_store_n(&current->state, (s), __ATOMIC_SEQ_CST); } while (0)

void sched_init(void);			/* boot CPU: init_task, idle */
/* The boot thread "init" goes on in fn on a stack of its own from
 * thread_stack_alloc (the boot stack in .bss has no guard). */
void __attribute__((noreturn)) sched_move_init_stack(void (*fn)(void));
/* An AP: the code on its start-up stack becomes its idle thread. */
void sched_init_secondary(unsigned int cpu, void *stack);
void __attribute__((noreturn)) cpu_idle(void);

void schedule(void);
void preempt_schedule(void);
void preempt_schedule_irq(void);
void scheduler_tick(void);
bool wake_up_process(struct task_struct *t);
void msleep(unsigned int msecs);
/* Sleep in the state the caller set (prepare_to_wait) until woken or for
 * ticks of this CPU's timer; returns the ticks left, 0 when they ran out. */
long schedule_timeout(long ticks);

/*
 * Processes (kernel/fork.c, kernel/exit.c). sched_fork: p's scheduler
 * fields for cpu, asleep until wake_up_new_task queues it there.
 * sched_select_cpu: the next online CPU, round robin (processes are
 * placed at fork and never migrate). schedule_tail: the first thing a
 * task made by copy_thread runs (kernel/entry.asm's ret_from_fork calls
 * it): the switch finished, interrupts on, CLONE_CHILD_SETTID's word
 * written, then, for a
 * process the kernel started (p->fn set), p->fn(p->arg), which execs; it
 * returns to ret_from_fork, which goes on to user mode with the frame on
 * the top of the stack. do_task_dead: the current task leaves its CPU for
 * good (state TASK_DEAD), interrupts off. signal_wake_up: t leaves a
 * TASK_INTERRUPTIBLE sleep (a signal came); false when it was not in one.
 */
void sched_fork(struct task_struct *p, unsigned int cpu);
void wake_up_new_task(struct task_struct *p);
unsigned int sched_select_cpu(void);
void schedule_tail(void);
void __attribute__((noreturn)) do_task_dead(void);
bool signal_wake_up(struct task_struct *t);

/* THREAD_SIZE bytes of stack with THREAD_GUARD_SIZE unmapped below them
 * (vmalloc_stack); vfree frees it. NULL when no memory. */
void *thread_stack_alloc(void);
/* Whether addr lies in the unmapped gap below t's stack. */
bool task_stack_guard_hit(const struct task_struct *t, unsigned long addr);

/* A new thread on a given CPU, asleep until wake_up_process(t) starts
 * it; NULL when no memory or the CPU is not online. */
struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *arg,
					  unsigned int cpu, const char *name);
/* A new thread on a given CPU, runnable at once; NULL when no memory. */
struct task_struct *kthread_run_on_cpu(int (*fn)(void *), void *arg,
				       unsigned int cpu, const char *name);
/* Wait for it to return, free it and give its return value
 * (KTHREAD_OOPSED for one an oops ended). */
int kthread_join(struct task_struct *t);
/* Nobody will join t: it is freed once it ends (at once if it has). */
void kthread_detach(struct task_struct *t);
/* End the current kernel thread now, as if its function returned code. */
void __attribute__((noreturn)) kthread_exit(int code);

/*
 * make_task_dead - end the current thread after an oops (kernel/traps.c
 * decides when that is allowed): this CPU's preemption count, page-fault
 * disabling and kmap_atomic slots, which belonged to the thread, are
 * reset (saying so when they were held), the thread is marked oopsed and
 * exits with KTHREAD_OOPSED. Interrupts may be in any state; the next
 * thread restores its own. Locks the thread held stay held.
 */
void __attribute__((noreturn)) make_task_dead(void);
/* Take t off the wait queue it is queued on, if any: an oops is ending
 * it, and the entry lives on its stack. Before its stack is given up. */
void task_leave_wait_queue(struct task_struct *t);

#endif /* KERNEL_SCHED_H */
