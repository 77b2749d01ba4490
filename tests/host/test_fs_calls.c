/* SPDX-License-Identifier: MIT */
/*
 * The file system calls of fs/ (open, openat, close, read, readv, write,
 * writev, lseek, _llseek, fstat64, stat64, lstat64, statx, getdents64,
 * ioctl; dup, dup2, dup3, fcntl64, fstatat64, readlink, readlinkat,
 * access, faccessat, getcwd, pread64) as a process makes them, on the host: "user space" is a range
 * mapped at 0x20000000 (below PAGE_OFFSET, as the kernel's access_ok
 * wants), the user-copy functions copy inside it and fault (stop short)
 * outside it, as the kernel's own do; the console's output and input
 * are a buffer and a script. Each call's success and its errors.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include "cpio_build.h"
#include "hosttest.h"
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/stat.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"
#include "video/efifb.h"

#define UBASE	0x20000000UL
#define USIZE	(1UL << 20)
#define BAD_USER	((void *)0x30000000UL)	/* below PAGE_OFFSET, not mapped */
#define KERNEL_PTR	((void *)0xC0001000UL)	/* above: access_ok refuses it */

/* ---- what the kernel around fs/ provides */

void *kmalloc(size_t size, gfp_t flags)
{
	(void)flags;
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size, gfp_t flags)
{
	(void)flags;
	return calloc(1, size ? size : 1);
}

int kfree(const void *p)
{
	free((void *)p);
	return 0;
}

void panic(const char *fmt, ...)
{
	printf("panic: %s\n", fmt);
	abort();
}

static bool in_user(unsigned long a)
{
	return a >= UBASE && a < UBASE + USIZE;
}

/* Bytes not copied: those from the first one outside the mapped range. */
unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	unsigned long done = 0;

	if (!access_ok(to, n))
		return n;
	while (done < n && in_user((unsigned long)to + done)) {
		((char *)to)[done] = ((const char *)from)[done];
		done++;
	}
	return n - done;
}

unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	unsigned long done = 0;

	if (!access_ok(from, n))
		return n;
	while (done < n && in_user((unsigned long)from + done)) {
		((char *)to)[done] = ((const char *)from)[done];
		done++;
	}
	return n - done;
}

long strncpy_from_user(char *dst, const char *src, long count)
{
	for (long i = 0; i < count; i++) {
		if (!in_user((unsigned long)src + i))
			return -EFAULT;
		dst[i] = src[i];
		if (!dst[i])
			return i;
	}
	return count;
}

static struct files_struct *cur_files;

struct files_struct *current_files(void)
{
	return cur_files;
}

struct efifb_state efifb;		/* no screen: 25x80 */
static char con_out[4096];
static size_t con_len;
static const char *con_in;

void console_write(const char *s, size_t n)
{
	if (con_len + n < sizeof(con_out)) {
		memcpy(con_out + con_len, s, n);
		con_len += n;
		con_out[con_len] = '\0';
	}
}

int tty_getc(void)
{
	return con_in && *con_in ? (unsigned char)*con_in++ : 4;	/* ^D when the script ends */
}

/* ---- the process's view */

static char *const U = (char *)UBASE;

/* A string placed in user space at offset off; its user address. */
static char *ustr(size_t off, const char *s)
{
	strcpy(U + off, s);
	return U + off;
}

static const char motd[] = "Welcome to pae32: a read-only initramfs.\n";
static struct ar *archive;

static void setup(void)
{
	struct cpio_result res;
	unsigned int ignored = 0;

	if (!archive) {
		archive = calloc(1, sizeof(*archive));
		add(archive, S_IFDIR | 0755, ".", NULL);
		add(archive, S_IFDIR | 0755, "etc", NULL);
		add(archive, S_IFREG | 0644, "etc/motd", motd);
		add(archive, S_IFREG | 0644, "etc/hostname", "pae32\n");
		add(archive, S_IFDIR | 0755, "empty", NULL);
		add(archive, S_IFDIR | 0755, "usr", NULL);
		add(archive, S_IFDIR | 0755, "usr/share", NULL);
		add(archive, S_IFLNK | 0777, "usr/doc", "share");
		trailer(archive);
	}
	ramfs_destroy();
	ramfs_init_root();
	cpio_parse(archive->buf, archive->len, ramfs_add_entry, &ignored, &res);
	CHECK_EQ(res.fault, CPIO_OK);
	CHECK_EQ(dev_init(), 0);
	if (cur_files)
		put_files_struct(cur_files);
	cur_files = files_alloc();
	memset(U, 0x5a, USIZE);
	con_len = 0;
	con_out[0] = '\0';
}

