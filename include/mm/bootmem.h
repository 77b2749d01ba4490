/* SPDX-License-Identifier: MIT */
/*
 * The boot-time allocator (mm/bootmem.c): serves page tables, mem_map and
 * other boot data from the usable e820 ranges until mem_init hands every
 * page it did not give out to the buddy allocator (Gorman ch. 5, "Boot
 * Memory Allocator").
 */
#ifndef MM_BOOTMEM_H
#define MM_BOOTMEM_H

#include <stddef.h>
#include <stdint.h>

/* What a reserved range holds: mem_init's accounting names each. */
enum bootmem_kind {
	BOOTMEM_KERNEL,		/* the kernel image [_text, _end) */
	BOOTMEM_MEM_MAP,	/* struct page array */
	BOOTMEM_PAGETABLE,	/* swapper_pg_dir's PMDs and page tables */
	BOOTMEM_DATA,		/* other boot allocations */
	BOOTMEM_FIRMWARE,	/* frames kept back on purpose (page 0) */
	BOOTMEM_MODULES,	/* module blobs the loader left in memory */
	BOOTMEM_INITRD,		/* the initramfs archive, kept for good */
	NR_BOOTMEM_KINDS
};

extern const char *const bootmem_kind_name[NR_BOOTMEM_KINDS];

/* Pages of e820 RAM each kind holds, and the pages handed to the buddy
 * allocator, as counted by free_all_bootmem(). */
struct bootmem_accounting {
	unsigned long ram_pages;	/* RAM frames bootmem was given */
	unsigned long kind_pages[NR_BOOTMEM_KINDS];
	unsigned long freed_pages;	/* went to the buddy allocator */
};
extern struct bootmem_accounting bootmem_accounting;

/* RAM (whole pages within [base, base + size)); -ENOSPC when the table is
 * full. */
int bootmem_add_memory(uint64_t base, uint64_t size);

/* Keep [base, base + size) (widened to pages) from the buddy allocator;
 * -EBUSY when it overlaps an earlier reservation, -ENOSPC when full. */
int reserve_bootmem(uint64_t base, uint64_t size, enum bootmem_kind kind);

/* Drop the reservations inside [base, base + size); 0 or -ENOSPC. */
int free_bootmem(uint64_t base, uint64_t size);

/* Allocations come from frames below this one (the direct map). */
void bootmem_set_limit(unsigned long limit_pfn);

/*
 * Zeroed, page-aligned memory of at least size bytes at the lowest free
 * address at or above goal (else the lowest anywhere), as a direct-map
 * address. Running out this early is fatal: it panics.
 */
void *__alloc_bootmem(size_t size, uint64_t goal, enum bootmem_kind kind);
#define alloc_bootmem_pages(size, kind)	__alloc_bootmem(size, 0, kind)
/* The same, NULL when nothing fits: for what the boot can do without (a
 * module blob). */
void *__alloc_bootmem_nopanic(size_t size, uint64_t goal, enum bootmem_kind kind);

/* The RAM frames bootmem was given within [start_pfn, end_pfn), holes
 * left out: a zone's present pages (the table stays after mem_init). */
unsigned long bootmem_ram_pages(unsigned long start_pfn, unsigned long end_pfn);

/* Hands every RAM page nobody reserved to the buddy allocator and retires
 * bootmem; returns the pages freed. */
unsigned long free_all_bootmem(void);
void *__alloc_bootmem_below(size_t size, uint64_t limit, enum bootmem_kind kind);

#endif /* MM_BOOTMEM_H */
