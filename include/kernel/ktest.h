/* SPDX-License-Identifier: MIT */
/*
 * In-kernel tests: cases registered with KTEST() in the .ktest_cases
 * section, checked with KT_* assertions, run on "ktest" or "ktest=GLOB"
 * and reported as KTAP version 1, the format of Linux's KUnit
 * (Documentation/dev-tools/ktap.rst). kernel/ktest.c.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include "kernel/kernel.h"

/* QEMU's isa-debug-exit: writing V exits QEMU with status (V << 1) | 1. */
#define KTEST_EXIT_PORT		0xF4

/* The state of the test being run; the KT_* macros take it as 't'. */
struct ktest {
	const char *name;
	bool failed;
	bool skipped;
	const char *skip_reason;
};

/*
 * One registered case. Three pointers and nothing else, so the entries the
 * compiler places in .ktest_cases lie back to back with no padding and the
 * section reads as an array.
 */
struct ktest_case {
	const char *suite;
	const char *name;
	void (*run)(struct ktest *t);
};
BUILD_BUG_ON(sizeof(struct ktest_case) != 3 * sizeof(void *));

/* The linker script puts these around KEEP(*(.ktest_cases)). */
extern const struct ktest_case __ktest_cases_start[], __ktest_cases_end[];

/*
 * KTEST(suite, name) { body } - define test case suite.name. The body is
 * a function of 'struct ktest *t'. Cases of one suite should sit together
 * in one file: a suite is a run of consecutive cases in link order.
 */
#define KTEST(suite_id, name_id)					\
	static void ktest_##suite_id##_##name_id(struct ktest *t);	\
	static const struct ktest_case __ktest_case_##suite_id##_##name_id \
		__used __section(".ktest_cases")			\
		__aligned(__alignof__(struct ktest_case)) = {		\
		.suite = #suite_id,					\
		.name = #name_id,					\
		.run = ktest_##suite_id##_##name_id,			\
	};								\
	static void ktest_##suite_id##_##name_id(struct ktest *t)

/* The reporting halves of the macros below. */
void __kt_fail(struct ktest *t, bool assertion, const char *file, int line,
	       const char *fmt, ...) __printf(5, 6);
void __kt_fail_cmp(struct ktest *t, bool assertion, const char *file,
		   int line, const char *a, const char *op, const char *b,
		   unsigned long long va, unsigned long long vb);
void __kt_fail_str(struct ktest *t, bool assertion, const char *file,
		   int line, const char *a, const char *op, const char *b,
		   const char *sa, const char *sb);
bool __kt_streq(const char *a, const char *b);

/*
 * The EXPECT forms record a failure and go on; the ASSERT forms record it
 * and return from the test function (so use them in its body only).
 * EQ/NE compare their operands as 64-bit unsigned values after converting
 * each (so integers of any width or signedness and pointers all work),
 * evaluating each once. STREQ/STRNEQ compare C strings; NULL equals NULL.
 */
#define __KT_BOOL(t, assertion, cond, cond_str, want) do {		\
	if (!!(cond) != (want)) {					\
		__kt_fail(t, assertion, __FILE__, __LINE__,		\
			  "Expected %s to be %s, but is %s", cond_str,	\
			  (want) ? "true" : "false",			\
			  (want) ? "false" : "true");			\
		if (assertion)						\
			return;						\
	}								\
} while (0)

#define __KT_CMP(t, assertion, a, op, b, a_str, b_str) do {		\
	unsigned long long __kt_a = (unsigned long long)(a);		\
	unsigned long long __kt_b = (unsigned long long)(b);		\
	if (!(__kt_a op __kt_b)) {					\
		__kt_fail_cmp(t, assertion, __FILE__, __LINE__,		\
			      a_str, #op, b_str, __kt_a, __kt_b);	\
		if (assertion)						\
			return;						\
	}								\
} while (0)

#define __KT_STR(t, assertion, a, b, a_str, b_str, want) do {		\
	const char *__kt_sa = (a), *__kt_sb = (b);			\
	if (__kt_streq(__kt_sa, __kt_sb) != (want)) {			\
		__kt_fail_str(t, assertion, __FILE__, __LINE__, a_str,	\
			      (want) ? "==" : "!=", b_str, __kt_sa, __kt_sb); \
		if (assertion)						\
			return;						\
	}								\
} while (0)

