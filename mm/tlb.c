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

struct tlb_stats tlb_stats;
bool tlb_shootdown_disabled;

static DEFINE_SPINLOCK(tlbstate_lock);
static unsigned long flush_cpumask;		/* CPUs yet to flush */
static unsigned long flush_start, flush_end;

/* This CPU's part of a flush, written to the paging trace. */
static void local_flush_tlb_kernel_range(unsigned long start, unsigned long end,
					 bool by_ipi)
{
	__flush_tlb_kernel_range(start, end);
	if (pgtrace_enabled)
		pgtrace_flush(start, end, by_ipi);
}

static void invalidate_interrupt(struct pt_regs *regs)
{
	local_flush_tlb_kernel_range(flush_start, flush_end, true);
	__atomic_fetch_add(&tlb_stats.ipis_received, 1, __ATOMIC_RELAXED);
	apic_eoi();
	__atomic_fetch_and(&flush_cpumask, ~(1UL << smp_processor_id()),
			   __ATOMIC_RELEASE);
}

static void flush_tlb_others(unsigned long start, unsigned long end)
{
	unsigned long mask;
	unsigned int cpu;

	if (num_online_cpus() <= 1)
		return;
	if (tlb_shootdown_disabled) {
		__atomic_fetch_add(&tlb_stats.skipped, 1, __ATOMIC_RELAXED);
		return;
	}
	if (irqs_disabled())
		panic("TLB shootdown with interrupts disabled on CPU %u: a CPU spinning for a lock held here could never answer",
		      smp_processor_id());

	spin_lock(&tlbstate_lock);
	mask = __atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE) &
	       ~(1UL << smp_processor_id());
	flush_start = start;
	flush_end = end;
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
