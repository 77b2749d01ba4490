/* SPDX-License-Identifier: MIT */
/*
 * The address of a kernel symbol that Linux 6.1 does not export to
 * modules: kallsyms_lookup_name() is not exported either since 5.7, so
 * it is found as the address of a kprobe placed on it (kprobes.rst:
 * symbol_name), then asked for the name.
 */
#ifndef LINUXBENCH_KALLSYMS_H
#define LINUXBENCH_KALLSYMS_H

#include <linux/kprobes.h>
#include <linux/printk.h>

/* The address of name, or NULL with one line saying why. */
static inline void *linuxbench_lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*lookup)(const char *name);
	unsigned long addr;
	int err = register_kprobe(&kp);

	if (err) {
		pr_err("linuxbench: no kprobe on kallsyms_lookup_name (%d)\n", err);
		return NULL;
	}
	lookup = (void *)kp.addr;
	unregister_kprobe(&kp);
	addr = lookup(name);
	if (!addr)
		pr_err("linuxbench: %s is not in kallsyms\n", name);
	return (void *)addr;
}

#endif
