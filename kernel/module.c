/* SPDX-License-Identifier: MIT */
/*
 * Loading and unloading modules (include/kernel/module.h; the design in
 * docs/vmalloc-and-modules.md): kernel/module_elf.c checks and lays out the
 * ELF32 relocatable object (System V gABI, i386 psABI), the image is
 * allocated in vmalloc space, relocated against the symbols exported with
 * EXPORT_SYMBOL, given its protections (text RX, rodata R+NX, data RW+NX),
 * and its init_module run in a kernel thread of its own, with a timeout.
 * A module that fails at any step leaves nothing allocated behind, except
 * one whose init oopsed or outlived the timeout: that one stays listed.
 */
#include "asm/page.h"
#include "kernel/bootinfo.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

/* ------------------------------------------------------------ exports */

/*
 * The kernel's interface to modules. The linker script gathers the
 * entries between __start___ksymtab and __stop___ksymtab in .rodata.
 */
EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(kmalloc);
EXPORT_SYMBOL(kzalloc);
EXPORT_SYMBOL(kfree);
EXPORT_SYMBOL(kmap);
EXPORT_SYMBOL(kunmap);
EXPORT_SYMBOL(vmalloc);
EXPORT_SYMBOL(vzalloc);
EXPORT_SYMBOL(vfree);
EXPORT_SYMBOL(alloc_pages);
EXPORT_SYMBOL(__free_pages);
/* clang calls these on its own (structure copies, zeroing) */
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memmove);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(snprintf);
/* what KT_* expand to, and the registration of a module's cases */
EXPORT_SYMBOL(ktest_register_cases);
EXPORT_SYMBOL(ktest_unregister_cases);
EXPORT_SYMBOL(__kt_fail);
EXPORT_SYMBOL(__kt_fail_cmp);
EXPORT_SYMBOL(__kt_fail_str);
EXPORT_SYMBOL(__kt_streq);
EXPORT_SYMBOL(kt_mark_skipped);

unsigned long find_kernel_symbol(const char *name)
{
	for (const struct kernel_symbol *s = __start___ksymtab;
	     s < __stop___ksymtab; s++)
		if (strcmp(s->name, name) == 0)
			return s->value;
	return 0;
}

/* module_elf's lookup callback. */
static int ksym_lookup(void *ctx, const char *name, uint32_t *value)
{
	unsigned long addr = find_kernel_symbol(name);

	if (!addr)
		return -ENOENT;
	*value = addr;
	return 0;
}

/* ------------------------------------------------------------ load, unload */

static LIST_HEAD(modules);
/* The list's changes and each module's init_* fields and state. */
static DEFINE_SPINLOCK(module_lock);

unsigned int module_init_timeout = MODULE_INIT_TIMEOUT_DEFAULT;
/* module.init_timeout=N: seconds load_module waits for init_module. */
__setup_uint("module.init_timeout", module_init_timeout, 1, 3600);

/* The MOD_ERR_* code of load_module's last refusal of a malformed file. */
static int last_elf_err;

const char *module_state_name(enum module_state state)
{
	switch (state) {
	case MODULE_STATE_LIVE:		return "Live";
	case MODULE_STATE_FAILED:	return "Failed";
	default:			return "Loading";
	}
}

struct module *find_module(const char *name)
{
	struct module *mod;

	list_for_each_entry(mod, &modules, list)
		if (strcmp(mod->name, name) == 0)
			return mod;
	return NULL;
}

struct module *next_module(const struct module *mod)
{
	struct list_head *next = mod ? mod->list.next : modules.next;

	return next == &modules ? NULL : list_entry(next, struct module, list);
}

struct module *module_address(unsigned long addr)
{
	struct module *mod;

	list_for_each_entry(mod, &modules, list)
		if (addr >= (unsigned long)mod->base &&
		    addr - (unsigned long)mod->base < mod->layout.total_size)
			return mod;
	return NULL;
}

/* Each group's protection, in enum module_group order. */
static pgprot_t group_prot(int g)
{
	switch (g) {
	case MOD_GROUP_TEXT:	return PAGE_KERNEL_RX;
	case MOD_GROUP_RODATA:	return PAGE_KERNEL_RO;
	default:		return PAGE_KERNEL;
	}
}

static int set_protections(struct module *mod)
{
	for (int g = 0; g < MOD_NR_GROUPS; g++) {
		int err;

		if (!mod->layout.group[g].size)
			continue;
		err = vmalloc_set_prot((char *)mod->base + mod->layout.group[g].offset,
				       mod->layout.group[g].size, group_prot(g));
		if (err)
			return err;
	}
	return 0;
}

/* Drop the KTAP cases mod registered; false when some are part of the
 * run in progress (then mod's memory must stay). */
static bool drop_module_cases(struct module *mod)
{
	unsigned int dropped;
	int err = ktest_drop_module_cases(mod, &dropped);

	if (dropped)
		pr_info("module %s: its %u KTAP case array(s) dropped\n", mod->name, dropped);
	if (err)
		pr_err("module %s: some of its KTAP cases are part of the run in progress; "
		       "its memory stays\n", mod->name);
	return !err;
}

