/* SPDX-License-Identifier: MIT */
/*
 * The scenarios of Linux 6.1's lib/test_vmalloc.c on this kernel's
 * vmalloc (mm/vmalloc.c), with that module's parameters and its output:
 * per scenario "Summary: NAME passed: N failed: N repeat: N loops: N avg:
 * N usec", avg being the scenario's time over all repeats divided by the
 * repeats, in microseconds of the TSC (under QEMU -icount shift=0 one
 * instruction is one nanosecond). The pcpu and kvfree_rcu scenarios are
 * left out: this kernel has neither per-CPU allocations nor RCU.
 * Randomness is a xorshift PRNG seeded fixed, so runs repeat exactly.
 */
#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/smp.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/test_vmalloc.h"
#include "kernel/time.h"
#include "mm/vmalloc.h"

#define TVM_INT_MAX	0x7fffffffu
#define TVM_USHRT_MAX	0xffffu
#define TVM_SEED	2463534242u

/*
 * fix_align_alloc_test's alignment, THREAD_ALIGN << 1 in Linux: 16 KiB on
 * i386 (THREAD_SIZE 8 KiB there; this kernel's stacks are 16 KiB), kept
 * at Linux's value so that both kernels run the same requests.
 */
#define FIX_ALIGN	(16UL << 10)

/* Linux's defaults, and long_busy_list_areas, this kernel's own. */
static unsigned int test_loop_count = 1000000;
static unsigned int test_repeat_count = 1;
static unsigned int nr_pages;
static unsigned int run_test_mask = TVM_INT_MAX;
static bool sequential_test_order;
static unsigned int nr_threads;
static unsigned int long_busy_list_areas = 15000;

static bool tvm_wanted;
__setup_flag("test_vmalloc", tvm_wanted);

static bool tvm_params_given;	/* a test_vmalloc.NAME= value was accepted */

/* The handler of test_vmalloc.NAME=N, N in [min, max]; a bad value
 * changes nothing. */
#define TVM_UINT_PARAM(name, min, max)					\
	static int tvm_setup_##name(char *val)				\
	{								\
		int ret = parse_uint_param("test_vmalloc." #name, val,	\
					   min, max, &name);		\
									\
		tvm_params_given |= !ret;				\
		return ret;						\
	}

TVM_UINT_PARAM(test_loop_count, 1, TVM_INT_MAX)
__setup("test_vmalloc.test_loop_count", tvm_setup_test_loop_count);
TVM_UINT_PARAM(test_repeat_count, 1, TVM_INT_MAX)
__setup("test_vmalloc.test_repeat_count", tvm_setup_test_repeat_count);
/* Up to 1 GiB: more never fits a vmalloc area (the vmalloc then fails). */
TVM_UINT_PARAM(nr_pages, 0, 262144)
__setup("test_vmalloc.nr_pages", tvm_setup_nr_pages);
TVM_UINT_PARAM(run_test_mask, 0, TVM_INT_MAX)
__setup("test_vmalloc.run_test_mask", tvm_setup_run_test_mask);
TVM_UINT_PARAM(nr_threads, 0, TVM_USHRT_MAX)
__setup("test_vmalloc.nr_threads", tvm_setup_nr_threads);
TVM_UINT_PARAM(long_busy_list_areas, 1, 1000000)
__setup("test_vmalloc.long_busy_list_areas", tvm_setup_long_busy_list_areas);

/* A bool as Linux's module parameters take it: y/Y/1, n/N/0, or none. */
static int sequential_setup(char *val)
{
	if (!val || !strcmp(val, "1") || !strcmp(val, "y") || !strcmp(val, "Y"))
		sequential_test_order = true;
	else if (!strcmp(val, "0") || !strcmp(val, "n") || !strcmp(val, "N"))
		sequential_test_order = false;
	else
		return -EINVAL;
	tvm_params_given = true;
	return 0;
}
__setup("test_vmalloc.sequential_test_order", sequential_setup);

bool test_vmalloc_params_given(void)
{
	return tvm_params_given;
}

void test_vmalloc_cmdline_params(struct tvm_params *p)
{
	*p = (struct tvm_params){
		.test_loop_count = test_loop_count,
		.test_repeat_count = test_repeat_count,
		.nr_pages = nr_pages,
		.run_test_mask = run_test_mask,
		.sequential_test_order = sequential_test_order,
		.nr_threads = nr_threads,
		.long_busy_list_areas = long_busy_list_areas,
		.full_fit_junk = 0,
	};
}

bool test_vmalloc_requested(void)
{
	return tvm_wanted;
}

/* ------------------------------------------------------------ randomness */

