/* SPDX-License-Identifier: MIT */
/*
 * Issue 16 scaffolding, deleted before the issue closes: weak stand-ins
 * for functions of other streams that this stream (entry) calls before
 * they land. A real definition elsewhere replaces each one at link time.
 */
#include "kernel/kernel.h"
#include "kernel/process.h"

__attribute__((weak)) void __switch_to_arch(struct task_struct *prev, struct task_struct *next)
{
}

__attribute__((weak)) void kernel_fpu_begin(void)
{
}
