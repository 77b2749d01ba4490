/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual address map, all of it, in one place (seed 000
 * §5.1 and figure 5.1; seed 002 §3.4.2 "the fourth gigabyte"; seed 003
 * §10.1). With the defaults:
 *
 *   0x00000000 .. 0xBFFFFFFF  user space, 3 GiB; page 0 never mapped
 *   PAGE_OFFSET  0xC0000000   the direct map: virt = phys + PAGE_OFFSET;
 *                             the kernel image at PAGE_OFFSET + its base
 *                             (16 MiB unless the loader moved it),
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
 * vmalloc= changes VMALLOC_RESERVE and so MAXMEM and high_memory.
 */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

#include "asm/fixmap.h"
#include "asm/page.h"

#define VMALLOC_OFFSET		(8UL << 20)
#define __VMALLOC_RESERVE_DEFAULT (128UL << 20)
/* Bounds for vmalloc=: room for the gap, pkmap, fixmap and some vmalloc
 * space at least; and a direct map that still holds the kernel. */
#define VMALLOC_RESERVE_MIN	(32UL << 20)
#define VMALLOC_RESERVE_MAX	(768UL << 20)

#ifndef __ASSEMBLER__
extern unsigned long __VMALLOC_RESERVE;	/* vmalloc= */
extern void *high_memory;
#endif

#define VMALLOC_RESERVE		__VMALLOC_RESERVE
#define MAXMEM			(-PAGE_OFFSET - __VMALLOC_RESERVE)

#define VMALLOC_START	((((unsigned long)high_memory + VMALLOC_OFFSET) + \
			  VMALLOC_OFFSET - 1) & ~(VMALLOC_OFFSET - 1))
#define PKMAP_BASE	0xfe000000UL
#define LAST_PKMAP	PTRS_PER_PTE
#define PKMAP_END	(PKMAP_BASE + LAST_PKMAP * PAGE_SIZE)
#define VMALLOC_END	(PKMAP_BASE - 2 * PAGE_SIZE)

_Static_assert(PKMAP_END <= 0xffe00000UL, "pkmap runs into the fixmap table");

#endif /* ASM_MEMLAYOUT_H */