static uint32_t tvm_random(struct tvm_worker *w)
{
	uint32_t x = w->rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return w->rnd = x;
}

/* Linux's prandom_u32_max: 0..n-1 by a multiply, not a modulo. */
static uint32_t tvm_random_max(struct tvm_worker *w, uint32_t n)
{
	return (uint32_t)(((uint64_t)tvm_random(w) * n) >> 32);
}

/* ------------------------------------------------------------ scenarios */

/* Linux asks __GFP_ZERO for the aligned ones; __vmalloc takes no gfp
 * here, so the pages are zeroed through the new mapping (as vzalloc). */
static void *vmalloc_aligned_zeroed(unsigned long size, unsigned long align)
{
	void *p = __vmalloc(size, align, PAGE_KERNEL, 0,
			    __builtin_return_address(0));

	if (p)
		memset(p, 0, size);
	return p;
}

static int fix_size_alloc_test(struct tvm_worker *w)
{
	unsigned int nr = w->p->nr_pages ? w->p->nr_pages : 1;

	for (unsigned int i = 0; i < w->p->test_loop_count; i++) {
		void *p = vmalloc(nr * PAGE_SIZE);

		if (!p)
			return -1;
		*(volatile uint8_t *)p = 0;
		vfree(p);
	}
	return 0;
}

/*
 * Every other one-page area of 32 MiB per bit of the CPU count freed
 * again, so that the timed one-page allocations fit the holes exactly.
 */
static int full_fit_alloc_test(struct tvm_worker *w)
{
	unsigned int junk = w->p->full_fit_junk;
	void **ptr, **junk_ptr;
	int rv = -1;

	if (!junk)
		junk = (32 - __builtin_clz(num_online_cpus())) *
		       ((32UL << 20) / PAGE_SIZE);
	ptr = vmalloc(junk * sizeof(*ptr));
	if (!ptr)
		return rv;
	junk_ptr = vmalloc(junk * sizeof(*junk_ptr));
	if (!junk_ptr) {
		vfree(ptr);
		return rv;
	}
	for (unsigned int i = 0; i < junk; i++) {
		ptr[i] = vmalloc(PAGE_SIZE);
		junk_ptr[i] = vmalloc(PAGE_SIZE);
	}
	for (unsigned int i = 0; i < junk; i++)
		vfree(junk_ptr[i]);

	for (unsigned int i = 0; i < w->p->test_loop_count; i++) {
		void *tmp = vmalloc(PAGE_SIZE);

		if (!tmp)
			goto error;
		*(volatile uint8_t *)tmp = 1;
		vfree(tmp);
	}
	rv = 0;
error:
	for (unsigned int i = 0; i < junk; i++)
		vfree(ptr[i]);
	vfree(ptr);
	vfree(junk_ptr);
	return rv;
}

/* A vmalloc of 100 pages and one of 1 page, both freed, with areas
 * one-page areas live; *loop_cycles gets the cycles of those loops. */
static int long_busy_list(struct tvm_worker *w, unsigned int areas,
			  uint64_t *loop_cycles)
{
	uint64_t t0;
	void **ptr;
	int rv = -1;
	unsigned int i;

	ptr = vmalloc(areas * sizeof(*ptr));
	if (!ptr)
		return rv;
	for (i = 0; i < areas; i++)
		ptr[i] = vmalloc(PAGE_SIZE);

	t0 = rdtsc();
	for (i = 0; i < w->p->test_loop_count; i++) {
		void *ptr_1, *ptr_2;

		ptr_1 = vmalloc(100 * PAGE_SIZE);
		if (!ptr_1)
			goto leave;
		ptr_2 = vmalloc(PAGE_SIZE);
		if (!ptr_2) {
			vfree(ptr_1);
			goto leave;
		}
		*(volatile uint8_t *)ptr_1 = 0;
		*(volatile uint8_t *)ptr_2 = 1;
		vfree(ptr_1);
		vfree(ptr_2);
	}
	rv = 0;
leave:
	*loop_cycles += rdtsc() - t0;
	for (i = 0; i < areas; i++)
		vfree(ptr[i]);
	vfree(ptr);
	return rv;
}

static int long_busy_list_alloc_test(struct tvm_worker *w)
{
	return long_busy_list(w, w->p->long_busy_list_areas,
			      &w->data[TVM_LONG_BUSY_LIST].loop_cycles);
}

static int random_size_alloc_test(struct tvm_worker *w)
{
	for (unsigned int i = 0; i < w->p->test_loop_count; i++) {
		unsigned int n = tvm_random_max(w, 100) + 1;
		void *p = vmalloc(n * PAGE_SIZE);

		if (!p)
			return -1;
		*(volatile uint8_t *)p = 1;
		vfree(p);
	}
	return 0;
}

