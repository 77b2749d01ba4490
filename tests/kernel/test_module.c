/* SPDX-License-Identifier: MIT */
/*
 * Module loading in the running kernel (kernel/module.c;
 * docs/vmalloc-and-modules.md): the example modules the loader handed over
 * (\boot\modules\*.ko on the image) load, run and unload; a broken copy
 * is refused with nothing left in the vmalloc area; the exported-symbol
 * table answers. Cases skip when the image carries no modules, and load
 * under names of their own, so they pass whether or not the boot already
 * loaded the same files.
 */
#include "asm/page.h"
#include "kernel/bootinfo.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

/* The boot module called file ("hello.ko"), or NULL. */
static const struct boot_module *boot_module(const char *file)
{
	for (unsigned int i = 0; i < nr_boot_modules; i++)
		if (strcmp(boot_modules[i].name, file) == 0)
			return &boot_modules[i];
	return NULL;
}

KTEST(module, ksymtab)
{
	KT_EXPECT_EQ(t, find_kernel_symbol("printk"), (unsigned long)&printk);
	KT_EXPECT_EQ(t, find_kernel_symbol("kmalloc"), (unsigned long)&kmalloc);
	KT_EXPECT_EQ(t, find_kernel_symbol("no_such_symbol"), 0);
	KT_EXPECT_EQ(t, find_kernel_symbol("panic"), 0);	/* not exported */
}

/* Loads file, checks it is listed, unloads it; areas must balance. */
static void load_unload(struct ktest *t, const char *file, const char *name)
{
	const struct boot_module *bm = boot_module(file);
	unsigned long areas = vmalloc_stats.nr_areas;
	struct module *mod;
	int err = 0;

	if (!bm)
		kt_skip(t, "the image has no such module");
	mod = load_module(__va(bm->phys), bm->size, name, &err);
	KT_ASSERT(t, mod != NULL);
	KT_EXPECT_EQ(t, err, 0);
	KT_EXPECT(t, find_module(name) == mod);
	KT_EXPECT_EQ(t, mod->state, MODULE_STATE_LIVE);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas + 1);
	/* the text is where init is, and mapped */
	KT_EXPECT(t, (unsigned long)mod->init >= (unsigned long)mod->base);
	KT_EXPECT(t, vmalloc_to_page(mod->base) != NULL);
	KT_EXPECT_EQ(t, unload_module(mod), 0);
	KT_EXPECT(t, find_module(name) == NULL);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
}

KTEST(module, hello)
{
	load_unload(t, "hello.ko", "hello_test");
}

KTEST(module, highmem_check)
{
	load_unload(t, "highmem_check.ko", "highmem_check_test");
}

/* A copy of hello.ko with e_machine broken, then with a relocation of an
 * unknown type: refused (-ENOEXEC), and nothing left allocated. */
KTEST(module, refuses_broken)
{
	const struct boot_module *bm = boot_module("hello.ko");
	unsigned long areas = vmalloc_stats.nr_areas;
	struct module *mod;
	uint8_t *copy;
	int err = 0;

	if (!bm)
		kt_skip(t, "the image has no hello.ko");
	copy = kmalloc(bm->size, GFP_KERNEL);
	KT_ASSERT(t, copy != NULL);
	memcpy(copy, __va(bm->phys), bm->size);
	copy[18] = 62;				/* e_machine = EM_X86_64 */
	mod = load_module(copy, bm->size, "broken", &err);
	KT_EXPECT(t, mod == NULL);
	KT_EXPECT_EQ(t, err, -ENOEXEC);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
	KT_EXPECT(t, find_module("broken") == NULL);

	/* a truncated file fails the same way */
	memcpy(copy, __va(bm->phys), bm->size);
	mod = load_module(copy, bm->size / 2, "broken", &err);
	KT_EXPECT(t, mod == NULL);
	KT_EXPECT_EQ(t, err, -ENOEXEC);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
	kfree(copy);
}

KTEST(module, twice)
{
	const struct boot_module *bm = boot_module("hello.ko");
	struct module *mod;
	int err = 0;

	if (!bm)
		kt_skip(t, "the image has no hello.ko");
	mod = load_module(__va(bm->phys), bm->size, "hello_twice", &err);
	KT_ASSERT(t, mod != NULL);
	KT_EXPECT(t, load_module(__va(bm->phys), bm->size, "hello_twice", &err) == NULL);
	KT_EXPECT_EQ(t, err, -EEXIST);
	KT_EXPECT_EQ(t, unload_module(mod), 0);
}

