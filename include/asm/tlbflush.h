/*
 * TLB flushes (Intel SDM vol. 3A §4.10.4): one page with invlpg, the
 * non-global entries with a CR3 reload, everything (global pages too) by
 * toggling CR4.PGE. Uniprocessor for now: the SMP work sends them to the
 * other CPUs as IPIs.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include "asm/processor-flags.h"
#include "asm/x86.h"

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

/* Kernel mappings are global, so a kernel range flush is a full flush
 * (or page by page for a short range). */
static inline void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if (end - start > 32 * 4096UL) {
		__flush_tlb_all();
		return;
	}
	for (unsigned long va = start; va < end; va += 4096)
		__flush_tlb_one(va);
}

#endif /* ASM_TLBFLUSH_H */