static void open_read_close(void)
{
	long fd, n;

	setup();
	fd = sys_open(ustr(0, "/etc/motd"), O_RDONLY, 0);
	CHECK_EQ(fd, 0);			/* the lowest free */
	n = sys_read(fd, U + 100, 1000);
	CHECK_EQ(n, strlen(motd));
	CHECK(memcmp(U + 100, motd, strlen(motd)) == 0);
	CHECK_EQ(sys_read(fd, U + 100, 1000), 0);	/* end of file */
	CHECK_EQ(sys_close(fd), 0);
	CHECK_EQ(sys_close(fd), -EBADF);
	CHECK_EQ(sys_read(fd, U + 100, 1), -EBADF);
	CHECK_EQ(sys_close(99), -EBADF);
	CHECK_EQ(sys_close(64), -EBADF);
	/* relative paths are from the root; AT_FDCWD too */
	fd = sys_openat(AT_FDCWD, ustr(0, "etc/hostname"), O_RDONLY, 0);
	CHECK_EQ(fd, 0);
	CHECK_EQ(sys_read(fd, U + 100, 3), 3);
	CHECK_EQ(sys_read(fd, U + 103, 100), 3);
	CHECK(memcmp(U + 100, "pae32\n", 6) == 0);
	CHECK_EQ(sys_close(fd), 0);
}

static void open_errors_as_on_a_read_only_linux(void)
{
	char longname[300], *p;

	setup();
	p = ustr(0, "/etc/motd");
	CHECK_EQ(sys_open(p, O_WRONLY, 0), -EROFS);
	CHECK_EQ(sys_open(p, O_RDWR, 0), -EROFS);
	CHECK_EQ(sys_open(p, O_RDONLY | O_TRUNC, 0), -EROFS);
	CHECK_EQ(sys_open(p, O_CREAT | O_EXCL, 0644), -EEXIST);
	CHECK_EQ(sys_open(p, O_DIRECTORY, 0), -ENOTDIR);
	CHECK_EQ(sys_open(ustr(0, "/etc/new"), O_CREAT | O_WRONLY, 0644), -EROFS);
	CHECK_EQ(sys_open(ustr(0, "/none/new"), O_CREAT | O_WRONLY, 0644), -ENOENT);
	CHECK_EQ(sys_open(ustr(0, "/etc"), O_WRONLY, 0), -EISDIR);
	CHECK_EQ(sys_open(ustr(0, "/etc"), O_RDONLY | O_TRUNC, 0), -EISDIR);
	CHECK_EQ(sys_open(ustr(0, "/etc"), O_RDONLY | O_CREAT, 0), -EISDIR);
	CHECK_EQ(sys_open(ustr(0, "/dev/null"), O_WRONLY | O_TRUNC, 0), 0);	/* a device */
	CHECK_EQ(sys_close(0), 0);
	CHECK_EQ(sys_open(ustr(0, "/etc/motd/"), O_RDONLY, 0), -ENOTDIR);
	CHECK_EQ(sys_open(ustr(0, "/usr/doc"), O_NOFOLLOW, 0), -ELOOP);
	CHECK_EQ(sys_open(ustr(0, ""), O_RDONLY, 0), -ENOENT);
	CHECK_EQ(sys_open(BAD_USER, O_RDONLY, 0), -EFAULT);
	CHECK_EQ(sys_open(KERNEL_PTR, O_RDONLY, 0), -EFAULT);
	/* a path running off the end of user space: not NUL-ended in reach */
	memset(U + USIZE - 8, 'a', 8);
	CHECK_EQ(sys_open(U + USIZE - 8, O_RDONLY, 0), -EFAULT);
	memset(longname, 'n', sizeof(longname));
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	CHECK_EQ(sys_open(ustr(0, longname), O_RDONLY, 0), -ENAMETOOLONG);
	memset(U, '/', PATH_MAX);		/* PATH_MAX bytes, no NUL among them */
	U[PATH_MAX] = '\0';
	CHECK_EQ(sys_open(U, O_RDONLY, 0), -ENAMETOOLONG);
	U[PATH_MAX - 1] = '\0';			/* 4095 slashes: the root */
	CHECK_EQ(sys_open(U, O_RDONLY, 0), 0);
	CHECK_EQ(sys_close(0), 0);
	/* devices open for writing */
	CHECK_EQ(sys_open(ustr(0, "/dev/null"), O_WRONLY, 0), 0);
	CHECK_EQ(sys_write(0, U, 12345), 12345);
	CHECK_EQ(sys_read(0, U, 1), -EBADF);	/* opened write-only */
	CHECK_EQ(sys_close(0), 0);
	CHECK_EQ(sys_write(5, U, 1), -EBADF);
}

