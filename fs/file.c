/* SPDX-License-Identifier: MIT */
/*
 * Open files and descriptor tables (Linux's fs/file.c and fs/file_table.c,
 * much reduced): a struct file lives while descriptors or VMAs hold it
 * (f_count, fput); each process has a files_struct of NR_OPEN_DEFAULT
 * descriptors, copied at fork, closed on exec where asked, and the lowest
 * free descriptor is the one a new file gets (POSIX).
 */
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct file *alloc_file(struct inode *inode, unsigned int flags, int pid)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int ret;

	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_inode = inode;
	f->f_op = inode->i_fop;
	f->f_flags = flags;
	f->f_count = 1;
	f->f_pid = pid;
	if (f->f_op && f->f_op->open) {
		ret = f->f_op->open(f);
		if (ret) {
			kfree(f);
			return ERR_PTR(ret);
		}
	}
	return f;
}

void fput(struct file *f)
{
	int left = __atomic_sub_fetch(&f->f_count, 1, __ATOMIC_SEQ_CST);

	BUG_ON(left < 0);
	if (left)
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(f);
	kfree(f);
}

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (!files)
		return NULL;
	files->count = 1;
	spin_lock_init(&files->file_lock);
	return files;
}

struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *files = files_alloc();
	unsigned long flags;

	if (!files)
		return NULL;
	spin_lock_irqsave(&old->file_lock, flags);
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		files->fd[fd] = old->fd[fd];
		if (files->fd[fd])
			get_file(files->fd[fd]);
	}
	files->close_on_exec = old->close_on_exec;
	spin_unlock_irqrestore(&old->file_lock, flags);
	return files;
}

void put_files_struct(struct files_struct *files)
{
	if (__atomic_sub_fetch(&files->count, 1, __ATOMIC_SEQ_CST))
		return;
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(files);
}

void do_close_on_exec(struct files_struct *files)
{
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		struct file *f = NULL;
		unsigned long flags;

		spin_lock_irqsave(&files->file_lock, flags);
		if (files->close_on_exec & (1ULL << fd)) {
			f = files->fd[fd];
			files->fd[fd] = NULL;
			files->close_on_exec &= ~(1ULL << fd);
		}
		spin_unlock_irqrestore(&files->file_lock, flags);
		if (f)
			fput(f);
	}
}

int fd_install_from(struct files_struct *files, struct file *f, unsigned int from,
		    bool cloexec)
{
	unsigned long flags;
	int ret = -EMFILE;

	spin_lock_irqsave(&files->file_lock, flags);
	for (int fd = (int)from; fd < NR_OPEN_DEFAULT; fd++) {
		if (files->fd[fd])
			continue;
		files->fd[fd] = f;
		if (cloexec)
			files->close_on_exec |= 1ULL << fd;
		else
			files->close_on_exec &= ~(1ULL << fd);
		ret = fd;
		break;
	}
	spin_unlock_irqrestore(&files->file_lock, flags);
	return ret;
}

int fd_install_lowest(struct files_struct *files, struct file *f, bool cloexec)
{
	return fd_install_from(files, f, 0, cloexec);
}

struct file *fd_replace(struct files_struct *files, unsigned int fd, struct file *f,
			bool cloexec)
{
	struct file *old;
	unsigned long flags;

	spin_lock_irqsave(&files->file_lock, flags);
	old = files->fd[fd];
	files->fd[fd] = f;
	if (cloexec)
		files->close_on_exec |= 1ULL << fd;
	else
		files->close_on_exec &= ~(1ULL << fd);
	spin_unlock_irqrestore(&files->file_lock, flags);
	return old;
}

/* Take descriptor fd out of files: its file (the reference moves to the
 * caller), or NULL when it was not open. */
struct file *fd_remove(struct files_struct *files, unsigned int fd)
{
	struct file *f = NULL;
	unsigned long flags;

	if (fd >= NR_OPEN_DEFAULT)
		return NULL;
	spin_lock_irqsave(&files->file_lock, flags);
	f = files->fd[fd];
	files->fd[fd] = NULL;
	files->close_on_exec &= ~(1ULL << fd);
	spin_unlock_irqrestore(&files->file_lock, flags);
	return f;
}

#ifndef HOST_TEST	/* the host test has a current of its own */
#include "kernel/sched.h"

struct files_struct *current_files(void)
{
	return current->files;
}
#endif

struct file *fcheck(unsigned int fd)
{
	struct files_struct *files = current_files();

	if (!files || fd >= NR_OPEN_DEFAULT)
		return NULL;
	return __atomic_load_n(&files->fd[fd], __ATOMIC_ACQUIRE);
}

int files_open_console(struct files_struct *files)
{
	struct file *f = filp_open("/dev/console", O_RDWR);

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	/* One open file behind 0, 1 and 2, as init's dup(0) twice. */
	get_file(f);
	get_file(f);
	for (int fd = 0; fd < 3; fd++) {
		if (files->fd[fd]) {
			fput(f);
			continue;
		}
		files->fd[fd] = f;
	}
	return 0;
}
