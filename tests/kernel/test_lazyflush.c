/* SPDX-License-Identifier: MIT */
/*
 * The lazy global TLB flush is correct on every CPU at once, and the test
 * can tell when it is not: with the shootdown IPIs switched off, some CPU
 * must be caught reading through a stale pkmap translation. The workload
 * is kernel/lazyflush.c; these cases judge its counts, never its speed.
 */
#include "asm/smp.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/lazyflush.h"
#include "kernel/params.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

static unsigned int lazyflush_msecs = 1000;

/* lazyflush.ms=N: the least time the stress case runs (10..600000). */
__setup_uint("lazyflush.ms", lazyflush_msecs, 10, 600000);

/* Wraps of the pkmap scan the negative control may take to be caught:
 * on 2, 4 and 8 CPUs the first stale read came within 8 wraps in every
 * run seen (a loaded host slows the wraps, it does not make them fewer). */
#define NEGATIVE_CONTROL_WRAPS	2000

KTEST(lazyflush, stress_on_every_cpu)
{
	const struct lazyflush_run run = { .msecs = lazyflush_msecs, .min_wraps = 1 };
	struct lazyflush_result r;
	int ret = lazyflush_stress(&run, &r);

	if (ret == -ENOMEM)
		kt_skip(t, "fewer than 1024 free highmem pages");
	if (ret == -EAGAIN)
		kt_skip(t, "no memory for the worker threads");
	KT_ASSERT_EQ(t, ret, 0);
	lazyflush_report("stress", &r);
	KT_EXPECT(t, !r.gave_up);
	KT_EXPECT_EQ(t, r.mismatches, 0);
	KT_EXPECT_EQ(t, r.atomic_mismatches, 0);
	KT_EXPECT(t, r.kmap_ops > 0);
	KT_EXPECT(t, r.atomic_checks > 0);
	/* The scan wrapped, and every wrap flushed once. */
	KT_EXPECT(t, r.wraps > 0);
	KT_EXPECT_EQ(t, r.global_flushes, r.wraps);
	/* With other CPUs, every flush was a shootdown reaching all of them. */
	if (r.cpus > 1) {
		KT_EXPECT_EQ(t, r.shootdowns, r.global_flushes);
		KT_EXPECT_EQ(t, r.ipis, r.shootdowns * (r.cpus - 1));
	}
	KT_EXPECT_EQ(t, r.skipped, 0);
	KT_EXPECT(t, r.slots_clean);
	KT_EXPECT_EQ(t, r.free_pages_delta, 0);
}

KTEST(lazyflush, negative_control_without_shootdown_is_caught)
{
	const struct lazyflush_run run = {
		.min_wraps = NEGATIVE_CONTROL_WRAPS,
		.negative_control = true,
		.stop_at_first_mismatch = true,
	};
	struct lazyflush_result r;
	int ret;

	if (num_online_cpus() < 2)
		kt_skip(t, "one CPU: its own flush is the whole shootdown");
	ret = lazyflush_stress(&run, &r);
	if (ret == -ENOMEM)
		kt_skip(t, "fewer than 1024 free highmem pages");
	if (ret == -EAGAIN)
		kt_skip(t, "no memory for the worker threads");
	KT_ASSERT_EQ(t, ret, 0);
	lazyflush_report("negative control", &r);
	KT_EXPECT(t, r.mismatches + r.atomic_mismatches > 0);
	KT_EXPECT(t, r.skipped > 0);
	KT_EXPECT_EQ(t, r.shootdowns, 0);
	KT_EXPECT(t, r.slots_clean);
	KT_EXPECT_EQ(t, r.free_pages_delta, 0);
}

/* With no room in the vmalloc area for a worker's stack the run is called
 * off: -EAGAIN and a line, the workers started and the page pool given
 * back. The area is filled with uncached mappings of physical addresses
 * from 0xe0000000 (below 4 GiB, which every CPU can address), at most
 * 256 MiB each and never touched. */
KTEST(lazyflush, no_room_for_threads_calls_the_run_off)
{
	static void *fill[256];
	const struct lazyflush_run run = { .msecs = 10 };
	struct lazyflush_result r;
	unsigned long free0, size;
	int n = 0, ret;

	vm_purge_lazy();
	/* kmalloc's pages count with the free ones: a worker's task freed
	 * may give back a slab page that earlier suites (processes on every
	 * CPU) left with a CPU. */
	free0 = nr_free_pages() + kmalloc_slab_pages();
	while (n < 256 && (size = vmalloc_largest_free()) > 2 * PAGE_SIZE) {
		if (size > (256UL << 20) + PAGE_SIZE)
			size = (256UL << 20) + PAGE_SIZE;
		fill[n] = ioremap(0xe0000000ULL, size - PAGE_SIZE);
		if (!fill[n])
			break;
		n++;
	}
	ret = lazyflush_stress(&run, &r);
	for (int i = 0; i < n; i++)
		iounmap(fill[i]);
	vm_purge_lazy();
	if (ret == -ENOMEM)
		kt_skip(t, "fewer than 1024 free highmem pages");
	KT_EXPECT(t, n > 0);
	KT_EXPECT_EQ(t, vmalloc_largest_free() > 2 * PAGE_SIZE, true);
	KT_EXPECT_EQ(t, ret, -EAGAIN);
	KT_EXPECT_EQ(t, nr_free_pages() + kmalloc_slab_pages(), free0);
}
