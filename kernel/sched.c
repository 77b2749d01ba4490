/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads and a small preemptive scheduler: per-CPU run queues,
 * round robin with a time slice counted in APIC timer ticks, preemption
 * when an interrupt returns to preemptible code, and per-CPU idle threads
 * that halt (Linux's kernel/sched/core.c for the names: schedule,
 * scheduler_tick, wake_up_process, finish_task_switch).
 */
#define pr_fmt(fmt) "sched: " fmt

#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/ptrace.h"
#include "asm/smp.h"
#include "asm/uaccess.h"
#include "asm/x86.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/preempt.h"
#include "kernel/process.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/testhooks.h"
#include "kernel/time.h"
#include "mm/highmem.h"
#include "mm/mmap.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

/* The queue of runnable threads of one CPU, not counting the running one
 * or the idle thread. The lock is taken with interrupts off; a switch
 * holds it from __schedule into finish_task_switch on the next thread. */
struct rq {
	spinlock_t lock;
	struct list_head queue;
	struct list_head sleepers;	/* msleep, by wake_tick */
	struct task_struct *curr, *idle, *prev;
	struct mm_struct *prev_mm;	/* a lazy-TLB borrow to drop after the switch */
};

static struct rq runqueues[NR_CPUS];
static struct task_struct init_task;
static struct task_struct cpu_boot_task[NR_CPUS];	/* APs' idle threads */
void (*tick_hook)(unsigned int cpu);

void __switch_to_asm(unsigned long *prev_sp, unsigned long next_sp);
void ret_from_kthread(void);
void kthread_entry(struct task_struct *t);
void __attribute__((noreturn)) call_on_stack(void (*fn)(void), void *stack_top);

/* Dead threads nobody joins (kthread_detach), freed by the next
 * kthread_run_on_cpu; the lock also orders detaching against dying. */
static spinlock_t exit_lock;
static LIST_HEAD(reap_list);

static struct rq *this_rq(void)
{
	return &runqueues[smp_processor_id()];
}

static void task_init(struct task_struct *t, unsigned int cpu, const char *name)
{
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->sleep_list);
	INIT_LIST_HEAD(&t->exit_list);
	init_waitqueue_head(&t->exit_wait);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->tasks);
	init_waitqueue_head(&t->wait_chldexit);
	t->time_slice = SCHED_SLICE_TICKS;
	strscpy(t->comm, name, sizeof(t->comm));
}

/* Runs on the next thread, with its rq lock held and interrupts off. */
static void finish_task_switch(struct rq *rq)
{
	struct mm_struct *mm = rq->prev_mm;

	rq->prev_mm = NULL;
	__atomic_store_n(&rq->prev->on_cpu, 0, __ATOMIC_RELEASE);
	raw_spin_unlock(&rq->lock);
	if (mm)
		mmdrop(mm);
}

/*
 * The address-space half of a switch (Linux's context_switch): a process
 * brings its own mm; a kernel thread borrows the one loaded (active_mm,
 * lazy TLB: no CR3 write), and gives the reference back when it leaves
 * the CPU. Then the arch state (TSS esp0, TLS, FPU).
 */
static void context_switch(struct rq *rq, struct task_struct *prev,
			   struct task_struct *next)
{
	struct mm_struct *oldmm = prev->active_mm;

	if (!next->mm) {
		next->active_mm = oldmm;
		if (oldmm)
			mmgrab(oldmm);
	} else {
		switch_mm(oldmm, next->mm);
		next->active_mm = next->mm;
	}
	if (!prev->mm) {
		prev->active_mm = NULL;
		rq->prev_mm = oldmm;
	}
	__switch_to_arch(prev, next);
}

/* Ask cpu to reschedule: a flag here, and an IPI when it is another CPU. */
static void resched_cpu(unsigned int cpu)
{
	per_cpu(cpu)->need_resched = true;
	if (cpu != smp_processor_id())
		apic_send_ipi(per_cpu(cpu)->apic_id, RESCHEDULE_VECTOR);
}

