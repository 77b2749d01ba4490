/* SPDX-License-Identifier: MIT */
/*
 * Fixed virtual addresses at the top of the kernel's address space (seed
 * 000 §5.1, FIXADDR_START..FIXADDR_TOP): each slot is one page whose frame
 * is chosen at run time, index 0 at the top, growing down.
 */
#ifndef ASM_FIXMAP_H
#define ASM_FIXMAP_H

#include "asm/page.h"

#define NR_CPUS		8	/* the most CPUs this kernel runs on */
#define MAX_IO_APICS	8
#define KM_TYPE_NR	16	/* kmap_atomic slots per CPU (nesting depth) */

enum fixed_addresses {
	FIX_HOLE,		/* the page at FIXADDR_TOP stays unmapped */
	FIX_APIC_BASE,		/* local APIC registers */
	FIX_IO_APIC_BASE_0,
	FIX_IO_APIC_BASE_END = FIX_IO_APIC_BASE_0 + MAX_IO_APICS - 1,
	FIX_KMAP_BEGIN,		/* kmap_atomic: KM_TYPE_NR per CPU */
	FIX_KMAP_END = FIX_KMAP_BEGIN + KM_TYPE_NR * NR_CPUS - 1,
	__end_of_fixed_addresses
};

#define FIXADDR_TOP	0xffffe000UL	/* one page below the end of the address space */
#define __FIXADDR_SIZE	((unsigned long)__end_of_fixed_addresses << PAGE_SHIFT)
#define FIXADDR_START	(FIXADDR_TOP - __FIXADDR_SIZE)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "asm/pgtable.h"

/* Map slot idx to phys (mm/fixmap.c); the _nocache form for MMIO sets
 * PCD|PWT. clear_fixmap unmaps it. Each flushes the slot's TLB entry. */
void __set_fixmap(enum fixed_addresses idx, uint64_t phys, pgprot_t prot);
#define set_fixmap(idx, phys)		__set_fixmap(idx, phys, PAGE_KERNEL)
#define set_fixmap_nocache(idx, phys)	__set_fixmap(idx, phys, PAGE_KERNEL_NOCACHE)
void clear_fixmap(enum fixed_addresses idx);
pte_t *fixmap_pte(enum fixed_addresses idx);
void fixmap_show(void);
#endif

#define __fix_to_virt(x)	(FIXADDR_TOP - ((unsigned long)(x) << PAGE_SHIFT))
#define __virt_to_fix(x)	((FIXADDR_TOP - ((x) & PAGE_MASK)) >> PAGE_SHIFT)

#ifndef __ASSEMBLER__
/* A slot index known at compile time is checked at compile time: a
 * constant out of range fails the build. */
extern void __this_fixmap_does_not_exist(void);

static inline __attribute__((always_inline)) unsigned long fix_to_virt(unsigned int idx)
{
	if (__builtin_constant_p(idx) && idx >= __end_of_fixed_addresses)
		__this_fixmap_does_not_exist();
	return __fix_to_virt(idx);
}

/* The slot of a fixmap address; out-of-range addresses are a bug. */
static inline unsigned int virt_to_fix(unsigned long vaddr)
{
	if (vaddr >= FIXADDR_TOP || vaddr < FIXADDR_START)
		__builtin_trap();
	return __virt_to_fix(vaddr);
}
#endif

/* The whole fixmap lies in the last page table (0xFFE00000 up), so one
 * table allocated at boot serves every slot. */
_Static_assert(FIXADDR_TOP - __FIXADDR_SIZE >= 0xffe00000UL,
	       "fixmap outgrew its page table");

#endif /* ASM_FIXMAP_H */
