/* SPDX-License-Identifier: MIT */
/*
 * The end of an oops (kernel/traps.c, include/kernel/oops.h; docs/smp.md):
 * a kernel thread that faults, or overflows its stack into the gap below
 * it, is ended with the report and the kernel goes on; what it held of
 * its CPU (preemption, kmap_atomic slots) is given back; the double
 * fault arrives through a task gate on every CPU; and the cases where
 * ending the thread is not safe are refused.
 */
#include "asm/desc.h"
#include "asm/fixmap.h"
#include "asm/percpu.h"
#include "asm/segment.h"
#include "asm/smp.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "kernel/oops.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/wait.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/vmalloc.h"

extern pgd_t swapper_pg_dir[];

static int *volatile nowhere;

static int write_null(void *unused)
{
	*nowhere = 1;
	return 0;	/* not reached */
}

/* The thread is ended with KTHREAD_OOPSED, the oops recorded under its
 * name, and this CPU is as it was: no preemption count, no lock,
 * interrupts on. */
KTEST(oops, fault_in_a_kthread_ends_only_that_thread)
{
	unsigned long before = last_oops.count;
	struct task_struct *th;
	bool oopsed;

	th = kthread_run_on_cpu(write_null, NULL, smp_processor_id(), "oops-null");
	KT_ASSERT(t, th != NULL);
	wait_event(th->exit_wait, th->state == TASK_DEAD);
	oopsed = th->oopsed;
	KT_EXPECT_EQ(t, kthread_join(th), KTHREAD_OOPSED);
	KT_EXPECT(t, oopsed);
	KT_EXPECT_EQ(t, last_oops.count, before + 1);
	KT_EXPECT_EQ(t, last_oops.vector, 14);
	KT_EXPECT_EQ(t, last_oops.address, 0);
	KT_EXPECT(t, !last_oops.stack_guard);
	KT_EXPECT_STREQ(t, last_oops.comm, "oops-null");
	KT_EXPECT_EQ(t, preempt_count(), 0);
	KT_EXPECT_EQ(t, this_cpu()->kernel_locks, 0);
	KT_EXPECT_EQ(t, this_cpu()->oops_depth, 0);
	KT_EXPECT(t, !irqs_disabled());
	KT_EXPECT_EQ(t, oops_in_progress, 0);
}

static DECLARE_WAIT_QUEUE_HEAD(oops_wq);

/* Faults in its wait's condition, queued on oops_wq with its entry on
 * its own stack. */
static int fault_while_queued(void *unused)
{
	wait_event(oops_wq, *nowhere == 1);
	return 0;
}

/* The entry goes with the thread: the queue does not keep a pointer
 * into a freed stack. */
KTEST(oops, thread_ended_in_a_wait_leaves_the_queue)
{
	struct task_struct *th;

	th = kthread_run_on_cpu(fault_while_queued, NULL, smp_processor_id(), "oops-wait");
	KT_ASSERT(t, th != NULL);
	KT_EXPECT_EQ(t, kthread_join(th), KTHREAD_OOPSED);
	KT_EXPECT(t, !waitqueue_active(&oops_wq));
	KT_EXPECT_EQ(t, wake_up(&oops_wq), 0);
}

struct atomic_holder {
	struct page *page;
	unsigned long slot;		/* the kmap_atomic address it held */
};

/* Dies holding a kmap_atomic slot: preemption and page faults off. */
static int die_in_kmap_atomic(void *arg)
{
	struct atomic_holder *h = arg;

	h->slot = (unsigned long)kmap_atomic(h->page);
	*nowhere = 2;
	return 0;
}

KTEST(oops, preemption_and_kmap_atomic_slots_given_back)
{
	struct atomic_holder h = { .page = alloc_page(GFP_HIGHUSER) };
	struct task_struct *th;
	uint32_t word;

	KT_ASSERT(t, h.page != NULL);
	if (!PageHighMem(h.page)) {
		__free_page(h.page);
		kt_skip(t, "no highmem page: kmap_atomic takes no slot");
	}
	th = kthread_run_on_cpu(die_in_kmap_atomic, &h, smp_processor_id(), "oops-atomic");
	KT_ASSERT(t, th != NULL);
	KT_EXPECT_EQ(t, kthread_join(th), KTHREAD_OOPSED);
	KT_EXPECT(t, h.slot >= __fix_to_virt(FIX_KMAP_END) &&
		  h.slot <= __fix_to_virt(FIX_KMAP_BEGIN));
	/* The slot is free and unmapped again, the CPU preemptible. */
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KT_EXPECT_EQ(t, probe_read_u32(&word, (const uint32_t *)h.slot), -EFAULT);
	KT_EXPECT_EQ(t, preempt_count(), 0);
	KT_EXPECT(t, !pagefault_disabled());
	__free_page(h.page);
}

