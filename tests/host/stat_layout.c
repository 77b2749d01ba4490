/* SPDX-License-Identifier: MIT */
/*
 * Compiled for i686 only (never run): include/kernel/stat.h's struct
 * stat64 and struct statx against Linux's own uapi headers as Debian
 * ships them (asm/stat.h's i386 struct stat64, linux/stat.h's statx).
 * A field at another offset or of another size fails the build.
 */
#define stat64 pae32_stat64
#define statx pae32_statx
#define statx_timestamp pae32_statx_timestamp
#include "kernel/stat.h"
#undef stat64
#undef statx
#undef statx_timestamp
#include <asm/stat.h>
#include <linux/stat.h>

#define SAME(s, f) \
	_Static_assert(offsetof(struct pae32_##s, f) == offsetof(struct s, f) && \
		       sizeof(((struct pae32_##s *)0)->f) == sizeof(((struct s *)0)->f), \
		       #s "." #f " differs from Linux's")

_Static_assert(sizeof(struct pae32_stat64) == sizeof(struct stat64), "stat64 size");
SAME(stat64, st_dev);
SAME(stat64, __st_ino);
SAME(stat64, st_mode);
SAME(stat64, st_nlink);
SAME(stat64, st_uid);
SAME(stat64, st_gid);
SAME(stat64, st_rdev);
SAME(stat64, st_size);
SAME(stat64, st_blksize);
SAME(stat64, st_blocks);
SAME(stat64, st_atime);
SAME(stat64, st_atime_nsec);
SAME(stat64, st_mtime);
SAME(stat64, st_mtime_nsec);
SAME(stat64, st_ctime);
SAME(stat64, st_ctime_nsec);
SAME(stat64, st_ino);

_Static_assert(sizeof(struct pae32_statx) == sizeof(struct statx), "statx size");
SAME(statx, stx_mask);
SAME(statx, stx_blksize);
SAME(statx, stx_attributes);
SAME(statx, stx_nlink);
SAME(statx, stx_uid);
SAME(statx, stx_gid);
SAME(statx, stx_mode);
SAME(statx, stx_ino);
SAME(statx, stx_size);
SAME(statx, stx_blocks);
SAME(statx, stx_attributes_mask);
SAME(statx, stx_atime);
SAME(statx, stx_btime);
SAME(statx, stx_ctime);
SAME(statx, stx_mtime);
SAME(statx, stx_rdev_major);
SAME(statx, stx_rdev_minor);
SAME(statx, stx_dev_major);
SAME(statx, stx_dev_minor);
SAME(statx, stx_mnt_id);
