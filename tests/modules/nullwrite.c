/* SPDX-License-Identifier: MIT */
/*
 * A test module whose init writes through a NULL pointer (the boot
 * hostile-module-null-write, tests/matrix.py): a page fault in module code,
 * which must end the init's thread with the oops report, mark the module
 * failed and let the boot go on.
 */
#include "kernel/module.h"
#include "kernel/printk.h"

static int *volatile nowhere;

static int nullwrite_init(void)
{
	printk("nullwrite: writing through a NULL pointer\n");
	*nowhere = 1;
	return 0;
}

module_init(nullwrite_init);
