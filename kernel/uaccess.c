/* SPDX-License-Identifier: MIT */
/*
 * Kernel access to user memory (include/asm/uaccess.h; Linux's
 * arch/x86/lib/usercopy_32.c for the contract): the range is checked
 * against TASK_SIZE first, then copied by kernel/usercopy.asm's string
 * instructions, whose faults are first the process's (demand paging),
 * then -EFAULT or the exact count of bytes not copied.
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/kernel.h"
#include "kernel/string.h"

unsigned long __copy_user(void *to, const void *from, unsigned long n);
unsigned long __clear_user(void __user *to, unsigned long n);
long __strncpy_from_user(char *dst, const char __user *src, long count);

/* What could not be copied is zeroed in the kernel's buffer, as in
 * Linux, so a partial copy never leaves stale kernel data behind. */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	if (access_ok(from, n))
		left = __copy_user(to, (const void *)from, n);
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return __copy_user((void *)to, from, n);
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return __clear_user(to, n);
}

/* Only the bytes below TASK_SIZE are tried: a string that runs into the
 * kernel's half faults there as a bad pointer would. */
long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long a = (unsigned long)src, max;
	long res;

	if (count <= 0)
		return 0;
	if (!access_ok(src, 1))
		return -EFAULT;
	max = PAGE_OFFSET - a;
	res = __strncpy_from_user(dst, src, (unsigned long)count < max ? count : (long)max);
	if (res == (long)max && (unsigned long)count > max)
		return -EFAULT;		/* no NUL before the kernel's half */
	return res;
}

int get_user_u32(uint32_t *val, const uint32_t __user *p)
{
	if (!access_ok(p, sizeof(*p)) || probe_read_u32(val, (const uint32_t *)p)) {
		*val = 0;
		return -EFAULT;
	}
	return 0;
}

int put_user_u32(uint32_t val, uint32_t __user *p)
{
	if (!access_ok(p, sizeof(*p)))
		return -EFAULT;
	return probe_write_u32((uint32_t *)p, val);
}
