/* SPDX-License-Identifier: MIT */
/*
 * fstat64, stat64, lstat64 and statx (Linux's fs/stat.c) in the i386
 * layouts of include/kernel/stat.h. The tree has one device (0:1, as a
 * Linux rootfs); its times are the archive's mtimes.
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/stat.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"
#include "internal.h"

#define ROOT_DEV_MINOR	1
#define STAT_BLKSIZE	4096


void vfs_getattr(const struct inode *inode, struct kstat *st)
{
	st->ino = inode->i_ino;
	st->mode = inode->i_mode;
	st->nlink = inode->i_nlink;
	st->uid = inode->i_uid;
	st->gid = inode->i_gid;
	st->rdev_major = inode->i_rdev >> 8;
	st->rdev_minor = inode->i_rdev & 0xff;
	st->size = inode->i_size;
	st->mtime = inode->i_mtime;
}

static long cp_new_stat64(const struct inode *inode, struct stat64 __user *ust)
{
	struct stat64 st;
	struct kstat k;

	vfs_getattr(inode, &k);
	memset(&st, 0, sizeof(st));
	st.st_dev = ROOT_DEV_MINOR;		/* (0 << 8) | 1 */
	st.__st_ino = (uint32_t)k.ino;
	st.st_ino = k.ino;
	st.st_mode = k.mode;
	st.st_nlink = k.nlink;
	st.st_uid = k.uid;
	st.st_gid = k.gid;
	st.st_rdev = k.rdev_major << 8 | k.rdev_minor;
	st.st_size = k.size;
	st.st_blksize = STAT_BLKSIZE;
	st.st_blocks = (uint64_t)(k.size + 511) / 512;
	st.st_atime = st.st_mtime = st.st_ctime = (uint32_t)k.mtime;
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_fstat64(unsigned int fd, struct stat64 __user *st)
{
	struct file *f = fcheck(fd);

	return f ? cp_new_stat64(f->f_inode, st) : -EBADF;
}

long sys_stat64(const char __user *filename, struct stat64 __user *st)
{
	struct inode *inode;
	long ret = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW, false, &inode);

	return ret ? ret : cp_new_stat64(inode, st);
}

long sys_lstat64(const char __user *filename, struct stat64 __user *st)
{
	struct inode *inode;
	long ret = user_path_at(AT_FDCWD, filename, 0, false, &inode);

	return ret ? ret : cp_new_stat64(inode, st);
}

long sys_statx(int dfd, const char __user *filename, unsigned int flags,
	       unsigned int mask, struct statx __user *buf)
{
	struct statx sx;
	struct inode *inode;
	struct kstat k;
	long ret;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	ret = user_path_at(dfd, filename, flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW,
			  flags & AT_EMPTY_PATH, &inode);
	if (ret)
		return ret;
	vfs_getattr(inode, &k);
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = STAT_BLKSIZE;
	sx.stx_nlink = k.nlink;
	sx.stx_uid = k.uid;
	sx.stx_gid = k.gid;
	sx.stx_mode = (uint16_t)k.mode;
	sx.stx_ino = k.ino;
	sx.stx_size = (uint64_t)k.size;
	sx.stx_blocks = (uint64_t)(k.size + 511) / 512;
	sx.stx_atime.tv_sec = sx.stx_mtime.tv_sec = sx.stx_ctime.tv_sec = k.mtime;
	sx.stx_rdev_major = k.rdev_major;
	sx.stx_rdev_minor = k.rdev_minor;
	sx.stx_dev_major = 0;
	sx.stx_dev_minor = ROOT_DEV_MINOR;
	return copy_to_user(buf, &sx, sizeof(sx)) ? -EFAULT : 0;
}

long sys_fstatat64(int dfd, const char __user *filename, struct stat64 __user *st, int flag)
{
	struct inode *inode;
	long ret;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	ret = user_path_at(dfd, filename, flag & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW,
			  flag & AT_EMPTY_PATH, &inode);
	return ret ? ret : cp_new_stat64(inode, st);
}

/* A symlink's target, not NUL-ended, cut to bufsiz (Linux's readlinkat). */
long sys_readlinkat(int dfd, const char __user *path, char __user *buf, int bufsiz)
{
	struct inode *inode;
	size_t n;
	long ret;

	if (bufsiz <= 0)
		return -EINVAL;
	ret = user_path_at(dfd, path, 0, false, &inode);
	if (ret)
		return ret;
	if (!S_ISLNK(inode->i_mode))
		return -EINVAL;
	n = (size_t)inode->i_size < (size_t)bufsiz ? (size_t)inode->i_size : (size_t)bufsiz;
	return copy_to_user(buf, inode->i_data, n) ? -EFAULT : (long)n;
}

long sys_readlink(const char __user *path, char __user *buf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
