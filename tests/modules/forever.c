/* SPDX-License-Identifier: MIT */
/*
 * A test module whose init never returns (the boot hostile-module-init-forever,
 * tests/matrix.py): it spins with interrupts on. The boot must go on after
 * module.init_timeout seconds with the thread left running.
 */
#include "asm/x86.h"
#include "kernel/module.h"
#include "kernel/printk.h"

static int forever_init(void)
{
	printk("forever: spinning, never returning\n");
	for (;;)
		cpu_relax();
	return 0;
}

module_init(forever_init);
