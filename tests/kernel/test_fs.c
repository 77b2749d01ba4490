/* SPDX-License-Identifier: MIT */
/*
 * The files through the kernel's own API: the initramfs the loader
 * brought (build/initrd.cpio from rootfs/, tools/mkinitrd.sh) unpacked
 * whole, its files read back byte for byte, the walks and the errors of
 * Linux's open on a read-only file system, directory listings,
 * descriptor tables and their reference counts, the console's cooked
 * input, /dev/null and /proc/meminfo.
 */
#include "kernel/bootinfo.h"
#include "kernel/cpio.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/stat.h"
#include "kernel/string.h"
#include "kernel/tty.h"
#include "mm/gfp.h"
#include "mm/mm.h"

#define MOTD		"Welcome to pae32: a read-only initramfs.\n"
#define MTIME		1700000000	/* tools/mkinitrd.sh's SOURCE_DATE_EPOCH */
/* The member the malformed-initramfs boot (tests/matrix.py) cuts. */
#define CUT_MEMBER	"usr/share/doc/pae32/README"

static bool deliberate_fault(void)
{
	return initramfs_stats.fault == CPIO_TRUNC_DATA &&
	       strcmp(initramfs_stats.fault_name, CUT_MEMBER) == 0;
}

KTEST(fs, archive_unpacked_whole)
{
	if (deliberate_fault())
		kt_skip(t, "the boot's archive is cut on purpose in " CUT_MEMBER);
	KT_ASSERT(t, initramfs_stats.present);
	KT_EXPECT_EQ(t, initramfs_stats.fault, CPIO_OK);
	KT_EXPECT(t, initramfs_stats.trailer);
	KT_EXPECT(t, namei("/" CUT_MEMBER) != NULL);
	KT_EXPECT(t, initramfs_stats.entries >= 15);
}

KTEST(fs, archive_pages_stay_out_of_the_allocator)
{
	unsigned long va;

	KT_ASSERT(t, initrd_start && initrd_end > initrd_start);
	KT_EXPECT(t, initrd_end <= (unsigned long)high_memory);	/* __va reaches it */
	KT_EXPECT_EQ(t, initrd_start & (PAGE_SIZE - 1), 0);
	for (va = initrd_start; va < initrd_end; va += PAGE_SIZE)
		if (!PageReserved(virt_to_page((void *)va)))
			break;
	KT_EXPECT_EQ(t, va, ALIGN(initrd_end, PAGE_SIZE));
	/* the files' bytes are the archive's, not copies */
	KT_EXPECT(t, (unsigned long)namei("/etc/motd")->i_data > initrd_start &&
		  (unsigned long)namei("/etc/motd")->i_data < initrd_end);
}

KTEST(fs, malformed_archive_keeps_earlier_entries)
{
	if (!deliberate_fault())
		kt_skip(t, "the archive is whole (the malformed-initramfs boot runs this)");
	KT_EXPECT(t, !initramfs_stats.trailer);
	KT_EXPECT(t, namei("/etc/motd") != NULL);
	KT_EXPECT(t, namei("/data/10000.bin") != NULL);
	KT_EXPECT(t, namei("/usr/share/doc/pae32") != NULL);
	KT_EXPECT(t, namei("/" CUT_MEMBER) == NULL);
	/* /dev and /proc are the kernel's, whatever the archive */
	KT_EXPECT(t, namei("/dev/console") != NULL);
	KT_EXPECT(t, namei("/proc/meminfo") != NULL);
}

KTEST(fs, motd_reads_its_known_text)
{
	char buf[128];
	loff_t pos = 0;
	struct file *f = filp_open("/etc/motd", O_RDONLY);
	long n;

	KT_ASSERT(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, f->f_count, 1);
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	KT_EXPECT_EQ(t, n, strlen(MOTD));
	buf[n > 0 ? n : 0] = '\0';
	KT_EXPECT_STREQ(t, buf, MOTD);
	KT_EXPECT_EQ(t, pos, strlen(MOTD));
	KT_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), 0);	/* end of file */
	pos = 11;
	KT_EXPECT_EQ(t, kernel_read(f, buf, 5, &pos), 5);
	KT_EXPECT(t, memcmp(buf, "pae32", 5) == 0);
	fput(f);
}

