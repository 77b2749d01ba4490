/* SPDX-License-Identifier: MIT */
/*
 * Kernel access to user memory (kernel/uaccess.c and kernel/entry.asm):
 * every pointer a process passes is checked against TASK_SIZE and read or
 * written by instructions listed in __ex_table, so a bad pointer gives
 * -EFAULT and never an oops. A fault on a good address below TASK_SIZE is
 * handled as the process's own (do_user_addr_fault: demand paging, copy
 * on write, stack growth) before the access is retried.
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "asm/page.h"

#define __user

/* Whether [addr, addr + size) lies within user space (no wrap). */
static inline bool access_ok(const void *addr, size_t size)
{
	unsigned long a = (unsigned long)addr;

	return size <= PAGE_OFFSET && a <= PAGE_OFFSET - size;
}

/* Bytes NOT copied (0 on success), as Linux's. */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
/* The string's length (without the NUL, which is copied) when shorter
 * than count; count when it is not NUL-ended within count bytes;
 * -EFAULT on a bad pointer. */
long strncpy_from_user(char *dst, const char __user *src, long count);
/* 0 or -EFAULT. */
int get_user_u32(uint32_t *val, const uint32_t __user *p);
int put_user_u32(uint32_t val, uint32_t __user *p);

#endif /* ASM_UACCESS_H */
