/* SPDX-License-Identifier: MIT */
/*
 * Issue 16 scaffolding, deleted before the issue closes: weak stand-ins
 * for functions of other streams that this stream (fs) calls before
 * they land. A real definition elsewhere replaces each one at link time.
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mmap.h"

/* Stream E's user access: no fault handling, only the range check. */
__attribute__((weak)) unsigned long copy_from_user(void *to, const void __user *from,
						    unsigned long n)
{
	if (!access_ok(from, n))
		return n;
	memcpy(to, from, n);
	return 0;
}

__attribute__((weak)) unsigned long copy_to_user(void __user *to, const void *from,
						  unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	memcpy(to, from, n);
	return 0;
}

__attribute__((weak)) long strncpy_from_user(char *dst, const char __user *src, long count)
{
	long i;

	for (i = 0; i < count; i++) {
		if (!access_ok(src + i, 1))
			return -EFAULT;
		dst[i] = src[i];
		if (!dst[i])
			return i;
	}
	return count;
}

/* Stream M's. */
__attribute__((weak)) size_t mm_format_maps(struct mm_struct *mm, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return 0;
}

__attribute__((weak)) void mm_user_get_stats(struct mm_user_stats *st)
{
	memset(st, 0, sizeof(*st));
}

/* Stream P's: only the caller itself is known. */
__attribute__((weak)) struct task_struct *find_task_by_pid(int pid)
{
	return pid && pid == current->pid ? current : NULL;
}

__attribute__((weak)) int for_each_process(int (*fn)(struct task_struct *t, void *arg),
					   void *arg)
{
	return current->pid ? fn(current, arg) : 0;
}