/*
 * Switch to the next runnable thread. A preempted thread stays runnable
 * whatever its state (it may be on its way to sleep and will call
 * schedule itself); a thread that called schedule in another state
 * leaves the queue until a wake-up.
 */
static void __schedule(bool preempt)
{
	struct percpu *pc = this_cpu();
	struct rq *rq = &runqueues[pc->cpu_number];
	struct task_struct *prev = pc->current_task, *next;
	unsigned long flags;

	local_irq_save(flags);
	raw_spin_lock(&rq->lock);
	pc->need_resched = false;
	if (prev != rq->idle && list_empty(&prev->run_list) &&
	    (prev->state == TASK_RUNNING || (preempt && prev->state != TASK_DEAD)))
		list_add_tail(&prev->run_list, &rq->queue);
	if (list_empty(&rq->queue)) {
		next = rq->idle;
	} else {
		next = list_first_entry(&rq->queue, struct task_struct, run_list);
		list_del_init(&next->run_list);
	}
	if (next == prev) {
		raw_spin_unlock(&rq->lock);
		local_irq_restore(flags);
		return;
	}
	if (preempt)
		prev->nivcsw++;
	else
		prev->nvcsw++;
	next->time_slice = SCHED_SLICE_TICKS;
	next->on_cpu = 1;
	rq->curr = next;
	rq->prev = prev;
	pc->current_task = next;
	context_switch(rq, prev, next);
	__switch_to_asm(&prev->sp, next->sp);
	/* Back on prev, later, on the same CPU. */
	finish_task_switch(this_rq());
	local_irq_restore(flags);
}

/* The per-CPU counts belong to the thread running: sleeping with one
 * raised would hand it to the next thread on this CPU. */
void schedule(void)
{
	if (preempt_count() || pagefault_disabled())
		panic("scheduling while atomic: %s on CPU %u, preempt_count 0x%x, pagefault_disabled %d",
		      current->comm, smp_processor_id(), preempt_count(),
		      this_cpu()->pagefault_disabled);
	__schedule(false);
}

/* From preempt_enable: only where a switch is allowed. */
void preempt_schedule(void)
{
	if (preempt_count() || irqs_disabled())
		return;
	__schedule(true);
}

/* From do_IRQ's exit, interrupts off, preempt_count 0. */
void preempt_schedule_irq(void)
{
	__schedule(true);
}

/* t becomes runnable (rq is its CPU's, locked): queued unless it is the
 * one running there or queued already; false if it was not asleep. */
static bool activate_task(struct rq *rq, struct task_struct *t)
{
	if (t->state == TASK_RUNNING || t->state == TASK_DEAD)
		return false;
	t->state = TASK_RUNNING;
	if (rq->curr != t && list_empty(&t->run_list))
		list_add_tail(&t->run_list, &rq->queue);
	return true;
}

/* Make t runnable on its CPU if it sleeps (in TASK_INTERRUPTIBLE only,
 * when only_interruptible); false if it did not. Safe from any CPU and
 * from interrupt handlers. */
static bool try_to_wake_up(struct task_struct *t, bool only_interruptible)
{
	struct rq *rq = &runqueues[t->cpu];
	unsigned long flags;
	bool woken = false, kick;

	local_irq_save(flags);
	raw_spin_lock(&rq->lock);
	if (!only_interruptible || t->state == TASK_INTERRUPTIBLE)
		woken = activate_task(rq, t);
	kick = woken && rq->curr == rq->idle;
	raw_spin_unlock(&rq->lock);
	if (kick)
		resched_cpu(t->cpu);
	local_irq_restore(flags);
	return woken;
}

bool wake_up_process(struct task_struct *t)
{
	return try_to_wake_up(t, false);
}

bool signal_wake_up(struct task_struct *t)
{
	return try_to_wake_up(t, true);
}

/* The tick, on every CPU: wake sleepers whose time came, end the time
 * slice, then the test hook. Interrupts are off. */
