/* SPDX-License-Identifier: MIT */
/*
 * Non-contiguous allocation in the vmalloc area, VMALLOC_START to
 * VMALLOC_END (seed 001 ch. 8, seed 000 §5.1; mm/vmalloc.c): virtually
 * contiguous areas of page frames from anywhere (ZONE_HIGHMEM first), each
 * followed by an unmapped guard page.
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include "asm/pgtable.h"
#include "mm/gfp.h"

/* vm_struct.flags */
#define VM_ALLOC	0x01	/* vmalloc: the area owns its pages */
#define VM_MAP		0x02	/* vmap: the caller owns the pages */
#define VM_MODULE	0x04	/* holds a loaded module (kernel/module.c) */
#define VM_IOREMAP	0x08	/* ioremap: physical frames, no struct page */
#define VM_STACK	0x10	/* a thread's stack, with a guard gap below */

struct vm_struct {
	void *addr;			/* where the mapped pages start */
	unsigned long size;		/* bytes, the guard page included */
	unsigned long guard_below;	/* VM_STACK: unmapped bytes before addr */
	unsigned long flags;		/* VM_* */
	struct page **pages;		/* nr_pages entries (VM_ALLOC, VM_MAP) */
	unsigned int nr_pages;		/* VM_IOREMAP: the frames mapped */
	uint64_t phys_addr;		/* VM_IOREMAP: the first frame's address */
	const void *caller;		/* return address of the allocating call */
};

/* Size of the area without its guard page (and without the gap below a
 * stack). */
static inline unsigned long get_vm_area_size(const struct vm_struct *area)
{
	return area->size - PAGE_SIZE;
}

/* Sets up the area allocator; after mem_init (it uses kmalloc). */
void vmalloc_init(void);

/* NULL for size 0, a size larger than the area, or no memory/space. */
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* The internal entry: alignment (a power of two, at least a page),
 * protection, flags and caller given. */
void *__vmalloc(unsigned long size, unsigned long align, pgprot_t prot,
		unsigned long vm_flags, const void *caller);
/*
 * A thread's stack: size bytes (PAGE_KERNEL) whose area also holds
 * guard_below unmapped bytes just below them (a multiple of the page
 * size), so that a stack overflow faults in its own area's guard rather
 * than writing another area. The pages are lowmem (GFP_KERNEL, as
 * Linux's stacks): under QEMU's TCG a stack on the highmem frames the
 * firmware had run from slowed every access the APIC timer's calibration
 * timed until it failed (docs/smp.md). vfree frees it; vmallocinfo types
 * it "stack", its range without the gap.
 */
void *vmalloc_stack(unsigned long size, unsigned long guard_below);

/* 0; -EINVAL (reported, nothing changed) for NULL-free misuse: a pointer
 * that is not the start of a live area, or a double free. vfree(NULL) is
 * a no-op returning 0. */
int vfree(const void *addr);

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot);
int vunmap(const void *addr);

/*
 * ioremap - map the physical range [phys, phys + size) into the vmalloc
 * area, uncached (PAGE_KERNEL_NOCACHE: device registers). The frames need
 * not be RAM nor lie in mem_map, and may be above 4 GiB (below the CPU's
 * MAXPHYADDR). Page granular: returns the address of phys itself (the
 * page offset kept), or NULL, reported, for size 0, a range that wraps or
 * passes MAXPHYADDR, or no space. Mapping RAM this way gives it a second,
 * uncached alias; use ioremap_cache for RAM (firmware tables).
 * ioremap_cache - the same, cached (PAGE_KERNEL, write-back).
 * ioremap_wc - the same, write-combining (PAGE_KERNEL_WC: stores may be
 * merged and delayed, loads are uncached) for a framebuffer; uncached,
 * as ioremap, where the CPU has no PAT (pat_enabled() tells).
 * iounmap - undo either, given any address inside the first mapped page
 * (what ioremap returned); the range is freed like a vfree'd one (PTEs
 * cleared now, TLB flushed by the lazy purge). NULL is a no-op; anything
 * else that ioremap did not return is reported and ignored.
 */
void *ioremap(uint64_t phys, unsigned long size);
void *ioremap_cache(uint64_t phys, unsigned long size);
void *ioremap_wc(uint64_t phys, unsigned long size);
void iounmap(const void *addr);

/* The page behind a vmalloc address, or NULL (also for an ioremap frame
 * outside mem_map). */
struct page *vmalloc_to_page(const void *addr);
/* The live area starting at addr, or NULL. */
struct vm_struct *find_vm_area(const void *addr);
/* The live area whose range, guard page (and a stack's gap below)
 * included, holds addr, or NULL; for fault reports. */
const struct vm_struct *vmalloc_area_of(unsigned long addr);

/* Change the protection of [addr, addr + size) inside a live area (page
 * aligned), flushing the TLB: modules make text RX and rodata R+NX. */
int vmalloc_set_prot(const void *addr, unsigned long size, pgprot_t prot);

/*
 * Lazy purge. vfree/vunmap clear the PTEs (and vfree frees the pages) at
 * once, but leave the TLB flush of the range for later: the range goes on
 * a lazy list and is not handed out again until one flush over the span
 * of every lazy range has been done (vmalloc_stats.purges), which happens
 * when the lazy ranges pass VMAP_LAZY_MAX bytes (guard pages included),
 * when an allocation finds no free range, or on vm_purge_lazy().
 */
#define VMAP_LAZY_MAX	(32UL << 20)
void vm_purge_lazy(void);

/*
 * vmallocinfo_show - one line per live area, in the format of Linux's
 * /proc/vmallocinfo: range (guard page included), size, caller, pages,
 * type; an ioremap area shows phys= instead of pages=. To out: printk (at
 * the end of the boot when the command line says "vmallocinfo", or at a
 * test checkpoint) or the monitor's mon_printf (`vmallocinfo`).
 */
void vmallocinfo_show(int (*out)(const char *fmt, ...));
void vmallocinfo_boot_dump(void);

/* The largest free range of the area, in bytes (its guard page would be
 * part of it): meminfo's VmallocChunk. Freed ranges waiting for the lazy
 * purge are not counted. */
unsigned long vmalloc_largest_free(void);

struct vmalloc_stats {
	unsigned long nr_areas;		/* live areas */
	unsigned long lazy_bytes;	/* freed, not yet flushed */
	unsigned long purges;		/* batched flushes done */
	unsigned long purged_ranges;	/* ranges those flushes released */
	unsigned long bad_frees;	/* misuse reported */
	unsigned long pte_pages;	/* page tables allocated (never freed) */
	unsigned long failed;		/* requests refused or out of space/memory */
};
extern struct vmalloc_stats vmalloc_stats;

/* Calls fn on every live area in address order until it returns nonzero,
 * which it returns (0 after the last). fn must not allocate or free. */
int vmalloc_for_each_area(int (*fn)(const struct vm_struct *area, void *arg),
			  void *arg);

/* Debugging, for tests: the height of the tree of live areas (busy) or of
 * free ranges, and their node counts (every live area counted: asking
 * puts the areas still pending into the busy tree); vmalloc_check() is 0
 * when both trees keep their invariants, the hash of live areas holds
 * exactly the busy tree's, and free, live and lazy ranges tile
 * [VMALLOC_START, VMALLOC_END) exactly, else a negative code. */
int vmalloc_tree_height(bool free_tree);
unsigned long vmalloc_tree_nodes(bool free_tree);
int vmalloc_check(void);

#endif /* MM_VMALLOC_H */
