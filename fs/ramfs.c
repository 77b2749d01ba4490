/* SPDX-License-Identifier: MIT */
/*
 * The read-only in-memory tree the initramfs unpacks into: one struct
 * inode per member (include/kernel/fs.h), directories as lists of their
 * entries in archive order, regular files and symlink targets pointing
 * into the kept archive (as Linux's ramfs keeps pages, much reduced:
 * nothing is ever written). Pure code, also built into the host test.
 */
#include "kernel/cpio.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct inode *ramfs_root;
static unsigned long next_ino = 1;
extern const struct file_operations ramfs_dir_fops, ramfs_file_fops;

static struct inode *new_inode(unsigned int mode)
{
	struct inode *i = kzalloc(sizeof(*i), GFP_KERNEL);

	if (!i)
		return NULL;
	i->i_ino = next_ino++;
	i->i_mode = mode;
	i->i_nlink = S_ISDIR(mode) ? 2 : 1;
	if (S_ISDIR(mode))
		i->i_fop = &ramfs_dir_fops;
	else if (S_ISREG(mode))
		i->i_fop = &ramfs_file_fops;
	return i;
}

int ramfs_init_root(void)
{
	if (ramfs_root)
		return 0;
	ramfs_root = new_inode(S_IFDIR | 0755);
	if (!ramfs_root)
		return -ENOMEM;
	ramfs_root->i_name = "";
	ramfs_root->i_parent = ramfs_root;
	return 0;
}

struct inode *ramfs_new(struct inode *dir, const char *name, size_t len,
			unsigned int mode)
{
	struct inode *i = new_inode(mode);

	(void)len;	/* name is NUL-ended at len: an archive path's tail */
	if (!i)
		return NULL;
	i->i_name = name;
	i->i_parent = dir;
	if (dir->i_last)
		dir->i_last->i_next = i;
	else
		dir->i_child = i;
	dir->i_last = i;
	if (S_ISDIR(mode))
		dir->i_nlink++;
	return i;
}

struct inode *ramfs_find(struct inode *dir, const char *name, size_t len)
{
	for (struct inode *i = dir->i_child; i; i = i->i_next)
		if (strncmp(i->i_name, name, len) == 0 && i->i_name[len] == '\0')
			return i;
	return NULL;
}

struct inode *ramfs_kernel_dir(const char *name, unsigned int mode)
{
	struct inode *dir = ramfs_find(ramfs_root, name, strlen(name));

	if (dir)
		return S_ISDIR(dir->i_mode) ? dir : ERR_PTR(-ENOTDIR);
	dir = ramfs_new(ramfs_root, name, strlen(name), S_IFDIR | mode);
	return dir ? dir : ERR_PTR(-ENOMEM);
}

/* The archive member e into the tree: its directory must be there. */
enum cpio_fault ramfs_add_entry(const struct cpio_entry *e, void *arg)
{
	unsigned int *ignored = arg;
	struct inode *dir = ramfs_root, *i;
	const char *p = e->path, *leaf = p;
	size_t left = e->path_len;

	if (!dir && ramfs_init_root())
		return CPIO_NO_MEMORY;
	dir = ramfs_root;
	if (left == 0) {		/* "." : the root's own mode and time */
		if (!S_ISDIR(e->mode))
			return CPIO_ROOT_NOT_DIR;
		ramfs_root->i_mode = e->mode;
		ramfs_root->i_mtime = e->mtime;
		return CPIO_OK;
	}
	for (;;) {
		const char *slash = memchr(p, '/', left);
		size_t n = slash ? (size_t)(slash - p) : left;

		if (!slash) {
			leaf = p;
			break;
		}
		dir = ramfs_find(dir, p, n);
		if (!dir)
			return CPIO_NO_PARENT;
		if (!S_ISDIR(dir->i_mode))
			return CPIO_PARENT_NOT_DIR;
		p += n + 1;
		left -= n + 1;
	}
	i = ramfs_find(dir, leaf, left);
	if (i) {
		/* cpio lists a directory once; tolerate a repeat of one */
		if (S_ISDIR(i->i_mode) && S_ISDIR(e->mode))
			return CPIO_OK;
		return CPIO_EXISTS;
	}
	switch (e->mode & S_IFMT) {
	case S_IFDIR: case S_IFREG: case S_IFLNK:
		break;
	default:		/* device nodes, FIFOs, sockets: the kernel makes /dev */
		if (ignored)
			(*ignored)++;
		return CPIO_OK;
	}
	i = ramfs_new(dir, leaf, left, e->mode);
	if (!i)
		return CPIO_NO_MEMORY;
	i->i_uid = e->uid;
	i->i_gid = e->gid;
	i->i_mtime = e->mtime;
	if (!S_ISDIR(e->mode)) {
		i->i_data = e->data;
		i->i_size = e->filesize;
	}
	return CPIO_OK;
}

