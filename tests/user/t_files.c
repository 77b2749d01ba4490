// SPDX-License-Identifier: MIT
/*
 * t_files: the file system calls of the Linux i386 ABI on the initramfs's
 * read-only files (rootfs/test/: hello.txt, lines.txt of 1000 lines
 * "line NNNN\n", dir/a, dir/b) and on the console at fd 1 (man 2 open,
 * read, lseek, _llseek, stat, statx, getdents64, write, writev, ioctl_tty):
 * what each returns, and each error: EBADF, EFAULT (a bad user pointer
 * and a kernel one), ENOENT, EROFS, ENOTDIR, EISDIR, EINVAL, ENOTTY.
 */
#include "user.h"

#define KERNEL_PTR	((void *)0xc0000000)
#define LOW_PTR		((void *)0x1000)
#define HELLO		"Hello from the initramfs.\n"
#define HELLO_PATH	root_path("/test/hello.txt")
#define HELLO_X		root_path("/test/hello.txt/x")
#define LINES_PATH	root_path("/test/lines.txt")
#define LINES_SIZE	10000

static long open_ro(const char *path)
{
	long fd = sys_open(path, O_RDONLY, 0);

	if (fd < 0)
		ktap_diag("open %s: %s", path, errname(fd));
	return fd;
}

static int open_read_close(void)
{
	char buf[100];
	long fd = open_ro(HELLO_PATH);

	if (!CHECK(fd >= 3))
		return FAIL;
	return CHECK_EQ(sys_read((int)fd, buf, sizeof(buf)), 26) &&
		CHECK_EQ(memcmp(buf, HELLO, 26), 0) &&
		CHECK_EQ(sys_read((int)fd, buf, sizeof(buf)), 0) &&
		CHECK_EQ(sys_close((int)fd), 0) &&
		CHECK_EQ(sys_close((int)fd), -EBADF) &&
		CHECK_EQ(sys_read((int)fd, buf, 1), -EBADF);
}

static int lowest_free_fd_reused(void)
{
	long a = open_ro(HELLO_PATH), b, c;

	b = open_ro(HELLO_PATH);
	if (!CHECK(a >= 3) || !CHECK_EQ(b, a + 1) || !CHECK_EQ(sys_close((int)a), 0))
		return FAIL;
	c = open_ro(LINES_PATH);
	sys_close((int)b);
	sys_close((int)c);
	return CHECK_EQ(c, a);
}

static int openat_cwd_and_dirfd(void)
{
	char buf[8];
	long fd = sys_openat(AT_FDCWD, HELLO_PATH, O_RDONLY, 0), dfd, f2;
	int ok;

	if (!CHECK(fd >= 0) || !CHECK_EQ(sys_read((int)fd, buf, 5), 5) || !CHECK_EQ(memcmp(buf, "Hello", 5), 0))
		return FAIL;
	sys_close((int)fd);
	dfd = sys_open(root_path("/test"), O_RDONLY | O_DIRECTORY, 0);
	if (!CHECK(dfd >= 0))
		return FAIL;
	f2 = sys_openat((int)dfd, "hello.txt", O_RDONLY, 0);
	ok = CHECK(f2 >= 0) && CHECK_EQ(sys_read((int)f2, buf, 5), 5) &&
		CHECK_EQ(memcmp(buf, "Hello", 5), 0) &&
		CHECK_EQ(sys_openat(99, "hello.txt", O_RDONLY, 0), -EBADF);
	sys_close((int)f2);
	sys_close((int)dfd);
	return ok;
}

static int lseek_whences(void)
{
	char buf[8];
	long fd = open_ro(HELLO_PATH);
	int ok;

	if (!CHECK(fd >= 0))
		return FAIL;
	ok = CHECK_EQ(sys_lseek((int)fd, 6, SEEK_SET), 6) &&
		CHECK_EQ(sys_read((int)fd, buf, 4), 4) && CHECK_EQ(memcmp(buf, "from", 4), 0) &&
		CHECK_EQ(sys_lseek((int)fd, -4, SEEK_CUR), 6) &&
		CHECK_EQ(sys_lseek((int)fd, 0, SEEK_END), 26) &&
		CHECK_EQ(sys_lseek((int)fd, -1, SEEK_END), 25) &&
		CHECK_EQ(sys_read((int)fd, buf, 8), 1) && CHECK_EQ(buf[0], '\n') &&
		CHECK_EQ(sys_lseek((int)fd, 100, SEEK_SET), 100) &&
		CHECK_EQ(sys_read((int)fd, buf, 8), 0) &&
		CHECK_EQ(sys_lseek((int)fd, 0, 7), -EINVAL) &&
		CHECK_EQ(sys_lseek((int)fd, -1, SEEK_SET), -EINVAL) &&
		CHECK_EQ(sys_lseek((int)fd, 0, SEEK_CUR), 100) &&
		CHECK_EQ(sys_lseek(99, 0, SEEK_SET), -EBADF);
	sys_close((int)fd);
	return ok;
}

