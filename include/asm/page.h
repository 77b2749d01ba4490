/* SPDX-License-Identifier: MIT */
/*
 * Page sizes, PAE paging constants and the __pa/__va conversions of the
 * 3 GiB / 1 GiB split (seeds 000 §5.1, 002 §3.4; Intel SDM vol. 3A §4.4).
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1 << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* PAE: 4 PDPT entries, 512 entries per page directory and page table. */
#define PTRS_PER_PGD	4
#define PTRS_PER_PMD	512
#define PTRS_PER_PTE	512
#define PMD_SHIFT	21
#define PMD_SIZE	(1 << PMD_SHIFT)	/* 2 MiB: one PDE, or one large page */
#define PMD_MASK	(~(PMD_SIZE - 1UL))
#define PGDIR_SHIFT	30

#define __PAGE_OFFSET	0xC0000000
#define PAGE_OFFSET	((unsigned long)__PAGE_OFFSET)

/* Entry bits (the low 12 of every level; NX is bit 63). */
#define _PAGE_PRESENT	0x001
#define _PAGE_RW	0x002
#define _PAGE_USER	0x004
#define _PAGE_PWT	0x008
#define _PAGE_PCD	0x010
#define _PAGE_ACCESSED	0x020
#define _PAGE_DIRTY	0x040
#define _PAGE_PSE	0x080	/* in a PDE: maps a 2 MiB page */
#define _PAGE_GLOBAL	0x100
#define _PAGE_NX	(1ULL << 63)

#ifndef __ASSEMBLER__
#define __pa(x)		((unsigned long)(x) - PAGE_OFFSET)
#define __va(x)		((void *)((unsigned long)(x) + PAGE_OFFSET))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#endif

#endif /* ASM_PAGE_H */
