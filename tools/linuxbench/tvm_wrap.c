// SPDX-License-Identifier: MIT
/*
 * Linux 6.1's own lib/test_vmalloc.c, built unchanged from the
 * linux-source package (run.sh copies it to test_vmalloc_src.c) as a
 * module for a kernel that lacks it: its __vmalloc_node() is not exported
 * to modules, so every call goes through a pointer resolved at load time
 * (kallsyms.h).
 */
#include <linux/module.h>
#include <linux/vmalloc.h>
#include "kallsyms.h"

static void *(*resolved_vmalloc_node)(unsigned long size, unsigned long align,
				      gfp_t gfp_mask, int node, const void *caller);
#define __vmalloc_node(...) resolved_vmalloc_node(__VA_ARGS__)

static int __init resolve_vmalloc_node(void)
{
	resolved_vmalloc_node = linuxbench_lookup("__vmalloc_node");
	return resolved_vmalloc_node ? 0 : -ENOENT;
}

/* test_vmalloc.c's init runs once the pointer is set. Its -EAGAIN
 * (unload at once) becomes 0: busybox's insmod would load a module that
 * failed with finit_module(2) again with init_module(2) and every test
 * would run twice. */
#undef module_init
#define module_init(fn)						\
	static int __init resolve_then_##fn(void)		\
	{							\
		int err = resolve_vmalloc_node();		\
		if (err)					\
			return err;				\
		fn();						\
		return 0;					\
	}							\
	int init_module(void) __copy(resolve_then_##fn)	\
		__attribute__((alias("resolve_then_" #fn)));

#include "test_vmalloc_src.c"
