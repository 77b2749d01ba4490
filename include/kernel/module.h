/* SPDX-License-Identifier: MIT */
/*
 * Loadable modules (docs/vmalloc-and-modules.md; kernel/module.c): an ELF32
 * relocatable object handed over by the loader is laid out and relocated
 * by kernel/module_elf.c into vmalloc space, text RX, rodata R, data RW,
 * its undefined symbols resolved against the symbols the kernel exports
 * with EXPORT_SYMBOL, and its init_module called.
 *
 * In a module (built with -DMODULE): module_init(fn) / module_exit(fn).
 * In the kernel: EXPORT_SYMBOL(sym) makes sym visible to modules.
 */
#ifndef KERNEL_MODULE_H
#define KERNEL_MODULE_H

#include "kernel/kernel.h"
#include "kernel/list.h"
#include "kernel/module_elf.h"

#define MODULE_NAME_LEN		56	/* = BOOT_MODULE_NAME_MAX */

/* ------------------------------------------------------------ in a module */

/*
 * module_init(fn) - fn (int fn(void)) becomes the module's init_module,
 * the function the loader calls; a non-zero return fails the load and the
 * module is freed without its exit being called.
 * module_exit(fn) - fn (void fn(void)) becomes cleanup_module, called on
 * unload. The loader finds both by these symbol names (module_elf.h).
 */
#define module_init(fn)							\
	_Static_assert(__builtin_types_compatible_p(__typeof__(fn),	\
						    int (void)),	\
		       "module_init: " #fn " must be int " #fn "(void)"); \
	int init_module(void) __attribute__((alias(#fn)))

#define module_exit(fn)							\
	_Static_assert(__builtin_types_compatible_p(__typeof__(fn),	\
						    void (void)),	\
		       "module_exit: " #fn " must be void " #fn "(void)"); \
	void cleanup_module(void) __attribute__((alias(#fn)))

/* ------------------------------------------------------------ exports */

/* One exported symbol; the linker gathers them in __ksymtab. */
struct kernel_symbol {
	unsigned long value;
	const char *name;
};

extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];

#ifdef MODULE
/* Modules do not export: their symbols stay their own. */
#define EXPORT_SYMBOL(sym)
#else
#define EXPORT_SYMBOL(sym)						\
	static const char __kstrtab_##sym[] = #sym;			\
	static const struct kernel_symbol __ksymtab_##sym		\
		__used __section("__ksymtab")				\
		__aligned(__alignof__(struct kernel_symbol)) = {	\
		.value = (unsigned long)&sym,				\
		.name = __kstrtab_##sym,				\
	}
#endif

/* The address of an exported kernel symbol, or 0. */
unsigned long find_kernel_symbol(const char *name);

/* ------------------------------------------------------------ loaded modules */

enum module_state {
	MODULE_STATE_COMING,		/* relocated, init running ("Loading") */
	MODULE_STATE_LIVE,		/* init returned 0 ("Live") */
	MODULE_STATE_FAILED,		/* init oopsed, or failed too late to free
					 * it ("Failed"): kept, never freed */
};

struct task_struct;

struct module {
	char name[MODULE_NAME_LEN];
	enum module_state state;
	struct list_head list;		/* on the list of loaded modules */
	void *base;			/* the vmalloc area holding the image */
	struct module_layout layout;
	int (*init)(void);
	void (*exit)(void);		/* NULL: the module cannot be unloaded */
	/* init_module runs in a thread of its own (module_init_thread) */
	struct task_struct *init_thread;
	int init_ret;			/* what it returned, once init_done */
	bool init_done;
	bool init_abandoned;		/* the loader stopped waiting for it */
};

/* "Loading", "Live" or "Failed": lsmod's words. */
const char *module_state_name(enum module_state state);

/*
 * How long load_module waits for init_module (module.init_timeout=N
 * seconds of this CPU's timer, 1..3600, default 10) before it goes on
 * without it.
 */
#define MODULE_INIT_TIMEOUT_DEFAULT	10
extern unsigned int module_init_timeout;

/*
 * load_module - lay out, relocate and start the module in blob[size]
 * named name; its init_module runs in a kernel thread of its own, named
 * after the module, on this CPU. Returns the live module, or NULL with
 * *err set to a negative errno, the reason printed:
 *  -ENOEXEC, a malformed file; -ENOMEM; or what init_module returned:
 *   nothing is left allocated, and KTAP cases it registered are dropped;
 *  KTHREAD_OOPSED (-EOWNERDEAD): init_module oopsed, its thread ended;
 *   the module stays listed as Failed with its memory (its code may
 *   still be referenced: threads, callbacks), its KTAP cases dropped;
 *  -ETIMEDOUT: init_module is still running after module_init_timeout
 *   seconds; the module stays listed as Loading and its thread goes on.
 *   If init returns later, the module becomes Live, or Failed (its
 *   memory kept: nothing then waits to free it safely).
 */
struct module *load_module(const void *blob, unsigned long size,
			   const char *name, int *err);

/* Calls the module's exit and frees it; -EBUSY when it has no exit, is
 * not Live, or its KTAP cases are part of a run in progress. */
int unload_module(struct module *mod);

/* The module whose image holds addr, or NULL. */
struct module *module_address(unsigned long addr);

/* The loaded module called name, or NULL. */
struct module *find_module(const char *name);

/* The loaded modules in load order: next_module(NULL) is the first, then
 * each gives the next; NULL after the last. */
struct module *next_module(const struct module *mod);

/* Loads every boot module the loader handed over (boot_modules[]),
 * reporting each failure; returns how many loaded. */
int load_boot_modules(void);

/*
 * What load_boot_modules saw of each boot module it failed to load: the
 * error, and the free pages and live vmalloc areas just before and just
 * after the attempt. Both measures are taken with the lazily freed
 * vmalloc ranges purged (vm_purge_lazy) and the empty slabs the kmalloc
 * caches keep returned (kmalloc_shrink), so that a failed load that left
 * nothing behind reads the same before and after.
 */
struct module_load_record {
	char name[MODULE_NAME_LEN];
	int err;			/* load_module's: -ENOEXEC, -ENOMEM, ... */
	bool kept;			/* oopsed or timed out: the module stays */
	int elf_err;			/* the MOD_ERR_* code, or 0 */
	unsigned long free_before, free_after;		/* nr_free_pages() */
	unsigned long areas_before, areas_after;	/* vmalloc_stats.nr_areas */
	unsigned long pte_pages_before, pte_pages_after; /* vmalloc_stats.pte_pages */
};

/* The records of the failed boot modules, in load order; *n their number. */
const struct module_load_record *boot_module_records(unsigned int *n);

#endif /* KERNEL_MODULE_H */