static void openat_relative_to_a_directory(void)
{
	long dfd, fd;

	setup();
	dfd = sys_open(ustr(0, "/etc"), O_RDONLY | O_DIRECTORY, 0);
	CHECK_EQ(dfd, 0);
	fd = sys_openat((int)dfd, ustr(0, "motd"), O_RDONLY, 0);
	CHECK_EQ(fd, 1);
	CHECK_EQ(sys_read(fd, U + 100, 7), 7);
	CHECK(memcmp(U + 100, "Welcome", 7) == 0);
	CHECK_EQ(sys_openat((int)dfd, ustr(0, "../etc/hostname"), O_RDONLY, 0), 2);
	CHECK_EQ(sys_openat((int)fd, ustr(0, "x"), O_RDONLY, 0), -ENOTDIR);
	CHECK_EQ(sys_openat(40, ustr(0, "x"), O_RDONLY, 0), -EBADF);
	CHECK_EQ(sys_openat(40, ustr(0, "/etc/motd"), O_RDONLY, 0), 3);	/* absolute: dfd unused */
	CHECK_EQ(sys_openat(-5, ustr(0, "x"), O_RDONLY, 0), -EBADF);
}

static void descriptors_lowest_free_cloexec_emfile(void)
{
	char *p;
	long fd;

	setup();
	p = ustr(0, "/etc/motd");
	for (fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		CHECK_EQ(sys_open(p, O_RDONLY | (fd == 5 ? O_CLOEXEC : 0), 0), fd);
	CHECK_EQ(sys_open(p, O_RDONLY, 0), -EMFILE);
	CHECK_EQ(cur_files->close_on_exec, 1ULL << 5);
	CHECK_EQ(sys_close(7), 0);
	CHECK_EQ(sys_close(3), 0);
	CHECK_EQ(sys_open(p, O_RDONLY, 0), 3);
	CHECK_EQ(sys_open(p, O_RDONLY, 0), 7);
	do_close_on_exec(cur_files);
	CHECK_EQ(sys_close(5), -EBADF);
	CHECK_EQ(sys_open(p, O_RDONLY, 0), 5);
	CHECK_EQ(cur_files->close_on_exec, 0);
}

static void bad_buffers_are_efault(void)
{
	long fd;

	setup();
	fd = sys_open(ustr(0, "/etc/motd"), O_RDONLY, 0);
	CHECK_EQ(sys_read(fd, BAD_USER, 10), -EFAULT);
	CHECK_EQ(sys_read(fd, KERNEL_PTR, 10), -EFAULT);
	CHECK_EQ(sys_read(fd, (char *)0xBFFFFFF0UL, 0x20), -EFAULT);	/* crosses PAGE_OFFSET */
	/* the failures moved nothing */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 0);
	/* a buffer that ends where user space does: the bytes before the fault */
	CHECK_EQ(sys_read(fd, U + USIZE - 4, 10), 4);
	CHECK(memcmp(U + USIZE - 4, "Welc", 4) == 0);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 4);
	CHECK_EQ(sys_read(fd, U, 0), 0);
	CHECK_EQ(sys_write(fd, U, 1), -EBADF);	/* opened read-only */
	CHECK_EQ(sys_fstat64(fd, BAD_USER), -EFAULT);
	CHECK_EQ(sys_ioctl(fd, 0x5401, (unsigned long)U), -ENOTTY);
	CHECK_EQ(sys_ioctl(fd + 1, 0x5401, (unsigned long)U), -EBADF);
}

