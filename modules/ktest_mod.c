/* SPDX-License-Identifier: MIT */
/*
 * A module that brings its own KTAP tests (kernel/ktest.c): init registers
 * an array of cases, which the next ktest run reports as suite
 * "module_ktest" after the built-in suites; exit unregisters them. The
 * cases check what only a relocated module can see: its data, its bss,
 * its rodata and calls into the kernel.
 */
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"

static int counter = 41;
static int zeroed[16];
static const char text[] = "relocated";

static void module_data(struct ktest *t)
{
	KT_EXPECT_EQ(t, counter + 1, 42);
	for (unsigned int i = 0; i < ARRAY_SIZE(zeroed); i++)
		KT_EXPECT_EQ(t, zeroed[i], 0);
}

static void module_rodata(struct ktest *t)
{
	KT_EXPECT_EQ(t, strlen(text), 9);
	KT_EXPECT_STREQ(t, text, "relocated");
}

static void module_kmalloc(struct ktest *t)
{
	char *p = kmalloc(100, GFP_KERNEL);

	KT_ASSERT(t, p != NULL);
	memset(p, 0x5a, 100);
	KT_EXPECT_EQ(t, p[99], 0x5a);
	KT_EXPECT_EQ(t, kfree(p), 0);
}

/* A function pointer in data: an R_386_32 against .text. */
static int add_one(int x)
{
	return x + 1;
}
static int (*volatile indirect)(int) = add_one;

static void module_call(struct ktest *t)
{
	KT_EXPECT_EQ(t, indirect(1), 2);
}

static const struct ktest_case module_cases[] = {
	{ "module_ktest", "data", module_data },
	{ "module_ktest", "rodata", module_rodata },
	{ "module_ktest", "kmalloc", module_kmalloc },
	{ "module_ktest", "call", module_call },
};

static int ktest_mod_init(void)
{
	int err = ktest_register_cases(module_cases, ARRAY_SIZE(module_cases));

	if (err)
		printk("ktest_mod: cannot register its cases (%d)\n", err);
	return err;
}

static void ktest_mod_exit(void)
{
	ktest_unregister_cases(module_cases);
}

module_init(ktest_mod_init);
module_exit(ktest_mod_exit);