void scheduler_tick(void)
{
	struct percpu *pc = this_cpu();
	struct rq *rq = &runqueues[pc->cpu_number];
	struct task_struct *curr = pc->current_task, *t, *n;
	void (*hook)(unsigned int cpu);

	if (!rq->idle)
		return;		/* the scheduler is not up on this CPU */
	raw_spin_lock(&rq->lock);
	list_for_each_entry_safe(t, n, &rq->sleepers, sleep_list) {
		if ((long)(pc->ticks - t->wake_tick) < 0)
			continue;
		list_del_init(&t->sleep_list);
		activate_task(rq, t);
	}
	if (!list_empty(&rq->queue) &&
	    (curr == rq->idle || --curr->time_slice <= 0))
		pc->need_resched = true;
	raw_spin_unlock(&rq->lock);
	hook = __atomic_load_n(&tick_hook, __ATOMIC_ACQUIRE);	/* read once */
	if (hook)
		hook(pc->cpu_number);
}

/* Queue current on this CPU's sleepers until tick expire. */
static void add_sleeper(unsigned long expire, long state)
{
	struct rq *rq = this_rq();
	unsigned long flags;

	local_irq_save(flags);
	raw_spin_lock(&rq->lock);
	current->wake_tick = expire;
	if (list_empty(&current->sleep_list))
		list_add_tail(&current->sleep_list, &rq->sleepers);
	if (state >= 0)
		current->state = state;
	raw_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

void msleep(unsigned int msecs)
{
	struct percpu *pc = this_cpu();
	struct rq *rq = &runqueues[pc->cpu_number];
	unsigned long ticks = DIV_ROUND_UP((unsigned long)msecs * HZ, 1000);

	if (!rq->idle || irqs_disabled()) {
		mdelay(msecs);
		return;
	}
	add_sleeper(pc->ticks + ticks, TASK_UNINTERRUPTIBLE);
	schedule();
}

long schedule_timeout(long ticks)
{
	struct percpu *pc = this_cpu();
	struct rq *rq = &runqueues[pc->cpu_number];
	unsigned long expire = pc->ticks + (unsigned long)ticks, flags;
	long left;

	if (ticks <= 0) {
		set_current_state(TASK_RUNNING);
		return 0;
	}
	add_sleeper(expire, -1);	/* the caller set the state */
	schedule();
	/* Woken before the tick came: off the sleepers. */
	local_irq_save(flags);
	raw_spin_lock(&rq->lock);
	if (!list_empty(&current->sleep_list))
		list_del_init(&current->sleep_list);
	raw_spin_unlock(&rq->lock);
	local_irq_restore(flags);
	left = (long)(expire - pc->ticks);
	return left > 0 ? left : 0;
}

/* ------------------------------------------------------------ threads */

/* A new thread's stack: what __switch_to_asm pops (edi, esi, ebx = the
 * task, ebp) and the return into ret_from_kthread, below the room of a
 * user frame at the top (as Linux's kernel threads have it), so that
 * the thread may become a process (start_thread, start_user_mode). */
static struct task_struct *kthread_alloc(int (*fn)(void *), void *arg,
					 unsigned int cpu, const char *name)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);
	unsigned long *sp;

	if (!t)
		return NULL;
	t->stack = thread_stack_alloc();
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	task_init(t, cpu, name);
	t->flags = PF_KTHREAD;
	t->fn = fn;
	t->arg = arg;
	t->thread.sp0 = (unsigned long)t->stack + THREAD_SIZE;
	sp = (unsigned long *)((struct pt_regs *)t->thread.sp0 - 1);
	*--sp = (unsigned long)ret_from_kthread;
	*--sp = 0;			/* ebp */
	*--sp = (unsigned long)t;	/* ebx */
	*--sp = 0;			/* esi */
	*--sp = 0;			/* edi */
	t->sp = (unsigned long)sp;
	return t;
}

void *thread_stack_alloc(void)
{
	return vmalloc_stack(THREAD_SIZE, THREAD_GUARD_SIZE);
}

bool task_stack_guard_hit(const struct task_struct *t, unsigned long addr)
{
	unsigned long base = (unsigned long)t->stack;

	return t->stack && addr < base && base - addr <= THREAD_GUARD_SIZE;
}

/* Free a dead thread once its CPU has switched away from it. */
static void free_task(struct task_struct *t)
{
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	vfree(t->stack);
	kfree(t);
}