static void readv_writev(void)
{
	struct iovec *iov = (struct iovec *)(U + 0x1000);
	long fd;

	setup();
	fd = sys_open(ustr(0, "/etc/motd"), O_RDONLY, 0);
	iov[0].iov_base = U + 0x2000;
	iov[0].iov_len = 8;
	iov[1].iov_base = U + 0x3000;
	iov[1].iov_len = 0;
	iov[2].iov_base = U + 0x4000;
	iov[2].iov_len = 100;
	CHECK_EQ(sys_readv(fd, iov, 3), strlen(motd));
	CHECK(memcmp(U + 0x2000, "Welcome ", 8) == 0);
	CHECK(memcmp(U + 0x4000, motd + 8, strlen(motd) - 8) == 0);
	CHECK_EQ(sys_readv(fd, iov, 0), 0);
	CHECK_EQ(sys_readv(fd, iov, UIO_MAXIOV + 1), -EINVAL);
	CHECK_EQ(sys_readv(fd, BAD_USER, 1), -EFAULT);
	CHECK_EQ(sys_readv(fd, iov, 1), 0);		/* at the end: nothing to copy */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	iov[0].iov_base = BAD_USER;			/* passes access_ok, faults */
	CHECK_EQ(sys_readv(fd, iov, 1), -EFAULT);
	iov[0].iov_base = KERNEL_PTR;			/* fails access_ok */
	CHECK_EQ(sys_readv(fd, iov, 1), -EFAULT);
	iov[0].iov_len = (size_t)-1;		/* negative as ssize_t */
	CHECK_EQ(sys_readv(fd, iov, 1), -EINVAL);
	CHECK_EQ(sys_writev(fd, iov, 1), -EBADF);
	/* writev to the console: the pieces in order */
	CHECK_EQ(sys_open(ustr(0, "/dev/console"), O_RDWR, 0), 1);
	iov[0].iov_base = ustr(0x2000, "hello, ");
	iov[0].iov_len = 7;
	iov[1].iov_base = ustr(0x3000, "console\n");
	iov[1].iov_len = 8;
	CHECK_EQ(sys_writev(1, iov, 2), 15);
	CHECK_STR(con_out, "hello, console\n");
	iov[1].iov_base = KERNEL_PTR;
	CHECK_EQ(sys_writev(1, iov, 2), -EFAULT);	/* access_ok: before any write */
	CHECK_STR(con_out, "hello, console\n");
	iov[1].iov_base = BAD_USER;			/* a fault in the second piece: */
	CHECK_EQ(sys_writev(1, iov, 2), 7);		/* the first one's bytes, as Linux */
	CHECK_STR(con_out, "hello, console\nhello, ");
}

static void lseek_and_llseek(void)
{
	loff_t *res = (loff_t *)(U + 0x800);
	long fd;

	setup();
	fd = sys_open(ustr(0, "/etc/motd"), O_RDONLY, 0);
	CHECK_EQ(sys_lseek(fd, 8, SEEK_SET), 8);
	CHECK_EQ(sys_lseek(fd, 3, SEEK_CUR), 11);
	CHECK_EQ(sys_read(fd, U, 5), 5);
	CHECK(memcmp(U, "pae32", 5) == 0);
	CHECK_EQ(sys_lseek(fd, -1, SEEK_END), strlen(motd) - 1);
	CHECK_EQ(sys_lseek(fd, -100, SEEK_END), -EINVAL);
	CHECK_EQ(sys_lseek(fd, 0, 3), -EINVAL);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), strlen(motd) - 1);
	CHECK_EQ(sys_llseek(fd, 1, 5, res, SEEK_SET), 0);	/* 2^32 + 5 */
	CHECK_EQ(*res, (1LL << 32) + 5);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), -EOVERFLOW);
	CHECK_EQ(sys_llseek(fd, 0, 2, BAD_USER, SEEK_SET), -EFAULT);
	CHECK_EQ(sys_llseek(fd, 0, 2, res, 7), -EINVAL);
	CHECK_EQ(sys_llseek(99, 0, 2, res, SEEK_SET), -EBADF);
	CHECK_EQ(sys_lseek(99, 0, SEEK_SET), -EBADF);
	CHECK_EQ(sys_open(ustr(0, "/dev/console"), O_RDWR, 0), 1);
	CHECK_EQ(sys_lseek(1, 0, SEEK_SET), -ESPIPE);
	CHECK_EQ(sys_llseek(1, 0, 0, res, SEEK_SET), -ESPIPE);
}

