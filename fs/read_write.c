/* SPDX-License-Identifier: MIT */
/*
 * read, write, readv, writev, lseek and _llseek (Linux's fs/read_write.c),
 * and the regular files of the in-memory tree, whose bytes are the
 * archive's. Every user buffer goes through copy_to_user/copy_from_user:
 * a bad pointer is -EFAULT (or the bytes done before it).
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"

#define MAX_RW_COUNT	(0x7fffffffUL & ~(PAGE_SIZE - 1))	/* as Linux */

long simple_read_from_buffer(void __user *to, size_t count, loff_t *pos,
			     const void *from, size_t available)
{
	size_t len, left;

	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= available || !count)
		return 0;
	len = available - (size_t)*pos < count ? available - (size_t)*pos : count;
	left = copy_to_user(to, (const char *)from + *pos, len);
	if (left == len)
		return -EFAULT;
	*pos += len - left;
	return (long)(len - left);
}

long memory_read_from_buffer(void *to, size_t count, loff_t *pos, const void *from,
			     size_t available)
{
	size_t len;

	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= available)
		return 0;
	len = available - (size_t)*pos < count ? available - (size_t)*pos : count;
	memcpy(to, (const char *)from + *pos, len);
	*pos += len;
	return (long)len;
}

static long ramfs_read(struct file *f, char __user *buf, size_t n, loff_t *pos)
{
	return simple_read_from_buffer(buf, n, pos, f->f_inode->i_data,
				       (size_t)f->f_inode->i_size);
}

static long ramfs_kread(struct file *f, char *buf, size_t n, loff_t *pos)
{
	return memory_read_from_buffer(buf, n, pos, f->f_inode->i_data,
				       (size_t)f->f_inode->i_size);
}

const struct file_operations ramfs_file_fops = {
	.read = ramfs_read,
	.kread = ramfs_kread,
};

