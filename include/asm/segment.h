/* SPDX-License-Identifier: MIT */
/* GDT selectors of the kernel: CS and DS are the same in pm32's GDT, the
 * AP trampoline's and each CPU's own GDT (kernel/gdt.c), which adds the
 * percpu segment (%fs), the TSS and the double-fault task's TSS. */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_PERCPU	3
#define GDT_ENTRY_TSS		4
#define GDT_ENTRY_DOUBLEFAULT_TSS 5
#define GDT_ENTRIES		6

#define __KERNEL_CS	(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS	(GDT_ENTRY_KERNEL_DS * 8)
#define __KERNEL_PERCPU	(GDT_ENTRY_PERCPU * 8)
#define __KERNEL_TSS	(GDT_ENTRY_TSS * 8)
#define __DOUBLEFAULT_TSS (GDT_ENTRY_DOUBLEFAULT_TSS * 8)

#endif /* ASM_SEGMENT_H */
