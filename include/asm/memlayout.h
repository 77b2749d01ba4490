/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual address map, all of it, in one place (seed 000
 * §5.1 and figure 5.1; seed 002 §3.4.2 "the fourth gigabyte"; seed 003
 * §10.1). With the defaults:
 *
 *   0x00000000 .. 0xBFFFFFFF  user space, 3 GiB; page 0 never mapped
 *   PAGE_OFFSET  0xC0000000   the direct map: virt = phys + PAGE_OFFSET;
 *                             the kernel image at PAGE_OFFSET + 16 MiB,
 *                             mem_map after it
 *   high_memory               end of the direct map: min(RAM, MAXMEM)
 *                             MAXMEM = 1 GiB - VMALLOC_RESERVE (128 MiB)
 *                             = 896 MiB, so high_memory <= 0xF8000000
 *   VMALLOC_START             high_memory + VMALLOC_OFFSET (an 8 MiB gap),
 *                             rounded up to 8 MiB
 *   VMALLOC_END               PKMAP_BASE - 2 pages (the two-page gap)
 *   PKMAP_BASE   0xFE000000   LAST_PKMAP = 512 kmap() slots (one PAE page
 *                             table: 2 MiB)
 *   FIXADDR_START             FIXADDR_TOP - the fixmap's size
 *   FIXADDR_TOP  0xFFFFE000   fixmap slot 0; slots grow down
 *                             (include/asm/fixmap.h)
 *
 * vmalloc= changes VMALLOC_RESERVE and so MAXMEM and high_memory, within
 * bounds derived below from this layout.
 */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

#include "asm/fixmap.h"
#include "asm/page.h"

#define VMALLOC_OFFSET		(8UL << 20)
#define __VMALLOC_RESERVE_DEFAULT (128UL << 20)

#ifndef __ASSEMBLER__
extern unsigned long __VMALLOC_RESERVE;	/* vmalloc= */
extern void *high_memory;
#endif

#define VMALLOC_RESERVE		__VMALLOC_RESERVE
#define MAXMEM			(-PAGE_OFFSET - __VMALLOC_RESERVE)

/* The vmalloc area's start for a direct map ending at virtual address hm. */
#define __VMALLOC_START(hm)	((((hm) + VMALLOC_OFFSET) + VMALLOC_OFFSET - 1) & \
				 ~(VMALLOC_OFFSET - 1))
#define VMALLOC_START	__VMALLOC_START((unsigned long)high_memory)
#define PKMAP_BASE	0xfe000000UL
#define LAST_PKMAP	PTRS_PER_PTE
#define PKMAP_END	(PKMAP_BASE + LAST_PKMAP * PAGE_SIZE)
#define VMALLOC_END	(PKMAP_BASE - 2 * PAGE_SIZE)

_Static_assert(PKMAP_END <= 0xffe00000UL, "pkmap runs into the fixmap table");

/*
 * Bounds for vmalloc=. The area is smallest when RAM reaches MAXMEM:
 * high_memory is then 4 GiB - reserve, and VMALLOC_START the 8 MiB
 * boundary at or above high_memory + VMALLOC_OFFSET. The smallest reserve
 * is the one that still leaves VMALLOC_AREA_MIN there: it puts
 * VMALLOC_START at the last 8 MiB boundary that many bytes below
 * VMALLOC_END, so reserve = 4 GiB + VMALLOC_OFFSET - that boundary.
 *
 * VMALLOC_AREA_MIN is what the kernel itself needs at the least: its own
 * test suite's largest working set, 3000 one-page areas with their guard
 * pages (23.4 MiB, vmalloc.trees_stay_balanced), next to a boot's own
 * areas (a 1280x800 framebuffer's 3.9 MiB, the modules, thread stacks).
 * One page and its guard would be enough to start, but an area of 8, 16
 * or 24 MiB (vmalloc=48M, 56M, 64M) fails the kernel's own vmalloc,
 * module and thread cases. With the layout above the bound comes to 72M,
 * the area to 32 MiB - 8 KiB.
 *
 * The largest reserve leaves a direct map of 256 MiB: the kernel image
 * at 16 MiB, mem_map and the boot's page tables, with room to spare.
 */
#define VMALLOC_AREA_MIN	(28UL << 20)
#define VMALLOC_RESERVE_MIN	((unsigned long)((1ULL << 32) + VMALLOC_OFFSET - \
				 ((VMALLOC_END - VMALLOC_AREA_MIN) & ~(VMALLOC_OFFSET - 1))))
#define VMALLOC_RESERVE_MAX	(768UL << 20)

/* The derivation holds: the smallest reserve leaves enough, one 2 MiB
 * step less does not (vmalloc= rounds up to 2 MiB). */
_Static_assert(VMALLOC_END - __VMALLOC_START((unsigned long)((1ULL << 32) -
	       VMALLOC_RESERVE_MIN)) >= VMALLOC_AREA_MIN, "vmalloc=: minimum too small");
_Static_assert(VMALLOC_END - __VMALLOC_START((unsigned long)((1ULL << 32) -
	       VMALLOC_RESERVE_MIN + PMD_SIZE)) < VMALLOC_AREA_MIN,
	       "vmalloc=: minimum larger than it needs to be");
_Static_assert(VMALLOC_RESERVE_MIN % PMD_SIZE == 0, "vmalloc=: minimum not in 2 MiB");

#endif /* ASM_MEMLAYOUT_H */
