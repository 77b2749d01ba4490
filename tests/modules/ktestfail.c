/* SPDX-License-Identifier: MIT */
/*
 * A test module whose init registers KTAP cases, then fails (the boot
 * hostile-module-ktest-then-fail, tests/matrix.py): its image is freed, so
 * the kernel must drop the registration with it, or the next ktest run
 * reads the freed suite names.
 */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/printk.h"

static void never_runs(struct ktest *t)
{
	KT_EXPECT(t, false);
}

static const struct ktest_case ktestfail_cases[] = {
	{ "ktestfail", "never_runs", never_runs },
};

static int ktestfail_init(void)
{
	int err = ktest_register_cases(ktestfail_cases, ARRAY_SIZE(ktestfail_cases));

	printk("ktestfail: registered my cases (%d), now failing with -EINVAL\n", err);
	return -EINVAL;
}

module_init(ktestfail_init);
