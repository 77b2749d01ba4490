/* SPDX-License-Identifier: MIT */
/*
 * Issue 16 scaffolding, deleted before the issue closes: weak stand-ins
 * for functions of other streams that this stream (mm) calls before
 * they land. A real definition elsewhere replaces each one at link time.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/process.h"
#include "kernel/string.h"

/* P's: ends the process. Until it lands only the kernel's own tests run
 * the fault path (from kernel mode), so a user-mode fault is a bug. */
__attribute__((weak)) void force_sig_fault(int sig, unsigned long address, struct pt_regs *regs)
{
	panic("force_sig_fault(%d, %08lx): no process code yet", sig, address);
}

/* F's: no descriptor table yet. */
__attribute__((weak)) struct file *fcheck(unsigned int fd)
{
	return NULL;
}

__attribute__((weak)) void fput(struct file *f)
{
	__atomic_sub_fetch(&f->f_count, 1, __ATOMIC_SEQ_CST);
}

/* F's: the bytes of an in-memory file (i_data, i_size). */
__attribute__((weak)) long kernel_read(struct file *f, void *buf, size_t n, loff_t *pos)
{
	const struct inode *inode = f->f_inode;

	if (*pos >= inode->i_size)
		return 0;
	if ((loff_t)n > inode->i_size - *pos)
		n = (size_t)(inode->i_size - *pos);
	memcpy(buf, (const char *)inode->i_data + *pos, n);
	*pos += n;
	return (long)n;
}