/* Byte i of the generated files is i mod 251 (tools/mkinitrd.sh). */
static bool pattern_ok(const unsigned char *p, loff_t from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(((unsigned long)from + i) % 251))
			return false;
	return true;
}

KTEST(fs, generated_files_read_back_byte_for_byte)
{
	static unsigned char buf[1500];
	static const struct { const char *path; loff_t size; } files[] = {
		{ "/data/4096.bin", 4096 }, { "/data/10000.bin", 10000 },
	};

	for (unsigned int k = 0; k < 2; k++) {
		struct file *f = filp_open(files[k].path, O_RDONLY);
		struct kstat st;
		loff_t pos = 0, total = 0;
		long n;

		KT_ASSERT(t, !IS_ERR(f));
		vfs_getattr(f->f_inode, &st);
		KT_EXPECT_EQ(t, st.size, files[k].size);
		/* pieces of 1500 bytes: some cross page-sized boundaries */
		while ((n = kernel_read(f, buf, sizeof(buf), &pos)) > 0) {
			KT_EXPECT(t, pattern_ok(buf, total, (size_t)n));
			total += n;
		}
		KT_EXPECT_EQ(t, n, 0);
		KT_EXPECT_EQ(t, total, files[k].size);
		pos = files[k].size - 10;
		KT_EXPECT_EQ(t, kernel_read(f, buf, 100, &pos), 10);
		KT_EXPECT(t, pattern_ok(buf, files[k].size - 10, 10));
		pos = files[k].size + 5;
		KT_EXPECT_EQ(t, kernel_read(f, buf, 100, &pos), 0);
		fput(f);
	}
}

static int lookup(const char *path, unsigned int flags, struct inode **out)
{
	struct nameidata nd = { 0 };
	int ret = path_lookupat(NULL, path, strlen(path), flags, &nd);

	*out = ret ? NULL : nd.inode;
	return ret;
}

KTEST(fs, paths_walk_as_on_linux)
{
	struct inode *motd = namei("/etc/motd"), *i;
	char name[NAME_MAX + 3];

	KT_ASSERT(t, motd != NULL);
	KT_EXPECT(t, namei("//etc///./motd") == motd);
	KT_EXPECT(t, namei("/usr/share/../../etc/motd") == motd);
	KT_EXPECT(t, namei("/../etc/motd") == motd);
	KT_EXPECT(t, namei("etc/motd") == motd);
	KT_EXPECT_EQ(t, lookup("/etc/motd/", 0, &i), -ENOTDIR);
	KT_EXPECT_EQ(t, lookup("/etc/motd/x", 0, &i), -ENOTDIR);
	KT_EXPECT_EQ(t, lookup("/etc/none", 0, &i), -ENOENT);
	KT_EXPECT_EQ(t, lookup("/empty/x", 0, &i), -ENOENT);
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[NAME_MAX + 2] = '\0';
	KT_EXPECT_EQ(t, lookup(name, 0, &i), -ENAMETOOLONG);
	/* /usr/doc is a symlink to share/doc: followed inside a path */
	KT_EXPECT_EQ(t, lookup("/usr/doc", 0, &i), 0);
	KT_EXPECT(t, i && S_ISLNK(i->i_mode) && i->i_size == 9);
	KT_EXPECT_EQ(t, lookup("/usr/doc", LOOKUP_FOLLOW, &i), 0);
	KT_EXPECT(t, i == namei("/usr/share/doc"));
	KT_EXPECT(t, namei("/usr/doc/pae32") == namei("/usr/share/doc/pae32"));
	KT_EXPECT(t, namei("/empty") && S_ISDIR(namei("/empty")->i_mode));
}

