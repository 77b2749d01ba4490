/* SPDX-License-Identifier: MIT */
/*
 * The smallest module (docs/vmalloc-and-modules.md): init and exit print a
 * line. Its globals exercise every relocation a -fno-pic object carries
 * (R_386_32 to data and strings, R_386_PC32 to printk) and every group of
 * the layout (text, rodata, data, bss).
 */
#include "kernel/module.h"
#include "kernel/printk.h"

static const char greeting[] = "hello";
static int loads = 1;			/* .data */
static int unloads;			/* .bss */
const char *hello_word = greeting;	/* .data, an R_386_32 to .rodata */

static int hello_init(void)
{
	printk("%s: %s from a module (load %d)\n", "hello", hello_word, loads++);
	return 0;
}

static void hello_exit(void)
{
	unloads++;
	printk("hello: goodbye (%d unload)\n", unloads);
}

module_init(hello_init);
module_exit(hello_exit);
