/* SPDX-License-Identifier: MIT */
/*
 * Loading and unloading modules (include/kernel/module.h; the design in
 * docs/vmalloc-and-modules.md): kernel/module_elf.c checks and lays out the
 * ELF32 relocatable object (System V gABI, i386 psABI), the image is
 * allocated in vmalloc space, relocated against the symbols exported with
 * EXPORT_SYMBOL, given its protections (text RX, rodata R+NX, data RW+NX),
 * and its init_module run. A module that fails at any step leaves nothing
 * allocated behind.
 */
#include "asm/page.h"
#include "kernel/bootinfo.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/printk.h"
#include "kernel/string.h"
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

/* The MOD_ERR_* code of load_module's last refusal of a malformed file. */
static int last_elf_err;

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

struct module *load_module(const void *blob, unsigned long size,
			   const char *name, int *errp)
{
	char msg[MODULE_MSG_MAX];
	struct module_result res;
	struct module *mod;
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
	list_add_tail(&mod->list, &modules);
	pr_info("module %s: at %p, text 0x%x, rodata 0x%x, data 0x%x bytes, %u relocations\n",
		mod->name, mod->base, mod->layout.group[MOD_GROUP_TEXT].size,
		mod->layout.group[MOD_GROUP_RODATA].size,
		mod->layout.group[MOD_GROUP_DATA].size, res.nr_relocs);

	err = mod->init();
	if (err) {
		pr_err("module %s: init_module returned %d\n", mod->name, err);
		list_del(&mod->list);
		goto free_image;
	}
	mod->state = MODULE_STATE_LIVE;
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
	if (!mod->exit) {
		pr_err("module %s: no cleanup_module, cannot unload\n", mod->name);
		return -EBUSY;
	}
	mod->exit();
	list_del(&mod->list);
	vfree(mod->base);
	pr_info("module %s: unloaded\n", mod->name);
	kfree(mod);
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

int load_boot_modules(void)
{
	int loaded = 0;

	for (unsigned int i = 0; i < nr_boot_modules; i++) {
		const struct boot_module *bm = &boot_modules[i];
		struct module_load_record rec = { 0 };
		char *dot;

		/* "hello.ko" is module "hello" */
		strscpy(rec.name, bm->name, sizeof(rec.name));
		dot = strrchr(rec.name, '.');
		if (dot && strcmp(dot, ".ko") == 0)
			*dot = '\0';
		measure(&rec.free_before, &rec.areas_before, &rec.pte_pages_before);
		if (load_module(__va(bm->phys), bm->size, rec.name, &rec.err)) {
			loaded++;
			continue;
		}
		rec.elf_err = last_elf_err;
		measure(&rec.free_after, &rec.areas_after, &rec.pte_pages_after);
		pr_err("module %s: not loaded (%d)\n", rec.name, rec.err);
		if (nr_boot_records < BOOT_MODULES_MAX)
			boot_records[nr_boot_records++] = rec;
	}
	return loaded;
}
