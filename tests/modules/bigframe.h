/* SPDX-License-Identifier: MIT */
/*
 * The body of the test modules frame20k and frame64k (hostile-module-frame-*
 * boots, tests/matrix.py): an init whose callee has a stack frame of
 * FRAME_KIB KiB, more than a kernel thread's 16 KiB stack, written from its
 * lowest byte up as a memset would. The kernel must end the thread with a
 * report naming the guard below the stack, mark the module failed and go on.
 */
#include "kernel/module.h"
#include "kernel/printk.h"

static int __attribute__((noinline)) deep(unsigned int n)
{
	volatile char frame[FRAME_KIB * 1024];

	for (unsigned int i = 0; i < sizeof(frame); i += 64)
		frame[i] = (char)i;
	return frame[n % sizeof(frame)];
}

static int bigframe_init(void)
{
	printk("%s: calling a function with a %u KiB stack frame\n", MODNAME, FRAME_KIB);
	return deep(7) == 7 ? 0 : -1;
}

module_init(bigframe_init);
