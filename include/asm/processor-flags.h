/* SPDX-License-Identifier: MIT */
/*
 * Control register, EFER and CPUID feature bits this kernel uses
 * (Intel SDM vol. 3A §2.5, §2.2.1; vol. 2A CPUID).
 */
#ifndef ASM_PROCESSOR_FLAGS_H
#define ASM_PROCESSOR_FLAGS_H

#define X86_EFLAGS_FIXED 0x00000002	/* bit 1, always set */
#define X86_EFLAGS_IF	0x00000200
#define X86_EFLAGS_ID	0x00200000	/* can be flipped: CPUID exists */

#define X86_CR0_PE	0x00000001	/* protection enable */
#define X86_CR0_MP	0x00000002
#define X86_CR0_EM	0x00000004
#define X86_CR0_TS	0x00000008
#define X86_CR0_ET	0x00000010	/* extension type, hard-wired 1 since i486 */
#define X86_CR0_NE	0x00000020
#define X86_CR0_WP	0x00010000	/* supervisor writes honour read-only PTEs */
#define X86_CR0_NW	0x20000000
#define X86_CR0_CD	0x40000000
#define X86_CR0_PG	0x80000000

#define X86_CR4_PSE	0x00000010
#define X86_CR4_PAE	0x00000020
#define X86_CR4_PGE	0x00000080
#define X86_CR4_OSFXSR	0x00000200	/* SSE instructions allowed */
#define X86_CR4_OSXMMEXCPT 0x00000400	/* unmasked SSE exceptions: #XM, not #UD */

#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NX		(1 << 11)

/*
 * IA32_PAT (Intel SDM vol. 3A §11.12.2): eight memory types, one a byte,
 * chosen by a PTE's PAT, PCD and PWT bits (index PAT*4 + PCD*2 + PWT).
 * The kernel's value is Linux's: the power-on types except index 1
 * (PWT alone), write-combining instead of write-through, 5 write-protect
 * and 7 write-through. PCD|PWT (index 3) stays uncached and no PTE sets
 * the PAT bit. A 32-bit pair for the trampoline, which writes it too.
 */
#define MSR_IA32_CR_PAT		0x277
#define PAT_UC			0x00
#define PAT_WC			0x01
#define PAT_WT			0x04
#define PAT_WP			0x05
#define PAT_WB			0x06
#define PAT_UC_MINUS		0x07
#define PAT_KERNEL_LO		(PAT_WB | PAT_WC << 8 | PAT_UC_MINUS << 16 | PAT_UC << 24)
#define PAT_KERNEL_HI		(PAT_WB | PAT_WP << 8 | PAT_UC_MINUS << 16 | PAT_WT << 24)

/* CPUID leaf 1, EDX */
#define X86_FEATURE_PSE_EDX	(1 << 3)
#define X86_FEATURE_MSR_EDX	(1 << 5)
#define X86_FEATURE_PAE_EDX	(1 << 6)
#define X86_FEATURE_APIC_EDX	(1 << 9)
#define X86_FEATURE_PGE_EDX	(1 << 13)
#define X86_FEATURE_PAT_EDX	(1 << 16)
#define X86_FEATURE_PSE36_EDX	(1 << 17)
#define X86_FEATURE_TSC_EDX	(1 << 4)
#define X86_FEATURE_FXSR_EDX	(1 << 24)
#define X86_FEATURE_XMM_EDX	(1 << 25)	/* SSE */
/* CPUID leaf 0x80000001, EDX */
#define X86_FEATURE_NX_EDX	(1 << 20)
#define X86_FEATURE_LM_EDX	(1 << 29)

#endif /* ASM_PROCESSOR_FLAGS_H */