static void set_state(struct module *mod, enum module_state state)
{
	spin_lock(&module_lock);
	mod->state = state;
	spin_unlock(&module_lock);
}

/* Take mod off the list and free it (nothing of it runs any more). */
static void free_module(struct module *mod)
{
	spin_lock(&module_lock);
	list_del(&mod->list);
	spin_unlock(&module_lock);
	vfree(mod->base);
	kfree(mod);
}

/*
 * init_module's thread. Whoever finds init done first finishes the
 * load: the loader while it waits; this thread once the loader went on
 * (init_abandoned), and then it frees nothing (lsmod may be walking the
 * list), so a late failure leaves the module Failed.
 */
static int module_init_thread(void *arg)
{
	struct module *mod = arg;
	int ret = mod->init();
	bool abandoned;

	spin_lock(&module_lock);
	mod->init_ret = ret;
	mod->init_done = true;
	abandoned = mod->init_abandoned;
	spin_unlock(&module_lock);
	if (!abandoned)
		return ret;
	if (ret == 0) {
		set_state(mod, MODULE_STATE_LIVE);
		pr_info("module %s: init_module returned 0 at last; live\n", mod->name);
	} else {
		drop_module_cases(mod);
		set_state(mod, MODULE_STATE_FAILED);
		pr_err("module %s: init_module returned %d at last; marked failed, its memory kept\n",
		       mod->name, ret);
	}
	return ret;
}

/* The oops ended init_module's thread (its on_oops, interrupts off). */
static void module_init_oopsed(struct task_struct *t)
{
	struct module *mod = t->arg;
	bool abandoned;

	spin_lock(&module_lock);
	mod->state = MODULE_STATE_FAILED;
	abandoned = mod->init_abandoned;
	spin_unlock(&module_lock);
	/* The loader, still waiting, says the rest itself. */
	if (abandoned) {
		drop_module_cases(mod);
		pr_err("module %s: init_module oopsed: marked failed, its memory kept\n",
		       mod->name);
	}
}

/*
 * Run mod's init_module in a thread of its own and wait for it, at most
 * module_init_timeout seconds of this CPU's ticks: what it returned (0
 * or an error), -ETIMEDOUT, or, *oopsed set, KTHREAD_OOPSED when an oops
 * ended it.
 */
static int run_init(struct module *mod, bool *oopsed)
{
	long timeout = (long)module_init_timeout * HZ;
	struct task_struct *t;
	bool dead;
	int ret;

	*oopsed = false;
	t = kthread_create_on_cpu(module_init_thread, mod, smp_processor_id(), mod->name);
	if (!t)
		return -ENOMEM;
	t->on_oops = module_init_oopsed;
	mod->init_thread = t;
	wake_up_process(t);
	wait_event_timeout(t->exit_wait, t->state == TASK_DEAD, timeout);

	spin_lock(&module_lock);
	dead = t->state == TASK_DEAD;
	if (!dead && !mod->init_done)
		mod->init_abandoned = true;
	spin_unlock(&module_lock);
	if (!dead && mod->init_abandoned) {
		pr_err("module %s: init still running after %u s; the boot goes on, "
		       "the thread left running\n", mod->name, module_init_timeout);
		kthread_detach(t);
		return -ETIMEDOUT;
	}
	*oopsed = t->oopsed;		/* read before the join frees t */
	ret = kthread_join(t);
	mod->init_thread = NULL;
	return ret;
}