static int fix_align_alloc_test(struct tvm_worker *w)
{
	for (unsigned int i = 0; i < w->p->test_loop_count; i++) {
		void *p = vmalloc_aligned_zeroed(5 * PAGE_SIZE, FIX_ALIGN);

		if (!p)
			return -1;
		vfree(p);
	}
	return 0;
}

/* One random byte gives both: an alignment up to 4 MiB, 1 to 10 pages. */
static int random_size_align_alloc_test(struct tvm_worker *w)
{
	for (unsigned int i = 0; i < w->p->test_loop_count; i++) {
		unsigned int rnd = tvm_random(w) & 0xff;
		unsigned long align = 1UL << (rnd % 23);
		unsigned long size = (rnd % 10 + 1) * PAGE_SIZE;
		void *p = vmalloc_aligned_zeroed(size, align);

		if (!p)
			return -1;
		vfree(p);
	}
	return 0;
}

/* Meant to fail, as in Linux: the alignments go up to 2^31, past what
 * any vmalloc area can offer. */
static int align_shift_alloc_test(struct tvm_worker *w)
{
	(void)w;
	for (unsigned int i = 0; i < 32; i++) {
		void *p = vmalloc_aligned_zeroed(PAGE_SIZE, 1UL << i);

		if (!p)
			return -1;
		vfree(p);
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct tvm_worker *w);
} tvm_tests[TVM_NR_TESTS] = {
	[TVM_FIX_SIZE] = { "fix_size_alloc_test", fix_size_alloc_test },
	[TVM_FULL_FIT] = { "full_fit_alloc_test", full_fit_alloc_test },
	[TVM_LONG_BUSY_LIST] = { "long_busy_list_alloc_test", long_busy_list_alloc_test },
	[TVM_RANDOM_SIZE] = { "random_size_alloc_test", random_size_alloc_test },
	[TVM_FIX_ALIGN] = { "fix_align_alloc_test", fix_align_alloc_test },
	[TVM_RANDOM_SIZE_ALIGN] = { "random_size_align_alloc_test",
				    random_size_align_alloc_test },
	[TVM_ALIGN_SHIFT] = { "align_shift_alloc_test", align_shift_alloc_test },
};

const char *tvm_test_name(enum tvm_test id)
{
	return id < TVM_NR_TESTS ? tvm_tests[id].name : "?";
}

/* ------------------------------------------------------------ the driver */

static uint64_t cycles_to_usec(uint64_t cycles)
{
	return tsc_khz ? div_u64(cycles * 1000, tsc_khz) : 0;
}

/* One worker: the selected scenarios, in a shuffled order unless
 * sequential_test_order, each test_repeat_count times. */
static void tvm_worker_run(struct tvm_worker *w)
{
	const struct tvm_params *p = w->p;
	int order[TVM_NR_TESTS];

	for (int i = 0; i < TVM_NR_TESTS; i++)
		order[i] = i;
	if (!p->sequential_test_order)
		for (int i = TVM_NR_TESTS - 1; i > 0; i--) {
			int j = tvm_random_max(w, i), tmp = order[i];

			order[i] = order[j];
			order[j] = tmp;
		}

	w->start = rdtsc();
	for (int i = 0; i < TVM_NR_TESTS; i++) {
		struct tvm_case_data *d = &w->data[order[i]];
		uint64_t t0;

		if (!(p->run_test_mask & (1u << order[i])))
			continue;
		t0 = rdtsc();
		for (unsigned int j = 0; j < p->test_repeat_count; j++) {
			if (!tvm_tests[order[i]].fn(w))
				d->test_passed++;
			else
				d->test_failed++;
		}
		d->cycles = rdtsc() - t0;
		d->time = div_u64(cycles_to_usec(d->cycles), p->test_repeat_count);
	}
	w->stop = rdtsc();
}

static int tvm_thread(void *arg)
{
	tvm_worker_run(arg);
	return 0;
}

static void tvm_worker_init(struct tvm_worker *w, const struct tvm_params *p,
			    unsigned int i)
{
	memset(w, 0, sizeof(*w));
	w->p = p;
	w->rnd = TVM_SEED + i * 0x9e3779b9u;
	if (!w->rnd)
		w->rnd = TVM_SEED;
}

