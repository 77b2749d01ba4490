/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data: one struct percpu for each CPU, reached through %fs, whose
 * descriptor in that CPU's own GDT has the struct's address as its base
 * (Linux i386 since 2.6.22 does the same with its percpu segment). Kernel
 * threads never move between CPUs, so a thread may keep what it read.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "asm/fixmap.h"
#include "asm/irq_vectors.h"
#include "asm/x86.h"

struct task_struct;

struct percpu {
	struct percpu *self;		/* %fs:0, the struct's own address */
	unsigned int cpu_number;
	unsigned int apic_id;
	struct task_struct *current_task;
	int preempt_count;		/* > 0: no preemption on this CPU */
	int pagefault_disabled;		/* > 0: faults must not be handled */
	int kernel_locks;		/* spinlocks the kernel's code holds */
	int oops_depth;			/* > 0: an oops is being reported */
	bool need_resched;
	unsigned long ticks;		/* APIC timer interrupts */
	int kmap_atomic_idx;		/* kmap_atomic slots in use (LIFO) */
	unsigned long irq_count[NR_VECTORS];
};

extern struct percpu per_cpu_data[NR_CPUS];
extern bool percpu_ready;	/* %fs holds the percpu segment (set by gdt_init) */

/* The percpu segment is loaded by gdt_init (boot CPU) and by each AP as it
 * starts; before that %fs is the flat data segment and this is wrong. */
static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)fs_read_u32(offsetof(struct percpu, self));
}

static inline unsigned int smp_processor_id(void)
{
	return fs_read_u32(offsetof(struct percpu, cpu_number));
}

#define per_cpu(cpu)	(&per_cpu_data[(cpu)])

#endif /* ASM_PERCPU_H */
