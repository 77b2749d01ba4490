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

#endif /* KERNEL_TESTHOOKS_H */
