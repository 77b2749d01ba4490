/* SPDX-License-Identifier: MIT */
/* GDT selectors: the kernel's CS and DS are the same in pm32's GDT, the
 * AP trampoline's and each CPU's own GDT (kernel/gdt.c), which adds the
 * percpu segment (%fs), the TSS, the double-fault task's TSS, the three
 * TLS slots of the running process (set_thread_area) and the flat user
 * code and data segments, at Linux i386's indexes so that the selectors
 * a program sees (0x73, 0x7b, TLS 0x33) are Linux's. */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_PERCPU	3
#define GDT_ENTRY_TSS		4
#define GDT_ENTRY_DOUBLEFAULT_TSS 5
#define GDT_ENTRY_TLS_MIN	6	/* 6, 7, 8: GDT_ENTRY_TLS_ENTRIES slots */
#define GDT_ENTRY_TLS_MAX	(GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES - 1)
#define GDT_ENTRY_DEFAULT_USER_CS 14
#define GDT_ENTRY_DEFAULT_USER_DS 15
#define GDT_ENTRIES		16

#ifndef GDT_ENTRY_TLS_ENTRIES
#define GDT_ENTRY_TLS_ENTRIES	3
#endif

#define __KERNEL_CS	(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS	(GDT_ENTRY_KERNEL_DS * 8)
#define __KERNEL_PERCPU	(GDT_ENTRY_PERCPU * 8)
#define __KERNEL_TSS	(GDT_ENTRY_TSS * 8)
#define __DOUBLEFAULT_TSS (GDT_ENTRY_DOUBLEFAULT_TSS * 8)
#define __USER_CS	(GDT_ENTRY_DEFAULT_USER_CS * 8 + 3)	/* 0x73 */
#define __USER_DS	(GDT_ENTRY_DEFAULT_USER_DS * 8 + 3)	/* 0x7b */
#define USER_RPL	3

#endif /* ASM_SEGMENT_H */
