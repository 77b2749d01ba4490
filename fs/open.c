/* SPDX-License-Identifier: MIT */
/*
 * open, openat and close (Linux's fs/open.c and fs/namei.c's do_open, on a
 * file system that is read-only as a whole): opening for writing, or
 * O_CREAT of a missing file, or O_TRUNC, is -EROFS where Linux says so on
 * a read-only mount; device nodes (/dev/console, /dev/null) open for
 * writing as on Linux.
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"
#include "internal.h"

/* Whether the parent directory of path[0, len) exists (O_CREAT's
 * -EROFS against -ENOENT). */
static bool parent_exists(struct inode *base, const char *path, size_t len, int pid)
{
	struct nameidata nd = { .pid = pid };

	while (len && path[len - 1] == '/')
		len--;
	while (len && path[len - 1] != '/')
		len--;
	if (!len)	/* the last component sits in base */
		return true;
	return path_lookupat(base, path, len, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &nd) == 0;
}

/* The open of path[0, len) relative to base (with its /proc PID). */
static struct file *do_open(struct inode *base, int base_pid, const char *path,
			    size_t len, unsigned int flags)
{
	struct nameidata nd = { .pid = base_pid };
	bool write = (flags & O_ACCMODE) != O_RDONLY;
	unsigned int lookup = 0;
	struct inode *inode;
	int ret;

	if (!(flags & O_NOFOLLOW))
		lookup |= LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lookup |= LOOKUP_DIRECTORY;
	ret = path_lookupat(base, path, len, lookup, &nd);
	if (ret == -ENOENT && (flags & O_CREAT) && len && parent_exists(base, path, len, base_pid))
		return ERR_PTR(-EROFS);
	if (ret)
		return ERR_PTR(ret);
	inode = nd.inode;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return ERR_PTR(-EEXIST);
	if (S_ISLNK(inode->i_mode))
		return ERR_PTR(-ELOOP);		/* O_NOFOLLOW on a symlink */
	/* O_TRUNC asks for write access too (Linux's build_open_flags) */
	if (S_ISDIR(inode->i_mode) && (write || (flags & (O_CREAT | O_TRUNC))))
		return ERR_PTR(-EISDIR);
	if ((S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)) && (write || (flags & O_TRUNC)))
		return ERR_PTR(-EROFS);
	return alloc_file(inode, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC), nd.pid);
}

struct file *file_open_at(struct inode *base, const char *path, unsigned int flags)
{
	return do_open(base, 0, path, strlen(path), flags);
}

struct file *filp_open(const char *path, unsigned int flags)
{
	return do_open(NULL, 0, path, strlen(path), flags);
}

long getname(const char __user *filename, char **out)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, filename, PATH_MAX);
	if (len >= PATH_MAX)
		len = -ENAMETOOLONG;
	if (len < 0) {
		kfree(buf);
		return len;
	}
	*out = buf;
	return len;
}

int dfd_base(int dfd, struct inode **base, int *pid)
{
	struct file *f;

	*base = NULL;
	*pid = 0;
	if (dfd == AT_FDCWD)
		return 0;
	f = fcheck((unsigned int)dfd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->f_inode->i_mode))
		return -ENOTDIR;
	*base = f->f_inode;
	*pid = f->f_pid;
	return 0;
}

long user_path_at(int dfd, const char __user *filename, unsigned int lookup,
		  bool empty_ok, struct inode **out)
{
	struct nameidata nd = { 0 };
	struct inode *base;
	char *path;
	long len;
	int ret;

	len = getname(filename, &path);
	if (len < 0)
		return len;
	if (len == 0 && empty_ok) {
		struct file *f = dfd == AT_FDCWD ? NULL : fcheck((unsigned int)dfd);

		kfree(path);
		if (dfd == AT_FDCWD) {
			*out = ramfs_root;
			return ramfs_root ? 0 : -ENOENT;
		}
		if (!f)
			return -EBADF;
		*out = f->f_inode;
		return 0;
	}
	ret = path[0] == '/' ? 0 : dfd_base(dfd, &base, &nd.pid);
	if (path[0] == '/')
		base = NULL;
	if (!ret)
		ret = path_lookupat(base, path, (size_t)len, lookup, &nd);
	kfree(path);
	if (ret)
		return ret;
	*out = nd.inode;
	return 0;
}

long sys_openat(int dfd, const char __user *filename, int flags, int mode)
{
	struct files_struct *files = current_files();
	struct inode *base = NULL;
	struct file *f;
	char *path;
	long len;
	int pid = 0, fd;

	if (!files)
		return -EBADF;
	len = getname(filename, &path);
	if (len < 0)
		return len;
	fd = path[0] == '/' ? 0 : dfd_base(dfd, &base, &pid);
	if (fd) {
		kfree(path);
		return fd;
	}
	f = do_open(base, pid, path, (size_t)len, (unsigned int)flags);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_lowest(files, f, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

long sys_open(const char __user *filename, int flags, int mode)
{
	return sys_openat(AT_FDCWD, filename, flags, mode);
}

long sys_close(unsigned int fd)
{
	struct files_struct *files = current_files();
	struct file *f = files ? fd_remove(files, fd) : NULL;

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

#define F_OK	0
#define X_OK	1
#define W_OK	2
#define R_OK	4

/* Whether the caller (root: every process is uid 0) may access path:
 * writing is -EROFS on the tree's files and directories, executing needs
 * an x bit on a file, as Linux's faccessat for root. */
long sys_faccessat(int dfd, const char __user *filename, int mode)
{
	struct inode *inode;
	long ret;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	ret = user_path_at(dfd, filename, LOOKUP_FOLLOW, false, &inode);
	if (ret)
		return ret;
	if ((mode & W_OK) && (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)))
		return -EROFS;
	if ((mode & X_OK) && !S_ISDIR(inode->i_mode) && !(inode->i_mode & 0111))
		return -EACCES;
	return 0;
}

long sys_access(const char __user *filename, int mode)
{
	return sys_faccessat(AT_FDCWD, filename, mode);
}

/* Every process works in the root: getcwd is "/" (the length with its
 * NUL, as Linux's). */
long sys_getcwd(char __user *buf, unsigned long size)
{
	if (size < 2)
		return -ERANGE;
	return copy_to_user(buf, "/", 2) ? -EFAULT : 2;
}