/* Each level a 4 KiB frame, written from its lowest byte up, that the
 * next level writes to as well (so all of them must exist at once): the
 * first write below the stack lands in the gap, and the page fault's
 * frame cannot be pushed there either. */
static int __attribute__((noinline)) recurse(unsigned int depth, volatile char *up)
{
	volatile char frame[4096];

	for (unsigned int i = 0; i < sizeof(frame); i += 512)
		frame[i] = (char)depth;
	if (up)
		up[1]++;
	if (depth == 64)
		return frame[1];	/* 256 KiB: far past any gap */
	return recurse(depth + 1, frame) + frame[1];
}

static int overflow_stack(void *unused)
{
	return recurse(0, NULL);
}

/* On every online CPU, each with its own #DF task. */
KTEST(oops, stack_overflow_ends_in_the_guard_report_and_the_kernel_goes_on)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		unsigned long before = last_oops.count, base;
		struct task_struct *th;

		th = kthread_run_on_cpu(overflow_stack, NULL, cpu, "oops-overflow");
		KT_ASSERT(t, th != NULL);
		base = (unsigned long)th->stack;
		KT_EXPECT_EQ(t, kthread_join(th), KTHREAD_OOPSED);
		KT_EXPECT_EQ(t, last_oops.count, before + 1);
		KT_EXPECT_EQ(t, last_oops.vector, 8);
		KT_EXPECT(t, last_oops.stack_guard);
		KT_EXPECT_STREQ(t, last_oops.comm, "oops-overflow");
		/* The fault's address and the stack pointer: in the gap below. */
		KT_EXPECT(t, last_oops.address < base && base - last_oops.address <= THREAD_GUARD_SIZE);
		KT_EXPECT(t, last_oops.esp < base && base - last_oops.esp <= THREAD_GUARD_SIZE);
	}
	KT_EXPECT_EQ(t, preempt_count(), 0);
	KT_EXPECT(t, !irqs_disabled());
	KT_EXPECT_EQ(t, read_cr0() & X86_CR0_TS, 0);
}

/* The gap below a thread's stack belongs to its area, and is unmapped. */
KTEST(oops, thread_stack_has_an_unmapped_gap_in_its_own_area)
{
	char *stack = thread_stack_alloc();
	const struct vm_struct *vm;
	uint32_t word;

	KT_ASSERT(t, stack != NULL);
	vm = find_vm_area(stack);
	KT_ASSERT(t, vm != NULL);
	KT_EXPECT_EQ(t, vm->flags & (VM_STACK | VM_ALLOC), VM_STACK | VM_ALLOC);
	KT_EXPECT_EQ(t, vm->guard_below, THREAD_GUARD_SIZE);
	KT_EXPECT_EQ(t, get_vm_area_size(vm), THREAD_SIZE);
	for (unsigned long off = PAGE_SIZE; off <= THREAD_GUARD_SIZE; off += PAGE_SIZE)
		KT_EXPECT(t, vmalloc_area_of((unsigned long)stack - off) == vm);
	KT_EXPECT_EQ(t, probe_read_u32(&word, (const uint32_t *)(stack - 4)), -EFAULT);
	KT_EXPECT_EQ(t, probe_read_u32(&word, (const uint32_t *)(stack - THREAD_GUARD_SIZE)), -EFAULT);
	KT_EXPECT(t, find_vm_area(stack - THREAD_GUARD_SIZE) == NULL);
	KT_EXPECT_EQ(t, probe_read_u32(&word, (const uint32_t *)stack), 0);
	KT_EXPECT(t, !PageHighMem(vmalloc_to_page(stack)));
	/* The boot thread runs on one too, since sched_init. */
	KT_EXPECT(t, current->stack != NULL);
	KT_EXPECT(t, (unsigned long)&word - (unsigned long)current->stack < THREAD_SIZE);
	KT_EXPECT_EQ(t, vfree(stack), 0);
}

