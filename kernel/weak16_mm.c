/* SPDX-License-Identifier: MIT */
/*
 * Issue 16 scaffolding, deleted before the issue closes: weak stand-ins
 * for functions of other streams that this stream (mm) calls before
 * they land. A real definition elsewhere replaces each one at link time.
 */
#include "kernel/kernel.h"
#include "asm/tlbflush.h"
#include "mm/mmap.h"
#include "mm/mm.h"

extern pgd_t swapper_pg_dir[];

__attribute__((weak)) void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	if (prev != next)
		load_cr3(next ? __pa(next->pgd) : __pa(swapper_pg_dir));
}

/* A lazy-TLB borrow's reference comes back here (kernel/sched.c); only
 * the last one would need the mm code. */
__attribute__((weak)) void mmdrop(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_SEQ_CST) == 0)
		panic("mmdrop: no mm_struct code yet");
}

__attribute__((weak)) bool do_user_addr_fault(struct pt_regs *regs, unsigned long address,
					      unsigned int error_code)
{
	return false;
}