long kernel_read(struct file *f, void *buf, size_t n, loff_t *pos)
{
	if ((f->f_flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (!f->f_op || !f->f_op->kread)
		return -EINVAL;
	return f->f_op->kread(f, buf, n, pos);
}

/*
 * What read and write check before the file's own operation (Linux's
 * vfs_read/vfs_write): the open mode, a directory, the operation, the
 * buffer inside user space; *count cut to MAX_RW_COUNT. 0 or -errno.
 */
static long rw_verify(struct file *f, const void __user *buf, size_t *count, bool write)
{
	if ((f->f_flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (!write && S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (!f->f_op || !(write ? (void *)f->f_op->write : (void *)f->f_op->read))
		return -EINVAL;
	if (!access_ok(buf, *count))
		return -EFAULT;
	if (*count > MAX_RW_COUNT)
		*count = MAX_RW_COUNT;
	return 0;
}

static long do_read(struct file *f, char __user *buf, size_t count)
{
	long ret = rw_verify(f, buf, &count, false);

	if (ret || !count)
		return ret;
	return f->f_op->read(f, buf, count, &f->f_pos);
}

static long do_write(struct file *f, const char __user *buf, size_t count)
{
	long ret = rw_verify(f, buf, &count, true);

	if (ret || !count)
		return ret;
	return f->f_op->write(f, buf, count, &f->f_pos);
}

long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	struct file *f = fcheck(fd);

	return f ? do_read(f, buf, count) : -EBADF;
}

long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	struct file *f = fcheck(fd);

	return f ? do_write(f, buf, count) : -EBADF;
}

/* The user's iovec array, checked as Linux's import_iovec: vlen at most
 * UIO_MAXIOV, the total within MAX_RW_COUNT (cut there), every buffer
 * inside user space. A kmalloc'd copy, or ERR_PTR. */
static struct iovec *import_iovec(const struct iovec __user *uvec, unsigned int vlen)
{
	struct iovec *iov;
	size_t total = 0;

	if (vlen > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	iov = kmalloc(vlen * sizeof(*iov), GFP_KERNEL);
	if (!iov)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(iov, uvec, vlen * sizeof(*iov))) {
		kfree(iov);
		return ERR_PTR(-EFAULT);
	}
	for (unsigned int k = 0; k < vlen; k++) {
		size_t len = iov[k].iov_len;

		if ((ssize_t)len < 0) {
			kfree(iov);
			return ERR_PTR(-EINVAL);
		}
		if (!access_ok(iov[k].iov_base, len)) {
			kfree(iov);
			return ERR_PTR(-EFAULT);
		}
		if (len > MAX_RW_COUNT - total)
			iov[k].iov_len = len = MAX_RW_COUNT - total;
		total += len;
	}
	return iov;
}

static long do_readv_writev(unsigned int fd, const struct iovec __user *uvec,
			    unsigned int vlen, bool write)
{
	struct file *f = fcheck(fd);
	struct iovec *iov;
	long done = 0;

	if (!f)
		return -EBADF;
	if ((f->f_flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (!vlen)
		return 0;
	iov = import_iovec(uvec, vlen);
	if (IS_ERR(iov))
		return PTR_ERR(iov);
	for (unsigned int k = 0; k < vlen; k++) {
		long n;

		if (!iov[k].iov_len)
			continue;
		n = write ? do_write(f, iov[k].iov_base, iov[k].iov_len) :
			    do_read(f, iov[k].iov_base, iov[k].iov_len);
		if (n < 0) {
			if (!done)
				done = n;
			break;
		}
		done += n;
		if ((size_t)n < iov[k].iov_len)
			break;
	}
	kfree(iov);
	return done;
}

long sys_readv(unsigned int fd, const struct iovec __user *vec, unsigned int vlen)
{
	return do_readv_writev(fd, vec, vlen, false);
}

long sys_writev(unsigned int fd, const struct iovec __user *vec, unsigned int vlen)
{
	return do_readv_writev(fd, vec, vlen, true);
}

/* The new position, or -errno (Linux's generic_file_llseek). */
loff_t vfs_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t pos;

	if (f->f_op && f->f_op->llseek)
		return f->f_op->llseek(f, offset, whence);
	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = f->f_pos + offset;
		break;
	case SEEK_END:
		pos = f->f_inode->i_size + offset;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	f->f_pos = pos;
	return pos;
}

/* The seek of both calls: the new position or -errno. */
static loff_t ksys_lseek(unsigned int fd, loff_t offset, unsigned int whence)
{
	struct file *f = fcheck(fd);

	if (!f)
		return -EBADF;
	if (whence > SEEK_END)
		return -EINVAL;
	return vfs_llseek(f, offset, (int)whence);
}

long sys_lseek(unsigned int fd, long offset, unsigned int whence)
{
	loff_t pos = ksys_lseek(fd, offset, whence);

	if (pos > 0x7fffffffLL)
		return -EOVERFLOW;
	return (long)pos;
}

long sys_llseek(unsigned int fd, unsigned long offset_high, unsigned long offset_low,
		loff_t __user *result, unsigned int whence)
{
	loff_t pos = ksys_lseek(fd, (loff_t)((uint64_t)offset_high << 32 | offset_low), whence);

	if (pos < 0)
		return (long)pos;
	if (copy_to_user(result, &pos, sizeof(pos)))
		return -EFAULT;
	return 0;
}

/* pread64: a read at pos (two registers, low word first, as the i386
 * ABI splits a 64-bit argument) that leaves the file's position alone. */
long sys_pread64(unsigned int fd, char __user *buf, size_t count, unsigned long pos_lo,
		 unsigned long pos_hi)
{
	struct file *f = fcheck(fd);
	loff_t pos = (loff_t)((uint64_t)pos_hi << 32 | pos_lo);
	long ret;

	if (!f)
		return -EBADF;
	ret = rw_verify(f, buf, &count, false);
	if (ret)
		return ret;
	if (pos < 0)
		return -EINVAL;
	if (f->f_op == &console_fops)		/* a stream */
		return -ESPIPE;
	if (!count)
		return 0;
	return f->f_op->read(f, buf, count, &pos);
}
