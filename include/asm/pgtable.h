/* SPDX-License-Identifier: MIT */
/*
 * PAE page-table entry types and the helpers through which every entry is
 * written (Intel SDM vol. 3A §4.4; seed 004 on pgd/pmd/pte).
 *
 * The write-order rule: a PAE entry is 64 bits but this CPU stores 32 at a
 * time, and the MMU may walk the table between the two stores. A present
 * entry is therefore written high half first, then the low half holding
 * the present bit; an entry is cleared low half first, so the walker never
 * sees a present entry with a half-old address. set_pte_at/pte_clear and
 * their pmd/pgd twins are the only writers.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "asm/page.h"
#include "asm/x86.h"
#include "mm/pgtrace.h"

typedef struct { uint64_t pgd; } pgd_t;	/* a PDPT entry */
typedef struct { uint64_t pmd; } pmd_t;	/* a page-directory entry */
typedef struct { uint64_t pte; } pte_t;	/* a page-table entry */

static inline void __set_pae_entry(volatile uint32_t *half, uint64_t v)
{
	half[1] = (uint32_t)(v >> 32);
	barrier();	/* keep the order */
	half[0] = (uint32_t)v;
}

static inline void __clear_pae_entry(volatile uint32_t *half)
{
	half[0] = 0;
	barrier();
	half[1] = 0;
}

/*
 * Every writer names the virtual address the entry covers (as Linux's
 * set_pte_at and pte_clear do), so that "trace=paging" can say what
 * changed (mm/pgtrace.c).
 */
static inline void __store_pae_entry(volatile uint64_t *p, uint64_t v)
{
	if (v)
		__set_pae_entry((volatile uint32_t *)p, v);
	else
		__clear_pae_entry((volatile uint32_t *)p);
}

/* The traced write (mm/pgtable.c), kept out of line: the untraced one,
 * a flag test and two stores, is every caller's common path. */
void __write_pae_entry_traced(enum pgtrace_level level, unsigned long va,
			      volatile uint64_t *p, uint64_t v);

static inline void __write_pae_entry(enum pgtrace_level level,
				     unsigned long va, volatile uint64_t *p,
				     uint64_t v)
{
	if (__builtin_expect(pgtrace_enabled, 0))
		__write_pae_entry_traced(level, va, p, v);
	else
		__store_pae_entry(p, v);
}

static inline void set_pgd_at(unsigned long va, pgd_t *p, pgd_t v)
{
	__write_pae_entry(PGTRACE_PGD, va, &p->pgd, v.pgd);
}

static inline void pgd_clear(unsigned long va, pgd_t *p)
{
	__write_pae_entry(PGTRACE_PGD, va, &p->pgd, 0);
}

static inline void set_pmd_at(unsigned long va, pmd_t *p, pmd_t v)
{
	__write_pae_entry(PGTRACE_PMD, va, &p->pmd, v.pmd);
}

static inline void pmd_clear(unsigned long va, pmd_t *p)
{
	__write_pae_entry(PGTRACE_PMD, va, &p->pmd, 0);
}

static inline void set_pte_at(unsigned long va, pte_t *p, pte_t v)
{
	__write_pae_entry(PGTRACE_PTE, va, &p->pte, v.pte);
}

static inline void pte_clear(unsigned long va, pte_t *p)
{
	__write_pae_entry(PGTRACE_PTE, va, &p->pte, 0);
}

/*
 * A page-table page fresh from the allocator, all zero (allocated zeroed or
 * cleared by the caller), before its first entry is written: the paging
 * trace then forgets what the page held in an earlier life.
 */
static inline void pgtable_page_zeroed(const void *table)
{
	if (pgtrace_enabled)
		pgtrace_table(table);
}

static inline bool pgd_present(pgd_t v) { return (v.pgd & _PAGE_PRESENT) != 0; }
static inline bool pmd_present(pmd_t v) { return (v.pmd & _PAGE_PRESENT) != 0; }
static inline bool pte_present(pte_t v) { return (v.pte & _PAGE_PRESENT) != 0; }

#define pgd_index(va)	(((unsigned long)(va) >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1))
#define pmd_index(va)	(((unsigned long)(va) >> PMD_SHIFT) & (PTRS_PER_PMD - 1))
#define pte_index(va)	(((unsigned long)(va) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))

/*
 * Protections of kernel mappings. _PAGE_NX and _PAGE_GLOBAL are set only
 * where the CPU has them: __supported_pte_mask drops them otherwise (on a
 * CPU without NX every mapping stays executable).
 */
typedef struct { uint64_t pgprot; } pgprot_t;

extern uint64_t __supported_pte_mask;

#define __PAGE_KERNEL_BASE	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL		((pgprot_t){ __PAGE_KERNEL_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX })
#define PAGE_KERNEL_RO		((pgprot_t){ __PAGE_KERNEL_BASE | _PAGE_NX })
#define PAGE_KERNEL_RX		((pgprot_t){ __PAGE_KERNEL_BASE })
#define PAGE_KERNEL_NOCACHE	((pgprot_t){ __PAGE_KERNEL_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX | _PAGE_PCD | _PAGE_PWT })
/* Write-combining: PWT alone, PAT index 1, once pat_init has programmed
 * IA32_PAT (asm/processor-flags.h); meaningful only when pat_enabled. */