static void stat64_and_statx(void)
{
	struct stat64 *st = (struct stat64 *)(U + 0x1000);
	struct statx *sx = (struct statx *)(U + 0x2000);
	long fd;

	setup();
	CHECK_EQ(sys_stat64(ustr(0, "/etc/motd"), st), 0);
	CHECK_EQ(st->st_mode, S_IFREG | 0644);
	CHECK_EQ(st->st_size, strlen(motd));
	CHECK_EQ(st->st_nlink, 1);
	CHECK_EQ(st->st_blocks, 1);
	CHECK_EQ(st->st_blksize, 4096);
	CHECK_EQ(st->st_mtime, 1700000000);
	CHECK_EQ(st->st_ino, namei("/etc/motd")->i_ino);
	CHECK_EQ(st->__st_ino, st->st_ino);
	CHECK_EQ(st->st_dev, 1);
	CHECK_EQ(sys_stat64(ustr(0, "/usr/doc"), st), 0);	/* followed */
	CHECK_EQ(st->st_mode, S_IFDIR | 0755);
	CHECK_EQ(sys_lstat64(ustr(0, "/usr/doc"), st), 0);	/* not followed */
	CHECK_EQ(st->st_mode, S_IFLNK | 0777);
	CHECK_EQ(st->st_size, 5);
	CHECK_EQ(sys_stat64(ustr(0, "/dev/null"), st), 0);
	CHECK_EQ(st->st_rdev, 1 << 8 | 3);
	CHECK_EQ(sys_stat64(ustr(0, "/etc/none"), st), -ENOENT);
	CHECK_EQ(sys_stat64(BAD_USER, st), -EFAULT);
	CHECK_EQ(sys_stat64(ustr(0, "/etc/motd"), BAD_USER), -EFAULT);
	fd = sys_open(ustr(0, "/etc"), O_RDONLY, 0);
	CHECK_EQ(sys_fstat64(fd, st), 0);
	CHECK_EQ(st->st_mode, S_IFDIR | 0755);
	CHECK_EQ(st->st_nlink, 2);
	CHECK_EQ(sys_fstat64(fd + 1, st), -EBADF);

	CHECK_EQ(sys_statx(AT_FDCWD, ustr(0, "/etc/motd"), 0, STATX_BASIC_STATS, sx), 0);
	CHECK_EQ(sx->stx_mask, STATX_BASIC_STATS);
	CHECK_EQ(sx->stx_mode, S_IFREG | 0644);
	CHECK_EQ(sx->stx_size, strlen(motd));
	CHECK_EQ(sx->stx_mtime.tv_sec, 1700000000);
	CHECK_EQ(sx->stx_dev_minor, 1);
	CHECK_EQ(sys_statx((int)fd, ustr(0, "hostname"), 0, STATX_BASIC_STATS, sx), 0);
	CHECK_EQ(sx->stx_size, 6);
	CHECK_EQ(sys_statx((int)fd, ustr(0, ""), AT_EMPTY_PATH, STATX_BASIC_STATS, sx), 0);
	CHECK_EQ(sx->stx_mode, S_IFDIR | 0755);
	CHECK_EQ(sys_statx((int)fd, ustr(0, ""), 0, STATX_BASIC_STATS, sx), -ENOENT);
	CHECK_EQ(sys_statx(AT_FDCWD, ustr(0, "/usr/doc"), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
			   sx), 0);
	CHECK_EQ(sx->stx_mode, S_IFLNK | 0777);
	CHECK_EQ(sys_statx(AT_FDCWD, ustr(0, "/etc"), 0x4, STATX_BASIC_STATS, sx), -EINVAL);
	CHECK_EQ(sys_statx(AT_FDCWD, ustr(0, "/etc"), 0x6000, STATX_BASIC_STATS, sx), -EINVAL);
	CHECK_EQ(sys_statx(AT_FDCWD, ustr(0, "/etc"), 0, STATX__RESERVED, sx), -EINVAL);
	CHECK_EQ(sys_statx(AT_FDCWD, ustr(0, "/etc"), 0, STATX_BASIC_STATS, BAD_USER), -EFAULT);
	CHECK_EQ(sys_statx(33, ustr(0, "x"), 0, STATX_BASIC_STATS, sx), -EBADF);
}

/* The names of the linux_dirent64 records in buf[0, n), checked. */
static void dirents(const char *buf, long n, char *names, size_t size)
{
	long off = 0;

	names[0] = '\0';
	while (off < n) {
		const char *d = buf + off;
		unsigned short reclen;

		memcpy(&reclen, d + 16, 2);
		CHECK_EQ(reclen % 8, 0);
		CHECK(reclen >= 20 && off + reclen <= n);
		if (reclen < 20)
			return;
		if (names[0])
			strncat(names, " ", size - strlen(names) - 1);
		strncat(names, d + 19, size - strlen(names) - 1);
		off += reclen;
	}
}

