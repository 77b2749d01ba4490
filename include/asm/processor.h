/* SPDX-License-Identifier: MIT */
/*
 * What CPUID says about the boot CPU (Intel SDM vol. 2A, CPUID; vol. 3A
 * §4.1.4 for MAXPHYADDR), and the page attribute table (§11.12).
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdbool.h>
#include <stdint.h>

struct cpuinfo_x86 {
	char vendor[13];
	uint8_t family, model, stepping;
	uint32_t max_leaf, max_ext_leaf;
	uint32_t edx1, ecx1;		/* leaf 1 */
	uint32_t ext_edx1, ext_ecx1;	/* leaf 0x80000001 */
	char model_id[49];		/* brand string, if any */
	/* MAXPHYADDR: CPUID 0x80000008 EAX[7:0], or without that leaf 36
	 * with PAE and PSE-36, else 32 (kernel/cpu.c says why); at most
	 * 44, where this kernel's 32-bit frame numbers end. A PAE entry
	 * pointing at or above 1 << x86_phys_bits sets reserved bits. */
	uint8_t x86_phys_bits;
};

extern struct cpuinfo_x86 boot_cpu_data;

void identify_boot_cpu(void);
void print_cpu_info(void);

bool boot_cpu_has_pae(void);
bool boot_cpu_has_nx(void);
bool boot_cpu_has_pge(void);
bool boot_cpu_has_pse(void);
bool boot_cpu_has_apic(void);
bool boot_cpu_has_pat(void);

/*
 * pat_init - program IA32_PAT with the kernel's memory types
 * (asm/processor-flags.h) on the boot CPU, before any mapping uses PWT
 * alone; the APs write the same value in the trampoline. Where the CPU
 * has no PAT (or no MSRs) it says so once and nothing changes.
 * pat_enabled - whether it did: PAGE_KERNEL_WC means write-combining.
 */
void pat_init(void);
/* Allows SSE (CR4.OSFXSR) where the CPU has it, for memset's zero fills;
 * the APs copy the boot CPU's CR0 and CR4. */
void sse_clear_init(void);
bool pat_enabled(void);

/*
 * pte_memtype - the memory type ("WB", "WC", "UC-", "UC", "WT", "WP") that
 * a leaf entry's PAT, PCD and PWT bits select in IA32_PAT as it stands:
 * the kernel's value once pat_init programmed it, else the power-on one.
 * The PAT bit is bit 7 of a 4 KiB PTE and bit 12 of a 2 MiB PMD entry
 * (large). MTRRs, which can override it, are not consulted.
 */
const char *pte_memtype(uint64_t entry, bool large);

#endif /* ASM_PROCESSOR_H */
