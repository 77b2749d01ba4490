/* SPDX-License-Identifier: MIT */
/*
 * Knobs that exist for tests and benchmarks only: each one lets a test
 * break or watch an algorithm from outside. Nothing but the tests
 * (tests/kernel/), the lazy-flush workload (kernel/lazyflush.c) and the
 * benchmarks (kernel/bench*.c) sets them; the algorithms only read them.
 */
#ifndef KERNEL_TESTHOOKS_H
#define KERNEL_TESTHOOKS_H

#include <stdbool.h>

struct pt_regs;

/*
 * mm/highmem.c, the benchmark baseline: when set, kunmap flushes a slot's
 * translation as soon as its last user leaves (one flush per kunmap)
 * instead of leaving it to flush_all_zero_pkmaps (docs/performance.md
 * compares the two).
 */
extern bool pkmap_eager_flush;

/*
 * mm/tlb.c, the lazy-flush negative control: when set, flushes stay local
 * and the shootdown IPIs are skipped (counted in tlb_stats.skipped), so
 * that the stress test can show it catches stale translations.
 */
extern bool tlb_shootdown_disabled;

/*
 * mm/tlb.c, the user-range negative control (tests/kernel/test_mmap.c):
 * when set, flush_tlb_mm_range flushes this CPU only and skips the IPIs
 * to the other CPUs in the mm's cpu_vm_mask (counted in
 * tlb_stats.skipped), so that a test sees them keep a stale translation.
 */
extern bool tlb_user_shootdown_disabled;

/*
 * kernel/sched.c: called on every CPU's timer tick, in interrupt context
 * (the lazy-flush workload's kmap_atomic checks). Cleared by storing NULL;
 * a tick that read the old value ends before that CPU's next tick begins.
 */
extern void (*tick_hook)(unsigned int cpu);

/*
 * drivers/video/efifb.c, set by the boot parameter fbcon.fault_test: the
 * framebuffer console's first write of a CSI sequence after it registered
 * faults inside the console (a write to address 0), three bytes into the
 * sequence, so that a boot shows the oops and the panic reaching the
 * screen through the console's emergency path.
 */
extern bool fbcon_fault_test;

/*
 * kernel/syscall_32.c: system-call numbers beyond the table go here first
 * when set (tests/kernel/test_syscall.c's calls for its fixture
 * processes); -ENOSYS means not one of its calls.
 */
extern long (*syscall_test_hook)(unsigned long nr, unsigned long ebx, unsigned long ecx,
				 unsigned long edx, unsigned long esi, unsigned long edi,
				 unsigned long ebp);

/*
 * kernel/traps.c: a fatal exception in ring 3, after its report line and
 * before force_sig_fault: when the current task is one of
 * tests/kernel/test_syscall.c's fixture processes the hook ends it (and
 * does not return); otherwise it returns.
 */
extern void (*user_fault_test_hook)(struct pt_regs *regs, int sig);

#endif /* KERNEL_TESTHOOKS_H */