KTEST(fs, open_refuses_as_a_read_only_linux_fs)
{
	struct file *f;

	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc/motd", O_WRONLY)), -EROFS);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc/motd", O_RDWR)), -EROFS);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc/motd", O_RDONLY | O_TRUNC)), -EROFS);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc/new", O_RDONLY | O_CREAT)), -EROFS);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/nodir/new", O_RDONLY | O_CREAT)), -ENOENT);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc/motd", O_CREAT | O_EXCL)), -EEXIST);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc/motd", O_RDONLY | O_DIRECTORY)), -ENOTDIR);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc", O_WRONLY)), -EISDIR);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/usr/doc", O_RDONLY | O_NOFOLLOW)), -ELOOP);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/etc/none", O_RDONLY)), -ENOENT);
	/* an existing file opens with O_CREAT (no create needed) */
	f = filp_open("/etc/motd", O_RDONLY | O_CREAT);
	KT_EXPECT(t, !IS_ERR(f));
	if (!IS_ERR(f))
		fput(f);
	/* devices open for writing */
	f = filp_open("/dev/null", O_WRONLY);
	KT_ASSERT(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, f->f_op->write(f, NULL, 77, &f->f_pos), 77);
	KT_EXPECT_EQ(t, kernel_read(f, NULL, 1, &f->f_pos), -EBADF);	/* O_WRONLY */
	fput(f);
	f = filp_open("/usr/doc", O_RDONLY | O_DIRECTORY);
	KT_EXPECT(t, !IS_ERR(f) && S_ISDIR(f->f_inode->i_mode));
	if (!IS_ERR(f))
		fput(f);
}

/* A listing: the names joined by spaces, taking at most per_call a call. */
struct listing {
	struct dir_context ctx;
	char names[256];
	unsigned int per_call, taken;
};

static bool collect(struct dir_context *ctx, const char *name, size_t len,
		    loff_t next_pos, uint64_t ino, unsigned int d_type)
{
	struct listing *l = (struct listing *)ctx;
	size_t at = strlen(l->names);

	if (l->per_call && l->taken == l->per_call)
		return false;
	if (at + len + 2 > sizeof(l->names))
		return false;
	if (at)
		l->names[at++] = ' ';
	memcpy(l->names + at, name, len);
	l->names[at + len] = '\0';
	l->taken++;
	return true;
}

static int list(const char *path, unsigned int per_call, struct listing *l)
{
	struct file *f = filp_open(path, O_RDONLY | O_DIRECTORY);
	int calls = 0, ret = 0;

	memset(l, 0, sizeof(*l));
	l->ctx.actor = collect;
	l->per_call = per_call;
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	do {
		l->taken = 0;
		ret = iterate_dir(f, &l->ctx);
	} while (!ret && l->taken && ++calls < 100);
	fput(f);
	return ret;
}

KTEST(fs, directories_list_dots_then_entries)
{
	struct listing l;
	struct file *f;

	KT_EXPECT_EQ(t, list("/etc", 0, &l), 0);
	KT_EXPECT_STREQ(t, l.names, ". .. hostname motd");
	/* one entry per call: the place carries on where it stopped */
	KT_EXPECT_EQ(t, list("/etc", 1, &l), 0);
	KT_EXPECT_STREQ(t, l.names, ". .. hostname motd");
	KT_EXPECT_EQ(t, list("/empty", 0, &l), 0);
	KT_EXPECT_STREQ(t, l.names, ". ..");
	KT_EXPECT_EQ(t, list("/dev", 2, &l), 0);
	KT_EXPECT_STREQ(t, l.names, ". .. console tty null");
	KT_EXPECT_EQ(t, list("/etc/motd", 0, &l), -ENOTDIR);
	f = filp_open("/etc/motd", O_RDONLY);
	KT_ASSERT(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, iterate_dir(f, &l.ctx), -ENOTDIR);
	fput(f);
	f = filp_open("/etc", O_RDONLY);
	KT_ASSERT(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, kernel_read(f, l.names, 1, &f->f_pos), -EISDIR);
	fput(f);
}