static int llseek_64bit_result(void)
{
	char buf[16];
	long long res = -1;
	long fd = open_ro(LINES_PATH);
	int ok;

	if (!CHECK(fd >= 0))
		return FAIL;
	ok = CHECK_EQ(sys_llseek((int)fd, 0, 9990, &res, SEEK_SET), 0) && CHECK_EQ(res, 9990) &&
		CHECK_EQ(sys_read((int)fd, buf, 16), 10) && CHECK_EQ(memcmp(buf, "line 0999\n", 10), 0) &&
		CHECK_EQ(sys_llseek((int)fd, 0xffffffff, 0xfffffff6, &res, SEEK_END), 0) &&
		CHECK_EQ(res, LINES_SIZE - 10) &&
		CHECK_EQ(sys_llseek((int)fd, 0, 0, &res, 7), -EINVAL) &&
		CHECK_EQ(sys_llseek((int)fd, 0, 0, KERNEL_PTR, SEEK_SET), -EFAULT);
	sys_close((int)fd);
	return ok;
}

/* The whole of lines.txt read 4097 bytes at a time (reads across page
 * boundaries of the file's data), every byte as generated. */
static int read_in_odd_chunks(void)
{
	static char buf[LINES_SIZE + 4097];
	long fd = open_ro(LINES_PATH), n, got = 0;
	char want[16];

	if (!CHECK(fd >= 0))
		return FAIL;
	while ((n = sys_read((int)fd, buf + got, 4097)) > 0)
		got += n;
	sys_close((int)fd);
	if (!CHECK_EQ(n, 0) || !CHECK_EQ(got, LINES_SIZE))
		return FAIL;
	for (int i = 0; i < 1000; i++) {
		snprintf(want, sizeof(want), "line %04d\n", i);
		if (memcmp(buf + i * 10, want, 10)) {
			ktap_diag("line %d differs", i);
			return FAIL;
		}
	}
	return PASS;
}

static int fstat64_and_stat64(void)
{
	struct stat64 st, st2;
	long fd = open_ro(LINES_PATH);
	int ok;

	if (!CHECK(fd >= 0))
		return FAIL;
	memset(&st, 0xaa, sizeof(st));
	ok = CHECK_EQ(sys_fstat64((int)fd, &st), 0) &&
		CHECK_EQ(st.st_mode & S_IFMT, S_IFREG) && CHECK_EQ(st.st_size, LINES_SIZE) &&
		CHECK_EQ(st.st_nlink, 1) &&
		CHECK_EQ(sys_stat64(LINES_PATH, &st2), 0) && CHECK_EQ(st2.st_ino, st.st_ino) &&
		CHECK_EQ(st2.st_size, LINES_SIZE) &&
		CHECK_EQ(sys_stat64(root_path("/test"), &st2), 0) && CHECK_EQ(st2.st_mode & S_IFMT, S_IFDIR) &&
		CHECK_EQ(sys_fstat64((int)fd, KERNEL_PTR), -EFAULT) &&
		CHECK_EQ(sys_fstat64(99, &st), -EBADF);
	sys_close((int)fd);
	return ok;
}

static int stat64_errors(void)
{
	struct stat64 st;

	return CHECK_EQ(sys_stat64(root_path("/test/nope"), &st), -ENOENT) &&
		CHECK_EQ(sys_stat64(HELLO_X, &st), -ENOTDIR) &&
		CHECK_EQ(sys_stat64(NULL, &st), -EFAULT) &&
		CHECK_EQ(sys_stat64(KERNEL_PTR, &st), -EFAULT) &&
		CHECK_EQ(sys_stat64(HELLO_PATH, LOW_PTR), -EFAULT) &&
		CHECK_EQ(sys_stat64(HELLO_PATH, KERNEL_PTR), -EFAULT);
}

static int statx_size_and_mode(void)
{
	struct statx sx;

	memset(&sx, 0, sizeof(sx));
	return CHECK_EQ(sys_statx(AT_FDCWD, LINES_PATH, 0, STATX_BASIC_STATS, &sx), 0) &&
		CHECK((sx.stx_mask & 0x200) != 0) &&	/* STATX_SIZE */
		CHECK_EQ(sx.stx_size, LINES_SIZE) && CHECK_EQ(sx.stx_mode & S_IFMT, S_IFREG) &&
		CHECK_EQ(sys_statx(AT_FDCWD, root_path("/test"), 0, STATX_BASIC_STATS, &sx), 0) &&
		CHECK_EQ(sx.stx_mode & S_IFMT, S_IFDIR) &&
		CHECK_EQ(sys_statx(AT_FDCWD, root_path("/test/nope"), 0, STATX_BASIC_STATS, &sx), -ENOENT) &&
		CHECK_EQ(sys_statx(AT_FDCWD, LINES_PATH, 0, STATX_BASIC_STATS, KERNEL_PTR), -EFAULT);
}

