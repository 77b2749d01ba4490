/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page-table walker, its page-table allocation and the
 * operations on ranges of kernel PTEs: the one place that goes PDPT ->
 * page directory -> page table (Intel SDM vol. 3A §4.4.2, PAE paging;
 * names from Linux: lookup_address, pmd_off_k, pte_alloc_kernel,
 * map_kernel_range_noflush; seed 004 on pgd/pmd/pte).
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
#include "mm/mm.h"

bool after_bootmem;

/* trace=paging: the old value is read before the write. */
void __write_pae_entry_traced(enum pgtrace_level level, unsigned long va,
			      volatile uint64_t *p, uint64_t v)
{
	uint64_t old = *p;

	__store_pae_entry(p, v);
	pgtrace_entry(level, va, p, old, v);
}

/* The walk itself, inlined into the range operations below. */
static __always_inline pte_t *walk(pgd_t *pgd, unsigned long va, pmd_t **large)
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

pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long va, pmd_t **large)
{
	return walk(pgd, va, large);
}

pte_t *lookup_address(unsigned long va, pmd_t **large)
{
	return walk(swapper_pg_dir, va, large);
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

/* ------------------------------------------------------------ ranges */

/* The PTE of kernel address va, whose page table must exist. */
static __always_inline pte_t *kernel_pte(unsigned long va)
{
	pmd_t *large;
	pte_t *pte = walk(swapper_pg_dir, va, &large);

	if (!pte)
		panic("pgtable: no page table at %#lx%s", va,
		      large ? " (a 2 MiB page)" : "");
	return pte;
}

/*
 * The range operations walk once per page table: at the first page, then
 * at each 2 MiB boundary; in between the next PTE is the next entry of
 * the same table (the tables themselves need not be contiguous). nr is at
 * least 1.
 */
static __always_inline pte_t *next_kernel_pte(pte_t *pte, unsigned long va)
{
	return pte_index(va) ? pte + 1 : kernel_pte(va);
}

/* The mapper's loop, made twice: for a page array and for frame numbers. */
static __always_inline void map_range(unsigned long addr, unsigned long nr,
				      struct page **pages, unsigned long pfn,
				      pgprot_t prot, bool by_page)
{
	pte_t *pte = kernel_pte(addr);

	for (;;) {
		if (pte_present(*pte))
			panic("pgtable: %#lx already mapped", addr);
		set_pte_at(addr, pte, pfn_pte(by_page ? page_to_pfn(*pages++) : pfn++,
					      prot));
		if (!--nr)
			return;
		addr += PAGE_SIZE;
		pte = next_kernel_pte(pte, addr);
	}
}

void map_kernel_range_noflush(unsigned long addr, unsigned long nr,
			      struct page **pages, unsigned long pfn,
			      pgprot_t prot)
{
	if (pages)
		map_range(addr, nr, pages, 0, prot, true);
	else
		map_range(addr, nr, NULL, pfn, prot, false);
}

void unmap_kernel_range_noflush(unsigned long addr, unsigned long nr)
{
	pte_t *pte = kernel_pte(addr);

	for (;;) {
		if (pte_present(*pte))
			pte_clear(addr, pte);
		if (!--nr)
			return;
		addr += PAGE_SIZE;
		pte = next_kernel_pte(pte, addr);
	}
}

/*
 * Each PTE is cleared before it is rewritten: set_pte_at stores the high
 * half (NX) before the low half (RW), so rewriting in place would show,
 * for a moment, a mix of old and new rights (RW without NX: W+X).
 */
void change_kernel_range_prot_noflush(unsigned long addr, unsigned long nr,
				      pgprot_t prot)
{
	pte_t *pte = kernel_pte(addr);

	for (;;) {
		unsigned long pfn = pte_pfn(*pte);

		if (!pte_present(*pte))
			panic("pgtable: %#lx is not mapped", addr);
		pte_clear(addr, pte);
		set_pte_at(addr, pte, pfn_pte(pfn, prot));
		if (!--nr)
			return;
		addr += PAGE_SIZE;
		pte = next_kernel_pte(pte, addr);
	}
}