KTEST(fs, descriptor_tables_count_references)
{
	struct files_struct *a = files_alloc(), *b;
	struct file *f = filp_open("/etc/hostname", O_RDONLY);
	struct file *g = filp_open("/etc/motd", O_RDONLY);
	int fd;

	KT_ASSERT(t, a && !IS_ERR(f) && !IS_ERR(g));
	get_file(f);			/* ours, to watch the count */
	get_file(g);
	KT_EXPECT_EQ(t, fd_install_lowest(a, f, false), 0);
	KT_EXPECT_EQ(t, fd_install_lowest(a, g, true), 1);
	KT_EXPECT_EQ(t, a->close_on_exec, 2);
	b = dup_fd(a);			/* fork */
	KT_ASSERT(t, b != NULL);
	KT_EXPECT_EQ(t, f->f_count, 3);
	KT_EXPECT_EQ(t, g->f_count, 3);
	KT_EXPECT_EQ(t, b->close_on_exec, 2);
	do_close_on_exec(b);		/* exec in the child */
	KT_EXPECT(t, b->fd[1] == NULL);
	KT_EXPECT_EQ(t, g->f_count, 2);
	/* the lowest free descriptor comes back first */
	get_file(g);
	KT_EXPECT_EQ(t, fd_install_lowest(b, g, false), 1);
	KT_EXPECT(t, fd_remove(b, 0) == f);
	fput(f);
	get_file(f);
	KT_EXPECT_EQ(t, fd_install_lowest(b, f, false), 0);
	KT_EXPECT(t, fd_remove(b, 63) == NULL);
	KT_EXPECT(t, fd_remove(b, 64) == NULL);
	/* EMFILE once all NR_OPEN_DEFAULT are taken */
	for (fd = 2; fd < NR_OPEN_DEFAULT; fd++) {
		get_file(f);
		KT_EXPECT_EQ(t, fd_install_lowest(b, f, false), fd);
	}
	KT_EXPECT_EQ(t, fd_install_lowest(b, f, false), -EMFILE);
	KT_EXPECT_EQ(t, f->f_count, 2 + NR_OPEN_DEFAULT - 1);
	put_files_struct(b);
	KT_EXPECT_EQ(t, f->f_count, 2);
	KT_EXPECT_EQ(t, g->f_count, 2);
	a->count++;			/* shared (CLONE_FILES): the first put keeps it */
	put_files_struct(a);
	KT_EXPECT_EQ(t, f->f_count, 2);
	put_files_struct(a);
	KT_EXPECT_EQ(t, f->f_count, 1);
	KT_EXPECT_EQ(t, g->f_count, 1);
	fput(f);
	fput(g);
}

KTEST(fs, console_reads_cooked_lines)
{
	struct files_struct *files = files_alloc();
	struct file *con;
	char buf[16];
	unsigned int rows, cols;

	KT_ASSERT(t, files != NULL);
	KT_ASSERT_EQ(t, files_open_console(files), 0);
	con = files->fd[0];
	KT_EXPECT(t, files->fd[1] == con && files->fd[2] == con);
	KT_EXPECT_EQ(t, con->f_count, 3);
	KT_EXPECT(t, S_ISCHR(con->f_inode->i_mode));
	KT_EXPECT_EQ(t, con->f_inode->i_rdev, 5 << 8 | 1);
	KT_EXPECT_EQ(t, vfs_llseek(con, 0, SEEK_SET), -ESPIPE);

	tty_echo = false;
	tty_flush_input();
	tty_insert("ab\x7f" "c\r", 5);		/* backspace takes the b */
	KT_EXPECT_EQ(t, kernel_read(con, buf, sizeof(buf), &con->f_pos), 3);
	KT_EXPECT(t, memcmp(buf, "ac\n", 3) == 0);
	tty_insert("xyz\r", 4);			/* a line read in two pieces */
	KT_EXPECT_EQ(t, kernel_read(con, buf, 2, &con->f_pos), 2);
	KT_EXPECT(t, memcmp(buf, "xy", 2) == 0);
	KT_EXPECT_EQ(t, kernel_read(con, buf, sizeof(buf), &con->f_pos), 2);
	KT_EXPECT(t, memcmp(buf, "z\n", 2) == 0);
	tty_insert("\x04", 1);			/* ^D at a line's start */
	KT_EXPECT_EQ(t, kernel_read(con, buf, sizeof(buf), &con->f_pos), 0);
	tty_insert("q\x04", 2);			/* ^D after text: the text, no newline */
	KT_EXPECT_EQ(t, kernel_read(con, buf, sizeof(buf), &con->f_pos), 1);
	KT_EXPECT_EQ(t, buf[0], 'q');
	tty_echo = true;
	tty_flush_input();

	tty_winsize(&rows, &cols);
	KT_EXPECT(t, rows >= 25 && cols >= 80);
	put_files_struct(files);
}