static int getdents64_lists_dir(void)
{
	char buf[1024];
	long fd = sys_open(root_path("/test/dir"), O_RDONLY | O_DIRECTORY, 0), n;
	int seen_a = 0, seen_b = 0, other = 0;

	if (!CHECK(fd >= 0))
		return FAIL;
	while ((n = sys_getdents64((int)fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n; ) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			if (!CHECK(d->d_reclen >= 20 && d->d_reclen % 8 == 0 && off + d->d_reclen <= n))
				return FAIL;
			if (!strcmp(d->d_name, "a") && d->d_type == DT_REG)
				seen_a++;
			else if (!strcmp(d->d_name, "b") && d->d_type == DT_REG)
				seen_b++;
			else if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				other++, ktap_diag("unexpected entry \"%s\" type %d", d->d_name, d->d_type);
			off += d->d_reclen;
		}
	}
	sys_close((int)fd);
	return CHECK_EQ(n, 0) && CHECK_EQ(seen_a, 1) && CHECK_EQ(seen_b, 1) && CHECK_EQ(other, 0);
}

static int getdents64_errors(void)
{
	char buf[256];
	long fd = sys_open(root_path("/test/dir"), O_RDONLY | O_DIRECTORY, 0), f = open_ro(HELLO_PATH);
	int ok;

	ok = CHECK(fd >= 0) && CHECK(f >= 0) &&
		CHECK_EQ(sys_getdents64((int)f, buf, sizeof(buf)), -ENOTDIR) &&
		CHECK_EQ(sys_getdents64((int)fd, buf, 8), -EINVAL) &&
		CHECK_EQ(sys_getdents64((int)fd, KERNEL_PTR, sizeof(buf)), -EFAULT) &&
		CHECK_EQ(sys_getdents64(99, buf, sizeof(buf)), -EBADF);
	sys_close((int)fd);
	sys_close((int)f);
	return ok;
}

static int open_errors(void)
{
	return CHECK_EQ(sys_open(root_path("/test/nope"), O_RDONLY, 0), -ENOENT) &&
		CHECK_EQ(sys_open(root_path("/nope/hello.txt"), O_RDONLY, 0), -ENOENT) &&
		CHECK_EQ(sys_open(HELLO_X, O_RDONLY, 0), -ENOTDIR) &&
		CHECK_EQ(sys_open(HELLO_PATH, O_RDONLY | O_DIRECTORY, 0), -ENOTDIR) &&
		CHECK_EQ(sys_open(NULL, O_RDONLY, 0), -EFAULT) &&
		CHECK_EQ(sys_open(LOW_PTR, O_RDONLY, 0), -EFAULT) &&
		CHECK_EQ(sys_open(KERNEL_PTR, O_RDONLY, 0), -EFAULT);
}

static int read_only_file_system(void)
{
	return CHECK_EQ(sys_open(HELLO_PATH, O_WRONLY, 0), -EROFS) &&
		CHECK_EQ(sys_open(HELLO_PATH, O_RDWR, 0), -EROFS) &&
		CHECK_EQ(sys_open(root_path("/test/new.txt"), O_WRONLY | O_CREAT, 0644), -EROFS);
}

static int read_errors(void)
{
	char buf[8];
	long fd = open_ro(HELLO_PATH), dfd = sys_open(root_path("/test"), O_RDONLY | O_DIRECTORY, 0);
	int ok;

	ok = CHECK(fd >= 0) && CHECK(dfd >= 0) &&
		CHECK_EQ(sys_read(99, buf, 1), -EBADF) &&
		CHECK_EQ(sys_read(-1, buf, 1), -EBADF) &&
		CHECK_EQ(sys_read((int)fd, NULL, 8), -EFAULT) &&
		CHECK_EQ(sys_read((int)fd, KERNEL_PTR, 8), -EFAULT) &&
		CHECK_EQ(sys_read((int)dfd, buf, 8), -EISDIR) &&
		CHECK_EQ(sys_write((int)fd, "x", 1), -EBADF) &&
		CHECK_EQ(sys_close(99), -EBADF);
	sys_close((int)fd);
	sys_close((int)dfd);
	return ok;
}

