/* SPDX-License-Identifier: MIT */
/*
 * Files: the read-only in-memory file system unpacked from the
 * initramfs (fs/ramfs.c, fs/initramfs.c), open files and each process's
 * descriptor table (fs/file.c), and the console as a file (fs/tty_file.c).
 * Names follow Linux's include/linux/fs.h.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/err.h"
#include "kernel/types.h"


/* open flags (Linux i386 uapi values) */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_CLOEXEC	02000000
#define AT_FDCWD	(-100)

/* st_mode */
#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFREG		0100000
#define S_IFLNK		0120000

#define NR_OPEN_DEFAULT	64	/* descriptors per process */

struct inode {
	unsigned long i_ino;
	unsigned int i_mode;		/* S_IF* | permission bits */
	unsigned int i_nlink;
	unsigned int i_uid, i_gid;
	loff_t i_size;
	long i_mtime;
	unsigned int i_rdev;
	const void *i_data;		/* regular file: its bytes (in the initramfs image) */
	struct inode *i_parent;		/* directory: its parent */
	struct inode *i_child, *i_next;	/* directory: first entry; next sibling */
	const char *i_name;		/* the entry's name in its directory */
	const struct file_operations *i_fop;
};

struct file {
	struct inode *f_inode;
	const struct file_operations *f_op;
	unsigned int f_flags;		/* O_* */
	loff_t f_pos;
	int f_count;			/* references: descriptors and VMAs */
	void *private_data;		/* getdents64's place, for example */
};

struct file_operations {
	/* buf is a user pointer for read/write (copy_to_user/copy_from_user);
	 * bytes done or -errno */
	long (*read)(struct file *f, char *buf, size_t n, loff_t *pos);
	long (*write)(struct file *f, const char *buf, size_t n, loff_t *pos);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	long (*getdents64)(struct file *f, void *dirent, unsigned int count);
};

struct files_struct {
	int count;			/* tasks sharing it (CLONE_FILES; otherwise 1) */
	struct file *fd[NR_OPEN_DEFAULT];
	uint64_t close_on_exec;		/* bit per descriptor */
};

/* ---- the file system */

/* Unpack the initramfs the loader brought (boot_info) into the in-memory
 * tree; a malformed archive is reported and what came before kept. */
void initramfs_init(void);
/* The inode at path (absolute, or relative to /), following no links;
 * NULL when absent. */
struct inode *namei(const char *path);

/* An open file for path (O_RDONLY or O_DIRECTORY etc.; writing a regular
 * file is -EROFS), or ERR_PTR(-errno). Kernel-side path. */
struct file *filp_open(const char *path, unsigned int flags);
static inline void get_file(struct file *f) { __atomic_add_fetch(&f->f_count, 1, __ATOMIC_SEQ_CST); }
void fput(struct file *f);
/* Read n bytes at *pos into a kernel buffer; bytes read or -errno. */
long kernel_read(struct file *f, void *buf, size_t n, loff_t *pos);

/* ---- descriptor tables */

struct files_struct *files_alloc(void);
/* fork: a copy sharing every open file (f_count raised); NULL when no memory. */
struct files_struct *dup_fd(struct files_struct *old);
void put_files_struct(struct files_struct *files);
/* exec: close the close-on-exec descriptors. */
void do_close_on_exec(struct files_struct *files);
/* fds 0, 1 and 2 on the console (for PID 1 and monitor-run programs). */
int files_open_console(struct files_struct *files);
/* The current task's file for fd, with no reference taken; NULL when not open. */
struct file *fcheck(unsigned int fd);

#endif /* KERNEL_FS_H */
