/* SPDX-License-Identifier: MIT */
/*
 * Fixmaps: compile-time virtual addresses below FIXADDR_TOP whose frames
 * are chosen at run time (seed 000 §5.1; Linux's __set_fixmap). The page
 * table behind them is allocated at boot by fixrange_init (with
 * one_page_table_init, mm/pgtable.c), so setting a slot never allocates.
 */
#include "asm/fixmap.h"
#include "asm/memlayout.h"
#include "asm/pgtable.h"
#include "asm/tlbflush.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "mm/highmem.h"

/* The page table covering 0xFFE00000-0xFFFFFFFF, where every slot lies. */
static pte_t *fixmap_page_table;

void __init fixrange_init(void)
{
	fixmap_page_table = one_page_table_init(FIXADDR_START);
}

/* The PTE of slot idx. */
pte_t *fixmap_pte(enum fixed_addresses idx)
{
	BUG_ON(idx >= __end_of_fixed_addresses);
	return &fixmap_page_table[pte_index(__fix_to_virt(idx))];
}

void __set_fixmap(enum fixed_addresses idx, uint64_t phys, pgprot_t prot)
{
	unsigned long va = __fix_to_virt(idx);

	set_pte_at(va, fixmap_pte(idx), pfn_pte((unsigned long)(phys >> PAGE_SHIFT), prot));
	flush_tlb_one_kernel(va);
}

void clear_fixmap(enum fixed_addresses idx)
{
	pte_clear(__fix_to_virt(idx), fixmap_pte(idx));
	flush_tlb_one_kernel(__fix_to_virt(idx));
}

/* Every mapped fixmap slot, one line each (the emulator oracles compare). */
void fixmap_show(void)
{
	for (int idx = 0; idx < __end_of_fixed_addresses; idx++) {
		pte_t pte = *fixmap_pte(idx);

		if (!pte_present(pte))
			continue;
		pr_info("fixmap: slot %d 0x%08lx -> 0x%llx%s\n", idx,
			__fix_to_virt(idx), pte.pte & PTE_PFN_MASK,
			(pte.pte & _PAGE_PCD) ? " uncached" : "");
	}
}