static void tvm_report(const struct tvm_worker *w, unsigned int i)
{
	const struct tvm_params *p = w->p;

	for (int j = 0; j < TVM_NR_TESTS; j++) {
		if (!(p->run_test_mask & (1u << j)))
			continue;
		pr_info("Summary: %s passed: %u failed: %u repeat: %u loops: %u avg: %llu usec\n",
			tvm_tests[j].name, w->data[j].test_passed,
			w->data[j].test_failed, p->test_repeat_count,
			p->test_loop_count, w->data[j].time);
	}
	pr_info("All test took worker%u=%llu cycles\n", i, w->stop - w->start);
}

/*
 * More than one worker: kernel threads spread over the online CPUs, all
 * created before any starts (Linux holds them on a semaphore), joined.
 */
static int tvm_run_threads(const struct tvm_params *p, unsigned int n,
			   struct tvm_worker *first)
{
	struct tvm_worker *w = vzalloc(n * sizeof(*w));
	struct task_struct **task = vzalloc(n * sizeof(*task));
	unsigned int started = 0;

	if (!w || !task) {
		vfree(w);
		vfree(task);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		tvm_worker_init(&w[i], p, i);
		task[i] = kthread_create_on_cpu(tvm_thread, &w[i],
						i % num_online_cpus(), "vmalloc_test");
		if (task[i])
			started++;
		else
			pr_err("Failed to start %u kthread\n", i);
	}
	for (unsigned int i = 0; i < n; i++)
		if (task[i])
			wake_up_process(task[i]);
	for (unsigned int i = 0; i < n; i++)
		if (task[i]) {
			kthread_join(task[i]);
			tvm_report(&w[i], i);
		}
	if (first && task[0])
		*first = w[0];
	vfree(w);
	vfree(task);
	return started ? 0 : -ENOMEM;
}

int test_vmalloc_run(const struct tvm_params *p, struct tvm_worker *first)
{
	unsigned int n = p->nr_threads ? p->nr_threads : 1;
	struct tvm_worker w;

	if (n > 1)
		return tvm_run_threads(p, n, first);
	/* One worker: the caller's thread is it. */
	tvm_worker_init(&w, p, 0);
	tvm_worker_run(&w);
	tvm_report(&w, 0);
	if (first)
		*first = w;
	return 0;
}

uint64_t long_busy_list_cost(unsigned int areas, unsigned int loops)
{
	struct tvm_params p;
	struct tvm_worker w;
	uint64_t cycles = 0;

	test_vmalloc_cmdline_params(&p);
	p.test_loop_count = loops;
	tvm_worker_init(&w, &p, 0);
	if (!loops || long_busy_list(&w, areas, &cycles))
		return 0;
	return div_u64(cycles, loops);
}

/* ------------------------------------------------------------ bench */

void test_vmalloc_bench(void)
{
	struct tvm_params params, *p = &params;
	struct tvm_case_data *lb;
	uint64_t at_n, at_100;
	struct tvm_worker w;
	unsigned int areas;

	if (!tvm_wanted)
		return;
	test_vmalloc_cmdline_params(p);
	areas = p->long_busy_list_areas;
	pr_info("test_vmalloc: test_loop_count=%u test_repeat_count=%u nr_pages=%u run_test_mask=%u sequential_test_order=%d nr_threads=%u long_busy_list_areas=%u; vmalloc area %lu KiB\n",
		p->test_loop_count, p->test_repeat_count, p->nr_pages,
		p->run_test_mask, p->sequential_test_order, p->nr_threads,
		areas, (VMALLOC_END - VMALLOC_START) >> 10);
	if (test_vmalloc_run(p, &w))
		return;
	lb = &w.data[TVM_LONG_BUSY_LIST];
	if (!(p->run_test_mask & (1u << TVM_LONG_BUSY_LIST)) || lb->test_failed)
		return;
	/* The figure at long_busy_list_areas is the Summary run's own. */
	at_n = div64_u64(lb->loop_cycles,
			 (uint64_t)p->test_loop_count * p->test_repeat_count);
	at_100 = long_busy_list_cost(100, p->test_loop_count);
	pr_info("test_vmalloc: long_busy_list_alloc_test, %5u live areas: %llu cycles/loop (%u loops)\n",
		100, at_100, p->test_loop_count);
	pr_info("test_vmalloc: long_busy_list_alloc_test, %5u live areas: %llu cycles/loop (%u loops)\n",
		areas, at_n, p->test_loop_count * p->test_repeat_count);
	if (at_100) {
		uint32_t frac;
		uint64_t whole = div_u64_rem(div64_u64(at_n * 1000, at_100), 1000, &frac);

		pr_info("test_vmalloc: long_busy_list_alloc_test cost per loop at %u / at 100 live areas: %llu.%03u (bound 1.5)\n",
			areas, whole, frac);
	}
}
