/*
 * The kernel's page-table walker and its page-table allocation: the one
 * place that goes PDPT -> page directory -> page table (Intel SDM vol. 3A
 * §4.4.2, PAE paging; names from Linux: lookup_address, pmd_off_k,
 * pte_alloc_kernel; seed 004 on pgd/pmd/pte).
 *
 * The walker takes the PDPT to walk, so an address space with a PDPT of
 * its own, whose kernel slot shares swapper_pg_dir's PMD, is walked by the
 * same code; its page tables in highmem will need a kmap_atomic'ed step
 * in place of pte_offset_kernel.
 */
#include "asm/memlayout.h"
#include "asm/pgtable.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "mm/bootmem.h"
#include "mm/gfp.h"

bool after_bootmem;

pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long va, pmd_t **large)
{
	pmd_t *pmd;

	*large = NULL;
	pgd = pgd_offset_pgd(pgd, va);
	if (!pgd_present(*pgd))
		return NULL;
	pmd = pmd_offset(pgd, va);
	if (!pmd_present(*pmd))
		return NULL;
	if (pmd_large(*pmd)) {
		*large = pmd;
		return NULL;
	}
	return pte_offset_kernel(pmd, va);
}

pte_t *lookup_address(unsigned long va, pmd_t **large)
{
	return lookup_address_in_pgd(swapper_pg_dir, va, large);
}

pmd_t *pmd_off_k(unsigned long va)
{
	pgd_t *pgd = pgd_offset_k(va);

	if (va < PAGE_OFFSET || !pgd_present(*pgd))
		panic("pgtable: no kernel PMD for %#lx", va);
	return pmd_offset(pgd, va);
}

/*
 * A zeroed page for a PMD or a page table. Boot memory is all lowmem; the
 * buddy allocator is asked for lowmem (GFP_KERNEL), as every level below
 * the PDPT is reached through __va.
 */
static void *pgtable_alloc_page(void)
{
	void *table;

	if (after_bootmem)
		table = (void *)get_zeroed_page(GFP_KERNEL);
	else
		table = alloc_bootmem_pages(PAGE_SIZE, BOOTMEM_PAGETABLE);
	if (table)
		pgtable_page_zeroed(table);
	return table;
}

pmd_t *pmd_alloc(pgd_t *pgd, unsigned long va)
{
	if (!pgd_present(*pgd)) {
		pmd_t *table = pgtable_alloc_page();

		if (!table)
			return NULL;
		set_pgd_at(va & ~((1UL << PGDIR_SHIFT) - 1), pgd,
			   __pgd_table(__pa(table)));
	}
	return pmd_offset(pgd, va);
}

pte_t *pte_alloc_kernel(pmd_t *pmd, unsigned long va)
{
	if (!pmd_present(*pmd)) {
		pte_t *table = pgtable_alloc_page();

		if (!table)
			return NULL;
		set_pmd_at(va & PMD_MASK, pmd, __pmd_table(__pa(table)));
	}
	if (pmd_large(*pmd))
		panic("pgtable: a 2 MiB page at %#lx where a page table is wanted", va);
	return pte_offset_kernel(pmd, va);
}

pte_t *__init one_page_table_init(unsigned long va)
{
	pmd_t *pmd = pmd_off_k(va);

	BUG_ON(pmd_present(*pmd));
	return pte_alloc_kernel(pmd, va & PMD_MASK);
}