static int write_and_writev_fd1(void)
{
	static const char line[] = "# write to fd 1\n";
	struct iovec v[3] = {
		{ "# writev ", 9 }, { "to ", 3 }, { "fd 1\n", 5 },
	};

	return CHECK_EQ(sys_write(1, line, sizeof(line) - 1), sizeof(line) - 1) &&
		CHECK_EQ(sys_writev(1, v, 3), 17) &&
		CHECK_EQ(sys_write(1, line, 0), 0) &&
		CHECK_EQ(sys_write(1, KERNEL_PTR, 4), -EFAULT) &&
		CHECK_EQ(sys_writev(1, KERNEL_PTR, 1), -EFAULT) &&
		CHECK_EQ(sys_writev(99, v, 3), -EBADF) &&
		CHECK_EQ(sys_write(99, line, 1), -EBADF);
}

static int ioctl_console(void)
{
	struct termios t;
	struct winsize w;
	long r = sys_ioctl(1, TCGETS, &t);

	if (r == -ENOTTY && !on_our_kernel())
		return skip("fd 1 is not a terminal here");
	if (!CHECK_EQ(r, 0) || !CHECK_EQ(sys_ioctl(1, TIOCGWINSZ, &w), 0))
		return FAIL;
	ktap_diag("console %ux%u, c_lflag 0x%x", w.ws_col, w.ws_row, t.c_lflag);
	/* Linux's ptys may have no size; our console always has one. */
	return (!on_our_kernel() || CHECK(w.ws_row > 0 && w.ws_col > 0)) &&
		CHECK_EQ(sys_ioctl(1, TCGETS, KERNEL_PTR), -EFAULT) &&
		CHECK_EQ(sys_ioctl(1, TIOCGWINSZ, LOW_PTR), -EFAULT);
}

static int ioctl_enotty_on_a_file(void)
{
	struct termios t;
	long fd = open_ro(HELLO_PATH);
	int ok;

	ok = CHECK(fd >= 0) && CHECK_EQ(sys_ioctl((int)fd, TCGETS, &t), -ENOTTY) &&
		CHECK_EQ(sys_ioctl(99, TCGETS, &t), -EBADF);
	sys_close((int)fd);
	return ok;
}

/* /proc/self/exe: a symlink to the program (readlink, 85), which opens
 * as the ELF file itself (busybox's shell execs it to run applets). */
static int proc_self_exe(void)
{
	char link[128], magic[4];
	long n, fd;
	int ok;

	memset(link, 0, sizeof(link));
	n = SC(85, "/proc/self/exe", link, sizeof(link) - 1, 0, 0, 0);
	ktap_diag("/proc/self/exe -> %s", n > 0 ? link : "?");
	if (!CHECK(n > 8) || !CHECK_EQ(strcmp(link + n - 8, "/t_files"), 0))
		return FAIL;
	fd = sys_open("/proc/self/exe", O_RDONLY, 0);
	if (!CHECK(fd >= 0))
		return FAIL;
	ok = CHECK_EQ(sys_read((int)fd, magic, 4), 4) && CHECK_EQ(memcmp(magic, "\177ELF", 4), 0);
	sys_close((int)fd);
	return ok && CHECK_EQ(SC(85, "/proc/self/exe", link, 0, 0, 0, 0), -EINVAL) &&
	       CHECK_EQ(SC(85, "/proc/self/exe", KERNEL_PTR, 16, 0, 0, 0), -EFAULT);
}

static const struct ktap_case cases[] = {
	{ "proc_self_exe_links_to_the_program", proc_self_exe },
	{ "open_read_close", open_read_close },
	{ "lowest_free_fd_reused", lowest_free_fd_reused },
	{ "openat_cwd_and_dirfd", openat_cwd_and_dirfd },
	{ "lseek_whences_and_einval", lseek_whences },
	{ "llseek_64bit_result", llseek_64bit_result },
	{ "read_in_odd_chunks", read_in_odd_chunks },
	{ "fstat64_and_stat64", fstat64_and_stat64 },
	{ "stat64_enoent_enotdir_efault", stat64_errors },
	{ "statx_size_and_mode", statx_size_and_mode },
	{ "getdents64_lists_dir", getdents64_lists_dir },
	{ "getdents64_enotdir_einval_efault", getdents64_errors },
	{ "open_enoent_enotdir_efault", open_errors },
	{ "open_for_writing_erofs", read_only_file_system },
	{ "read_ebadf_efault_eisdir", read_errors },
	{ "write_writev_fd1", write_and_writev_fd1 },
	{ "ioctl_tcgets_tiocgwinsz_fd1", ioctl_console },
	{ "ioctl_enotty_on_a_file", ioctl_enotty_on_a_file },
};

KTAP_MAIN(cases)
