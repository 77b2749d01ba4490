/* SPDX-License-Identifier: MIT */
/*
 * TLB shootdown: a kernel mapping changed, so every CPU must drop its
 * translations, not only the one that changed it ("a global flush is
 * required for all CPUs when the global page tables are modified",
 * seed 003; Intel SDM vol. 3A §4.10.5 "Propagation of paging-structure
 * changes to multiple processors"). One request at a time: the sender
 * names the range, sends INVALIDATE_TLB_VECTOR to every other online CPU
 * and waits until each has flushed and cleared its bit.
 *
 * The sender waits with interrupts enabled and so must every CPU that
 * could be spinning for a lock the sender holds (kmap_lock, the vmalloc
 * lock): otherwise that CPU never takes the IPI and both wait for ever.
 * flush_tlb_others therefore refuses (panics) when called with interrupts
 * off while other CPUs are online.
 *
 * User ranges (flush_tlb_mm_range) go only to the CPUs in the mm's
 * cpu_vm_mask, those that may hold its translations: switch_mm sets a
 * CPU's bit as it loads the mm's PDPT and clears it as it loads another.
 */
#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/spinlock.h"
#include "kernel/testhooks.h"
#include "internal.h"

struct tlb_stats tlb_stats;
bool tlb_shootdown_disabled;
bool tlb_user_shootdown_disabled;

static DEFINE_SPINLOCK(tlbstate_lock);
static unsigned long flush_cpumask;		/* CPUs yet to flush */
static unsigned long flush_start, flush_end;
static bool flush_user;			/* a user range: no global pages in it */

/* This CPU's part of a flush, written to the paging trace. */
static void local_flush_tlb_kernel_range(unsigned long start, unsigned long end,
					 bool by_ipi)
{
	__flush_tlb_kernel_range(start, end);
	if (pgtrace_enabled)
		pgtrace_flush(start, end, by_ipi);
}

/* A user range: invlpg per page, or a CR3 reload (user PTEs are never
 * global) beyond FLUSH_RANGE_PAGES_MAX pages. */
static void local_flush_tlb_user_range(unsigned long start, unsigned long end, bool by_ipi)
{
	if (end - start > FLUSH_RANGE_PAGES_MAX * PAGE_SIZE) {
		__flush_tlb();
	} else {
		for (unsigned long va = start; va < end; va += PAGE_SIZE)
			__flush_tlb_one(va);
	}
	if (pgtrace_enabled)
		pgtrace_flush(start, end, by_ipi);
}

static void invalidate_interrupt(struct pt_regs *regs)
{
	if (flush_user)
		local_flush_tlb_user_range(flush_start, flush_end, true);
	else
		local_flush_tlb_kernel_range(flush_start, flush_end, true);
	__atomic_fetch_add(&tlb_stats.ipis_received, 1, __ATOMIC_RELAXED);
	apic_eoi();
	__atomic_fetch_and(&flush_cpumask, ~(1UL << smp_processor_id()),
			   __ATOMIC_RELEASE);
}

/* Send the flush of [start, end) to the CPUs in mask (online, not this
 * one) and wait for each. */
static void flush_tlb_cpus(unsigned long mask, unsigned long start, unsigned long end,
			   bool user)
{
	unsigned int cpu;

	if (irqs_disabled())
		panic("TLB shootdown with interrupts disabled on CPU %u: a CPU spinning for a lock held here could never answer",
		      smp_processor_id());

	spin_lock(&tlbstate_lock);
	mask &= __atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE) &
		~(1UL << smp_processor_id());
	flush_start = start;
	flush_end = end;
	flush_user = user;
	__atomic_store_n(&flush_cpumask, mask, __ATOMIC_SEQ_CST);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(mask & (1UL << cpu)))
			continue;
		apic_send_ipi(per_cpu(cpu)->apic_id, INVALIDATE_TLB_VECTOR);
		tlb_stats.ipis_sent++;
	}
	while (__atomic_load_n(&flush_cpumask, __ATOMIC_ACQUIRE))
		cpu_relax();
	tlb_stats.shootdowns++;
	spin_unlock(&tlbstate_lock);
}

static void flush_tlb_others(unsigned long start, unsigned long end)
{
	if (num_online_cpus() <= 1)
		return;
	if (tlb_shootdown_disabled) {
		__atomic_fetch_add(&tlb_stats.skipped, 1, __ATOMIC_RELAXED);
		return;
	}
	flush_tlb_cpus(~0UL, start, end, false);
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long others;
	unsigned int self;

	preempt_disable();
	self = smp_processor_id();
	/* The PTEs were changed before the mask is read (a CPU loading the
	 * mm after that reads the new ones). */
	others = __atomic_load_n(&mm->cpu_vm_mask, __ATOMIC_SEQ_CST);
	if (others & (1UL << self))
		local_flush_tlb_user_range(start, end, false);
	others &= ~(1UL << self);
	if (others && tlb_user_shootdown_disabled)
		__atomic_fetch_add(&tlb_stats.skipped, 1, __ATOMIC_RELAXED);
	else if (others) {
		flush_tlb_cpus(others, start, end, true);
		mm_stat_add(tlb_shootdowns, 1);
	}
	preempt_enable();
}

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	unsigned int cpu = smp_processor_id();

	if (prev == next)
		return;
	if (next)
		__atomic_fetch_or(&next->cpu_vm_mask, 1U << cpu, __ATOMIC_SEQ_CST);
	load_cr3(next ? __pa(next->pgd) : __pa(swapper_pg_dir));
	if (prev)
		__atomic_fetch_and(&prev->cpu_vm_mask, ~(1U << cpu), __ATOMIC_SEQ_CST);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	local_flush_tlb_kernel_range(start, end, false);
	flush_tlb_others(start, end);
}

/* A range of TLB_FLUSH_ALL is a full flush (flush_range_is_full). */
void flush_tlb_all(void)
{
	flush_tlb_kernel_range(0, TLB_FLUSH_ALL);
}

void tlb_init(void)
{
	set_vector_handler(INVALIDATE_TLB_VECTOR, invalidate_interrupt,
			   "TLB shootdown");
}
