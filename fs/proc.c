/* SPDX-License-Identifier: MIT */
/*
 * /proc (Linux's fs/proc, much reduced): /proc/meminfo, /proc/PID/maps
 * and /proc/self, the directories listable. A file's text is taken when
 * it is opened, so reads in pieces see one consistent snapshot. The
 * /proc/PID directories share one inode: the PID travels in the lookup
 * (nameidata.pid) and in the open file (f_pid).
 */
#include "asm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mmap.h"
#include "mm/mmzone.h"
#include "mm/slab.h"

#define PROC_INO_BASE	0x70000000UL	/* well above the tree's inode numbers */
#define PROC_PID_POS	4		/* getdents place of PID p: PROC_PID_POS + p */
#define MAPS_MAX	(64UL << 10)

/* The text of an open /proc file. */
struct proc_text {
	size_t len;
	char text[];
};

static long proc_read(struct file *f, char __user *buf, size_t n, loff_t *pos)
{
	const struct proc_text *t = f->private_data;

	return simple_read_from_buffer(buf, n, pos, t->text, t->len);
}

static long proc_kread(struct file *f, char *buf, size_t n, loff_t *pos)
{
	const struct proc_text *t = f->private_data;

	return memory_read_from_buffer(buf, n, pos, t->text, t->len);
}

static void proc_release(struct file *f)
{
	kfree(f->private_data);
}

static struct proc_text *proc_text_alloc(size_t size)
{
	struct proc_text *t = kmalloc(sizeof(*t) + size, GFP_KERNEL);

	if (t)
		t->len = 0;
	return t;
}

/* ---- /proc/meminfo */

