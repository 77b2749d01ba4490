/* SPDX-License-Identifier: MIT */
/*
 * ioctl (Linux's fs/ioctl.c): handed to the file's own ioctl; a file
 * without one is not a terminal (-ENOTTY), as every file of the tree
 * but the console.
 */
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/syscalls.h"

long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fcheck(fd);

	if (!f)
		return -EBADF;
	if (!f->f_op || !f->f_op->ioctl)
		return -ENOTTY;
	return f->f_op->ioctl(f, cmd, arg);
}
