/* SPDX-License-Identifier: MIT */
/*
 * getdents64 (Linux's fs/readdir.c): struct linux_dirent64 records, 8-byte
 * aligned, "." and ".." first, then a directory's entries in archive
 * order; a buffer too small for the next record gives what came before,
 * or -EINVAL when nothing fits.
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
} __attribute__((packed));
BUILD_BUG_ON(offsetof(struct linux_dirent64, d_name) != 19);

unsigned int dt_type(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	}
	return DT_UNKNOWN;
}

/* "." at 0 and ".." at 1: false when the actor stopped. */
bool dir_emit_dots(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode;

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, dir->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct inode *parent = dir->i_parent ? dir->i_parent : dir;

		if (!ctx->actor(ctx, "..", 2, 2, parent->i_ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

static int ramfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *i = f->f_inode->i_child;
	loff_t k;

	if (!dir_emit_dots(f, ctx))
		return 0;
	for (k = 2; i && k < ctx->pos; k++)
		i = i->i_next;
	for (; i; i = i->i_next) {
		if (!ctx->actor(ctx, i->i_name, strlen(i->i_name), ctx->pos + 1, i->i_ino,
				dt_type(i->i_mode)))
			return 0;
		ctx->pos++;
	}
	return 0;
}

const struct file_operations ramfs_dir_fops = {
	.iterate = ramfs_iterate,
};

int iterate_dir(struct file *f, struct dir_context *ctx)
{
	int ret;

	if (!f->f_op || !f->f_op->iterate)
		return -ENOTDIR;
	ctx->pos = f->f_pos;
	ret = f->f_op->iterate(f, ctx);
	f->f_pos = ctx->pos;
	return ret;
}

struct getdents_callback64 {
	struct dir_context ctx;
	char __user *buf;
	unsigned int count, used;
	int error;
};

static bool filldir64(struct dir_context *ctx, const char *name, size_t len,
		      loff_t next_pos, uint64_t ino, unsigned int d_type)
{
	struct getdents_callback64 *cb = (struct getdents_callback64 *)ctx;
	unsigned int reclen = ALIGN(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
	char rec[ALIGN(offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1, 8)];
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;

	if (len > NAME_MAX) {
		cb->error = -EOVERFLOW;
		return false;
	}
	if (reclen > cb->count - cb->used) {
		if (!cb->used)
			cb->error = -EINVAL;
		return false;
	}
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = next_pos;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)d_type;
	memcpy(d->d_name, name, len);
	if (copy_to_user(cb->buf + cb->used, rec, reclen)) {
		cb->error = -EFAULT;
		return false;
	}
	cb->used += reclen;
	return true;
}

long sys_getdents64(unsigned int fd, void __user *dirent, unsigned int count)
{
	struct getdents_callback64 cb = {
		.ctx.actor = filldir64,
		.buf = dirent,
		.count = count,
	};
	struct file *f = fcheck(fd);
	int ret;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->f_inode->i_mode))
		return -ENOTDIR;
	if (!access_ok(dirent, count))
		return -EFAULT;
	ret = iterate_dir(f, &cb.ctx);
	if (ret)
		return ret;
	if (cb.error && !cb.used)
		return cb.error;
	return cb.used;
}
