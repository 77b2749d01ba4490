/* SPDX-License-Identifier: MIT */
/*
 * The in-kernel test runner: walks the KTEST() cases in .ktest_cases,
 * then the arrays modules registered, groups consecutive cases of one suite, and prints the results as KTAP
 * version 1, the format of Linux's KUnit (the result words coloured as
 * docs/console.md says); a run ends through QEMU's
 * isa-debug-exit device with the verdict as exit status.
 */
#include "asm/x86.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/highmem.h"
#include "mm/pgtrace.h"
#include "mm/vmalloc.h"

/* The result words, coloured in the stream: "ok" green, "not ok" red. */
#define KTAP_OK		SGR_GREEN "ok" SGR_RESET
#define KTAP_NOT_OK	SGR_RED "not ok" SGR_RESET

/* What the command line asked for. */
static bool ktest_wanted;
static const char *ktest_glob;		/* NULL: every case */

/* "ktest" runs everything; "ktest=GLOB[,GLOB...]" the matching "suite.name"s. */
static int ktest_setup(char *val)
{
	if (val && !*val)
		return -EINVAL;
	ktest_wanted = true;
	ktest_glob = val;
	return 0;
}
__setup("ktest", ktest_setup);

bool ktest_requested(void)
{
	return ktest_wanted;
}

/*
 * The run in progress, kept where ktest_panic_hook can find it to close
 * the KTAP output when a case brings the kernel down.
 */
struct ktest_run_state {
	bool running;
	struct ktest *current;		/* the case running, or NULL */
	const struct ktest_case *current_case;
	int case_nr;			/* its number within the suite */
	const char *suite;		/* the suite being run, or NULL */
	int suite_nr;
	unsigned int pass, fail, skip;	/* cases, over the whole run */
	unsigned int total;
	const char *indent;		/* before every KTAP line of the run */
};
static struct ktest_run_state run = { .indent = "" };

/* The outer run while a nested one goes on (its running flag set). */
static struct ktest_run_state outer;
static unsigned int outer_blocks;

/*
 * A run started by a case of a run (the monitor's `ktest` command inside
 * a test) is nested: its KTAP lines are the subtests of that case, four
 * columns deeper, and its totals are its own. One level only.
 */
#define KTEST_NESTED_INDENT	"        "

/* One KTAP line of the current run, at its depth. */
static void __printf(1, 2) ktap_line(const char *fmt, ...)
{
	char line[PRINTK_LINE_MAX];
	va_list args;

	va_start(args, fmt);
	vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	printk("%s%s", run.indent, line);
}

/*
 * Whether case c is selected by glob (NULL selects all). A nested run
 * leaves out the case that started it, which is running already.
 */
static bool case_selected(const struct ktest_case *c, const char *glob)
{
	char full[128];

	if (outer.running && c == outer.current_case)
		return false;
	if (!glob)
		return true;
	snprintf(full, sizeof(full), "%s.%s", c->suite, c->name);
	/* "a.*,b.c": any of the comma-separated globs. */
	while (*glob) {
		char one[128];
		size_t n = strcspn(glob, ",");

		if (n < sizeof(one)) {
			memcpy(one, glob, n);
			one[n] = '\0';
			if (glob_match(one, full))
				return true;
		}
		glob += n;
		glob += *glob == ',';
	}
	return false;
}

/* An array of cases: the built-in ones, or one a module registered
 * (owner: the module whose code registered it, or NULL: the kernel). */
struct case_block {
	const struct ktest_case *start, *end;
	const struct module *owner;
};

static struct case_block extra[KTEST_MAX_EXTRA];
static unsigned int nr_extra;
static unsigned int nr_blocks_running;	/* blocks the current run covers */

int ktest_register_cases(const struct ktest_case *cases, unsigned int n)
{
	const struct module *owner = module_address((unsigned long)__builtin_return_address(0));

	if (!cases || n == 0)
		return -EINVAL;
	for (unsigned int i = 0; i < nr_extra; i++)
		if (extra[i].start == cases)
			return -EEXIST;
	if (nr_extra == KTEST_MAX_EXTRA)
		return -ENOSPC;
	extra[nr_extra].start = cases;
	extra[nr_extra].end = cases + n;
	extra[nr_extra].owner = owner;
	nr_extra++;
	return 0;
}

/* Whether block b belongs to mod: registered by its code, or the array
 * lies in its image. */
static bool block_of(const struct case_block *b, const struct module *mod)
{
	unsigned long a = (unsigned long)b->start, base = (unsigned long)mod->base;

	return b->owner == mod || (a >= base && a - base < mod->layout.total_size);
}

