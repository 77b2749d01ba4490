/* SPDX-License-Identifier: MIT */
/*
 * A test module whose init writes to its own text, which the loader mapped
 * read-only (the boot hostile-module-text-write, tests/matrix.py): a
 * protection fault in module code, with the same outcome as a NULL write.
 */
#include "kernel/module.h"
#include "kernel/printk.h"

static int textwrite_init(void);
static int (*volatile self)(void) = textwrite_init;

static int textwrite_init(void)
{
	printk("textwrite: writing to my own text at %p\n", (void *)self);
	*(volatile unsigned char *)(void *)self = 0xcc;
	return 0;
}

module_init(textwrite_init);