static size_t kb(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

static int meminfo_open(struct file *f)
{
	const size_t size = 1024;
	struct proc_text *t = proc_text_alloc(size);
	struct mm_user_stats st;
	unsigned long total = 0, free = 0;
	const struct zone *high = &zones[ZONE_HIGHMEM];

	if (!t)
		return -ENOMEM;
	memset(&st, 0, sizeof(st));
	mm_user_get_stats(&st);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		total += zones[z].present_pages;
	free = nr_free_pages();
	t->len = scnprintf(t->text, size,
		"MemTotal:       %8zu kB\n"
		"MemFree:        %8zu kB\n"
		"HighTotal:      %8zu kB\n"
		"HighFree:       %8zu kB\n"
		"LowTotal:       %8zu kB\n"
		"LowFree:        %8zu kB\n"
		"AnonPages:      %8zu kB\n"
		"Slab:           %8zu kB\n"
		"PageTables:     %8zu kB\n"
		"VmaCount:       %8lu\n"
		"MmCount:        %8lu\n",
		kb(total), kb(free), kb(high->present_pages), kb(high->free_pages),
		kb(total - high->present_pages), kb(free - high->free_pages),
		kb(st.anon_pages), kb(kmalloc_slab_pages()),
		kb(st.nr_pte_pages + st.nr_pmd_pages), st.nr_vmas, st.nr_mms);
	f->private_data = t;
	return 0;
}

static const struct file_operations meminfo_fops = {
	.open = meminfo_open,
	.read = proc_read,
	.kread = proc_kread,
	.release = proc_release,
};

/* ---- /proc/PID/maps */

static int maps_open(struct file *f)
{
	struct task_struct *t = find_task_by_pid(f->f_pid);
	struct proc_text *text;

	if (!t)
		return -ENOENT;
	for (size_t size = PAGE_SIZE; ; size *= 4) {
		text = proc_text_alloc(size);
		if (!text)
			return -ENOMEM;
		text->len = t->mm ? mm_format_maps(t->mm, text->text, size) : 0;
		/* NUL ended within size: a length of size - 1 may be cut */
		if (text->len < size - 1 || size >= MAPS_MAX)
			break;
		kfree(text);
	}
	f->private_data = text;
	return 0;
}

static const struct file_operations maps_fops = {
	.open = maps_open,
	.read = proc_read,
	.kread = proc_kread,
	.release = proc_release,
};

/* ---- the directories */

static int pid_iterate(struct file *f, struct dir_context *ctx);
static struct inode *pid_lookup(struct inode *dir, const char *name, size_t len,
				struct nameidata *nd);
static const struct inode_operations pid_iops = { .lookup = pid_lookup };
static const struct file_operations pid_fops = { .iterate = pid_iterate };

static struct inode proc_meminfo = {
	.i_ino = PROC_INO_BASE + 1, .i_mode = S_IFREG | 0444, .i_nlink = 1,
	.i_name = "meminfo", .i_fop = &meminfo_fops,
};
static struct inode proc_pid_dir = {
	.i_ino = PROC_INO_BASE + 2, .i_mode = S_IFDIR | 0555, .i_nlink = 2,
	.i_name = "PID", .i_fop = &pid_fops, .i_op = &pid_iops,
};
static struct inode proc_maps = {
	.i_ino = PROC_INO_BASE + 3, .i_mode = S_IFREG | 0444, .i_nlink = 1,
	.i_name = "maps", .i_fop = &maps_fops, .i_parent = &proc_pid_dir,
};

static bool all_digits(const char *s, size_t len, int *val)
{
	long v = 0;

	if (!len || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*val = (int)v;
	return true;
}

static bool name_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static struct inode *root_lookup(struct inode *dir, const char *name, size_t len,
				 struct nameidata *nd)
{
	int pid;

	if (name_is(name, len, "meminfo"))
		return &proc_meminfo;
	if (name_is(name, len, "self")) {
		pid = current->pid;
		if (!pid)		/* a kernel thread is no process */
			return ERR_PTR(-ENOENT);
	} else if (!all_digits(name, len, &pid) || !pid) {
		return ERR_PTR(-ENOENT);
	}
	if (!find_task_by_pid(pid))
		return ERR_PTR(-ENOENT);
	nd->pid = pid;
	return &proc_pid_dir;
}

/*
 * /proc/PID/exe: a symlink to the file the process runs (busybox's shell
 * re-execs itself through it to run an applet, as on Linux). Its inode
 * and text live with the task (made at the first lookup, freed with the
 * task), because a lookup's caller reads the inode after the walk; the
 * text is written again at each lookup, as exec may have changed it.
 */
struct proc_exe_link {
	struct inode inode;
	char path[128];
};

static struct inode *exe_lookup(int pid)
{
	struct task_struct *t = find_task_by_pid(pid);
	struct proc_exe_link *l;

	if (!t || !t->exe_inode)
		return ERR_PTR(-ENOENT);
	l = t->proc_exe_link;
	if (!l) {
		l = kzalloc(sizeof(*l), GFP_KERNEL);
		if (!l)
			return ERR_PTR(-ENOMEM);
		t->proc_exe_link = l;
	}
	inode_path(t->exe_inode, l->path, sizeof(l->path));
	l->inode = (struct inode){
		.i_ino = PROC_INO_BASE + 4, .i_mode = S_IFLNK | 0777, .i_nlink = 1,
		.i_name = "exe", .i_parent = &proc_pid_dir, .i_data = l->path,
		.i_size = (loff_t)strlen(l->path),
	};
	return &l->inode;
}

static struct inode *pid_lookup(struct inode *dir, const char *name, size_t len,
				struct nameidata *nd)
{
	if (name_is(name, len, "maps"))
		return &proc_maps;
	if (name_is(name, len, "exe"))
		return exe_lookup(nd->pid);
	return ERR_PTR(-ENOENT);
}

struct next_pid {
	int from, found;
};

static int find_next_pid(struct task_struct *t, void *arg)
{
	struct next_pid *np = arg;

	if (t->pid >= np->from && (!np->found || t->pid < np->found))
		np->found = t->pid;
	return 0;
}

static int root_iterate(struct file *f, struct dir_context *ctx)
{
	if (!dir_emit_dots(f, ctx))
		return 0;
	if (ctx->pos == 2) {
		if (!ctx->actor(ctx, "meminfo", 7, 3, proc_meminfo.i_ino, DT_REG))
			return 0;
		ctx->pos = 3;
	}
	if (ctx->pos == 3) {
		if (current->pid &&
		    !ctx->actor(ctx, "self", 4, PROC_PID_POS, proc_pid_dir.i_ino, DT_DIR))
			return 0;
		ctx->pos = PROC_PID_POS;
	}
	for (;;) {
		struct next_pid np = { .from = (int)(ctx->pos - PROC_PID_POS), .found = 0 };
		char name[12];
		int len;

		if (np.from < 1)
			np.from = 1;
		for_each_process(find_next_pid, &np);
		if (!np.found)
			return 0;
		len = scnprintf(name, sizeof(name), "%d", np.found);
		if (!ctx->actor(ctx, name, (size_t)len, PROC_PID_POS + np.found + 1,
				PROC_INO_BASE + 0x1000 + (uint64_t)np.found, DT_DIR)) {
			ctx->pos = PROC_PID_POS + np.found;
			return 0;
		}
		ctx->pos = PROC_PID_POS + np.found + 1;
	}
}

static int pid_iterate(struct file *f, struct dir_context *ctx)
{
	if (!dir_emit_dots(f, ctx))
		return 0;
	if (ctx->pos == 2) {
		if (!ctx->actor(ctx, "maps", 4, 3, proc_maps.i_ino, DT_REG))
			return 0;
		ctx->pos = 3;
	}
	if (ctx->pos == 3) {
		if (!ctx->actor(ctx, "exe", 3, 4, PROC_INO_BASE + 4, DT_LNK))
			return 0;
		ctx->pos = 4;
	}
	return 0;
}

static const struct inode_operations root_iops = { .lookup = root_lookup };
static const struct file_operations root_fops = { .iterate = root_iterate };

int proc_init(void)
{
	struct inode *proc = ramfs_kernel_dir("proc", 0555);

	if (proc == ERR_PTR(-ENOTDIR)) {
		pr_err("initramfs: /proc is not a directory: no /proc\n");
		return 0;
	}
	if (IS_ERR(proc))
		return (int)PTR_ERR(proc);
	proc->i_op = &root_iops;
	proc->i_fop = &root_fops;
	proc_meminfo.i_parent = proc;
	proc_pid_dir.i_parent = proc;
	return 0;
}
