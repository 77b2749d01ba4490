/* SPDX-License-Identifier: MIT */
/*
 * What the system calls of fs/ share among themselves (as Linux's
 * fs/internal.h): taking a path from user space and resolving it.
 */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include "asm/uaccess.h"
#include "kernel/fs.h"

/*
 * getname - the user's path into a kernel buffer of PATH_MAX bytes: its
 * length, or -EFAULT, -ENAMETOOLONG, -ENOMEM; *out is freed by the caller
 * (kfree) when the answer is not negative.
 */
long getname(const char __user *filename, char **out);

/* The directory a *at call's dfd names: *base NULL for AT_FDCWD (the
 * root: processes have no working directory of their own), *pid its
 * /proc PID. 0, -EBADF, -ENOTDIR. */
int dfd_base(int dfd, struct inode **base, int *pid);

/* The inode at the user's path relative to dfd (LOOKUP_* flags); with
 * empty_ok an empty path is dfd's own file (AT_EMPTY_PATH). 0 or -errno. */
long user_path_at(int dfd, const char __user *filename, unsigned int lookup,
		  bool empty_ok, struct inode **out);

#endif /* FS_INTERNAL_H */