static void getdents64_lists(void)
{
	char names[256];
	long fd, n;

	setup();
	fd = sys_open(ustr(0, "/etc"), O_RDONLY | O_DIRECTORY, 0);
	n = sys_getdents64(fd, U + 0x1000, 4096);
	CHECK(n > 0);
	dirents(U + 0x1000, n, names, sizeof(names));
	CHECK_STR(names, ". .. motd hostname");	/* archive order */
	CHECK_EQ(U[0x1000 + 18], DT_DIR);	/* "." is a directory */
	CHECK_EQ(sys_getdents64(fd, U + 0x1000, 4096), 0);	/* the end */
	CHECK_EQ(sys_getdents64(fd, U + 0x1000, 10), 0);	/* the end, whatever the room */
	/* a buffer for one record at a time: each call the next one */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_getdents64(fd, U + 0x1000, 24), 24);
	CHECK_STR(U + 0x1000 + 19, ".");
	CHECK_EQ(sys_getdents64(fd, U + 0x1000, 24), 24);
	CHECK_STR(U + 0x1000 + 19, "..");
	CHECK_EQ(sys_getdents64(fd, U + 0x1000, 24), 24);	/* 19 + "motd" + NUL */
	CHECK_STR(U + 0x1000 + 19, "motd");
	CHECK_EQ(sys_getdents64(fd, U + 0x1000, 31), -EINVAL);	/* "hostname" needs 32 */
	CHECK_EQ(sys_getdents64(fd, BAD_USER, 4096), -EFAULT);
	CHECK_EQ(sys_getdents64(fd, KERNEL_PTR, 4096), -EFAULT);
	CHECK_EQ(sys_getdents64(fd, U + USIZE - 8, 4096), -EFAULT);
	CHECK_EQ(sys_getdents64(fd, U + 0x1000, 32), 32);	/* nothing was lost */
	CHECK_STR(U + 0x1000 + 19, "hostname");
	CHECK_EQ(sys_getdents64(fd + 1, U, 4096), -EBADF);
	CHECK_EQ(sys_open(ustr(0, "/etc/motd"), O_RDONLY, 0), 1);
	CHECK_EQ(sys_getdents64(1, U, 4096), -ENOTDIR);
	CHECK_EQ(sys_read(fd, U, 10), -EISDIR);
	CHECK_EQ(sys_open(ustr(0, "/empty"), O_RDONLY, 0), 2);
	n = sys_getdents64(2, U + 0x1000, 4096);
	dirents(U + 0x1000, n, names, sizeof(names));
	CHECK_STR(names, ". ..");
}

static void console_file(void)
{
	unsigned short *ws = (unsigned short *)(U + 0x100);
	unsigned char *tio = (unsigned char *)(U + 0x200);

	setup();
	CHECK_EQ(files_open_console(cur_files), 0);
	CHECK(cur_files->fd[0] == cur_files->fd[1] && cur_files->fd[1] == cur_files->fd[2]);
	CHECK_EQ(cur_files->fd[0]->f_count, 3);
	CHECK_EQ(sys_write(1, ustr(0, "hi\n"), 3), 3);
	CHECK_STR(con_out, "hi\n");
	CHECK_EQ(sys_write(1, BAD_USER, 3), -EFAULT);
	/* cooked input: echo, backspace, Enter; a short read leaves the rest */
	con_len = 0;
	con_in = "ls -x\x7fl\r";
	CHECK_EQ(sys_read(0, U + 0x400, 3), 3);
	CHECK(memcmp(U + 0x400, "ls ", 3) == 0);
	CHECK_EQ(sys_read(0, U + 0x400, 100), 3);
	CHECK(memcmp(U + 0x400, "-l\n", 3) == 0);
	CHECK_STR(con_out, "ls -x\b \bl\n");
	con_in = "\x04";
	CHECK_EQ(sys_read(0, U + 0x400, 100), 0);	/* ^D at the start: end of file */
	con_in = "abc\r";
	CHECK_EQ(sys_read(0, BAD_USER, 100), -EFAULT);
	CHECK_EQ(sys_read(0, U + 0x400, 100), 4);	/* the line was kept */
	CHECK(memcmp(U + 0x400, "abc\n", 4) == 0);
	CHECK_EQ(sys_ioctl(0, 0x5413, (unsigned long)ws), 0);	/* TIOCGWINSZ */
	CHECK_EQ(ws[0], 25);
	CHECK_EQ(ws[1], 80);
	CHECK_EQ(sys_ioctl(0, 0x5401, (unsigned long)tio), 0);	/* TCGETS */
	CHECK_EQ(tio[12] & 0x2, 0x2);		/* c_lflag has ICANON */
	CHECK_EQ(tio[17 + 2], 0x7f);		/* c_cc[VERASE] */
	CHECK_EQ(sys_ioctl(0, 0x5401, (unsigned long)BAD_USER), -EFAULT);
	CHECK_EQ(sys_ioctl(0, 0x5402, (unsigned long)tio), -ENOTTY);	/* TCSETS */
	CHECK_EQ(sys_ioctl(0, 0x541B, 0), -ENOTTY);
	/* /dev/tty is the console too; /dev/null reads empty */
	CHECK_EQ(sys_open(ustr(0, "/dev/tty"), O_RDWR, 0), 3);
	CHECK_EQ(sys_ioctl(3, 0x5413, (unsigned long)ws), 0);
	CHECK_EQ(sys_open(ustr(0, "/dev/null"), O_RDONLY, 0), 4);
	CHECK_EQ(sys_read(4, U, 10), 0);
	CHECK_EQ(sys_ioctl(4, 0x5401, (unsigned long)tio), -ENOTTY);
	con_in = NULL;
}