KTEST(fs, lseek_moves_within_the_rules)
{
	struct file *f = filp_open("/data/10000.bin", O_RDONLY);
	unsigned char c;

	KT_ASSERT(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, vfs_llseek(f, 300, SEEK_SET), 300);
	KT_EXPECT_EQ(t, vfs_llseek(f, 2, SEEK_CUR), 302);
	KT_EXPECT_EQ(t, kernel_read(f, &c, 1, &f->f_pos), 1);
	KT_EXPECT_EQ(t, c, 302 % 251);
	KT_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_END), 9999);
	KT_EXPECT_EQ(t, vfs_llseek(f, 5, SEEK_END), 10005);	/* past the end is allowed */
	KT_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_SET), -EINVAL);
	KT_EXPECT_EQ(t, vfs_llseek(f, -20000, SEEK_END), -EINVAL);
	KT_EXPECT_EQ(t, vfs_llseek(f, 0, 3), -EINVAL);
	KT_EXPECT_EQ(t, f->f_pos, 10005);		/* the failures moved nothing */
	fput(f);
}

KTEST(fs, stat_reports_the_archive)
{
	struct kstat st;
	struct inode *i = namei("/etc/motd");

	KT_ASSERT(t, i != NULL);
	vfs_getattr(i, &st);
	KT_EXPECT_EQ(t, st.mode, S_IFREG | 0644);
	KT_EXPECT_EQ(t, st.size, strlen(MOTD));
	KT_EXPECT_EQ(t, st.mtime, MTIME);
	KT_EXPECT_EQ(t, st.nlink, 1);
	vfs_getattr(namei("/etc"), &st);
	KT_EXPECT_EQ(t, st.mode, S_IFDIR | 0755);
	KT_EXPECT_EQ(t, st.nlink, 2);
	vfs_getattr(namei("/usr"), &st);
	KT_EXPECT_EQ(t, st.nlink, 3);		/* ".", its entry and share's ".." */
	vfs_getattr(namei("/dev/null"), &st);
	KT_EXPECT_EQ(t, st.mode, S_IFCHR | 0666);
	KT_EXPECT_EQ(t, st.rdev_major, 1);
	KT_EXPECT_EQ(t, st.rdev_minor, 3);
	KT_EXPECT(t, namei("/etc/motd")->i_ino != namei("/etc/hostname")->i_ino);
}

/* The value of a "Name:   N kB" line of text. */
static long meminfo_value(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	long v = 0;

	if (!p)
		return -1;
	p += strlen(name);
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

KTEST(fs, proc_meminfo_matches_the_allocator)
{
	static char text[1024];
	unsigned long before = nr_free_pages(), after;
	struct file *f = filp_open("/proc/meminfo", O_RDONLY);
	struct listing l;
	long n, free_kb;

	KT_ASSERT(t, !IS_ERR(f));
	after = nr_free_pages();
	n = kernel_read(f, text, sizeof(text) - 1, &f->f_pos);
	KT_ASSERT(t, n > 0);
	text[n] = '\0';
	fput(f);
	free_kb = meminfo_value(text, "MemFree:");
	/* taken at open, between the two counts (the open's own text page aside) */
	KT_EXPECT(t, free_kb >= (long)(after * 4) - 8 && free_kb <= (long)(before * 4) + 8);
	KT_EXPECT(t, meminfo_value(text, "MemTotal:") > free_kb);
	KT_EXPECT(t, meminfo_value(text, "HighTotal:") >= 0);
	KT_EXPECT(t, meminfo_value(text, "Slab:") > 0);
	KT_EXPECT(t, meminfo_value(text, "PageTables:") >= 0);
	KT_EXPECT(t, meminfo_value(text, "VmaCount:") >= 0);
	KT_EXPECT(t, meminfo_value(text, "MmCount:") >= 0);
	KT_EXPECT(t, strncmp(text, "MemTotal:", 9) == 0);
	KT_EXPECT_EQ(t, list("/proc", 3, &l), 0);
	KT_EXPECT(t, strncmp(l.names, ". .. meminfo", 12) == 0);
	KT_EXPECT_EQ(t, PTR_ERR(filp_open("/proc/meminfo", O_WRONLY)), -EROFS);
	KT_EXPECT(t, namei("/proc/none") == NULL);
	KT_EXPECT(t, namei("/proc/0") == NULL);
	if (!current->pid)			/* a kernel thread has no /proc/self */
		KT_EXPECT(t, namei("/proc/self") == NULL);
}
