/* SPDX-License-Identifier: MIT */
/*
 * dup, dup2, dup3 and fcntl64 (Linux's fs/file.c and fs/fcntl.c): more
 * descriptors for one open file, and the descriptor and file flags. The
 * descriptors share the file (its position too), as on Linux.
 */
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/syscalls.h"

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1
/* the flags F_SETFL may change (Linux's SETFL_MASK, of those we keep) */
#define SETFL_MASK	(O_APPEND | O_NONBLOCK)

static long dup_from(struct file *f, unsigned int from, bool cloexec)
{
	int fd;

	get_file(f);
	fd = fd_install_from(current_files(), f, from, cloexec);
	if (fd < 0)
		fput(f);
	return fd;
}

long sys_dup(unsigned int fd)
{
	struct file *f = fcheck(fd);

	return f ? dup_from(f, 0, false) : -EBADF;
}

static long do_dup2(unsigned int oldfd, unsigned int newfd, bool cloexec)
{
	struct file *f = fcheck(oldfd), *old;

	if (!f || newfd >= NR_OPEN_DEFAULT)
		return -EBADF;
	get_file(f);
	old = fd_replace(current_files(), newfd, f, cloexec);
	if (old)
		fput(old);
	return newfd;
}

long sys_dup2(unsigned int oldfd, unsigned int newfd)
{
	if (oldfd == newfd)
		return fcheck(oldfd) ? (long)newfd : -EBADF;
	return do_dup2(oldfd, newfd, false);
}

long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	if ((flags & ~O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	return do_dup2(oldfd, newfd, flags & O_CLOEXEC);
}

long sys_fcntl64(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct files_struct *files = current_files();
	struct file *f = fcheck(fd);
	unsigned long flags;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN_DEFAULT)
			return -EINVAL;
		return dup_from(f, (unsigned int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return files->close_on_exec & (1ULL << fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		spin_lock_irqsave(&files->file_lock, flags);
		if (arg & FD_CLOEXEC)
			files->close_on_exec |= 1ULL << fd;
		else
			files->close_on_exec &= ~(1ULL << fd);
		spin_unlock_irqrestore(&files->file_lock, flags);
		return 0;
	case F_GETFL:
		return f->f_flags;
	case F_SETFL:
		f->f_flags = (f->f_flags & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
		return 0;
	}
	return -EINVAL;
}