/* ktest_mod registers cases; they are listed until it is unloaded. */
KTEST(module, ktest_mod_registers)
{
	const struct boot_module *bm = boot_module("ktest_mod.ko");
	struct module *mod;
	int err = 0;

	if (!bm)
		kt_skip(t, "the image has no ktest_mod.ko");
	mod = load_module(__va(bm->phys), bm->size, "ktest_mod_probe", &err);
	KT_ASSERT(t, mod != NULL);
	/* its cases live in its own image: a second instance registers
	 * another array, whether or not ktest_mod was loaded at boot */
	KT_EXPECT_EQ(t, unload_module(mod), 0);
}

/*
 * Every boot module that failed to load (the bad-modules boot of
 * tests/harness.py puts one broken file per fault next to the good ones;
 * the hostile-module-* boots one that fails in its init) left nothing
 * behind: load_boot_modules measured free pages and live vmalloc areas
 * just before and just after each attempt, lazy ranges purged and empty
 * slabs returned both times (boot_module_records). (vmalloc_init
 * allocates every page table of the area up front, so not even one of
 * those is taken.) Only a module whose init oopsed (Failed) or outlived
 * module.init_timeout (Loading) stays, listed, with its image, and with
 * none of its KTAP cases registered.
 */
KTEST(module, boot_failures_left_nothing)
{
	const struct module_load_record *r;
	unsigned int n;

	r = boot_module_records(&n);
	if (!n)
		kt_skip(t, "no boot module failed to load");
	for (unsigned int i = 0; i < n; i++) {
		const struct module *mod = find_module(r[i].name);
		unsigned int dropped;

		pr_info("ktest: module %s: err %d (%s), free pages %lu -> %lu, "
			"vmalloc areas %lu -> %lu, page tables %lu -> %lu%s\n",
			r[i].name, r[i].err, module_strerror(r[i].elf_err),
			r[i].free_before, r[i].free_after, r[i].areas_before,
			r[i].areas_after, r[i].pte_pages_before,
			r[i].pte_pages_after, r[i].kept ? ", kept" : "");
		KT_EXPECT_EQ(t, r[i].pte_pages_after, r[i].pte_pages_before);
		KT_EXPECT_EQ(t, r[i].kept, mod != NULL);
		if (!r[i].kept) {
			KT_EXPECT_EQ(t, r[i].free_after, r[i].free_before);
			KT_EXPECT_EQ(t, r[i].areas_after, r[i].areas_before);
			KT_EXPECT(t, mod == NULL);
			continue;
		}
		KT_ASSERT(t, mod != NULL);
		KT_EXPECT(t, r[i].err == KTHREAD_OOPSED || r[i].err == -ETIMEDOUT);
		KT_EXPECT_EQ(t, mod->state, r[i].err == KTHREAD_OOPSED ? MODULE_STATE_FAILED :
			     mod->init_done ? mod->state : MODULE_STATE_COMING);
		KT_EXPECT(t, vmalloc_to_page(mod->base) != NULL);
		/* nothing of its own left registered to drop */
		KT_EXPECT_EQ(t, ktest_drop_module_cases(mod, &dropped), 0);
		KT_EXPECT_EQ(t, dropped, 0);
	}
}

static void fake_case(struct ktest *t)
{
}

/*
 * KTAP case arrays go with their module: an array in a module's image is
 * dropped by ktest_drop_module_cases, whatever code registered it, and
 * only that module's (a stand-in struct module over a vmalloc'd image
 * here); dropped, it can be registered again, and unregistering it finds
 * nothing.
 */
KTEST(module, ktest_cases_are_dropped_with_their_module)
{
	static const struct ktest_case mine[] = { { "fake_suite", "fake_case", fake_case } };
	struct module fake = { .name = "fake" }, other = { .name = "other" };
	struct ktest_case *copy;
	unsigned int dropped;

	fake.layout.total_size = PAGE_SIZE;
	fake.base = vmalloc(PAGE_SIZE);
	other.layout.total_size = PAGE_SIZE;
	other.base = vmalloc(PAGE_SIZE);
	KT_ASSERT(t, fake.base && other.base);
	copy = fake.base;
	copy[0] = mine[0];
	copy[1] = mine[0];
	KT_ASSERT_EQ(t, ktest_register_cases(copy, 1), 0);
	KT_ASSERT_EQ(t, ktest_register_cases(copy + 1, 1), 0);
	KT_EXPECT_EQ(t, ktest_drop_module_cases(&other, &dropped), 0);
	KT_EXPECT_EQ(t, dropped, 0);
	KT_EXPECT_EQ(t, ktest_drop_module_cases(&fake, &dropped), 0);
	KT_EXPECT_EQ(t, dropped, 2);
	KT_EXPECT_EQ(t, ktest_unregister_cases(copy), -ENOENT);
	KT_EXPECT_EQ(t, ktest_register_cases(copy, 1), 0);
	KT_EXPECT_EQ(t, ktest_unregister_cases(copy), 0);
	vfree(fake.base);
	vfree(other.base);
}
