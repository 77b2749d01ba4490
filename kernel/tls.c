/* SPDX-License-Identifier: MIT */
/*
 * Thread-local storage segments, Linux i386's set_thread_area and
 * get_thread_area (arch/x86/kernel/tls.c for the checks): each process
 * has three GDT descriptors of its own (entries 6-8), which a switch
 * copies into the CPU's GDT; a C library points %gs at one (Intel SDM
 * vol. 3A §3.4.5 segment descriptors).
 */
#include "asm/desc.h"
#include "asm/ldt.h"
#include "asm/segment.h"
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/preempt.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"

/* The "empty" descriptor as user space writes it (what get_thread_area
 * gives for a free slot). */
static bool ldt_empty(const struct user_desc *info)
{
	return info->base_addr == 0 && info->limit == 0 && info->contents == 0 &&
	       info->read_exec_only == 1 && info->seg_32bit == 0 &&
	       info->limit_in_pages == 0 && info->seg_not_present == 1 &&
	       info->useable == 0;
}

static bool ldt_zero(const struct user_desc *info)
{
	return info->base_addr == 0 && info->limit == 0 && info->contents == 0 &&
	       info->read_exec_only == 0 && info->seg_32bit == 0 &&
	       info->limit_in_pages == 0 && info->seg_not_present == 0 &&
	       info->useable == 0;
}

/* Only present 32-bit data segments (or clearing a slot), as Linux. */
static bool tls_desc_okay(const struct user_desc *info)
{
	if (ldt_empty(info) || ldt_zero(info))
		return true;
	return info->seg_32bit && info->contents <= 1 && !info->seg_not_present;
}

/* The descriptor: DPL 3, accessed preset (a read-only one can be
 * loaded without a write to the GDT), byte or page granular. */
static uint64_t tls_desc(const struct user_desc *info)
{
	uint8_t type, access, flags;

	if (ldt_empty(info) || ldt_zero(info))
		return 0;
	type = ((info->read_exec_only ^ 1) << 1) | (info->contents << 2) | 1;
	access = 0x80 | (3 << 5) | 0x10 | type;
	flags = (info->limit_in_pages << 3) | (info->seg_32bit << 2) | info->useable;
	return gdt_desc(info->base_addr, info->limit, access, flags);
}

static void fill_user_desc(struct user_desc *info, unsigned int idx, uint64_t d)
{
	uint8_t access = d >> 40, flags = (d >> 52) & 0xf;

	memset(info, 0, sizeof(*info));
	info->entry_number = idx;
	info->base_addr = ((d >> 16) & 0xffffff) | ((d >> 56) << 24);
	info->limit = (d & 0xffff) | (((d >> 48) & 0xf) << 16);
	info->seg_32bit = (flags >> 2) & 1;
	info->contents = (access >> 2) & 3;
	info->read_exec_only = !(access & 2);
	info->limit_in_pages = (flags >> 3) & 1;
	info->seg_not_present = !(access & 0x80);
	info->useable = flags & 1;
}

int do_set_thread_area(struct task_struct *p, struct user_desc __user *u_info,
		       bool can_allocate)
{
	struct user_desc info;
	unsigned int idx;

	if (copy_from_user(&info, u_info, sizeof(info)))
		return -EFAULT;
	if (!tls_desc_okay(&info))
		return -EINVAL;
	idx = info.entry_number;
	if (idx == (unsigned int)-1 && can_allocate) {
		for (idx = 0; idx < GDT_ENTRY_TLS_ENTRIES; idx++)
			if (!p->thread.tls_array[idx])
				break;
		if (idx == GDT_ENTRY_TLS_ENTRIES)
			return -ESRCH;
		idx += GDT_ENTRY_TLS_MIN;
		if (put_user_u32(idx, &u_info->entry_number))
			return -EFAULT;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	p->thread.tls_array[idx - GDT_ENTRY_TLS_MIN] = tls_desc(&info);
	if (p == current) {
		preempt_disable();
		load_TLS(&p->thread);
		preempt_enable();
	}
	return 0;
}

long sys_set_thread_area(struct user_desc __user *u_info)
{
	return do_set_thread_area(current, u_info, true);
}

long sys_get_thread_area(struct user_desc __user *u_info)
{
	struct user_desc info;
	uint32_t idx;

	if (get_user_u32(&idx, &u_info->entry_number))
		return -EFAULT;
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	fill_user_desc(&info, idx, current->thread.tls_array[idx - GDT_ENTRY_TLS_MIN]);
	if (copy_to_user(u_info, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}