int ktest_drop_module_cases(const struct module *mod, unsigned int *dropped)
{
	int err = 0;

	*dropped = 0;
	for (unsigned int i = 0; i < nr_extra; i++) {
		if (!block_of(&extra[i], mod))
			continue;
		if (ktest_cases_busy(extra[i].start, 1)) {
			err = -EBUSY;
			continue;
		}
		memmove(&extra[i], &extra[i + 1], (nr_extra - i - 1) * sizeof(extra[0]));
		nr_extra--;
		i--;
		(*dropped)++;
	}
	return err;
}

int ktest_unregister_cases(const struct ktest_case *cases)
{
	for (unsigned int i = 0; i < nr_extra; i++) {
		if (extra[i].start != cases)
			continue;
		/* Block 0 is the built-in cases, so extra[i] is block i + 1. */
		if (ktest_cases_busy(cases, 1))
			return -EBUSY;
		memmove(&extra[i], &extra[i + 1],
			(nr_extra - i - 1) * sizeof(extra[0]));
		nr_extra--;
		return 0;
	}
	return -ENOENT;
}

bool ktest_cases_busy(const void *start, unsigned long size)
{
	unsigned int blocks = max(nr_blocks_running, outer.running ? outer_blocks : 0);

	for (unsigned int i = 0; i + 1 < blocks && i < nr_extra; i++) {
		unsigned long a = (unsigned long)extra[i].start;

		if (a >= (unsigned long)start && a - (unsigned long)start < size)
			return true;
	}
	return false;
}

static struct case_block case_block(unsigned int i)
{
	if (i == 0)
		return (struct case_block){ __ktest_cases_start, __ktest_cases_end, NULL };
	return extra[i - 1];
}

/* The end of the run of consecutive cases that share c's suite. */
static const struct ktest_case *suite_end(const struct ktest_case *c,
					  const struct ktest_case *end)
{
	const struct ktest_case *e = c;

	while (e < end && strcmp(e->suite, c->suite) == 0)
		e++;
	return e;
}

static int count_selected(const struct ktest_case *from,
			  const struct ktest_case *to, const char *glob)
{
	int n = 0;

	for (; from < to; from++)
		n += case_selected(from, glob);
	return n;
}

/* Runs one case and prints its result line; returns whether it failed. */
static bool run_case(const struct ktest_case *c, int nr)
{
	struct ktest t = { .name = c->name };

	run.current = &t;
	run.current_case = c;
	run.case_nr = nr;
	c->run(&t);
	run.current = NULL;
	run.current_case = NULL;

	run.total++;
	if (t.failed) {
		run.fail++;
		ktap_line("    " KTAP_NOT_OK " %d %s\n", nr, c->name);
	} else if (t.skipped) {
		run.skip++;
		ktap_line("    " KTAP_OK " %d %s # SKIP %s\n", nr, c->name,
			  t.skip_reason ? t.skip_reason : "");
	} else {
		run.pass++;
		ktap_line("    " KTAP_OK " %d %s\n", nr, c->name);
	}
	return t.failed;
}

/* Runs the selected cases of one suite, [c, end), and prints its line. */
static void run_suite(const struct ktest_case *c, const struct ktest_case *end,
		      int n, const char *glob)
{
	unsigned int skipped_before = run.skip;
	int nr = 0, failed = 0;

	run.suite = c->suite;
	run.suite_nr++;
	ktap_line("    KTAP version 1\n");
	ktap_line("    # Subtest: %s\n", c->suite);
	ktap_line("    1..%d\n", n);
	for (const struct ktest_case *k = c; k < end; k++) {
		if (case_selected(k, glob))
			failed += run_case(k, ++nr);
	}

	if (failed)
		ktap_line(KTAP_NOT_OK " %d %s\n", run.suite_nr, c->suite);
	else if (run.skip - skipped_before == (unsigned int)n)
		ktap_line(KTAP_OK " %d %s # SKIP\n", run.suite_nr, c->suite);
	else
		ktap_line(KTAP_OK " %d %s\n", run.suite_nr, c->suite);
	run.suite = NULL;
}

