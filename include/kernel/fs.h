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
#include "asm/uaccess.h"
#include "kernel/err.h"
#include "kernel/spinlock.h"
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
	/* a directory whose entries are made on lookup (/proc); NULL: i_child */
	const struct inode_operations *i_op;
	struct inode *i_last;		/* directory: last entry (appends keep archive order) */
};

struct file {
	struct inode *f_inode;
	const struct file_operations *f_op;
	unsigned int f_flags;		/* O_* */
	loff_t f_pos;
	int f_count;			/* references: descriptors and VMAs */
	int f_pid;			/* /proc/PID files: the PID */
	void *private_data;		/* /proc files: the text taken at open */
};

/* A directory walk (getdents64, or a kernel caller): iterate() hands each
 * entry from pos on to actor, which returns false when it has no room;
 * pos is then the place of the entry that did not fit. */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, size_t len,
		      loff_t next_pos, uint64_t ino, unsigned int d_type);
	loff_t pos;
};

/* d_type (Linux's DT_*) */
#define DT_UNKNOWN	0
#define DT_CHR		2
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10

/* Lookup state: the inode reached, and the PID a /proc/PID path named. */
struct nameidata {
	struct inode *inode;
	int pid;
	int depth;			/* symlinks followed */
};

struct inode_operations {
	/* The entry name[0, len) of dir, or ERR_PTR(-ENOENT); may set nd->pid. */
	struct inode *(*lookup)(struct inode *dir, const char *name, size_t len,
				struct nameidata *nd);
};

struct file_operations {
	/* buf is a user pointer for read/write (copy_to_user/copy_from_user);
	 * bytes done or -errno */
	long (*read)(struct file *f, char *buf, size_t n, loff_t *pos);
	long (*write)(struct file *f, const char *buf, size_t n, loff_t *pos);
	/* read into a kernel buffer (kernel_read) */
	long (*kread)(struct file *f, char *buf, size_t n, loff_t *pos);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* directories: the entries from ctx->pos on (getdents64, iterate_dir) */
	int (*iterate)(struct file *f, struct dir_context *ctx);
	/* NULL: any position (SEEK_END from i_size); the console: -ESPIPE */
	loff_t (*llseek)(struct file *f, loff_t offset, int whence);
	int (*open)(struct file *f);		/* optional: 0 or -errno */
	void (*release)(struct file *f);	/* optional: at the last fput */
};

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#define PATH_MAX	4096	/* with the NUL */
#define NAME_MAX	255

/* lookup flags */
#define LOOKUP_FOLLOW		0x1	/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY	0x2	/* the last component must be a directory */

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};
#define UIO_MAXIOV	1024

struct files_struct {
	int count;			/* tasks sharing it (CLONE_FILES; otherwise 1) */
	struct file *fd[NR_OPEN_DEFAULT];
	uint64_t close_on_exec;		/* bit per descriptor */
	spinlock_t file_lock;		/* fd[] and close_on_exec */
};

/* ---- the file system */

/* Unpack the initramfs the loader brought (boot_info) into the in-memory
 * tree; a malformed archive is reported and what came before kept. */
void initramfs_init(void);
/* The inode at path (absolute, or relative to /): symlinks inside the
 * path followed, one at its end not (path_lookupat); NULL when absent. */
struct inode *namei(const char *path);
/* inode's path from the root of the tree ("/bin/t_mm") into buf; buf. */
const char *inode_path(const struct inode *inode, char *buf, size_t size);

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
/* The current task's descriptor table (NULL for a kernel thread). */
struct files_struct *current_files(void);
/* The current task's file for fd, with no reference taken; NULL when not open. */
struct file *fcheck(unsigned int fd);
/* Install f at the lowest free descriptor of files: the fd, or -EMFILE. */
int fd_install_lowest(struct files_struct *files, struct file *f, bool cloexec);
/* The same from descriptor from on (fcntl's F_DUPFD). */
int fd_install_from(struct files_struct *files, struct file *f, unsigned int from,
		    bool cloexec);
/* Put f at descriptor fd (< NR_OPEN_DEFAULT): the file it held before,
 * whose reference passes to the caller, or NULL (dup2). */
struct file *fd_replace(struct files_struct *files, unsigned int fd, struct file *f,
			bool cloexec);
/* Descriptor fd taken out of files: its file (whose reference passes to
 * the caller), NULL when fd was not open. */
struct file *fd_remove(struct files_struct *files, unsigned int fd);

/* ---- fs/ramfs.c: the tree and its walk (pure code, in the host test too) */

