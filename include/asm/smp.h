/* SPDX-License-Identifier: MIT */
/*
 * SMP: the CPUs that are online, starting the others (kernel/smpboot.c,
 * Intel SDM vol. 3A §8.4.4 "MP initialization example"), and the
 * trampoline they start in (kernel/trampoline.asm).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <stdint.h>

/*
 * What the trampoline page carries for the AP being started, at
 * TRAMPOLINE_HEADER in the page; kernel/trampoline.asm reads it through
 * the offsets tools/asm-offsets.c derives from this struct.
 */
struct trampoline_header {
	uint32_t cr0, cr3, cr4;		/* cr3: the trampoline's own PDPT */
	uint32_t efer_nx;		/* set EFER.NXE before paging */
	uint32_t pat_lo, pat_hi;	/* IA32_PAT before paging, if pat_valid */
	uint32_t pat_valid;
	uint32_t stack;			/* the AP's stack top (virtual) */
	uint32_t cpu;			/* its logical number */
	uint32_t entry;			/* start_secondary (virtual) */
	uint32_t pm_jump_offset;	/* far pointer to the 32-bit code */
	uint16_t pm_jump_selector;
	uint16_t gdt_limit;		/* lgdt operand: limit, base */
	uint32_t gdt_base;
	volatile uint32_t started;	/* set by the AP in protected mode */
};

#define TRAMPOLINE_HEADER	0x8	/* the header's offset in the page */
#define TRAMPOLINE_GDT_OFFSET	0x40	/* the flat GDT (trampoline.asm checks) */
#define TRAMPOLINE_PM_OFFSET	0x80	/* the 32-bit entry (checked too) */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include "asm/fixmap.h"

extern unsigned long cpu_online_mask;	/* bit n: CPU n is online; CPU 0 always */
extern void *trampoline_base;		/* the page below 1 MiB, or NULL */

static inline unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountl(
		__atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE));
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS &&
	       (__atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE) & (1UL << cpu));
}

#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++) if (cpu_online(cpu))

void smp_boot_cpus(void);

/* TLB shootdown (mm/tlb.c) */
struct tlb_stats {
	unsigned long shootdowns;	/* flush_tlb_others calls that sent IPIs */
	unsigned long ipis_sent;
	unsigned long ipis_received;
	unsigned long skipped;		/* by the negative-control switch */
};
extern struct tlb_stats tlb_stats;
void tlb_init(void);
#endif

#endif /* ASM_SMP_H */
