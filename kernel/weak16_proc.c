/* SPDX-License-Identifier: MIT */
/*
 * Issue 16 scaffolding, deleted before the issue closes: weak stand-ins
 * for functions of other streams that this stream (proc) calls before
 * they land. A real definition elsewhere replaces each one at link time.
 */
#include "kernel/kernel.h"
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/process.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/mmap.h"

/* mm (mm16) */
__attribute__((weak)) struct mm_struct *mm_alloc(void) { return NULL; }
__attribute__((weak)) struct mm_struct *dup_mm(struct mm_struct *oldmm) { return NULL; }
__attribute__((weak)) void mmput(struct mm_struct *mm) { }
__attribute__((weak)) unsigned long do_mmap(struct mm_struct *mm, struct file *file,
					     unsigned long addr, unsigned long len,
					     unsigned long prot, unsigned long flags,
					     unsigned long pgoff)
{
	return -ENOMEM;
}
__attribute__((weak)) size_t mm_format_maps(struct mm_struct *mm, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return 0;
}

/* files (fs16) */
__attribute__((weak)) struct files_struct *files_alloc(void) { return NULL; }
__attribute__((weak)) struct files_struct *dup_fd(struct files_struct *old) { return NULL; }
__attribute__((weak)) void put_files_struct(struct files_struct *files) { }
__attribute__((weak)) void do_close_on_exec(struct files_struct *files) { }
__attribute__((weak)) int files_open_console(struct files_struct *files) { return 0; }
__attribute__((weak)) struct file *filp_open(const char *path, unsigned int flags)
{
	return ERR_PTR(-ENOENT);
}
__attribute__((weak)) long kernel_read(struct file *f, void *buf, size_t n, loff_t *pos)
{
	return -EIO;
}
__attribute__((weak)) void fput(struct file *f) { }

/* entry (entry16) */
__attribute__((weak)) int copy_thread(struct task_struct *p, unsigned long newsp,
				      unsigned long tls)
{
	return -ENOSYS;
}
__attribute__((weak)) void start_thread(struct pt_regs *regs, unsigned long eip,
					unsigned long esp)
{
}
__attribute__((weak)) void exit_thread(struct task_struct *t) { }
__attribute__((weak)) struct pt_regs *current_pt_regs(void)
{
	return (struct pt_regs *)(current->thread.sp0 - sizeof(struct pt_regs));
}
__attribute__((weak)) unsigned long copy_to_user(void __user *to, const void *from,
						 unsigned long n)
{
	return n;
}
__attribute__((weak)) unsigned long clear_user(void __user *to, unsigned long n) { return n; }
__attribute__((weak)) long strncpy_from_user(char *dst, const char __user *src, long count)
{
	return -EFAULT;
}
__attribute__((weak)) int get_user_u32(uint32_t *val, const uint32_t __user *p) { return -EFAULT; }
__attribute__((weak)) int put_user_u32(uint32_t val, uint32_t __user *p) { return -EFAULT; }
__attribute__((weak)) void get_random_bytes(void *buf, size_t n)
{
	memset(buf, 0, n);
}