extern struct inode *ramfs_root;
/* The root directory (once); 0 or -ENOMEM. */
int ramfs_init_root(void);
/* A new entry name[0, len) in dir; the name must stay and be NUL-ended
 * at len (an archive path's tail, or a string constant): it is not
 * copied. NULL when no memory. */
struct inode *ramfs_new(struct inode *dir, const char *name, size_t len,
			unsigned int mode);
/* The root's directory name (the archive's, or a new one of mode):
 * ERR_PTR(-ENOTDIR) when the archive made name something else, -ENOMEM. */
struct inode *ramfs_kernel_dir(const char *name, unsigned int mode);
/* dir's entry name[0, len), not "." or ".."; NULL when absent. */
struct inode *ramfs_find(struct inode *dir, const char *name, size_t len);
/* cpio_parse's actor: each archive member into the tree. */
struct cpio_entry;
enum cpio_fault ramfs_add_entry(const struct cpio_entry *e, void *arg);
/* Drop the whole tree (the host test, between archives). */
void ramfs_destroy(void);

/*
 * path_lookupat - walk path[0, len) from base (the root when it starts
 * with '/'): '.', '..', repeated slashes, symlinks inside (and at the
 * end with LOOKUP_FOLLOW; 8 deep at most). 0 with nd filled, or
 * -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP.
 */
int path_lookupat(struct inode *base, const char *path, size_t len,
		  unsigned int flags, struct nameidata *nd);
/* nd->pid must hold base's PID when base is a /proc/PID directory, else 0. */

static inline bool S_ISDIR(unsigned int m) { return (m & S_IFMT) == S_IFDIR; }
static inline bool S_ISREG(unsigned int m) { return (m & S_IFMT) == S_IFREG; }
static inline bool S_ISLNK(unsigned int m) { return (m & S_IFMT) == S_IFLNK; }
static inline bool S_ISCHR(unsigned int m) { return (m & S_IFMT) == S_IFCHR; }

/* ---- fs/open.c, fs/read_write.c, fs/readdir.c: kernel-side helpers */

/* An open file for an inode reached by lookup (f_count 1); ERR_PTR. */
struct file *alloc_file(struct inode *inode, unsigned int flags, int pid);
/* The entries of directory f from f->f_pos on, through ctx->actor. */
int iterate_dir(struct file *f, struct dir_context *ctx);
/* Open path with flags, relative to the directory base (NULL: the root). */
struct file *file_open_at(struct inode *base, const char *path, unsigned int flags);
/* Read from a buffer of available bytes at *pos (Linux's fs/libfs.c
 * helpers): to a user buffer (bytes before a fault; -EFAULT when none),
 * or to a kernel one. */
long simple_read_from_buffer(void __user *to, size_t count, loff_t *pos,
			     const void *from, size_t available);
long memory_read_from_buffer(void *to, size_t count, loff_t *pos, const void *from,
			     size_t available);
/* lseek's work: the new position or -errno (-ESPIPE on the console). */
loff_t vfs_llseek(struct file *f, loff_t offset, int whence);
/* d_type of an st_mode; "." and ".." at places 0 and 1 (false: the actor
 * stopped). */
unsigned int dt_type(unsigned int mode);
bool dir_emit_dots(struct file *f, struct dir_context *ctx);

/* ---- fs/tty_file.c, fs/proc.c */

extern const struct file_operations console_fops, null_fops;
/* A cooked line from the console input (echo, backspace, Enter ends the
 * line, ^D at the line's start is end of file) into a kernel buffer:
 * bytes, 0 at end of file. */
long tty_read_cooked(char *buf, size_t n);
/* Whether tty_read_cooked echoes (the tests turn it off). */
extern bool tty_echo;
/* The console's rows and columns (the framebuffer console's, else 25x80). */
void tty_winsize(unsigned int *rows, unsigned int *cols);
/* /proc in the tree (fs/proc.c); 0 or -ENOMEM. */
int proc_init(void);
/* /dev/console, /dev/null, /dev/tty (fs/tty_file.c); 0 or -ENOMEM. */
int dev_init(void);
/* The unpacked initramfs: its inodes counted (fs/initramfs.c). */
struct initramfs_stats {
	unsigned int entries;		/* members taken */
	unsigned int ignored;		/* device nodes, FIFOs, sockets */
	bool present, trailer;
	int fault;			/* enum cpio_fault of the parse */
	char fault_name[64];		/* the member it names, if any */
};
extern struct initramfs_stats initramfs_stats;
/* Unpack an archive at buf into the tree (what initramfs_init does with
 * the loader's); its report lines as initramfs_init prints them. */
void initramfs_unpack(const void *buf, size_t len);

#endif /* KERNEL_FS_H */