int ktest_run(const char *glob, struct ktest_totals *totals)
{
	const struct ktest_case *c, *end;
	bool nested = run.running;
	int nsuites = 0;

	if (nested && outer.running)
		return -EBUSY;
	if (nested) {
		outer = run;
		outer_blocks = nr_blocks_running;
	}
	memset(&run, 0, sizeof(run));
	run.running = true;
	run.indent = nested ? KTEST_NESTED_INDENT : "";
	nr_blocks_running = 1 + nr_extra;

	/* The plan counts the suites with at least one selected case. */
	for (unsigned int b = 0; b < nr_blocks_running; b++) {
		struct case_block blk = case_block(b);

		for (c = blk.start; c < blk.end; c = end) {
			end = suite_end(c, blk.end);
			if (count_selected(c, end, glob))
				nsuites++;
		}
	}

	ktap_line("KTAP version 1\n");
	ktap_line("1..%d\n", nsuites);
	for (unsigned int b = 0; b < nr_blocks_running; b++) {
		struct case_block blk = case_block(b);

		for (c = blk.start; c < blk.end; c = end) {
			int n;

			end = suite_end(c, blk.end);
			n = count_selected(c, end, glob);
			if (n)
				run_suite(c, end, n, glob);
		}
	}
	ktap_line("# Totals: pass:%u fail:%u skip:%u\n", run.pass, run.fail, run.skip);

	if (totals)
		*totals = (struct ktest_totals){ run.pass, run.fail, run.skip };
	run.running = false;
	nr_blocks_running = 0;
	if (nested) {
		unsigned int fail = run.fail;

		run = outer;
		nr_blocks_running = outer_blocks;
		outer.running = false;
		return fail;
	}
	return run.fail;
}

bool ktest_running(void)
{
	return run.running;
}

void ktest_run_and_exit(void)
{
	int failed;

	/*
	 * Checkpoint "ktest", before the first test: a few live kmap and
	 * kmap_atomic slots and the vmalloc areas listed, for the emulator
	 * oracles to compare while nothing changes them.
	 */
	if (pgtrace_enabled || paging_checkpoint_armed("ktest")) {
		highmem_checkpoint_begin();
		printk("vmallocinfo:\n");
		vmallocinfo_show(printk);
		paging_checkpoint("ktest");
		highmem_checkpoint_end();
	}
	failed = ktest_run(ktest_glob, NULL);

	if (run.total == 0) {
		/* A glob that matches nothing is a mistake, not a pass. */
		printk("# ktest: no test matches \"%s\"\n",
		       ktest_glob ? ktest_glob : "*");
		failed = 1;
	}
	emulator_exit(failed ? 1 : 0);

	/* Still here: a real machine. */
	printk("ktest: done, halting\n");
	console_flush();
	halt_forever();
}

/* Close the KTAP output of the current run, failed by a panic. */
static void close_run_after_panic(void)
{
	if (run.current) {
		ktap_line("    # %s: kernel panic during the test\n",
			  run.current->name);
		ktap_line("    " KTAP_NOT_OK " %d %s\n", run.case_nr, run.current->name);
		run.fail++;
		run.current = NULL;
	}
	if (run.suite)
		ktap_line(KTAP_NOT_OK " %d %s\n", run.suite_nr, run.suite);
	ktap_line("# Totals: pass:%u fail:%u skip:%u\n", run.pass, run.fail, run.skip);
	run.running = false;
}

void ktest_panic_hook(void)
{
	if (!run.running) {
		/* A panic before the tests began still ends a test boot. */
		if (ktest_wanted) {
			printk("# ktest: kernel panic before the tests ran\n");
			emulator_exit(1);
		}
		return;
	}
	close_run_after_panic();
	if (outer.running) {
		/* A nested run fails the case of the outer one that ran it. */
		run = outer;
		outer.running = false;
		close_run_after_panic();
	}
	emulator_exit(1);
}

/* ------------------------------------------------ the assertion reports */

static void vfail(struct ktest *t, bool assertion, const char *file,
		  int line, const char *fmt, va_list args)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, args);
	ktap_line("    # %s: %s FAILED at %s:%d\n", t->name,
		  assertion ? "ASSERTION" : "EXPECTATION", file, line);
	ktap_line("    # %s\n", msg);
	t->failed = true;
}

void __kt_fail(struct ktest *t, bool assertion, const char *file, int line,
	       const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vfail(t, assertion, file, line, fmt, args);
	va_end(args);
}

void __kt_fail_cmp(struct ktest *t, bool assertion, const char *file,
		   int line, const char *a, const char *op, const char *b,
		   unsigned long long va, unsigned long long vb)
{
	__kt_fail(t, assertion, file, line,
		  "Expected %s %s %s, but %s == 0x%llx (%lld), %s == 0x%llx (%lld)",
		  a, op, b, a, va, (long long)va, b, vb, (long long)vb);
}

void __kt_fail_str(struct ktest *t, bool assertion, const char *file,
		   int line, const char *a, const char *op, const char *b,
		   const char *sa, const char *sb)
{
	/* %s prints a NULL pointer as (null), without quotes around it. */
	__kt_fail(t, assertion, file, line,
		  "Expected %s %s %s, but %s == %s%s%s, %s == %s%s%s",
		  a, op, b, a, sa ? "\"" : "", sa, sa ? "\"" : "",
		  b, sb ? "\"" : "", sb, sb ? "\"" : "");
}

bool __kt_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void kt_mark_skipped(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}