#define PAGE_KERNEL_WC		((pgprot_t){ __PAGE_KERNEL_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX | _PAGE_PWT })
/* A page directory or PDPT entry pointing at a table below it. */
#define _KERNPG_TABLE		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_TABLE_PDPT	_PAGE_PRESENT	/* PDPTEs allow nothing else */

#define PTE_PFN_MASK		0x000ffffffffff000ULL

static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return (pte_t){ ((uint64_t)pfn << PAGE_SHIFT) |
			(prot.pgprot & __supported_pte_mask) };
}

/* A 2 MiB page mapped by a page-directory entry. */
static inline pmd_t pfn_pmd_large(unsigned long pfn, pgprot_t prot)
{
	return (pmd_t){ ((uint64_t)pfn << PAGE_SHIFT) | _PAGE_PSE |
			(prot.pgprot & __supported_pte_mask) };
}

static inline pmd_t __pmd_table(uint64_t table_phys)
{
	return (pmd_t){ table_phys | _KERNPG_TABLE };
}

static inline pgd_t __pgd_table(uint64_t pmd_phys)
{
	return (pgd_t){ pmd_phys | _PAGE_TABLE_PDPT };
}

static inline uint64_t pmd_pfn_phys(pmd_t v) { return v.pmd & PTE_PFN_MASK; }
static inline uint64_t pgd_pfn_phys(pgd_t v) { return v.pgd & PTE_PFN_MASK; }
static inline bool pmd_large(pmd_t v) { return (v.pmd & _PAGE_PSE) != 0; }

static inline unsigned long pte_pfn(pte_t v)
{
	return (unsigned long)((v.pte & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* The kernel's page tables: the PDPT, and the PMD page behind slot 3
 * that every address space shares. */
extern pgd_t swapper_pg_dir[PTRS_PER_PGD];

/*
 * One level down at a time (mm/pgtable.c walks with these). A PDPT may be
 * the kernel's or another; the PMD and page-table pages the kernel
 * allocates are lowmem, reached through the direct map. Each step assumes
 * the entry above is present and not a 2 MiB page.
 */
static inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long va)
{
	return pgd + pgd_index(va);
}

static inline pgd_t *pgd_offset_k(unsigned long va)
{
	return pgd_offset_pgd(swapper_pg_dir, va);
}

static inline pmd_t *pmd_offset(pgd_t *pgd, unsigned long va)
{
	return (pmd_t *)__va(pgd_pfn_phys(*pgd)) + pmd_index(va);
}

static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long va)
{
	return (pte_t *)__va(pmd_pfn_phys(*pmd)) + pte_index(va);
}

/*
 * The walker (mm/pgtable.c). lookup_address_in_pgd: the entry mapping va
 * in the tables under pgd, or NULL when no page table covers it (a hole,
 * or a 2 MiB page: then *large is set to its PMD entry, else to NULL).
 * lookup_address: the same in swapper_pg_dir.
 */
pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long va, pmd_t **large);
pte_t *lookup_address(unsigned long va, pmd_t **large);

/* The PMD entry of kernel address va; the kernel PMD exists from
 * pagetable_init on, and a user address here is a bug (panic). */
pmd_t *pmd_off_k(unsigned long va);

/*
 * The one allocation of kernel page-table pages, zeroed and traced: from
 * bootmem until mem_init retires it (after_bootmem), from the buddy
 * allocator's lowmem after. pmd_alloc installs a PMD page at *pgd unless
 * one is there and returns va's PMD entry; pte_alloc_kernel installs a
 * page table at *pmd likewise and returns va's PTE (a 2 MiB page there
 * is a bug: panic). NULL when the buddy allocator has no page (bootmem
 * panics instead). A PDPT entry is read by the CPU only when CR3 is
 * loaded: pmd_alloc is for a PDPT not in use.
 */
extern bool after_bootmem;
pmd_t *pmd_alloc(pgd_t *pgd, unsigned long va);
pte_t *pte_alloc_kernel(pmd_t *pmd, unsigned long va);

/* A fresh page table for the 2 MiB at va, whose PMD entry must be empty;
 * returns its first entry (fixmap, pkmap: tables set up once at boot). */
pte_t *one_page_table_init(unsigned long va);

/*
 * Page ranges of the kernel's own tables, whose page tables exist (the
 * vmalloc area's, made by vmalloc_init); nr pages from addr, nr > 0, and
 * no TLB flush: the caller flushes (or knows the range is flushed).
 * map_kernel_range_noflush maps frames in order: those of pages[] when
 * pages is given, else pfn, pfn + 1, ...; each PTE must be clear.
 * unmap_kernel_range_noflush clears the PTEs.
 * change_kernel_range_prot_noflush gives each mapped page prot, its frame
 * kept. A missing page table, a PTE already set (map) or not set (prot)
 * is a bug: panic.
 */
struct page;
void map_kernel_range_noflush(unsigned long addr, unsigned long nr,
			      struct page **pages, unsigned long pfn,
			      pgprot_t prot);
void unmap_kernel_range_noflush(unsigned long addr, unsigned long nr);
void change_kernel_range_prot_noflush(unsigned long addr, unsigned long nr,
				      pgprot_t prot);

/* The provisional tables built by kernel/head.asm. */
extern pgd_t initial_pg_dir[PTRS_PER_PGD];
extern pmd_t initial_pg_pmd[PTRS_PER_PMD];

#endif /* ASM_PGTABLE_H */