static void destroy(struct inode *dir)
{
	struct inode *i = dir->i_child;

	while (i) {
		struct inode *next = i->i_next;

		if (S_ISDIR(i->i_mode) && !i->i_op)
			destroy(i);
		kfree(i);
		i = next;
	}
}

void ramfs_destroy(void)
{
	if (!ramfs_root)
		return;
	destroy(ramfs_root);
	kfree(ramfs_root);
	ramfs_root = NULL;
	next_ino = 1;
}

/* ---- path lookup */

static int walk(struct inode *base, const char *path, size_t len,
		unsigned int flags, struct nameidata *nd);

/* Follow the symlink link found in dir. */
static int follow_link(struct inode *dir, struct inode *link, unsigned int flags,
		       struct nameidata *nd)
{
	if (++nd->depth > 8)
		return -ELOOP;
	return walk(dir, link->i_data, (size_t)link->i_size, flags | LOOKUP_FOLLOW, nd);
}

static int walk(struct inode *base, const char *path, size_t len,
		unsigned int flags, struct nameidata *nd)
{
	struct inode *cur = base;
	size_t i = 0;
	bool trailing_slash = len && path[len - 1] == '/';

	if (len == 0)
		return -ENOENT;
	if (path[0] == '/')
		cur = ramfs_root;
	for (;;) {
		size_t j;
		bool last;
		struct inode *next;

		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		for (j = i; j < len && path[j] != '/'; j++)
			;
		if (j - i > NAME_MAX)
			return -ENAMETOOLONG;
		if (!S_ISDIR(cur->i_mode))
			return -ENOTDIR;
		last = true;
		for (size_t k = j; k < len; k++)
			if (path[k] != '/')
				last = false;
		if (j - i == 1 && path[i] == '.') {
			next = cur;
		} else if (j - i == 2 && path[i] == '.' && path[i + 1] == '.') {
			next = cur->i_parent ? cur->i_parent : cur;
		} else if (cur->i_op) {
			next = cur->i_op->lookup(cur, path + i, j - i, nd);
			if (IS_ERR(next))
				return (int)PTR_ERR(next);
		} else {
			next = ramfs_find(cur, path + i, j - i);
			if (!next)
				return -ENOENT;
		}
		if (S_ISLNK(next->i_mode) &&
		    (!last || trailing_slash || (flags & LOOKUP_FOLLOW))) {
			int ret = follow_link(cur, next,
					      last ? flags : LOOKUP_DIRECTORY, nd);

			if (ret)
				return ret;
			next = nd->inode;
		}
		cur = next;
		i = j;
	}
	if ((trailing_slash || (flags & LOOKUP_DIRECTORY)) && !S_ISDIR(cur->i_mode))
		return -ENOTDIR;
	nd->inode = cur;
	return 0;
}

int path_lookupat(struct inode *base, const char *path, size_t len,
		  unsigned int flags, struct nameidata *nd)
{
	nd->inode = NULL;
	nd->depth = 0;
	if (!ramfs_root)
		return -ENOENT;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	return walk(base ? base : ramfs_root, path, len, flags, nd);
}

struct inode *namei(const char *path)
{
	struct nameidata nd = { 0 };

	return path_lookupat(NULL, path, strlen(path), 0, &nd) ? NULL : nd.inode;
}

/* The file's path from the root of the in-memory tree into buf. */
const char *inode_path(const struct inode *inode, char *buf, size_t size)
{
	const struct inode *chain[16];
	unsigned int n = 0;
	size_t len = 0;

	for (; inode && inode->i_parent && inode->i_parent != inode && n < ARRAY_SIZE(chain);
	     inode = inode->i_parent)
		chain[n++] = inode;
	if (!size)
		return buf;
	while (n--) {
		const char *name = chain[n]->i_name ? chain[n]->i_name : "?";
		size_t k = strlen(name);

		if (len + 1 + k >= size)
			break;		/* cut at a whole name */
		buf[len++] = '/';
		memcpy(buf + len, name, k);
		len += k;
	}
	buf[len] = '\0';
	return buf;
}
