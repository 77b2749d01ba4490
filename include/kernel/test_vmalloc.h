/* SPDX-License-Identifier: MIT */
/*
 * The scenarios of Linux 6.1's lib/test_vmalloc.c (kernel/test_vmalloc.c):
 * their parameters (test_vmalloc.NAME=VALUE on the command line), one run
 * of them with its "Summary:" lines, and the figures the benchmarks and
 * the KTAP suite test_vmalloc read back.
 */
#ifndef KERNEL_TEST_VMALLOC_H
#define KERNEL_TEST_VMALLOC_H

#include <stdbool.h>
#include <stdint.h>

/* The scenarios, as Linux numbers them: bit i of run_test_mask runs i. */
enum tvm_test {
	TVM_FIX_SIZE,
	TVM_FULL_FIT,
	TVM_LONG_BUSY_LIST,
	TVM_RANDOM_SIZE,
	TVM_FIX_ALIGN,
	TVM_RANDOM_SIZE_ALIGN,
	TVM_ALIGN_SHIFT,
	TVM_NR_TESTS
};

/*
 * Linux's module parameters, and two of this kernel: the live areas of
 * long_busy_list_alloc_test (Linux: 15000) and full_fit_alloc_test's
 * junk areas (0: Linux's fls(CPUs online) * 8192), which the KTAP suite
 * makes small.
 */
struct tvm_params {
	unsigned int test_loop_count;		/* 1000000 */
	unsigned int test_repeat_count;		/* 1 */
	unsigned int nr_pages;			/* 0: one page (fix_size) */
	unsigned int run_test_mask;		/* INT_MAX: every scenario */
	bool sequential_test_order;		/* false: a shuffled order */
	unsigned int nr_threads;		/* 0 or 1: one worker */
	unsigned int long_busy_list_areas;	/* 15000 */
	unsigned int full_fit_junk;		/* 0: Linux's count */
};

/* What the command line set (Linux's defaults where it said nothing). */
void test_vmalloc_cmdline_params(struct tvm_params *p);
/* Whether the command line gave one of them a value it accepted. */
bool test_vmalloc_params_given(void);

/* One scenario's results in one worker, as Linux keeps them; cycles are
 * TSC cycles of all its repeats, loop_cycles those of long_busy_list's
 * timed loops alone (its live areas made and freed outside them). */
struct tvm_case_data {
	unsigned int test_passed;
	unsigned int test_failed;
	uint64_t time;			/* usec per repeat: Linux's avg */
	uint64_t cycles;
	uint64_t loop_cycles;
};

struct tvm_worker {
	struct tvm_case_data data[TVM_NR_TESTS];
	uint64_t start, stop;		/* TSC around the worker's scenarios */
	uint32_t rnd;			/* its PRNG state, seeded fixed */
	const struct tvm_params *p;
};

const char *tvm_test_name(enum tvm_test id);

/*
 * test_vmalloc_run - the scenarios p selects in nr_threads workers
 * (kernel threads, spread over the online CPUs, when more than one), then
 * per worker one line per selected scenario
 *   Summary: NAME passed: N failed: N repeat: N loops: N avg: N usec
 * and "All test took workerN=N cycles". The first worker's results go to
 * *first when it is not NULL. 0, or -ENOMEM when no worker could start.
 */
int test_vmalloc_run(const struct tvm_params *p, struct tvm_worker *first);

/*
 * long_busy_list_cost - long_busy_list_alloc_test with areas live areas
 * and loops loops, in one worker: TSC cycles per loop (a vmalloc of 100
 * pages and of 1 page, both vfree'd), 0 when the scenario failed.
 */
uint64_t long_busy_list_cost(unsigned int areas, unsigned int loops);

/* "test_vmalloc" on the command line: bench_run runs the scenarios. */
bool test_vmalloc_requested(void);
/* Called by bench_run: with "test_vmalloc", the run of the command line's
 * parameters and long_busy_list's cost per loop at 100 live areas and at
 * long_busy_list_areas; without it, nothing. */
void test_vmalloc_bench(void);

#endif /* KERNEL_TEST_VMALLOC_H */
