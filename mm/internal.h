/* SPDX-License-Identifier: MIT */
/*
 * What mm/mmap.c (VMAs) and mm/memory.c (page tables, faults) share, and
 * nothing else includes (Linux's mm/internal.h plays the same part).
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "mm/mm.h"
#include "mm/mmap.h"

/*
 * A PROT_NONE page keeps its frame in a PTE that is not present, marked
 * with the global bit (Linux's _PAGE_PROTNONE): mprotect back to a real
 * protection makes it present again. User PTEs are never global.
 */
#define _PAGE_PROTNONE		_PAGE_GLOBAL

static inline bool pte_none(pte_t pte) { return pte.pte == 0; }
/* The PTE holds a frame: present, or PROT_NONE. */
static inline bool pte_has_page(pte_t pte)
{
	return (pte.pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) != 0;
}

/* The counters behind mm_user_get_stats (updated atomically). */
extern struct mm_user_stats mm_stats;
#define mm_stat_add(field, n) \
	__atomic_add_fetch(&mm_stats.field, (unsigned long)(n), __ATOMIC_RELAXED)
#define mm_stat_sub(field, n) \
	__atomic_sub_fetch(&mm_stats.field, (unsigned long)(n), __ATOMIC_RELAXED)

/*
 * Pages and page tables taken out of an mm, freed only after the TLBs
 * of every CPU that may hold their translations are flushed (Linux's
 * mmu_gather): another CPU could otherwise still read a freed page, or
 * walk a freed table, through a stale entry.
 */
#define MMU_GATHER_BATCH	32
struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	/* the range flushed */
	unsigned int nr_pages, nr_tables;
	struct page *pages[MMU_GATHER_BATCH];	/* user pages: one reference each */
	struct page *tables[MMU_GATHER_BATCH];	/* empty PTE pages */
};

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
/* Flush what was gathered, then free it. */
void tlb_finish_mmu(struct mmu_gather *tlb);

/* A user page reference more, or less: the last one frees the page.
 * Atomic, as two mms sharing a page copy on write may be on two CPUs. */
void get_user_page(struct page *page);
void put_user_page(struct page *page);

/* The PTE protection bits of a VMA with these VM_* flags: private
 * writable VMAs get read-only PTEs (copy on write at the first write). */
pgprot_t vm_get_page_prot(unsigned long vm_flags);

/* Page tables of [start, end) within vma, under mm->page_table_lock. */
void zap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
		    unsigned long start, unsigned long end);
/* Every PTE page of mm left empty in [start, end) freed (gathered). */
void free_pgtables(struct mmu_gather *tlb, unsigned long start, unsigned long end);
/* The PTEs of [start, end) get vma's (new) vm_page_prot; flushes. */
void change_protection(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end);
/* fork: dst's PTEs for vma (already in dst) from src's, copy on write.
 * Returns whether a parent PTE was write-protected (the caller flushes),
 * or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		    struct vm_area_struct *vma);
/* vma's page at address present, whatever the VMA's rights (a shared
 * anonymous mapping gets all its pages at mmap); VM_FAULT_*. */
int populate_page(struct vm_area_struct *vma, unsigned long address);
/* The fault path under mm->page_table_lock (mm/memory.c). */
int __handle_mm_fault(struct mm_struct *mm, unsigned long address,
		      unsigned int error_code);
/* fork: mm (new, empty) gets a copy of oldmm's VMAs and page tables,
 * copy on write; 0 or -ENOMEM (the caller then mmputs mm). */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);
/* Every VMA, page and PTE page of mm freed (its last user left). */
void exit_mmap(struct mm_struct *mm);
/* Grow stack VMA vma down to hold address; 0 or -ENOMEM (mm/mmap.c). */
int expand_stack(struct vm_area_struct *vma, unsigned long address);
/* The VMA holding addr, or NULL. */
struct vm_area_struct *find_vma_containing(struct mm_struct *mm, unsigned long addr);
/* What /proc/PID/maps names vma: its file, [heap], [stack], or NULL. */
const char *vma_name(struct vm_area_struct *vma, char *buf, size_t size);

#endif /* MM_INTERNAL_H */