static void dup_dup2_dup3_fcntl(void)
{
	long fd;

	setup();
	fd = sys_open(ustr(0, "/etc/motd"), O_RDONLY, 0);
	CHECK_EQ(fd, 0);
	CHECK_EQ(sys_dup(0), 1);
	CHECK_EQ(cur_files->fd[0]->f_count, 2);
	CHECK_EQ(sys_read(1, U, 8), 8);			/* one position for both */
	CHECK_EQ(sys_lseek(0, 0, SEEK_CUR), 8);
	CHECK_EQ(sys_dup(9), -EBADF);
	CHECK_EQ(sys_dup2(0, 5), 5);
	CHECK_EQ(sys_dup2(5, 5), 5);
	CHECK_EQ(sys_dup2(6, 6), -EBADF);
	CHECK_EQ(sys_dup2(0, 64), -EBADF);
	CHECK_EQ(sys_open(ustr(0, "/etc/hostname"), O_RDONLY, 0), 2);
	CHECK_EQ(sys_dup2(0, 2), 2);			/* closes what 2 held */
	CHECK_EQ(cur_files->fd[0]->f_count, 4);
	CHECK_EQ(sys_dup3(0, 3, O_CLOEXEC), 3);
	CHECK_EQ(sys_fcntl64(3, 1, 0), 1);		/* F_GETFD: FD_CLOEXEC */
	CHECK_EQ(sys_fcntl64(3, 2, 0), 0);		/* F_SETFD: clear it */
	CHECK_EQ(sys_fcntl64(3, 1, 0), 0);
	CHECK_EQ(sys_dup3(0, 3, O_RDWR), -EINVAL);
	CHECK_EQ(sys_dup3(3, 3, 0), -EINVAL);
	CHECK_EQ(sys_fcntl64(0, 0, 10), 10);		/* F_DUPFD: the lowest from 10 */
	CHECK_EQ(sys_fcntl64(0, 1030, 4), 4);		/* F_DUPFD_CLOEXEC */
	CHECK_EQ(sys_fcntl64(4, 1, 0), 1);
	CHECK_EQ(sys_fcntl64(0, 0, 64), -EINVAL);
	CHECK_EQ(sys_fcntl64(0, 3, 0), O_RDONLY);	/* F_GETFL */
	CHECK_EQ(sys_fcntl64(0, 4, O_NONBLOCK | O_RDWR), 0);	/* F_SETFL keeps the mode */
	CHECK_EQ(sys_fcntl64(0, 3, 0), O_NONBLOCK);
	CHECK_EQ(sys_fcntl64(0, 99, 0), -EINVAL);
	CHECK_EQ(sys_fcntl64(20, 1, 0), -EBADF);
	CHECK_EQ(cur_files->fd[0]->f_count, 7);
	for (fd = 0; fd < 11; fd++)
		sys_close((unsigned int)fd);
	CHECK(cur_files->fd[0] == NULL && cur_files->fd[10] == NULL);
}