/* The text of each operand is taken here, before macro expansion. */
#define KT_EXPECT(t, cond)		__KT_BOOL(t, false, cond, #cond, true)
#define KT_EXPECT_FALSE(t, cond)	__KT_BOOL(t, false, cond, #cond, false)
#define KT_EXPECT_EQ(t, a, b)		__KT_CMP(t, false, a, ==, b, #a, #b)
#define KT_EXPECT_NE(t, a, b)		__KT_CMP(t, false, a, !=, b, #a, #b)
#define KT_EXPECT_STREQ(t, a, b)	__KT_STR(t, false, a, b, #a, #b, true)
#define KT_EXPECT_STRNEQ(t, a, b)	__KT_STR(t, false, a, b, #a, #b, false)

#define KT_ASSERT(t, cond)		__KT_BOOL(t, true, cond, #cond, true)
#define KT_ASSERT_FALSE(t, cond)	__KT_BOOL(t, true, cond, #cond, false)
#define KT_ASSERT_EQ(t, a, b)		__KT_CMP(t, true, a, ==, b, #a, #b)
#define KT_ASSERT_NE(t, a, b)		__KT_CMP(t, true, a, !=, b, #a, #b)
#define KT_ASSERT_STREQ(t, a, b)	__KT_STR(t, true, a, b, #a, #b, true)

/*
 * kt_skip - mark the test skipped with a reason and return from it; the
 * result line reads "ok N name # SKIP reason". A failure recorded before
 * or after still makes it "not ok".
 */
void kt_mark_skipped(struct ktest *t, const char *reason);
#define kt_skip(t, reason) do {						\
	kt_mark_skipped(t, reason);					\
	return;								\
} while (0)

/*
 * Cases defined outside the kernel image, by a module: an array of
 * struct ktest_case (not KTEST(), whose section only the kernel's linker
 * script gathers) registered from init_module and unregistered from
 * cleanup_module. ktest_run() runs them after the built-in cases, each
 * array in registration order, a suite again being a run of consecutive
 * cases with one suite name. An array registered during a run waits for
 * the next run. The registration belongs to the module whose code made
 * it: when that module fails or is unloaded, its arrays are dropped
 * (ktest_drop_module_cases), whatever its exit did.
 */
#define KTEST_MAX_EXTRA		8	/* arrays registered at once */

/* 0; -EINVAL for NULL or n == 0; -EEXIST when cases is registered;
 * -ENOSPC when KTEST_MAX_EXTRA arrays are. */
int ktest_register_cases(const struct ktest_case *cases, unsigned int n);
/* 0; -ENOENT when cases is not registered; -EBUSY while it is being run. */
int ktest_unregister_cases(const struct ktest_case *cases);
/* Whether an array registered within [start, start + size) (a module's
 * image) is part of the run in progress, so must not go away. */
bool ktest_cases_busy(const void *start, unsigned long size);

/*
 * ktest_drop_module_cases - unregister every array mod registered (its
 * code called ktest_register_cases) or that lies in its image: the
 * module failed or is going away, and its cases with it. *dropped counts
 * them; -EBUSY when one is part of the run in progress (it stays, and so
 * must the module's memory), else 0.
 */
struct module;
int ktest_drop_module_cases(const struct module *mod, unsigned int *dropped);

/* Whether the command line asked for a test run ("ktest" or "ktest=GLOB"). */
bool ktest_requested(void);

/* What a run counted. */
struct ktest_totals {
	unsigned int pass, fail, skip;
};

/*
 * ktest_run - run the cases whose "suite.name" matches glob (all when glob
 * is NULL; "a.*,b.c" any of several), printing KTAP; returns the number of
 * failed cases and, when totals is not NULL, fills it. Called from a case
 * of a run (the monitor's `ktest` inside a test), it runs nested: its KTAP
 * is the subtests of that case, indented four more columns, the case
 * itself is left out, and its totals are its own; a third level gets
 * -EBUSY.
 */
int ktest_run(const char *glob, struct ktest_totals *totals);

/* Whether a run is in progress (the caller is one of its cases). */
bool ktest_running(void);

/*
 * ktest_run_and_exit - run what the command line asked for, then leave
 * QEMU through isa-debug-exit: status 1 when all passed, 3 when a case
 * failed or none matched. Where that port does nothing (a real PC) it
 * prints "ktest: done, halting" and halts with interrupts off.
 */
__noreturn void ktest_run_and_exit(void);

/*
 * ktest_panic_hook - called by panic(): during a run, close the KTAP
 * output with the current case, its suite and the totals marked failed
 * and exit QEMU with status 3; otherwise (or on a real PC) return.
 */
void ktest_panic_hook(void);

#endif /* KERNEL_KTEST_H */
