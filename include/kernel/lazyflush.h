/*
 * The lazy-flush stress test (tests/kernel/lazyflush_stress.c): kmap
 * threads on every CPU and kmap_atomic in every CPU's timer interrupt,
 * over more highmem pages than the PKMap area has slots, each page
 * carrying its own identity. The KTEST cases and the benchmark run it.
 */
#ifndef KERNEL_LAZYFLUSH_H
#define KERNEL_LAZYFLUSH_H

#include <stdbool.h>
#include <stdint.h>

struct lazyflush_result {
	unsigned int cpus, threads, pool_pages;
	uint64_t cycles;		/* TSC cycles the run lasted */
	unsigned long kmap_ops;		/* kmap/verify/write/kunmap rounds */
	unsigned long atomic_checks;	/* kmap_atomic rounds in timer ticks */
	unsigned long mismatches;	/* pages that were not what kmap said */
	unsigned long atomic_mismatches;
	unsigned long wraps, global_flushes;	/* kmap_stats deltas */
	unsigned long shootdowns, ipis, skipped;	/* tlb_stats deltas */
	unsigned long first_mismatch_ms;	/* ~0UL: none */
	bool slots_clean;		/* no slot in use, no page hashed, at the end */
	long free_pages_delta;		/* nr_free_pages after - before */
};

extern unsigned int lazyflush_msecs;	/* lazyflush.ms= (default 1000) */

/* Run for msecs of guest time (stop early at the first mismatch if
 * asked); negative_control skips the shootdown IPIs. -ENOMEM without
 * enough highmem. */
int lazyflush_stress(unsigned int msecs, bool negative_control,
		     bool stop_at_first_mismatch, struct lazyflush_result *r);
void lazyflush_report(const char *what, const struct lazyflush_result *r);

#endif /* KERNEL_LAZYFLUSH_H */
