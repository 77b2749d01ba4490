/* SPDX-License-Identifier: MIT */
/*
 * What stat64 and statx return, in the Linux i386 layouts: struct stat64
 * of 96 bytes from Linux's arch/x86/include/uapi/asm/stat.h, and struct
 * statx of 256 bytes from Linux's include/uapi/linux/stat.h. The asserts
 * pin the offsets; tests/host/stat_layout.c compares every field with
 * Linux's own headers.
 */
#ifndef KERNEL_STAT_H
#define KERNEL_STAT_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/kernel.h"

struct stat64 {
	uint64_t st_dev;
	uint8_t __pad0[4];
	uint32_t __st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint8_t __pad3[4];
	int64_t st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;		/* 512-byte blocks */
	uint32_t st_atime;
	uint32_t st_atime_nsec;
	uint32_t st_mtime;
	uint32_t st_mtime_nsec;
	uint32_t st_ctime;
	uint32_t st_ctime_nsec;
	uint64_t st_ino;
} __attribute__((packed));

BUILD_BUG_ON(sizeof(struct stat64) != 96);
BUILD_BUG_ON(offsetof(struct stat64, __st_ino) != 12);
BUILD_BUG_ON(offsetof(struct stat64, st_mode) != 16);
BUILD_BUG_ON(offsetof(struct stat64, st_uid) != 24);
BUILD_BUG_ON(offsetof(struct stat64, st_rdev) != 32);
BUILD_BUG_ON(offsetof(struct stat64, st_size) != 44);
BUILD_BUG_ON(offsetof(struct stat64, st_blksize) != 52);
BUILD_BUG_ON(offsetof(struct stat64, st_blocks) != 56);
BUILD_BUG_ON(offsetof(struct stat64, st_atime) != 64);
BUILD_BUG_ON(offsetof(struct stat64, st_mtime) != 72);
BUILD_BUG_ON(offsetof(struct stat64, st_ctime) != 80);
BUILD_BUG_ON(offsetof(struct stat64, st_ino) != 88);

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0[1];
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align;
	uint32_t stx_dio_offset_align;
	uint64_t __spare3[12];
} __attribute__((aligned(8)));

BUILD_BUG_ON(sizeof(struct statx) != 256);
BUILD_BUG_ON(offsetof(struct statx, stx_mode) != 28);
BUILD_BUG_ON(offsetof(struct statx, stx_ino) != 32);
BUILD_BUG_ON(offsetof(struct statx, stx_size) != 40);
BUILD_BUG_ON(offsetof(struct statx, stx_atime) != 64);
BUILD_BUG_ON(offsetof(struct statx, stx_mtime) != 112);
BUILD_BUG_ON(offsetof(struct statx, stx_rdev_major) != 128);
BUILD_BUG_ON(offsetof(struct statx, stx_mnt_id) != 144);

/* statx's mask and flags (Linux's uapi values) */
#define STATX_TYPE		0x001
#define STATX_MODE		0x002
#define STATX_NLINK		0x004
#define STATX_UID		0x008
#define STATX_GID		0x010
#define STATX_ATIME		0x020
#define STATX_MTIME		0x040
#define STATX_CTIME		0x080
#define STATX_INO		0x100
#define STATX_SIZE		0x200
#define STATX_BLOCKS		0x400
#define STATX_BASIC_STATS	0x7ff
#define STATX__RESERVED		0x80000000U
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000
#define AT_STATX_SYNC_TYPE	0x6000

/* What stat reports of an inode: Linux's struct kstat, reduced. */
struct kstat {
	uint64_t ino;
	unsigned int mode, nlink, uid, gid;
	unsigned int rdev_major, rdev_minor;
	loff_t size;
	long mtime;
};
struct inode;
void vfs_getattr(const struct inode *inode, struct kstat *st);

#endif /* KERNEL_STAT_H */
