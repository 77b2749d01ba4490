/* SPDX-License-Identifier: MIT */
/*
 * TLB flushes (Intel SDM vol. 3A §4.10.4): one page with invlpg, the
 * non-global entries with a CR3 reload, everything (global pages too) by
 * toggling CR4.PGE. The __ forms act on this CPU; flush_tlb_all and
 * flush_tlb_kernel_range reach every CPU (the shootdown in mm/tlb.c).
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include "asm/page.h"
#include "asm/processor-flags.h"
#include "asm/x86.h"
#include "mm/pgtrace.h"

static inline void __flush_tlb(void)
{
	write_cr3(read_cr3());
}

static inline void __flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		__flush_tlb();
	}
}

/* Kernel mappings are global, so a kernel range flush of more than this
 * many pages is a full flush. */
#define FLUSH_RANGE_PAGES_MAX	32
#define TLB_FLUSH_ALL		(~0UL)

/* Whether a kernel range flush is done as a full one. */
static inline bool flush_range_is_full(unsigned long start, unsigned long end)
{
	return end == TLB_FLUSH_ALL || end - start > FLUSH_RANGE_PAGES_MAX * PAGE_SIZE;
}

/* This CPU only. */
static inline void __flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if (flush_range_is_full(start, end)) {
		__flush_tlb_all();
		return;
	}
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		__flush_tlb_one(va);
}

/*
 * One kernel page on this CPU only: for slots one CPU uses (fixmaps,
 * kmap_atomic) or set before the others run.
 */
static inline void flush_tlb_one_kernel(unsigned long va)
{
	__flush_tlb_one(va);
	if (pgtrace_enabled)
		pgtrace_flush(va, va + PAGE_SIZE, false);
}

/* Switch this CPU to the page tables at pgdir (a PDPT below 4 GiB). */
static inline void load_cr3(unsigned long pgdir_phys)
{
	write_cr3(pgdir_phys);
	if (pgtrace_enabled)
		pgtrace_cr3(pgdir_phys);
}

/* Every online CPU: this one, then the others by IPI, waiting for each
 * to acknowledge (mm/tlb.c). Not with interrupts disabled once other CPUs
 * are up: that is a deadlock waiting to happen, and panics. */
void flush_tlb_all(void);
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

#endif /* ASM_TLBFLUSH_H */