/* Free the dead threads nobody joins. */
static void reap_dead_threads(void)
{
	for (;;) {
		struct task_struct *t = NULL;
		unsigned long flags;

		spin_lock_irqsave(&exit_lock, flags);
		if (!list_empty(&reap_list)) {
			t = list_first_entry(&reap_list, struct task_struct, exit_list);
			list_del_init(&t->exit_list);
		}
		spin_unlock_irqrestore(&exit_lock, flags);
		if (!t)
			return;
		free_task(t);
	}
}

static void __attribute__((noreturn)) kthread_do_exit(int code)
{
	struct task_struct *t = current;

	local_irq_disable();
	t->exit_code = code;
	/* Off the tick's sleepers, should an early wake-up have left it
	 * there: the list must not keep a freed thread. */
	raw_spin_lock(&this_rq()->lock);
	if (!list_empty(&t->sleep_list))
		list_del_init(&t->sleep_list);
	raw_spin_unlock(&this_rq()->lock);
	raw_spin_lock(&exit_lock);
	t->state = TASK_DEAD;
	if (t->detached)
		list_add_tail(&t->exit_list, &reap_list);
	raw_spin_unlock(&exit_lock);
	wake_up(&t->exit_wait);
	__schedule(false);
	panic("sched: dead thread %s ran again", t->comm);
}

/* The current task leaves for good: off the tick's sleepers, should an
 * early wake-up have left it there (the list must not keep a freed task). */
void do_task_dead(void)
{
	struct task_struct *t = current;

	local_irq_disable();
	raw_spin_lock(&this_rq()->lock);
	if (!list_empty(&t->sleep_list))
		list_del_init(&t->sleep_list);
	t->state = TASK_DEAD;
	raw_spin_unlock(&this_rq()->lock);
	__schedule(false);
	panic("sched: dead task %s ran again", t->comm);
}

void make_task_dead(void)
{
	struct percpu *pc = this_cpu();
	struct task_struct *t = current;
	int slots = kmap_atomic_drop_all();

	/* What the thread held of this CPU goes with it (Linux's
	 * make_task_dead says so too); its locks stay held. */
	if (pc->preempt_count)
		pr_emerg("note: %s exited with preempt_count 0x%x\n", t->comm,
			 pc->preempt_count);
	if (slots)
		pr_emerg("note: %s exited holding %d kmap_atomic slot(s), now free\n",
			 t->comm, slots);
	pc->preempt_count = 0;
	pc->pagefault_disabled = 0;
	t->oopsed = true;
	/* A process (an oops in a system call) ends as killed by SIGKILL:
	 * its parent reaps it, its memory and files are given back. */
	if (t->flags & PF_USER) {
		local_irq_enable();
		do_exit(SIGKILL);
	}
	kthread_do_exit(KTHREAD_OOPSED);
}

void kthread_exit(int code)
{
	kthread_do_exit(code);
}

void kthread_entry(struct task_struct *t)
{
	finish_task_switch(this_rq());
	local_irq_enable();
	kthread_do_exit(t->fn(t->arg));
}

/* ------------------------------------------------------------ processes */

void sched_fork(struct task_struct *p, unsigned int cpu)
{
	task_init(p, cpu, current->comm);
	p->state = TASK_UNINTERRUPTIBLE;	/* new: the one wake-up queues it */
}

void wake_up_new_task(struct task_struct *p)
{
	wake_up_process(p);
}

unsigned int sched_select_cpu(void)
{
	static unsigned int next_cpu;
	static DEFINE_SPINLOCK(lock);
	unsigned long flags;
	unsigned int cpu;

	spin_lock_irqsave(&lock, flags);
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		cpu = next_cpu++ % NR_CPUS;
		if (cpu_online(cpu) && runqueues[cpu].idle)
			break;
	}
	next_cpu %= NR_CPUS;
	spin_unlock_irqrestore(&lock, flags);
	return cpu_online(cpu) && runqueues[cpu].idle ? cpu : smp_processor_id();
}

