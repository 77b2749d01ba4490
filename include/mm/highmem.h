/* SPDX-License-Identifier: MIT */
/*
 * High memory: kmap()/kunmap() through the PKMap area with its lazy
 * global TLB flush, and kmap_atomic() through per-CPU fixmap slots
 * (seed 003 §10.1; Gorman ch. 10; mm/highmem.c).
 *
 * pkmap_count[i], as the reference text states it:
 *   0  the slot is free and no TLB holds a translation for it;
 *   1  the slot is unused but its old mapping may still be cached in a
 *      TLB: it becomes free at the next flush_all_zero_pkmaps();
 *   n  the slot is mapped and has n - 1 users.
 */
#ifndef MM_HIGHMEM_H
#define MM_HIGHMEM_H

#include <stdbool.h>
#include "asm/memlayout.h"
#include "asm/pgtable.h"
#include "mm/gfp.h"
#include "mm/mm.h"

/* The map and unmap calls take their arguments in registers, as in
 * Linux's i386 build (-mregparm=3); mm/slab.h has the same definition. */
#ifndef __regparm
#define __regparm	__attribute__((regparm(3)))
#endif

#define LAST_PKMAP_MASK		(LAST_PKMAP - 1)
#define PKMAP_NR(virt)		(((unsigned long)(virt) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_ADDR(nr)		(PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))

extern pte_t *pkmap_page_table;
extern int pkmap_count[LAST_PKMAP];
extern unsigned int last_pkmap_nr;

/* Counters for tests and benchmarks. */
struct kmap_stats {
	unsigned long pkmap_wraps;	/* calls of flush_all_zero_pkmaps() */
	unsigned long global_flushes;	/* TLB flushes of the whole pkmap range */
	unsigned long single_flushes;	/* invlpg of one page */
	unsigned long kmap_waits;	/* kmap() found every slot busy */
	unsigned long bad_kunmaps;	/* misuse reported by kunmap() */
	unsigned long bad_atomic;	/* misuse reported by kmap_atomic() */
};
extern struct kmap_stats kmap_stats;

/* Boot: the page tables of the fixmap and PKMap ranges, so that no mapping
 * path ever allocates (fixrange_init, permanent_kmaps_init). */
void fixrange_init(void);
void permanent_kmaps_init(void);

/* A kernel address for page until kunmap(page); may sleep on
 * pkmap_map_wait for a free slot, so not from interrupt handlers. Lowmem
 * pages: their direct-map address. */
void *kmap(struct page *page);
/* 0, or -EINVAL when page is not kmapped (reported, nothing changed). */
int kunmap(struct page *page);
void __regparm *kmap_high(struct page *page);
int __regparm kunmap_high(struct page *page);

/* Inside the kernel a lowmem page costs a flag test (modules call the
 * exported functions, which do the same). */
static __always_inline void *__kmap(struct page *page)
{
	if (!PageHighMem(page))
		return page_address(page);
	return kmap_high(page);
}

static __always_inline int __kunmap(struct page *page)
{
	if (!PageHighMem(page))
		return 0;
	return kunmap_high(page);
}

#ifndef MODULE
#define kmap(page)	__kmap(page)
#define kunmap(page)	__kunmap(page)
#endif

/* Frees every unused slot now, with one global flush. */
void kmap_flush_unused(void);

/* The kernel address of a mapped highmem page, or NULL. */
void *page_address_highmem(const struct page *page);

/*
 * Short mappings through this CPU's fixmap slots, strictly nested: usable
 * with interrupts off and in interrupt handlers. From kmap_atomic to its
 * kunmap_atomic preemption and page-fault handling are disabled (lowmem
 * pages included), so the holder must not sleep. kmap_atomic returns NULL
 * (reported, nothing held) beyond KM_TYPE_NR levels; kunmap_atomic of an
 * address that is not the innermost mapping, or with no kmap_atomic held,
 * is reported and ignored (-EINVAL).
 */
void __regparm *kmap_atomic(struct page *page);
int __regparm kunmap_atomic(void *vaddr);
/* How many kmap_atomic mappings this CPU holds now. */
int kmap_atomic_depth(void);
/* Clear them all and empty the stack (the holder was ended by an oops,
 * make_task_dead); returns how many there were. */
int kmap_atomic_drop_all(void);

/*
 * Up to n order-0 pages from ZONE_HIGHMEM alone into pages[]; how many it
 * got. A page from a lower zone (highmem exhausted) is given back at once.
 * For the workloads that must exercise kmap (tests, the lazy-flush stress).
 */
static inline unsigned int alloc_highmem_pages(struct page **pages, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i])
			break;
		if (!PageHighMem(pages[i])) {
			__free_page(pages[i]);
			break;
		}
	}
	return i;
}

/* The PKMap area at one instant, taken under kmap_lock (the monitor's
 * `pkmap`): each slot's count and frame (0 when it maps none). */
struct pkmap_snapshot {
	int count[LAST_PKMAP];
	unsigned long pfn[LAST_PKMAP];
	unsigned int last_pkmap_nr;
	struct kmap_stats stats;
};
void pkmap_snapshot(struct pkmap_snapshot *snap);

/* Every busy pkmap slot and its frame, one line each (oracle checkpoints). */
void pkmap_show(void);
/* Live kmap, kmap_atomic and fixmap mappings, printed, for the harness to
 * compare with the emulator's page-table walk; and their release. */
void highmem_checkpoint_begin(void);
void highmem_checkpoint_end(void);

#endif /* MM_HIGHMEM_H */