static void fstatat_readlink_access_getcwd_pread(void)
{
	struct stat64 *st = (struct stat64 *)(U + 0x1000);
	long dfd;

	setup();
	dfd = sys_open(ustr(0, "/usr"), O_RDONLY, 0);
	CHECK_EQ(sys_fstatat64((int)dfd, ustr(0, "doc"), st, 0), 0);
	CHECK_EQ(st->st_mode, S_IFDIR | 0755);
	CHECK_EQ(sys_fstatat64((int)dfd, ustr(0, "doc"), st, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(st->st_mode, S_IFLNK | 0777);
	CHECK_EQ(sys_fstatat64((int)dfd, ustr(0, ""), st, AT_EMPTY_PATH), 0);
	CHECK_EQ(st->st_ino, namei("/usr")->i_ino);
	CHECK_EQ(sys_fstatat64(AT_FDCWD, ustr(0, "/etc/motd"), st, 0), 0);
	CHECK_EQ(st->st_size, strlen(motd));
	CHECK_EQ(sys_fstatat64(AT_FDCWD, ustr(0, "/etc"), st, 0x2), -EINVAL);

	CHECK_EQ(sys_readlink(ustr(0, "/usr/doc"), U + 0x100, 100), 5);
	CHECK(memcmp(U + 0x100, "share", 5) == 0);
	CHECK_EQ(U[0x105], 0x5a);			/* no NUL added */
	CHECK_EQ(sys_readlinkat((int)dfd, ustr(0, "doc"), U + 0x100, 3), 3);
	CHECK_EQ(sys_readlink(ustr(0, "/etc/motd"), U + 0x100, 100), -EINVAL);
	CHECK_EQ(sys_readlink(ustr(0, "/usr/doc"), U + 0x100, 0), -EINVAL);
	CHECK_EQ(sys_readlink(ustr(0, "/usr/doc"), BAD_USER, 10), -EFAULT);
	CHECK_EQ(sys_readlink(ustr(0, "/none"), U + 0x100, 10), -ENOENT);

	CHECK_EQ(sys_access(ustr(0, "/etc/motd"), 4), 0);		/* R_OK */
	CHECK_EQ(sys_access(ustr(0, "/etc/motd"), 0), 0);		/* F_OK */
	CHECK_EQ(sys_access(ustr(0, "/etc/motd"), 2), -EROFS);		/* W_OK */
	CHECK_EQ(sys_access(ustr(0, "/etc/motd"), 1), -EACCES);		/* X_OK, mode 0644 */
	CHECK_EQ(sys_access(ustr(0, "/etc"), 1), 0);
	CHECK_EQ(sys_access(ustr(0, "/dev/null"), 2), 0);
	CHECK_EQ(sys_access(ustr(0, "/none"), 0), -ENOENT);
	CHECK_EQ(sys_access(ustr(0, "/etc"), 8), -EINVAL);
	CHECK_EQ(sys_faccessat((int)dfd, ustr(0, "doc"), 4), 0);

	CHECK_EQ(sys_getcwd(U + 0x200, 100), 2);
	CHECK_STR(U + 0x200, "/");
	CHECK_EQ(sys_getcwd(U + 0x200, 1), -ERANGE);
	CHECK_EQ(sys_getcwd(BAD_USER, 100), -EFAULT);

	CHECK_EQ(sys_open(ustr(0, "/etc/motd"), O_RDONLY, 0), 1);
	CHECK_EQ(sys_pread64(1, U + 0x300, 5, 11, 0), 5);
	CHECK(memcmp(U + 0x300, "pae32", 5) == 0);
	CHECK_EQ(sys_lseek(1, 0, SEEK_CUR), 0);		/* the position stays */
	CHECK_EQ(sys_pread64(1, U + 0x300, 5, 0, 1), 0);	/* at 4 GiB: past the end */
	CHECK_EQ(sys_pread64(1, U + 0x300, 5, 0, 0x80000000UL), -EINVAL);
	CHECK_EQ(sys_pread64(1, BAD_USER, 5, 0, 0), -EFAULT);
	CHECK_EQ(sys_pread64(0, U + 0x300, 5, 0, 0), -EISDIR);
	CHECK_EQ(sys_pread64(9, U + 0x300, 5, 0, 0), -EBADF);
	CHECK_EQ(sys_open(ustr(0, "/dev/console"), O_RDWR, 0), 2);
	CHECK_EQ(sys_pread64(2, U + 0x300, 5, 0, 0), -ESPIPE);
}

int main(void)
{
	void *u = mmap((void *)UBASE, USIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (u != (void *)UBASE) {
		printf("cannot map the user range at 0x%lx\n", UBASE);
		return 1;
	}
	RUN(open_read_close);
	RUN(open_errors_as_on_a_read_only_linux);
	RUN(openat_relative_to_a_directory);
	RUN(descriptors_lowest_free_cloexec_emfile);
	RUN(bad_buffers_are_efault);
	RUN(readv_writev);
	RUN(lseek_and_llseek);
	RUN(stat64_and_statx);
	RUN(getdents64_lists);
	RUN(console_file);
	RUN(dup_dup2_dup3_fcntl);
	RUN(fstatat_readlink_access_getcwd_pread);
	put_files_struct(cur_files);
	ramfs_destroy();
	free(archive);
	return HT_DONE();
}