void schedule_tail(void)
{
	struct task_struct *t = current;

	finish_task_switch(this_rq());
	local_irq_enable();
	if (t->set_child_tid)
		put_user_u32(t->pid, (uint32_t __user *)t->set_child_tid);
	if (t->fn) {
		int (*fn)(void *) = t->fn;

		t->fn = NULL;
		fn(t->arg);
	}
}

struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *arg,
					  unsigned int cpu, const char *name)
{
	struct task_struct *t;

	if (!cpu_online(cpu) || !runqueues[cpu].idle) {
		pr_err("kthread %s: CPU %u is not online\n", name, cpu);
		return NULL;
	}
	reap_dead_threads();
	t = kthread_alloc(fn, arg, cpu, name);
	if (!t)
		return NULL;
	/* Born asleep, so that the one wake-up path queues it. */
	t->state = TASK_UNINTERRUPTIBLE;
	return t;
}

struct task_struct *kthread_run_on_cpu(int (*fn)(void *), void *arg,
				       unsigned int cpu, const char *name)
{
	struct task_struct *t = kthread_create_on_cpu(fn, arg, cpu, name);

	if (t)
		wake_up_process(t);
	return t;
}

int kthread_join(struct task_struct *t)
{
	int code;

	wait_event(t->exit_wait, t->state == TASK_DEAD);
	code = t->exit_code;
	free_task(t);
	return code;
}

void kthread_detach(struct task_struct *t)
{
	unsigned long flags;
	bool dead;

	spin_lock_irqsave(&exit_lock, flags);
	dead = t->state == TASK_DEAD;
	t->detached = !dead;
	spin_unlock_irqrestore(&exit_lock, flags);
	if (dead)
		free_task(t);
}

/* ------------------------------------------------------------ idle */

void cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (!this_cpu()->need_resched)
			safe_halt();	/* sti; hlt: no wake-up slips between */
		else
			local_irq_enable();
		schedule();
	}
}

static int idle_thread(void *unused)
{
	cpu_idle();
}

static void reschedule_interrupt(struct pt_regs *regs)
{
	apic_eoi();	/* need_resched is set; do_IRQ's exit switches */
}

static void rq_init(unsigned int cpu)
{
	struct rq *rq = &runqueues[cpu];

	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->queue);
	INIT_LIST_HEAD(&rq->sleepers);
}

/* The boot CPU: the running boot code becomes the thread "init", and an
 * idle thread takes the CPU whenever nothing else can run. */
void __init sched_init(void)
{
	struct percpu *pc = this_cpu();
	struct rq *rq = &runqueues[0];
	struct task_struct *idle;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		rq_init(cpu);
	spin_lock_init(&exit_lock);
	task_init(&init_task, 0, "init");
	init_task.on_cpu = 1;
	pc->current_task = &init_task;
	rq->curr = &init_task;
	idle = kthread_alloc(idle_thread, NULL, 0, "idle/0");
	if (!idle)
		panic("sched: no memory for the idle thread");
	idle->flags = PF_IDLE;
	rq->idle = idle;
	set_vector_handler(RESCHEDULE_VECTOR, reschedule_interrupt, "reschedule");
	pr_info("init and idle/0 on CPU 0, HZ %u, time slice %u ticks, %u KiB stacks with %u KiB unmapped below\n",
		HZ, SCHED_SLICE_TICKS, THREAD_SIZE / 1024, THREAD_GUARD_SIZE / 1024);
}

void sched_move_init_stack(void (*fn)(void))
{
	void *stack = thread_stack_alloc();

	if (!stack)
		panic("sched: no memory for init's stack");
	init_task.stack = stack;
	call_on_stack(fn, (char *)stack + THREAD_SIZE);
}

void sched_init_secondary(unsigned int cpu, void *stack)
{
	struct task_struct *idle = &cpu_boot_task[cpu];
	struct rq *rq = &runqueues[cpu];
	char name[TASK_COMM_LEN];

	snprintf(name, sizeof(name), "idle/%u", cpu);
	task_init(idle, cpu, name);
	idle->flags = PF_IDLE;
	idle->stack = stack;
	idle->on_cpu = 1;
	this_cpu()->current_task = idle;
	rq->curr = idle;
	rq->idle = idle;
}