/* IDT entry 8 is a task gate to the #DF TSS selector, and every online
 * CPU's #DF task has its own stack, the percpu segment and the kernel's
 * page tables. */
KTEST(oops, double_fault_is_a_task_gate_on_every_cpu)
{
	struct desc_ptr idtr;
	const struct gate_desc *idt;
	unsigned int cpu;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	idt = (const struct gate_desc *)idtr.address;
	KT_EXPECT_EQ(t, idt[8].type_attr, GATE_TASK);
	KT_EXPECT_EQ(t, idt[8].segment, __DOUBLEFAULT_TSS);
	for_each_online_cpu(cpu) {
		const struct tss_struct *df = &doublefault_tss[cpu];

		/* Its entry, or after a #DF the jump back to it that follows
		 * the IRET (what the switch back saved). */
		KT_EXPECT(t, df->eip >= (uint32_t)double_fault_task_entry &&
			  df->eip < (uint32_t)rewind_stack_and_make_dead);
		KT_EXPECT_EQ(t, df->fs, __KERNEL_PERCPU);
		KT_EXPECT_EQ(t, df->cs, __KERNEL_CS);
		KT_EXPECT_EQ(t, df->eflags & X86_EFLAGS_IF, 0);
		KT_EXPECT_EQ(t, df->cr3, __pa(swapper_pg_dir));
		KT_EXPECT_EQ(t, cpu_tss[cpu].cr3, __pa(swapper_pg_dir));
		for (unsigned int other = 0; other < cpu; other++)
			KT_EXPECT_NE(t, df->esp, doublefault_tss[other].esp);
	}
}

/* Each case where the kernel must stop rather than end the thread. */
KTEST(oops, unsafe_contexts_are_fatal)
{
	const struct oops_context ok = {
		.sched_up = true, .task_flags = PF_KTHREAD, .irqs_on = true,
	};
	struct oops_context c;

	KT_EXPECT(t, oops_fatal_reason(&ok) == NULL);
	c = ok, c.sched_up = false;
	KT_EXPECT(t, oops_fatal_reason(&c) != NULL);
	c = ok, c.task_flags = 0;				/* init */
	KT_EXPECT(t, oops_fatal_reason(&c) != NULL);
	c = ok, c.task_flags = PF_IDLE;
	KT_EXPECT(t, oops_fatal_reason(&c) != NULL);
	c = ok, c.preempt_count = HARDIRQ_OFFSET;
	KT_EXPECT(t, oops_fatal_reason(&c) != NULL);
	c = ok, c.oops_depth = 1;
	KT_EXPECT(t, oops_fatal_reason(&c) != NULL);
	c = ok, c.kernel_locks = 1, c.preempt_count = 1;
	KT_EXPECT(t, oops_fatal_reason(&c) != NULL);
	c = ok, c.irqs_on = false;
	KT_EXPECT(t, oops_fatal_reason(&c) != NULL);
	/* A module's own lock or cli: its business, the thread ends. */
	c = ok, c.irqs_on = false, c.in_module = true, c.preempt_count = 1;
	KT_EXPECT(t, oops_fatal_reason(&c) == NULL);
	/* So does kernel code that only disabled preemption. */
	c = ok, c.preempt_count = 2;
	KT_EXPECT(t, oops_fatal_reason(&c) == NULL);
}

/* The kernel's spinlocks are counted on this CPU while held. */
KTEST(oops, kernel_spinlocks_are_counted_while_held)
{
	static DEFINE_SPINLOCK(outer);
	static DEFINE_SPINLOCK(inner);
	int before = this_cpu()->kernel_locks;
	unsigned long flags;

	KT_EXPECT_EQ(t, before, 0);
	spin_lock(&outer);
	KT_EXPECT_EQ(t, this_cpu()->kernel_locks, before + 1);
	spin_lock_irqsave(&inner, flags);
	KT_EXPECT_EQ(t, this_cpu()->kernel_locks, before + 2);
	spin_unlock_irqrestore(&inner, flags);
	spin_unlock(&outer);
	KT_EXPECT_EQ(t, this_cpu()->kernel_locks, before);
}