struct module *load_module(const void *blob, unsigned long size,
			   const char *name, int *errp)
{
	char msg[MODULE_MSG_MAX];
	struct module_result res;
	struct module *mod;
	bool oopsed;
	int err;

	last_elf_err = 0;
	mod = kzalloc(sizeof(*mod), GFP_KERNEL);
	if (!mod) {
		err = -ENOMEM;
		goto out;
	}
	strscpy(mod->name, name, sizeof(mod->name));
	if (find_module(mod->name)) {
		pr_err("module %s: already loaded\n", mod->name);
		err = -EEXIST;
		goto free_mod;
	}

	err = module_layout(blob, size, &mod->layout, msg, sizeof(msg));
	if (err) {
		pr_err("module %s: %s: %s\n", mod->name, module_strerror(err), msg);
		last_elf_err = err;
		err = -ENOEXEC;
		goto free_mod;
	}
	mod->base = __vmalloc(mod->layout.total_size, PAGE_SIZE, PAGE_KERNEL,
			      VM_MODULE, __builtin_return_address(0));
	if (!mod->base) {
		pr_err("module %s: no room for its %u bytes\n", mod->name,
		       mod->layout.total_size);
		err = -ENOMEM;
		goto free_mod;
	}
	err = module_relocate(blob, size, &mod->layout, (uint32_t)(unsigned long)mod->base,
			      mod->base, ksym_lookup, NULL, &res, msg, sizeof(msg));
	if (err) {
		pr_err("module %s: %s: %s\n", mod->name, module_strerror(err), msg);
		last_elf_err = err;
		err = -ENOEXEC;
		goto free_image;
	}
	err = set_protections(mod);
	if (err) {
		pr_err("module %s: cannot set its page protections (%d)\n",
		       mod->name, err);
		goto free_image;
	}

	mod->init = (int (*)(void))(unsigned long)res.init;
	mod->exit = res.exit ? (void (*)(void))(unsigned long)res.exit : NULL;
	mod->state = MODULE_STATE_COMING;
	spin_lock(&module_lock);
	list_add_tail(&mod->list, &modules);
	spin_unlock(&module_lock);
	pr_info("module %s: at %p, text 0x%x, rodata 0x%x, data 0x%x bytes, %u relocations\n",
		mod->name, mod->base, mod->layout.group[MOD_GROUP_TEXT].size,
		mod->layout.group[MOD_GROUP_RODATA].size,
		mod->layout.group[MOD_GROUP_DATA].size, res.nr_relocs);

	err = run_init(mod, &oopsed);
	if (mod->init_abandoned)
		goto out;		/* -ETIMEDOUT: listed, its thread running */
	if (oopsed) {
		err = KTHREAD_OOPSED;
		drop_module_cases(mod);
		pr_err("module %s: init_module oopsed: marked failed, its memory kept\n",
		       mod->name);
		goto out;
	}
	if (err) {
		if (!mod->init_done)
			pr_err("module %s: no memory for its init thread\n", mod->name);
		else
			pr_err("module %s: init_module returned %d\n", mod->name, err);
		if (!drop_module_cases(mod)) {
			set_state(mod, MODULE_STATE_FAILED);
			goto out;
		}
		free_module(mod);
		goto out;
	}
	set_state(mod, MODULE_STATE_LIVE);
	return mod;

free_image:
	vfree(mod->base);
free_mod:
	kfree(mod);
out:
	if (errp)
		*errp = err;
	return NULL;
}

int unload_module(struct module *mod)
{
	if (mod->state != MODULE_STATE_LIVE) {
		pr_err("module %s: %s, cannot unload\n", mod->name,
		       mod->state == MODULE_STATE_FAILED ? "failed (its memory stays)" :
							   "its init is still running");
		return -EBUSY;
	}
	if (!mod->exit) {
		pr_err("module %s: no cleanup_module, cannot unload\n", mod->name);
		return -EBUSY;
	}
	if (ktest_cases_busy(mod->base, mod->layout.total_size)) {
		pr_err("module %s: its KTAP cases are part of the run in progress\n", mod->name);
		return -EBUSY;
	}
	mod->exit();
	drop_module_cases(mod);		/* what its exit left registered */
	pr_info("module %s: unloaded\n", mod->name);
	free_module(mod);
	return 0;
}

static struct module_load_record boot_records[BOOT_MODULES_MAX];
static unsigned int nr_boot_records;

const struct module_load_record *boot_module_records(unsigned int *n)
{
	*n = nr_boot_records;
	return boot_records;
}

/* Free pages, live areas and page tables with nothing freed left cached:
 * lazily freed vmalloc ranges purged, empty kmalloc slabs returned. */
static void measure(unsigned long *free, unsigned long *areas,
		    unsigned long *pte_pages)
{
	vm_purge_lazy();
	kmalloc_shrink();
	*free = nr_free_pages();
	*areas = vmalloc_stats.nr_areas;
	*pte_pages = vmalloc_stats.pte_pages;
}

static void add_record(const struct module_load_record *rec)
{
	if (nr_boot_records < BOOT_MODULES_MAX)
		boot_records[nr_boot_records++] = *rec;
}

int load_boot_modules(void)
{
	int loaded = 0;

	/* The ones the boot had no room for (copy_boot_modules). */
	for (unsigned int i = 0; i < nr_boot_modules_dropped; i++) {
		struct module_load_record rec = { .err = -ENOMEM };

		boot_module_name(rec.name, boot_modules_dropped[i].name);
		measure(&rec.free_before, &rec.areas_before, &rec.pte_pages_before);
		measure(&rec.free_after, &rec.areas_after, &rec.pte_pages_after);
		add_record(&rec);
	}
	for (unsigned int i = 0; i < nr_boot_modules; i++) {
		const struct boot_module *bm = &boot_modules[i];
		struct module_load_record rec = { 0 };

		boot_module_name(rec.name, bm->name);
		measure(&rec.free_before, &rec.areas_before, &rec.pte_pages_before);
		if (load_module(__va(bm->phys), bm->size, rec.name, &rec.err)) {
			loaded++;
			continue;
		}
		rec.elf_err = last_elf_err;
		rec.kept = find_module(rec.name) != NULL;
		measure(&rec.free_after, &rec.areas_after, &rec.pte_pages_after);
		pr_err("module %s: not loaded (%d)\n", rec.name, rec.err);
		add_record(&rec);
	}
	return loaded;
}
